import type { MeasureCategory } from '@shouwang/domain';
import {
  buildIncome,
  developmentMeasures,
  formatMonth,
  formatYyyymmdd,
  type HouseholdModel,
  hasLabour,
  type IdFactory,
  isProductive,
  type MemberModel,
  writeIncome,
  writePostIncome,
} from './demo-model.ts';
import type { Random } from './demo-random.ts';
import {
  type HouseholdRecord,
  type InjectedDefect,
  label,
  measureField,
  measureFields,
  no,
  type PersonRecord,
  riskFields,
  yes,
} from './demo-records.ts';

/**
 * The defects the demo writes into an otherwise clean export, one per household at most, each the
 * smallest change that makes exactly its starter rule fire (/work/shared/rules/starter-rules.md), so
 * that a rule run over the demo data can be checked against this ledger. Rates are per eligible
 * household (one that can carry the defect: a monitored household for MIS-001, a household with a
 * spouse for LOG-018 …). docs/demo-data.md lists them.
 */
export type DefectMode = 'none' | 'importable' | 'all';

export interface DefectDonors {
  /** A household of an earlier county whose phone HH-008 reuses. */
  phone:
    | {
        currentCounty: string;
        donor: { phone: string; householdNo: string } | undefined;
        lastOfCounty: { phone: string; householdNo: string } | undefined;
      }
    | undefined;
  /** The latest clean person per sex and age, whose ID ID-007 reuses. */
  persons: Map<string, { idNumber: string; birthText: string; householdNo: string }>;
}

export interface DefectContext {
  random: Random;
  mode: DefectMode;
  model: HouseholdModel;
  household: HouseholdRecord;
  members: PersonRecord[];
  ids: IdFactory;
  line: number;
  referenceMonth: number;
  donors: DefectDonors;
}

type Injection = Omit<InjectedDefect, 'code'>;

export interface DefectDefinition {
  code: string;
  /** Probability per eligible household. */
  rate: number;
  /** Refused by the import as a file error, so written only with `--defects all`. */
  fileError?: boolean;
  /** Injects the defect, or answers undefined when the household cannot carry it. */
  inject(context: DefectContext): Injection | undefined;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const monitored = (context: DefectContext) => context.model.category !== undefined;
const eliminated = (context: DefectContext) => context.model.eliminatedAt !== undefined;

/** A random member matching the predicate, or undefined. */
function pickMember(
  context: DefectContext,
  predicate: (member: MemberModel, index: number) => boolean,
): number | undefined {
  const matching: number[] = [];
  context.model.members.forEach((member, index) => {
    if (predicate(member, index)) matching.push(index);
  });
  return matching.length === 0 ? undefined : context.random.pick(matching);
}

/** Sets a field on one member row and reports that member. */
function onMember(
  context: DefectContext,
  predicate: (member: MemberModel, index: number) => boolean,
  change: (record: PersonRecord, member: MemberModel) => void,
): Injection | undefined {
  const index = pickMember(context, predicate);
  if (index === undefined) return undefined;
  change(context.members[index] as PersonRecord, context.model.members[index] as MemberModel);
  return { member: index };
}

const plainId = (member: MemberModel) => member.disability === undefined;
const student = (member: MemberModel) => member.schooling !== undefined;
const hasMeasure = (context: DefectContext, category: MeasureCategory) =>
  context.household[measureField(category)] !== '';

/**
 * Making someone 普通/技能劳动力 must not also trip HH-006 (no-labour safety net), RISK-004 (缺劳动力)
 * or RISK-014 (labour without development measures).
 */
function productiveChangeIsSafe(context: DefectContext): boolean {
  if (context.household.noLabourSafetyNet === yes) return false;
  if (context.model.risks.includes('labour_shortage')) return false;
  if (monitored(context) && !eliminated(context)) {
    return developmentMeasures.some((category) => hasMeasure(context, category));
  }
  return true;
}

function addRisk(context: DefectContext, risk: string): boolean {
  if (context.model.risks.includes(risk)) return false;
  const slot = riskFields.find((field) => context.household[field] === '');
  if (!slot) return false;
  context.household[slot] = label('riskType', risk);
  return true;
}

function appendMeasure(context: DefectContext, category: MeasureCategory, value: string): void {
  const field = measureField(category);
  const current = context.household[field];
  if (!current.split(',').includes(value)) context.household[field] = current ? `${current},${value}` : value;
}

/** Clears measures, unless that leaves an assisted elimination with no measure at all (ELIM-001). */
function clearMeasures(context: DefectContext, categories: MeasureCategory[]): boolean {
  const remaining = measureFields.filter(
    (field) =>
      context.household[field] !== '' && !categories.some((category) => measureField(category) === field),
  );
  const assistedElimination = eliminated(context) && context.model.eliminationMethod === 'assisted';
  if (assistedElimination && remaining.length === 0) return false;
  for (const category of categories) context.household[measureField(category)] = '';
  return true;
}

const illnesses = new Set(['chronic_illness', 'serious_illness']);
const femaleRelations = new Set([
  'daughter',
  'daughter_in_law',
  'mother',
  'husbands_mother',
  'wifes_mother',
  'grandmother',
  'granddaughter',
  'maternal_granddaughter',
  'niece',
  'great_granddaughter',
  'sibling_in_law',
]);
const maleRelations = new Set([
  'son',
  'son_in_law',
  'father',
  'husbands_father',
  'wifes_father',
  'grandfather',
  'grandson',
  'maternal_grandson',
  'nephew',
  'great_grandson',
]);

/** A new ID (unique) for the member with the other sex digit, keeping a disability suffix. */
function idForGender(context: DefectContext, member: MemberModel, gender: 'male' | 'female'): string {
  const id18 = context.ids.nextForDefect(member.birthText, gender);
  return member.disability ? `${id18}${member.disability.category}${member.disability.grade}` : id18;
}

function wrongCheckCharacter(id: string): string {
  const right = id.charAt(17).toUpperCase();
  const wrong = right === 'X' ? '0' : String((Number(right) + 1 + (Number(id.charAt(3)) % 9)) % 10);
  return `${id.slice(0, 17)}${wrong === right ? 'X' : wrong}${id.slice(18)}`;
}

function setGender(context: DefectContext, index: number, gender: 'male' | 'female'): void {
  const member = context.model.members[index] as MemberModel;
  const record = context.members[index] as PersonRecord;
  record.gender = label('gender', gender);
  record.idNumber = idForGender(context, member, gender);
}

const within = (context: DefectContext, low: number, high: number) =>
  low + context.random.next() * (high - low);

// ---------------------------------------------------------------------------------------------
// The catalogue

const general = 0.003;
const rare = 0.005;
const monitoredRate = 0.015;
const riskRate = 0.02;
/** Few households carry these risks, so a higher share of them gets the defect. */
const riskMeasureRate = 0.08;
const eliminatedRate = 0.02;

export const defectCatalogue: DefectDefinition[] = [
  // ID: the ID number itself
  {
    code: 'ID-001',
    rate: general,
    inject: (context) =>
      onMember(context, plainId, (record) => {
        record.idNumber = '';
      }),
  },
  {
    code: 'ID-002',
    rate: 0.002,
    fileError: true,
    inject: (context) =>
      onMember(context, plainId, (record) => {
        record.idNumber = record.idNumber.slice(0, 17);
      }),
  },
  {
    code: 'ID-003',
    rate: general,
    inject: (context) =>
      onMember(context, plainId, (record, member) => {
        // Month 13 of the birth year, with a check character that is right for the wrong digits.
        record.idNumber = context.ids.nextForDefect(
          `${member.birthText.slice(0, 4)}13${member.birthText.slice(6)}`,
          member.gender,
        );
        record.birthDate = '';
      }),
  },
  {
    code: 'ID-004',
    rate: general,
    inject: (context) =>
      onMember(context, plainId, (record) => {
        record.idNumber = wrongCheckCharacter(record.idNumber);
      }),
  },
  {
    code: 'ID-005',
    rate: 0.02,
    inject: (context) =>
      onMember(
        context,
        (member) => !plainId(member),
        (record) => {
          record.idNumber = wrongCheckCharacter(record.idNumber);
        },
      ),
  },
  {
    code: 'ID-006',
    rate: general,
    inject: (context) =>
      onMember(context, plainId, (record, member) => {
        record.idNumber = context.ids.placeholder(member.birthText, member.gender);
      }),
  },
  {
    code: 'ID-007',
    rate: 0.002,
    fileError: true,
    inject(context) {
      const index = pickMember(
        context,
        (member) => plainId(member) && context.donors.persons.has(`${member.gender}:${member.age}`),
      );
      if (index === undefined) return undefined;
      const member = context.model.members[index] as MemberModel;
      const donor = context.donors.persons.get(`${member.gender}:${member.age}`);
      if (!donor || donor.householdNo === context.model.householdNo) return undefined;
      const record = context.members[index] as PersonRecord;
      record.idNumber = donor.idNumber;
      record.birthDate = donor.birthText;
      return { member: index, relatedHouseholdNo: donor.householdNo };
    },
  },
  {
    code: 'ID-008',
    rate: general,
    inject(context) {
      const index = pickMember(context, plainId);
      if (index === undefined) return undefined;
      const member = context.model.members[index] as MemberModel;
      (context.members[index] as PersonRecord).idNumber = idForGender(
        context,
        member,
        member.gender === 'male' ? 'female' : 'male',
      );
      return { member: index };
    },
  },
  {
    code: 'ID-009',
    rate: general,
    inject: (context) =>
      onMember(
        context,
        () => true,
        (record, member) => {
          const shifted = new Date(member.birthDate.getTime() + context.random.integer(1, 40) * 86_400_000);
          record.birthDate = formatYyyymmdd(shifted);
        },
      ),
  },
  {
    // Not a rule: the check character X written lower-case. ID-004 reads x as X; the import upper-cases it.
    code: 'FMT-LOWERCASE-X',
    rate: 0.002,
    inject(context) {
      const index = pickMember(context, plainId);
      if (index === undefined) return undefined;
      const member = context.model.members[index] as MemberModel;
      for (let attempt = 0; attempt < 60; attempt += 1) {
        const id = context.ids.nextForDefect(member.birthText, member.gender);
        if (id.endsWith('X')) {
          (context.members[index] as PersonRecord).idNumber = `${id.slice(0, 17)}x`;
          return { member: index };
        }
      }
      return undefined;
    },
  },

  // MIS: blanks in monitored households
  {
    code: 'MIS-001',
    rate: monitoredRate,
    inject: (context) =>
      monitored(context)
        ? onMember(
            context,
            (member) => member.laborSkill === 'none' || member.laborSkill === 'lost',
            (record) => {
              record.laborSkill = '';
            },
          )
        : undefined,
  },
  {
    code: 'MIS-002',
    rate: monitoredRate,
    inject: (context) =>
      monitored(context)
        ? onMember(
            context,
            () => true,
            (record) => {
              record.ethnicity = '';
            },
          )
        : undefined,
  },
  {
    code: 'MIS-003',
    rate: monitoredRate,
    inject: (context) =>
      monitored(context)
        ? onMember(
            context,
            (member) => member.health === 'healthy',
            (record) => {
              record.health = '';
            },
          )
        : undefined,
  },
  {
    code: 'MIS-004',
    rate: monitoredRate,
    inject: (context) =>
      monitored(context)
        ? onMember(
            context,
            (member) => member.age >= 16 && !student(member),
            (record) => {
              record.residentPension = '';
              record.employeePension = '';
            },
          )
        : undefined,
  },
  ...(
    [
      ['MIS-005', riskFields],
      ['MIS-006', ['arableLand']],
      ['MIS-007', ['distanceToRoad']],
      ['MIS-008', ['hasElectricity']],
      ['MIS-009', ['roadHardened']],
    ] as const
  ).map(
    ([code, fields]): DefectDefinition => ({
      code,
      rate: monitoredRate,
      inject(context) {
        if (!monitored(context)) return undefined;
        for (const field of fields) context.household[field] = '';
        return {};
      },
    }),
  ),
  {
    code: 'MIS-010',
    rate: rare,
    inject(context) {
      if (!context.model.lifted) return undefined;
      context.household.safeDrinkingWater = '';
      return {};
    },
  },
  {
    code: 'MIS-011',
    rate: 0.03,
    inject(context) {
      if (!monitored(context) || eliminated(context)) return undefined;
      context.household.identifiedAt = '';
      return {};
    },
  },
  {
    code: 'MIS-012',
    rate: eliminatedRate,
    inject(context) {
      if (!eliminated(context)) return undefined;
      context.household.eliminationMethod = '';
      return {};
    },
  },
  {
    code: 'MIS-013',
    rate: monitoredRate,
    inject(context) {
      if (!monitored(context) || !addRisk(context, 'other')) return undefined;
      context.household.otherNote = '';
      return {};
    },
  },
  {
    code: 'MIS-014',
    rate: general,
    inject(context) {
      context.household.householdPhone = '';
      return {};
    },
  },
  {
    code: 'MIS-015',
    rate: eliminatedRate,
    inject(context) {
      if (!eliminated(context)) return undefined;
      context.household.postInsuranceClaims = '';
      return {};
    },
  },

  // NEED: basic needs not met outside monitoring
  ...(
    [
      ['NEED-001', 'dangerousHouse', yes],
      ['NEED-002', 'safeDrinkingWater', no],
      ['NEED-005', 'childDropout', yes],
    ] as const
  ).map(
    ([code, field, value]): DefectDefinition => ({
      code,
      rate: general,
      inject(context) {
        if (monitored(context)) return undefined;
        context.household[field] = value;
        return {};
      },
    }),
  ),
  {
    code: 'NEED-003',
    rate: general,
    inject: (context) =>
      monitored(context)
        ? undefined
        : onMember(
            context,
            () => true,
            (record) => {
              record.criticalIllnessInsurance = no;
            },
          ),
  },
  {
    code: 'NEED-004',
    rate: general,
    inject(context) {
      if (monitored(context) || !context.model.lifted) return undefined;
      writeIncome(
        context.household,
        buildIncome(context.random, context.line * within(context, 0.6, 0.95), context.model),
      );
      return {};
    },
  },
  {
    code: 'NEED-006',
    rate: eliminatedRate,
    inject(context) {
      if (!eliminated(context)) return undefined;
      context.household.dangerousHouse = yes;
      return {};
    },
  },
  {
    code: 'NEED-007',
    rate: 0.01,
    inject(context) {
      const others = (index: number) =>
        context.model.members.some((member, other) => other !== index && member.schooling !== undefined);
      // Keep another member in school when the household's risk is 因学 (else RISK-003 fires too).
      const schoolingRisk = context.model.risks.includes('schooling');
      return onMember(
        context,
        (member, index) =>
          member.age >= 6 && member.age <= 15 && student(member) && (!schoolingRisk || others(index)),
        (record) => {
          record.schooling = '';
        },
      );
    },
  },

  // LOG: contradictions inside a person or between members
  {
    code: 'LOG-001',
    rate: 0.005,
    inject(context) {
      if (!productiveChangeIsSafe(context)) return undefined;
      const injection = onMember(
        context,
        (member) => member.age < 16 && member.age >= 6 && plainId(member),
        (record) => {
          record.laborSkill = label('laborSkill', 'ordinary');
        },
      );
      // Every child under 16 is at school or in 学前, so 在校生状况 with a labour skill fires too.
      return injection && { ...injection, alsoFires: ['LOG-003'] };
    },
  },
  {
    code: 'LOG-002',
    rate: general,
    inject: (context) =>
      productiveChangeIsSafe(context)
        ? onMember(
            context,
            (member) => member.age >= 65 && plainId(member),
            (record) => {
              record.laborSkill = label('laborSkill', 'skilled');
            },
          )
        : undefined,
  },
  {
    code: 'LOG-003',
    rate: 0.01,
    inject: (context) =>
      productiveChangeIsSafe(context)
        ? onMember(
            context,
            (member) => member.age >= 16 && member.age < 65 && student(member) && plainId(member),
            (record) => {
              record.laborSkill = label('laborSkill', 'ordinary');
            },
          )
        : undefined,
  },
  {
    code: 'LOG-004',
    rate: 0.006,
    inject: (context) =>
      onMember(
        context,
        (member) => member.age >= 7 && member.age <= 15 && member.health === 'healthy' && student(member),
        (record) => {
          record.schooling = label('schooling', 'preschool_child');
        },
      ),
  },
  {
    code: 'LOG-005',
    rate: rare,
    inject: (context) =>
      onMember(
        context,
        (member) => student(member) && ((member.age >= 15 && member.age <= 20) || member.age < 6),
        (record, member) => {
          record.schooling = label('schooling', member.age < 6 ? 'primary_1' : 'primary_6');
        },
      ),
  },
  {
    code: 'LOG-006',
    rate: 0.008,
    inject: (context) =>
      onMember(
        context,
        (member) => student(member) && member.age >= 6 && member.age <= 10,
        (record) => {
          record.schooling = label('schooling', 'grade_7');
        },
      ),
  },
  {
    code: 'LOG-007',
    rate: 0.008,
    inject: (context) =>
      onMember(
        context,
        (member) => student(member) && member.age >= 6 && member.age <= 13,
        (record) => {
          record.schooling = label('schooling', 'senior_1');
        },
      ),
  },
  {
    code: 'LOG-008',
    rate: 0.2,
    inject: (context) =>
      onMember(
        context,
        (member) =>
          member.age >= 16 && member.age <= 17 && !student(member) && member.education !== undefined,
        (record) => {
          record.education = label('education', 'college');
        },
      ),
  },
  {
    code: 'LOG-009',
    rate: 0.008,
    inject: (context) =>
      onMember(
        context,
        (member) => student(member) && member.age >= 14 && member.age <= 19,
        (record) => {
          record.schooling = label('schooling', 'postgraduate');
        },
      ),
  },
  {
    code: 'LOG-010',
    rate: 0.01,
    inject: (context) =>
      onMember(
        context,
        (member) => member.age >= 16 && member.age <= 22 && member.health === 'healthy' && !student(member),
        (record) => {
          record.education = label('education', 'primary');
        },
      ),
  },
  {
    code: 'LOG-011',
    rate: 0.006,
    inject: (context) =>
      onMember(
        context,
        (member) => student(member) && member.age >= 13,
        (record) => {
          record.education = label('education', 'junior_secondary');
        },
      ),
  },
  {
    code: 'LOG-012',
    rate: general,
    inject: (context) =>
      onMember(
        context,
        () => true,
        (record) => {
          record.residentMedicalInsurance = yes;
          record.employeeMedicalInsurance = yes;
        },
      ),
  },
  {
    code: 'LOG-013',
    rate: general,
    inject: (context) =>
      onMember(
        context,
        () => true,
        (record) => {
          record.residentMedicalInsurance = no;
          record.employeeMedicalInsurance = no;
        },
      ),
  },
  {
    code: 'LOG-014',
    rate: 0.006,
    inject: (context) =>
      onMember(
        context,
        (member) => member.age >= 6 && member.age <= 15 && member.health === 'healthy',
        (record) => {
          record.nonAttendanceReason = '因病';
        },
      ),
  },
  {
    code: 'LOG-015',
    rate: 0.02,
    inject: (context) =>
      onMember(
        context,
        (member) => !plainId(member),
        (record) => {
          // A blank type beside a 20/22-character certificate number reads as 残疾人证 on import,
          // so the defect is the identity card number (its first 18 characters) under 居民身份证.
          record.idType = label('idType', 'resident_id');
          record.idNumber = record.idNumber.slice(0, 18);
        },
      ),
  },
  {
    code: 'LOG-016',
    rate: general,
    inject: (context) =>
      onMember(context, plainId, (record) => {
        record.idType = label('idType', 'disability_cert');
      }),
  },
  {
    code: 'LOG-017',
    rate: 0.02,
    inject: (context) =>
      productiveChangeIsSafe(context)
        ? onMember(
            context,
            (member) => !plainId(member) && member.age >= 16 && member.age < 65 && !student(member),
            (record) => {
              record.idNumber = `${record.idNumber.slice(0, 18)}4${context.random.integer(1, 2)}`;
              record.laborSkill = label('laborSkill', 'ordinary');
            },
          )
        : undefined,
  },
  {
    code: 'LOG-018',
    rate: general,
    inject(context) {
      const index = pickMember(context, (member) => member.relation === 'spouse');
      if (index === undefined) return undefined;
      const member = context.model.members[index] as MemberModel;
      setGender(context, index, member.gender === 'male' ? 'female' : 'male');
      return { member: index };
    },
  },
  {
    code: 'LOG-019',
    rate: general,
    inject(context) {
      const index = pickMember(context, (member) => femaleRelations.has(member.relation));
      if (index === undefined) return undefined;
      setGender(context, index, 'male');
      return { member: index };
    },
  },
  {
    code: 'LOG-020',
    rate: general,
    inject(context) {
      const index = pickMember(context, (member) => maleRelations.has(member.relation));
      if (index === undefined) return undefined;
      setGender(context, index, 'female');
      return { member: index };
    },
  },
  {
    // The spouse written as a child: fewer than 15 years younger than the head.
    code: 'LOG-021',
    rate: general,
    inject: (context) =>
      onMember(
        context,
        (member) => member.relation === 'spouse',
        (record, member) => {
          record.relation = label('relation', member.gender === 'male' ? 'son' : 'daughter');
        },
      ),
  },
  {
    // The spouse written as a parent: fewer than 15 years older than the head.
    code: 'LOG-022',
    rate: general,
    inject: (context) =>
      onMember(
        context,
        (member) => member.relation === 'spouse',
        (record, member) => {
          record.relation = label('relation', member.gender === 'male' ? 'father' : 'mother');
        },
      ),
  },
  {
    code: 'LOG-023',
    rate: general,
    inject: (context) =>
      onMember(
        context,
        () => true,
        (record) => {
          record.dibao = label('dibao', 'rural');
          record.tekun = label('tekun', 'rural');
        },
      ),
  },
  {
    code: 'LOG-024',
    rate: general,
    inject: (context) =>
      onMember(
        context,
        (member, index) =>
          (context.members[index] as PersonRecord).phone !== '' && member.phone !== undefined,
        (record) => {
          record.phone = context.random.chance(0.5)
            ? record.phone.slice(0, 10)
            : `12${record.phone.slice(2)}`;
        },
      ),
  },
  {
    code: 'LOG-025',
    rate: general,
    inject: (context) =>
      onMember(
        context,
        (member) => member.age >= 70 || (member.age >= 10 && member.age < 16),
        (record) => {
          record.publicJob = '乡村保洁员';
          record.publicJobMonths = '6';
        },
      ),
  },

  // HH: the household as a whole
  {
    code: 'HH-001',
    rate: general,
    inject: (context) =>
      onMember(
        context,
        (member) => member.relation === 'head',
        (record) => {
          record.relation = label('relation', 'other');
        },
      ),
  },
  {
    code: 'HH-002',
    rate: 0.002,
    fileError: true,
    inject: (context) =>
      onMember(
        context,
        (member) => member.relation !== 'head' && member.age >= 18,
        (record) => {
          record.relation = label('relation', 'head');
        },
      ),
  },
  {
    code: 'HH-003',
    rate: general,
    inject(context) {
      writeIncome(
        context.household,
        buildIncome(context.random, within(context, 210_000, 400_000), context.model),
      );
      return {};
    },
  },
  {
    code: 'HH-004',
    rate: general,
    inject(context) {
      const household = context.household;
      const total = Number(household.netIncomePerPerson) * context.members.length;
      household.wageIncome = String(Number(household.wageIncome) + Math.max(2_000, Math.round(total * 0.2)));
      return {};
    },
  },
  {
    code: 'HH-005',
    rate: general,
    inject(context) {
      context.household.arableLand = String(context.random.integer(120, 300));
      return {};
    },
  },
  {
    code: 'HH-006',
    rate: general,
    inject(context) {
      if (!context.model.members.some((member) => isProductive(member.laborSkill))) return undefined;
      context.household.noLabourSafetyNet = yes;
      return {};
    },
  },
  {
    code: 'HH-007',
    rate: 0.02,
    inject(context) {
      if (!monitored(context) || eliminated(context)) return undefined;
      context.household.identifiedAt = formatMonth(context.referenceMonth + context.random.integer(1, 6));
      return {};
    },
  },
  {
    code: 'HH-008',
    rate: general,
    inject(context) {
      const donor = context.donors.phone?.donor;
      if (!donor) return undefined;
      context.household.householdPhone = donor.phone;
      return { relatedHouseholdNo: donor.householdNo };
    },
  },

  // RISK: risks without the members or measures that go with them
  ...(
    [
      ['RISK-001', 'illness', (member: MemberModel) => illnesses.has(member.health)],
      ['RISK-002', 'disability', (member: MemberModel) => member.health === 'disabled'],
      ['RISK-003', 'schooling', student],
    ] as const
  ).map(
    ([code, risk, matches]): DefectDefinition => ({
      code,
      rate: riskRate,
      inject(context) {
        if (!monitored(context) || context.model.members.some(matches) || !addRisk(context, risk))
          return undefined;
        // The measure that answers the risk, so only the member rule fires (not RISK-006…009).
        if (risk === 'illness') {
          appendMeasure(context, 'health', '医疗救助');
          if (Number(context.household.eligibleMedicalCost || '0') === 0)
            context.household.eligibleMedicalCost = '1500';
        } else if (risk === 'disability') {
          appendMeasure(context, 'social_security', '残疾人两项补贴');
        } else {
          appendMeasure(context, 'education', '助学金');
        }
        return {};
      },
    }),
  ),
  {
    code: 'RISK-004',
    rate: riskRate,
    inject(context) {
      const members = context.model.members;
      const productive = members.filter((member) => isProductive(member.laborSkill)).length;
      if (!monitored(context) || productive * 4 <= members.length) return undefined;
      return addRisk(context, 'labour_shortage') ? {} : undefined;
    },
  },
  {
    code: 'RISK-005',
    rate: 0.1,
    inject(context) {
      if (!monitored(context) || context.model.members.some((member) => hasLabour(member.laborSkill)))
        return undefined;
      return addRisk(context, 'unstable_employment') ? {} : undefined;
    },
  },
  {
    code: 'RISK-006',
    rate: 0.08,
    inject(context) {
      if (!monitored(context) || eliminated(context) || !context.model.risks.includes('illness'))
        return undefined;
      context.household.eligibleMedicalCost = '0';
      return {};
    },
  },
  ...(
    [
      ['RISK-007', 'illness', ['health', 'social_aid']],
      ['RISK-008', 'schooling', ['compulsory_education', 'education', 'social_aid']],
      ['RISK-009', 'disability', ['social_security', 'social_aid']],
    ] as const
  ).map(
    ([code, risk, categories]): DefectDefinition => ({
      code,
      rate: riskMeasureRate,
      inject(context) {
        if (!monitored(context) || !context.model.risks.includes(risk)) return undefined;
        return clearMeasures(context, [...categories]) ? {} : undefined;
      },
    }),
  ),
  ...(
    [
      ['RISK-010', 'housing', ['housing', 'relocation']],
      ['RISK-011', 'water', ['water']],
    ] as const
  ).map(
    ([code, risk, categories]): DefectDefinition => ({
      code,
      rate: riskRate,
      inject(context) {
        if (!monitored(context) || categories.some((category) => hasMeasure(context, category)))
          return undefined;
        return addRisk(context, risk) ? {} : undefined;
      },
    }),
  ),
  {
    code: 'RISK-012',
    rate: riskRate,
    inject(context) {
      if (!monitored(context) || hasMeasure(context, 'compulsory_education')) return undefined;
      context.household.childDropout = yes;
      return {};
    },
  },
  {
    code: 'RISK-013',
    rate: 0.03,
    inject(context) {
      if (!monitored(context) || hasMeasure(context, 'health') || hasMeasure(context, 'social_aid'))
        return undefined;
      context.household.uninsuredMember = yes;
      return {};
    },
  },
  {
    code: 'RISK-014',
    rate: 0.05,
    inject(context) {
      if (!monitored(context) || eliminated(context)) return undefined;
      if (!context.model.members.some((member) => isProductive(member.laborSkill))) return undefined;
      for (const category of developmentMeasures) context.household[measureField(category)] = '';
      return {};
    },
  },

  // ELIM: eliminations that do not hold
  {
    code: 'ELIM-001',
    rate: 0.06,
    inject(context) {
      if (!eliminated(context) || context.model.eliminationMethod !== 'assisted') return undefined;
      // Risks whose measure rules (RISK-007…011) would also fire without measures are left alone.
      const answeredRisks = ['illness', 'schooling', 'disability', 'housing', 'water'];
      if (context.model.risks.some((risk) => answeredRisks.includes(risk))) return undefined;
      for (const field of measureFields) context.household[field] = '';
      return {};
    },
  },
  {
    code: 'ELIM-002',
    rate: eliminatedRate,
    inject(context) {
      if (!eliminated(context)) return undefined;
      writePostIncome(
        context.household,
        buildIncome(context.random, context.line * within(context, 0.6, 0.95), context.model),
      );
      return {};
    },
  },
  {
    code: 'ELIM-003',
    rate: 0.03,
    inject(context) {
      const identifiedAt = context.model.identifiedAt;
      if (!eliminated(context) || identifiedAt === undefined) return undefined;
      context.household.eliminatedAt = formatMonth(identifiedAt + context.random.integer(2, 5));
      return {};
    },
  },
  {
    code: 'ELIM-004',
    rate: 0.03,
    inject(context) {
      const identifiedAt = context.model.identifiedAt;
      if (
        !eliminated(context) ||
        context.model.eliminationMethod !== 'assisted' ||
        identifiedAt === undefined
      ) {
        return undefined;
      }
      context.household.eliminatedAt = formatMonth(identifiedAt + context.random.integer(0, 1));
      return { alsoFires: ['ELIM-003'] };
    },
  },
  {
    code: 'ELIM-005',
    rate: eliminatedRate,
    inject(context) {
      if (!eliminated(context) || context.model.risks.includes('unstable_employment')) return undefined;
      context.model.members.forEach((member, index) => {
        if (hasLabour(member.laborSkill))
          (context.members[index] as PersonRecord).laborSkill = label('laborSkill', 'lost');
      });
      return {};
    },
  },
  {
    code: 'ELIM-006',
    rate: eliminatedRate,
    inject(context) {
      const identifiedAt = context.model.identifiedAt;
      if (!eliminated(context) || identifiedAt === undefined) return undefined;
      context.household.eliminatedAt = formatMonth(identifiedAt - context.random.integer(2, 12));
      return { alsoFires: ['ELIM-003'] };
    },
  },
  {
    code: 'ELIM-007',
    rate: general,
    inject(context) {
      if (monitored(context)) return undefined;
      context.household.riskEliminated = no;
      return {};
    },
  },
];

/**
 * Draws once per catalogue entry; the first entry that hits and fits the household is injected.
 * A clean household becomes a donor for the cross-household defects (ID-007, HH-008).
 */
export function applyDefects(context: DefectContext): InjectedDefect[] {
  const random = context.random;
  let injected: InjectedDefect | undefined;
  for (const definition of defectCatalogue) {
    const hit = random.next() < definition.rate;
    if (!hit || (definition.fileError && context.mode !== 'all')) continue;
    const injection = definition.inject(context);
    if (injection) {
      injected = { code: definition.code, ...injection };
      break;
    }
  }
  if (injected) return [injected];
  const phone = context.donors.phone;
  if (phone && context.household.householdPhone) {
    phone.lastOfCounty = { phone: context.household.householdPhone, householdNo: context.model.householdNo };
  }
  for (const [index, member] of context.model.members.entries()) {
    if (member.disability) continue;
    context.donors.persons.set(`${member.gender}:${member.age}`, {
      idNumber: (context.members[index] as PersonRecord).idNumber,
      birthText: member.birthText,
      householdNo: context.model.householdNo,
    });
  }
  return [];
}
