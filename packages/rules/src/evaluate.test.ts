import { describe, expect, it } from 'vitest';
import { type EvaluationOptions, evaluateRule, type HouseholdInput } from './evaluate.ts';
import { parseRule } from './parser.ts';
import { starterRules } from './starter-rules.ts';
import { cleanHousehold, idFor, options, person } from './test-households.ts';

function compile(text: string, scope: 'person' | 'household') {
  const result = parseRule(text, scope);
  if (!result.ok) throw new Error(`${result.error.message} @${result.error.column}`);
  return result.rule;
}

/** The three-valued result of a household condition: true, false or null (unknown). */
function truth(
  text: string,
  household: HouseholdInput = cleanHousehold(),
  evaluation: EvaluationOptions = options,
) {
  if (evaluateRule(compile(text, 'household'), household, evaluation) === true) return true;
  if (evaluateRule(compile(`not (${text})`, 'household'), household, evaluation) === true) return false;
  return null;
}

/** The three-valued result of a person condition for a lone household member with `fields`. */
function personTruth(text: string, fields: Record<string, unknown>, evaluation: EvaluationOptions = options) {
  const household = cleanHousehold();
  household.members = [{ ...person('p', 'head', 'male', '19800101'), ...fields, id: 'p' }];
  const fires = (condition: string) =>
    (evaluateRule(compile(condition, 'person'), household, evaluation) as string[]).includes('p');
  if (fires(text)) return true;
  if (fires(`not (${text})`)) return false;
  return null;
}

describe('three-valued logic', () => {
  const values = [true, false, null] as const;
  const household = (a: boolean | null, b: boolean | null) => ({
    ...cleanHousehold(),
    dangerousHouse: a,
    hasElectricity: b,
  });
  const and = (a: boolean | null, b: boolean | null) =>
    a === false || b === false ? false : a === null || b === null ? null : true;
  const or = (a: boolean | null, b: boolean | null) =>
    a === true || b === true ? true : a === null || b === null ? null : false;
  for (const a of values) {
    for (const b of values) {
      it(`${a} and/or ${b}`, () => {
        expect(truth('dangerousHouse and hasElectricity', household(a, b))).toBe(and(a, b));
        expect(truth('dangerousHouse or hasElectricity', household(a, b))).toBe(or(a, b));
      });
    }
    it(`not ${a}`, () =>
      expect(truth('not dangerousHouse', household(a, null))).toBe(a === null ? null : !a));
  }

  it('comparisons, arithmetic and in with an unknown operand are unknown', () => {
    const blankLand = { ...cleanHousehold(), arableLand: null };
    expect(truth('arableLand > 1', blankLand)).toBeNull();
    expect(truth('arableLand + 1 > 0', blankLand)).toBeNull();
    expect(truth('arableLand in [1, 2]', blankLand)).toBeNull();
    expect(truth('arableLand not in [1, 2]', blankLand)).toBeNull();
    expect(truth('arableLand / 0 > 0')).toBeNull();
    expect(truth('-arableLand = -3.5')).toBe(true);
    expect(personTruth('laborSkill != "无劳动力"', { laborSkill: null })).toBeNull();
    expect(personTruth('laborSkill != "无劳动力"', { laborSkill: '  ' })).toBeNull();
    expect(
      truth('monitoringCategory = "边缘易致贫户"', { ...cleanHousehold(), monitoringCategory: null }),
    ).toBeNull();
  });

  it('blank() and the valid* predicates are never unknown', () => {
    expect(personTruth('blank(phone)', { phone: null })).toBe(true);
    expect(personTruth('blank(phone)', { phone: ' \t' })).toBe(true);
    expect(personTruth('blank(phone)', { phone: '1' })).toBe(false);
    expect(personTruth('validDate(phone)', { phone: null })).toBe(false);
    expect(truth('validMonth(identifiedAt)', { ...cleanHousehold(), identifiedAt: null })).toBe(false);
    expect(personTruth('idCheckOk(idNumber)', { idNumber: null })).toBe(false);
    expect(truth('blank(risks)', { ...cleanHousehold(), risks: [] })).toBe(true);
    expect(truth('blank(risks)', { ...cleanHousehold(), risks: [null, ' '] })).toBe(true);
    expect(truth('blank(measures.water)')).toBe(true);
    expect(truth('blank(measures.health)')).toBe(false);
    expect(truth('blank(measures.health)', { ...cleanHousehold(), measures: { health: ['  '] } })).toBe(true);
  });

  it('reads a single risk column by position, the set without blank positions', () => {
    const household = { ...cleanHousehold(), risks: [null, ' illness ', 'water', ''] };
    expect(truth('blank(risk1)', household)).toBe(true);
    expect(truth('risk2 = "因病"', household)).toBe(true);
    expect(truth('risk3 = "因病"', household)).toBe(false);
    expect(truth('blank(risk5)', household)).toBe(true);
    expect(truth('"因病" in risks and not blank(risks)', household)).toBe(true);
    expect(truth('blank(risk1)')).toBe(false);
  });

  it('any, all and count count only true conditions; all of no members is true', () => {
    const household = cleanHousehold();
    for (const member of household.members) member.health = null;
    expect(truth('any(members, health = "健康")', household)).toBe(false);
    expect(truth('all(members, health = "健康")', household)).toBe(false);
    expect(truth('count(members, health = "健康") = 0', household)).toBe(true);
    expect(truth('all(members, age > 0)')).toBe(true);
    expect(truth('all(members, age > 0) and size = 0', { ...cleanHousehold(), members: [] })).toBe(true);
    expect(truth('count(members, laborSkill in ["普通劳动力"]) = 2')).toBe(true);
  });
});

describe('functions', () => {
  it('age: whole years at the reference date, 29 February reached on 1 March', () => {
    const leap = { idNumber: idFor('20080229', 'male'), birthDate: null };
    const at = (referenceDate: string) => ({ ...options, referenceDate });
    expect(personTruth('age = 17', leap, at('2026-02-28'))).toBe(true);
    expect(personTruth('age = 18', leap, at('2026-03-01'))).toBe(true);
    expect(personTruth('age = 18', leap, at('2028-02-29'))).toBe(false);
    expect(personTruth('age = 20', leap, at('2028-02-29'))).toBe(true);
    const born = { idNumber: idFor('20100630', 'male') };
    expect(personTruth('age >= 16', born, at('2026-06-30'))).toBe(true);
    expect(personTruth('age >= 16', born, at('2026-06-29'))).toBe(false);
    expect(personTruth('age < 16', born, at('2026-06-29'))).toBe(true);
  });

  it('age falls back to birthDate, else unknown; head.age needs exactly one head', () => {
    expect(personTruth('age = 46', { idNumber: '4102251980', birthDate: new Date(1980, 0, 1) })).toBe(true);
    expect(personTruth('age = 46', { idNumber: null, birthDate: '1980-01-01' })).toBe(true);
    expect(personTruth('age > 0', { idNumber: '999999', birthDate: null })).toBeNull();
    const twoHeads = cleanHousehold();
    Object.assign(twoHeads.members[1] as object, { relation: 'head' });
    expect(truth('any(members, head.age > 0)', twoHeads)).toBe(false);
    expect(truth('head.gender = "男"')).toBe(true);
    expect(truth('head.gender = "男"', twoHeads)).toBeNull();
  });

  it('idCheckOk, idBirthDate, idSex on 18/20/22-character IDs and lower-case x', () => {
    let withX = '';
    for (let sequence = 0; sequence < 200 && !withX; sequence += 1) {
      const id = idFor('19900101', 'male', sequence);
      if (id.endsWith('X')) withX = id;
    }
    expect(personTruth('idCheckOk(idNumber)', { idNumber: withX.toLowerCase() })).toBe(true);
    expect(personTruth('idCheckOk(idNumber)', { idNumber: withX.replace('X', '1') })).toBe(false);
    const id = idFor('19900101', 'female');
    expect(personTruth('idCheckOk(idNumber)', { idNumber: `${id}41` })).toBe(true);
    expect(personTruth('idCheckOk(idNumber)', { idNumber: `${id}4101` })).toBe(true);
    expect(personTruth('idCheckOk(idNumber)', { idNumber: id.slice(0, 17) })).toBe(false);
    expect(personTruth('idCheckOk(idNumber)', { idNumber: `41022519900101A12${id[17]}` })).toBe(false);
    expect(personTruth('idBirthDate(idNumber) = "19900101"', { idNumber: `${id}4101` })).toBe(true);
    expect(personTruth('idBirthDate(idNumber) = "19900101"', { idNumber: `${id}4` })).toBeNull();
    expect(personTruth('idBirthDate(idNumber) = "19900101"', { idNumber: '410225199002300012' })).toBeNull();
    expect(personTruth('idSex(idNumber) = "女"', { idNumber: id })).toBe(true);
    expect(personTruth('idSex(idNumber) = "男"', { idNumber: id })).toBe(false);
    expect(personTruth('idSex(idNumber) = "男"', { idNumber: '4102' })).toBeNull();
    expect(
      personTruth('birthDate = idBirthDate(idNumber)', { idNumber: id, birthDate: new Date(1990, 0, 1) }),
    ).toBe(true);
  });

  it('text functions', () => {
    const phone = (value: string | null) => ({ phone: value });
    expect(personTruth('length(phone) = 11', phone('13912345678'))).toBe(true);
    expect(personTruth('length(phone) = 11', phone(null))).toBeNull();
    expect(personTruth('upper(phone) = "ABC"', phone('aBc'))).toBe(true);
    expect(personTruth('substr(phone, 2, 3) = "391"', phone('13912345678'))).toBe(true);
    expect(personTruth('substr(phone, 10, 5) = "78"', phone('13912345678'))).toBe(true);
    expect(personTruth('substr(phone, 0, 2) = "1"', phone('13912345678'))).toBe(true);
    expect(personTruth('startsWith(phone, "139")', phone('13912345678'))).toBe(true);
    expect(personTruth('startsWith(phone, "999999")', phone(null))).toBeNull();
    expect(personTruth('matches(phone, "^1[3-9]\\d{9}$")', phone('13912345678'))).toBe(true);
    expect(personTruth('matches(phone, "^1[3-9]\\d{9}$")', phone('12912345678'))).toBe(false);
    expect(personTruth('matches(phone, "^1[3-9]\\d{9}$")', phone(null))).toBeNull();
  });

  it('validDate, validMonth, monthsBetween', () => {
    const note = (value: string | null) => ({ ...cleanHousehold(), otherNote: value });
    expect(truth('validDate(otherNote)', note('20240229'))).toBe(true);
    expect(truth('validDate(otherNote)', note('20230229'))).toBe(false);
    expect(truth('validDate(otherNote)', note('2024-02-01'))).toBe(false);
    expect(truth('validMonth(otherNote)', note('202412'))).toBe(true);
    expect(truth('validMonth(otherNote)', note('202400'))).toBe(false);
    expect(truth('validMonth(otherNote)', note('2024012'))).toBe(false);
    const span = (from: string | null, to: string | null) => ({
      ...cleanHousehold(),
      identifiedAt: from,
      eliminatedAt: to,
    });
    expect(truth('monthsBetween(identifiedAt, eliminatedAt) = 13', span('202312', '202501'))).toBe(true);
    expect(truth('monthsBetween(identifiedAt, eliminatedAt) = -1', span('202401', '202312'))).toBe(true);
    expect(truth('monthsBetween(identifiedAt, eliminatedAt) = 0', span('202413', '202501'))).toBeNull();
    expect(truth('monthsBetween(identifiedAt, eliminatedAt) = 0', span('202401', null))).toBeNull();
    expect(truth('monthsBetween(referenceMonth, identifiedAt) = -29')).toBe(true);
    expect(truth('abs(monthsBetween(referenceMonth, identifiedAt)) = 29')).toBe(true);
  });

  it('settings: line is unknown without an income line', () => {
    expect(truth('income.netIncomePerPerson > line')).toBe(true);
    expect(
      truth('income.netIncomePerPerson > line', cleanHousehold(), { ...options, incomeLine: null }),
    ).toBeNull();
    expect(
      truth('blank(income.netIncomePerPerson)', cleanHousehold(), { ...options, statisticsYear: 2024 }),
    ).toBe(true);
  });

  it('a blank 证件类型 means 居民身份证', () => {
    expect(personTruth('idType = "居民身份证"', { idType: null })).toBe(true);
    expect(personTruth('idType = "身份证"', { idType: ' ' })).toBe(true);
    expect(personTruth('idType = "残疾人证"', { idType: 'disability_cert' })).toBe(true);
  });
});

describe('speed', () => {
  it('evaluates all starter rules on one household well within 20 ms', () => {
    const compiled = starterRules.flatMap((rule) => (rule.when ? [compile(rule.when, rule.scope)] : []));
    const household = cleanHousehold();
    for (let index = 0; index < 5; index += 1)
      household.members.push(person(`extra${index}`, 'other', 'male', '19900101'));
    for (const rule of compiled) evaluateRule(rule, household, options);
    const start = performance.now();
    for (let round = 0; round < 20; round += 1)
      for (const rule of compiled) evaluateRule(rule, household, options);
    expect((performance.now() - start) / 20).toBeLessThan(20);
  });
});
