import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildQuery, request } from '../../api/client.ts';
import type { RuleCheck, RuleScope } from '../quality/service.ts';

export type Measure = 'households' | 'persons';

export interface ReportColumn {
  key: string;
  /** Header path, top row first. */
  path: string[];
  measure: Measure;
}

export interface ReportRow {
  regionCode: string;
  regionName: string;
  level: string;
  hasChildren: boolean;
  values: number[];
}

export interface ReportView {
  report: { name: string; title: string; description: string; eliminationYearFilter: boolean };
  region: { code: string; name: string; fullName: string; level: string };
  path: Array<{ code: string; name: string; level: string }>;
  filters: {
    year: number;
    householdType: string | null;
    monitored: string | null;
    eliminationYear: number | null;
  };
  filterText: string;
  years: number[];
  eliminationYears: number[];
  referenceDate: string;
  dataDate: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  totals: ReportRow;
}

export interface ReportCatalogue {
  items: Array<{ name: string; title: string; description: string }>;
  householdTypes: Array<{ value: string; label: string }>;
  monitoredStates: Array<{ value: string; label: string }>;
  dataDate: string | null;
}

export interface ReportSearch {
  report: string;
  regionCode: string;
  year?: number;
  householdType?: string;
  monitored?: string;
  eliminationYear?: number;
}

const toQuery = ({ report: _report, ...search }: ReportSearch) => buildQuery({ ...search });

export const analyticsService = {
  catalogue: () => api.get<ReportCatalogue>('/analytics/reports'),
  report: (search: ReportSearch) =>
    api.get<ReportView>(`/analytics/reports/${search.report}${toQuery(search)}`),
  /** A plain GET the browser downloads itself. */
  exportUrl: (search: ReportSearch) => `/api/analytics/reports/${search.report}/export${toQuery(search)}`,
};

export function useReportCatalogue() {
  return useQuery({
    queryKey: ['analytics', 'catalogue'],
    queryFn: analyticsService.catalogue,
    staleTime: 60_000,
  });
}

export function useReportQuery(search: ReportSearch) {
  return useQuery({
    queryKey: ['analytics', 'report', search],
    queryFn: () => analyticsService.report(search),
    placeholderData: keepPreviousData,
  });
}

// Custom statistics (定制化统计)

export interface CustomSearch {
  expression: string;
  scope: RuleScope;
  regionCode?: string;
  year?: number;
  /** A saved statistic's name, used as the title of exports. */
  title?: string;
}

export interface CustomCountRow {
  regionCode: string;
  regionName: string;
  level: string;
  hasChildren: boolean;
  households: number;
  persons: number;
}

export interface CustomCountView {
  expression: string;
  scope: RuleScope;
  region: { code: string; name: string; fullName: string; level: string };
  path: Array<{ code: string; name: string; level: string }>;
  year: number;
  referenceDate: string;
  incomeLine: number;
  conditionText: string;
  rows: CustomCountRow[];
  totals: CustomCountRow;
  dataDate: string;
}

export interface CustomPerson {
  id: string;
  name: string | null;
  idNumber: string | null;
  relation: string | null;
  gender: string | null;
  age: number | null;
  health: string | null;
  laborSkill: string | null;
  householdNo: string;
  townshipName: string | null;
  villageName: string | null;
  householdType: string | null;
  monitoringCategory: string | null;
}

export interface SavedStatistic {
  id: string;
  name: string;
  expression: string;
  scope: RuleScope;
  note: string | null;
  createdAt: string;
}

const customBase = '/analytics/custom';

export const customStatisticsService = {
  check: (expression: string, scope: RuleScope, signal?: AbortSignal) =>
    request<RuleCheck>(`${customBase}/check`, { method: 'POST', body: { expression, scope }, signal }),
  counts: (search: CustomSearch) =>
    api.get<CustomCountView>(`${customBase}/counts${buildQuery({ ...search })}`),
  persons: (search: CustomSearch & { page: number; pageSize: number }) =>
    api.get<{ items: CustomPerson[]; total: number }>(`${customBase}/persons${buildQuery({ ...search })}`),
  /** Plain GETs the browser downloads itself. */
  countsExportUrl: (search: CustomSearch) => `/api${customBase}/counts/export${buildQuery({ ...search })}`,
  personsExportUrl: (search: CustomSearch) => `/api${customBase}/persons/export${buildQuery({ ...search })}`,
  listSaved: () => api.get<{ items: SavedStatistic[] }>(`${customBase}/saved`),
  save: (input: { name: string; expression: string; scope: RuleScope; note?: string | null }) =>
    api.post<SavedStatistic>(`${customBase}/saved`, input),
  deleteSaved: (id: string) => request<void>(`${customBase}/saved/${id}`, { method: 'DELETE' }),
};

export function useCustomCounts(search: CustomSearch | undefined) {
  return useQuery({
    queryKey: ['analytics', 'custom', 'counts', search],
    queryFn: () => customStatisticsService.counts(search as CustomSearch),
    enabled: Boolean(search),
    placeholderData: keepPreviousData,
    meta: { silentError: true },
  });
}

export function useCustomPersons(search: CustomSearch | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['analytics', 'custom', 'persons', search, page, pageSize],
    queryFn: () => customStatisticsService.persons({ ...(search as CustomSearch), page, pageSize }),
    enabled: Boolean(search),
    placeholderData: keepPreviousData,
    meta: { silentError: true },
  });
}

export function useSavedStatistics() {
  return useQuery({ queryKey: ['analytics', 'custom', 'saved'], queryFn: customStatisticsService.listSaved });
}

export function useSavedStatisticMutations() {
  const client = useQueryClient();
  const invalidate = () => client.invalidateQueries({ queryKey: ['analytics', 'custom', 'saved'] });
  return {
    save: useMutation({ mutationFn: customStatisticsService.save, onSuccess: invalidate }),
    remove: useMutation({ mutationFn: customStatisticsService.deleteSaved, onSuccess: invalidate }),
  };
}

export interface CountPair {
  households: number;
  persons: number;
}

/** 综合展示: what GET /api/analytics/dashboard answers. */
export interface Dashboard {
  region: { code: string; name: string; fullName: string; level: string };
  path: Array<{ code: string; name: string; level: string }>;
  year: number;
  years: number[];
  referenceDate: string;
  dataDate: string;
  headline: {
    assisted: CountPair;
    lifted: CountPair;
    monitored: CountPair;
    eliminated: CountPair;
    notEliminated: CountPair;
    identifiedThisYear: CountPair;
    eliminatedThisYear: CountPair;
    openFindings: number | null;
    openCases: number | null;
    overdueCases: number | null;
  };
  categories: Array<{ key: string; label: string } & CountPair>;
  monthly: Array<{ month: string; identified: CountPair; eliminated: CountPair }>;
  structures: Array<{
    key: string;
    title: string;
    items: Array<{ key: string; label: string; value: number }>;
  }>;
  children: Array<{
    regionCode: string;
    regionName: string;
    level: string;
    hasChildren: boolean;
    assisted: CountPair;
    liftedHouseholds: number;
    monitoredHouseholds: number;
    notEliminatedHouseholds: number;
    monitoredShare: number;
  }>;
  qualityRanking: Array<{
    regionCode: string;
    regionName: string;
    households: number;
    flaggedHouseholds: number;
    qualityRate: number;
    found: number;
    open: number;
    fixed: number;
    rectificationRate: number;
  }> | null;
}

export interface DashboardSearch {
  regionCode?: string;
  year?: number;
}

export const dashboardService = {
  get: (search: DashboardSearch) => api.get<Dashboard>(`/analytics/dashboard${buildQuery({ ...search })}`),
};

export function useDashboardQuery(search: DashboardSearch) {
  return useQuery({
    queryKey: ['analytics', 'dashboard', search],
    queryFn: () => dashboardService.get(search),
    placeholderData: keepPreviousData,
  });
}
