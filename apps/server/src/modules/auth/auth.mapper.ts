import type { Principal } from '../access/principal.ts';
import type { UserWithRoles } from './auth.repository.ts';

export function toUserSummary(user: UserWithRoles) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    regionCode: user.regionCode,
    regionFullName: user.regionFullName,
    department: user.department,
    phone: user.phone,
    roles: user.roles,
    disabled: user.disabled,
    lockedUntil: user.lockedUntil && user.lockedUntil > new Date() ? user.lockedUntil.toISOString() : null,
    totpEnabled: user.totpEnabled,
    mustChangePassword: user.mustChangePassword,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toMe(principal: Principal, user: UserWithRoles, idleTimeoutMinutes: number) {
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      regionCode: user.regionCode,
      regionName: user.regionName,
      regionFullName: user.regionFullName,
      regionLevel: user.regionLevel,
      department: user.department,
      roles: user.roles,
      permissions: [...principal.permissions].sort(),
      totpEnabled: user.totpEnabled,
      lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
      previousLoginAt: user.previousLoginAt?.toISOString() ?? null,
      previousLoginIp: user.previousLoginIp,
    },
    state: principal.state,
    csrfToken: principal.csrfToken,
    idleTimeoutMinutes,
  };
}
