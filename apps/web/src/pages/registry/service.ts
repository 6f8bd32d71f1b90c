import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildQuery, request } from '../../api/client.ts';

/** A code-table value with its label, as the server answers it. */
export interface CodeValue {
  code: string;
  label: string;
}

export interface HouseholdListItem {
  id: string;
  householdNo: string;
  regionCode: string;
  regionFullName: string;
  headName: string | null;
  /** Masked. */
  headIdNumber: string | null;
  memberCount: number;
  householdType: CodeValue | null;
  monitoringCategory: CodeValue | null;
  identifiedAt: string | null;
  riskEliminated: boolean | null;
  risks: CodeValue[];
  status: string;
  statusLabel: string;
}

export interface ListPage<Item> {
  items: Item[];
  total: number;
  /** False when the total is the server's estimate ("约"). */
  totalExact: boolean;
}

export interface HouseholdFilters {
  regionCode?: string;
  householdType?: string;
  monitoringCategory?: string;
  riskEliminated?: 'true' | 'false';
  riskType?: string;
  hasFindings?: 'true' | 'false';
  q?: string;
  status?: 'active' | 'absent' | 'all';
}

export interface Member {
  id: string;
  householdId: string;
  personNo: string | null;
  name: string | null;
  idNumber: string | null;
  idType: CodeValue | null;
  relation: CodeValue | null;
  gender: CodeValue | null;
  birthDate: string | null;
  age: number | null;
  ethnicity: string | null;
  phone: string | null;
  workLocation: CodeValue | null;
  employmentChannel: string | null;
  education: CodeValue | null;
  schooling: CodeValue | null;
  nonAttendanceReason: string | null;
  health: CodeValue | null;
  laborSkill: CodeValue | null;
  publicJob: string | null;
  publicJobMonths: number | null;
  residentMedicalInsurance: boolean | null;
  employeeMedicalInsurance: boolean | null;
  criticalIllnessInsurance: boolean | null;
  medicalAid: boolean | null;
  residentPension: boolean | null;
  employeePension: boolean | null;
  dibao: CodeValue | null;
  tekun: CodeValue | null;
  tekunAllowance: number | null;
  status: string;
  statusLabel: string;
  updatedAt: string;
}

export interface Income {
  year: number;
  netIncomePerPerson: number | null;
  wageIncome: number | null;
  businessIncome: number | null;
  propertyIncome: number | null;
  transferIncome: number | null;
  businessExpense: number | null;
  eligibleMedicalCost: number | null;
  postChildDropout: boolean | null;
  postHousingDamaged: boolean | null;
  postUninsuredMember: boolean | null;
  postWaterDamaged: boolean | null;
  postWageIncome: number | null;
  postPropertyIncome: number | null;
  postTransferIncome: number | null;
  postBusinessIncome: number | null;
  postBusinessExpense: number | null;
  postNetIncome: number | null;
  postNetIncomePerPerson: number | null;
  postInsuranceClaims: number | null;
  postEligibleMedicalCost: number | null;
}

export interface HouseholdDetail {
  id: string;
  householdNo: string;
  regionCode: string;
  regionFullName: string;
  regionPath: Array<{ code: string; name: string; level: string }>;
  status: string;
  statusLabel: string;
  householdType: CodeValue | null;
  monitoringCategory: CodeValue | null;
  identifiedAt: string | null;
  riskEliminated: boolean | null;
  eliminationMethod: CodeValue | null;
  eliminatedAt: string | null;
  otherNote: string | null;
  policyEnjoyed: boolean | null;
  householdPhone: string | null;
  noLabourSafetyNet: boolean | null;
  arableLand: number | null;
  forestLand: number | null;
  returnedFarmland: number | null;
  orchardLand: number | null;
  pastureLand: number | null;
  waterSurface: number | null;
  distanceToRoad: number | null;
  roadHardened: boolean | null;
  housingArea: number | null;
  dangerousHouse: boolean | null;
  hasElectricity: boolean | null;
  hasSanitaryToilet: boolean | null;
  safeDrinkingWater: boolean | null;
  childDropout: boolean | null;
  uninsuredMember: boolean | null;
  developmentAssistance: string | null;
  publicJobAssistanceNote: string | null;
  collectorName: string | null;
  collectorPhone: string | null;
  createdAt: string;
  updatedAt: string;
  members: Member[];
  incomes: Income[];
  risks: Array<{ position: number; riskType: CodeValue }>;
  measures: Array<{ category: CodeValue; values: string[] }>;
}

export interface HistoryEntry {
  id: string;
  entity: string;
  entityLabel: string;
  personId: string | null;
  personName: string | null;
  field: string;
  fieldLabel: string;
  oldValue: string | null;
  newValue: string | null;
  source: string;
  sourceLabel: string;
  batchId: string | null;
  batchFileName: string | null;
  actorName: string | null;
  changedAt: string;
}

export interface PersonListItem {
  id: string;
  householdId: string;
  householdNo: string;
  regionCode: string;
  regionFullName: string;
  name: string | null;
  idNumber: string | null;
  relation: CodeValue | null;
  gender: CodeValue | null;
  birthDate: string | null;
  age: number | null;
  phone: string | null;
  education: CodeValue | null;
  schooling: CodeValue | null;
  health: CodeValue | null;
  laborSkill: CodeValue | null;
  status: string;
  statusLabel: string;
}

export interface PersonFilters {
  regionCode?: string;
  gender?: string;
  ageFrom?: number;
  ageTo?: number;
  health?: string;
  laborSkill?: string;
  education?: string;
  schooling?: string;
  q?: string;
  status?: string;
}

export type PersonDetail = Member & { householdNo: string; regionCode: string; regionFullName: string };

export interface Paging {
  page: number;
  pageSize: number;
}

/** Values of an edit: changed fields only, with the `updatedAt` the form was loaded with. */
export type RecordUpdate = { updatedAt: string } & Record<string, unknown>;

export const registryKeys = {
  all: ['registry'] as const,
  households: (filters: HouseholdFilters & Paging) => ['registry', 'households', filters] as const,
  household: (id: string) => ['registry', 'household', id] as const,
  history: (id: string) => ['registry', 'household', id, 'history'] as const,
  persons: (filters: PersonFilters & Paging) => ['registry', 'persons', filters] as const,
};

const householdPath = (id: string) => `/households/${encodeURIComponent(id)}`;
const personPath = (id: string) => `/persons/${encodeURIComponent(id)}`;

export const registryService = {
  households: (filters: HouseholdFilters & Paging) =>
    api.get<ListPage<HouseholdListItem>>(`/households${buildQuery({ ...filters })}`),
  household: (id: string) => api.get<HouseholdDetail>(householdPath(id)),
  history: (id: string, page: number, pageSize = 20) =>
    api.get<{ items: HistoryEntry[]; total: number }>(
      `${householdPath(id)}/history${buildQuery({ page, pageSize })}`,
    ),
  persons: (filters: PersonFilters & Paging) =>
    api.get<ListPage<PersonListItem>>(`/persons${buildQuery({ ...filters })}`),
  updateHousehold: (id: string, update: RecordUpdate) =>
    request<HouseholdDetail>(householdPath(id), { method: 'PATCH', body: update }),
  updatePerson: (id: string, update: RecordUpdate) =>
    request<PersonDetail>(personPath(id), { method: 'PATCH', body: update }),
  reveal: (id: string) =>
    api.post<{ idNumber: string | null; phone: string | null }>(`${personPath(id)}/reveal`),
};

export function useHouseholdsQuery(filters: HouseholdFilters & Paging) {
  return useQuery({
    queryKey: registryKeys.households(filters),
    queryFn: () => registryService.households(filters),
    placeholderData: keepPreviousData,
  });
}

export function useHouseholdQuery(id: string) {
  return useQuery({ queryKey: registryKeys.household(id), queryFn: () => registryService.household(id) });
}

export function usePersonsQuery(filters: PersonFilters & Paging) {
  return useQuery({
    queryKey: registryKeys.persons(filters),
    queryFn: () => registryService.persons(filters),
    placeholderData: keepPreviousData,
  });
}

/** An edit of a household or a member; afterwards the household, its history and the lists reload. */
export function useRegistryUpdate<Result>(mutationFn: (update: RecordUpdate) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    // The edit drawer shows field errors and conflicts itself.
    meta: { silentError: true },
    // The edit is re-checked against the quality rules before it answers: findings and counts change too.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: registryKeys.all }),
        queryClient.invalidateQueries({ queryKey: ['quality'] }),
      ]),
  });
}
