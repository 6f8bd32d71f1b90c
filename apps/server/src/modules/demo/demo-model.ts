import { checkCharacter, type MeasureCategory } from '@shouwang/domain';
import { hashParts, type Random } from './demo-random.ts';
import type { HouseholdRecord } from './demo-records.ts';

/** A village of the configured province with the names the export writes in 县, 乡, 村. */
export interface DemoVillage {
  /** 12 digits. */
  code: string;
  name: string;
  townshipName: string;
  /** 6 digits. */
  countyCode: string;
  countyName: string;
}

/**
 * The household as the generator thinks of it (codes, ages, links between members) before it is
 * written as export labels, and the helpers both the generator and the defect injector need.
 */
// ---------------------------------------------------------------------------------------------
// Dates and months

const dayMilliseconds = 86_400_000;

/** Whole years at the reference date; a 29 February birthday is reached on 1 March. */
export function ageAt(birth: Date, reference: Date): number {
  let age = reference.getUTCFullYear() - birth.getUTCFullYear();
  const month = reference.getUTCMonth() - birth.getUTCMonth();
  if (month < 0 || (month === 0 && reference.getUTCDate() < birth.getUTCDate())) age -= 1;
  return age;
}

export function birthDateFor(random: Random, age: number, reference: Date): Date {
  const month = reference.getUTCMonth();
  const day = month === 1 ? Math.min(reference.getUTCDate(), 28) : reference.getUTCDate();
  const anchor = Date.UTC(reference.getUTCFullYear() - age, month, day);
  return new Date(anchor - random.integer(0, 364) * dayMilliseconds);
}

const pad2 = (value: number) => (value < 10 ? `0${value}` : `${value}`);

export function formatYyyymmdd(date: Date): string {
  return `${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}`;
}

/** Months as year × 12 + month − 1, so spans are differences. */
export const monthIndex = (year: number, month: number) => year * 12 + month - 1;
export const formatMonth = (index: number) => `${Math.floor(index / 12)}${pad2((index % 12) + 1)}`;
export const firstMonitoringMonth = monthIndex(2021, 1);

export const round1 = (value: number) => String(Math.round(value * 10) / 10);

// ---------------------------------------------------------------------------------------------
// Unique IDs and phones

/**
 * Hands out ID numbers that are unique for the run: a counter per county, birth date and sex picks
 * the 3-digit sequence (500 per sex and day), so two people never share an ID unless a defect says so.
 * Clean people count up from a seeded start and defects count down from it, so injecting defects never
 * shifts a clean person's ID. Kept per county and dropped when the county changes: memory stays flat.
 */
export class IdFactory {
  private countyCode = '';
  private readonly counters = new Map<string, number>();
  private readonly defectCounters = new Map<string, number>();
  /** Placeholders (999999…) are few and must stay unique across counties: never cleared. */
  private readonly placeholderCounters = new Map<string, number>();

  constructor(private readonly seed: number) {}

  useCounty(countyCode: string): void {
    if (countyCode === this.countyCode) return;
    this.countyCode = countyCode;
    this.counters.clear();
    this.defectCounters.clear();
  }

  /** A valid 18-character ID of the current county. */
  next(birthText: string, gender: Gender): string {
    return this.build(this.countyCode, birthText, gender, this.counters, 1);
  }

  /** For defects: like `next` (any 8 date digits, valid or not) from the slots clean people do not use first. */
  nextForDefect(dateDigits: string, gender: Gender): string {
    return this.build(this.countyCode, dateDigits, gender, this.defectCounters, -1);
  }

  /** A placeholder ID (999999 + birth date + sequence) with a correct check character. */
  placeholder(birthText: string, gender: Gender): string {
    return this.build('999999', birthText, gender, this.placeholderCounters, 1);
  }

  private build(
    regionCode6: string,
    dateDigits: string,
    gender: Gender,
    counters: Map<string, number>,
    direction: 1 | -1,
  ): string {
    const key = `${regionCode6}${dateDigits}${gender}`;
    const used = counters.get(key) ?? 0;
    counters.set(key, used + 1);
    const start = hashParts(this.seed, key) % 500;
    const slot = direction === 1 ? start + used : start - 1 - used + 500;
    const sequence = (slot % 500) * 2 + (gender === 'male' ? 1 : 0);
    const first17 = `${regionCode6}${dateDigits}${String(sequence).padStart(3, '0')}`;
    return `${first17}${checkCharacter(first17)}`;
  }
}

export const householdPhonePrefixes = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '157',
  '158',
  '159',
];
export const personPhonePrefixes = [
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
];
export const collectorPhonePrefixes = ['166', '199'];

/** A mobile number unique per index: 8 digits from a bijection of the index modulo 10^8. */
export function phoneFor(prefixes: readonly string[], index: number, seed: number): string {
  const offset = hashParts(seed, prefixes[0] ?? '') % 100_000_000;
  const digits = (index * 73_856_093 + offset) % 100_000_000;
  return `${prefixes[hashParts(index, seed) % prefixes.length]}${String(digits).padStart(8, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// The household model (codes, ages) before it is written as export labels

export type Gender = 'male' | 'female';
export type Health = 'healthy' | 'chronic_illness' | 'serious_illness' | 'disabled';
export type LaborSkill = 'skilled' | 'ordinary' | 'weak' | 'lost' | 'none';
export type MonitoringCategory = 'unstable_lifted' | 'marginal' | 'sudden_hardship';

export interface MemberModel {
  relation: string;
  gender: Gender;
  age: number;
  birthDate: Date;
  birthText: string;
  name: string;
  health: Health;
  disability: { category: number; grade: number } | undefined;
  schooling: string | undefined;
  education: string | undefined;
  nonAttendanceReason: string | undefined;
  laborSkill: LaborSkill;
  workLocation: string | undefined;
  phone: string | undefined;
  idNumber: string;
  publicJob: string | undefined;
  publicJobMonths: number | undefined;
  employeeInsurance: boolean;
  residentPension: boolean | undefined;
  employeePension: boolean | undefined;
  medicalAid: boolean;
  /** Index of the spouse among the members, for 儿媳 and grandchildren. */
  spouseOf: number | undefined;
}

export interface HouseholdModel {
  village: DemoVillage;
  householdNo: string;
  lifted: boolean;
  category: MonitoringCategory | undefined;
  identifiedAt: number | undefined;
  eliminatedAt: number | undefined;
  eliminationMethod: 'assisted' | 'natural' | undefined;
  risks: string[];
  otherNote: string;
  measures: Map<MeasureCategory, string[]>;
  members: MemberModel[];
  ethnicity: string;
  dibao: 'none' | 'rural';
  tekun: 'none' | 'rural';
  noLabourSafetyNet: boolean;
}

export const isProductive = (skill: string | undefined) => skill === 'skilled' || skill === 'ordinary';
export const hasLabour = (skill: string | undefined) => isProductive(skill) || skill === 'weak';
export const developmentMeasures: MeasureCategory[] = ['industry', 'employment', 'public_job', 'finance'];

// ---------------------------------------------------------------------------------------------
// Incomes

export interface IncomeFacts {
  wage: number;
  business: number;
  property: number;
  transfer: number;
  expense: number;
  total: number;
  perPerson: number;
}

/**
 * Components that add up exactly: 工资性 + 生产经营性 + 财产性 + 转移性 − 生产经营性支出 = total, and
 * 人均纯收入 = total / size (HH-004). Transfers come from pensions, dibao, tekun and subsidies.
 */
export function buildIncome(random: Random, perPersonTarget: number, model: HouseholdModel): IncomeFacts {
  const members = model.members;
  const size = members.length;
  const total = Math.max(0, Math.round(perPersonTarget * size));
  let transfer = random.integer(200, 900);
  for (const member of members) {
    if (member.age >= 60) transfer += 1_800;
    if (member.health === 'disabled') transfer += 1_200;
    if (model.dibao === 'rural') transfer += 3_600;
    if (model.tekun === 'rural') transfer += 6_000;
  }
  transfer = Math.min(transfer, Math.round(total * 0.95));
  const remaining = total - transfer;
  const property = Math.round(remaining * random.next() * 0.04);
  const afterProperty = remaining - property;
  const workers = members.filter((member) => hasLabour(member.laborSkill)).length;
  const migrants = members.some((member) => member.workLocation !== undefined);
  const wageShare = workers === 0 ? 0 : migrants ? 0.6 + random.next() * 0.3 : 0.15 + random.next() * 0.45;
  const wage = Math.round(afterProperty * wageShare);
  const netBusiness = afterProperty - wage;
  const expense = Math.round(netBusiness * (0.35 + random.next() * 0.45));
  return {
    wage,
    business: netBusiness + expense,
    property,
    transfer,
    expense,
    total,
    perPerson: Math.round((total / size) * 100) / 100,
  };
}

export function writeIncome(record: HouseholdRecord, income: IncomeFacts): void {
  record.netIncomePerPerson = String(income.perPerson);
  record.wageIncome = String(income.wage);
  record.businessIncome = String(income.business);
  record.propertyIncome = String(income.property);
  record.transferIncome = String(income.transfer);
  record.businessExpense = String(income.expense);
}

export function writePostIncome(record: HouseholdRecord, income: IncomeFacts): void {
  record.postWageIncome = String(income.wage);
  record.postPropertyIncome = String(income.property);
  record.postTransferIncome = String(income.transfer);
  record.postBusinessIncome = String(income.business);
  record.postBusinessExpense = String(income.expense);
  record.postNetIncome = String(income.total);
  record.postNetIncomePerPerson = String(income.perPerson);
}
