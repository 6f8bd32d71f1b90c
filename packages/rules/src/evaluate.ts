import { birthDateOf, genderOf, hasValidCheckDigit, parseYyyymmdd } from '@shouwang/domain';
import type { CompiledRule, Expr, Scalar } from './ast.ts';
import type { FieldDefinition } from './fields.ts';
import { isValidMonth } from './parser.ts';

/** Field values as read from the registry (numeric columns may arrive as strings from pg). */
export type RowValue = string | number | boolean | Date | null | undefined;
export interface PersonInput {
  id: string;
  [field: string]: RowValue;
}
export interface HouseholdInput {
  [field: string]: unknown;
  /** Active members only. */
  members: PersonInput[];
  /** Income rows keyed by year. */
  incomes?: Record<number, Record<string, RowValue> | undefined>;
  /**
   * Risk codes by position: index 0 is 致贫/返贫风险1 … index 4 is 致贫/返贫风险5 (null or blank for an
   * empty column). As the set `risks`, blank positions are ignored.
   */
  risks?: Array<string | null | undefined>;
  /** Measure values by category code. */
  measures?: Record<string, string[] | undefined>;
}
export interface EvaluationOptions {
  /** Statistics reference date, YYYY-MM-DD (or a Date, read in UTC). */
  referenceDate: string | Date;
  statisticsYear: number;
  /** Monitoring income line of the statistics year; `line` is unknown without it. */
  incomeLine?: number | null;
}

type Value = Scalar | string[] | null;

interface Environment {
  household: HouseholdInput;
  income: Record<string, RowValue> | undefined;
  head: PersonInput | undefined;
  referenceDate: string; // YYYYMMDD
  referenceMonth: string;
  line: number | null;
}

type Evaluator = (environment: Environment, person: PersonInput | undefined) => Value;

/** Blank text (after trimming) is unknown, exactly like a NULL column. */
function normalise(value: unknown, field: FieldDefinition): Value {
  if (value === null || value === undefined) return field.blankAs ?? null;
  switch (field.type) {
    case 'number': {
      if (typeof value === 'number') return Number.isFinite(value) ? value : null;
      const text = String(value).trim();
      if (text === '') return null;
      const number = Number(text);
      return Number.isFinite(number) ? number : null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) return null;
        // pg returns a DATE as local midnight; read it back in local time.
        const month = String(value.getMonth() + 1).padStart(2, '0');
        const day = String(value.getDate()).padStart(2, '0');
        return `${value.getFullYear()}${month}${day}`;
      }
      const text = String(value).trim().replace(/-/g, '');
      return text === '' ? null : text;
    }
    default: {
      const text = String(value).trim();
      return text === '' ? (field.blankAs ?? null) : text;
    }
  }
}

/** Whole years from YYYYMMDD `birth` to `at`; a 29 February birthday is reached on 1 March. */
export function wholeYears(birth: string, at: string): number {
  const years = Number(at.slice(0, 4)) - Number(birth.slice(0, 4));
  return at.slice(4) < birth.slice(4) ? years - 1 : years;
}

function birthOf(person: PersonInput): string | null {
  const idNumber = typeof person.idNumber === 'string' ? person.idNumber.trim() : '';
  const fromId = idNumber ? birthDateOf(idNumber) : undefined;
  if (fromId) return idNumber.slice(6, 14);
  const birthDate = normalise(person.birthDate, {
    name: 'birthDate',
    type: 'date',
    source: 'person',
    label: '',
  });
  return typeof birthDate === 'string' && parseYyyymmdd(birthDate) ? birthDate : null;
}

function readField(field: FieldDefinition, subject: Expr & { kind: 'field' }): Evaluator {
  if (field.computed === 'age') {
    const pick = subject.subject === 'head' ? (environment: Environment) => environment.head : undefined;
    return (environment, person) => {
      const target = pick ? pick(environment) : person;
      if (!target) return null;
      const birth = birthOf(target);
      return birth === null ? null : wholeYears(birth, environment.referenceDate);
    };
  }
  if (field.computed === 'size') return (environment) => environment.household.members.length;
  if (field.computed === 'line') return (environment) => environment.line;
  if (field.computed === 'referenceMonth') return (environment) => environment.referenceMonth;
  if (field.computed === 'referenceDate') return (environment) => environment.referenceDate;
  const name = field.name;
  switch (field.source) {
    case 'person':
      if (subject.subject === 'head') {
        return (environment) => (environment.head ? normalise(environment.head[name], field) : null);
      }
      return (_environment, person) => (person ? normalise(person[name], field) : null);
    case 'household':
      return (environment) => normalise(environment.household[name], field);
    case 'income':
      return (environment) => (environment.income ? normalise(environment.income[name], field) : null);
    case 'risks': {
      const position = field.position;
      if (position !== undefined) {
        return (environment) => normalise(environment.household.risks?.[position - 1], field);
      }
      return (environment) =>
        (environment.household.risks ?? [])
          .map((value) => (typeof value === 'string' ? value.trim() : ''))
          .filter((value) => value !== '');
    }
    case 'measures': {
      const category = field.category as string;
      return (environment) =>
        (environment.household.measures?.[category] ?? [])
          .map((value) => value.trim())
          .filter((value) => value !== '');
    }
    default:
      return () => null;
  }
}

const text = (value: Value) => (typeof value === 'string' ? value : null);

function compileExpression(expression: Expr): Evaluator {
  switch (expression.kind) {
    case 'literal': {
      const value = expression.value;
      return () => value;
    }
    case 'field':
      return readField(expression.field, expression);
    case 'compare': {
      const left = compileExpression(expression.left);
      const right = compileExpression(expression.right);
      const op = expression.op;
      return (environment, person) => {
        const a = left(environment, person);
        const b = right(environment, person);
        if (a === null || b === null) return null;
        switch (op) {
          case '=':
            return a === b;
          case '!=':
            return a !== b;
          case '<':
            return a < b;
          case '<=':
            return a <= b;
          case '>':
            return a > b;
          case '>=':
            return a >= b;
        }
      };
    }
    case 'inList': {
      const operand = compileExpression(expression.operand);
      const values = new Set<Scalar>(expression.values);
      const negated = expression.negated;
      return (environment, person) => {
        const value = operand(environment, person);
        if (value === null) return null;
        return values.has(value as Scalar) !== negated;
      };
    }
    case 'inSet': {
      const operand = compileExpression(expression.operand);
      const set = compileExpression(expression.set);
      const negated = expression.negated;
      return (environment, person) => {
        const value = operand(environment, person);
        if (value === null) return null;
        return (set(environment, person) as string[]).includes(value as string) !== negated;
      };
    }
    case 'arithmetic': {
      const left = compileExpression(expression.left);
      const right = compileExpression(expression.right);
      const op = expression.op;
      return (environment, person) => {
        const a = left(environment, person) as number | null;
        const b = right(environment, person) as number | null;
        if (a === null || b === null) return null;
        if (op === '+') return a + b;
        if (op === '-') return a - b;
        if (op === '*') return a * b;
        return b === 0 ? null : a / b;
      };
    }
    case 'negate': {
      const operand = compileExpression(expression.operand);
      return (environment, person) => {
        const value = operand(environment, person) as number | null;
        return value === null ? null : -value;
      };
    }
    case 'logical': {
      const left = compileExpression(expression.left);
      const right = compileExpression(expression.right);
      if (expression.op === 'and') {
        return (environment, person) => {
          const a = left(environment, person);
          if (a === false) return false;
          const b = right(environment, person);
          if (b === false) return false;
          return a === null || b === null ? null : true;
        };
      }
      return (environment, person) => {
        const a = left(environment, person);
        if (a === true) return true;
        const b = right(environment, person);
        if (b === true) return true;
        return a === null || b === null ? null : false;
      };
    }
    case 'not': {
      const operand = compileExpression(expression.operand);
      return (environment, person) => {
        const value = operand(environment, person);
        return value === null ? null : !value;
      };
    }
    case 'members': {
      const body = compileExpression(expression.body);
      const name = expression.name;
      return (environment) => {
        const members = environment.household.members;
        let count = 0;
        for (const member of members) {
          const fires = body(environment, member) === true;
          if (name === 'any' && fires) return true;
          if (name === 'all' && !fires) return false;
          if (fires) count += 1;
        }
        if (name === 'count') return count;
        return name === 'all';
      };
    }
    case 'call':
      return compileCall(expression);
  }
}

function compileCall(expression: Expr & { kind: 'call' }): Evaluator {
  const args = expression.args.map(compileExpression);
  const [first, second, third] = args as [Evaluator, Evaluator | undefined, Evaluator | undefined];
  switch (expression.name) {
    case 'blank':
      return (environment, person) => {
        const value = first(environment, person);
        if (Array.isArray(value)) return value.length === 0;
        return value === null || (typeof value === 'string' && value.trim() === '');
      };
    case 'length':
      return (environment, person) => text(first(environment, person))?.length ?? null;
    case 'upper':
      return (environment, person) => text(first(environment, person))?.toUpperCase() ?? null;
    case 'substr':
      return (environment, person) => {
        const value = text(first(environment, person));
        const start = (second as Evaluator)(environment, person) as number | null;
        const count = (third as Evaluator)(environment, person) as number | null;
        if (value === null || start === null || count === null) return null;
        // PostgreSQL substr semantics: positions before 1 still count towards `count`.
        const from = Math.max(start, 1);
        const to = Math.max(start + count, 1);
        return value.slice(from - 1, to - 1);
      };
    case 'startsWith':
      return (environment, person) => {
        const value = text(first(environment, person));
        const prefix = text((second as Evaluator)(environment, person));
        return value === null || prefix === null ? null : value.startsWith(prefix);
      };
    case 'matches': {
      const pattern = new RegExp((expression.args[1] as Expr & { kind: 'literal' }).value as string);
      return (environment, person) => {
        const value = text(first(environment, person));
        return value === null ? null : pattern.test(value);
      };
    }
    case 'validDate':
      return (environment, person) => {
        const value = text(first(environment, person));
        return value !== null && parseYyyymmdd(value) !== undefined;
      };
    case 'validMonth':
      return (environment, person) => {
        const value = text(first(environment, person));
        return value !== null && isValidMonth(value);
      };
    case 'monthsBetween':
      return (environment, person) => {
        const from = text(first(environment, person));
        const to = text((second as Evaluator)(environment, person));
        if (from === null || to === null || !isValidMonth(from) || !isValidMonth(to)) return null;
        const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(4));
        return index(to) - index(from);
      };
    case 'idCheckOk':
      return (environment, person) => {
        const value = text(first(environment, person));
        return value !== null && value.length >= 18 && hasValidCheckDigit(value.slice(0, 18));
      };
    case 'idBirthDate':
      return (environment, person) => {
        const value = text(first(environment, person));
        return value !== null && birthDateOf(value) ? value.slice(6, 14) : null;
      };
    case 'idSex':
      return (environment, person) => {
        const value = text(first(environment, person));
        return value === null ? null : (genderOf(value) ?? null);
      };
    case 'abs':
      return (environment, person) => {
        const value = first(environment, person) as number | null;
        return value === null ? null : Math.abs(value);
      };
  }
}

/** Closures built once per compiled rule, so evaluating many households costs no re-compilation. */
const prepared = new WeakMap<CompiledRule, Evaluator>();

function evaluatorOf(rule: CompiledRule): Evaluator {
  let run = prepared.get(rule);
  if (!run) {
    run = compileExpression(rule.ast);
    prepared.set(rule, run);
  }
  return run;
}

function referenceDateText(date: string | Date): string {
  if (date instanceof Date) return date.toISOString().slice(0, 10).replace(/-/g, '');
  return date.replace(/-/g, '');
}

/**
 * Household rule: whether it fires. Person rule: the ids of the members it fires for.
 * A rule fires only when its condition is true (unknown does not fire).
 */
export function evaluateRule(
  rule: CompiledRule,
  household: HouseholdInput,
  options: EvaluationOptions,
): boolean | string[] {
  const run = evaluatorOf(rule);
  const heads = household.members.filter((member) => normalise(member.relation, relationField) === 'head');
  const referenceDate = referenceDateText(options.referenceDate);
  const environment: Environment = {
    household,
    income: household.incomes?.[options.statisticsYear],
    head: heads.length === 1 ? heads[0] : undefined,
    referenceDate,
    referenceMonth: referenceDate.slice(0, 6),
    line: options.incomeLine ?? null,
  };
  if (rule.scope === 'household') return run(environment, undefined) === true;
  const fired: string[] = [];
  for (const member of household.members) {
    if (run(environment, member) === true) fired.push(member.id);
  }
  return fired;
}

const relationField: FieldDefinition = {
  name: 'relation',
  type: 'code:relation',
  source: 'person',
  label: '',
};
