import {
  type CodeTableName,
  labelOf,
  measureCategories,
  type NationalColumn,
  nationalColumns,
} from '@shouwang/domain';

/**
 * The fields a cadre may edit, with how each is checked and shown. Labels come from the national
 * export's headers (one spelling for the platform); the few fields the export lacks are named here.
 */
export type FieldKind =
  | 'text'
  | 'month' // YYYYMM
  | 'date' // YYYY-MM-DD
  | 'number' // ≥ 0
  | 'integer' // ≥ 0
  | 'boolean'
  | 'phone'
  | 'idNumber'
  | 'personStatus'
  | { code: CodeTableName };

export interface EditableField {
  field: string;
  label: string;
  kind: FieldKind;
  maxLength?: number;
  max?: number;
  /** A blank value is refused. */
  required?: boolean;
}

/** Labels of fields that are not columns of the national export. */
const ownLabels: Record<string, string> = {
  status: '状态',
  policyEnjoyed: '是否享受政策',
  risks: '致贫/返贫风险',
  householdNo: '户编号',
  regionCode: '区划',
};

const nationalColumnsByField = new Map<string, NationalColumn>(
  nationalColumns.map((column) => [column.field, column]),
);

export function fieldLabel(field: string): string {
  return ownLabels[field] ?? nationalColumnsByField.get(field)?.header ?? field;
}

function field(name: string, kind: FieldKind, extra: Partial<EditableField> = {}): EditableField {
  return {
    field: name,
    label: fieldLabel(name),
    kind,
    maxLength: kind === 'text' ? 200 : undefined,
    ...extra,
  };
}

export const householdFields: EditableField[] = [
  field('householdType', { code: 'householdType' }),
  field('monitoringCategory', { code: 'monitoringCategory' }),
  field('identifiedAt', 'month'),
  field('riskEliminated', 'boolean'),
  field('eliminationMethod', { code: 'eliminationMethod' }),
  field('eliminatedAt', 'month'),
  field('otherNote', 'text', { maxLength: 500 }),
  field('policyEnjoyed', 'boolean'),
  field('householdPhone', 'phone'),
  field('noLabourSafetyNet', 'boolean'),
  field('arableLand', 'number'),
  field('forestLand', 'number'),
  field('returnedFarmland', 'number'),
  field('orchardLand', 'number'),
  field('pastureLand', 'number'),
  field('waterSurface', 'number'),
  field('distanceToRoad', 'number'),
  field('roadHardened', 'boolean'),
  field('housingArea', 'number'),
  field('dangerousHouse', 'boolean'),
  field('hasElectricity', 'boolean'),
  field('hasSanitaryToilet', 'boolean'),
  field('safeDrinkingWater', 'boolean'),
  field('childDropout', 'boolean'),
  field('uninsuredMember', 'boolean'),
  field('developmentAssistance', 'text', { maxLength: 50 }),
  field('publicJobAssistanceNote', 'text', { maxLength: 500 }),
  field('collectorName', 'text', { maxLength: 50 }),
  field('collectorPhone', 'phone'),
];

export const personFields: EditableField[] = [
  field('name', 'text', { maxLength: 50, required: true }),
  field('idNumber', 'idNumber', { required: true }),
  field('idType', { code: 'idType' }),
  field('relation', { code: 'relation' }, { required: true }),
  field('gender', { code: 'gender' }),
  field('birthDate', 'date'),
  field('ethnicity', 'text', { maxLength: 20 }),
  field('phone', 'phone'),
  field('workLocation', { code: 'workLocation' }),
  field('employmentChannel', 'text', { maxLength: 100 }),
  field('education', { code: 'education' }),
  field('schooling', { code: 'schooling' }),
  field('nonAttendanceReason', 'text', { maxLength: 100 }),
  field('health', { code: 'health' }),
  field('laborSkill', { code: 'laborSkill' }),
  field('publicJob', 'text', { maxLength: 100 }),
  field('publicJobMonths', 'integer', { max: 12 }),
  field('residentMedicalInsurance', 'boolean'),
  field('employeeMedicalInsurance', 'boolean'),
  field('criticalIllnessInsurance', 'boolean'),
  field('medicalAid', 'boolean'),
  field('residentPension', 'boolean'),
  field('employeePension', 'boolean'),
  field('dibao', { code: 'dibao' }),
  field('tekun', { code: 'tekun' }),
  field('tekunAllowance', 'number'),
  field('status', 'personStatus', { required: true }),
];

export const personStatusLabels: Record<string, string> = {
  active: '正常',
  deceased: '已故',
  moved_out: '迁出',
  absent: '国家系统中已无',
};

export const householdStatusLabels: Record<string, string> = {
  active: '正常',
  absent: '国家系统中已无',
};

/** Fields whose values are personal data: masked in the change history like everywhere else. */
export const personalDataFields = new Set(['idNumber', 'phone', 'householdPhone', 'collectorPhone']);

const fieldsByName = new Map<string, EditableField>(
  [...householdFields, ...personFields].map((definition) => [definition.field, definition]),
);

/** How a history value of a field reads, e.g. `lifted` → 脱贫户, `true` → 是. */
export function displayValue(fieldName: string, value: string | null): string | null {
  if (value === null || value === '') return null;
  if (fieldName === 'risks')
    return splitList(value)
      .map((code) => labelOf('riskType', code))
      .join('、');
  if (fieldName.startsWith('risk') && /^risk\d$/.test(fieldName)) return labelOf('riskType', value);
  if (fieldName === 'status') return personStatusLabels[value] ?? value;
  const column = nationalColumnsByField.get(fieldName);
  const kind = fieldsByName.get(fieldName)?.kind ?? column?.kind;
  if (kind === 'boolean') return booleanLabel(value);
  if (kind && typeof kind === 'object' && 'code' in kind) return labelOf(kind.code, value);
  return value;
}

function booleanLabel(value: string): string {
  if (['true', 't', '1', '是'].includes(value)) return '是';
  if (['false', 'f', '0', '否'].includes(value)) return '否';
  return value;
}

function splitList(value: string): string[] {
  return value
    .split(/[,，、;]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** 户信息 / 成员 / 2023 年收入 / 风险 / 帮扶措施: the part of the household a history row is about. */
export function entityLabel(entity: string): string {
  if (entity === 'household') return '户信息';
  if (entity === 'person') return '成员信息';
  if (entity === 'risks') return '致贫/返贫风险';
  if (entity === 'measures') return '帮扶措施';
  const income = /^income:(\d{4})$/.exec(entity);
  if (income) return `${income[1]} 年收入`;
  return entity;
}

/** Measure history rows name the category in `field`. */
export function historyFieldLabel(entity: string, fieldName: string): string {
  if (entity === 'measures') {
    return measureCategories.find((category) => category.code === fieldName)?.header ?? fieldLabel(fieldName);
  }
  return fieldLabel(fieldName);
}

export function sourceLabel(source: string): string {
  if (source === 'national_sync') return '国家系统同步';
  if (source === 'cadre') return '干部编辑';
  if (source === 'rule_fix') return '规则修正';
  if (source === 'monitoring') return '监测审定';
  if (source.startsWith('department:')) return `部门数据:${source.slice('department:'.length)}`;
  return source;
}
