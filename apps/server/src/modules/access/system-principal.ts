import { regionRange, toRegionCode } from '../regions/region-code.ts';
import type { Principal } from './principal.ts';

/**
 * The caller for work started from the command line or at start-up: the whole configured province,
 * every permission. Audit rows name it `cli`.
 */
export function systemPrincipal(province: string, permissions: string[] = []): Principal {
  const regionCode = toRegionCode(province);
  return {
    userId: '',
    username: 'cli',
    displayName: '命令行',
    roles: ['system_admin'],
    permissions: new Set(permissions),
    regionCode,
    regionLevel: 'province',
    department: null,
    scope: regionRange(regionCode, 'province'),
    sessionTokenHash: '',
    csrfToken: '',
    state: 'active',
  };
}
