import {
  beijingToday,
  type CodeTableName,
  labelOf,
  maskIdNumber,
  maskPhone,
  measureCategories,
} from '@shouwang/domain';
import {
  displayValue,
  entityLabel,
  historyFieldLabel,
  householdStatusLabels,
  personalDataFields,
  personStatusLabels,
  sourceLabel,
} from './registry.fields.ts';
import type {
  HistoryRecord,
  HouseholdListRecord,
  IncomeRecord,
  PersonListRecord,
  PersonRecord,
  PersonWithHousehold,
} from './registry.repository.ts';
import type { HouseholdDetail } from './registry.service.ts';

/** Responses are built here from rows; ID numbers and phones leave the server masked. */

function code(table: CodeTableName, value: string | null) {
  return value ? { code: value, label: labelOf(table, value) } : null;
}

function decimal(value: string | null): number | null {
  return value === null ? null : Number(value);
}

/** Whole years at today (Beijing time). */
export function ageOn(birthDay: string | null, today: string = beijingToday()): number | null {
  if (!birthDay) return null;
  const [birthYear, birthMonthDay] = [Number(birthDay.slice(0, 4)), birthDay.slice(5)];
  const [year, monthDay] = [Number(today.slice(0, 4)), today.slice(5)];
  return year - birthYear - (monthDay < birthMonthDay ? 1 : 0);
}

export function toHouseholdListItem(row: HouseholdListRecord) {
  return {
    id: row.id,
    householdNo: row.householdNo,
    regionCode: row.regionCode,
    regionFullName: row.regionFullName,
    headName: row.headName,
    headIdNumber: maskIdNumber(row.headIdNumber),
    memberCount: row.memberCount,
    householdType: code('householdType', row.householdType),
    monitoringCategory: code('monitoringCategory', row.monitoringCategory),
    identifiedAt: row.identifiedAt,
    riskEliminated: row.riskEliminated,
    risks: row.riskTypes.map((riskType) => ({ code: riskType, label: labelOf('riskType', riskType) })),
    status: row.status,
    statusLabel: householdStatusLabels[row.status] ?? row.status,
  };
}

export function toMember(person: PersonRecord, today: string = beijingToday()) {
  return {
    id: person.id,
    householdId: person.householdId,
    personNo: person.personNo,
    name: person.name,
    idNumber: maskIdNumber(person.idNumber),
    idType: code('idType', person.idType),
    relation: code('relation', person.relation),
    gender: code('gender', person.gender),
    birthDate: person.birthDay,
    age: ageOn(person.birthDay, today),
    ethnicity: person.ethnicity,
    phone: maskPhone(person.phone),
    workLocation: code('workLocation', person.workLocation),
    employmentChannel: person.employmentChannel,
    education: code('education', person.education),
    schooling: code('schooling', person.schooling),
    nonAttendanceReason: person.nonAttendanceReason,
    health: code('health', person.health),
    laborSkill: code('laborSkill', person.laborSkill),
    publicJob: person.publicJob,
    publicJobMonths: person.publicJobMonths,
    residentMedicalInsurance: person.residentMedicalInsurance,
    employeeMedicalInsurance: person.employeeMedicalInsurance,
    criticalIllnessInsurance: person.criticalIllnessInsurance,
    medicalAid: person.medicalAid,
    residentPension: person.residentPension,
    employeePension: person.employeePension,
    dibao: code('dibao', person.dibao),
    tekun: code('tekun', person.tekun),
    tekunAllowance: decimal(person.tekunAllowance),
    status: person.status,
    statusLabel: personStatusLabels[person.status] ?? person.status,
    updatedAt: person.version,
  };
}

export function toPerson(person: PersonWithHousehold) {
  return {
    ...toMember(person),
    householdNo: person.householdNo,
    regionCode: person.regionCode,
    regionFullName: person.regionFullName,
  };
}

function toIncome(income: IncomeRecord) {
  return {
    year: income.year,
    netIncomePerPerson: decimal(income.netIncomePerPerson),
    wageIncome: decimal(income.wageIncome),
    businessIncome: decimal(income.businessIncome),
    propertyIncome: decimal(income.propertyIncome),
    transferIncome: decimal(income.transferIncome),
    businessExpense: decimal(income.businessExpense),
    eligibleMedicalCost: decimal(income.eligibleMedicalCost),
    postChildDropout: income.postChildDropout,
    postHousingDamaged: income.postHousingDamaged,
    postUninsuredMember: income.postUninsuredMember,
    postWaterDamaged: income.postWaterDamaged,
    postWageIncome: decimal(income.postWageIncome),
    postPropertyIncome: decimal(income.postPropertyIncome),
    postTransferIncome: decimal(income.postTransferIncome),
    postBusinessIncome: decimal(income.postBusinessIncome),
    postBusinessExpense: decimal(income.postBusinessExpense),
    postNetIncome: decimal(income.postNetIncome),
    postNetIncomePerPerson: decimal(income.postNetIncomePerPerson),
    postInsuranceClaims: decimal(income.postInsuranceClaims),
    postEligibleMedicalCost: decimal(income.postEligibleMedicalCost),
  };
}

/** Measures grouped by category, in the order of the national export's columns. */
function toMeasureGroups(measures: HouseholdDetail['measures']) {
  const known = measureCategories.map((category) => category.code as string);
  const categories = [...new Set(measures.map((measure) => measure.category))].sort(
    (left, right) => (known.indexOf(left) + 1 || 99) - (known.indexOf(right) + 1 || 99),
  );
  return categories.map((category) => ({
    category: {
      code: category,
      label: measureCategories.find((candidate) => candidate.code === category)?.header ?? category,
    },
    values: measures.filter((measure) => measure.category === category).map((measure) => measure.value),
  }));
}

export function toHouseholdDetail(detail: HouseholdDetail) {
  const { household } = detail;
  const today = beijingToday();
  return {
    id: household.id,
    householdNo: household.householdNo,
    regionCode: household.regionCode,
    regionFullName: household.regionFullName,
    regionPath: detail.regionPath.map((region) => ({
      code: region.code,
      name: region.name,
      level: region.level,
    })),
    status: household.status,
    statusLabel: householdStatusLabels[household.status] ?? household.status,
    householdType: code('householdType', household.householdType),
    monitoringCategory: code('monitoringCategory', household.monitoringCategory),
    identifiedAt: household.identifiedAt,
    riskEliminated: household.riskEliminated,
    eliminationMethod: code('eliminationMethod', household.eliminationMethod),
    eliminatedAt: household.eliminatedAt,
    otherNote: household.otherNote,
    policyEnjoyed: household.policyEnjoyed,
    householdPhone: maskPhone(household.householdPhone),
    noLabourSafetyNet: household.noLabourSafetyNet,
    arableLand: decimal(household.arableLand),
    forestLand: decimal(household.forestLand),
    returnedFarmland: decimal(household.returnedFarmland),
    orchardLand: decimal(household.orchardLand),
    pastureLand: decimal(household.pastureLand),
    waterSurface: decimal(household.waterSurface),
    distanceToRoad: decimal(household.distanceToRoad),
    roadHardened: household.roadHardened,
    housingArea: decimal(household.housingArea),
    dangerousHouse: household.dangerousHouse,
    hasElectricity: household.hasElectricity,
    hasSanitaryToilet: household.hasSanitaryToilet,
    safeDrinkingWater: household.safeDrinkingWater,
    childDropout: household.childDropout,
    uninsuredMember: household.uninsuredMember,
    developmentAssistance: household.developmentAssistance,
    publicJobAssistanceNote: household.publicJobAssistanceNote,
    collectorName: household.collectorName,
    collectorPhone: maskPhone(household.collectorPhone),
    createdAt: household.createdAt.toISOString(),
    updatedAt: household.version,
    members: detail.members.map((member) => toMember(member, today)),
    incomes: detail.incomes.map(toIncome),
    risks: detail.risks.map((risk) => ({
      position: risk.position,
      riskType: { code: risk.riskType, label: labelOf('riskType', risk.riskType) },
    })),
    measures: toMeasureGroups(detail.measures),
  };
}

export function toPersonListItem(row: PersonListRecord) {
  return {
    id: row.id,
    householdId: row.householdId,
    householdNo: row.householdNo,
    regionCode: row.regionCode,
    regionFullName: row.regionFullName,
    name: row.name,
    idNumber: maskIdNumber(row.idNumber),
    relation: code('relation', row.relation),
    gender: code('gender', row.gender),
    birthDate: row.birthDay,
    age: ageOn(row.birthDay),
    phone: maskPhone(row.phone),
    education: code('education', row.education),
    schooling: code('schooling', row.schooling),
    health: code('health', row.health),
    laborSkill: code('laborSkill', row.laborSkill),
    status: row.status,
    statusLabel: personStatusLabels[row.status] ?? row.status,
  };
}

function historyDisplay(field: string, value: string | null): string | null {
  if (personalDataFields.has(field)) {
    return field === 'idNumber' ? maskIdNumber(value) : maskPhone(value);
  }
  return displayValue(field, value);
}

export function toHistoryEntry(row: HistoryRecord) {
  const cadreName = row.userDisplayName ? `${row.userDisplayName}（${row.username}）` : null;
  return {
    id: row.id,
    entity: row.entity,
    entityLabel: entityLabel(row.entity),
    personId: row.personId,
    personName: row.personName,
    field: row.field,
    fieldLabel: historyFieldLabel(row.entity, row.field),
    oldValue: row.entity === 'measures' ? row.oldValue : historyDisplay(row.field, row.oldValue),
    newValue: row.entity === 'measures' ? row.newValue : historyDisplay(row.field, row.newValue),
    source: row.source,
    sourceLabel: sourceLabel(row.source),
    batchId: row.batchId,
    batchFileName: row.batchFileName,
    actorName: cadreName,
    changedAt: row.changedAt.toISOString(),
  };
}
