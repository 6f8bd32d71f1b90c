import { nationalColumns } from '@shouwang/domain';
import type { RuleScope } from './ast.ts';

/** The shipped quality rules (/work/shared/rules/starter-rules.md), written in the rule language. */
export type RuleCategory = 'id' | 'missing' | 'basic_needs' | 'logic' | 'risk_measure' | 'elimination';
export type RuleSeverity = 'error' | 'warning';

export interface StarterRule {
  code: string;
  name: string;
  category: RuleCategory;
  scope: RuleScope;
  severity: RuleSeverity;
  /** The condition; absent for aggregate rules. */
  when?: string;
  /** Needs data beyond one household; checked by a set-based SQL pass instead. */
  kind?: 'aggregate';
  note?: string;
}

const monitored = 'not blank(household.monitoringCategory)';
const monitoredHousehold = 'not blank(monitoringCategory)';
const eliminated = 'riskEliminated = "是"';
const notEliminated = '(blank(riskEliminated) or riskEliminated = "否")';
const labour = '["普通劳动力", "技能劳动力"]';
const anyLabour = '["普通劳动力", "技能劳动力", "弱劳动力或半劳动力"]';
const allMeasuresBlank = [
  'industry',
  'employment',
  'public_job',
  'finance',
  'health',
  'education',
  'compulsory_education',
  'housing',
  'water',
  'social_security',
  'social_aid',
  'relocation',
  'living_conditions',
  'infrastructure',
]
  .map((category) => `blank(measures.${category})`)
  .join(' and ');
// Every 风险消除后… column of the national export.
const postColumnBlank = nationalColumns
  .filter((column) => column.target === 'postElimination')
  .map((column) => column.field)
  .map((field) => `blank(income.${field})`)
  .join(' or ');

const primaryGrades = '["小学一年级", "小学二年级", "小学三年级", "小学四年级", "小学五年级", "小学六年级"]';
const seniorGrades =
  '["普通高中一年级", "普通高中二年级", "普通高中三年级", "中职一年级", "中职二年级", "中职三年级"]';

type Row = [code: string, name: string, scope: RuleScope, when: string];

function rules(category: RuleCategory, severity: RuleSeverity, rows: Row[]): StarterRule[] {
  return rows.map(([code, name, scope, when]) => ({ code, name, category, scope, severity, when }));
}

export const starterRules: StarterRule[] = [
  ...rules('id', 'error', [
    ['ID-001', '证件号码为空', 'person', 'blank(idNumber)'],
    [
      'ID-002',
      '证件号码位数或字符不正确',
      'person',
      'not blank(idNumber) and not matches(idNumber, "^\\d{17}[\\dXx](\\d{2}|\\d{4})?$")',
    ],
    [
      'ID-003',
      '证件号码中的出生日期无效',
      'person',
      'length(idNumber) in [18, 20, 22] and not validDate(substr(idNumber, 7, 8))',
    ],
    ['ID-004', '身份证号码校验位错误', 'person', 'length(idNumber) = 18 and not idCheckOk(idNumber)'],
    [
      'ID-005',
      '残疾人证号前 18 位校验位错误',
      'person',
      'length(idNumber) in [20, 22] and not idCheckOk(idNumber)',
    ],
    ['ID-006', '证件号码为占位号码', 'person', 'startsWith(idNumber, "999999")'],
  ]),
  {
    code: 'ID-007',
    name: '证件号码重复',
    category: 'id',
    scope: 'person',
    severity: 'error',
    kind: 'aggregate',
    note: '按前 18 位（大写）在全省有效人员中分组，需跨户比较，由 SQL 汇总检查完成',
  },
  ...rules('id', 'error', [
    ['ID-008', '性别与证件号码不一致', 'person', 'length(idNumber) = 18 and gender != idSex(idNumber)'],
    [
      'ID-009',
      '出生日期与证件号码不一致',
      'person',
      'not blank(birthDate) and birthDate != idBirthDate(idNumber)',
    ],
  ]),
  ...rules('missing', 'warning', [
    ['MIS-001', '监测对象劳动技能为空', 'person', `${monitored} and blank(laborSkill)`],
    ['MIS-002', '监测对象民族为空', 'person', `${monitored} and blank(ethnicity)`],
    ['MIS-003', '监测对象健康状况为空', 'person', `${monitored} and blank(health)`],
    [
      'MIS-004',
      '监测对象养老保险为空',
      'person',
      `${monitored} and blank(residentPension) and blank(employeePension) and age >= 16 and blank(schooling)`,
    ],
    ['MIS-005', '监测户致贫/返贫风险为空', 'household', `${monitoredHousehold} and blank(risk1)`],
    ['MIS-006', '监测户耕地面积为空', 'household', `${monitoredHousehold} and blank(arableLand)`],
    ['MIS-007', '监测户与村主干路距离为空', 'household', `${monitoredHousehold} and blank(distanceToRoad)`],
    ['MIS-008', '监测户是否通生活用电为空', 'household', `${monitoredHousehold} and blank(hasElectricity)`],
    ['MIS-009', '监测户入户道路是否硬化为空', 'household', `${monitoredHousehold} and blank(roadHardened)`],
    [
      'MIS-010',
      '脱贫户是否解决安全饮用水为空',
      'household',
      'householdType = "脱贫户" and blank(safeDrinkingWater)',
    ],
    [
      'MIS-011',
      '识别监测时间为空或无效',
      'household',
      `${monitoredHousehold} and not validMonth(identifiedAt)`,
    ],
    [
      'MIS-012',
      '已消除风险但消除时间或方式为空',
      'household',
      `${eliminated} and (blank(eliminatedAt) or blank(eliminationMethod))`,
    ],
    ['MIS-013', '风险为其他但未填其他备注', 'household', '"其他" in risks and blank(otherNote)'],
    [
      'MIS-014',
      '户联系电话为空或不是 11 位',
      'household',
      'blank(householdPhone) or not matches(householdPhone, "^[0-9]{11}$")',
    ],
    ['MIS-015', '已消除风险但风险消除后信息不全', 'household', `${eliminated} and (${postColumnBlank})`],
  ]),
  ...rules('basic_needs', 'warning', [
    ['NEED-001', '非监测户住危房', 'household', `blank(monitoringCategory) and dangerousHouse = "是"`],
    [
      'NEED-002',
      '非监测户未解决安全饮用水',
      'household',
      `blank(monitoringCategory) and safeDrinkingWater = "否"`,
    ],
    [
      'NEED-003',
      '非监测户有成员未参加大病保险',
      'household',
      'blank(monitoringCategory) and any(members, criticalIllnessInsurance = "否")',
    ],
    [
      'NEED-004',
      '非监测脱贫户人均纯收入低于监测标准',
      'household',
      'blank(monitoringCategory) and householdType = "脱贫户" and income.netIncomePerPerson < line',
    ],
    [
      'NEED-005',
      '非监测户有适龄儿童失学辍学',
      'household',
      'blank(monitoringCategory) and childDropout = "是"',
    ],
    [
      'NEED-006',
      '已消除风险户仍有两不愁三保障问题',
      'household',
      `${eliminated} and (dangerousHouse = "是" or safeDrinkingWater = "否" or income.postChildDropout = "是")`,
    ],
    [
      'NEED-007',
      '义务教育适龄人员无在校信息',
      'person',
      'age >= 6 and age <= 15 and blank(schooling) and blank(nonAttendanceReason)',
    ],
  ]),
  ...rules('logic', 'error', [
    ['LOG-001', '未满 16 岁却有劳动能力', 'person', 'age < 16 and laborSkill != "无劳动力"'],
    ['LOG-002', '65 岁及以上为普通或技能劳动力', 'person', `age >= 65 and laborSkill in ${labour}`],
    ['LOG-003', '在校生有劳动能力', 'person', 'not blank(schooling) and laborSkill != "无劳动力"'],
    [
      'LOG-004',
      '7 岁及以上健康人员为学龄前',
      'person',
      'age >= 7 and health = "健康" and schooling in ["学龄前儿童", "学前教育"]',
    ],
    ['LOG-005', '小学在校生年龄不符', 'person', `schooling in ${primaryGrades} and (age < 6 or age > 14)`],
    [
      'LOG-006',
      '初中在校生年龄不符',
      'person',
      'schooling in ["七年级", "八年级", "九年级"] and (age < 11 or age > 17)',
    ],
    [
      'LOG-007',
      '高中或中职在校生年龄不符',
      'person',
      `schooling in ${seniorGrades} and (age < 14 or age > 20)`,
    ],
    [
      'LOG-008',
      '未满 18 岁为技师或大专以上文化',
      'person',
      'education in ["技师", "大专", "本科及以上"] and age < 18',
    ],
    ['LOG-009', '未满 20 岁为硕士生及以上', 'person', 'schooling = "硕士生及以上" and age < 20'],
    [
      'LOG-010',
      '16–22 岁健康人员为文盲或小学文化',
      'person',
      'age >= 16 and age <= 22 and education in ["文盲或半文盲", "小学"] and health = "健康"',
    ],
    ['LOG-011', '文化程度与在校生状况同时填写', 'person', 'not blank(education) and not blank(schooling)'],
    [
      'LOG-012',
      '同时参加居民和职工医疗保险',
      'person',
      'residentMedicalInsurance = "是" and employeeMedicalInsurance = "是"',
    ],
    [
      'LOG-013',
      '未参加基本医疗保险',
      'person',
      '(blank(residentMedicalInsurance) or residentMedicalInsurance = "否") and (blank(employeeMedicalInsurance) or employeeMedicalInsurance = "否")',
    ],
    [
      'LOG-014',
      '因病因残未上学但健康',
      'person',
      'nonAttendanceReason in ["因病", "因残"] and health = "健康"',
    ],
    ['LOG-015', '残疾但证件类型不是残疾人证', 'person', 'health = "残疾" and idType != "残疾人证"'],
    ['LOG-016', '残疾人证但健康状况不是残疾', 'person', 'idType = "残疾人证" and health != "残疾"'],
    [
      'LOG-017',
      '肢体一、二级残疾为普通或技能劳动力',
      'person',
      `length(idNumber) in [20, 22] and substr(idNumber, 19, 2) in ["41", "42"] and laborSkill in ${labour}`,
    ],
    ['LOG-018', '配偶与户主性别相同', 'person', 'relation = "配偶" and gender = head.gender'],
    [
      'LOG-019',
      '女性亲属关系但性别为男',
      'person',
      'relation in ["之女", "之儿媳", "之母", "之婆婆", "之岳母", "之祖母", "之孙女", "之外孙女", "之侄女", "之曾孙女", "之兄弟媳妇"] and gender = "男"',
    ],
    [
      'LOG-020',
      '男性亲属关系但性别为女',
      'person',
      'relation in ["之子", "之女婿", "之父", "之公公", "之岳父", "之祖父", "之孙子", "之外孙子", "之侄儿", "之曾孙子"] and gender = "女"',
    ],
    ['LOG-021', '子女比户主小不到 15 岁', 'person', 'relation in ["之子", "之女"] and head.age - age < 15'],
    ['LOG-022', '父母比户主大不到 15 岁', 'person', 'relation in ["之父", "之母"] and age - head.age < 15'],
    [
      'LOG-023',
      '同时享受低保和特困供养',
      'person',
      'dibao in ["农村低保", "城市低保"] and tekun in ["农村特困", "城市特困"]',
    ],
    [
      'LOG-024',
      '家庭成员联系电话格式不正确',
      'person',
      'not blank(phone) and not matches(phone, "^1[3-9]\\d{9}$")',
    ],
    ['LOG-025', '公益性岗位人员年龄不符', 'person', 'not blank(publicJob) and (age < 16 or age >= 70)'],
    ['HH-001', '无户主', 'household', 'count(members, relation = "户主") = 0'],
    ['HH-002', '户主多于一人', 'household', 'count(members, relation = "户主") > 1'],
    [
      'HH-003',
      '人均纯收入超出合理范围',
      'household',
      'income.netIncomePerPerson < 0 or income.netIncomePerPerson > 200000',
    ],
    [
      'HH-004',
      '收入构成与人均纯收入不符',
      'household',
      'abs(income.wageIncome + income.businessIncome + income.propertyIncome + income.transferIncome - income.businessExpense - income.netIncomePerPerson * size) > abs(income.netIncomePerPerson * size) * 0.01',
    ],
    [
      'HH-005',
      '土地面积或距离超出合理范围',
      'household',
      'arableLand > 100 or forestLand > 200 or orchardLand > 200 or distanceToRoad > 50',
    ],
    [
      'HH-006',
      '兜底保障户有劳动力',
      'household',
      `noLabourSafetyNet = "是" and any(members, laborSkill in ${labour})`,
    ],
    [
      'HH-007',
      '识别监测时间晚于统计基准月',
      'household',
      `${monitoredHousehold} and monthsBetween(referenceMonth, identifiedAt) > 0`,
    ],
  ]),
  {
    code: 'HH-008',
    name: '户联系电话跨县重复',
    category: 'logic',
    scope: 'household',
    severity: 'error',
    kind: 'aggregate',
    note: '同一电话出现在两个及以上县的户中，需跨户比较，由 SQL 汇总检查完成',
  },
  ...rules('risk_measure', 'warning', [
    [
      'RISK-001',
      '因病风险但无患病成员',
      'household',
      '"因病" in risks and not any(members, health in ["长期慢性病", "患有大病"])',
    ],
    [
      'RISK-002',
      '因残风险但无残疾成员',
      'household',
      '"因残" in risks and not any(members, health = "残疾")',
    ],
    [
      'RISK-003',
      '因学风险但无在校生',
      'household',
      '"因学" in risks and not any(members, not blank(schooling))',
    ],
    [
      'RISK-004',
      '缺劳动力风险但劳动力较多',
      'household',
      `"缺劳动力" in risks and count(members, laborSkill in ${labour}) * 4 > size`,
    ],
    [
      'RISK-005',
      '务工就业不稳风险但无劳动力',
      'household',
      `"因务工就业不稳" in risks and not any(members, laborSkill in ${anyLabour})`,
    ],
    [
      'RISK-006',
      '因病风险未消除但合规自付支出为空或 0',
      'household',
      `${monitoredHousehold} and ${notEliminated} and "因病" in risks and (blank(income.eligibleMedicalCost) or income.eligibleMedicalCost = 0)`,
    ],
    [
      'RISK-007',
      '因病风险无健康或社会帮扶',
      'household',
      `${monitoredHousehold} and "因病" in risks and blank(measures.health) and blank(measures.social_aid)`,
    ],
    [
      'RISK-008',
      '因学风险无教育类帮扶',
      'household',
      `${monitoredHousehold} and "因学" in risks and blank(measures.compulsory_education) and blank(measures.education) and blank(measures.social_aid)`,
    ],
    [
      'RISK-009',
      '因残风险无综合保障或社会帮扶',
      'household',
      `${monitoredHousehold} and "因残" in risks and blank(measures.social_security) and blank(measures.social_aid)`,
    ],
    [
      'RISK-010',
      '住房安全风险无住房保障或搬迁',
      'household',
      `${monitoredHousehold} and "因安全住房" in risks and blank(measures.housing) and blank(measures.relocation)`,
    ],
    [
      'RISK-011',
      '饮水安全风险无饮水保障',
      'household',
      `${monitoredHousehold} and "因安全饮水" in risks and blank(measures.water)`,
    ],
    [
      'RISK-012',
      '有失学辍学但无义务教育保障',
      'household',
      `${monitoredHousehold} and childDropout = "是" and blank(measures.compulsory_education)`,
    ],
    [
      'RISK-013',
      '有成员未参加医保但无健康或社会帮扶',
      'household',
      `${monitoredHousehold} and uninsuredMember = "是" and blank(measures.health) and blank(measures.social_aid)`,
    ],
    [
      'RISK-014',
      '有劳动力但无开发式帮扶',
      'household',
      `${monitoredHousehold} and ${notEliminated} and any(members, laborSkill in ${labour}) and blank(measures.industry) and blank(measures.employment) and blank(measures.public_job) and blank(measures.finance)`,
    ],
  ]),
  ...rules('elimination', 'error', [
    [
      'ELIM-001',
      '帮扶消除但无任何帮扶措施',
      'household',
      `${eliminated} and eliminationMethod = "帮扶消除" and ${allMeasuresBlank}`,
    ],
    [
      'ELIM-002',
      '消除后人均纯收入低于监测标准',
      'household',
      `${eliminated} and income.postNetIncomePerPerson < line`,
    ],
    [
      'ELIM-003',
      '识别到消除不足 6 个月',
      'household',
      `${eliminated} and monthsBetween(identifiedAt, eliminatedAt) < 6`,
    ],
    [
      'ELIM-004',
      '帮扶消除与识别监测时间相差不超过 1 个月',
      'household',
      `${eliminated} and eliminationMethod = "帮扶消除" and abs(monthsBetween(identifiedAt, eliminatedAt)) <= 1`,
    ],
    [
      'ELIM-005',
      '已消除风险但无劳动力',
      'household',
      `${eliminated} and not any(members, laborSkill in ${anyLabour})`,
    ],
    [
      'ELIM-006',
      '消除监测时间早于识别监测时间',
      'household',
      `${eliminated} and monthsBetween(identifiedAt, eliminatedAt) < 0`,
    ],
    [
      'ELIM-007',
      '非监测户填写了风险消除信息',
      'household',
      'blank(monitoringCategory) and (not blank(riskEliminated) or not blank(eliminatedAt) or not blank(eliminationMethod))',
    ],
  ]),
];
