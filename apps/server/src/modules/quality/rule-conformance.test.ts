import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  evaluateRule,
  type HouseholdInput,
  parseRule,
  type RuleScope,
  type StarterRule,
  starterRules,
} from '@shouwang/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { type HouseholdFactoryInput, insertHousehold } from '../../../test/registry-factory.ts';
import { defaultMonitoringLine, generateDemoHouseholds } from '../demo/demo.generator.ts';
import { DemoService } from '../demo/demo.service.ts';
import type { DemoHousehold } from '../demo/demo-records.ts';
import { writeNationalFile } from '../demo/national-file-writer.ts';
import { regionRange } from '../regions/region-code.ts';
import { loadRuleInputs } from './rule-input.ts';
import { type RuleForSql, type RuleSqlContext, ruleHitsQuery } from './rule-sql.ts';

/**
 * The SQL compiler against the reference evaluator: every starter rule, both ways, over demo data
 * and over hand-made edge cases; the hit sets must be identical. Aggregate rules (ID-007, HH-008)
 * are checked against a direct reading of starter-rules.md over the same households.
 */
let harness: TestApp;
const province = regionRange(regions.province, 'province');

beforeAll(async () => {
  harness = await createTestApp();
}, 60_000);
afterAll(async () => {
  await harness?.close();
});

interface Rule extends RuleForSql {
  scope: RuleScope;
}

function compileRules(list: Array<Pick<StarterRule, 'code' | 'scope' | 'when'>>): Rule[] {
  return list.map((starter) => {
    if (!starter.when) return { code: starter.code, scope: starter.scope };
    const parsed = parseRule(starter.when, starter.scope);
    if (!parsed.ok) throw new Error(`${starter.code}: ${parsed.error.message}`);
    return { code: starter.code, scope: starter.scope, rule: parsed.rule };
  });
}

const starter = compileRules(starterRules);

type HitKey = string;
const hitKey = (code: string, householdId: string, personId: string | null): HitKey =>
  `${code}|${householdId}|${personId ?? ''}`;

async function sqlHits(
  rules: Rule[],
  context: RuleSqlContext,
  householdIds?: string[],
): Promise<Set<HitKey>> {
  const query = ruleHitsQuery(rules, context, { scope: province, householdIds });
  const result = await query.execute(harness.app.db);
  const keys = new Set<HitKey>();
  for (const hit of result.rows) {
    const key = hitKey(hit.ruleCode, hit.householdId, hit.personId);
    if (keys.has(key)) throw new Error(`duplicate SQL hit ${key}`);
    keys.add(key);
  }
  return keys;
}

/** Every active household of the registry as the evaluator reads it. */
async function loadAll(): Promise<Map<string, HouseholdInput>> {
  const ids = await harness.app.db
    .selectFrom('households')
    .select('id')
    .where('status', '=', 'active')
    .execute();
  return loadRuleInputs(harness.app.db, { scope: province, householdIds: ids.map((row) => row.id) });
}

/** ID-007 and HH-008 read literally from starter-rules.md, over all households. */
function aggregateHits(households: Map<string, HouseholdInput>, codes: Set<string>): Set<HitKey> {
  const keys = new Set<HitKey>();
  if (codes.has('ID-007')) {
    const byId = new Map<string, Array<[string, string]>>();
    for (const [householdId, household] of households) {
      for (const member of household.members) {
        const id = typeof member.idNumber === 'string' ? member.idNumber.trim() : '';
        if (id === '') continue;
        const key = id.slice(0, 18).toUpperCase();
        byId.set(key, [...(byId.get(key) ?? []), [householdId, member.id]]);
      }
    }
    for (const group of byId.values()) {
      if (group.length < 2) continue;
      for (const [householdId, personId] of group) keys.add(hitKey('ID-007', householdId, personId));
    }
  }
  if (codes.has('HH-008')) {
    const counties = new Map<string, Set<string>>();
    for (const household of households.values()) {
      const phone = String(household.householdPhone ?? '').trim();
      if (phone === '') continue;
      counties.set(phone, (counties.get(phone) ?? new Set()).add(String(household.regionCode).slice(0, 6)));
    }
    for (const [householdId, household] of households) {
      const phone = String(household.householdPhone ?? '').trim();
      if ((counties.get(phone)?.size ?? 0) >= 2) keys.add(hitKey('HH-008', householdId, null));
    }
  }
  return keys;
}

function evaluatorHits(
  rules: Rule[],
  households: Map<string, HouseholdInput>,
  context: RuleSqlContext,
  only?: Set<string>,
): Set<HitKey> {
  const keys = new Set<HitKey>();
  const options = {
    referenceDate: context.referenceDate,
    statisticsYear: context.statisticsYear,
    incomeLine: context.incomeLine,
  };
  for (const [householdId, household] of households) {
    if (only && !only.has(householdId)) continue;
    for (const rule of rules) {
      if (!rule.rule) continue;
      const result = evaluateRule(rule.rule, household, options);
      if (result === true) keys.add(hitKey(rule.code, householdId, null));
      else if (Array.isArray(result))
        for (const personId of result) keys.add(hitKey(rule.code, householdId, personId));
    }
  }
  for (const key of aggregateHits(
    households,
    new Set(rules.filter((rule) => !rule.rule).map((rule) => rule.code)),
  )) {
    if (!only || only.has(key.split('|')[1] as string)) keys.add(key);
  }
  return keys;
}

/** A readable difference: per rule, the hits only one side found, with the household's data. */
function difference(
  sqlSide: Set<HitKey>,
  tsSide: Set<HitKey>,
  households: Map<string, HouseholdInput>,
): string {
  const lines: string[] = [];
  const describe = (key: HitKey) => {
    const [, householdId, personId] = key.split('|');
    const household = households.get(householdId as string);
    const member = household?.members.find((candidate) => candidate.id === personId);
    const { members, ...rest } = household ?? { members: [] };
    return `    ${key}\n      household ${JSON.stringify(rest)}\n      ${
      member ? `person ${JSON.stringify(member)}` : `members ${members.length}`
    }`;
  };
  const onlySql = [...sqlSide].filter((key) => !tsSide.has(key));
  const onlyTs = [...tsSide].filter((key) => !sqlSide.has(key));
  const byRule = new Map<string, { sql: HitKey[]; ts: HitKey[] }>();
  for (const key of onlySql) {
    const code = key.split('|')[0] as string;
    byRule.set(code, byRule.get(code) ?? { sql: [], ts: [] });
    byRule.get(code)?.sql.push(key);
  }
  for (const key of onlyTs) {
    const code = key.split('|')[0] as string;
    byRule.set(code, byRule.get(code) ?? { sql: [], ts: [] });
    byRule.get(code)?.ts.push(key);
  }
  for (const [code, sides] of byRule) {
    lines.push(`${code}: ${sides.sql.length} only in SQL, ${sides.ts.length} only in the evaluator`);
    for (const key of sides.sql.slice(0, 3)) lines.push(`  SQL only:\n${describe(key)}`);
    for (const key of sides.ts.slice(0, 3)) lines.push(`  evaluator only:\n${describe(key)}`);
  }
  return lines.join('\n');
}

async function expectConformance(
  rules: Rule[],
  context: RuleSqlContext,
  households: Map<string, HouseholdInput>,
  householdIds?: string[],
): Promise<Set<HitKey>> {
  const sqlSide = await sqlHits(rules, context, householdIds);
  const tsSide = evaluatorHits(rules, households, context, householdIds ? new Set(householdIds) : undefined);
  expect(difference(sqlSide, tsSide, households)).toBe('');
  expect(sqlSide.size).toBe(tsSide.size);
  return sqlSide;
}

describe('rule SQL conformance with the evaluator', () => {
  it('finds the same hits for every starter rule over demo data, and every injected defect', async () => {
    const demo = new DemoService({ db: harness.app.db, province: '41' });
    const plan = await demo.plan({ scale: 'city', region: '4102' });
    const year = 2025;
    const referenceDate = new Date(Date.UTC(2025, 11, 31));
    const options = {
      villages: plan.villages,
      households: 2000,
      seed: 17,
      defects: 'importable' as const,
      year,
      referenceDate,
      monitoringLine: defaultMonitoringLine(year),
    };
    const directory = await mkdtemp(path.join(os.tmpdir(), 'rule-conformance-'));
    try {
      const file = path.join(directory, 'demo.csv');
      await writeNationalFile({ ...options, scale: 'city', file, format: 'csv' });
      const summary = await harness.app.exchange.importNationalFile({
        filePath: file,
        principal: harness.system,
        year,
      });
      expect(summary.status).toBe('succeeded');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
    const context: RuleSqlContext = {
      referenceDate: '2025-12-31',
      statisticsYear: year,
      incomeLine: defaultMonitoringLine(year),
    };
    const households = await loadAll();
    expect(households.size).toBe(2000);
    const hits = await expectConformance(starter, context, households);

    // The defect ledger: each injected defect is found by its rule, on its household and member.
    const byNumber = new Map<string, string>();
    for (const [id, household] of households) byNumber.set(String(household.householdNo), id);
    const ledger: DemoHousehold[] = [...generateDemoHouseholds(options)].filter(
      (item) => item.defects.length > 0,
    );
    const codes = new Set(starterRules.map((rule) => rule.code));
    const missing: string[] = [];
    let checked = 0;
    for (const item of ledger) {
      const householdId = byNumber.get(item.householdNo) as string;
      const members = households.get(householdId)?.members ?? [];
      for (const defect of item.defects) {
        if (!codes.has(defect.code)) continue;
        checked += 1;
        let personId: string | null = null;
        if (defect.member !== undefined) {
          const personNo = item.members[defect.member]?.personNo;
          personId = members.find((member) => member.personNo === personNo)?.id ?? `index ${defect.member}`;
        }
        const scope = starterRules.find((rule) => rule.code === defect.code)?.scope;
        const key = hitKey(defect.code, householdId, scope === 'person' ? personId : null);
        const found =
          scope === 'person' && personId === null
            ? [...hits].some((hit) => hit.startsWith(`${defect.code}|${householdId}|`))
            : hits.has(key);
        if (!found) missing.push(`${defect.code} on ${item.householdNo} member ${defect.member ?? '-'}`);
        if (defect.relatedHouseholdNo) {
          const related = byNumber.get(defect.relatedHouseholdNo) as string;
          if (![...hits].some((hit) => hit.startsWith(`${defect.code}|${related}|`))) {
            missing.push(`${defect.code} on related ${defect.relatedHouseholdNo}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(100);
    // Most rules fire at least once on the demo data, so the comparison is not vacuous.
    const fired = new Set([...hits].map((hit) => hit.split('|')[0]));
    expect(fired.size).toBeGreaterThan(60);
  }, 120_000);

  it('finds the same hits on edge cases: leap days, age bounds, odd IDs, blanks, heads, empty households', async () => {
    const ids = await insertEdgeCases();
    const extra = compileRules(extraRules);
    const households = await loadAll();
    const fired = new Set<string>();
    for (const referenceDate of ['2024-02-28', '2024-02-29', '2025-02-28', '2025-03-01', '2026-06-15']) {
      const context: RuleSqlContext = { referenceDate, statisticsYear: 2024, incomeLine: 7600 };
      const hits = await expectConformance([...starter, ...extra], context, households, ids);
      for (const hit of hits) fired.add(hit.split('|')[0] as string);
    }
    // Every extra rule fires somewhere, so each corner is compared on a real hit, not only on silence.
    expect(extra.map((rule) => rule.code).filter((code) => !fired.has(code))).toEqual([]);
  }, 60_000);
});

/** Rules beyond the starter set that reach the remaining corners of the language. */
const extraRules: Array<Pick<StarterRule, 'code' | 'scope' | 'when'>> = [
  { code: 'X-DIV', scope: 'household', when: 'income.wageIncome / income.businessIncome > 1' },
  { code: 'X-DIV0', scope: 'household', when: 'blank(income.wageIncome / income.businessIncome)' },
  { code: 'X-ALL', scope: 'household', when: 'all(members, age >= 18)' },
  { code: 'X-COUNT', scope: 'household', when: 'count(members, blank(idNumber)) * 2 >= size' },
  { code: 'X-HEAD', scope: 'household', when: 'head.age >= 60 or head.gender = "女"' },
  {
    code: 'X-SUBSTR',
    scope: 'person',
    when: 'substr(idNumber, 0, 3) = "41" or substr(idNumber, -2, 5) = "41"',
  },
  { code: 'X-UPPER', scope: 'person', when: 'upper(idNumber) != idNumber' },
  { code: 'X-LEN', scope: 'person', when: 'length(name) > 3 or length(phone) != 11' },
  { code: 'X-DATE', scope: 'person', when: 'idBirthDate(idNumber) > birthDate' },
  { code: 'X-REF', scope: 'person', when: 'birthDate >= referenceDate' },
  { code: 'X-MONTH', scope: 'household', when: 'validMonth(identifiedAt) != validMonth(eliminatedAt)' },
  {
    code: 'X-NEG',
    scope: 'household',
    when: '-income.netIncomePerPerson > 0 and abs(arableLand - 3.5) < 0.01',
  },
  { code: 'X-SET', scope: 'household', when: '"因病" not in risks and not blank(measures.health)' },
  {
    code: 'X-REGEX',
    scope: 'person',
    when: 'matches(name, "^\\w+$") or matches(phone, "^\\s*1\\d{10}\\s*$")',
  },
  // PostgreSQL's . also matches a line break; JavaScript's does not.
  { code: 'X-DOT', scope: 'person', when: 'matches(name, "^李.娜$")' },
  { code: 'X-IN', scope: 'person', when: 'relation not in ["户主", "配偶"] and gender in ["男"]' },
  { code: 'X-TEXTCMP', scope: 'person', when: 'household.identifiedAt < referenceMonth' },
  { code: 'X-BOOL', scope: 'person', when: 'residentPension = false or not medicalAid' },
  { code: 'X-RISK', scope: 'household', when: 'risk3 = "因安全住房" or risk2 in ["因病"]' },
  {
    code: 'X-MEMBER-HOUSEHOLD',
    scope: 'household',
    when: 'any(members, age >= 60 and household.arableLand >= 3.5) or count(members, income.wageIncome > 0) = size',
  },
  {
    code: 'X-PERSON-HOUSEHOLD',
    scope: 'person',
    when: 'age >= 18 and (income.netIncomePerPerson < line or "因病" in risks or size = 1 or not blank(measures.health) or household.risk1 = "其他")',
  },
  { code: 'X-PERSON-HEAD', scope: 'person', when: 'head.relation = "户主" and head.age - age > 60' },
  { code: 'X-START', scope: 'person', when: 'startsWith(upper(idNumber), "4102")' },
  {
    code: 'X-VALIDDATE',
    scope: 'person',
    when: 'not blank(idNumber) and not validDate(substr(idNumber, 6, 8)) and length(ethnicity) = 2',
  },
  {
    code: 'X-PATTERN',
    scope: 'person',
    when: 'matches(phone, "^[0-9]{11}$") and not matches(phone, "^1[3-9]\\d{9}$")',
  },
];

/** Birth date N years before `at` (YYYY-MM-DD), shifted by `days`. */
function birth(at: string, years: number, days = 0): string {
  const date = new Date(`${at}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

async function insertEdgeCases(): Promise<string[]> {
  const village = regions.rongzhuang;
  const other = regions.chengnei;
  const at = '2025-03-01';
  const cases: HouseholdFactoryInput[] = [
    // Leap-day births, with and without an ID to read them from.
    {
      regionCode: village,
      monitoringCategory: 'marginal',
      members: [
        { birthDate: '1960-02-29' },
        { birthDate: '2008-02-29', schooling: 'grade_9', relation: 'son' },
        { birthDate: '2009-02-28', idNumber: '', schooling: 'primary_6', relation: 'daughter' },
        { birthDate: '2010-03-01', idNumber: null, relation: 'son', schooling: null, laborSkill: 'ordinary' },
      ],
    },
    // Ages exactly at each bound of the starter rules, on the reference day and the day after.
    ...[6, 7, 11, 14, 15, 16, 17, 18, 20, 22, 65, 70].map(
      (years): HouseholdFactoryInput => ({
        regionCode: village,
        members: [
          { birthDate: birth(at, years + 30) },
          {
            birthDate: birth(at, years),
            relation: 'son',
            schooling: null,
            education: 'primary',
            publicJob: '护林员',
          },
          {
            birthDate: birth(at, years, 1),
            relation: 'daughter',
            schooling: 'grade_7',
            laborSkill: 'ordinary',
          },
          {
            birthDate: birth(at, years, -1),
            relation: 'father',
            education: 'college',
            schooling: 'senior_1',
          },
        ],
      }),
    ),
    // Odd IDs: lower-case x, 15/17/20/22 characters, letters, placeholders, surrounding blanks.
    {
      regionCode: village,
      members: [
        { idNumber: '11010519491231002x', birthDate: '1949-12-31', gender: 'female' },
        { idNumber: '110105491231002', birthDate: '1949-12-31' },
        {
          idNumber: '41022519800101001X42',
          idType: 'disability_cert',
          health: 'disabled',
          laborSkill: 'ordinary',
        },
        { idNumber: '4102251980010100134101', idType: null, health: 'healthy', laborSkill: 'skilled' },
        { idNumber: '41022519800230001X', birthDate: '1980-02-28' },
        { idNumber: '9999991980010100A1', gender: 'male' },
        { idNumber: '  410225198001010013  ', gender: 'female' },
        { idNumber: '41022519800101001', relation: 'spouse' },
        // X elsewhere than 18th, lower-case x with 4 more digits, a full-width digit.
        { idNumber: '4102251980010100X3' },
        { idNumber: '41022519800101001x4101' },
        { idNumber: '4102251980010100134X' },
        { idNumber: '41022519800101001３' },
      ],
    },
    // Blanks and whitespace everywhere, unknown codes.
    {
      regionCode: village,
      monitoringCategory: ' ',
      householdPhone: ' 1390000 ',
      otherNote: '\u3000',
      identifiedAt: ' 202401 ',
      riskEliminated: true,
      eliminatedAt: '202313',
      eliminationMethod: 'assisted',
      risks: ['other', 'illness'],
      members: [
        { laborSkill: ' ', ethnicity: '\u3000', phone: '\t13800000000', relation: 'alien', gender: 'x' },
        { laborSkill: 'unknown_code', health: '', schooling: ' ', name: '  ', nonAttendanceReason: '因病' },
        { relation: ' head ', gender: 'female', phone: '１３８００００００００' },
        // Whitespace outside ASCII at either end (no-break space, BOM, line and paragraph separators).
        {
          ethnicity: '\u00a0汉族\ufeff',
          relation: '\ufeffspouse',
          gender: 'female\u2029',
          phone: '12300000000',
        },
        { ethnicity: '汉族\u2028', laborSkill: '\u3000ordinary', phone: '1990000000\u00a0' },
      ],
    },
    // 致贫/返贫风险1 blank with risk 2 filled; risks in positions 1 and 3 only.
    { regionCode: village, monitoringCategory: 'marginal', risks: [' ', 'illness'] },
    { regionCode: village, monitoringCategory: 'marginal', risks: ['water', '', ' housing'] },
    // No head, two heads, zero members.
    { regionCode: village, members: [{ relation: 'spouse' }, { relation: 'son' }] },
    { regionCode: village, members: [{ relation: 'head' }, { relation: 'head', gender: 'male' }, {}] },
    { regionCode: village, monitoringCategory: 'sudden_hardship', noLabourSafetyNet: true, members: [] },
    // Incomes: division by zero, the 1 % bound, a missing statistics year, an elimination below the line.
    {
      regionCode: village,
      riskEliminated: true,
      eliminationMethod: 'assisted',
      identifiedAt: '202401',
      eliminatedAt: '202406',
      incomes: [
        {
          year: 2024,
          wageIncome: '101',
          businessIncome: '0',
          propertyIncome: '0',
          transferIncome: '0',
          businessExpense: '0',
          netIncomePerPerson: '33.3333333333',
          postNetIncomePerPerson: '7599.99',
        },
        { year: 2023, netIncomePerPerson: '-1' },
      ],
    },
    {
      regionCode: village,
      arableLand: '100.0',
      forestLand: '200.01',
      distanceToRoad: '50',
      incomes: [{ year: 2024, netIncomePerPerson: '200000', wageIncome: '600000', businessIncome: '-0' }],
    },
    // Corners for the extra rules: a positive quotient, a negative income, a measure without risk,
    // long and two-line names, a birth after the reference date, an old head.
    {
      regionCode: village,
      measures: [{ category: 'health', value: '家庭医生签约' }],
      incomes: [{ year: 2024, wageIncome: '10', businessIncome: '4', netIncomePerPerson: '-5' }],
      members: [
        { birthDate: '1940-01-01', name: '欧阳小明明', residentPension: false },
        { birthDate: '2005-05-05', relation: 'son', name: '李娜娜' },
        { birthDate: '2026-01-01', relation: 'daughter', name: '李\n娜' },
      ],
    },
    // Duplicates across counties, blank phones.
    { regionCode: other, householdPhone: '13912345678', members: [{ idNumber: '11010519491231002X' }] },
    { regionCode: village, householdPhone: '13912345678 ', members: [{}] },
    { regionCode: village, householdPhone: '   ', members: [{ idNumber: '   ' }] },
    // Status: a deceased member is not a member; an absent household is not checked.
    { regionCode: village, members: [{}, { status: 'deceased', relation: 'head' }] },
    { regionCode: village, status: 'absent', members: [{ idNumber: '' }] },
  ];
  const ids: string[] = [];
  for (const input of cases) ids.push((await insertHousehold(harness.app.db, input)).id);
  return ids;
}
