import type { CodeTableName } from './code-tables.ts';

/**
 * The columns of the national sync export （自定义）监测对象信息, one row per person with the household's
 * columns repeated on every member. `field` is the English name used in code, the registry and the
 * rule language; `target` says where the value lives in the registry.
 */
export type ColumnKind =
  | 'text'
  | 'date' // YYYYMMDD, YYYYMMDD.0 or an Excel date
  | 'month' // YYYYMM or YYYYMM.0
  | 'number'
  | 'integer'
  | 'boolean' // 是 / 否
  | 'phone'
  | 'idNumber'
  | { code: CodeTableName }
  | 'measureList'; // several values joined by ',' (or 、 ， ;)

export type ColumnTarget = 'key' | 'household' | 'person' | 'income' | 'postElimination' | 'risk' | 'measure';

export interface NationalColumn {
  header: string;
  /** Other header spellings seen in exports (compared after folding parentheses and spaces). */
  aliases?: string[];
  field: string;
  target: ColumnTarget;
  kind: ColumnKind;
  /** A file without this column is refused. */
  required?: boolean;
}

const code = (table: CodeTableName) => ({ code: table }) as const;

export const measureCategories = [
  { code: 'industry', header: '产业帮扶' },
  { code: 'employment', header: '就业帮扶' },
  { code: 'public_job', header: '公益岗位帮扶' },
  { code: 'finance', header: '金融帮扶' },
  { code: 'health', header: '健康帮扶' },
  { code: 'education', header: '教育帮扶' },
  { code: 'compulsory_education', header: '义务教育保障' },
  { code: 'housing', header: '住房安全保障' },
  { code: 'water', header: '饮水安全保障' },
  { code: 'social_security', header: '综合保障' },
  { code: 'social_aid', header: '社会帮扶' },
  { code: 'relocation', header: '搬迁' },
  { code: 'living_conditions', header: '生产生活条件改善' },
  { code: 'infrastructure', header: '基础设施建设' },
] as const;
export type MeasureCategory = (typeof measureCategories)[number]['code'];

/**
 * The usual measures of each category, as the national system's entries name them: what the case forms
 * offer and what the demo data draws from.
 */
export const measureValueSuggestions: Record<MeasureCategory, readonly string[]> = {
  industry: ['种植业', '养殖业', '产业奖补', '光伏收益分配', '带资入股分红'],
  employment: ['外出务工补贴', '技能培训', '劳务输出', '其他'],
  public_job: ['乡村公益性岗位'],
  finance: ['小额信贷', '贴息贷款'],
  health: ['城乡居民基本医疗保险个人缴费补贴', '大病保险倾斜支付', '医疗救助', '家庭医生签约服务'],
  education: ['雨露计划', '助学金', '生源地助学贷款'],
  compulsory_education: ['教育资助', '控辍保学'],
  housing: ['农村危房改造'],
  water: ['饮水安全巩固提升工程'],
  social_security: ['低保', '特困供养', '残疾人两项补贴', '临时救助'],
  social_aid: ['结对帮扶', '社会捐赠', '消费帮扶'],
  relocation: ['易地扶贫搬迁'],
  living_conditions: ['改厕', '改厨', '庭院整治'],
  infrastructure: ['入户道路硬化', '村组道路建设'],
};

/** A measure as a case proposes it, `category:value`; why it is not one, or undefined. */
export function measureProblem(text: string): string | undefined {
  const separator = text.indexOf(':');
  const category = separator < 0 ? text : text.slice(0, separator);
  const value = separator < 0 ? '' : text.slice(separator + 1).trim();
  const known = measureCategories.find((item) => item.code === category);
  if (!known) return `帮扶措施类别「${category}」不正确`;
  if (!value) return `请填写「${known.header}」的具体措施`;
  if (value.length > 50) return `「${known.header}」的具体措施不超过 50 字`;
  return undefined;
}

export const nationalColumns: NationalColumn[] = [
  // Identity and household keys
  {
    header: '县',
    aliases: ['县(市、区)', '县（市、区）', '县名称'],
    field: 'countyName',
    target: 'key',
    kind: 'text',
    required: true,
  },
  {
    header: '乡',
    aliases: ['乡(镇)', '乡（镇）', '乡镇', '乡名称'],
    field: 'townshipName',
    target: 'key',
    kind: 'text',
    required: true,
  },
  {
    header: '村',
    aliases: ['村名称', '行政村'],
    field: 'villageName',
    target: 'key',
    kind: 'text',
    required: true,
  },
  {
    header: '区划代码',
    aliases: ['村代码', '行政区划代码', '村级区划代码'],
    field: 'regionCode',
    target: 'key',
    kind: 'text',
  },
  { header: '户编号', field: 'householdNo', target: 'key', kind: 'text', required: true },
  { header: '人编号', field: 'personNo', target: 'person', kind: 'text' },
  { header: '姓名', aliases: ['成员姓名'], field: 'name', target: 'person', kind: 'text' },
  {
    header: '证件号码',
    aliases: ['身份证号码', '身份证号', '证件号'],
    field: 'idNumber',
    target: 'person',
    kind: 'idNumber',
    required: true,
  },
  { header: '证件类型', field: 'idType', target: 'person', kind: code('idType') },
  { header: '与户主关系', field: 'relation', target: 'person', kind: code('relation'), required: true },
  { header: '性别', field: 'gender', target: 'person', kind: code('gender') },
  { header: '出生日期', field: 'birthDate', target: 'person', kind: 'date' },
  { header: '民族', field: 'ethnicity', target: 'person', kind: 'text' },
  { header: '户类型', field: 'householdType', target: 'household', kind: code('householdType') },
  {
    header: '户联系电话',
    aliases: ['联系电话'],
    field: 'householdPhone',
    target: 'household',
    kind: 'phone',
  },
  { header: '家庭成员联系电话', aliases: ['成员联系电话'], field: 'phone', target: 'person', kind: 'phone' },
  {
    header: '务工所在地',
    aliases: ['务工状况'],
    field: 'workLocation',
    target: 'person',
    kind: code('workLocation'),
  },
  {
    header: '就业渠道（易地搬迁后扶使用）',
    aliases: ['就业渠道'],
    field: 'employmentChannel',
    target: 'person',
    kind: 'text',
  },
  // Monitoring
  {
    header: '监测对象类别',
    field: 'monitoringCategory',
    target: 'household',
    kind: code('monitoringCategory'),
  },
  { header: '识别监测时间', field: 'identifiedAt', target: 'household', kind: 'month' },
  { header: '风险是否已消除', field: 'riskEliminated', target: 'household', kind: 'boolean' },
  {
    header: '风险消除方式',
    field: 'eliminationMethod',
    target: 'household',
    kind: code('eliminationMethod'),
  },
  {
    header: '消除监测时间',
    aliases: ['风险消除时间'],
    field: 'eliminatedAt',
    target: 'household',
    kind: 'month',
  },
  {
    header: '致贫/返贫风险1',
    aliases: ['致贫返贫风险1', '风险类型1'],
    field: 'risk1',
    target: 'risk',
    kind: code('riskType'),
  },
  {
    header: '致贫/返贫风险2',
    aliases: ['致贫返贫风险2', '风险类型2'],
    field: 'risk2',
    target: 'risk',
    kind: code('riskType'),
  },
  {
    header: '致贫/返贫风险3',
    aliases: ['致贫返贫风险3', '风险类型3'],
    field: 'risk3',
    target: 'risk',
    kind: code('riskType'),
  },
  {
    header: '致贫/返贫风险4',
    aliases: ['致贫返贫风险4', '风险类型4'],
    field: 'risk4',
    target: 'risk',
    kind: code('riskType'),
  },
  {
    header: '致贫/返贫风险5',
    aliases: ['致贫返贫风险5', '风险类型5'],
    field: 'risk5',
    target: 'risk',
    kind: code('riskType'),
  },
  { header: '其他备注', field: 'otherNote', target: 'household', kind: 'text' },
  // Person facts
  { header: '文化程度', field: 'education', target: 'person', kind: code('education') },
  { header: '在校生状况', field: 'schooling', target: 'person', kind: code('schooling') },
  { header: '义务教育阶段未上学原因', field: 'nonAttendanceReason', target: 'person', kind: 'text' },
  { header: '健康状况', field: 'health', target: 'person', kind: code('health') },
  { header: '劳动技能', field: 'laborSkill', target: 'person', kind: code('laborSkill') },
  { header: '公益性岗位', field: 'publicJob', target: 'person', kind: 'text' },
  {
    header: '公益性岗位(月数)',
    aliases: ['公益性岗位月数'],
    field: 'publicJobMonths',
    target: 'person',
    kind: 'integer',
  },
  {
    header: '是否参加城乡居民基本医疗保险',
    field: 'residentMedicalInsurance',
    target: 'person',
    kind: 'boolean',
  },
  {
    header: '是否参加城镇职工基本医疗保险',
    field: 'employeeMedicalInsurance',
    target: 'person',
    kind: 'boolean',
  },
  { header: '是否参加大病保险', field: 'criticalIllnessInsurance', target: 'person', kind: 'boolean' },
  { header: '是否接受医疗救助', field: 'medicalAid', target: 'person', kind: 'boolean' },
  { header: '是否参加城乡居民基本养老保险', field: 'residentPension', target: 'person', kind: 'boolean' },
  { header: '是否参加城镇职工基本养老保险', field: 'employeePension', target: 'person', kind: 'boolean' },
  { header: '享受低保政策情况', field: 'dibao', target: 'person', kind: code('dibao') },
  { header: '享受特困供养政策情况', field: 'tekun', target: 'person', kind: code('tekun') },
  { header: '特困人员救助供养金', field: 'tekunAllowance', target: 'person', kind: 'number' },
  { header: '整户无劳动能力兜底保障户', field: 'noLabourSafetyNet', target: 'household', kind: 'boolean' },
  // Household facts
  {
    header: '耕地面积（亩）',
    aliases: ['耕地面积'],
    field: 'arableLand',
    target: 'household',
    kind: 'number',
  },
  {
    header: '林地面积（亩）',
    aliases: ['林地面积'],
    field: 'forestLand',
    target: 'household',
    kind: 'number',
  },
  {
    header: '退耕还林面积（亩）',
    aliases: ['退耕还林面积'],
    field: 'returnedFarmland',
    target: 'household',
    kind: 'number',
  },
  {
    header: '林果面积（亩）',
    aliases: ['林果面积'],
    field: 'orchardLand',
    target: 'household',
    kind: 'number',
  },
  {
    header: '牧草地面积',
    aliases: ['牧草地面积（亩）'],
    field: 'pastureLand',
    target: 'household',
    kind: 'number',
  },
  {
    header: '水面面积',
    aliases: ['水面面积（亩）'],
    field: 'waterSurface',
    target: 'household',
    kind: 'number',
  },
  {
    header: '与村主干路距离',
    aliases: ['与村主干路距离（公里）', '与村主干路距离(km)'],
    field: 'distanceToRoad',
    target: 'household',
    kind: 'number',
  },
  {
    header: '入户道路是否硬化',
    aliases: ['入户路类型'],
    field: 'roadHardened',
    target: 'household',
    kind: 'boolean',
  },
  {
    header: '住房面积',
    aliases: ['住房面积（平方米）'],
    field: 'housingArea',
    target: 'household',
    kind: 'number',
  },
  { header: '是否危房户', field: 'dangerousHouse', target: 'household', kind: 'boolean' },
  { header: '是否通生活用电', field: 'hasElectricity', target: 'household', kind: 'boolean' },
  { header: '是否有卫生厕所', field: 'hasSanitaryToilet', target: 'household', kind: 'boolean' },
  { header: '是否解决安全饮用水', field: 'safeDrinkingWater', target: 'household', kind: 'boolean' },
  {
    header: '是否义务教育阶段适龄儿童少年失学辍学',
    field: 'childDropout',
    target: 'household',
    kind: 'boolean',
  },
  {
    header: '是否有家庭成员未参加城乡居民（职工）基本医疗保险',
    field: 'uninsuredMember',
    target: 'household',
    kind: 'boolean',
  },
  // Income of the statistics year (yuan)
  {
    header: '人均纯收入（元）',
    aliases: ['人均纯收入'],
    field: 'netIncomePerPerson',
    target: 'income',
    kind: 'number',
  },
  {
    header: '工资性收入',
    aliases: ['工资性收入（元）'],
    field: 'wageIncome',
    target: 'income',
    kind: 'number',
  },
  {
    header: '生产经营性收入',
    aliases: ['生产经营性收入（元）'],
    field: 'businessIncome',
    target: 'income',
    kind: 'number',
  },
  {
    header: '财产性收入',
    aliases: ['财产性收入（元）'],
    field: 'propertyIncome',
    target: 'income',
    kind: 'number',
  },
  {
    header: '转移性收入',
    aliases: ['转移性收入（元）'],
    field: 'transferIncome',
    target: 'income',
    kind: 'number',
  },
  {
    header: '生产经营性支出',
    aliases: ['生产经营性支出（元）'],
    field: 'businessExpense',
    target: 'income',
    kind: 'number',
  },
  {
    header: '合规自付支出',
    aliases: ['合规自付支出（元）'],
    field: 'eligibleMedicalCost',
    target: 'income',
    kind: 'number',
  },
  // After elimination
  {
    header: '风险消除后是否义务教育阶段适龄儿童少年失学辍学',
    field: 'postChildDropout',
    target: 'postElimination',
    kind: 'boolean',
  },
  {
    header: '风险消除后是否住房损毁',
    field: 'postHousingDamaged',
    target: 'postElimination',
    kind: 'boolean',
  },
  {
    header: '风险消除后是否有家庭成员未参加城乡居民（职工）基本医疗保险',
    field: 'postUninsuredMember',
    target: 'postElimination',
    kind: 'boolean',
  },
  {
    header: '风险消除后是否饮水设施损毁',
    field: 'postWaterDamaged',
    target: 'postElimination',
    kind: 'boolean',
  },
  { header: '风险消除后工资性收入', field: 'postWageIncome', target: 'postElimination', kind: 'number' },
  { header: '风险消除后财产性收入', field: 'postPropertyIncome', target: 'postElimination', kind: 'number' },
  { header: '风险消除后转移性收入', field: 'postTransferIncome', target: 'postElimination', kind: 'number' },
  {
    header: '风险消除后生产经营性收入',
    field: 'postBusinessIncome',
    target: 'postElimination',
    kind: 'number',
  },
  {
    header: '风险消除后生产经营性支出',
    field: 'postBusinessExpense',
    target: 'postElimination',
    kind: 'number',
  },
  { header: '风险消除后家庭纯收入', field: 'postNetIncome', target: 'postElimination', kind: 'number' },
  {
    header: '风险消除后家庭人均纯收入',
    field: 'postNetIncomePerPerson',
    target: 'postElimination',
    kind: 'number',
  },
  { header: '风险消除后理赔收入', field: 'postInsuranceClaims', target: 'postElimination', kind: 'number' },
  {
    header: '风险消除后合规自付支出',
    field: 'postEligibleMedicalCost',
    target: 'postElimination',
    kind: 'number',
  },
  // Measures
  { header: '实施开发式帮扶措施情况', field: 'developmentAssistance', target: 'household', kind: 'text' },
  ...measureCategories.map(
    (category): NationalColumn => ({
      header: category.header,
      field: `measure:${category.code}`,
      target: 'measure',
      kind: 'measureList',
    }),
  ),
  { header: '公益性岗位帮扶其他备注', field: 'publicJobAssistanceNote', target: 'household', kind: 'text' },
  // Collection
  { header: '信息采集人', field: 'collectorName', target: 'household', kind: 'text' },
  { header: '信息采集人联系电话', field: 'collectorPhone', target: 'household', kind: 'phone' },
  // Optional in some provinces: whether a lifted household enjoys policy
  {
    header: '是否享受政策',
    aliases: ['脱贫户是否享受政策'],
    field: 'policyEnjoyed',
    target: 'household',
    kind: 'boolean',
  },
];

/** Folds what differs between spellings of one header: spaces, full-width parentheses, case. */
export function normaliseHeader(text: string): string {
  return text
    .replace(/[\s\u3000]+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/，/g, ',')
    .toLowerCase();
}

const columnsByHeader = new Map<string, NationalColumn>();
for (const column of nationalColumns) {
  for (const header of [column.header, ...(column.aliases ?? [])])
    columnsByHeader.set(normaliseHeader(header), column);
}

/** The column a header cell names, if any. */
export function findNationalColumn(headerCell: string): NationalColumn | undefined {
  return columnsByHeader.get(normaliseHeader(headerCell));
}
