import { buildIdNumber } from '@shouwang/domain';
import type { EvaluationOptions, HouseholdInput, PersonInput } from './evaluate.ts';

/** Small hand-made households for the tests. */
export const options: EvaluationOptions = {
  referenceDate: '2026-06-30',
  statisticsYear: 2025,
  incomeLine: 7300,
};

/** A valid 18-character ID for a YYYYMMDD birth date. */
export function idFor(yyyymmdd: string, gender: 'male' | 'female', sequence = 12): string {
  const date = new Date(
    Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6))),
  );
  return buildIdNumber('410225', date, sequence, gender);
}

/** Sets ID number and birth date consistently (birth date as pg returns a DATE: local midnight). */
export function setBirth(person: PersonInput, yyyymmdd: string): void {
  const gender = person.gender === 'female' ? 'female' : 'male';
  person.idNumber = idFor(yyyymmdd, gender);
  person.birthDate = new Date(
    Number(yyyymmdd.slice(0, 4)),
    Number(yyyymmdd.slice(4, 6)) - 1,
    Number(yyyymmdd.slice(6)),
  );
}

export function person(id: string, relation: string, gender: 'male' | 'female', birth: string): PersonInput {
  const member: PersonInput = {
    id,
    relation,
    gender,
    idType: null,
    ethnicity: '汉族',
    phone: '13912345678',
    education: 'junior_secondary',
    schooling: null,
    nonAttendanceReason: null,
    health: 'healthy',
    laborSkill: 'ordinary',
    publicJob: null,
    residentMedicalInsurance: true,
    employeeMedicalInsurance: false,
    criticalIllnessInsurance: true,
    residentPension: true,
    employeePension: null,
    dibao: 'none',
    tekun: 'none',
  };
  setBirth(member, birth);
  return member;
}

/** A monitored household (边缘易致贫户, risk 因病) that no starter rule flags. */
export function cleanHousehold(): HouseholdInput & { members: PersonInput[] } {
  const head = person('head', 'head', 'male', '19700315');
  head.health = 'chronic_illness';
  const spouse = person('spouse', 'spouse', 'female', '19720501');
  const son = person('son', 'son', 'male', '20120901');
  son.education = null;
  son.schooling = 'grade_7';
  son.laborSkill = 'none';
  son.residentPension = null;
  return {
    householdNo: '4102251012000001',
    householdType: 'lifted',
    monitoringCategory: 'marginal',
    identifiedAt: '202401',
    riskEliminated: false,
    eliminationMethod: null,
    eliminatedAt: null,
    otherNote: null,
    householdPhone: '13800138000',
    noLabourSafetyNet: false,
    arableLand: '3.5',
    forestLand: '0',
    orchardLand: '0',
    distanceToRoad: '1.2',
    roadHardened: true,
    dangerousHouse: false,
    hasElectricity: true,
    safeDrinkingWater: true,
    childDropout: false,
    uninsuredMember: false,
    members: [head, spouse, son],
    incomes: {
      2025: {
        netIncomePerPerson: '9000',
        wageIncome: '20000',
        businessIncome: '8000',
        propertyIncome: '0',
        transferIncome: '2000',
        businessExpense: '3000',
        eligibleMedicalCost: '1200',
      },
    },
    risks: ['illness'],
    measures: { health: ['家庭医生签约服务'], industry: ['产业奖补'] },
  };
}
