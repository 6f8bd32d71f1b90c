import {
  type CompiledRule,
  type Expr,
  type FieldDefinition,
  personFields,
  starterRules,
} from '@shouwang/rules';
import { type RawBuilder, sql } from 'kysely';
import { regionScopeCondition } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';

/**
 * The SQL compiler of the quality rule language: every hit of a set of rules as one set-based
 * statement, with the meaning of @shouwang/rules' evaluateRule (the reference).
 *
 * Shape of the statement (only the parts the rules need are emitted):
 * - person source: the active persons of the filter in layers (normalised columns → calls on the
 *   person's own fields, computed once however many rules share them → age), narrow rows; a
 *   materialized CTE `ps` when both `hx` and the person pass read it.
 * - `hx`: ONE aggregate over that source, grouped by household: size, head terms (a value of the
 *   only head), and every any/all/count term of every rule.
 * - `rk` / `ms`: risk codes (set and by position) and the measure values per category, per household.
 * - person pass: person source ⋈ household source (+ income row of the year, rk, ms, hx), one CASE
 *   per rule collected into an array and unnested, so each person row is read once.
 * - household pass: households (+ the same joins), likewise.
 * - ID-007 (same first 18 characters, upper-cased, among the active persons of the whole registry)
 *   and HH-008 (same household phone in households of two or more counties of the whole registry);
 *   hits are limited to the filter, duplicates are looked for everywhere.
 *
 * Only households with status `active` and persons with status `active` take part.
 * Every rule constant is a bound parameter; identifiers come only from the field catalog.
 *
 * `RuleForSql.rule` may be omitted for the aggregate rules (they have no condition); they are
 * recognised by code (`isAggregateRuleCode`).
 *
 * Known differences from JavaScript that no starter rule reaches: `length`/`substr` count characters
 * where JavaScript counts UTF-16 units (only characters outside the BMP differ), `upper` follows the
 * database's case mapping for non-ASCII letters.
 */
export interface RuleSqlContext {
  /** YYYY-MM-DD */
  referenceDate: string;
  statisticsYear: number;
  incomeLine: number;
}
export interface RuleForSql {
  code: string;
  /** From parseRule() of @shouwang/rules; not needed for the aggregate rules. */
  rule?: CompiledRule;
}
export interface RuleSqlFilter {
  scope: RegionRange;
  householdIds?: readonly string[];
}
export interface RuleHit {
  ruleCode: string;
  householdId: string;
  personId: string | null;
}

/** Codes of the rules checked across households by their own SQL (ID-007, HH-008). */
export const aggregateRuleCodes: ReadonlySet<string> = new Set(
  starterRules.filter((rule) => rule.kind === 'aggregate').map((rule) => rule.code),
);

export function isAggregateRuleCode(code: string): boolean {
  return aggregateRuleCodes.has(code);
}

// ---------------------------------------------------------------------------------------------
// Fixed SQL pieces (no user text)

/** The characters JavaScript's String.prototype.trim() removes, so blanks mean the same on both sides. */
const javascriptWhitespace =
  '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const whitespace = sql.lit(javascriptWhitespace);

const trimmed = (value: RawBuilder<unknown>) => sql`btrim(${value}, ${whitespace})`;

/**
 * A first or last character that JavaScript's trim() keeps for sure (a code point that is none of
 * javascriptWhitespace), from ascii() of the character.
 */
const keptByTrim = (codePoint: RawBuilder<unknown>) =>
  sql`(${codePoint} BETWEEN 33 AND 159 OR ${codePoint} BETWEEN 12289 AND 65278 OR ${codePoint} > 65279)`;

/**
 * Blank text as NULL, else the text trimmed. btrim over the multibyte whitespace set costs microseconds
 * per call, so a value that starts and ends with a character trim() keeps (almost all) is taken as is.
 * `value` is read several times: pass a column.
 */
const blankToNull = (value: RawBuilder<unknown>) =>
  sql`(CASE WHEN ${keptByTrim(sql`ascii(${value})`)} AND ${keptByTrim(sql`ascii(right(${value}, 1))`)}
    THEN ${value} ELSE NULLIF(${trimmed(value)}, '') END)`;

/** Identifiers come from the field catalog; refuse anything else outright. */
function catalogColumn(alias: string, column: string | undefined): RawBuilder<unknown> {
  if (!column || !/^[a-z][a-z0-9_]*$/.test(column)) throw new Error(`not a catalog column: ${column}`);
  return sql.ref(`${alias}.${column}`);
}

/** YYYYMMDD text that is a real calendar date (years below 100 are invalid, as in parseYyyymmdd). */
function validDateSql(value: RawBuilder<unknown>): RawBuilder<unknown> {
  const year = sql`substr(${value}, 1, 4)::int`;
  const month = sql`substr(${value}, 5, 2)::int`;
  const day = sql`substr(${value}, 7, 2)::int`;
  const leap = sql`((${year} % 4 = 0 AND ${year} % 100 <> 0) OR ${year} % 400 = 0)`;
  return sql`(CASE WHEN length(${value}) = 8 AND ${digitsOnly(value)} THEN ${year} >= 100 AND ${month} BETWEEN 1 AND 12
    AND ${day} BETWEEN 1 AND (CASE ${month} WHEN 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END
      WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END)
    ELSE false END)`;
}

/** YYYYMM text with a month 01–12 (the pattern ^[0-9]{4}(0[1-9]|1[0-2])$, without a regular expression). */
function validMonthSql(value: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`coalesce(length(${value}) = 6 AND ${digitsOnly(value)}
    AND substr(${value}, 5, 2) COLLATE "C" BETWEEN '01' AND '12', false)`;
}

function monthIndexSql(value: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(substr(${value}, 1, 4)::int * 12 + substr(${value}, 5, 2)::int)`;
}

const checkWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/**
 * The first 17 characters of an ID number as an integer when they are digits and the number has at
 * least 18 characters, else NULL: the input of idCheckFromDigitsSql, computed once in a lower layer.
 */
function idFirst17Sql(value: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(CASE WHEN length(${value}) >= 18 AND ${digitsOnly(sql`left(${value}, 17)`)}
    THEN left(${value}, 17)::int8 END)`;
}

/** idCheckSql over the value and its idFirst17Sql integer: integer arithmetic on the digits. */
function idCheckFromDigitsSql(value: RawBuilder<unknown>, first17: RawBuilder<unknown>): RawBuilder<unknown> {
  const sum = sql.join(
    checkWeights.map(
      (weight, index) => sql`(${first17} / ${sql.lit(10 ** (16 - index))}::int8 % 10) * ${sql.lit(weight)}`,
    ),
    sql` + `,
  );
  return sql`(CASE WHEN ${first17} IS NOT NULL
    THEN substr('10X98765432', ((${sum}) % 11)::int + 1, 1) = upper(substr(${value}, 18, 1)) ELSE false END)`;
}

/** GB 11643 check of the first 18 characters (lower-case x = X); false on blank or shorter. */
function idCheckSql(value: RawBuilder<unknown>): RawBuilder<unknown> {
  // Digits checked first, so the bytes of the first 17 characters are the digits themselves.
  const bytes = sql`convert_to(${value}, 'UTF8')`;
  const sum = sql.join(
    checkWeights.map(
      (weight, index) => sql`(get_byte(${bytes}, ${sql.lit(index)}) - 48) * ${sql.lit(weight)}`,
    ),
    sql` + `,
  );
  return sql`(CASE WHEN length(${value}) >= 18 AND ${digitsOnly(sql`left(${value}, 17)`)}
    THEN substr('10X98765432', ((${sum}) % 11) + 1, 1) = upper(substr(${value}, 18, 1)) ELSE false END)`;
}

/** ASCII digits only (cheaper than a regular expression); true for the empty string. */
function digitsOnly(value: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`translate(${value}, '0123456789', '') = ''`;
}

/** The YYYYMMDD integer of an ID's birth date part (not yet checked as a date), else NULL. */
function idBirthNumberSql(value: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(CASE WHEN length(${value}) IN (18, 20, 22) THEN ${dateNumberSql(sql`substr(${value}, 7, 8)`)} END)`;
}

function idBirthDateSql(value: RawBuilder<unknown>): RawBuilder<unknown> {
  const digits = sql`substr(${value}, 7, 8)`;
  return sql`(CASE WHEN length(${value}) IN (18, 20, 22) AND ${validDateSql(digits)} THEN ${digits} END)`;
}

/**
 * Patterns of the starter rules tested without a regular expression (each test reads the value a few
 * times and costs a fraction of a match); NULL for NULL, like `~`.
 */
const knownPatterns: Record<string, (value: RawBuilder<unknown>) => RawBuilder<unknown>> = {
  // ID number: 17 digits, a digit or X/x, then nothing, 2 or 4 digits.
  '^\\d{17}[\\dXx](\\d{2}|\\d{4})?$': (value) =>
    sql`(CASE WHEN ${value} IS NULL THEN NULL::boolean WHEN length(${value}) IN (18, 20, 22)
      THEN CASE translate(${value}, '0123456789', '') WHEN '' THEN true
        WHEN 'X' THEN substr(${value}, 18, 1) = 'X' WHEN 'x' THEN substr(${value}, 18, 1) = 'x' ELSE false END
      ELSE false END)`,
  '^[0-9]{11}$': (value) => sql`(length(${value}) = 11 AND ${digitsOnly(value)})`,
  '^1[3-9]\\d{9}$': (value) =>
    sql`(length(${value}) = 11 AND ${digitsOnly(value)} AND starts_with(${value}, '1')
      AND substr(${value}, 2, 1) NOT IN ('0', '1', '2'))`,
};

/**
 * Rewrites a pattern of the allowed subset (packages/rules regex.ts) so that PostgreSQL reads it as
 * JavaScript does: \d \w \s and `.` are spelled out (PostgreSQL's classes follow the locale, its `.`
 * also matches line breaks).
 */
const javascriptLineBreaks = '\n\r\u2028\u2029';
const classBodies: Record<string, string> = {
  d: '0-9',
  w: 'A-Za-z0-9_',
  s: javascriptWhitespace,
};

export function postgresPattern(pattern: string): string {
  let output = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index] as string;
    if (character === '\\') {
      const escaped = pattern[index + 1] ?? '';
      index += 1;
      const lower = escaped.toLowerCase();
      const body = classBodies[lower];
      if (body !== undefined) {
        const negated = escaped !== lower;
        if (inClass) output += negated ? `\\${escaped}` : body;
        else output += `[${negated ? '^' : ''}${body}]`;
      } else {
        output += `\\${escaped}`;
      }
      continue;
    }
    if (inClass) {
      if (character === ']') inClass = false;
      output += character;
      continue;
    }
    if (character === '[') {
      inClass = true;
      output += character;
      if (pattern[index + 1] === '^') {
        output += '^';
        index += 1;
      }
      // A leading ] is a literal in PostgreSQL but closes an empty class in JavaScript; keep it escaped.
      if (pattern[index + 1] === ']') {
        output += '\\]';
        index += 1;
      }
      continue;
    }
    output += character === '.' ? `[^${javascriptLineBreaks}]` : character;
  }
  return output;
}

// ---------------------------------------------------------------------------------------------
// Compilation of one expression

/** What a pass reads beyond its own row; decides which joins and CTE columns are emitted. */
interface Uses {
  income: boolean;
  risks: boolean;
  measures: boolean;
  household: boolean;
  memberAggregate: boolean;
}

const noUses = (): Uses => ({
  income: false,
  risks: false,
  measures: false,
  household: false,
  memberAggregate: false,
});

interface Term {
  alias: string;
  sql: RawBuilder<unknown>;
}

class StatementPlan {
  /** Columns of the per-household member aggregate `hx`. */
  readonly memberTerms = new Map<string, Term>();
  /** Measure categories read, each an array column of `ms`. */
  readonly measureCategories = new Map<string, string>();
  /** Single risk columns read (致贫/返贫风险1…5), each a column `risk_<n>` of `rk`. */
  readonly riskPositions = new Set<number>();
  /** Person columns read, normalised once per row in the person source (`n_<column>`). */
  readonly personColumns = new Map<string, FieldDefinition>();
  /** Household columns read, normalised once per row in the household source (`n_<column>`). */
  readonly householdColumns = new Map<string, FieldDefinition>();
  /**
   * Calls that read only the person, computed once per row in the person source (`c_<n>`), by key. A
   * call whose arguments hold other such calls (or helper values, see personTerm) comes in a layer
   * above theirs: `level` 1 reads the normalised columns, level n reads the columns of levels below.
   */
  readonly personCalls = new Map<string, Term & { level: number }>();
  /** What the aggregate `hx` itself joins (a member condition may read household.x …). */
  readonly memberUses = noUses();
  needsAge = false;
  readonly referenceDate: string;
  readonly referenceYear: number;
  readonly referenceMonthDay: string;

  constructor(readonly context: RuleSqlContext) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(context.referenceDate)) {
      throw new Error(`referenceDate must be YYYY-MM-DD: ${context.referenceDate}`);
    }
    this.referenceDate = context.referenceDate.replace(/-/g, '');
    this.referenceYear = Number(this.referenceDate.slice(0, 4));
    this.referenceMonthDay = this.referenceDate.slice(4);
  }

  /** A per-person column of the given layer (see personCalls), registered once by key; its alias. */
  personTerm(key: string, level: number, build: () => RawBuilder<unknown>): Term & { level: number } {
    let term = this.personCalls.get(key);
    if (!term) {
      const built = build();
      term = { alias: `c_${this.personCalls.size + 1}`, sql: built, level };
      this.personCalls.set(key, term);
    }
    return term;
  }

  get personCallLevels(): number {
    return Math.max(1, ...[...this.personCalls.values()].map((term) => term.level));
  }

  memberTerm(key: string, build: () => RawBuilder<unknown>): string {
    let term = this.memberTerms.get(key);
    if (!term) {
      term = { alias: `t_${this.memberTerms.size + 1}`, sql: build() };
      this.memberTerms.set(key, term);
    }
    return term.alias;
  }

  measureColumn(category: string): string {
    let alias = this.measureCategories.get(category);
    if (!alias) {
      alias = `m_${this.measureCategories.size + 1}`;
      this.measureCategories.set(category, alias);
    }
    return alias;
  }
}

interface Scope {
  plan: StatementPlan;
  uses: Uses;
  /** Alias of the person row a bare person field reads; undefined in household rules outside members. */
  person: string | undefined;
  insideMembers: boolean;
  /**
   * Compiling a call hoisted into the person source (columns read from alias `a`); `level` is the
   * highest layer of the hoisted calls it reads, so it goes one above.
   */
  hoisting?: { level: number };
}

function unsupported(what: string): never {
  throw new Error(`rule SQL: ${what} is not supported`);
}

/** A YYYYMMDD integer that is a real calendar date with a year of at least 100 (parseYyyymmdd). */
export function validDateNumberSql(value: RawBuilder<unknown>): RawBuilder<unknown> {
  const year = sql`(${value} / 10000)`;
  const month = sql`(${value} / 100 % 100)`;
  const leap = sql`((${year} % 4 = 0 AND ${year} % 100 <> 0) OR ${year} % 400 = 0)`;
  return sql`(${year} >= 100 AND ${month} BETWEEN 1 AND 12 AND ${value} % 100 BETWEEN 1
    AND (CASE ${month} WHEN 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END
      WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END))`;
}

/** An 8-digit text as an integer, else NULL. */
function dateNumberSql(value: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(CASE WHEN length(${value}) = 8 AND ${digitsOnly(value)} THEN (${value})::int END)`;
}

/**
 * Age at the reference date from the ID's birth date when valid, else from birth_date, over the
 * integers `rule_id_birth` / `rule_birth_date` of the layer below (whole years; 29 February is
 * reached on 1 March because 0301 > 0229).
 */
function ageSql(plan: StatementPlan, alias: string): RawBuilder<unknown> {
  const years = (birth: RawBuilder<unknown>) =>
    sql`(${plan.referenceYear}::int - ${birth} / 10000
      - CASE WHEN ${birth} % 10000 > ${Number(plan.referenceMonthDay)}::int THEN 1 ELSE 0 END)`;
  const fromId = sql.ref(`${alias}.rule_id_birth`);
  const fromBirthDate = sql.ref(`${alias}.rule_birth_date`);
  return sql`(CASE
    WHEN ${validDateNumberSql(fromId)} THEN ${years(fromId)}
    WHEN ${validDateNumberSql(fromBirthDate)} THEN ${years(fromBirthDate)}
  END)::float8`;
}

/** A column read the way evaluate.ts normalises it (blank text is unknown, numbers as doubles …). */
function normalisedColumn(alias: string, field: FieldDefinition): RawBuilder<unknown> {
  const column = catalogColumn(alias, field.column);
  switch (field.type) {
    case 'number':
      return sql`${column}::float8`;
    case 'boolean':
      return column;
    case 'date':
      return sql`to_char(${column}, 'YYYYMMDD')`;
    default:
      return field.blankAs === undefined
        ? blankToNull(column)
        : sql`COALESCE(${blankToNull(column)}, ${field.blankAs}::text)`;
  }
}

function personField(scope: Scope, field: FieldDefinition, alias: string): RawBuilder<unknown> {
  if (field.computed === 'age') {
    scope.plan.needsAge = true;
    scope.plan.personColumns.set('id_number', idNumberField);
    scope.plan.personColumns.set('birth_date', birthDateField);
    return sql.ref(`${alias}.rule_age`);
  }
  return normalisedReference(scope.plan.personColumns, alias, field);
}

/** A normalised column of a layered source: registered once, read as `<alias>.n_<column>`. */
function normalisedReference(
  columns: Map<string, FieldDefinition>,
  alias: string,
  field: FieldDefinition,
): RawBuilder<unknown> {
  const column = field.column;
  if (!column || !/^[a-z][a-z0-9_]*$/.test(column)) throw new Error(`not a catalog column: ${column}`);
  columns.set(column, field);
  return sql.ref(`${alias}.n_${column}`);
}

const idNumberField = personFields.get('idNumber') as FieldDefinition;
const birthDateField = personFields.get('birthDate') as FieldDefinition;

function readField(scope: Scope, expression: Expr & { kind: 'field' }): RawBuilder<unknown> {
  const { field, subject } = expression;
  const plan = scope.plan;
  switch (field.computed) {
    case 'line':
      return sql`${plan.context.incomeLine}::float8`;
    case 'referenceMonth':
      return sql`${plan.referenceDate.slice(0, 6)}::text`;
    case 'referenceDate':
      return sql`${plan.referenceDate}::text`;
    case 'size':
      if (scope.insideMembers) unsupported('size inside any/all/count');
      scope.uses.memberAggregate = true;
      return sql`coalesce(hx.size, 0)::float8`;
    default:
      break;
  }
  switch (field.source) {
    case 'person': {
      if (subject === 'head') {
        if (scope.insideMembers) unsupported('head inside any/all/count');
        scope.uses.memberAggregate = true;
        const alias = plan.memberTerm(`head:${field.name}`, () => {
          const value = personField(scope, field, 'm');
          return sql`CASE WHEN count(*) FILTER (WHERE m.rule_is_head) = 1
            THEN (array_agg(${value}) FILTER (WHERE m.rule_is_head))[1] END`;
        });
        return sql.ref(`hx.${alias}`);
      }
      if (!scope.person) unsupported(`person field ${field.name} outside any/all/count`);
      return personField(scope, field, scope.person);
    }
    case 'household':
      scope.uses.household = true;
      return normalisedReference(plan.householdColumns, 'h', field);
    case 'income':
      scope.uses.income = true;
      return normalisedColumn('i', field);
    case 'risks':
      scope.uses.risks = true;
      if (field.position !== undefined) {
        const position = Number(field.position);
        if (!Number.isInteger(position) || position < 1 || position > 5)
          unsupported(`risk position ${position}`);
        plan.riskPositions.add(position);
        return sql.ref(`rk.risk_${position}`);
      }
      return sql`coalesce(rk.risks, '{}'::text[])`;
    case 'measures': {
      scope.uses.measures = true;
      const alias = plan.measureColumn(field.category as string);
      return sql`coalesce(${sql.ref(`ms.${alias}`)}, '{}'::text[])`;
    }
    default:
      return unsupported(`field ${field.name}`);
  }
}

function literalSql(value: unknown, kind: Expr['type']['kind']): RawBuilder<unknown> {
  if (kind === 'number' || typeof value === 'number') return sql`${value}::float8`;
  if (kind === 'boolean' || typeof value === 'boolean') return sql`${value}::boolean`;
  return sql`${String(value)}::text`;
}

const comparisonOperators = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

/** Strips spans so that equal conditions written in different places share one aggregate column. */
function structuralKey(expression: Expr): string {
  return JSON.stringify(expression, (key, value) => (key === 'span' ? undefined : value));
}

function compile(scope: Scope, expression: Expr): RawBuilder<unknown> {
  switch (expression.kind) {
    case 'literal':
      return literalSql(expression.value, expression.type.kind);
    case 'field':
      return readField(scope, expression);
    case 'compare': {
      const left = compile(scope, expression.left);
      const right = compile(scope, expression.right);
      const operator = sql.raw(comparisonOperators[expression.op]);
      const kind = expression.left.type.kind;
      // Ordered text (dates, months) compares by code point, as JavaScript does.
      if (kind !== 'number' && kind !== 'boolean') return sql`((${left}) COLLATE "C" ${operator} ${right})`;
      return sql`((${left}) ${operator} (${right}))`;
    }
    case 'inList': {
      const operand = compile(scope, expression.operand);
      const values = expression.values.map((value) => literalSql(value, expression.operand.type.kind));
      return sql`((${operand}) ${sql.raw(expression.negated ? 'NOT IN' : 'IN')} (${sql.join(values)}))`;
    }
    case 'inSet': {
      const operand = compile(scope, expression.operand);
      const set = compile(scope, expression.set);
      const member = sql`(CASE WHEN (${operand}) IS NULL THEN NULL ELSE (${operand})::text = ANY (${set}) END)`;
      return expression.negated ? sql`(NOT ${member})` : member;
    }
    case 'arithmetic': {
      const left = compile(scope, expression.left);
      const right = compile(scope, expression.right);
      if (expression.op === '/') return sql`((${left}) / NULLIF((${right}), 0))`;
      return sql`((${left}) ${sql.raw(expression.op)} (${right}))`;
    }
    case 'negate':
      return sql`(-(${compile(scope, expression.operand)}))`;
    case 'logical': {
      const operator = sql.raw(expression.op === 'and' ? 'AND' : 'OR');
      return sql`((${compile(scope, expression.left)}) ${operator} (${compile(scope, expression.right)}))`;
    }
    case 'not':
      return sql`(NOT (${compile(scope, expression.operand)}))`;
    case 'members':
      return compileMembers(scope, expression);
    case 'call':
      return hoistedCall(scope, expression) ?? compileCall(scope, expression);
  }
}

/** True when the expression reads nothing but the person's own columns and constants. */
function readsOnlyPerson(expression: Expr): boolean {
  switch (expression.kind) {
    case 'literal':
      return true;
    case 'field':
      return (
        expression.subject === 'person' && expression.field.source === 'person' && !expression.field.computed
      );
    case 'call':
      return expression.args.every(readsOnlyPerson);
    case 'compare':
    case 'arithmetic':
    case 'logical':
      return readsOnlyPerson(expression.left) && readsOnlyPerson(expression.right);
    case 'negate':
    case 'not':
      return readsOnlyPerson(expression.operand);
    case 'inList':
      return readsOnlyPerson(expression.operand);
    default:
      return false;
  }
}

/**
 * A call on the person's own fields (length(idNumber), idCheckOk(idNumber) …) becomes one column of
 * the person source, computed once per person however many rules use it; calls in its arguments
 * become columns of a layer below, so each is computed once too.
 */
function hoistedCall(scope: Scope, expression: Expr & { kind: 'call' }): RawBuilder<unknown> | undefined {
  const alias = scope.hoisting ? 'a' : scope.person;
  if (!alias || !readsOnlyPerson(expression)) return undefined;
  if (!expression.args.some((argument) => argument.kind !== 'literal')) return undefined;
  if (expression.name === 'blank' && expression.args[0]?.kind === 'field') return undefined;
  const plan = scope.plan;
  const key = structuralKey(expression);
  let term = plan.personCalls.get(key);
  if (!term) {
    const hoisting = { level: 0 };
    const inner: Scope = { plan, uses: noUses(), person: 'a', insideMembers: false, hoisting };
    const built = compileCall(inner, expression);
    term = plan.personTerm(key, hoisting.level + 1, () => built);
  }
  if (scope.hoisting) scope.hoisting.level = Math.max(scope.hoisting.level, term.level);
  return sql.ref(`${alias}.${term.alias}`);
}

function compileMembers(scope: Scope, expression: Expr & { kind: 'members' }): RawBuilder<unknown> {
  if (scope.insideMembers) unsupported('nested any/all/count');
  scope.uses.memberAggregate = true;
  const plan = scope.plan;
  const alias = plan.memberTerm(`${expression.name}:${structuralKey(expression.body)}`, () => {
    const body = compile({ plan, uses: plan.memberUses, person: 'm', insideMembers: true }, expression.body);
    if (expression.name === 'any') return sql`bool_or((${body}) IS TRUE)`;
    if (expression.name === 'all') return sql`bool_and((${body}) IS TRUE)`;
    return sql`count(*) FILTER (WHERE (${body}) IS TRUE)`;
  });
  const column = sql.ref(`hx.${alias}`);
  if (expression.name === 'any') return sql`coalesce(${column}, false)`;
  if (expression.name === 'all') return sql`coalesce(${column}, true)`;
  return sql`coalesce(${column}, 0)::float8`;
}

/**
 * A value a hoisted call reads several times (an ID's digits as an integer …), computed once as a column
 * of the layer above the call's arguments; the call itself goes one layer higher.
 */
function helperTerm(scope: Scope, key: string, build: () => RawBuilder<unknown>): RawBuilder<unknown> {
  const hoisting = scope.hoisting as { level: number };
  const term = scope.plan.personTerm(key, hoisting.level + 1, build);
  hoisting.level = Math.max(hoisting.level, term.level);
  return sql.ref(`a.${term.alias}`);
}

function compileCall(scope: Scope, expression: Expr & { kind: 'call' }): RawBuilder<unknown> {
  const args = expression.args.map((argument) => compile(scope, argument));
  const [first, second, third] = args as [RawBuilder<unknown>, RawBuilder<unknown>, RawBuilder<unknown>];
  switch (expression.name) {
    case 'blank': {
      const kind = expression.args[0]?.type.kind;
      // A column is already normalised (blank text is NULL), so blank() is a NULL test.
      if (expression.args[0]?.kind === 'field' && kind !== 'set') return sql`((${first}) IS NULL)`;
      if (kind === 'set') return sql`(cardinality(${first}) = 0)`;
      if (kind === 'number' || kind === 'boolean') return sql`((${first}) IS NULL)`;
      return sql`(${trimmed(sql`(${first})::text`)} IS NOT DISTINCT FROM '' OR (${first}) IS NULL)`;
    }
    case 'length':
      return sql`length(${first})::float8`;
    case 'upper':
      return sql`upper(${first})`;
    case 'substr': {
      // JavaScript slice over PostgreSQL's substr positions: from = max(start, 1), to = max(start + count, 1).
      const from = sql`trunc(greatest((${second}), 1) - 1)`;
      const to = sql`trunc(greatest((${second}) + (${third}), 1) - 1)`;
      return sql`substring((${first}) FROM (${from})::int + 1 FOR greatest((${to}) - (${from}), 0)::int)`;
    }
    case 'startsWith':
      return sql`starts_with((${first}), (${second}))`;
    case 'matches': {
      const pattern = String((expression.args[1] as Expr & { kind: 'literal' }).value);
      const known = knownPatterns[pattern];
      if (known) return known(sql`(${first})`);
      return sql`((${first}) ~ ${postgresPattern(pattern)}::text)`;
    }
    case 'validDate': {
      if (!scope.hoisting) return validDateSql(sql`(${first})`);
      // The date as an integer in a layer below, checked by integer arithmetic.
      const number = helperTerm(scope, `dateNumber:${structuralKey(expression.args[0] as Expr)}`, () =>
        dateNumberSql(sql`(${first})`),
      );
      return sql`coalesce(${validDateNumberSql(number)}, false)`;
    }
    case 'validMonth':
      return validMonthSql(sql`(${first})`);
    case 'monthsBetween': {
      const from = sql`(${first})`;
      const to = sql`(${second})`;
      return sql`(CASE WHEN ${validMonthSql(from)} AND ${validMonthSql(to)}
        THEN ${monthIndexSql(to)} - ${monthIndexSql(from)} END)::float8`;
    }
    case 'idCheckOk': {
      if (!scope.hoisting) return idCheckSql(sql`(${first})`);
      // The 17 digits as one integer in a layer below, read by the check's arithmetic.
      const digits = helperTerm(scope, `idFirst17:${structuralKey(expression.args[0] as Expr)}`, () =>
        idFirst17Sql(sql`(${first})`),
      );
      return idCheckFromDigitsSql(sql`(${first})`, digits);
    }
    case 'idBirthDate': {
      if (!scope.hoisting) return idBirthDateSql(sql`(${first})`);
      const number = helperTerm(scope, `idBirthNumber:${structuralKey(expression.args[0] as Expr)}`, () =>
        idBirthNumberSql(sql`(${first})`),
      );
      return sql`(CASE WHEN ${validDateNumberSql(number)} THEN substr(${first}, 7, 8) END)`;
    }
    case 'idSex':
      return sql`(CASE WHEN length(${first}) >= 18 AND substr(${first}, 17, 1) IN ('0', '1', '2', '3', '4', '5', '6', '7', '8', '9')
        THEN CASE WHEN (ascii(substr(${first}, 17, 1)) - 48) % 2 = 1 THEN 'male' ELSE 'female' END END)`;
    case 'abs':
      return sql`abs(${first})`;
  }
}

// ---------------------------------------------------------------------------------------------
// The statement

interface CompiledCondition {
  code: string;
  condition: RawBuilder<unknown>;
}

function householdFilter(filter: RuleSqlFilter, alias: string): RawBuilder<unknown> {
  const parts = [
    sql`${sql.ref(`${alias}.status`)} = 'active'`,
    regionScopeCondition(filter.scope, `${alias}.region_code`),
  ];
  if (filter.householdIds)
    parts.push(sql`${sql.ref(`${alias}.id`)} = ANY (${filter.householdIds}::bigint[])`);
  return sql.join(parts, sql` AND `);
}

function normalisedColumns(alias: string, columns: Map<string, FieldDefinition>): RawBuilder<unknown> {
  const list = [...columns].map(
    ([column, field]) => sql`, ${normalisedColumn(alias, field)} AS ${sql.ref(`n_${column}`)}`,
  );
  return sql.join(list, sql``);
}

/**
 * The active persons of the filter, in layers kept apart by OFFSET 0 (so nothing is inlined and
 * recomputed at each reference): (a) the normalised columns the rules read, (b) the hoisted calls
 * and the birth dates as integers, (c) the age. Narrow rows: only what the rules read travels through joins and sorts.
 */
function personsSource(plan: StatementPlan, filter: RuleSqlFilter): RawBuilder<unknown> {
  const ids = filter.householdIds ? sql` AND p.household_id = ANY (${filter.householdIds}::bigint[])` : sql``;
  const layerA = sql`SELECT p.id, p.household_id, ${blankToNull(sql.ref('p.relation'))} = 'head' AS rule_is_head
      ${normalisedColumns('p', plan.personColumns)}
    FROM persons p
    WHERE p.status = 'active' AND ${regionScopeCondition(filter.scope, 'p.region_code')}${ids} OFFSET 0`;
  const birth = plan.needsAge
    ? sql`, CASE WHEN length(a.n_id_number) IN (18, 20, 22) THEN ${dateNumberSql(sql`substr(a.n_id_number, 7, 8)`)} END
        AS rule_id_birth, ${dateNumberSql(sql`a.n_birth_date`)} AS rule_birth_date`
    : sql``;
  let source = layerA;
  for (let level = 1; level <= plan.personCallLevels; level += 1) {
    const calls = [...plan.personCalls.values()]
      .filter((term) => term.level === level)
      .map((term) => sql`, ${term.sql} AS ${sql.ref(term.alias)}`);
    source = sql`SELECT a.*${level === 1 ? birth : sql``}${sql.join(calls, sql``)} FROM (${source}) AS a OFFSET 0`;
  }
  if (!plan.needsAge) return sql`(${source})`;
  return sql`(SELECT b.*, ${ageSql(plan, 'b')} AS rule_age FROM (${source}) AS b OFFSET 0)`;
}

/** The active households of the filter with the normalised columns the rules read. */
function householdsSource(plan: StatementPlan, filter: RuleSqlFilter): RawBuilder<unknown> {
  return sql`(SELECT h.id, h.region_code${normalisedColumns('h', plan.householdColumns)}
    FROM households h WHERE ${householdFilter(filter, 'h')} OFFSET 0)`;
}

function householdJoins(plan: StatementPlan, uses: Uses, ownAggregate: boolean): RawBuilder<unknown> {
  const joins: RawBuilder<unknown>[] = [];
  if (uses.income) {
    joins.push(sql`LEFT JOIN household_incomes i
      ON i.household_id = h.id AND i.year = ${plan.context.statisticsYear}::int`);
  }
  if (uses.risks) joins.push(sql`LEFT JOIN rk ON rk.household_id = h.id`);
  if (uses.measures) joins.push(sql`LEFT JOIN ms ON ms.household_id = h.id`);
  if (uses.memberAggregate && ownAggregate) joins.push(sql`LEFT JOIN hx ON hx.household_id = h.id`);
  return sql.join(joins, sql` `);
}

function hitArray(conditions: CompiledCondition[]): RawBuilder<unknown> {
  const cases = conditions.map(({ code, condition }) => sql`CASE WHEN ${condition} THEN ${code}::text END`);
  return sql`unnest(ARRAY[${sql.join(cases)}]::text[]) AS hit (rule_code)`;
}

function mergeUses(target: Uses, source: Uses): void {
  for (const key of Object.keys(target) as Array<keyof Uses>) target[key] ||= source[key];
}

/**
 * Every hit of the given rules (any mix of person and household scope, and the aggregate rules
 * ID-007/HH-008 by code) as ONE set-based statement. Columns: rule_code, household_id, person_id
 * (snake_case, so the CamelCasePlugin answers RuleHit and a Kysely subquery can select them).
 */
export function ruleHitsQuery(
  rules: readonly RuleForSql[],
  context: RuleSqlContext,
  filter: RuleSqlFilter,
): RawBuilder<RuleHit> {
  const plan = new StatementPlan(context);
  const personUses = noUses();
  const householdUses = noUses();
  const personConditions: CompiledCondition[] = [];
  const householdConditions: CompiledCondition[] = [];
  const aggregates = new Set<string>();
  for (const { code, rule } of rules) {
    if (isAggregateRuleCode(code)) {
      aggregates.add(code);
      continue;
    }
    if (!rule) throw new Error(`rule ${code} has no compiled condition`);
    if (rule.scope === 'person') {
      const scope: Scope = { plan, uses: personUses, person: 'p', insideMembers: false };
      personConditions.push({ code, condition: compile(scope, rule.ast) });
    } else {
      const scope: Scope = { plan, uses: householdUses, person: undefined, insideMembers: false };
      householdConditions.push({ code, condition: compile(scope, rule.ast) });
    }
  }

  const anyUses = noUses();
  mergeUses(anyUses, personUses);
  mergeUses(anyUses, householdUses);
  mergeUses(anyUses, plan.memberUses);

  const ctes: RawBuilder<unknown>[] = [];
  if (anyUses.risks) {
    const riskType = trimmed(sql.ref('r.risk_type'));
    const positions = [...plan.riskPositions].map(
      (position) =>
        sql`, (array_agg(${riskType}) FILTER (WHERE r.position = ${sql.lit(position)}))[1] AS ${sql.ref(`risk_${position}`)}`,
    );
    ctes.push(sql`rk AS MATERIALIZED (
      SELECT r.household_id, array_agg(${riskType} ORDER BY r.position) AS risks${sql.join(positions, sql``)}
      FROM household_risks r JOIN households h ON h.id = r.household_id
      WHERE ${householdFilter(filter, 'h')} AND ${trimmed(sql.ref('r.risk_type'))} <> ''
      GROUP BY r.household_id)`);
  }
  if (anyUses.measures) {
    const columns = [...plan.measureCategories].map(
      ([category, alias]) =>
        sql`array_agg(${trimmed(sql.ref('v.value'))}) FILTER (WHERE v.category = ${category}::text) AS ${sql.ref(alias)}`,
    );
    // Driven from the filter's households through the (household_id, …) key: a part of a full run is a
    // few per cent of the households, and joining it to all 0.8 M measure rows scanned them all.
    ctes.push(sql`ms AS MATERIALIZED (
      SELECT h.id AS household_id, v.*
      FROM households h CROSS JOIN LATERAL (
        SELECT count(*) AS measure_rows, ${sql.join(columns)}
        FROM household_measures v WHERE v.household_id = h.id AND ${trimmed(sql.ref('v.value'))} <> '') v
      WHERE ${householdFilter(filter, 'h')} AND v.measure_rows > 0)`);
  }
  // With both a member aggregate and person rules, the person source is computed once (a materialized
  // CTE) and read by both: at province scale computing it twice cost ~15 % of the statement.
  const sharedSource = anyUses.memberAggregate && personConditions.length > 0;
  if (sharedSource) ctes.push(sql`ps AS MATERIALIZED (SELECT * FROM ${personsSource(plan, filter)} AS s)`);
  const personRows = () => (sharedSource ? sql`ps` : personsSource(plan, filter));
  if (anyUses.memberAggregate) {
    const terms = [...plan.memberTerms.values()].map((term) => sql`, ${term.sql} AS ${sql.ref(term.alias)}`);
    const memberUses = plan.memberUses;
    const needsHousehold =
      memberUses.household || memberUses.income || memberUses.risks || memberUses.measures;
    const join = needsHousehold
      ? sql`JOIN ${householdsSource(plan, filter)} h ON h.id = m.household_id ${householdJoins(plan, memberUses, false)}`
      : sql``;
    ctes.push(sql`hx AS MATERIALIZED (
      SELECT m.household_id, count(*) AS size${sql.join(terms, sql``)}
      FROM ${personRows()} m ${join}
      GROUP BY m.household_id)`);
  }

  const parts: RawBuilder<unknown>[] = [];
  if (personConditions.length > 0) {
    parts.push(sql`SELECT hit.rule_code, p.household_id, p.id AS person_id
      FROM ${personRows()} p
      JOIN ${householdsSource(plan, filter)} h ON h.id = p.household_id ${householdJoins(plan, personUses, true)}
      CROSS JOIN LATERAL ${hitArray(personConditions)}
      WHERE hit.rule_code IS NOT NULL`);
  }
  if (householdConditions.length > 0) {
    parts.push(sql`SELECT hit.rule_code, h.id AS household_id, NULL::bigint AS person_id
      FROM ${householdsSource(plan, filter)} h ${householdJoins(plan, householdUses, true)}
      CROSS JOIN LATERAL ${hitArray(householdConditions)}
      WHERE hit.rule_code IS NOT NULL`);
  }
  // The aggregate rules compare against the whole registry, whatever the filter. Each key is computed
  // once per row (a materialized CTE read twice), and households are joined only to the few rows that
  // share a key: joining first and computing the key on both sides took 19 s at province scale, 11 s so.
  if (aggregates.has('ID-007')) {
    ctes.push(sql`id_keys AS MATERIALIZED (
      SELECT p.id, p.household_id, p.region_code, upper(left(${blankToNull(sql.ref('p.id_number'))}, 18)) AS key
      FROM persons p WHERE p.status = 'active')`);
    parts.push(sql`SELECT 'ID-007'::text AS rule_code, p.household_id, p.id AS person_id
      FROM id_keys p
      JOIN (SELECT key FROM id_keys WHERE key IS NOT NULL GROUP BY key HAVING count(*) >= 2) AS shared
        ON shared.key = p.key
      JOIN households h ON h.id = p.household_id
      WHERE ${regionScopeCondition(filter.scope, 'p.region_code')} AND ${householdFilter(filter, 'h')}`);
  }
  if (aggregates.has('HH-008')) {
    ctes.push(sql`phone_keys AS MATERIALIZED (
      SELECT h.id, h.region_code, ${blankToNull(sql.ref('h.household_phone'))} AS key
      FROM households h WHERE h.status = 'active')`);
    parts.push(sql`SELECT 'HH-008'::text AS rule_code, h.id AS household_id, NULL::bigint AS person_id
      FROM phone_keys k
      JOIN (SELECT key FROM phone_keys WHERE key IS NOT NULL
        GROUP BY key HAVING count(DISTINCT left(region_code, 6)) >= 2) AS shared ON shared.key = k.key
      JOIN households h ON h.id = k.id
      WHERE ${householdFilter(filter, 'h')}`);
  }
  if (parts.length === 0) {
    return sql<RuleHit>`SELECT NULL::text AS rule_code, NULL::bigint AS household_id, NULL::bigint AS person_id
      WHERE false`;
  }
  const withClause = ctes.length > 0 ? sql`WITH ${sql.join(ctes)} ` : sql``;
  return sql<RuleHit>`${withClause}${sql.join(parts, sql` UNION ALL `)}`;
}
