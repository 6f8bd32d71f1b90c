import { sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { RegionLevel } from '../../db/database.ts';
import { withRegionScope } from '../access/region-scope.ts';
import type { RegionRange } from './region-code.ts';

export interface RegionRecord {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  fullName: string;
  childCount: number;
}

const regionColumns = ['r.code', 'r.name', 'r.level', 'r.parentCode', 'r.fullName'] as const;

export class RegionsRepository {
  constructor(private readonly db: DB) {}

  private selectRegions(scope: RegionRange) {
    const query = this.db
      .selectFrom('regions as r')
      .select(regionColumns)
      .select((eb) =>
        eb
          .selectFrom('regions as child')
          .whereRef('child.parentCode', '=', 'r.code')
          .select(sql<number>`count(*)::int`.as('count'))
          .as('childCount'),
      );
    return withRegionScope(query, scope, 'r.code');
  }

  async getByCode(options: { code: string; scope: RegionRange }): Promise<RegionRecord | undefined> {
    return (await this.selectRegions(options.scope).where('r.code', '=', options.code).executeTakeFirst()) as
      | RegionRecord
      | undefined;
  }

  async listChildren(options: { parentCode: string; scope: RegionRange }): Promise<RegionRecord[]> {
    return (await this.selectRegions(options.scope)
      .where('r.parentCode', '=', options.parentCode)
      .orderBy('r.code')
      .execute()) as RegionRecord[];
  }

  async search(options: { text: string; scope: RegionRange; limit: number }): Promise<RegionRecord[]> {
    const pattern = `%${options.text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    return (await this.selectRegions(options.scope)
      .where('r.name', 'like', pattern)
      .orderBy(sql`length(r.code) - length(rtrim(r.code, '0'))`, 'desc')
      .orderBy('r.code')
      .limit(options.limit)
      .execute()) as RegionRecord[];
  }

  /** The region and its ancestors, province first. Ancestors are names only: not region-bound data. */
  async listPath(code: string): Promise<Array<Omit<RegionRecord, 'childCount'>>> {
    const result = await sql<Omit<RegionRecord, 'childCount'>>`
      WITH RECURSIVE path AS (
        SELECT code, name, level, parent_code, full_name, 0 AS depth FROM regions WHERE code = ${code}
        UNION ALL
        SELECT r.code, r.name, r.level, r.parent_code, r.full_name, path.depth + 1
        FROM regions r JOIN path ON r.code = path.parent_code
      )
      SELECT code, name, level, parent_code, full_name FROM path ORDER BY depth DESC`.execute(this.db);
    return result.rows;
  }

  async countByLevel(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('regions')
      .select(['level', sql<number>`count(*)::int`.as('count')])
      .groupBy('level')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.level, row.count]));
  }
}
