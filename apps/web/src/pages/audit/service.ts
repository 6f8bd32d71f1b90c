import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildQuery } from '../../api/client.ts';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  id: string;
  occurredAt: string;
  actorUsername: string | null;
  regionCode: string | null;
  /** Short name of the region (e.g. 兰考县); the full name is in the code's tooltip. */
  regionName: string | null;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown> | null;
}

export interface AuditSearch {
  /** ISO dates (YYYY-MM-DD). */
  from?: string;
  to?: string;
  action?: string;
  actor?: string;
  outcome?: AuditOutcome;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  reason: string | null;
}

export const auditKeys = {
  list: (search: AuditSearch, page: number, pageSize: number) =>
    ['audit', 'list', search, page, pageSize] as const,
};

export const auditService = {
  list: (search: AuditSearch, page: number, pageSize: number) =>
    api.get<{ items: AuditEntry[]; total: number }>(`/audit${buildQuery({ ...search, page, pageSize })}`),
  verify: () => api.get<AuditVerification>('/audit/verify'),
  /** A plain GET the browser downloads itself; no CSRF header is needed. */
  exportUrl: (search: AuditSearch) => `/api/audit/export${buildQuery({ ...search })}`,
};

export function useAuditQuery(search: AuditSearch, page: number, pageSize: number) {
  return useQuery({
    queryKey: auditKeys.list(search, page, pageSize),
    queryFn: () => auditService.list(search, page, pageSize),
    placeholderData: keepPreviousData,
  });
}

/** Verifying is itself audited, so the list is fetched again afterwards. */
export function useAuditVerification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: auditService.verify,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['audit', 'list'] }),
  });
}
