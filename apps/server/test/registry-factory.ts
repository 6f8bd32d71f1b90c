import { buildIdNumber } from '@shouwang/domain';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, HouseholdIncomeTable, HouseholdTable, PersonTable } from '../src/db/database.ts';

type PersonOverrides = Partial<Omit<Insertable<PersonTable>, 'householdId' | 'regionCode'>>;
type IncomeOverrides = Partial<Omit<Insertable<HouseholdIncomeTable>, 'householdId' | 'regionCode'>> & {
  year: number;
};

export interface HouseholdFactoryInput extends Partial<Omit<Insertable<HouseholdTable>, 'regionCode'>> {
  /** The 12-digit village code. */
  regionCode: string;
  /** Members, head first; each gets a valid ID number matching its birth date and gender unless given. */
  members?: PersonOverrides[];
  /** Risk type codes, in position order. */
  risks?: string[];
  measures?: Array<{ category: string; value: string }>;
  incomes?: IncomeOverrides[];
}

export interface InsertedHousehold extends Selectable<HouseholdTable> {
  members: Array<Selectable<PersonTable>>;
}

let sequence = 0;

const defaultNames = ['张建国', '王秀兰', '张小明', '张小红', '李桂英', '赵德福'];
const defaultRelations = ['head', 'spouse', 'son', 'daughter', 'mother', 'father'];

/** A valid person for position `index` of a household, with overrides. */
export function buildPerson(
  regionCode: string,
  index: number,
  overrides: PersonOverrides = {},
): PersonOverrides {
  sequence += 1;
  const relation = overrides.relation ?? defaultRelations[index] ?? 'other';
  const gender =
    overrides.gender ?? (['spouse', 'daughter', 'mother'].includes(relation ?? '') ? 'female' : 'male');
  const birthYear =
    relation === 'son' || relation === 'daughter' ? 2005 : relation === 'mother' ? 1945 : 1972;
  const birthDate =
    overrides.birthDate ??
    new Date(Date.UTC(birthYear, sequence % 12, (sequence % 27) + 1)).toISOString().slice(0, 10);
  const idNumber =
    overrides.idNumber === undefined
      ? buildIdNumber(
          regionCode.slice(0, 6),
          new Date(`${String(birthDate).slice(0, 10)}T00:00:00Z`),
          sequence,
          gender === 'female' ? 'female' : 'male',
        )
      : overrides.idNumber;
  return {
    personNo: `P${String(sequence).padStart(8, '0')}`,
    name: defaultNames[index] ?? `成员${index + 1}`,
    idType: 'resident_id',
    ethnicity: '汉族',
    phone: `138${String(10_000_000 + sequence).slice(-8)}`,
    education: relation === 'son' || relation === 'daughter' ? null : 'junior_secondary',
    schooling: relation === 'son' || relation === 'daughter' ? 'senior_2' : null,
    health: 'healthy',
    laborSkill: relation === 'son' || relation === 'daughter' ? 'none' : 'ordinary',
    residentMedicalInsurance: true,
    residentPension: true,
    dibao: 'none',
    tekun: 'none',
    status: 'active',
    ...overrides,
    relation,
    gender,
    birthDate,
    idNumber,
  };
}

/**
 * Inserts a valid household with its members (by default a head, a spouse and a child), risks, measures
 * and incomes. Anything can be overridden; the answer carries the inserted rows.
 */
export async function insertHousehold(
  db: Kysely<Database>,
  input: HouseholdFactoryInput,
): Promise<InsertedHousehold> {
  sequence += 1;
  const { members, risks, measures, incomes, regionCode, ...overrides } = input;
  const household = await db
    .insertInto('households')
    .values({
      regionCode,
      householdNo: `${regionCode}${String(sequence).padStart(5, '0')}`,
      householdType: 'lifted',
      householdPhone: `139${String(10_000_000 + sequence).slice(-8)}`,
      arableLand: 3.5,
      housingArea: 120,
      roadHardened: true,
      hasElectricity: true,
      hasSanitaryToilet: true,
      safeDrinkingWater: true,
      dangerousHouse: false,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const memberInputs = (members ?? [{}, {}, {}]).map((member, index) =>
    buildPerson(regionCode, index, member),
  );
  const insertedMembers =
    memberInputs.length === 0
      ? []
      : await db
          .insertInto('persons')
          .values(memberInputs.map((member) => ({ ...member, householdId: household.id, regionCode })))
          .returningAll()
          .execute();
  if (risks && risks.length > 0) {
    await db
      .insertInto('householdRisks')
      .values(risks.map((riskType, index) => ({ householdId: household.id, position: index + 1, riskType })))
      .execute();
  }
  if (measures && measures.length > 0) {
    await db
      .insertInto('householdMeasures')
      .values(measures.map((measure) => ({ householdId: household.id, ...measure })))
      .execute();
  }
  if (incomes && incomes.length > 0) {
    await db
      .insertInto('householdIncomes')
      .values(incomes.map((income) => ({ householdId: household.id, regionCode, ...income })))
      .execute();
  }
  return { ...household, members: insertedMembers };
}
