import type { FastifyInstance } from 'fastify';
import type { Principal } from '../access/principal.ts';
import { toRegionCode } from '../regions/region-code.ts';

export const demoPassword = 'Shouwang#2026';

export interface DemoUser {
  username: string;
  displayName: string;
  role: string;
  roleName: string;
  regionCode: string;
  regionFullName: string;
  department?: string;
}

/** A county known across the province for its poverty-alleviation work; falls back to the first county. */
const preferredDemoCounty: Record<string, string> = { '41': '410225' };

/**
 * One demo account per role at real regions of the configured province: the province, its first
 * city with the demo county, the county, its first rural township and that township's first two villages.
 */
export async function seedDemoUsers(app: FastifyInstance, system: Principal): Promise<DemoUser[]> {
  const province = await app.regions.getOrThrow(system, toRegionCode(app.config.province));
  const preferred = preferredDemoCounty[app.config.province];
  let county = preferred
    ? await app.regions.getOrThrow(system, toRegionCode(preferred)).catch(() => undefined)
    : undefined;
  if (!county) {
    const firstCity = (await app.regions.listChildren(system, province.code))[0];
    county = firstCity && (await app.regions.listChildren(system, firstCity.code))[0];
  }
  if (!county?.parentCode) throw new Error('no county found to place demo users');
  const city = await app.regions.getOrThrow(system, county.parentCode);
  // Rural townships (乡/镇) and villages (村), not urban subdistricts (街道/社区), where monitoring happens.
  const townships = await app.regions.listChildren(system, county.code);
  const township = townships.find((region) => /[乡镇]$/.test(region.name)) ?? townships[0];
  if (!township) throw new Error(`county ${county.code} has no townships`);
  const villages = await app.regions.listChildren(system, township.code);
  const ruralVillages = villages.filter((region) => region.name.includes('村'));
  const [village, neighbourVillage] = ruralVillages.length >= 2 ? ruralVillages : villages;
  if (!village || !neighbourVillage) throw new Error(`township ${township.code} has fewer than two villages`);

  const plan: Array<Omit<DemoUser, 'roleName' | 'regionFullName'>> = [
    { username: 'admin', displayName: '系统管理员', role: 'system_admin', regionCode: province.code },
    { username: 'province', displayName: '省乡村振兴局', role: 'province_admin', regionCode: province.code },
    { username: 'city', displayName: `${city.name}用户`, role: 'city_user', regionCode: city.code },
    { username: 'county', displayName: `${county.name}用户`, role: 'county_user', regionCode: county.code },
    {
      username: 'township',
      displayName: `${township.name}用户`,
      role: 'township_user',
      regionCode: township.code,
    },
    {
      username: 'village',
      displayName: `${village.name}信息员`,
      role: 'village_user',
      regionCode: village.code,
    },
    {
      username: 'village2',
      displayName: `${neighbourVillage.name}信息员`,
      role: 'village_user',
      regionCode: neighbourVillage.code,
    },
    {
      username: 'minzheng',
      displayName: '省民政厅数据专员',
      role: 'department_user',
      regionCode: province.code,
      department: '民政',
    },
    { username: 'leader', displayName: '省级领导', role: 'leader_readonly', regionCode: province.code },
  ];
  const roles = await app.users.listRoles();
  const created: DemoUser[] = [];
  for (const entry of plan) {
    const user = await app.users.create(system, {
      username: entry.username,
      displayName: entry.displayName,
      password: demoPassword,
      regionCode: entry.regionCode,
      roles: [entry.role],
      department: entry.department ?? null,
      mustChangePassword: false,
    });
    created.push({
      ...entry,
      roleName: roles.find((role) => role.code === entry.role)?.name ?? entry.role,
      regionFullName: user.regionFullName,
    });
  }
  return created;
}
