import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api, buildQuery } from '../../api/client.ts';
import type { RegionLevel } from '../auth/service.ts';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  fullName: string;
  childCount: number;
}

interface RegionList {
  items: Region[];
}

// Administrative divisions change yearly at most.
const regionStaleTime = 10 * 60_000;

export const regionKeys = {
  detail: (code: string) => ['regions', 'detail', code] as const,
  children: (code: string) => ['regions', 'children', code] as const,
  path: (code: string) => ['regions', 'path', code] as const,
  search: (text: string) => ['regions', 'search', text] as const,
};

export const regionService = {
  get: (code: string) => api.get<Region>(`/regions/${encodeURIComponent(code)}`),
  children: (code: string) =>
    api.get<RegionList>(`/regions/${encodeURIComponent(code)}/children`).then((list) => list.items),
  path: (code: string) =>
    api.get<RegionList>(`/regions/${encodeURIComponent(code)}/path`).then((list) => list.items),
  search: (text: string, limit = 20) =>
    api.get<RegionList>(`/regions/search${buildQuery({ q: text, limit })}`).then((list) => list.items),
};

export function fetchRegionChildren(queryClient: QueryClient, code: string): Promise<Region[]> {
  return queryClient.fetchQuery({
    queryKey: regionKeys.children(code),
    queryFn: () => regionService.children(code),
    staleTime: regionStaleTime,
  });
}

export function useRegionQuery(code: string | undefined) {
  return useQuery({
    queryKey: regionKeys.detail(code ?? ''),
    queryFn: () => regionService.get(code ?? ''),
    enabled: Boolean(code),
    staleTime: regionStaleTime,
  });
}

export function useRegionPathQuery(code: string | undefined) {
  return useQuery({
    queryKey: regionKeys.path(code ?? ''),
    queryFn: () => regionService.path(code ?? ''),
    enabled: Boolean(code),
    staleTime: regionStaleTime,
  });
}

export function useRegionSearchQuery(text: string) {
  const trimmed = text.trim();
  return useQuery({
    queryKey: regionKeys.search(trimmed),
    queryFn: () => regionService.search(trimmed),
    enabled: trimmed.length > 0,
    staleTime: regionStaleTime,
  });
}
