import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authErrors } from '../auth/auth.errors.ts';
import { accessErrors } from './access.errors.ts';
import type { Principal, RouteAccess } from './principal.ts';

export interface GuardedRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api route with its declared access, for the scope and permission tests. */
    guardedRoutes: readonly GuardedRoute[];
  }
}

export const sessionCookieName = 'sw_session';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in caller of a guarded route (the guard has already refused anonymous requests). */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw accessErrors.unauthenticated();
  return request.principal;
}

export function clientContext(request: FastifyRequest) {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null };
}

/**
 * Resolves the session of every request and enforces each route's declared access: sign-in, session
 * state, CSRF token on writes, and the `resource:action` permission. Routes must declare `config.access`.
 */
export const accessPlugin = fp(
  async (app) => {
    app.decorateRequest('principal', null);
    const guardedRoutes: GuardedRoute[] = [];
    app.decorate('guardedRoutes', guardedRoutes);
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
      const access = route.config?.access;
      if (!access) throw new Error(`route ${route.method} ${route.url} declares no config.access`);
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') guardedRoutes.push({ method, url: route.url, access });
      }
    });

    app.addHook('onRequest', async (request) => {
      const access: RouteAccess | undefined = request.routeOptions.config.access;
      const token = request.cookies[sessionCookieName];
      request.principal = token ? await app.auth.resolveSession(token) : null;
      if (!access || access.public) return;
      const principal = request.principal;
      if (!principal) throw accessErrors.unauthenticated();
      if (!safeMethods.has(request.method) && request.headers['x-csrf-token'] !== principal.csrfToken) {
        throw accessErrors.csrf();
      }
      if (principal.state !== 'active' && !access.allowStates?.includes(principal.state)) {
        throw authErrors.sessionState();
      }
      if (access.permission && !principal.permissions.has(access.permission)) {
        await app.audit.record({
          action: 'access.denied',
          actor: principal,
          ip: request.ip,
          outcome: 'denied',
          detail: { method: request.method, route: request.routeOptions.url, permission: access.permission },
        });
        throw accessErrors.forbidden();
      }
    });
  },
  { name: 'access', dependencies: ['db'] },
);
