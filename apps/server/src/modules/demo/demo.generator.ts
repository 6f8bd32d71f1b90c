import { type MeasureCategory, measureCategories, measureValueSuggestions } from '@shouwang/domain';
import { applyDefects, type DefectDonors, type DefectMode } from './demo-defects.ts';
import {
  ageAt,
  birthDateFor,
  buildIncome,
  collectorPhonePrefixes,
  type DemoVillage,
  developmentMeasures,
  firstMonitoringMonth,
  formatMonth,
  formatYyyymmdd,
  type Gender,
  type Health,
  type HouseholdModel,
  hasLabour,
  householdPhonePrefixes,
  IdFactory,
  isProductive,
  type LaborSkill,
  type MemberModel,
  type MonitoringCategory,
  monthIndex,
  personPhonePrefixes,
  phoneFor,
  round1,
  writeIncome,
  writePostIncome,
} from './demo-model.ts';
import { isCommonSurname, pickGivenName, pickSurname } from './demo-names.ts';
import { createRandom, hashParts, type Random, weightedTable } from './demo-random.ts';
import {
  type DemoHousehold,
  type HouseholdRecord,
  label,
  measureField,
  no,
  type PersonRecord,
  yes,
  yesNo,
} from './demo-records.ts';

export type DemoScale = 'county' | 'city' | 'province';
export type { DefectMode } from './demo-defects.ts';
export type { DemoVillage } from './demo-model.ts';

export interface GenerateOptions {
  villages: readonly DemoVillage[];
  /** Total households, spread over the villages. */
  households: number;
  seed: number;
  defects?: DefectMode;
  /** Statistics year of the incomes; default: the year of the reference date. */
  year?: number;
  /** Ages and months are computed at this date; default: `statisticsReferenceDate(year)`. */
  referenceDate?: Date;
  /** Yuan per person per year; default: `defaultMonitoringLine(year)`. */
  monitoringLine?: number;
}

/**
 * Documented default monitoring lines (yuan per person per year) until the settings module owns them;
 * a province sets its own. Years outside the table take the nearest year's line.
 */
export const defaultMonitoringLines: Readonly<Record<number, number>> = {
  2021: 6000,
  2022: 6600,
  2023: 7300,
  2024: 7600,
  2025: 7800,
  2026: 8000,
};

export function defaultMonitoringLine(year: number): number {
  const years = Object.keys(defaultMonitoringLines).map(Number);
  const nearest = Math.min(Math.max(year, Math.min(...years)), Math.max(...years));
  return defaultMonitoringLines[nearest] as number;
}

/** Today (UTC midnight) for the current year, else 31 December of the year (as reports.md defines it). */
export function statisticsReferenceDate(year: number, today: Date = new Date()): Date {
  if (year === today.getUTCFullYear()) {
    return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  }
  return new Date(Date.UTC(year, 11, 31));
}

/** Households per scale: ~20 000 for one county, ~2 000 000 for the province, the province's density for a city. */
export function defaultHouseholdTarget(scale: DemoScale, villageCount: number): number {
  if (scale === 'county') return 20_000;
  if (scale === 'province') return 2_000_000;
  return Math.round(villageCount * 45);
}

// ---------------------------------------------------------------------------------------------
// Composition: who lives in the household

interface Skeleton {
  relation: string;
  gender: Gender;
  age: number;
  spouseOf: number | undefined;
}

const householdSizes = weightedTable<number>([
  [1, 17],
  [2, 27],
  [3, 21],
  [4, 17],
  [5, 11],
  [6, 5],
  [7, 1.5],
  [8, 0.5],
]);

const ageRanges = (ranges: ReadonlyArray<readonly [number, number, number]>) =>
  weightedTable(ranges.map(([low, high, weight]) => [[low, high] as const, weight] as const));
const headAgeBySize = {
  single: ageRanges([
    [62, 90, 62],
    [35, 61, 32],
    [22, 34, 6],
  ]),
  couple: ageRanges([
    [60, 86, 55],
    [40, 59, 30],
    [22, 39, 15],
  ]),
  family: ageRanges([
    [26, 44, 42],
    [45, 59, 34],
    [60, 80, 24],
  ]),
};

function headAge(random: Random, size: number): number {
  const [low, high] = (
    size === 1 ? headAgeBySize.single : size === 2 ? headAgeBySize.couple : headAgeBySize.family
  )(random);
  return random.integer(low, high);
}

const opposite = (gender: Gender): Gender => (gender === 'male' ? 'female' : 'male');
const childGender = (random: Random): Gender => (random.chance(0.52) ? 'male' : 'female');

function buildComposition(random: Random, size: number): Skeleton[] {
  const age = headAge(random, size);
  const headGender: Gender = random.chance(size === 1 ? 0.55 : 0.85) ? 'male' : 'female';
  const members: Skeleton[] = [{ relation: 'head', gender: headGender, age, spouseOf: undefined }];
  const head = members[0] as Skeleton;
  if (size >= 2 && random.chance(size === 2 ? 0.72 : 0.88)) {
    const gap = random.integer(-1, 5);
    const spouseAge = Math.min(100, Math.max(18, headGender === 'male' ? age - gap : age + gap));
    members.push({ relation: 'spouse', gender: opposite(headGender), age: spouseAge, spouseOf: 0 });
  }
  let hasFather = false;
  let hasMother = false;
  while (members.length < size) {
    const options: Array<readonly [() => Skeleton, number]> = [];
    const children = members.filter((member) => member.relation === 'son' || member.relation === 'daughter');
    if (head.age >= 20 && children.length < 4) {
      const weight = (head.age < 50 ? 7 : head.age < 65 ? 3 : 1) / (1 + children.length * 0.4);
      options.push([
        () => {
          const gender = childGender(random);
          return {
            relation: gender === 'male' ? 'son' : 'daughter',
            gender,
            age: head.age - random.integer(20, Math.min(38, head.age)),
            spouseOf: undefined,
          };
        },
        weight,
      ]);
    }
    const unmarriedSonIndex = members.findIndex(
      (member, index) =>
        member.relation === 'son' &&
        member.age >= 20 &&
        !members.some((other) => other.relation === 'daughter_in_law' && other.spouseOf === index),
    );
    if (unmarriedSonIndex >= 0) {
      const son = members[unmarriedSonIndex] as Skeleton;
      options.push([
        () => ({
          relation: 'daughter_in_law',
          gender: 'female',
          age: Math.max(18, son.age + random.integer(-4, 2)),
          spouseOf: unmarriedSonIndex,
        }),
        5,
      ]);
    }
    const parentSon = members.find((member) => member.relation === 'son' && member.age >= 21);
    const grandchildren = members.filter((member) => member.relation.startsWith('grand'));
    if (parentSon && grandchildren.length < 4) {
      options.push([
        () => {
          const gender = childGender(random);
          const oldest = Math.max(0, parentSon.age - 34);
          return {
            relation: gender === 'male' ? 'grandson' : 'granddaughter',
            gender,
            age: random.integer(oldest, parentSon.age - 20),
            spouseOf: undefined,
          };
        },
        head.age >= 50 ? 8 : 2,
      ]);
    }
    const parentWeight = head.age < 40 ? 1.5 : head.age < 55 ? 0.6 : 0.1;
    if (!hasFather && head.age + 22 <= 92) {
      options.push([
        () => {
          hasFather = true;
          return {
            relation: 'father',
            gender: 'male',
            age: head.age + random.integer(22, 34),
            spouseOf: undefined,
          };
        },
        parentWeight,
      ]);
    }
    if (!hasMother && head.age + 20 <= 95) {
      options.push([
        () => {
          hasMother = true;
          return {
            relation: 'mother',
            gender: 'female',
            age: head.age + random.integer(20, 32),
            spouseOf: undefined,
          };
        },
        parentWeight,
      ]);
    }
    options.push([
      () => ({
        relation: 'sibling',
        gender: childGender(random),
        age: Math.max(16, head.age + random.integer(-10, 10)),
        spouseOf: undefined,
      }),
      0.2,
    ]);
    const member = random.weighted(options)();
    members.push({ ...member, age: Math.min(member.age, 100) });
  }
  return members;
}

// ---------------------------------------------------------------------------------------------
// Person facts

function healthOf(random: Random, age: number, multiplier: number): Health {
  const [chronic, serious, disabled] =
    age < 16
      ? [0.01, 0.004, 0.008]
      : age < 45
        ? [0.03, 0.01, 0.02]
        : age < 60
          ? [0.1, 0.025, 0.04]
          : age < 75
            ? [0.24, 0.05, 0.06]
            : [0.36, 0.07, 0.09];
  const point = random.next();
  if (point < disabled * multiplier) return 'disabled';
  if (point < (disabled + serious) * multiplier) return 'serious_illness';
  if (point < (disabled + serious + chronic) * multiplier) return 'chronic_illness';
  return 'healthy';
}

const disabilityCategories = weightedTable<number>([
  [4, 45],
  [1, 12],
  [2, 12],
  [3, 3],
  [5, 10],
  [6, 12],
  [7, 6],
]);
const disabilityGrades = weightedTable<number>([
  [1, 15],
  [2, 25],
  [3, 30],
  [4, 30],
]);

/** Education of people past school age, by birth cohort (rural Henan: the old often never went to school). */
const educationByCohort: ReadonlyArray<readonly [number, (random: Random) => string]> = [
  [
    1950,
    weightedTable([
      ['illiterate', 50],
      ['primary', 40],
      ['junior_secondary', 10],
    ]),
  ],
  [
    1960,
    weightedTable([
      ['illiterate', 25],
      ['primary', 45],
      ['junior_secondary', 27],
      ['senior_secondary', 3],
    ]),
  ],
  [
    1970,
    weightedTable([
      ['illiterate', 8],
      ['primary', 35],
      ['junior_secondary', 45],
      ['senior_secondary', 12],
    ]),
  ],
  [
    1980,
    weightedTable([
      ['illiterate', 3],
      ['primary', 20],
      ['junior_secondary', 60],
      ['senior_secondary', 15],
      ['college', 2],
    ]),
  ],
  [
    1990,
    weightedTable([
      ['primary', 8],
      ['junior_secondary', 60],
      ['senior_secondary', 20],
      ['technician', 2],
      ['college', 7],
      ['bachelor_or_above', 3],
    ]),
  ],
  [
    Number.POSITIVE_INFINITY,
    weightedTable([
      ['primary', 2],
      ['junior_secondary', 45],
      ['senior_secondary', 28],
      ['technician', 2],
      ['college', 15],
      ['bachelor_or_above', 8],
    ]),
  ],
];

function cohortEducation(random: Random, birthYear: number): string {
  const [, table] = educationByCohort.find(
    ([before]) => birthYear < before,
  ) as (typeof educationByCohort)[number];
  return table(random);
}

const schoolTracks = weightedTable<'senior' | 'vocational' | 'left'>([
  ['senior', 60],
  ['vocational', 30],
  ['left', 10],
]);
const primaryGrades = ['primary_1', 'primary_2', 'primary_3', 'primary_4', 'primary_5', 'primary_6'];
const juniorGrades = ['grade_7', 'grade_8', 'grade_9'];

/**
 * School by the age on 31 August of the current school year (children who are 6 by then start
 * 小学一年级): a student has 在校生状况 and a blank 文化程度; someone who left has 文化程度 and no 在校生状况.
 */
function assignSchooling(random: Random, member: MemberModel, reference: Date): void {
  const schoolYear =
    reference.getUTCMonth() >= 8 ? reference.getUTCFullYear() : reference.getUTCFullYear() - 1;
  const ageAtStart = ageAt(member.birthDate, new Date(Date.UTC(schoolYear, 7, 31)));
  if (ageAtStart >= 25) {
    member.education = cohortEducation(random, member.birthDate.getUTCFullYear());
    return;
  }
  if (member.health === 'disabled' && member.age >= 6 && member.age <= 15 && random.chance(0.2)) {
    member.nonAttendanceReason = '因残';
    return;
  }
  const grade = ageAtStart - 5;
  if (grade <= 0) {
    member.schooling = ageAtStart >= 3 && random.chance(0.85) ? 'preschool' : 'preschool_child';
    return;
  }
  if (grade <= 6) {
    member.schooling = primaryGrades[grade - 1];
    return;
  }
  if (grade <= 9) {
    member.schooling = juniorGrades[grade - 7];
    return;
  }
  let track = schoolTracks(random);
  // Nobody under 16 leaves school: 义务教育 (NEED-007).
  if (track === 'left' && member.age <= 15) track = 'senior';
  if (track === 'left') {
    member.education = 'junior_secondary';
    return;
  }
  if (grade <= 12) {
    member.schooling = `${track}_${grade - 9}`;
    return;
  }
  if (!random.chance(track === 'senior' ? 0.55 : 0.25)) {
    member.education = 'senior_secondary';
    return;
  }
  const bachelor = track === 'senior' && random.chance(0.45);
  if (!bachelor) {
    if (grade <= 15) member.schooling = `higher_vocational_${grade - 12}`;
    else member.education = 'college';
    return;
  }
  if (grade <= 16) member.schooling = 'undergraduate';
  else if (grade <= 19 && random.chance(0.06)) member.schooling = 'postgraduate';
  else member.education = 'bachelor_or_above';
}

function laborSkillOf(random: Random, member: MemberModel): LaborSkill {
  if (member.age < 16 || member.schooling !== undefined) return 'none';
  if (member.health === 'disabled') {
    const disability = member.disability;
    if (disability && (disability.grade === 1 || (disability.category === 4 && disability.grade === 2)))
      return 'lost';
    return random.chance(0.7) ? 'weak' : 'lost';
  }
  if (member.health === 'serious_illness') return random.chance(0.4) ? 'weak' : 'lost';
  if (member.health === 'chronic_illness') {
    if (member.age < 60) return random.chance(0.55) ? 'ordinary' : 'weak';
    return random.chance(0.7) ? 'weak' : 'lost';
  }
  if (member.age < 60) return random.chance(member.age < 50 ? 0.22 : 0.1) ? 'skilled' : 'ordinary';
  if (member.age < 65) return random.chance(0.55) ? 'ordinary' : 'weak';
  if (member.age < 75) return random.chance(0.85) ? 'weak' : 'lost';
  return random.chance(0.45) ? 'weak' : 'lost';
}

const workLocations = weightedTable<string>([
  ['within_township', 15],
  ['within_county', 20],
  ['within_province', 25],
  ['outside_province', 38],
  ['abroad', 2],
]);

const ethnicities = weightedTable<string>([
  ['汉族', 988],
  ['回族', 10],
  ['蒙古族', 1],
  ['满族', 1],
]);

// ---------------------------------------------------------------------------------------------
// Monitoring: risks and measures that fit the members

const measureValues = measureValueSuggestions;

const publicJobs = ['乡村保洁员', '护林员', '护路员', '水管员', '村级公益岗', '防返贫监测信息员'];
const otherRiskNotes = ['家庭成员突发重大变故', '收入骤减', '刚性支出较大', '主要劳动力长期失联'];

function addMeasure(model: HouseholdModel, category: MeasureCategory, value: string): void {
  const values = model.measures.get(category) ?? [];
  if (!values.includes(value)) values.push(value);
  model.measures.set(category, values);
}

function isStudent(member: MemberModel): boolean {
  return (
    member.schooling !== undefined &&
    member.schooling !== 'preschool_child' &&
    member.schooling !== 'preschool'
  );
}

function chooseRisks(random: Random, model: HouseholdModel): void {
  const members = model.members;
  const productive = members.filter((member) => isProductive(member.laborSkill)).length;
  const candidates: Array<readonly [string, number]> = [];
  if (members.some((member) => member.health === 'chronic_illness' || member.health === 'serious_illness')) {
    candidates.push(['illness', 40]);
  }
  if (members.some((member) => member.health === 'disabled')) candidates.push(['disability', 15]);
  if (members.some(isStudent)) {
    const beyondCompulsory = members.some((member) =>
      /senior|vocational|undergraduate/.test(member.schooling ?? ''),
    );
    candidates.push(['schooling', beyondCompulsory ? 25 : 10]);
  }
  if (productive * 4 <= members.length) candidates.push(['labour_shortage', 10]);
  if (members.some((member) => hasLabour(member.laborSkill))) {
    candidates.push(['unstable_employment', 10]);
    candidates.push(['business_failure', 4]);
  }
  candidates.push(['accident', model.category === 'sudden_hardship' ? 20 : 8]);
  candidates.push(['disaster', model.category === 'sudden_hardship' ? 12 : 5]);
  candidates.push(['housing', 3]);
  candidates.push(['water', 2]);
  candidates.push(['other', 2]);
  const count = random.weighted([
    [1, 50],
    [2, 35],
    [3, 15],
  ] as const);
  while (model.risks.length < count && candidates.length > 0) {
    const risk = random.weighted(candidates);
    model.risks.push(risk);
    candidates.splice(
      candidates.findIndex(([candidate]) => candidate === risk),
      1,
    );
  }
  if (model.risks.includes('other')) model.otherNote = random.pick(otherRiskNotes);
}

/** Measures that answer the risks (RISK-007…011), development measures where there is labour (RISK-014). */
function chooseMeasures(random: Random, model: HouseholdModel): void {
  const members = model.members;
  for (const risk of model.risks) {
    if (risk === 'illness') {
      addMeasure(model, 'health', measureValues.health[0] as string);
      if (random.chance(0.5)) addMeasure(model, 'health', random.pick(measureValues.health));
    } else if (risk === 'disability') {
      addMeasure(model, 'social_security', '残疾人两项补贴');
    } else if (risk === 'schooling') {
      const compulsory = members.some((member) => /^(primary|grade)_/.test(member.schooling ?? ''));
      const vocational = members.some((member) => /vocational/.test(member.schooling ?? ''));
      if (compulsory) addMeasure(model, 'compulsory_education', '教育资助');
      if (vocational) addMeasure(model, 'education', '雨露计划');
      if (!compulsory && !vocational)
        addMeasure(model, 'education', random.pick(['助学金', '生源地助学贷款']));
    } else if (risk === 'housing') {
      addMeasure(model, 'housing', '农村危房改造');
    } else if (risk === 'water') {
      addMeasure(model, 'water', '饮水安全巩固提升工程');
    } else if (risk === 'accident' || risk === 'disaster') {
      addMeasure(model, 'social_security', '临时救助');
    }
  }
  if (members.some((member) => isProductive(member.laborSkill))) {
    const publicJobCandidate = members.find(
      (member) =>
        member.age >= 16 &&
        member.age <= 69 &&
        (member.laborSkill === 'ordinary' || member.laborSkill === 'weak'),
    );
    const choices: Array<readonly [MeasureCategory, number]> = [
      ['industry', 35],
      ['employment', 35],
      ['finance', 10],
    ];
    if (publicJobCandidate) choices.push(['public_job', 20]);
    const categories = new Set([random.weighted(choices)]);
    if (random.chance(0.4)) categories.add(random.weighted(choices));
    if (model.risks.includes('unstable_employment')) categories.add('employment');
    if (model.risks.includes('business_failure')) categories.add('industry');
    for (const category of categories) {
      if (category === 'public_job' && publicJobCandidate) {
        publicJobCandidate.publicJob = random.pick(publicJobs);
        publicJobCandidate.publicJobMonths = random.integer(6, 12);
      }
      addMeasure(model, category, random.pick(measureValues[category]));
    }
  } else if (members.some((member) => member.laborSkill === 'weak') && random.chance(0.5)) {
    addMeasure(model, 'industry', random.pick(['光伏收益分配', '带资入股分红']));
  }
  if (random.chance(0.15)) addMeasure(model, 'social_aid', random.pick(measureValues.social_aid));
  if (random.chance(0.1))
    addMeasure(model, 'living_conditions', random.pick(measureValues.living_conditions));
  if (random.chance(0.05)) addMeasure(model, 'infrastructure', random.pick(measureValues.infrastructure));
  if (model.measures.size === 0) addMeasure(model, 'social_aid', '结对帮扶');
}

// ---------------------------------------------------------------------------------------------
// One household

interface VillageContext {
  village: DemoVillage;
  random: Random;
  defectRandom: Random;
  dominantSurname: string;
  collectorName: string;
  collectorPhone: string;
}

interface RunContext {
  seed: number;
  reference: Date;
  referenceMonth: number;
  line: number;
  ids: IdFactory;
  defects: DefectMode;
  donors: DefectDonors;
  householdIndex: number;
  personIndex: number;
}

function buildHouseholdModel(run: RunContext, place: VillageContext, householdNo: string): HouseholdModel {
  const random = place.random;
  const lifted = random.chance(0.35);
  let category: MonitoringCategory | undefined;
  if (lifted) {
    if (random.chance(0.09)) category = 'unstable_lifted';
  } else {
    const point = random.next();
    if (point < 0.035) category = 'marginal';
    else if (point < 0.05) category = 'sudden_hardship';
  }
  const healthMultiplier = category ? 2.2 : lifted ? 1.3 : 1;
  const familySurname = random.chance(0.4) ? place.dominantSurname : pickSurname(random);
  const ethnicity = ethnicities(random);
  const skeletons = buildComposition(random, householdSizes(random));
  const members: MemberModel[] = skeletons.map((skeleton) => {
    const birthDate = birthDateFor(random, skeleton.age, run.reference);
    const sharesSurname = [
      'head',
      'son',
      'daughter',
      'grandson',
      'granddaughter',
      'father',
      'sibling',
    ].includes(skeleton.relation);
    const surname =
      skeleton.relation === 'head' && skeleton.gender === 'female'
        ? pickSurname(random)
        : sharesSurname
          ? familySurname
          : pickSurname(random);
    const member: MemberModel = {
      relation: skeleton.relation,
      gender: skeleton.gender,
      age: skeleton.age,
      birthDate,
      birthText: formatYyyymmdd(birthDate),
      name: `${surname}${pickGivenName(random, skeleton.gender, birthDate.getUTCFullYear())}`,
      health: healthOf(random, skeleton.age, healthMultiplier),
      disability: undefined,
      schooling: undefined,
      education: undefined,
      nonAttendanceReason: undefined,
      laborSkill: 'none',
      workLocation: undefined,
      phone: undefined,
      idNumber: '',
      publicJob: undefined,
      publicJobMonths: undefined,
      employeeInsurance: false,
      residentPension: undefined,
      employeePension: undefined,
      medicalAid: false,
      spouseOf: skeleton.spouseOf,
    };
    if (member.health === 'disabled') {
      member.disability = { category: disabilityCategories(random), grade: disabilityGrades(random) };
    }
    assignSchooling(random, member, run.reference);
    member.laborSkill = laborSkillOf(random, member);
    if (member.age >= 16 && member.age <= 60 && member.schooling === undefined) {
      if (isProductive(member.laborSkill) && random.chance(0.7)) member.workLocation = workLocations(random);
      else if (member.laborSkill === 'weak' && random.chance(0.2)) member.workLocation = 'within_township';
    }
    member.employeeInsurance =
      member.laborSkill === 'skilled' && member.workLocation !== undefined && random.chance(0.15);
    if (member.age >= 16 && member.schooling === undefined) {
      member.employeePension = member.employeeInsurance;
      member.residentPension = !member.employeeInsurance && random.chance(0.93);
    }
    const base18 = run.ids.next(member.birthText, member.gender);
    member.idNumber = member.disability
      ? `${base18}${member.disability.category}${member.disability.grade}`
      : base18;
    return member;
  });

  const model: HouseholdModel = {
    village: place.village,
    householdNo,
    lifted,
    category,
    identifiedAt: undefined,
    eliminatedAt: undefined,
    eliminationMethod: undefined,
    risks: [],
    otherNote: '',
    measures: new Map(),
    members,
    ethnicity,
    dibao: 'none',
    tekun: 'none',
    noLabourSafetyNet: false,
  };

  const productive = members.some((member) => isProductive(member.laborSkill));
  const anyLabour = members.some((member) => hasLabour(member.laborSkill));
  if (members.length === 1 && (members[0] as MemberModel).age >= 60 && !productive && random.chance(0.12)) {
    model.tekun = 'rural';
  } else if (random.chance(category ? (productive ? 0.25 : 0.75) : lifted ? 0.08 : 0.015)) {
    model.dibao = 'rural';
  }
  model.noLabourSafetyNet = !productive && (model.dibao === 'rural' || model.tekun === 'rural');

  if (category) {
    const earliest = category === 'sudden_hardship' ? monthIndex(2022, 1) : firstMonitoringMonth;
    model.identifiedAt = random.integer(Math.min(earliest, run.referenceMonth), run.referenceMonth);
    if (run.referenceMonth - model.identifiedAt >= 6 && anyLabour && random.chance(0.62)) {
      model.eliminatedAt = random.integer(model.identifiedAt + 6, run.referenceMonth);
      model.eliminationMethod = random.chance(0.85) ? 'assisted' : 'natural';
    }
    chooseRisks(random, model);
    chooseMeasures(random, model);
    for (const member of members) {
      member.medicalAid = member.health !== 'healthy' && random.chance(0.6);
    }
  } else if (lifted) {
    if (productive && random.chance(0.35)) addMeasure(model, 'industry', random.pick(measureValues.industry));
    if (productive && random.chance(0.2))
      addMeasure(model, 'employment', random.pick(measureValues.employment));
    if (random.chance(0.1)) addMeasure(model, 'health', measureValues.health[0] as string);
  }
  if (model.dibao === 'rural') addMeasure(model, 'social_security', '低保');
  if (model.tekun === 'rural') addMeasure(model, 'social_security', '特困供养');
  if (model.dibao === 'rural' || model.tekun === 'rural') {
    for (const member of members) if (member.health !== 'healthy') member.medicalAid = true;
  }

  for (const member of members) {
    if (member.relation === 'head') continue;
    if (member.age >= 18 && member.age <= 75 ? random.chance(0.7) : member.age > 75 && random.chance(0.2)) {
      member.phone = phoneFor(personPhonePrefixes, run.personIndex, run.seed);
    }
    run.personIndex += 1;
  }
  return model;
}

function renderHousehold(
  random: Random,
  run: RunContext,
  place: VillageContext,
  model: HouseholdModel,
): HouseholdRecord {
  const village = place.village;
  const members = model.members;
  const monitored = model.category !== undefined;
  const eliminated = model.eliminatedAt !== undefined;
  const housingProblem = monitored && !eliminated && model.risks.includes('housing');
  const waterProblem = monitored && !eliminated && model.risks.includes('water');
  const householdPhone = phoneFor(householdPhonePrefixes, run.householdIndex, run.seed);
  const head = members.find((member) => member.relation === 'head') as MemberModel;
  head.phone = householdPhone;
  const size = members.length;
  const record = {
    countyName: village.countyName,
    townshipName: village.townshipName,
    villageName: village.name,
    regionCode: village.code,
    householdNo: model.householdNo,
    householdType: label('householdType', model.lifted ? 'lifted' : 'ordinary'),
    householdPhone,
    monitoringCategory: label('monitoringCategory', model.category),
    identifiedAt: model.identifiedAt === undefined ? '' : formatMonth(model.identifiedAt),
    riskEliminated: monitored ? yesNo(eliminated) : '',
    eliminationMethod: label('eliminationMethod', model.eliminationMethod),
    eliminatedAt: model.eliminatedAt === undefined ? '' : formatMonth(model.eliminatedAt),
    risk1: label('riskType', model.risks[0]),
    risk2: label('riskType', model.risks[1]),
    risk3: label('riskType', model.risks[2]),
    risk4: label('riskType', model.risks[3]),
    risk5: label('riskType', model.risks[4]),
    otherNote: model.otherNote,
    noLabourSafetyNet: yesNo(model.noLabourSafetyNet),
    arableLand: random.chance(0.05) ? '0' : round1(size * (0.7 + random.next())),
    forestLand: random.chance(0.92) ? '0' : round1(0.5 + random.next() * 4.5),
    returnedFarmland: random.chance(0.97) ? '0' : round1(0.5 + random.next() * 2.5),
    orchardLand: random.chance(0.92) ? '0' : round1(0.3 + random.next() * 3.7),
    pastureLand: '0',
    waterSurface: random.chance(0.98) ? '0' : round1(0.5 + random.next() * 2.5),
    distanceToRoad: round1(random.next() * 2.5),
    roadHardened: yesNo(random.chance(0.96)),
    housingArea: String(size === 1 ? random.integer(30, 120) : random.integer(60, 220)),
    dangerousHouse: yesNo(housingProblem),
    hasElectricity: yes,
    hasSanitaryToilet: yesNo(random.chance(0.85)),
    safeDrinkingWater: yesNo(!waterProblem),
    childDropout: no,
    uninsuredMember: no,
    netIncomePerPerson: '',
    wageIncome: '',
    businessIncome: '',
    propertyIncome: '',
    transferIncome: '',
    businessExpense: '',
    eligibleMedicalCost: '0',
    postChildDropout: '',
    postHousingDamaged: '',
    postUninsuredMember: '',
    postWaterDamaged: '',
    postWageIncome: '',
    postPropertyIncome: '',
    postTransferIncome: '',
    postBusinessIncome: '',
    postBusinessExpense: '',
    postNetIncome: '',
    postNetIncomePerPerson: '',
    postInsuranceClaims: '',
    postEligibleMedicalCost: '',
    developmentAssistance: '',
    'measure:industry': '',
    'measure:employment': '',
    'measure:public_job': '',
    'measure:finance': '',
    'measure:health': '',
    'measure:education': '',
    'measure:compulsory_education': '',
    'measure:housing': '',
    'measure:water': '',
    'measure:social_security': '',
    'measure:social_aid': '',
    'measure:relocation': '',
    'measure:living_conditions': '',
    'measure:infrastructure': '',
    publicJobAssistanceNote: '',
    collectorName: place.collectorName,
    collectorPhone: place.collectorPhone,
    policyEnjoyed: model.lifted ? yesNo(random.chance(0.72)) : '',
  } satisfies HouseholdRecord;

  for (const category of measureCategories) {
    const values = model.measures.get(category.code);
    if (values) record[measureField(category.code)] = values.join(',');
  }
  if (monitored || model.measures.size > 0) {
    const development = developmentMeasures.some((category) => model.measures.has(category));
    record.developmentAssistance = development ? yes : monitored ? '尚未实施' : '';
  }

  // Incomes of the statistics year: around and below the line while monitored, above it otherwise.
  const line = run.line;
  const perPerson = !monitored
    ? line * (model.lifted ? 1.15 + random.next() * 1.85 : 1.3 + random.next() * 2.7)
    : eliminated
      ? line * (1.08 + random.next() * 0.6)
      : line * (0.55 + random.next() * 0.53);
  writeIncome(record, buildIncome(random, perPerson, model));
  if (members.some((member) => member.health === 'chronic_illness' || member.health === 'serious_illness')) {
    record.eligibleMedicalCost = String(random.integer(500, monitored ? 12_000 : 5_000));
  }
  if (eliminated) {
    writePostIncome(record, buildIncome(random, line * (1.05 + random.next() * 0.55), model));
    record.postChildDropout = no;
    record.postHousingDamaged = no;
    record.postUninsuredMember = no;
    record.postWaterDamaged = no;
    const claims = model.risks.includes('illness') || model.risks.includes('accident');
    record.postInsuranceClaims = claims && random.chance(0.5) ? String(random.integer(500, 6_000)) : '0';
    record.postEligibleMedicalCost = model.risks.includes('illness')
      ? String(random.integer(300, 6_000))
      : '0';
  }
  return record;
}

function renderMember(model: HouseholdModel, member: MemberModel, index: number): PersonRecord {
  const welfare = model.dibao === 'rural' || model.tekun === 'rural';
  return {
    personNo: `${model.householdNo}${index < 9 ? '0' : ''}${index + 1}`,
    name: member.name,
    idNumber: member.idNumber,
    idType: member.disability ? label('idType', 'disability_cert') : '',
    relation: label('relation', member.relation),
    gender: label('gender', member.gender),
    birthDate: member.birthText,
    ethnicity: model.ethnicity,
    phone: member.phone ?? '',
    workLocation: label('workLocation', member.workLocation),
    employmentChannel: '',
    education: label('education', member.education),
    schooling: label('schooling', member.schooling),
    nonAttendanceReason: member.nonAttendanceReason ?? '',
    health: label('health', member.health),
    laborSkill: label('laborSkill', member.laborSkill),
    publicJob: member.publicJob ?? '',
    publicJobMonths: member.publicJobMonths === undefined ? '' : String(member.publicJobMonths),
    residentMedicalInsurance: yesNo(!member.employeeInsurance),
    employeeMedicalInsurance: yesNo(member.employeeInsurance),
    criticalIllnessInsurance: yes,
    medicalAid: yesNo(member.medicalAid || (welfare && member.health !== 'healthy')),
    residentPension: yesNo(member.residentPension),
    employeePension: yesNo(member.employeePension),
    dibao: label('dibao', model.dibao),
    tekun: label('tekun', model.tekun),
    tekunAllowance: model.tekun === 'rural' ? String(6_000 + (hashParts(model.householdNo) % 8) * 120) : '',
  };
}

// ---------------------------------------------------------------------------------------------
// The run

/** Households per village: a weight of 200–600 per village, scaled so the total is exactly the target. */
export function planVillageCounts(villages: readonly DemoVillage[], target: number, seed: number): number[] {
  const weights = villages.map((village) => 200 + (hashParts(seed, 'size', village.code) % 401));
  const sum = weights.reduce((total, weight) => total + weight, 0);
  const counts: number[] = [];
  let cumulative = 0;
  let assigned = 0;
  for (const weight of weights) {
    cumulative += weight;
    const upTo = Math.round((cumulative * target) / sum);
    counts.push(upTo - assigned);
    assigned = upTo;
  }
  return counts;
}

function villageContext(seed: number, village: DemoVillage, index: number): VillageContext {
  const random = createRandom(seed, village.code);
  const first = village.name.charAt(0);
  const dominantSurname = isCommonSurname(first) ? first : pickSurname(random);
  const collectorGender: Gender = random.chance(0.6) ? 'male' : 'female';
  return {
    village,
    random,
    defectRandom: createRandom(seed, village.code, 'defects'),
    dominantSurname,
    collectorName: `${pickSurname(random)}${pickGivenName(random, collectorGender, 1975 + random.integer(0, 25))}`,
    collectorPhone: phoneFor(collectorPhonePrefixes, index, seed),
  };
}

/**
 * Demo households for real villages, one at a time (a province's two million never sit in memory).
 * The same options give the same households, byte for byte; `defects` only adds changes on top.
 */
export function* generateDemoHouseholds(options: GenerateOptions): Generator<DemoHousehold> {
  const reference =
    options.referenceDate ?? statisticsReferenceDate(options.year ?? new Date().getUTCFullYear());
  const year = options.year ?? reference.getUTCFullYear();
  const villages = [...options.villages].sort((left, right) => (left.code < right.code ? -1 : 1));
  const counts = planVillageCounts(villages, options.households, options.seed);
  const run: RunContext = {
    seed: options.seed,
    reference,
    referenceMonth: monthIndex(reference.getUTCFullYear(), reference.getUTCMonth() + 1),
    line: options.monitoringLine ?? defaultMonitoringLine(year),
    ids: new IdFactory(options.seed),
    defects: options.defects ?? 'importable',
    donors: { phone: undefined, persons: new Map() },
    householdIndex: 0,
    personIndex: 0,
  };
  for (let villageIndex = 0; villageIndex < villages.length; villageIndex += 1) {
    const count = counts[villageIndex] as number;
    if (count === 0) continue;
    const village = villages[villageIndex] as DemoVillage;
    if (village.countyCode !== run.donors.phone?.currentCounty) {
      run.donors.phone = run.donors.phone?.lastOfCounty
        ? { currentCounty: village.countyCode, donor: run.donors.phone.lastOfCounty, lastOfCounty: undefined }
        : { currentCounty: village.countyCode, donor: undefined, lastOfCounty: undefined };
    }
    run.ids.useCounty(village.countyCode);
    const place = villageContext(options.seed, village, villageIndex);
    for (let sequence = 1; sequence <= count; sequence += 1) {
      const householdNo = `${village.code}${String(sequence).padStart(4, '0')}`;
      const model = buildHouseholdModel(run, place, householdNo);
      const household = renderHousehold(place.random, run, place, model);
      const members = model.members.map((member, index) => renderMember(model, member, index));
      const defects =
        run.defects === 'none'
          ? []
          : applyDefects({
              random: place.defectRandom,
              mode: run.defects,
              model,
              household,
              members,
              ids: run.ids,
              line: run.line,
              referenceMonth: run.referenceMonth,
              donors: run.donors,
            });
      run.householdIndex += 1;
      yield {
        householdNo,
        regionCode: village.code,
        countyCode: village.countyCode,
        household,
        members,
        defects,
      };
    }
  }
}
