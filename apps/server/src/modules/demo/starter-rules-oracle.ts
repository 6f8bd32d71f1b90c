import { hasValidCheckDigit, hasValidIdFormat, parseYyyymmdd } from '@shouwang/domain';
import { ageAt } from './demo-model.ts';
import {
  type DemoHousehold,
  type HouseholdRecord,
  measureField,
  measureFields,
  type PersonRecord,
  postEliminationFields,
  riskFields,
} from './demo-records.ts';

/**
 * A literal, record-at-a-time reading of the starter rules (/work/shared/rules/starter-rules.md) over
 * demo export records. Test oracle only: it lets the demo tests prove that clean households fire no
 * rule and that each injected defect fires exactly its rule. The quality module owns the real engine.
 */
export interface OracleOptions {
  referenceDate: Date;
  line: number;
}

const blank = (value: string | undefined) => value === undefined || value.trim() === '';
const productiveSkills = ['普通劳动力', '技能劳动力'];
const labourSkills = ['普通劳动力', '技能劳动力', '弱劳动力或半劳动力'];
const femaleRelations = [
  '之女',
  '之儿媳',
  '之母',
  '之婆婆',
  '之岳母',
  '之祖母',
  '之孙女',
  '之外孙女',
  '之侄女',
  '之曾孙女',
  '之兄弟媳妇',
];
const maleRelations = [
  '之子',
  '之女婿',
  '之父',
  '之公公',
  '之岳父',
  '之祖父',
  '之孙子',
  '之外孙子',
  '之侄儿',
  '之曾孙子',
];

function monthValue(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  return Number(match[1]) * 12 + month;
}

const numberOf = (text: string) => (blank(text) ? undefined : Number(text));

function ageOf(person: PersonRecord, reference: Date): number | undefined {
  const id = person.idNumber.trim();
  if ([18, 20, 22].includes(id.length)) {
    const fromId = parseYyyymmdd(id.slice(6, 14));
    if (fromId) return ageAt(fromId, reference);
  }
  const fromBirthDate = parseYyyymmdd(person.birthDate.trim());
  return fromBirthDate ? ageAt(fromBirthDate, reference) : undefined;
}

const isMale = (gender: string) => gender === '男' || gender === '1';
const isFemale = (gender: string) => gender === '女' || gender === '2';

function personRules(
  person: PersonRecord,
  household: HouseholdRecord,
  head: PersonRecord | undefined,
  options: OracleOptions,
): string[] {
  const fired: string[] = [];
  const fire = (code: string, condition: boolean) => {
    if (condition) fired.push(code);
  };
  const id = person.idNumber.trim();
  const age = ageOf(person, options.referenceDate);
  const known = age !== undefined;
  const years = age ?? 0;
  const monitored = !blank(household.monitoringCategory);
  const skill = person.laborSkill;
  const schooling = person.schooling;

  fire('ID-001', id === '');
  if (id !== '') {
    fire('ID-002', !hasValidIdFormat(id));
    fire('ID-003', [18, 20, 22].includes(id.length) && parseYyyymmdd(id.slice(6, 14)) === undefined);
    fire('ID-004', id.length === 18 && !hasValidCheckDigit(id));
    fire('ID-005', (id.length === 20 || id.length === 22) && !hasValidCheckDigit(id.slice(0, 18)));
    fire('ID-006', id.startsWith('999999'));
    if (id.length === 18 && /\d/.test(id.charAt(16)) && !blank(person.gender)) {
      const male = Number(id.charAt(16)) % 2 === 1;
      fire('ID-008', male ? isFemale(person.gender) : isMale(person.gender));
    }
    fire('ID-009', !blank(person.birthDate) && person.birthDate.trim() !== id.slice(6, 14));
  }
  fire('MIS-001', monitored && blank(skill));
  fire('MIS-002', monitored && blank(person.ethnicity));
  fire('MIS-003', monitored && blank(person.health));
  fire(
    'MIS-004',
    monitored &&
      blank(person.residentPension) &&
      blank(person.employeePension) &&
      known &&
      years >= 16 &&
      blank(schooling),
  );
  fire(
    'NEED-007',
    known && years >= 6 && years <= 15 && blank(schooling) && blank(person.nonAttendanceReason),
  );
  fire('LOG-001', known && years < 16 && !blank(skill) && skill !== '无劳动力');
  fire('LOG-002', known && years >= 65 && productiveSkills.includes(skill));
  fire('LOG-003', !blank(schooling) && !blank(skill) && skill !== '无劳动力');
  fire(
    'LOG-004',
    known && years >= 7 && person.health === '健康' && ['学龄前儿童', '学前教育'].includes(schooling),
  );
  fire('LOG-005', schooling.startsWith('小学') && known && (years < 6 || years > 14));
  fire('LOG-006', ['七年级', '八年级', '九年级'].includes(schooling) && known && (years < 11 || years > 17));
  fire('LOG-007', /^(普通高中|中职)/.test(schooling) && known && (years < 14 || years > 20));
  fire('LOG-008', ['技师', '大专', '本科及以上'].includes(person.education) && known && years < 18);
  fire('LOG-009', schooling === '硕士生及以上' && known && years < 20);
  fire(
    'LOG-010',
    known &&
      years >= 16 &&
      years <= 22 &&
      ['文盲或半文盲', '小学'].includes(person.education) &&
      person.health === '健康',
  );
  fire('LOG-011', !blank(person.education) && !blank(schooling));
  fire('LOG-012', person.residentMedicalInsurance === '是' && person.employeeMedicalInsurance === '是');
  fire('LOG-013', person.residentMedicalInsurance !== '是' && person.employeeMedicalInsurance !== '是');
  fire('LOG-014', ['因病', '因残'].includes(person.nonAttendanceReason) && person.health === '健康');
  fire('LOG-015', person.health === '残疾' && person.idType !== '残疾人证');
  fire('LOG-016', person.idType === '残疾人证' && !blank(person.health) && person.health !== '残疾');
  fire(
    'LOG-017',
    (id.length === 20 || id.length === 22) &&
      ['41', '42'].includes(id.slice(18, 20)) &&
      productiveSkills.includes(skill),
  );
  if (head) {
    const headAge = ageOf(head, options.referenceDate);
    fire('LOG-018', person.relation === '配偶' && !blank(person.gender) && person.gender === head.gender);
    if (known && headAge !== undefined) {
      fire('LOG-021', ['之子', '之女'].includes(person.relation) && headAge - years < 15);
      fire('LOG-022', ['之父', '之母'].includes(person.relation) && years - headAge < 15);
    }
  }
  fire('LOG-019', femaleRelations.includes(person.relation) && isMale(person.gender));
  fire('LOG-020', maleRelations.includes(person.relation) && isFemale(person.gender));
  fire(
    'LOG-023',
    ['农村低保', '城市低保'].includes(person.dibao) && ['农村特困', '城市特困'].includes(person.tekun),
  );
  fire('LOG-024', !blank(person.phone) && !/^1[3-9]\d{9}$/.test(person.phone));
  fire('LOG-025', !blank(person.publicJob) && known && (years < 16 || years >= 70));
  return fired;
}

function householdRules(
  household: HouseholdRecord,
  members: PersonRecord[],
  options: OracleOptions,
): string[] {
  const fired: string[] = [];
  const fire = (code: string, condition: boolean) => {
    if (condition) fired.push(code);
  };
  const monitored = !blank(household.monitoringCategory);
  const lifted = household.householdType === '脱贫户';
  const eliminated = household.riskEliminated === '是';
  const risks = new Set(riskFields.map((field) => household[field]).filter((value) => !blank(value)));
  const measure = (category: Parameters<typeof measureField>[0]) => !blank(household[measureField(category)]);
  const heads = members.filter((member) => member.relation === '户主').length;
  const productive = members.filter((member) => productiveSkills.includes(member.laborSkill)).length;
  const withLabour = members.some((member) => labourSkills.includes(member.laborSkill));
  const identified = monthValue(household.identifiedAt);
  const eliminatedAt = monthValue(household.eliminatedAt);
  const reference = options.referenceDate.getUTCFullYear() * 12 + options.referenceDate.getUTCMonth() + 1;
  const perPerson = numberOf(household.netIncomePerPerson);

  fire('MIS-005', monitored && blank(household.risk1));
  fire('MIS-006', monitored && blank(household.arableLand));
  fire('MIS-007', monitored && blank(household.distanceToRoad));
  fire('MIS-008', monitored && blank(household.hasElectricity));
  fire('MIS-009', monitored && blank(household.roadHardened));
  fire('MIS-010', lifted && blank(household.safeDrinkingWater));
  fire('MIS-011', monitored && identified === undefined);
  fire('MIS-012', eliminated && (blank(household.eliminatedAt) || blank(household.eliminationMethod)));
  fire('MIS-013', risks.has('其他') && blank(household.otherNote));
  fire('MIS-014', !/^\d{11}$/.test(household.householdPhone));
  fire('MIS-015', eliminated && postEliminationFields.some((field) => blank(household[field])));
  fire('NEED-001', !monitored && household.dangerousHouse === '是');
  fire('NEED-002', !monitored && household.safeDrinkingWater === '否');
  fire('NEED-003', !monitored && members.some((member) => member.criticalIllnessInsurance === '否'));
  fire('NEED-004', !monitored && lifted && perPerson !== undefined && perPerson < options.line);
  fire('NEED-005', !monitored && household.childDropout === '是');
  fire(
    'NEED-006',
    eliminated &&
      (household.dangerousHouse === '是' ||
        household.safeDrinkingWater === '否' ||
        household.postChildDropout === '是'),
  );
  fire('HH-001', heads === 0);
  fire('HH-002', heads > 1);
  fire('HH-003', perPerson !== undefined && (perPerson < 0 || perPerson > 200_000));
  const parts = [
    household.wageIncome,
    household.businessIncome,
    household.propertyIncome,
    household.transferIncome,
    household.businessExpense,
  ].map(numberOf);
  if (perPerson !== undefined && parts.every((part) => part !== undefined)) {
    const [wage, business, property, transfer, expense] = parts as number[];
    const sum =
      (wage as number) +
      (business as number) +
      (property as number) +
      (transfer as number) -
      (expense as number);
    const expected = perPerson * members.length;
    fire('HH-004', Math.abs(sum - expected) > Math.abs(expected) * 0.01);
  }
  fire(
    'HH-005',
    Number(household.arableLand || 0) > 100 ||
      Number(household.forestLand || 0) > 200 ||
      Number(household.orchardLand || 0) > 200 ||
      Number(household.distanceToRoad || 0) > 50,
  );
  fire('HH-006', household.noLabourSafetyNet === '是' && productive > 0);
  fire('HH-007', monitored && identified !== undefined && identified > reference);
  fire(
    'RISK-001',
    risks.has('因病') && !members.some((member) => ['长期慢性病', '患有大病'].includes(member.health)),
  );
  fire('RISK-002', risks.has('因残') && !members.some((member) => member.health === '残疾'));
  fire('RISK-003', risks.has('因学') && !members.some((member) => !blank(member.schooling)));
  fire('RISK-004', risks.has('缺劳动力') && productive > 0 && productive * 4 > members.length);
  fire('RISK-005', risks.has('因务工就业不稳') && !withLabour);
  const cost = numberOf(household.eligibleMedicalCost);
  fire('RISK-006', monitored && !eliminated && risks.has('因病') && (cost === undefined || cost === 0));
  fire('RISK-007', monitored && risks.has('因病') && !measure('health') && !measure('social_aid'));
  fire(
    'RISK-008',
    monitored &&
      risks.has('因学') &&
      !measure('compulsory_education') &&
      !measure('education') &&
      !measure('social_aid'),
  );
  fire('RISK-009', monitored && risks.has('因残') && !measure('social_security') && !measure('social_aid'));
  fire('RISK-010', monitored && risks.has('因安全住房') && !measure('housing') && !measure('relocation'));
  fire('RISK-011', monitored && risks.has('因安全饮水') && !measure('water'));
  fire('RISK-012', monitored && household.childDropout === '是' && !measure('compulsory_education'));
  fire(
    'RISK-013',
    monitored && household.uninsuredMember === '是' && !measure('health') && !measure('social_aid'),
  );
  fire(
    'RISK-014',
    monitored &&
      !eliminated &&
      productive > 0 &&
      !measure('industry') &&
      !measure('employment') &&
      !measure('public_job') &&
      !measure('finance'),
  );
  const assisted = household.eliminationMethod === '帮扶消除';
  fire('ELIM-001', eliminated && assisted && measureFields.every((field) => blank(household[field])));
  const postPerPerson = numberOf(household.postNetIncomePerPerson);
  fire('ELIM-002', eliminated && postPerPerson !== undefined && postPerPerson < options.line);
  if (eliminated && identified !== undefined && eliminatedAt !== undefined) {
    fire('ELIM-003', eliminatedAt - identified < 6);
    fire('ELIM-004', assisted && Math.abs(eliminatedAt - identified) <= 1);
    fire('ELIM-006', eliminatedAt < identified);
  }
  fire('ELIM-005', eliminated && !withLabour);
  fire(
    'ELIM-007',
    !monitored &&
      (!blank(household.riskEliminated) ||
        !blank(household.eliminatedAt) ||
        !blank(household.eliminationMethod)),
  );
  return fired;
}

/** The rules that fire, per household number. */
export function evaluateStarterRules(
  households: readonly DemoHousehold[],
  options: OracleOptions,
): Map<string, Set<string>> {
  const fired = new Map<string, Set<string>>();
  const idOwners = new Map<string, Set<string>>();
  const phoneCounties = new Map<string, Set<string>>();
  for (const { householdNo, household, members, countyCode } of households) {
    const codes = new Set<string>();
    const heads = members.filter((member) => member.relation === '户主');
    const head = heads.length === 1 ? heads[0] : undefined;
    for (const member of members) {
      for (const code of personRules(member, household, head, options)) codes.add(code);
      const id = member.idNumber.trim();
      if (id) {
        const key = id.slice(0, 18).toUpperCase();
        const owners = idOwners.get(key) ?? new Set<string>();
        owners.add(`${householdNo}#${owners.size}`);
        idOwners.set(key, owners);
      }
    }
    for (const code of householdRules(household, members, options)) codes.add(code);
    if (!blank(household.householdPhone)) {
      const counties = phoneCounties.get(household.householdPhone) ?? new Set<string>();
      counties.add(countyCode);
      phoneCounties.set(household.householdPhone, counties);
    }
    fired.set(householdNo, codes);
  }
  for (const owners of idOwners.values()) {
    if (owners.size < 2) continue;
    for (const owner of owners) fired.get(owner.split('#')[0] as string)?.add('ID-007');
  }
  for (const { householdNo, household } of households) {
    if ((phoneCounties.get(household.householdPhone)?.size ?? 0) >= 2) fired.get(householdNo)?.add('HH-008');
  }
  return fired;
}
