import type { RegionLevel } from '../../db/database.ts';
import type { RegionRange } from '../regions/region-code.ts';

/**
 * What a session may do right now. Anything but `active` restricts the session to the few
 * routes that finish signing in (second factor, first password change, TOTP enrolment).
 */
export type SessionState =
  | 'active'
  | 'second_factor_required'
  | 'password_change_required'
  | 'totp_enrolment_required';

/** The authenticated caller, resolved once per request from the session cookie. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  roles: string[];
  permissions: ReadonlySet<string>;
  regionCode: string;
  regionLevel: RegionLevel;
  department: string | null;
  /** The code range of region-bound rows this caller may read and write. */
  scope: RegionRange;
  sessionTokenHash: string;
  csrfToken: string;
  state: SessionState;
}

/** How a route is guarded; every /api route must declare one (checked when routes are registered). */
export type RouteAccess =
  | { public: true }
  | {
      public?: false;
      /** `resource:action`; absent = any signed-in user. */
      permission?: string;
      /** True when the response carries rows tied to a region: the scope walk test must cover it. */
      regionBound: boolean;
      /** Session states other than `active` that may call the route. */
      allowStates?: SessionState[];
    };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}
