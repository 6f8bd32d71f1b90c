import type { MessageInstance } from 'antd/es/message/interface';

/** The error body every API endpoint answers with. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const networkErrorMessage = '无法连接服务器，请检查网络后重试';
const unknownErrorMessage = '操作失败，请稍后再试';

// Codes answered with 401 that mean "wrong input", not "the session is gone".
const credentialErrorCodes = new Set(['auth.invalid_credentials', 'auth.invalid_totp']);

let csrfToken: string | null = null;
let lastRequestAt = Date.now();
let notifier: MessageInstance | null = null;

/** The session's CSRF token arrives with every `Me`; the auth service keeps it here. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Time of the last API call, to mirror the server's idle timeout in the browser. */
export function getLastRequestAt(): number {
  return lastRequestAt;
}

/** Registered once by the app shell so errors are shown with the themed antd message API. */
export function registerNotifier(instance: MessageInstance | null): void {
  notifier = instance;
}

export function isSessionExpired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && !credentialErrorCodes.has(error.code);
}

/** The zh-CN text to show for any error thrown by a request. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message || unknownErrorMessage;
  if (error instanceof TypeError) return networkErrorMessage;
  return unknownErrorMessage;
}

export function redirectToLogin(reason: 'expired' | 'signed-out'): void {
  if (window.location.pathname === '/login') return;
  const here = `${window.location.pathname}${window.location.search}`;
  const query = new URLSearchParams({ redirect: here });
  if (reason === 'expired') query.set('expired', '1');
  // A full page load drops every cached response of the old session.
  window.location.assign(`/login?${query.toString()}`);
}

/**
 * The one place API errors become something the user sees. A lost session always leads to the login
 * page; `silent` is for forms that show the message inline themselves.
 */
export function reportError(error: unknown, silent = false): void {
  if (isSessionExpired(error)) {
    redirectToLogin('expired');
    return;
  }
  if (!silent) notifier?.error(describeError(error));
}

type QueryValue = string | number | boolean | null | undefined;

export function buildQuery(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

async function readErrorBody(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as Partial<ApiErrorBody>;
    return new ApiError(
      response.status,
      body.code ?? 'common.unknown',
      body.message ?? unknownErrorMessage,
      body.details,
    );
  } catch {
    return new ApiError(
      response.status,
      'common.unknown',
      `${unknownErrorMessage}（HTTP ${response.status}）`,
    );
  }
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  lastRequestAt = Date.now();
  const response = await fetch(`/api${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!response.ok) throw await readErrorBody(response);
  if (response.status === 204) return undefined as T;
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('application/json')) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>(path, { signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body }),
};

/** A multipart upload (attachments): same session, CSRF token and error handling as `request`. */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  lastRequestAt = Date.now();
  const response = await fetch(`/api${path}`, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: form,
  });
  if (!response.ok) throw await readErrorBody(response);
  return (await response.json()) as T;
}
