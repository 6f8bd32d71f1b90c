import { readFileSync } from 'node:fs';
import path from 'node:path';
import { genderOf, hasValidCheckDigit, hasValidIdFormat, parseYyyymmdd } from '@shouwang/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DefectMode, generateDemoHouseholds, planVillageCounts } from './demo.generator.ts';
import { defectCatalogue } from './demo-defects.ts';
import { ageAt, type DemoVillage } from './demo-model.ts';
import type { DemoHousehold, PersonRecord } from './demo-records.ts';
import { evaluateStarterRules } from './starter-rules-oracle.ts';
import { villagesFromDivisionData } from './test-villages.ts';

const referenceDate = new Date(Date.UTC(2026, 10, 23));
const line = 8000;
let lankao: DemoVillage[];
let kaifeng: DemoVillage[];

beforeAll(() => {
  kaifeng = villagesFromDivisionData('4102');
  lankao = kaifeng.filter((village) => village.countyCode === '410225');
});

function generate(options: {
  households: number;
  seed?: number;
  defects?: DefectMode;
  villages?: DemoVillage[];
}) {
  return [
    ...generateDemoHouseholds({
      villages: options.villages ?? lankao,
      households: options.households,
      seed: options.seed ?? 7,
      defects: options.defects ?? 'none',
      year: 2026,
      referenceDate,
    }),
  ];
}

const ageOf = (person: PersonRecord) => ageAt(parseYyyymmdd(person.birthDate) as Date, referenceDate);

/** Members that carry an injected person defect (their ID, sex or relation may be wrong on purpose). */
function defectMembers(household: DemoHousehold): Set<number> {
  return new Set(household.defects.flatMap((defect) => (defect.member === undefined ? [] : [defect.member])));
}

describe('generateDemoHouseholds', () => {
  it('gives the same households for the same seed, and others for another seed', () => {
    const first = generate({ households: 400, defects: 'importable' });
    const second = generate({ households: 400, defects: 'importable' });
    const other = generate({ households: 400, seed: 8, defects: 'importable' });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(first));
  });

  it('hits the household target exactly and spreads it over the villages', () => {
    const counts = planVillageCounts(lankao, 20_000, 1);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(20_000);
    const perVillage = 20_000 / lankao.length;
    expect(Math.min(...counts)).toBeGreaterThan(perVillage * 0.4);
    expect(Math.max(...counts)).toBeLessThan(perVillage * 2);
    expect(generate({ households: 500 })).toHaveLength(500);
  });

  it('numbers households and persons uniquely from the village code', () => {
    const households = generate({ households: 2_000 });
    const householdNumbers = new Set(households.map((household) => household.householdNo));
    const personNumbers = new Set(
      households.flatMap((household) => household.members.map((member) => member.personNo)),
    );
    expect(householdNumbers.size).toBe(households.length);
    expect(personNumbers.size).toBe(households.reduce((sum, household) => sum + household.members.length, 0));
    for (const household of households) {
      expect(household.householdNo.startsWith(household.regionCode)).toBe(true);
      expect(household.household.regionCode).toBe(household.regionCode);
    }
  });

  it('writes valid, unique ID numbers whose sex digit and birth date match the row, except injected defects', () => {
    const households = generate({ households: 3_000, defects: 'importable' });
    const seen = new Set<string>();
    for (const household of households) {
      const defective = defectMembers(household);
      household.members.forEach((member, index) => {
        if (defective.has(index)) return;
        const id = member.idNumber;
        expect(hasValidIdFormat(id), id).toBe(true);
        expect(hasValidCheckDigit(id.slice(0, 18)), id).toBe(true);
        expect(id.slice(0, 6)).toBe(household.countyCode);
        expect(genderOf(id) === 'male' ? '男' : '女').toBe(member.gender);
        expect(id.slice(6, 14)).toBe(member.birthDate);
        expect(parseYyyymmdd(member.birthDate)).toBeDefined();
        if (id.length === 20) {
          expect(member.idType).toBe('残疾人证');
          expect(member.health).toBe('残疾');
          expect(id.slice(18)).toMatch(/^[1-7][1-4]$/);
        } else {
          expect(member.idType).toBe('');
        }
        expect(seen.has(id.slice(0, 18)), id).toBe(false);
        seen.add(id.slice(0, 18));
      });
    }
  });

  it('keeps relations consistent with ages and sexes', () => {
    for (const { members } of generate({ households: 3_000 })) {
      const heads = members.filter((member) => member.relation === '户主');
      expect(heads).toHaveLength(1);
      const head = heads[0] as PersonRecord;
      for (const member of members) {
        if (member.relation === '配偶') expect(member.gender).not.toBe(head.gender);
        if (['之子', '之孙子', '之父'].includes(member.relation)) expect(member.gender).toBe('男');
        if (['之女', '之孙女', '之母', '之儿媳'].includes(member.relation)) expect(member.gender).toBe('女');
        if (['之子', '之女'].includes(member.relation))
          expect(ageOf(head) - ageOf(member)).toBeGreaterThanOrEqual(15);
        if (['之父', '之母'].includes(member.relation))
          expect(ageOf(member) - ageOf(head)).toBeGreaterThanOrEqual(15);
        if (member.relation.startsWith('之孙'))
          expect(ageOf(head) - ageOf(member)).toBeGreaterThanOrEqual(35);
        if (ageOf(member) < 16) {
          expect(member.laborSkill).toBe('无劳动力');
          expect(member.phone).toBe('');
        }
        if (member.schooling) expect(member.education).toBe('');
        if (ageOf(member) >= 65) expect(['弱劳动力或半劳动力', '丧失劳动力']).toContain(member.laborSkill);
      }
    }
  });

  it('follows a rural distribution: size, ages, household types, monitoring, health', () => {
    const households = generate({ households: 20_000, villages: lankao });
    const persons = households.flatMap((household) => household.members);
    const share = (count: number, total: number) => count / total;
    const meanSize = persons.length / households.length;
    expect(meanSize).toBeGreaterThan(2.8);
    expect(meanSize).toBeLessThan(3.3);
    expect(Math.max(...households.map((household) => household.members.length))).toBeLessThanOrEqual(8);
    const ages = persons.map(ageOf);
    expect(share(ages.filter((age) => age < 16).length, ages.length)).toBeGreaterThan(0.1);
    expect(share(ages.filter((age) => age < 16).length, ages.length)).toBeLessThan(0.22);
    expect(share(ages.filter((age) => age >= 60).length, ages.length)).toBeGreaterThan(0.2);
    expect(share(ages.filter((age) => age >= 60).length, ages.length)).toBeLessThan(0.35);
    const lifted = households.filter((household) => household.household.householdType === '脱贫户').length;
    expect(share(lifted, households.length)).toBeGreaterThan(0.32);
    expect(share(lifted, households.length)).toBeLessThan(0.38);
    const monitored = households.filter((household) => household.household.monitoringCategory !== '');
    expect(share(monitored.length, households.length)).toBeGreaterThan(0.05);
    expect(share(monitored.length, households.length)).toBeLessThan(0.08);
    expect(new Set(monitored.map((household) => household.household.monitoringCategory))).toEqual(
      new Set(['脱贫不稳定户', '边缘易致贫户', '突发严重困难户']),
    );
    for (const { household } of monitored) {
      if (household.monitoringCategory === '脱贫不稳定户') expect(household.householdType).toBe('脱贫户');
      expect(household.identifiedAt >= '202101' && household.identifiedAt <= '202611').toBe(true);
      expect(household.risk1).not.toBe('');
    }
    const eliminated = monitored.filter((household) => household.household.riskEliminated === '是');
    expect(share(eliminated.length, monitored.length)).toBeGreaterThan(0.35);
    expect(share(eliminated.length, monitored.length)).toBeLessThan(0.65);
    const disabled = persons.filter((person) => person.health === '残疾').length;
    expect(share(disabled, persons.length)).toBeGreaterThan(0.02);
    expect(share(disabled, persons.length)).toBeLessThan(0.07);
    expect(
      share(persons.filter((person) => person.ethnicity === '汉族').length, persons.length),
    ).toBeGreaterThan(0.95);
    const working = persons.filter((person) => person.workLocation !== '');
    for (const person of working) expect(ageOf(person)).toBeGreaterThanOrEqual(16);
    expect(working.length).toBeGreaterThan(persons.length * 0.2);
  });

  it('writes incomes whose components add up, below the line while monitored and above it otherwise', () => {
    const households = generate({ households: 5_000 });
    const perPerson = { monitored: [] as number[], eliminatedAfter: [] as number[] };
    for (const { household, members } of households) {
      const sum =
        Number(household.wageIncome) +
        Number(household.businessIncome) +
        Number(household.propertyIncome) +
        Number(household.transferIncome) -
        Number(household.businessExpense);
      const net = Number(household.netIncomePerPerson);
      expect(Math.abs(sum - net * members.length)).toBeLessThanOrEqual(members.length * 0.01);
      const monitored = household.monitoringCategory !== '';
      if (!monitored) expect(net).toBeGreaterThanOrEqual(line);
      else if (household.riskEliminated === '否') perPerson.monitored.push(net);
      if (household.riskEliminated === '是') {
        perPerson.eliminatedAfter.push(Number(household.postNetIncomePerPerson));
        expect(Number(household.postNetIncome)).toBeCloseTo(
          Number(household.postWageIncome) +
            Number(household.postBusinessIncome) +
            Number(household.postPropertyIncome) +
            Number(household.postTransferIncome) -
            Number(household.postBusinessExpense),
        );
        expect(household.eliminatedAt >= household.identifiedAt).toBe(true);
      }
    }
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean(perPerson.monitored)).toBeLessThan(line);
    expect(Math.min(...perPerson.eliminatedAfter)).toBeGreaterThanOrEqual(line);
  });

  it('fires no starter rule on clean data', () => {
    const households = generate({ households: 6_000, villages: kaifeng });
    const fired = evaluateStarterRules(households, { referenceDate, line });
    const findings = [...fired.entries()].filter(([, codes]) => codes.size > 0);
    expect(findings.slice(0, 5)).toEqual([]);
  });

  it('changes only the households it records as defective', () => {
    const clean = generate({ households: 3_000 });
    const dirty = generate({ households: 3_000, defects: 'importable' });
    let defective = 0;
    dirty.forEach((household, index) => {
      if (household.defects.length > 0) defective += 1;
      else expect(household).toEqual(clean[index]);
    });
    expect(defective).toBeGreaterThan(100);
  });

  it('keeps a ledger that matches the rules the rows fire, for every defect', () => {
    const households = generate({ households: 20_000, villages: kaifeng, defects: 'all' });
    const fired = evaluateStarterRules(households, { referenceDate, line });
    const expected = new Map(households.map((household) => [household.householdNo, new Set<string>()]));
    for (const household of households) {
      for (const defect of household.defects) {
        if (!defect.code.startsWith('FMT-')) expected.get(household.householdNo)?.add(defect.code);
        for (const code of defect.alsoFires ?? []) expected.get(household.householdNo)?.add(code);
        if (defect.relatedHouseholdNo) expected.get(defect.relatedHouseholdNo)?.add(defect.code);
      }
    }
    const mismatches = households
      .map((household) => ({
        householdNo: household.householdNo,
        fired: [...(fired.get(household.householdNo) ?? [])].sort(),
        expected: [...(expected.get(household.householdNo) ?? [])].sort(),
      }))
      .filter((row) => row.fired.join() !== row.expected.join());
    expect(mismatches.slice(0, 5)).toEqual([]);
    const injected = new Set(
      households.flatMap((household) => household.defects.map((defect) => defect.code)),
    );
    const missing = defectCatalogue
      .map((definition) => definition.code)
      .filter((code) => !injected.has(code));
    expect(missing).toEqual([]);
  });

  it('writes the file-error defects (ID-002, ID-007, HH-002) only when asked for all', () => {
    const codes = new Set(
      generate({ households: 20_000, villages: kaifeng, defects: 'importable' }).flatMap((household) =>
        household.defects.map((defect) => defect.code),
      ),
    );
    for (const code of ['ID-002', 'ID-007', 'HH-002']) expect(codes.has(code)).toBe(false);
    expect(codes.has('HH-008')).toBe(true);
  });

  it('has a defect for every starter rule, each listed in docs/demo-data.md', () => {
    const families = { ID: 9, MIS: 15, NEED: 7, LOG: 25, HH: 8, RISK: 14, ELIM: 7 };
    const starterRules = Object.entries(families).flatMap(([family, count]) =>
      Array.from({ length: count }, (_, index) => `${family}-${String(index + 1).padStart(3, '0')}`),
    );
    const catalogue = defectCatalogue.map((definition) => definition.code);
    expect(catalogue.filter((code) => !code.startsWith('FMT-')).sort()).toEqual(starterRules.sort());
    const docs = readFileSync(path.resolve(import.meta.dirname, '../../../../../docs/demo-data.md'), 'utf8');
    const documented = catalogue.filter((code) => docs.includes(`| ${code} |`));
    expect(documented).toEqual(catalogue);
  });
});
