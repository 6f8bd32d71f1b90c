import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, buildQuery } from '../../api/client.ts';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  markedAbsent: number;
}

export interface ImportRowError {
  row: number;
  column: string;
  value: string;
  reason: string;
}

export interface CountyTotal {
  countyCode: string;
  countyName: string;
  fileHouseholds: number;
  filePersons: number;
  platformHouseholds: number;
  platformPersons: number;
}

export interface ImportSummary {
  batchId: string;
  status: 'succeeded' | 'failed';
  dryRun: boolean;
  rowsRead: number;
  households: ImportCounts;
  persons: ImportCounts;
  rowsRejected: number;
  errors: ImportRowError[];
  unknownColumns: string[];
  unknownValues: Array<{ column: string; value: string; count: number }>;
  countyTotals: CountyTotal[];
  seconds: number;
}

export type BatchStatus = 'running' | 'succeeded' | 'failed';
export type ImportPhase = 'reading' | 'validating' | 'applying' | 'done';

export interface ImportBatch {
  id: string;
  kind: string;
  fileName: string;
  fileSize: number | null;
  statisticsYear: number | null;
  dryRun: boolean;
  status: BatchStatus;
  phase: ImportPhase | null;
  rowsRead: number;
  actorUsername: string | null;
  regionCode: string;
  regionFullName: string | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  /**
   * `full`: imported within the user's region. `covering`: imported by a region above it; the summary
   * holds only the user's counties and no row errors.
   */
  view: 'full' | 'covering';
  summary: ImportSummary | null;
}

export interface ImportOptions {
  dryRun: boolean;
  year: number;
}

export const importKeys = {
  all: ['imports'] as const,
  list: (page: number, pageSize: number) => ['imports', 'list', page, pageSize] as const,
  batch: (id: string) => ['imports', 'batch', id] as const,
};

/**
 * Sends the file as multipart/form-data with upload progress (fetch cannot report it). The CSRF token
 * is the session's, as for every write.
 */
function uploadNationalFile(
  file: File,
  options: ImportOptions & { csrfToken: string; onUploadProgress?: (percent: number) => void },
): Promise<{ batchId: string }> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('dryRun', String(options.dryRun));
    form.append('year', String(options.year));
    form.append('file', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', '/api/imports/national');
    request.setRequestHeader('x-csrf-token', options.csrfToken);
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onUploadProgress?.(Math.round((event.loaded / event.total) * 100));
    };
    request.onload = () => {
      let body: { batchId?: string; code?: string; message?: string } = {};
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // not JSON: handled below
      }
      if (request.status >= 200 && request.status < 300 && body.batchId) resolve({ batchId: body.batchId });
      else {
        reject(
          new ApiError(
            request.status,
            body.code ?? 'common.unknown',
            body.message ?? `上传失败（HTTP ${request.status}）`,
          ),
        );
      }
    };
    request.onerror = () => reject(new TypeError('network error'));
    request.send(form);
  });
}

export const importService = {
  list: (page: number, pageSize: number) =>
    api.get<{ items: ImportBatch[]; total: number }>(`/imports${buildQuery({ page, pageSize })}`),
  get: (id: string) => api.get<ImportBatch>(`/imports/${encodeURIComponent(id)}`),
  /** A plain GET the browser downloads itself. */
  errorsUrl: (id: string) => `/api/imports/${encodeURIComponent(id)}/errors.xlsx`,
  upload: uploadNationalFile,
};

export function useImportBatchesQuery(page: number, pageSize: number) {
  return useQuery({
    queryKey: importKeys.list(page, pageSize),
    queryFn: () => importService.list(page, pageSize),
    placeholderData: keepPreviousData,
    // Keep the list live while one of its imports is still running.
    refetchInterval: (query) =>
      query.state.data?.items.some((batch) => batch.status === 'running') ? 2000 : false,
  });
}

/** One batch, polled every second while it runs. */
export function useImportBatchQuery(id: string | null) {
  return useQuery({
    queryKey: importKeys.batch(id ?? ''),
    queryFn: () => importService.get(id ?? ''),
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });
}

export function useStartImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { file: File } & Parameters<typeof uploadNationalFile>[1]) =>
      uploadNationalFile(input.file, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.all }),
  });
}
