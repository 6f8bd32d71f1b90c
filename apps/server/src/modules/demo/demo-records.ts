import { type CodeTableName, codeTables, type MeasureCategory, measureCategories } from '@shouwang/domain';

/**
 * The generator's output, shaped like the national export: one record of household columns and one
 * record per member, keyed by the English field names of `nationalColumns`, values exactly as the
 * export writes them ('' = blank). The writer turns them into rows without knowing what they mean.
 */
export const householdFields = [
  'countyName',
  'townshipName',
  'villageName',
  'regionCode',
  'householdNo',
  'householdType',
  'householdPhone',
  'monitoringCategory',
  'identifiedAt',
  'riskEliminated',
  'eliminationMethod',
  'eliminatedAt',
  'risk1',
  'risk2',
  'risk3',
  'risk4',
  'risk5',
  'otherNote',
  'noLabourSafetyNet',
  'arableLand',
  'forestLand',
  'returnedFarmland',
  'orchardLand',
  'pastureLand',
  'waterSurface',
  'distanceToRoad',
  'roadHardened',
  'housingArea',
  'dangerousHouse',
  'hasElectricity',
  'hasSanitaryToilet',
  'safeDrinkingWater',
  'childDropout',
  'uninsuredMember',
  'netIncomePerPerson',
  'wageIncome',
  'businessIncome',
  'propertyIncome',
  'transferIncome',
  'businessExpense',
  'eligibleMedicalCost',
  'postChildDropout',
  'postHousingDamaged',
  'postUninsuredMember',
  'postWaterDamaged',
  'postWageIncome',
  'postPropertyIncome',
  'postTransferIncome',
  'postBusinessIncome',
  'postBusinessExpense',
  'postNetIncome',
  'postNetIncomePerPerson',
  'postInsuranceClaims',
  'postEligibleMedicalCost',
  'developmentAssistance',
  'measure:industry',
  'measure:employment',
  'measure:public_job',
  'measure:finance',
  'measure:health',
  'measure:education',
  'measure:compulsory_education',
  'measure:housing',
  'measure:water',
  'measure:social_security',
  'measure:social_aid',
  'measure:relocation',
  'measure:living_conditions',
  'measure:infrastructure',
  'publicJobAssistanceNote',
  'collectorName',
  'collectorPhone',
  'policyEnjoyed',
] as const;

export const personFields = [
  'personNo',
  'name',
  'idNumber',
  'idType',
  'relation',
  'gender',
  'birthDate',
  'ethnicity',
  'phone',
  'workLocation',
  'employmentChannel',
  'education',
  'schooling',
  'nonAttendanceReason',
  'health',
  'laborSkill',
  'publicJob',
  'publicJobMonths',
  'residentMedicalInsurance',
  'employeeMedicalInsurance',
  'criticalIllnessInsurance',
  'medicalAid',
  'residentPension',
  'employeePension',
  'dibao',
  'tekun',
  'tekunAllowance',
] as const;

export type HouseholdField = (typeof householdFields)[number];
export type PersonField = (typeof personFields)[number];
export type HouseholdRecord = Record<HouseholdField, string>;
export type PersonRecord = Record<PersonField, string>;

export const riskFields = ['risk1', 'risk2', 'risk3', 'risk4', 'risk5'] as const;
export const postEliminationFields = [
  'postChildDropout',
  'postHousingDamaged',
  'postUninsuredMember',
  'postWaterDamaged',
  'postWageIncome',
  'postPropertyIncome',
  'postTransferIncome',
  'postBusinessIncome',
  'postBusinessExpense',
  'postNetIncome',
  'postNetIncomePerPerson',
  'postInsuranceClaims',
  'postEligibleMedicalCost',
] as const satisfies readonly HouseholdField[];

export function measureField(category: MeasureCategory): HouseholdField {
  return `measure:${category}` as HouseholdField;
}
export const measureFields = measureCategories.map((category) => measureField(category.code));

/** One defect written into a household on purpose, for the quality rules to find. */
export interface InjectedDefect {
  /** The starter rule that must fire (or FMT-… for a format variant the import normalises). */
  code: string;
  /** Index of the member row the defect sits on, for person rules. */
  member?: number;
  /** Rules that fire necessarily with it (e.g. an elimination before identification is also < 6 months). */
  alsoFires?: string[];
  /** For defects spanning households (ID-007, HH-008): the other household, flagged by the same rule. */
  relatedHouseholdNo?: string;
}

export interface DemoHousehold {
  householdNo: string;
  /** 12-digit village code. */
  regionCode: string;
  /** 6-digit county code. */
  countyCode: string;
  household: HouseholdRecord;
  members: PersonRecord[];
  /** Empty for a clean household. */
  defects: InjectedDefect[];
}

const labelMaps = new Map<CodeTableName, Map<string, string>>();
for (const name of Object.keys(codeTables) as CodeTableName[]) {
  labelMaps.set(name, new Map(codeTables[name].map((item) => [item.code as string, item.label as string])));
}

/** The export's label of a code (a fast, precomputed `labelOf`). */
export function label(table: CodeTableName, code: string | undefined): string {
  if (code === undefined) return '';
  const value = labelMaps.get(table)?.get(code);
  if (value === undefined) throw new Error(`no label for ${table}.${code}`);
  return value;
}

export const yes = label('yesNo', 'true');
export const no = label('yesNo', 'false');
export const yesNo = (value: boolean | undefined): string => (value === undefined ? '' : value ? yes : no);
