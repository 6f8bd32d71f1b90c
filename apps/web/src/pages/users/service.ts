import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildQuery } from '../../api/client.ts';
import type { RoleRef } from '../auth/service.ts';

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  regionCode: string;
  regionFullName: string;
  department: string | null;
  phone: string | null;
  roles: RoleRef[];
  disabled: boolean;
  lockedUntil: string | null;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserFilters {
  regionCode?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  regionCode: string;
  roles: string[];
  department?: string;
  phone?: string;
}

export interface Role {
  code: string;
  name: string;
  levels: string[];
  permissions: string[];
}

interface Page<T> {
  items: T[];
  total: number;
}

export const userKeys = {
  all: ['users'] as const,
  list: (filters: UserFilters) => ['users', 'list', filters] as const,
  roles: ['roles'] as const,
};

const userPath = (id: string, action: string) => `/users/${encodeURIComponent(id)}/${action}`;

export const userService = {
  list: (filters: UserFilters) => api.get<Page<UserSummary>>(`/users${buildQuery({ ...filters })}`),
  create: (input: CreateUserInput) => api.post<UserSummary>('/users', input),
  unlock: (id: string) => api.post<UserSummary>(userPath(id, 'unlock')),
  resetPassword: (id: string, password: string) =>
    api.post<UserSummary>(userPath(id, 'reset-password'), { password }),
  disable: (id: string) => api.post<UserSummary>(userPath(id, 'disable')),
  enable: (id: string) => api.post<UserSummary>(userPath(id, 'enable')),
  roles: () => api.get<{ items: Role[] }>('/roles').then((list) => list.items),
};

export function useUsersQuery(filters: UserFilters) {
  return useQuery({
    queryKey: userKeys.list(filters),
    queryFn: () => userService.list(filters),
    placeholderData: keepPreviousData,
  });
}

export function useRolesQuery() {
  return useQuery({ queryKey: userKeys.roles, queryFn: userService.roles, staleTime: 10 * 60_000 });
}

/** A mutation on users after which every user list is fetched again. */
export function useUserMutation<Input>(
  mutationFn: (input: Input) => Promise<UserSummary>,
  silentError = false,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    meta: { silentError },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function isLocked(user: Pick<UserSummary, 'lockedUntil'>, now = Date.now()): boolean {
  return user.lockedUntil !== null && new Date(user.lockedUntil).getTime() > now;
}
