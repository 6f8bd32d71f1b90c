import {
  type CompiledRule,
  type EvaluationOptions,
  type Expr,
  evaluateRule,
  type HouseholdInput,
  type PersonInput,
  parseRule,
} from '@shouwang/rules';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { HouseholdDetail, Member } from '../registry/service.ts';
import { beijingToday } from '../registry/validation.ts';
import { qualityService, type Rule, useRulesQuery } from './service.ts';

/**
 * What the enabled rules say about a record while it is being edited: the same rules and the same
 * evaluator as the server's re-check, run in the browser over the form's draft. Warnings only — the
 * server decides on save.
 */

export interface CheckableRule {
  rule: Rule;
  compiled: CompiledRule;
  /** Fields the rule reads, as `person.idNumber`, `household.householdPhone` … */
  fields: Set<string>;
}

export interface RuleWarning {
  rule: Rule;
  /** Members a person rule fires for (empty for a household rule). */
  members: Array<{ id: string; name: string | null }>;
}

// Shown masked to most users: a rule reading them cannot be judged from the masked text.
const maskedFields = [
  'person.idNumber',
  'person.phone',
  'household.householdPhone',
  'household.collectorPhone',
];

function collectFields(expression: Expr, into: Set<string>): Set<string> {
  const node = expression as Expr & Record<string, unknown>;
  if (node.kind === 'field') {
    into.add(`${node.field.source === 'person' ? 'person' : 'household'}.${node.field.name}`);
    return into;
  }
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value)
        if (item && typeof item === 'object' && 'kind' in item) collectFields(item as Expr, into);
    } else if (value && typeof value === 'object' && 'kind' in value && 'span' in value) {
      collectFields(value as Expr, into);
    }
  }
  return into;
}

/** Enabled expression rules, compiled once per rule list. */
export function compileRules(rules: Rule[]): CheckableRule[] {
  const compiled: CheckableRule[] = [];
  for (const rule of rules) {
    if (!rule.enabled || rule.kind !== 'expression' || !rule.whenText) continue;
    const parsed = parseRule(rule.whenText, rule.scope);
    if (!parsed.ok) continue;
    compiled.push({ rule, compiled: parsed.rule, fields: collectFields(parsed.ast, new Set()) });
  }
  return compiled;
}

function codeOrValue(value: unknown): unknown {
  if (value && typeof value === 'object' && 'code' in value) return (value as { code: string }).code;
  return value;
}

function isMasked(value: unknown): boolean {
  return typeof value === 'string' && value.includes('*');
}

function memberInput(member: Member): PersonInput {
  const input: PersonInput = { id: member.id };
  for (const [key, value] of Object.entries(member)) {
    if (key !== 'id') input[key] = codeOrValue(value) as PersonInput[string];
  }
  return input;
}

/** The household as the evaluator reads it, with the form's values over the loaded ones. */
export function draftHousehold(
  household: HouseholdDetail,
  changes: { household?: Record<string, unknown>; member?: { id: string; values: Record<string, unknown> } },
): HouseholdInput {
  const input: HouseholdInput = { members: [], incomes: {}, risks: [], measures: {} };
  for (const [key, value] of Object.entries(household)) {
    if (['members', 'incomes', 'risks', 'measures', 'regionPath'].includes(key)) continue;
    input[key] = codeOrValue(value);
  }
  const risks: Array<string | null> = [];
  for (const risk of household.risks) risks[risk.position - 1] = risk.riskType.code;
  input.risks = Array.from(risks, (risk) => risk ?? null);
  for (const measure of household.measures) {
    (input.measures as Record<string, string[]>)[measure.category.code] = measure.values;
  }
  for (const income of household.incomes) {
    (input.incomes as Record<number, Record<string, unknown>>)[income.year] = { ...income };
  }
  for (const [key, value] of Object.entries(changes.household ?? {})) {
    if (key === 'risks') input.risks = Array.isArray(value) ? (value as string[]) : [];
    // Blank phones mean "keep" in the form.
    else if ((key === 'householdPhone' || key === 'collectorPhone') && (value === undefined || value === ''))
      continue;
    else input[key] = value === undefined || value === '' ? null : value;
  }
  for (const member of household.members) {
    const person = memberInput(member);
    if (changes.member?.id === member.id) {
      for (const [key, value] of Object.entries(changes.member.values)) {
        if ((key === 'idNumber' || key === 'phone') && (value === undefined || value === '')) continue;
        person[key] = (value === undefined || value === '' ? null : value) as PersonInput[string];
      }
    }
    if (person.status === 'active') input.members.push(person);
  }
  return input;
}

/**
 * Rules that fire on the draft. A field shown masked (ID number, phones) cannot be judged here: a
 * household rule reading it is left to the server, a person rule keeps only members whose value was typed.
 */
export function warningsFor(
  rules: CheckableRule[],
  household: HouseholdInput,
  options: EvaluationOptions,
  names: Map<string, string | null>,
): RuleWarning[] {
  const warnings: RuleWarning[] = [];
  for (const checkable of rules) {
    const personFields = maskedFields
      .filter((field) => field.startsWith('person.') && checkable.fields.has(field))
      .map((field) => field.slice('person.'.length));
    const householdMasked = maskedFields.some(
      (field) =>
        field.startsWith('household.') &&
        checkable.fields.has(field) &&
        isMasked(household[field.slice('household.'.length)]),
    );
    if (householdMasked) continue;
    const memberMasked = (member: PersonInput) => personFields.some((field) => isMasked(member[field]));
    if (checkable.rule.scope === 'household' && household.members.some(memberMasked)) continue;
    const result = evaluateRule(checkable.compiled, household, options);
    if (result === true) warnings.push({ rule: checkable.rule, members: [] });
    else if (Array.isArray(result)) {
      const fired = result.filter((id) => {
        const member = household.members.find((candidate) => candidate.id === id);
        return member !== undefined && !memberMasked(member);
      });
      if (fired.length > 0) {
        warnings.push({
          rule: checkable.rule,
          members: fired.map((id) => ({ id, name: names.get(id) ?? null })),
        });
      }
    }
  }
  return warnings;
}

/**
 * The rules and settings the warnings use: the enabled rules (GET /rules, readable with quality:read)
 * and the reference date, statistics year and income line of the latest full run (GET /runs); with no
 * run yet, today and no income line (rules reading `line` then stay silent).
 */
export function useRuleChecker(enabled: boolean) {
  const rules = useRulesQuery(enabled);
  const latestRun = useQuery({
    queryKey: ['quality', 'runs', 'latest-settings'],
    queryFn: () => qualityService.runs(1, 1),
    enabled,
    staleTime: 5 * 60_000,
  });
  const compiled = useMemo(() => compileRules(rules.data?.items ?? []), [rules.data]);
  const options = useMemo<EvaluationOptions>(() => {
    const settings = latestRun.data?.items[0]?.settings;
    const referenceDate = settings?.referenceDate ?? beijingToday();
    return {
      referenceDate,
      statisticsYear: settings?.statisticsYear ?? Number(referenceDate.slice(0, 4)),
      incomeLine: settings?.incomeLine ?? null,
    };
  }, [latestRun.data]);
  return { ready: rules.isSuccess && !latestRun.isPending, rules: compiled, options };
}
