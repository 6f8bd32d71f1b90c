import { parseRule, type RuleScope, starterRules } from '@shouwang/rules';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { regions } from '../../../test/fixtures.ts';
import { insertHousehold } from '../../../test/registry-factory.ts';
import { regionRange } from '../regions/region-code.ts';
import {
  isAggregateRuleCode,
  postgresPattern,
  type RuleForSql,
  type RuleHit,
  type RuleSqlContext,
  ruleHitsQuery,
} from './rule-sql.ts';

let database: TestDatabase;
const context: RuleSqlContext = { referenceDate: '2025-06-30', statisticsYear: 2024, incomeLine: 7600 };
const province = regionRange(regions.province, 'province');
const lankao = regionRange(regions.lankao, 'county');

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

function rule(code: string, scope: RuleScope, text: string): RuleForSql {
  const parsed = parseRule(text, scope);
  if (!parsed.ok) throw new Error(`${code}: ${parsed.error.message}`);
  return { code, rule: parsed.rule };
}

async function hits(
  rules: RuleForSql[],
  filter: { scope?: typeof province; householdIds?: string[] } = {},
  options: RuleSqlContext = context,
): Promise<RuleHit[]> {
  const query = ruleHitsQuery(rules, options, { scope: filter.scope ?? province, ...filter });
  const result = await query.execute(database.db);
  const numeric = (value: string | null) => Number(value ?? 0);
  return [...result.rows].sort(
    (left, right) =>
      left.ruleCode.localeCompare(right.ruleCode) ||
      numeric(left.householdId) - numeric(right.householdId) ||
      numeric(left.personId) - numeric(right.personId),
  );
}

describe('ruleHitsQuery', () => {
  it('answers person and household hits of many rules in one statement, limited to the scope', async () => {
    const inLankao = await insertHousehold(database.db, {
      regionCode: regions.chengnei,
      members: [{}, { idNumber: '   ' }, { relation: 'head' }],
    });
    const inZhongmou = await insertHousehold(database.db, {
      regionCode: regions.rongzhuang,
      members: [{ idNumber: null }],
    });
    const rules = [
      rule('ID-001', 'person', 'blank(idNumber)'),
      rule('HH-002', 'household', 'count(members, relation = "户主") > 1'),
    ];
    const scoped = await hits(rules, { householdIds: [inLankao.id, inZhongmou.id], scope: lankao });
    expect(scoped).toEqual([
      { ruleCode: 'HH-002', householdId: inLankao.id, personId: null },
      { ruleCode: 'ID-001', householdId: inLankao.id, personId: inLankao.members[1]?.id },
    ]);
    const both = await hits(rules, { householdIds: [inLankao.id, inZhongmou.id] });
    expect(both.map((hit) => `${hit.ruleCode}:${hit.householdId}`)).toEqual([
      `HH-002:${inLankao.id}`,
      `ID-001:${inLankao.id}`,
      `ID-001:${inZhongmou.id}`,
    ]);
  });

  it('keeps every constant a bound parameter, however it looks', async () => {
    const malicious = "x'); DROP TABLE persons; --";
    const household = await insertHousehold(database.db, {
      regionCode: regions.renzhuang,
      members: [{ name: malicious }, { name: '王五' }],
    });
    const rules = [
      rule('EVIL-1', 'person', `name = "${malicious}" or matches(name, "^x'\\)")`),
      rule("CODE'; DROP TABLE households; --", 'person', 'name = "王五"'),
    ];
    const compiled = ruleHitsQuery(rules, context, { scope: province, householdIds: [household.id] }).compile(
      database.db,
    );
    expect(compiled.sql).not.toContain('DROP');
    expect(compiled.sql).not.toContain('王五');
    expect(compiled.parameters).toContain(malicious);
    expect(compiled.parameters).toContain("CODE'; DROP TABLE households; --");
    const result = await hits(rules, { householdIds: [household.id] });
    expect(result).toEqual([
      {
        ruleCode: "CODE'; DROP TABLE households; --",
        householdId: household.id,
        personId: household.members[1]?.id,
      },
      { ruleCode: 'EVIL-1', householdId: household.id, personId: household.members[0]?.id },
    ]);
    const tables = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM pg_tables WHERE tablename IN ('persons', 'households')`.execute(
      database.db,
    );
    expect(tables.rows[0]?.count).toBe(2);
  });

  it('follows three-valued logic: unknown never fires, blank text is unknown, not of unknown is unknown', async () => {
    const household = await insertHousehold(database.db, {
      regionCode: regions.chengnei,
      members: [
        { idNumber: '', birthDate: null, laborSkill: ' ' },
        { idNumber: '41022519900101001X', birthDate: null, laborSkill: 'ordinary' },
      ],
    });
    const [unknownAge, known] = household.members;
    const rules = [
      rule('A', 'person', 'not (age > 10)'),
      rule('B', 'person', 'laborSkill != "无劳动力"'),
      rule('C', 'person', 'blank(laborSkill) or age > 200'),
      rule('D', 'person', 'not blank(laborSkill) and age >= 35'),
    ];
    expect(await hits(rules, { householdIds: [household.id] })).toEqual([
      { ruleCode: 'B', householdId: household.id, personId: known?.id },
      { ruleCode: 'C', householdId: household.id, personId: unknownAge?.id },
      { ruleCode: 'D', householdId: household.id, personId: known?.id },
    ]);
  });

  it('reads age at the reference date from the ID (29 February reached on 1 March), else from birth_date', async () => {
    const household = await insertHousehold(database.db, {
      regionCode: regions.chengnei,
      members: [
        { birthDate: '2008-02-29' },
        { birthDate: '2008-03-01' },
        { idNumber: '410225200802300011', birthDate: '2009-02-28' },
      ],
    });
    const rules = [rule('ADULT', 'person', 'age >= 17')];
    const ids = { householdIds: [household.id] };
    const on = (referenceDate: string) => hits(rules, ids, { ...context, referenceDate });
    const [leapling, march, invalidId] = household.members.map((member) => member.id);
    expect((await on('2025-02-28')).map((hit) => hit.personId)).toEqual([]);
    expect((await on('2025-03-01')).map((hit) => hit.personId)).toEqual([leapling, march]);
    expect((await on('2026-02-28')).map((hit) => hit.personId)).toEqual([leapling, march, invalidId]);
  });

  it('checks IDs like the domain helpers: check digit with lower-case x, disability numbers, sex digit', async () => {
    const household = await insertHousehold(database.db, {
      regionCode: regions.chengnei,
      members: [
        { idNumber: '11010519491231002x', gender: 'male' },
        { idNumber: '11010519491231002X41', gender: 'female' },
        { idNumber: '110105194912310021', gender: 'male' },
        { idNumber: '1101051949123100', gender: 'male' },
      ],
    });
    const [lower, disability, wrong, short] = household.members.map((member) => member.id);
    const rules = [
      rule('CHECK', 'person', 'not idCheckOk(idNumber)'),
      rule('SEX', 'person', 'gender != idSex(idNumber)'),
      rule('LIMB', 'person', 'substr(idNumber, 19, 2) in ["41", "42"]'),
    ];
    const result = await hits(rules, { householdIds: [household.id] });
    expect(result.filter((hit) => hit.ruleCode === 'CHECK').map((hit) => hit.personId)).toEqual([
      wrong,
      short,
    ]);
    expect(result.filter((hit) => hit.ruleCode === 'SEX').map((hit) => hit.personId)).toEqual([lower, wrong]);
    expect(result.filter((hit) => hit.ruleCode === 'LIMB').map((hit) => hit.personId)).toEqual([disability]);
  });

  it('reads household terms of members, risks, measures, income and settings in one pass', async () => {
    const noHead = await insertHousehold(database.db, {
      regionCode: regions.chengnei,
      monitoringCategory: 'marginal',
      members: [{ relation: 'spouse', health: 'serious_illness' }],
      risks: ['illness', ' '],
      measures: [{ category: 'health', value: '  ' }],
      incomes: [{ year: 2024, netIncomePerPerson: '7000', wageIncome: '0' }],
    });
    const empty = await insertHousehold(database.db, { regionCode: regions.chengnei, members: [] });
    const rules = [
      rule('NOHEAD', 'household', 'count(members, relation = "户主") = 0'),
      rule('ALLSICK', 'household', 'all(members, health = "患有大病")'),
      rule('ILL', 'household', '"因病" in risks and blank(measures.health)'),
      rule('POOR', 'household', 'income.netIncomePerPerson < line'),
      rule('RATIO', 'household', 'income.netIncomePerPerson / income.wageIncome > 1'),
      rule('HEADAGE', 'household', 'head.age > 0'),
      rule('SIZE', 'household', 'size = 0'),
    ];
    const result = await hits(rules, { householdIds: [noHead.id, empty.id] });
    expect(
      result.map((hit) => `${hit.ruleCode}:${hit.householdId === noHead.id ? 'noHead' : 'empty'}`).sort(),
    ).toEqual([
      'ALLSICK:empty',
      'ALLSICK:noHead',
      'ILL:noHead',
      'NOHEAD:empty',
      'NOHEAD:noHead',
      'POOR:noHead',
      'SIZE:empty',
    ]);
  });

  it('finds duplicate IDs across the scope boundary and phones shared by two counties', async () => {
    const shared = '410225198001010011';
    const here = await insertHousehold(database.db, {
      regionCode: regions.chengnei,
      householdPhone: '13900000001',
      members: [{ idNumber: shared }, { idNumber: '  ' }],
    });
    const there = await insertHousehold(database.db, {
      regionCode: regions.rongzhuang,
      householdPhone: ' 13900000001',
      members: [{ idNumber: `${shared.slice(0, 17)}1`.toLowerCase() }],
    });
    const sameCounty = await insertHousehold(database.db, {
      regionCode: regions.renzhuang,
      householdPhone: '13900000002',
      members: [{}],
    });
    await insertHousehold(database.db, {
      regionCode: regions.chengnei,
      householdPhone: '13900000002',
      members: [{}],
    });
    const rules: RuleForSql[] = [{ code: 'ID-007' }, { code: 'HH-008' }];
    expect(isAggregateRuleCode('ID-007') && isAggregateRuleCode('HH-008')).toBe(true);
    const result = await hits(rules, { scope: lankao, householdIds: [here.id, there.id, sameCounty.id] });
    expect(result).toEqual([
      { ruleCode: 'HH-008', householdId: here.id, personId: null },
      { ruleCode: 'ID-007', householdId: here.id, personId: here.members[0]?.id },
    ]);
  });

  it('compiles and runs every starter rule in one statement', async () => {
    const rules = starterRules.map((starter) =>
      starter.when ? rule(starter.code, starter.scope, starter.when) : { code: starter.code },
    );
    const result = await sql<{ count: string }>`SELECT count(*) AS count FROM (${ruleHitsQuery(
      rules,
      context,
      {
        scope: province,
      },
    )}) AS hits`.execute(database.db);
    expect(Number(result.rows[0]?.count)).toBeGreaterThan(0);
  });

  it('answers nothing for no rules', async () => {
    expect(await hits([])).toEqual([]);
  });
});

describe('postgresPattern', () => {
  it('spells out the classes and the dot so PostgreSQL matches as JavaScript does', async () => {
    expect(postgresPattern('^1[3-9]\\d{9}$')).toBe('^1[3-9][0-9]{9}$');
    expect(postgresPattern('[\\d.]\\.')).toBe('[0-9.]\\.');
    const cases: Array<[string, string]> = [
      ['^\\w+$', '张三'],
      ['^\\w+$', 'ab_9'],
      ['^\\d+$', '１２３'],
      ['^\\s$', '\u3000'],
      ['^\\S$', '\u3000'],
      ['^a.b$', 'a\nb'],
      ['^[^\\d]+$', 'abc'],
      ['^\\D+$', '12'],
    ];
    for (const [pattern, text] of cases) {
      const result = await sql<{
        matches: boolean;
      }>`SELECT ${text}::text ~ ${postgresPattern(pattern)}::text AS matches`.execute(database.db);
      expect({ pattern, text, matches: result.rows[0]?.matches }).toEqual({
        pattern,
        text,
        matches: new RegExp(pattern).test(text),
      });
    }
  });
});
