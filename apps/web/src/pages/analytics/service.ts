import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, buildQuery } from '../../api/client.ts';

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
