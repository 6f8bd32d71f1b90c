import { useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A list's filters and page kept in the address, so that opening a record and coming back shows the
 * same list, and a link can be shared with a colleague of the same region.
 */
const noNumberKeys: readonly string[] = [];

export function useListParams<Filters extends object>(numberKeys: readonly string[] = noNumberKeys) {
  const [searchParams, setSearchParams] = useSearchParams();
  const state = useMemo(() => {
    const filters: Record<string, string | number> = {};
    for (const [key, value] of searchParams) {
      if (key === 'page' || key === 'pageSize' || value === '') continue;
      filters[key] = numberKeys.includes(key) ? Number(value) : value;
    }
    return {
      filters: filters as Filters,
      page: Math.max(1, Number(searchParams.get('page') ?? 1) || 1),
      pageSize: Math.min(100, Math.max(1, Number(searchParams.get('pageSize') ?? 20) || 20)),
    };
  }, [searchParams, numberKeys]);

  const write = (filters: Filters, page: number, pageSize: number) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value !== undefined && value !== null && value !== '') next.set(key, String(value));
    }
    if (page > 1) next.set('page', String(page));
    if (pageSize !== 20) next.set('pageSize', String(pageSize));
    setSearchParams(next, { replace: false });
  };

  return {
    ...state,
    search: (filters: Filters) => write(filters, 1, state.pageSize),
    turnPage: (page: number, pageSize: number) =>
      write(state.filters, pageSize === state.pageSize ? page : 1, pageSize),
  };
}
