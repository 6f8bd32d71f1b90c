import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildQuery, request } from '../../api/client.ts';

export type RuleScope = 'person' | 'household';
export type Severity = 'error' | 'warning';
export type FindingStatus = 'open' | 'fixed' | 'exempted';
export type ExemptionStatus = 'requested' | 'approved' | 'rejected' | 'expired';

export interface Rule {
  code: string;
  name: string;
  category: string;
  scope: RuleScope;
  severity: Severity;
  kind: 'expression' | 'aggregate';
  whenText: string | null;
  note: string | null;
  enabled: boolean;
  builtin: boolean;
  version: number;
  updatedBy: string | null;
  updatedAt: string;
}

export interface RuleVersion {
  version: number;
  change: 'create' | 'update' | 'enable' | 'disable';
  name: string;
  category: string;
  severity: string;
  previousWhenText: string | null;
  whenText: string | null;
  enabled: boolean;
  changedBy: string | null;
  changedAt: string;
}

export interface RuleTextError {
  message: string;
  line: number;
  column: number;
  length: number;
}

export interface RuleCheck {
  ok: boolean;
  error?: RuleTextError;
}

export interface RulePreview {
  households: number;
  persons: number;
  sample: Array<{ householdId: string; householdNo: string; regionCode: string; headName: string | null }>;
}

export interface NewRule {
  code: string;
  name: string;
  category: string;
  scope: RuleScope;
  severity: Severity;
  whenText: string;
  note?: string | null;
  enabled?: boolean;
}

export interface RuleChanges {
  version: number;
  name?: string;
  category?: string;
  severity?: Severity;
  whenText?: string;
  note?: string | null;
}

export interface RunSettings {
  referenceDate?: string;
  statisticsYear?: number;
  incomeLine?: number;
}

export interface Run {
  id: string;
  trigger: 'cli' | 'ui' | 'schedule' | 'import' | 'recheck';
  status: 'running' | 'succeeded' | 'failed';
  phase: string | null;
  progress: number;
  regionCode: string;
  householdCount: number | null;
  startedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  settings: RunSettings;
  ruleCount: number;
  counts: {
    found?: number;
    new?: number;
    fixed?: number;
    exemptionsExpired?: number;
    skipped?: Array<{ code: string; reason: string }>;
    rules?: Array<{ code: string; households: number; persons: number }>;
  };
  error: string | null;
}

export interface Finding {
  id: string;
  ruleCode: string;
  ruleName: string;
  ruleScope: string;
  severity: string;
  category: string;
  householdId: string;
  householdNo: string;
  headName: string | null;
  personId: string | null;
  personName: string | null;
  /** Masked. */
  idNumber: string | null;
  regionCode: string;
  regionFullName: string | null;
  status: FindingStatus;
  firstSeenAt: string;
  lastSeenAt: string;
  fixedAt: string | null;
  exemptUntil: string | null;
}

export interface FindingFilters {
  ruleCode?: string;
  regionCode?: string;
  status?: FindingStatus;
  householdId?: string;
  page: number;
  pageSize: number;
}

export interface RuleFindingCounts {
  code: string;
  name: string;
  category: string;
  scope: string;
  severity: string;
  open: number;
  fixed: number;
  exempted: number;
  openHouseholds: number;
}

export interface RegionCounts {
  code: string;
  name: string;
  level: string;
  households: number;
  flaggedHouseholds: number;
  qualityRate: number;
  found: number;
  open: number;
  fixed: number;
  exempted: number;
  rectificationRate: number;
}

export interface RegionBreakdown<Item extends RegionCounts = RegionCounts> {
  region: { code: string; name: string; level: string };
  total: RegionCounts;
  items: Item[];
}

export type RankingOrder = 'qualityRate' | 'rectificationRate';

export interface Exemption {
  id: string;
  findingId: string;
  regionCode: string;
  reason: string;
  status: ExemptionStatus;
  expiresAt: string;
  requestedByName: string;
  requestedAt: string;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  ruleCode: string;
  ruleName: string;
  householdId: string;
  householdNo: string;
  personId: string | null;
  personName: string | null;
}

const base = '/quality';
const rulePath = (code: string) => `${base}/rules/${encodeURIComponent(code)}`;

export const qualityKeys = {
  all: ['quality'] as const,
  rules: ['quality', 'rules'] as const,
  versions: (code: string) => ['quality', 'rules', code, 'versions'] as const,
  runs: ['quality', 'runs'] as const,
  run: (id: string) => ['quality', 'run', id] as const,
  findings: (filters: FindingFilters) => ['quality', 'findings', filters] as const,
  byRule: (regionCode?: string) => ['quality', 'by-rule', regionCode ?? ''] as const,
  byRegion: (regionCode?: string, ruleCode?: string) =>
    ['quality', 'by-region', regionCode ?? '', ruleCode ?? ''] as const,
  rankings: (regionCode: string | undefined, orderBy: RankingOrder) =>
    ['quality', 'rankings', regionCode ?? '', orderBy] as const,
  householdFindings: (householdId: string) => ['quality', 'household', householdId] as const,
  exemptions: (status: ExemptionStatus | undefined, page: number) =>
    ['quality', 'exemptions', status ?? '', page] as const,
  pendingExemption: (findingId: string) => ['quality', 'exemptions', 'pending', findingId] as const,
};

export const qualityService = {
  rules: () => api.get<{ items: Rule[] }>(`${base}/rules`),
  versions: (code: string) => api.get<{ items: RuleVersion[] }>(`${rulePath(code)}/versions`),
  createRule: (rule: NewRule) => api.post<Rule>(`${base}/rules`, rule),
  updateRule: (code: string, changes: RuleChanges) =>
    request<Rule>(rulePath(code), { method: 'PATCH', body: changes }),
  setEnabled: (code: string, enabled: boolean) =>
    api.post<Rule>(`${rulePath(code)}/${enabled ? 'enable' : 'disable'}`),
  check: (whenText: string, scope: RuleScope, signal?: AbortSignal) =>
    request<RuleCheck>(`${base}/rules/check`, { method: 'POST', body: { whenText, scope }, signal }),
  preview: (whenText: string, scope: RuleScope) =>
    api.post<RulePreview>(`${base}/rules/preview`, { whenText, scope }),
  runs: (page = 1, pageSize = 20) =>
    api.get<{ items: Run[] }>(`${base}/runs${buildQuery({ page, pageSize })}`),
  run: (id: string) => api.get<Run>(`${base}/runs/${encodeURIComponent(id)}`),
  startRun: (regionCode?: string) => api.post<Run>(`${base}/runs`, regionCode ? { regionCode } : {}),
  findings: (filters: FindingFilters) =>
    api.get<{ items: Finding[]; total: number }>(`${base}/findings${buildQuery({ ...filters })}`),
  byRule: (regionCode?: string) =>
    api.get<{ items: RuleFindingCounts[] }>(`${base}/findings/by-rule${buildQuery({ regionCode })}`),
  byRegion: (regionCode?: string, ruleCode?: string) =>
    api.get<RegionBreakdown>(`${base}/findings/by-region${buildQuery({ regionCode, ruleCode })}`),
  rankings: (regionCode: string | undefined, orderBy: RankingOrder) =>
    api.get<RegionBreakdown<RegionCounts & { rank: number }>>(
      `${base}/rankings${buildQuery({ regionCode, orderBy })}`,
    ),
  householdFindings: (householdId: string) =>
    api.get<{ items: Finding[] }>(`${base}/households/${encodeURIComponent(householdId)}/findings`),
  requestExemption: (findingId: string, body: { reason: string; expiresAt: string }) =>
    api.post<Exemption>(`${base}/findings/${encodeURIComponent(findingId)}/exemptions`, body),
  exemptions: (status: ExemptionStatus | undefined, page: number, pageSize = 20) =>
    api.get<{ items: Exemption[] }>(`${base}/exemptions${buildQuery({ status, page, pageSize })}`),
  pendingExemption: (findingId: string) =>
    api
      .get<{ items: Exemption[] }>(
        `${base}/exemptions${buildQuery({ status: 'requested', findingId, pageSize: 1 })}`,
      )
      .then((list) => list.items[0] ?? null),
  decideExemption: (id: string, decision: 'approve' | 'reject', note?: string) =>
    api.post<Exemption>(`${base}/exemptions/${encodeURIComponent(id)}/${decision}`, note ? { note } : {}),
  /** Plain GETs the browser downloads itself. */
  findingsExportUrl: (filters: { regionCode?: string; ruleCode?: string; status?: FindingStatus }) =>
    `/api${base}/findings/export.xlsx${buildQuery({ ...filters })}`,
  rankingsExportUrl: (regionCode?: string) => `/api${base}/rankings/export.xlsx${buildQuery({ regionCode })}`,
};

export function useRulesQuery(enabled = true) {
  return useQuery({ queryKey: qualityKeys.rules, queryFn: qualityService.rules, enabled, staleTime: 60_000 });
}

export function useRuleVersionsQuery(code: string | undefined) {
  return useQuery({
    queryKey: qualityKeys.versions(code ?? ''),
    queryFn: () => qualityService.versions(code ?? ''),
    enabled: Boolean(code),
  });
}

/** Rule writes: the form shows its own errors; afterwards rules, versions and counts reload. */
export function useRuleMutation<Variables>(
  mutationFn: (variables: Variables) => Promise<Rule>,
  silent = true,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    meta: { silentError: silent },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qualityKeys.all }),
  });
}

export function useRunsQuery(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...qualityKeys.runs, page, pageSize],
    queryFn: () => qualityService.runs(page, pageSize),
    placeholderData: keepPreviousData,
  });
}

/** A run, polled every second while it is running. */
export function useRunQuery(id: string | undefined) {
  return useQuery({
    queryKey: qualityKeys.run(id ?? ''),
    queryFn: () => qualityService.run(id ?? ''),
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });
}

export function useFindingsQuery(filters: FindingFilters) {
  return useQuery({
    queryKey: qualityKeys.findings(filters),
    queryFn: () => qualityService.findings(filters),
    placeholderData: keepPreviousData,
  });
}

export function useByRuleQuery(regionCode?: string) {
  return useQuery({
    queryKey: qualityKeys.byRule(regionCode),
    queryFn: () => qualityService.byRule(regionCode),
    placeholderData: keepPreviousData,
  });
}

export function useByRegionQuery(regionCode?: string, ruleCode?: string) {
  return useQuery({
    queryKey: qualityKeys.byRegion(regionCode, ruleCode),
    queryFn: () => qualityService.byRegion(regionCode, ruleCode),
    placeholderData: keepPreviousData,
  });
}

export function useRankingsQuery(regionCode: string | undefined, orderBy: RankingOrder) {
  return useQuery({
    queryKey: qualityKeys.rankings(regionCode, orderBy),
    queryFn: () => qualityService.rankings(regionCode, orderBy),
    placeholderData: keepPreviousData,
  });
}

export function useHouseholdFindingsQuery(householdId: string, enabled = true) {
  return useQuery({
    queryKey: qualityKeys.householdFindings(householdId),
    queryFn: () => qualityService.householdFindings(householdId),
    enabled,
  });
}

export function useExemptionsQuery(status: ExemptionStatus | undefined, page: number) {
  return useQuery({
    queryKey: qualityKeys.exemptions(status, page),
    queryFn: () => qualityService.exemptions(status, page),
    placeholderData: keepPreviousData,
  });
}

/** Exemption writes: afterwards findings, counts and the request list reload. */
export function useExemptionMutation<Variables>(
  mutationFn: (variables: Variables) => Promise<Exemption>,
  silent = false,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    meta: { silentError: silent },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qualityKeys.all }),
  });
}

/** The request awaiting a decision, per open finding (a household has a few at most). */
export function usePendingExemptions(findingIds: string[]) {
  return useQueries({
    queries: findingIds.map((findingId) => ({
      queryKey: qualityKeys.pendingExemption(findingId),
      queryFn: () => qualityService.pendingExemption(findingId),
    })),
    combine: (results) =>
      new Map(findingIds.map((findingId, index) => [findingId, results[index]?.data ?? null])),
  });
}
