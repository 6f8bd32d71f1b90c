import { codeTables } from '@shouwang/domain';

/**
 * The standard reports as data (definitions in docs/analytics.md, after the province's reports.md):
 * each report reads one dimension of the cube, and each of its columns is a slice of the cube —
 * which household groups, which values, households or persons. Screen, API, CLI and Excel export all
 * take their headers and numbers from here.
 */

export type LiftedStatus = 'enjoying' | 'not_enjoying' | 'unrecorded' | 'none';
export type MonitoredStatus = 'eliminated' | 'not_eliminated' | 'none';
export type Measure = 'households' | 'persons';

export const reportNames = [
  'population',
  'age',
  'health',
  'education',
  'labour',
  'work-location',
  'dibao-tekun',
  'monthly-new',
  'household-labour',
  'elimination-interval',
  'time-since-identification',
  'income-change',
] as const;
export type ReportName = (typeof reportNames)[number];

/** Which cube rows a column adds up; an absent key means any. */
export interface Slice {
  lifted?: readonly LiftedStatus[];
  monitored?: readonly MonitoredStatus[];
  categories?: readonly string[];
  values?: readonly string[];
}

export interface ReportColumn {
  /** Stable key, e.g. `16_29.lifted_enjoying` or `all.households`. */
  key: string;
  /** Header path, top row first; a shorter path spans the remaining header rows. */
  path: string[];
  measure: Measure;
  slice: Slice;
}

export interface ReportContext {
  /** YYYYMM of the reference date. */
  referenceMonth: number;
}

/** A dimension the dashboard reads from the cube like a report, but which is not a standard report. */
export type DashboardDimensionName = 'monthly-eliminated';

export interface ReportDefinition {
  name: ReportName | DashboardDimensionName;
  title: string;
  /** The cube dimension the report reads. */
  dimension: string;
  /** Who is counted, in one line under the title. */
  description: string;
  /** True when the report takes the elimination-year filter (cube `period`). */
  eliminationYearFilter?: boolean;
  columns(context: ReportContext): ReportColumn[];
}

const lifted: LiftedStatus[] = ['enjoying', 'not_enjoying', 'unrecorded'];
const monitored: MonitoredStatus[] = ['eliminated', 'not_eliminated'];

/** The column groups of every person report (reports.md "Column groups"). */
export const personGroups: Array<{ key: string; path: string[]; slice: Slice }> = [
  { key: 'lifted', path: ['脱贫人口', '小计'], slice: { lifted } },
  { key: 'lifted_enjoying', path: ['脱贫人口', '享受政策'], slice: { lifted: ['enjoying'] } },
  { key: 'lifted_not_enjoying', path: ['脱贫人口', '不享受政策'], slice: { lifted: ['not_enjoying'] } },
  { key: 'lifted_unrecorded', path: ['脱贫人口', '未记录'], slice: { lifted: ['unrecorded'] } },
  { key: 'monitored', path: ['监测对象', '小计'], slice: { monitored } },
  { key: 'monitored_eliminated', path: ['监测对象', '风险已消除'], slice: { monitored: ['eliminated'] } },
  {
    key: 'monitored_not_eliminated',
    path: ['监测对象', '风险未消除'],
    slice: { monitored: ['not_eliminated'] },
  },
  { key: 'all', path: ['帮扶对象合计'], slice: {} },
];

interface ValueItem {
  value: string;
  label: string;
}

const fromTable = (name: 'health' | 'education' | 'laborSkill' | 'workLocation'): ValueItem[] =>
  codeTables[name].map((item) => ({ value: item.code, label: item.label }));

/** Values of each person dimension, in column order ('blank' = not recorded). */
export const personDimensionValues: Record<string, ValueItem[]> = {
  age: [
    { value: 'under_16', label: '16岁以下' },
    { value: '16_29', label: '16-29岁' },
    { value: '30_39', label: '30-39岁' },
    { value: '40_49', label: '40-49岁' },
    { value: '50_59', label: '50-59岁' },
    { value: '60_over', label: '60岁及以上' },
    { value: 'unknown', label: '出生日期不详' },
  ],
  health: [...fromTable('health'), { value: 'blank', label: '未填写' }],
  education: [
    ...fromTable('education'),
    { value: 'in_school', label: '在校生' },
    { value: 'blank', label: '未填写' },
  ],
  labour: [...fromTable('laborSkill'), { value: 'blank', label: '未填写' }],
  'work-location': fromTable('workLocation').map((item) => ({
    ...item,
    label: item.label.replace(/务工$/, ''),
  })),
  'dibao-tekun': [
    { value: 'dibao_rural', label: '农村低保' },
    { value: 'dibao_urban', label: '城市低保' },
    { value: 'tekun_rural', label: '农村特困' },
    { value: 'tekun_urban', label: '城市特困' },
  ],
};

function personReport(name: ReportName, title: string, description: string): ReportDefinition {
  return {
    name,
    title,
    dimension: name,
    description,
    columns: () =>
      (personDimensionValues[name] ?? []).flatMap((item) =>
        personGroups.map((group) => ({
          key: `${item.value}.${group.key}`,
          path: [item.label, ...group.path],
          measure: 'persons' as const,
          slice: { ...group.slice, values: [item.value] },
        })),
      ),
  };
}

const categories = codeTables.monitoringCategory.map((item) => ({ value: item.code, label: item.label }));

function countPair(key: string, path: string[], slice: Slice): ReportColumn[] {
  return [
    { key: `${key}.households`, path: [...path, '户数'], measure: 'households', slice },
    { key: `${key}.persons`, path: [...path, '人数'], measure: 'persons', slice },
  ];
}

/** Months 0 … 12, more than 12, and not computable (blank or invalid months, or negative). */
const intervalValues: ValueItem[] = [
  ...Array.from({ length: 13 }, (_, months) => ({ value: String(months), label: `${months}个月` })),
  { value: 'over_12', label: '12个月以上' },
  { value: 'unknown', label: '无法计算' },
];

function bucketColumns(values: ValueItem[], slice: Slice): ReportColumn[] {
  return [
    { key: 'all.households', path: ['合计'], measure: 'households', slice },
    ...values.map((item) => ({
      key: `${item.value}.households`,
      path: [item.label],
      measure: 'households' as const,
      slice: { ...slice, values: [item.value] },
    })),
  ];
}

export const householdLabourValues: ValueItem[] = [
  { value: 'able', label: '有技能或普通劳动力' },
  { value: 'weak_only', label: '仅有弱劳动力或半劳动力' },
  { value: 'none_able', label: '均无劳动能力' },
];

export const incomeChangeValues: ValueItem[] = [
  { value: 'higher', label: '增加' },
  { value: 'lower', label: '减少' },
  { value: 'equal', label: '持平' },
  { value: 'not_comparable', label: '无法比较' },
];

export const reportDefinitions: Record<ReportName, ReportDefinition> = {
  population: {
    name: 'population',
    title: '帮扶对象基本情况',
    dimension: 'population',
    description: '脱贫户和监测对象的户数、人数（在册人口）',
    columns: () => [
      ...countPair('lifted', ['脱贫户', '小计'], { lifted }),
      ...countPair('lifted_enjoying', ['脱贫户', '享受政策'], { lifted: ['enjoying'] }),
      ...countPair('lifted_not_enjoying', ['脱贫户', '不享受政策'], { lifted: ['not_enjoying'] }),
      ...countPair('lifted_unrecorded', ['脱贫户', '未记录'], { lifted: ['unrecorded'] }),
      ...countPair('monitored', ['监测对象', '小计'], { monitored }),
      ...countPair('monitored_eliminated', ['监测对象', '风险已消除'], { monitored: ['eliminated'] }),
      ...countPair('monitored_not_eliminated', ['监测对象', '风险未消除'], { monitored: ['not_eliminated'] }),
      ...categories.flatMap((category) =>
        countPair(`category_${category.value}`, ['监测对象', category.label], {
          categories: [category.value],
        }),
      ),
      ...countPair('all', ['帮扶对象合计'], {}),
    ],
  },
  age: personReport('age', '帮扶对象年龄结构', '在册人口按统计基准日的周岁分组'),
  health: personReport('health', '帮扶对象健康状况', '在册人口按健康状况'),
  education: personReport('education', '帮扶对象文化程度', '在册人口按文化程度（在校生单列）'),
  labour: personReport('labour', '帮扶对象劳动技能', '在册人口按劳动技能'),
  'work-location': personReport('work-location', '帮扶对象务工地点', '有务工地点的在册人口按务工状况'),
  'dibao-tekun': personReport('dibao-tekun', '帮扶对象享受低保特困情况', '享受低保、特困供养的在册人口'),
  'monthly-new': {
    name: 'monthly-new',
    title: '逐月新识别监测对象',
    dimension: 'monthly-new',
    description: '监测对象按识别监测时间，2021年1月至统计基准月',
    columns: ({ referenceMonth }) => monthColumns({ monitored }, referenceMonth),
  },
  'household-labour': {
    name: 'household-labour',
    title: '帮扶对象家庭劳动力情况',
    dimension: 'household-labour',
    description: '有18至65周岁（含）成员的户，按这些成员的劳动技能',
    columns: () =>
      [
        { key: 'lifted_enjoying', label: '脱贫户（享受政策）', slice: { lifted: ['enjoying'] } as Slice },
        {
          key: 'monitored_not_eliminated',
          label: '监测对象（风险未消除）',
          slice: { monitored: ['not_eliminated'] } as Slice,
        },
        { key: 'all', label: '帮扶对象合计', slice: {} as Slice },
      ].flatMap((group) => [
        {
          key: `${group.key}.all`,
          path: [group.label, '有劳动年龄成员户数'],
          measure: 'households' as const,
          slice: group.slice,
        },
        ...householdLabourValues.map((item) => ({
          key: `${group.key}.${item.value}`,
          path: [group.label, item.label],
          measure: 'households' as const,
          slice: { ...group.slice, values: [item.value] },
        })),
      ]),
  },
  'elimination-interval': {
    name: 'elimination-interval',
    title: '监测对象识别至风险消除间隔',
    dimension: 'elimination-interval',
    description: '风险已消除的监测户，按识别监测时间至消除监测时间的月数（0 = 当月进当月出）',
    eliminationYearFilter: true,
    columns: () =>
      bucketColumns(
        intervalValues.map((item) => (item.value === '0' ? { ...item, label: '当月进当月出' } : item)),
        { monitored: ['eliminated'] },
      ),
  },
  'time-since-identification': {
    name: 'time-since-identification',
    title: '未消除风险监测对象识别时长',
    dimension: 'time-since-identification',
    description: '风险未消除的监测户，按识别监测时间至统计基准月的月数',
    columns: () => bucketColumns(intervalValues, { monitored: ['not_eliminated'] }),
  },
  'income-change': {
    name: 'income-change',
    title: '风险消除户人均纯收入变化',
    dimension: 'income-change',
    description: '风险已消除的监测户：风险消除后家庭人均纯收入与识别年度人均纯收入相比',
    columns: () => bucketColumns(incomeChangeValues, { monitored: ['eliminated'] }),
  },
};

/** The total, then one households/persons pair per month from January 2021 to the reference month. */
function monthColumns(slice: Slice, referenceMonth: number): ReportColumn[] {
  const columns = countPair('all', ['合计'], slice);
  for (let month = 2021 * 12; month <= toMonthIndex(referenceMonth) - 1; month += 1) {
    const year = Math.floor(month / 12);
    const monthOfYear = (month % 12) + 1;
    const value = `${year}${String(monthOfYear).padStart(2, '0')}`;
    columns.push(...countPair(value, [`${year}年`, `${monthOfYear}月`], { ...slice, values: [value] }));
  }
  return columns;
}

/** Dashboard-only breakdowns, read from the cube exactly as the reports are. */
export const dashboardDefinitions: Record<DashboardDimensionName, ReportDefinition> = {
  'monthly-eliminated': {
    name: 'monthly-eliminated',
    title: '逐月风险消除监测对象',
    dimension: 'monthly-eliminated',
    description: '风险已消除的监测对象按消除监测时间，2021年1月至统计基准月',
    columns: ({ referenceMonth }) => monthColumns({ monitored: ['eliminated'] }, referenceMonth),
  },
};

/** YYYYMM → months since year 0 (year × 12 + month), the arithmetic of "months between". */
export function toMonthIndex(yyyymm: number): number {
  return Math.floor(yyyymm / 100) * 12 + (yyyymm % 100);
}

/** The 户类型 filter: which lifted statuses it keeps. */
export const householdTypeFilters: Record<string, { label: string; lifted: LiftedStatus[] }> = {
  lifted: { label: '脱贫户', lifted },
  lifted_enjoying: { label: '脱贫户（享受政策）', lifted: ['enjoying'] },
  lifted_not_enjoying: { label: '脱贫户（不享受政策）', lifted: ['not_enjoying'] },
  ordinary: { label: '一般农户', lifted: ['none'] },
};

/** The monitored filter: which monitored statuses it keeps. */
export const monitoredFilters: Record<string, { label: string; monitored: MonitoredStatus[] }> = {
  monitored: { label: '监测对象', monitored },
  eliminated: { label: '风险已消除', monitored: ['eliminated'] },
  not_eliminated: { label: '风险未消除', monitored: ['not_eliminated'] },
  not_monitored: { label: '非监测对象', monitored: ['none'] },
};

export const regionLevelLabels: Record<string, string> = {
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
  village: '村',
};
