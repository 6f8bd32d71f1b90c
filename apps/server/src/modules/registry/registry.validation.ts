import {
  beijingToday,
  birthDateMismatch,
  birthDateOf,
  type CodeItem,
  codeTables,
  dateProblem,
  genderMismatch,
  genderOf,
  hasValidIdFormat,
  idNumberProblem,
  isPlaceholderId,
  monthProblem,
  phoneProblem,
} from '@shouwang/domain';
import type { EditableField } from './registry.fields.ts';

/** A field's value in one comparable form: what the form sends and what the row holds compare equal. */
export type FieldValue = string | number | boolean | null;

export interface FieldChange {
  definition: EditableField;
  oldValue: FieldValue;
  newValue: FieldValue;
}

export interface ChangeSet {
  changes: FieldChange[];
  /** field → zh-CN message */
  errors: Record<string, string>;
}

const settablePersonStatuses = ['active', 'deceased', 'moved_out'];

/** The value as stored, in the comparable form (numeric columns arrive as strings). */
export function currentValue(definition: EditableField, stored: unknown): FieldValue {
  if (stored === null || stored === undefined) return null;
  if (definition.kind === 'number' || definition.kind === 'integer') return Number(stored);
  if (typeof stored === 'boolean' || typeof stored === 'number') return stored;
  return String(stored);
}

/**
 * Brings a submitted value to the comparable form and checks its shape. Returns an error message for a
 * value that cannot be what the field holds at all; the rules of the business come in `checkValue`.
 */
function normalise(definition: EditableField, submitted: unknown): { value: FieldValue } | { error: string } {
  const { kind, label } = definition;
  if (submitted === null || (typeof submitted === 'string' && submitted.trim() === ''))
    return { value: null };
  if (kind === 'boolean') {
    return typeof submitted === 'boolean' ? { value: submitted } : { error: `请选择${label}` };
  }
  if (kind === 'number' || kind === 'integer') {
    const number = typeof submitted === 'number' ? submitted : Number(String(submitted).trim());
    if (!Number.isFinite(number)) return { error: `${label}应为数字` };
    return { value: number };
  }
  if (typeof submitted !== 'string' && typeof submitted !== 'number') return { error: `${label}格式不正确` };
  const text = String(submitted).trim();
  if (kind === 'idNumber') return { value: text.toUpperCase() };
  return { value: text };
}

/** The rules one value must follow, whatever the others are. */
function checkValue(definition: EditableField, value: FieldValue, today: string): string | undefined {
  const { kind, label } = definition;
  if (value === null) return definition.required ? `请填写${label}` : undefined;
  if (kind === 'text') {
    const length = [...String(value)].length;
    if (definition.maxLength !== undefined && length > definition.maxLength) {
      return `${label}不能超过 ${definition.maxLength} 个字`;
    }
    return undefined;
  }
  if (kind === 'number' || kind === 'integer') {
    const number = Number(value);
    if (number < 0) return `${label}不能为负数`;
    if (kind === 'integer' && !Number.isInteger(number)) return `${label}应为整数`;
    if (definition.max !== undefined && number > definition.max) return `${label}不能大于 ${definition.max}`;
    if (number > 1e9) return `${label}数值过大，请核对`;
    return undefined;
  }
  if (kind === 'month') return monthProblem(label, String(value), today);
  if (kind === 'date') return dateProblem(label, String(value), today);
  if (kind === 'phone') return phoneProblem(label, String(value));
  if (kind === 'idNumber') return idNumberProblem(String(value), today);
  if (kind === 'personStatus') {
    return settablePersonStatuses.includes(String(value)) ? undefined : `${label}只能是正常、已故或迁出`;
  }
  if (typeof kind === 'object') {
    const known = (codeTables[kind.code] as readonly CodeItem[]).some((item) => item.code === value);
    return known ? undefined : `${label}「${String(value)}」不是有效的选项`;
  }
  return undefined;
}

/**
 * Compares the submitted fields with the row and checks the values that change. Values that do not
 * change are left alone: data imported with a flaw must not block the edit of another field.
 */
export function buildChangeSet(
  definitions: EditableField[],
  submitted: Record<string, unknown>,
  stored: Record<string, unknown>,
  today: string = beijingToday(),
): ChangeSet {
  const changes: FieldChange[] = [];
  const errors: Record<string, string> = {};
  for (const definition of definitions) {
    if (!(definition.field in submitted) || submitted[definition.field] === undefined) continue;
    const normalised = normalise(definition, submitted[definition.field]);
    if ('error' in normalised) {
      errors[definition.field] = normalised.error;
      continue;
    }
    const oldValue = currentValue(definition, stored[definition.field]);
    if (normalised.value === oldValue) continue;
    const error = checkValue(definition, normalised.value, today);
    if (error) errors[definition.field] = error;
    else changes.push({ definition, oldValue, newValue: normalised.value });
  }
  return { changes, errors };
}

/** The record as it will be after the changes, for rules across fields. */
export function mergedRecord(
  stored: Record<string, unknown>,
  changes: FieldChange[],
): Record<string, FieldValue> {
  const merged: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(stored)) merged[key] = value as FieldValue;
  for (const change of changes) merged[change.definition.field] = change.newValue;
  return merged;
}

/**
 * ID number, birth date, gender and ID type must agree. The message goes to the field the cadre changed
 * (the ID when both changed), so the form shows it where the mistake was made.
 */
export function checkPersonConsistency(
  merged: Record<string, FieldValue>,
  changed: Set<string>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const idNumber = typeof merged.idNumber === 'string' ? merged.idNumber : null;
  const involved = ['idNumber', 'birthDate', 'gender', 'idType'].some((name) => changed.has(name));
  if (!involved || !idNumber || !hasValidIdFormat(idNumber) || isPlaceholderId(idNumber)) return errors;
  const blame = (field: string) => (changed.has(field) ? field : 'idNumber');

  if (merged.idType === 'resident_id' && idNumber.length !== 18) {
    errors[blame('idType')] = '居民身份证号码应为 18 位';
  }
  const birth = birthDateOf(idNumber)?.toISOString().slice(0, 10);
  const birthDate = typeof merged.birthDate === 'string' ? merged.birthDate : null;
  if (birth && birthDate && birth !== birthDate && (changed.has('birthDate') || changed.has('idNumber'))) {
    errors[blame('birthDate')] = birthDateMismatch(birth);
  }
  const idGender = genderOf(idNumber);
  const gender = typeof merged.gender === 'string' ? merged.gender : null;
  if (idGender && gender && idGender !== gender && (changed.has('gender') || changed.has('idNumber'))) {
    errors[blame('gender')] = genderMismatch(idGender);
  }
  return errors;
}

export function checkHouseholdConsistency(
  merged: Record<string, FieldValue>,
  changed: Set<string>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const identifiedAt = typeof merged.identifiedAt === 'string' ? merged.identifiedAt : null;
  const eliminatedAt = typeof merged.eliminatedAt === 'string' ? merged.eliminatedAt : null;
  if (
    identifiedAt &&
    eliminatedAt &&
    /^\d{6}$/.test(identifiedAt) &&
    eliminatedAt < identifiedAt &&
    (changed.has('identifiedAt') || changed.has('eliminatedAt'))
  ) {
    errors[changed.has('eliminatedAt') ? 'eliminatedAt' : 'identifiedAt'] =
      '消除监测时间不能早于识别监测时间';
  }
  return errors;
}

/** Up to five distinct, known risk types, in the order given. */
export function checkRiskTypes(riskTypes: string[]): string | undefined {
  if (riskTypes.length > 5) return '致贫/返贫风险最多 5 项';
  if (new Set(riskTypes).size !== riskTypes.length) return '致贫/返贫风险不能重复';
  const unknown = riskTypes.find(
    (code) => !(codeTables.riskType as readonly CodeItem[]).some((item) => item.code === code),
  );
  return unknown === undefined ? undefined : `致贫/返贫风险「${unknown}」不是有效的选项`;
}

/** How a value is written into field_history: codes, `true`/`false`, YYYY-MM-DD, plain numbers. */
export function historyText(value: FieldValue): string | null {
  if (value === null) return null;
  return String(value);
}
