import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../../api/client.ts';

export type RegionLevel = 'province' | 'city' | 'county' | 'township' | 'village';

export type SessionState =
  | 'active'
  | 'second_factor_required'
  | 'password_change_required'
  | 'totp_enrolment_required';

export interface RoleRef {
  code: string;
  name: string;
}

export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  regionCode: string;
  regionName: string;
  regionFullName: string;
  regionLevel: RegionLevel;
  department: string | null;
  roles: RoleRef[];
  permissions: string[];
  totpEnabled: boolean;
  /** The server stamps this at sign-in, so during a session it is the current sign-in. */
  lastLoginAt: string | null;
  /** The sign-in before this one, and its address. */
  previousLoginAt: string | null;
  previousLoginIp: string | null;
}

export interface Me {
  user: CurrentUser;
  state: SessionState;
  csrfToken: string;
  idleTimeoutMinutes: number;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
}

export const meQueryKey = ['auth', 'me'] as const;

function remember(me: Me): Me {
  setCsrfToken(me.csrfToken);
  return me;
}

/** The current session, or null when nobody is signed in. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return remember(await api.get<Me>('/auth/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export const authService = {
  login: (input: { username: string; password: string }) => api.post<Me>('/auth/login', input).then(remember),
  verifyTotp: (code: string) => api.post<Me>('/auth/totp/verify', { code }).then(remember),
  logout: () => api.post<void>('/auth/logout'),
  changePassword: (input: { currentPassword: string; newPassword: string }) =>
    api.post<Me>('/auth/password', input).then(remember),
  startTotpEnrolment: () => api.post<TotpEnrolment>('/auth/totp/enrolment'),
  confirmTotpEnrolment: (code: string) =>
    api.post<Me>('/auth/totp/enrolment/confirm', { code }).then(remember),
  disableTotp: (code: string) => api.post<Me>('/auth/totp/disable', { code }).then(remember),
};

export function useMeQuery() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: Number.POSITIVE_INFINITY, retry: 1 });
}

/** For pages under the signed-in layout, which only renders once `me` is known. */
export function useMeOrThrow(): Me {
  const { data } = useMeQuery();
  if (!data) throw new Error('useMeOrThrow used outside a signed-in page');
  return data;
}

/** A mutation whose answer is the new `Me`; the session cache is updated from it. */
export function useSessionMutation<Input>(mutationFn: (input: Input) => Promise<Me>, silentError = false) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    meta: { silentError },
    onSuccess: (me) => queryClient.setQueryData(meQueryKey, me),
  });
}

/** Where a session in `state` must go next; null when it may use the app. */
export function nextStepPath(state: SessionState): string | null {
  switch (state) {
    case 'second_factor_required':
      return '/login';
    case 'password_change_required':
      return '/account/password';
    case 'totp_enrolment_required':
      return '/account/totp';
    case 'active':
      return null;
  }
}

/** Only same-origin paths are followed after sign-in. */
export function safeRedirectPath(candidate: string | null): string {
  if (!candidate?.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/login')) return '/';
  return candidate;
}

/** Ends the session and reloads on the login page, so nothing of the old session stays in memory. */
export function useLogout() {
  return useMutation({
    mutationFn: authService.logout,
    onSettled: () => {
      setCsrfToken(null);
      window.location.assign('/login');
    },
  });
}

/** `path` with the page the user was heading to, kept across login and forced steps. */
export function withRedirect(path: string, redirect: string | null): string {
  if (!redirect || redirect === '/') return path;
  return `${path}?${new URLSearchParams({ redirect }).toString()}`;
}
