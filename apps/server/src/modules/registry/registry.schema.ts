import { type CodeTableName, codeTables } from '@shouwang/domain';
import { type TSchema, Type } from 'typebox';
import { type EditableField, householdFields, personFields } from './registry.fields.ts';

const Nullable = <Schema extends TSchema>(schema: Schema) => Type.Union([schema, Type.Null()]);
const NullableString = Nullable(Type.String());
const NullableNumber = Nullable(Type.Number());
const NullableBoolean = Nullable(Type.Boolean());

const codesOf = (table: CodeTableName) => codeTables[table].map((item) => Type.Literal(item.code));

/** A code-table value with its label, e.g. `{ code: 'lifted', label: '脱贫户' }`. */
const CodeValue = Type.Object({ code: Type.String(), label: Type.String() });
const NullableCode = Nullable(CodeValue);

export const IdParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }) });

/** `updated_at` to the microsecond, as the detail answered it. */
const UpdatedAt = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:?\\d{2})$',
  description: '读取记录时得到的 updatedAt，用于检测并发修改',
});

const Paging = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};

export const HouseholdListQuery = Type.Object({
  regionCode: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: '任一级区划，含其下全部' })),
  householdType: Type.Optional(Type.Union(codesOf('householdType'))),
  monitoringCategory: Type.Optional(
    Type.Union([...codesOf('monitoringCategory'), Type.Literal('monitored'), Type.Literal('none')], {
      description: '监测对象类别；monitored = 任一类别，none = 非监测对象',
    }),
  ),
  riskEliminated: Type.Optional(Type.Boolean()),
  riskType: Type.Optional(Type.Union(codesOf('riskType'))),
  hasFindings: Type.Optional(
    Type.Boolean({ description: 'true = 有未整改的质量问题，false = 没有（已豁免、已整改的不算）' }),
  ),
  q: Type.Optional(
    Type.String({
      maxLength: 50,
      description: '成员姓名（完整或开头）、证件号码（18 位或末 4 位以上）或户编号',
    }),
  ),
  status: Type.Union([Type.Literal('active'), Type.Literal('absent'), Type.Literal('all')], {
    default: 'active',
  }),
  ...Paging,
});

const HouseholdListItem = Type.Object({
  id: Type.String(),
  householdNo: Type.String(),
  regionCode: Type.String(),
  regionFullName: Type.String(),
  headName: NullableString,
  headIdNumber: Nullable(Type.String({ description: '脱敏' })),
  memberCount: Type.Integer(),
  householdType: NullableCode,
  monitoringCategory: NullableCode,
  identifiedAt: NullableString,
  riskEliminated: NullableBoolean,
  risks: Type.Array(CodeValue),
  status: Type.String(),
  statusLabel: Type.String(),
});

/** `totalExact` is false when there are more matches than the platform counts (`total` is then the cap). */
export const HouseholdListSchema = Type.Object({
  items: Type.Array(HouseholdListItem),
  total: Type.Integer(),
  totalExact: Type.Boolean(),
});

const Member = Type.Object({
  id: Type.String(),
  householdId: Type.String(),
  personNo: NullableString,
  name: NullableString,
  idNumber: Nullable(Type.String({ description: '脱敏' })),
  idType: NullableCode,
  relation: NullableCode,
  gender: NullableCode,
  birthDate: NullableString,
  age: Nullable(Type.Integer()),
  ethnicity: NullableString,
  phone: Nullable(Type.String({ description: '脱敏' })),
  workLocation: NullableCode,
  employmentChannel: NullableString,
  education: NullableCode,
  schooling: NullableCode,
  nonAttendanceReason: NullableString,
  health: NullableCode,
  laborSkill: NullableCode,
  publicJob: NullableString,
  publicJobMonths: Nullable(Type.Integer()),
  residentMedicalInsurance: NullableBoolean,
  employeeMedicalInsurance: NullableBoolean,
  criticalIllnessInsurance: NullableBoolean,
  medicalAid: NullableBoolean,
  residentPension: NullableBoolean,
  employeePension: NullableBoolean,
  dibao: NullableCode,
  tekun: NullableCode,
  tekunAllowance: NullableNumber,
  status: Type.String(),
  statusLabel: Type.String(),
  updatedAt: Type.String(),
});

export const PersonSchema = Type.Intersect([
  Member,
  Type.Object({ householdNo: Type.String(), regionCode: Type.String(), regionFullName: Type.String() }),
]);

const Income = Type.Object({
  year: Type.Integer(),
  netIncomePerPerson: NullableNumber,
  wageIncome: NullableNumber,
  businessIncome: NullableNumber,
  propertyIncome: NullableNumber,
  transferIncome: NullableNumber,
  businessExpense: NullableNumber,
  eligibleMedicalCost: NullableNumber,
  postChildDropout: NullableBoolean,
  postHousingDamaged: NullableBoolean,
  postUninsuredMember: NullableBoolean,
  postWaterDamaged: NullableBoolean,
  postWageIncome: NullableNumber,
  postPropertyIncome: NullableNumber,
  postTransferIncome: NullableNumber,
  postBusinessIncome: NullableNumber,
  postBusinessExpense: NullableNumber,
  postNetIncome: NullableNumber,
  postNetIncomePerPerson: NullableNumber,
  postInsuranceClaims: NullableNumber,
  postEligibleMedicalCost: NullableNumber,
});

export const HouseholdDetailSchema = Type.Object({
  id: Type.String(),
  householdNo: Type.String(),
  regionCode: Type.String(),
  regionFullName: Type.String(),
  regionPath: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() })),
  status: Type.String(),
  statusLabel: Type.String(),
  householdType: NullableCode,
  monitoringCategory: NullableCode,
  identifiedAt: NullableString,
  riskEliminated: NullableBoolean,
  eliminationMethod: NullableCode,
  eliminatedAt: NullableString,
  otherNote: NullableString,
  policyEnjoyed: NullableBoolean,
  householdPhone: Nullable(Type.String({ description: '脱敏' })),
  noLabourSafetyNet: NullableBoolean,
  arableLand: NullableNumber,
  forestLand: NullableNumber,
  returnedFarmland: NullableNumber,
  orchardLand: NullableNumber,
  pastureLand: NullableNumber,
  waterSurface: NullableNumber,
  distanceToRoad: NullableNumber,
  roadHardened: NullableBoolean,
  housingArea: NullableNumber,
  dangerousHouse: NullableBoolean,
  hasElectricity: NullableBoolean,
  hasSanitaryToilet: NullableBoolean,
  safeDrinkingWater: NullableBoolean,
  childDropout: NullableBoolean,
  uninsuredMember: NullableBoolean,
  developmentAssistance: NullableString,
  publicJobAssistanceNote: NullableString,
  collectorName: NullableString,
  collectorPhone: Nullable(Type.String({ description: '脱敏' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String(),
  members: Type.Array(Member),
  incomes: Type.Array(Income),
  risks: Type.Array(Type.Object({ position: Type.Integer(), riskType: CodeValue })),
  measures: Type.Array(Type.Object({ category: CodeValue, values: Type.Array(Type.String()) })),
});

export const HistoryQuery = Type.Object(Paging);

export const HistorySchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      entity: Type.String(),
      entityLabel: Type.String(),
      personId: NullableString,
      personName: NullableString,
      field: Type.String(),
      fieldLabel: Type.String(),
      oldValue: Nullable(Type.String({ description: '显示值（代码已转为名称，个人信息脱敏）' })),
      newValue: NullableString,
      source: Type.String(),
      sourceLabel: Type.String(),
      batchId: NullableString,
      batchFileName: NullableString,
      actorName: Nullable(Type.String({ description: '干部编辑时为用户姓名' })),
      changedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  total: Type.Integer(),
});

export const PersonListQuery = Type.Object({
  regionCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
  gender: Type.Optional(Type.Union(codesOf('gender'))),
  ageFrom: Type.Optional(Type.Integer({ minimum: 0, maximum: 150, description: '周岁，含' })),
  ageTo: Type.Optional(Type.Integer({ minimum: 0, maximum: 150, description: '周岁，含' })),
  health: Type.Optional(Type.Union(codesOf('health'))),
  laborSkill: Type.Optional(Type.Union(codesOf('laborSkill'))),
  education: Type.Optional(Type.Union(codesOf('education'))),
  schooling: Type.Optional(Type.Union(codesOf('schooling'))),
  q: Type.Optional(
    Type.String({ maxLength: 50, description: '姓名（完整或开头）、证件号码（18 位或末 4 位以上）或户编号' }),
  ),
  status: Type.Union(
    [
      Type.Literal('active'),
      Type.Literal('deceased'),
      Type.Literal('moved_out'),
      Type.Literal('absent'),
      Type.Literal('all'),
    ],
    { default: 'active' },
  ),
  ...Paging,
});

export const PersonListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      householdId: Type.String(),
      householdNo: Type.String(),
      regionCode: Type.String(),
      regionFullName: Type.String(),
      name: NullableString,
      idNumber: Nullable(Type.String({ description: '脱敏' })),
      relation: NullableCode,
      gender: NullableCode,
      birthDate: NullableString,
      age: Nullable(Type.Integer()),
      phone: Nullable(Type.String({ description: '脱敏' })),
      education: NullableCode,
      schooling: NullableCode,
      health: NullableCode,
      laborSkill: NullableCode,
      status: Type.String(),
      statusLabel: Type.String(),
    }),
  ),
  total: Type.Integer(),
  totalExact: Type.Boolean(),
});

/** Body of an edit: `updatedAt` plus any of the editable fields (null clears one). */
function updateBody(fields: EditableField[], extra: Record<string, TSchema> = {}) {
  const properties: Record<string, TSchema> = { updatedAt: UpdatedAt, ...extra };
  for (const definition of fields) {
    const value =
      definition.kind === 'boolean'
        ? Type.Boolean()
        : definition.kind === 'number' || definition.kind === 'integer'
          ? Type.Number()
          : Type.String({ maxLength: 1000 });
    properties[definition.field] = Type.Optional(Nullable(value));
  }
  return Type.Object(properties);
}

export const HouseholdUpdateBody = updateBody(householdFields, {
  risks: Type.Optional(
    Type.Array(Type.String({ maxLength: 50 }), { maxItems: 10, description: '风险类型代码，按顺序' }),
  ),
});

export const PersonUpdateBody = updateBody(personFields);

export const RevealSchema = Type.Object({ idNumber: NullableString, phone: NullableString });
