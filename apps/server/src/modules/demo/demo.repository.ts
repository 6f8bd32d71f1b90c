import { sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { RegionLevel } from '../../db/database.ts';
import { withRegionScope } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';
import type { DemoVillage } from './demo-model.ts';

/**
 * The demo reads only the region tree (never household data, except to see whether the registry is
 * still empty). Village committees (村委会, codes …200–…399 in the statistical standard) are the rural
 * villages where monitoring happens; urban communities (社区居委会) are left out when a region has both.
 */
const villageCommittee = sql<boolean>`substring(v.code, 10, 3) >= '200'`;

export class DemoRepository {
  constructor(private readonly db: DB) {}

  async getRegion(
    code: string,
  ): Promise<{ code: string; name: string; fullName: string; level: RegionLevel } | undefined> {
    return this.db
      .selectFrom('regions')
      .select(['code', 'name', 'fullName', 'level'])
      .where('code', '=', code)
      .executeTakeFirst();
  }

  /** The first county (by code) of the range that has village committees. */
  async firstRuralCountyCode(range: RegionRange): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('regions as v')
      .select(sql<string>`left(v.code, 6)`.as('countyCode'))
      .where('v.level', '=', 'village')
      .where('v.code', '>=', range.lo)
      .where('v.code', '<', range.hi)
      .where(villageCommittee)
      .orderBy('v.code')
      .limit(1)
      .executeTakeFirst();
    return row?.countyCode;
  }

  /** Villages of the range with their township and county names, ordered by code. */
  async listVillages(options: { range: RegionRange; committeesOnly: boolean }): Promise<DemoVillage[]> {
    return this.db
      .selectFrom('regions as v')
      .innerJoin('regions as t', 't.code', 'v.parentCode')
      .innerJoin('regions as c', 'c.code', 't.parentCode')
      .select([
        'v.code',
        'v.name',
        't.name as townshipName',
        sql<string>`left(v.code, 6)`.as('countyCode'),
        'c.name as countyName',
      ])
      .where('v.level', '=', 'village')
      .$call((query) => withRegionScope(query, options.range, 'v.code'))
      .$if(options.committeesOnly, (query) => query.where(villageCommittee))
      .orderBy('v.code')
      .execute();
  }

  async hasAnyHousehold(scope: RegionRange): Promise<boolean> {
    const row = await withRegionScope(
      this.db.selectFrom('households').select('id'),
      scope,
      'households.regionCode',
    )
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
