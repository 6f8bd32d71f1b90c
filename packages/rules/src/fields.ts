import { type CodeTableName, measureCategories, nationalColumns } from '@shouwang/domain';

/**
 * The field catalog of the rule language: every registry field a rule may read, with its type and
 * where it lives. `column` is the snake_case SQL column for the later SQL compiler.
 */
export type FieldTypeName =
  | 'text'
  | 'number'
  | 'boolean'
  | 'date' // YYYYMMDD
  | 'month' // YYYYMM text
  | `code:${CodeTableName}`
  | `set:${CodeTableName}`
  | 'set:text';

export type FieldSource = 'person' | 'household' | 'income' | 'risks' | 'measures' | 'setting';

export interface FieldDefinition {
  name: string;
  type: FieldTypeName;
  source: FieldSource;
  /** SQL column, absent for computed fields. */
  column?: string;
  /** Computed from other fields or settings rather than read from a column. */
  computed?: 'age' | 'size' | 'line' | 'referenceMonth' | 'referenceDate';
  /** Code a blank value stands for (证件类型: blank means 居民身份证). */
  blankAs?: string;
  /** Measure category of a `measures.<category>` field. */
  category?: string;
  /** Position (1–5) of a single 致贫/返贫风险 column (`risk1` … `risk5`). */
  position?: number;
  /** The national export's header, shown in messages. */
  label: string;
}

const headers = new Map(nationalColumns.map((column) => [column.field, column.header]));

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function columnField(source: FieldSource, name: string, type: FieldTypeName): FieldDefinition {
  return { name, type, source, column: snakeCase(name), label: headers.get(name) ?? name };
}

const personFieldList: FieldDefinition[] = [
  columnField('person', 'personNo', 'text'),
  columnField('person', 'name', 'text'),
  columnField('person', 'idNumber', 'text'),
  { ...columnField('person', 'idType', 'code:idType'), blankAs: 'resident_id' },
  columnField('person', 'relation', 'code:relation'),
  columnField('person', 'gender', 'code:gender'),
  columnField('person', 'birthDate', 'date'),
  columnField('person', 'ethnicity', 'text'),
  columnField('person', 'phone', 'text'),
  columnField('person', 'workLocation', 'code:workLocation'),
  columnField('person', 'employmentChannel', 'text'),
  columnField('person', 'education', 'code:education'),
  columnField('person', 'schooling', 'code:schooling'),
  columnField('person', 'nonAttendanceReason', 'text'),
  columnField('person', 'health', 'code:health'),
  columnField('person', 'laborSkill', 'code:laborSkill'),
  columnField('person', 'publicJob', 'text'),
  columnField('person', 'publicJobMonths', 'number'),
  columnField('person', 'residentMedicalInsurance', 'boolean'),
  columnField('person', 'employeeMedicalInsurance', 'boolean'),
  columnField('person', 'criticalIllnessInsurance', 'boolean'),
  columnField('person', 'medicalAid', 'boolean'),
  columnField('person', 'residentPension', 'boolean'),
  columnField('person', 'employeePension', 'boolean'),
  columnField('person', 'dibao', 'code:dibao'),
  columnField('person', 'tekun', 'code:tekun'),
  columnField('person', 'tekunAllowance', 'number'),
  { name: 'age', type: 'number', source: 'person', computed: 'age', label: '年龄' },
];

const householdFieldList: FieldDefinition[] = [
  columnField('household', 'regionCode', 'text'),
  columnField('household', 'householdNo', 'text'),
  columnField('household', 'householdType', 'code:householdType'),
  columnField('household', 'monitoringCategory', 'code:monitoringCategory'),
  columnField('household', 'identifiedAt', 'month'),
  columnField('household', 'riskEliminated', 'boolean'),
  columnField('household', 'eliminationMethod', 'code:eliminationMethod'),
  columnField('household', 'eliminatedAt', 'month'),
  columnField('household', 'otherNote', 'text'),
  columnField('household', 'policyEnjoyed', 'boolean'),
  columnField('household', 'householdPhone', 'text'),
  columnField('household', 'noLabourSafetyNet', 'boolean'),
  columnField('household', 'arableLand', 'number'),
  columnField('household', 'forestLand', 'number'),
  columnField('household', 'returnedFarmland', 'number'),
  columnField('household', 'orchardLand', 'number'),
  columnField('household', 'pastureLand', 'number'),
  columnField('household', 'waterSurface', 'number'),
  columnField('household', 'distanceToRoad', 'number'),
  columnField('household', 'roadHardened', 'boolean'),
  columnField('household', 'housingArea', 'number'),
  columnField('household', 'dangerousHouse', 'boolean'),
  columnField('household', 'hasElectricity', 'boolean'),
  columnField('household', 'hasSanitaryToilet', 'boolean'),
  columnField('household', 'safeDrinkingWater', 'boolean'),
  columnField('household', 'childDropout', 'boolean'),
  columnField('household', 'uninsuredMember', 'boolean'),
  columnField('household', 'developmentAssistance', 'text'),
  columnField('household', 'publicJobAssistanceNote', 'text'),
  columnField('household', 'collectorName', 'text'),
  columnField('household', 'collectorPhone', 'text'),
  { name: 'size', type: 'number', source: 'household', computed: 'size', label: '家庭人口数' },
  { name: 'risks', type: 'set:riskType', source: 'risks', label: '致贫/返贫风险' },
  ...[1, 2, 3, 4, 5].map(
    (position): FieldDefinition => ({
      name: `risk${position}`,
      type: 'code:riskType',
      source: 'risks',
      position,
      label: headers.get(`risk${position}`) ?? `致贫/返贫风险${position}`,
    }),
  ),
  { name: 'line', type: 'number', source: 'setting', computed: 'line', label: '监测收入标准' },
  {
    name: 'referenceMonth',
    type: 'month',
    source: 'setting',
    computed: 'referenceMonth',
    label: '统计基准年月',
  },
  { name: 'referenceDate', type: 'date', source: 'setting', computed: 'referenceDate', label: '统计基准日' },
];

const incomeFieldList: FieldDefinition[] = [
  ['netIncomePerPerson', 'number'],
  ['wageIncome', 'number'],
  ['businessIncome', 'number'],
  ['propertyIncome', 'number'],
  ['transferIncome', 'number'],
  ['businessExpense', 'number'],
  ['eligibleMedicalCost', 'number'],
  ['postChildDropout', 'boolean'],
  ['postHousingDamaged', 'boolean'],
  ['postUninsuredMember', 'boolean'],
  ['postWaterDamaged', 'boolean'],
  ['postWageIncome', 'number'],
  ['postPropertyIncome', 'number'],
  ['postTransferIncome', 'number'],
  ['postBusinessIncome', 'number'],
  ['postBusinessExpense', 'number'],
  ['postNetIncome', 'number'],
  ['postNetIncomePerPerson', 'number'],
  ['postInsuranceClaims', 'number'],
  ['postEligibleMedicalCost', 'number'],
].map(([name, type]) => columnField('income', name as string, type as FieldTypeName));

const measureFieldList: FieldDefinition[] = measureCategories.map((category) => ({
  name: category.code,
  type: 'set:text',
  source: 'measures',
  category: category.code,
  label: category.header,
}));

function byName(list: FieldDefinition[]): Map<string, FieldDefinition> {
  return new Map(list.map((field) => [field.name, field]));
}

export const personFields = byName(personFieldList);
export const householdFields = byName(householdFieldList);
export const incomeFields = byName(incomeFieldList);
export const measureFields = byName(measureFieldList);

/** Every field, for listings in the rule editor. */
export const fieldCatalog = {
  person: personFieldList,
  household: householdFieldList,
  income: incomeFieldList,
  measures: measureFieldList,
};
