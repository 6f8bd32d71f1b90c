import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildQuery, postForm, request } from '../../api/client.ts';

export type CaseKind = 'identification' | 'elimination';
export type CaseAction = 'pass' | 'reject' | 'return';

export interface WorkflowStep {
  state: string;
  label: string;
  role: string;
  roleLabel: string;
  level: string;
  canReject: boolean;
  returnTo: string | null;
  limitSetting: string;
  limitUnit: 'working_days' | 'calendar_days';
}

export interface CaseListItem {
  id: string;
  kind: CaseKind;
  regionCode: string;
  regionFullName: string;
  /** Null until verification records the household of a person not in the registry. */
  householdId: string | null;
  householdNo: string | null;
  /** Masked; the reported person's ID number while the case has no household. */
  idNumber: string | null;
  headName: string | null;
  state: string;
  stateLabel: string;
  version: number;
  stepStartedAt: string;
  stepDueAt: string | null;
  chainDueAt: string | null;
  overdue: boolean;
  outcome: 'approved' | 'rejected' | null;
  outcomeReason: string | null;
  closedAt: string | null;
}

export interface CriteriaItem {
  key: string;
  label: string;
  fromData: boolean | null;
  evidence: string;
  attested: boolean;
  needsAttestation: boolean;
  holds: boolean;
}

export interface CaseDetail extends CaseListItem {
  leadId: string | null;
  proposedCategory: string | null;
  proposedRisks: string[];
  proposedMeasures: string[];
  eliminationMethod: string | null;
  stepData: Record<string, unknown>;
  steps: WorkflowStep[];
  allowedActions: CaseAction[];
  transitions: Array<{
    id: string;
    fromState: string | null;
    fromLabel: string | null;
    toState: string;
    toLabel: string;
    action: 'open' | CaseAction;
    reason: string | null;
    data: Record<string, unknown>;
    actorUsername: string | null;
    actorRole: string | null;
    occurredAt: string;
  }>;
  notice: { startsOn: string; endsOn: string; place: string } | null;
  objections: Array<{
    id: string;
    receivedOn: string;
    objector: string | null;
    content: string;
    resolution: string | null;
  }>;
  attachments: Array<{
    id: string;
    kind: string;
    fileName: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    uploadedAt: string;
  }>;
  criteria: { withoutLabour: boolean; items: CriteriaItem[] } | null;
}

export interface Lead {
  id: string;
  regionCode: string;
  regionFullName: string;
  channel: 'self_report' | 'cadre_visit' | 'department_alert';
  status: 'open' | 'case_opened' | 'dismissed';
  householdId: string | null;
  householdNo: string | null;
  name: string | null;
  idNumber: string | null;
  phone: string | null;
  difficultyTypes: string[];
  description: string | null;
  reportCount: number;
  caseId: string | null;
  dismissalKind: DismissalKind | null;
  dismissalReason: string | null;
  dismissedByUsername: string | null;
  dismissedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type DismissalKind = 'duplicate' | 'not_in_difficulty' | 'wrong_village' | 'other';
export const dismissalKindLabels: Record<DismissalKind, string> = {
  duplicate: '重复上报',
  not_in_difficulty: '经核实不存在困难',
  wrong_village: '不是本村（乡镇）农户',
  other: '其他',
};

export interface Todos {
  openLeads: number;
  counts: Array<{ kind: CaseKind; state: string; label: string; total: number; overdue: number }>;
  items: CaseListItem[];
}

export interface Progress {
  regionCode: string;
  regionName: string;
  items: Array<{
    regionCode: string;
    regionName: string;
    open: number;
    overdue: number;
    approved: number;
    byState: Record<string, number>;
  }>;
}

export interface ReportFields {
  name: string;
  idNumber: string;
  phone?: string;
  difficultyTypes: string[];
  description?: string;
  consent: boolean;
}

export const channelLabels: Record<Lead['channel'], string> = {
  self_report: '农户自主申报',
  cadre_visit: '基层干部排查',
  department_alert: '部门筛查预警',
};
export const leadStatusLabels: Record<Lead['status'], string> = {
  open: '待处理',
  case_opened: '已启动识别',
  dismissed: '已关闭',
};
export const kindLabels: Record<CaseKind, string> = { identification: '识别纳入', elimination: '风险消除' };
export const attachmentKindLabels: Record<string, string> = {
  consent: '承诺授权书',
  verification_form: '入户核实表',
  deliberation_record: '评议记录',
  notice_photo: '公示照片',
  other: '其他',
};

export const monitoringKeys = {
  all: ['monitoring'] as const,
  todos: ['monitoring', 'todos'] as const,
  progress: ['monitoring', 'progress'] as const,
  leads: (status?: string) => ['monitoring', 'leads', status ?? 'all'] as const,
  cases: (filters: Record<string, unknown>) => ['monitoring', 'cases', filters] as const,
  case: (id: string) => ['monitoring', 'case', id] as const,
};

export function useTodosQuery(enabled = true) {
  return useQuery({
    queryKey: monitoringKeys.todos,
    queryFn: ({ signal }) => api.get<Todos>('/workbench/todos', signal),
    enabled,
  });
}

export function useProgressQuery(enabled: boolean) {
  return useQuery({
    queryKey: monitoringKeys.progress,
    queryFn: ({ signal }) => api.get<Progress>('/workbench/progress', signal),
    enabled,
  });
}

export function useLeadsQuery(status?: string) {
  return useQuery({
    queryKey: monitoringKeys.leads(status),
    queryFn: ({ signal }) =>
      api.get<{ items: Lead[] }>(`/monitoring/leads${buildQuery({ status, pageSize: 100 })}`, signal),
  });
}

export function useCasesQuery(filters: { kind?: string; open?: boolean; overdue?: boolean }) {
  return useQuery({
    queryKey: monitoringKeys.cases(filters),
    queryFn: ({ signal }) =>
      api.get<{ items: CaseListItem[] }>(
        `/monitoring/cases${buildQuery({ ...filters, pageSize: 100 })}`,
        signal,
      ),
  });
}

export function useCaseQuery(id: string) {
  return useQuery({
    queryKey: monitoringKeys.case(id),
    queryFn: ({ signal }) => api.get<CaseDetail>(`/monitoring/cases/${id}`, signal),
  });
}

/** Every write answers the case as it now is; the caches of lists and to-dos are refreshed. */
function useCaseWrite<Input>(id: string, write: (input: Input) => Promise<CaseDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    meta: { silentError: true },
    onSuccess: (detail) => {
      queryClient.setQueryData(monitoringKeys.case(id), detail);
      void queryClient.invalidateQueries({
        queryKey: monitoringKeys.all,
        predicate: (query) => query.queryKey[1] !== 'case',
      });
    },
  });
}

export function useTransition(id: string) {
  return useCaseWrite(
    id,
    (input: { action: CaseAction; version: number; reason?: string; data?: Record<string, unknown> }) =>
      api.post<CaseDetail>(`/monitoring/cases/${id}/transitions`, input),
  );
}

export function useRecordNotice(id: string) {
  return useCaseWrite(id, (input: { startsOn: string; endsOn: string; place: string }) =>
    request<CaseDetail>(`/monitoring/cases/${id}/notice`, { method: 'PUT', body: input }),
  );
}

export function useAddObjection(id: string) {
  return useCaseWrite(id, (input: { receivedOn: string; objector?: string; content: string }) =>
    api.post<CaseDetail>(`/monitoring/cases/${id}/objections`, input),
  );
}

export function useResolveObjection(id: string) {
  return useCaseWrite(id, (input: { objectionId: string; resolution: string }) =>
    api.post<CaseDetail>(`/monitoring/cases/${id}/objections/${input.objectionId}/resolve`, {
      resolution: input.resolution,
    }),
  );
}

export function useUploadAttachment(id: string) {
  return useCaseWrite(id, (input: { kind: string; file: File }) => {
    const form = new FormData();
    form.append('kind', input.kind);
    form.append('file', input.file);
    return postForm<CaseDetail>(`/monitoring/cases/${id}/attachments`, form);
  });
}

export function useRecordVisit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ReportFields & { villageCode?: string }) =>
      api.post<{ id: string; reportCount: number }>('/monitoring/leads', input),
    meta: { silentError: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: monitoringKeys.all }),
  });
}

export function useOpenIdentification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (leadId: string) => api.post<{ id: string }>(`/monitoring/leads/${leadId}/case`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: monitoringKeys.all }),
  });
}

export function useDismissLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { leadId: string; kind: DismissalKind; reason: string }) =>
      api.post<Lead>(`/monitoring/leads/${input.leadId}/dismiss`, { kind: input.kind, reason: input.reason }),
    meta: { silentError: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: monitoringKeys.all }),
  });
}

export function useOpenElimination() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (householdId: string) =>
      api.post<{ id: string }>(`/monitoring/households/${householdId}/elimination`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: monitoringKeys.all }),
  });
}

export function selfReportLink(villageCode: string) {
  return api.get<{ token: string; path: string }>(`/monitoring/villages/${villageCode}/self-report-link`);
}

// The public page: no session.
export interface SelfReportForm {
  villageName: string;
  challenge: string;
  difficultyTypes: Array<{ code: string; label: string }>;
}

export function useSelfReportFormQuery(token: string) {
  return useQuery({
    queryKey: ['self-report', token],
    queryFn: ({ signal }) =>
      api.get<SelfReportForm>(`/public/self-report/${encodeURIComponent(token)}`, signal),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    meta: { silentError: true },
  });
}

export function useSubmitSelfReport() {
  return useMutation({
    mutationFn: (input: ReportFields & { token: string; challenge: string; website: string }) =>
      api.post<{ received: boolean }>('/public/self-report', input),
    meta: { silentError: true },
  });
}
