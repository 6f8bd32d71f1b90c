import type { CurrentUser } from './pages/auth/service.ts';

export type Permission =
  | 'regions:read'
  | 'users:read'
  | 'users:write'
  | 'audit:read'
  | 'audit:export'
  | 'settings:read'
  | 'settings:write'
  | 'households:read'
  | 'households:write'
  | 'households:reveal'
  | 'imports:run'
  | 'imports:read'
  | 'analytics:read'
  | 'analytics:export'
  | 'monitoring:read'
  | 'monitoring:report'
  | 'monitoring:act'
  | 'monitoring:export'
  | 'quality:read'
  | 'quality:export'
  | 'quality:run'
  | 'rules:write'
  | 'exemptions:request'
  | 'exemptions:approve';

/** Access flags derived from the signed-in user's permission list (ant-design-pro's `access.ts`). */
export function buildAccess(user: Pick<CurrentUser, 'permissions'> | null | undefined) {
  const permissions = new Set(user?.permissions ?? []);
  const has = (permission: Permission) => permissions.has(permission);
  return {
    canReadRegions: has('regions:read'),
    canReadUsers: has('users:read'),
    canWriteUsers: has('users:write'),
    canReadAudit: has('audit:read'),
    canExportAudit: has('audit:export'),
    canReadSettings: has('settings:read'),
    canWriteSettings: has('settings:write'),
    canReadHouseholds: has('households:read'),
    canWriteHouseholds: has('households:write'),
    canRevealPersonalData: has('households:reveal'),
    canRunImports: has('imports:run'),
    canReadImports: has('imports:read'),
    canReadAnalytics: has('analytics:read'),
    canExportAnalytics: has('analytics:export'),
    canReadMonitoring: has('monitoring:read'),
    canReportLeads: has('monitoring:report'),
    canActOnCases: has('monitoring:act'),
    canExportMonitoring: has('monitoring:export'),
    canReadQuality: has('quality:read'),
    canExportQuality: has('quality:export'),
    canRunQuality: has('quality:run'),
    canWriteRules: has('rules:write'),
    canRequestExemptions: has('exemptions:request'),
    canApproveExemptions: has('exemptions:approve'),
  };
}

export type Access = ReturnType<typeof buildAccess>;
export type AccessFlag = keyof Access;
