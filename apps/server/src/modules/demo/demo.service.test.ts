import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { DemoService } from './demo.service.ts';

let harness: TestApp;
let demo: DemoService;
let directory: string;

beforeAll(async () => {
  harness = await createTestApp();
  demo = new DemoService({ db: harness.app.db, province: '41', exchange: harness.app.exchange });
  directory = await mkdtemp(path.join(os.tmpdir(), 'demo-service-'));
});
afterAll(async () => {
  await harness?.close();
  await rm(directory, { recursive: true, force: true });
});

describe(DemoService.name, () => {
  it('plans the demo county, its city and the province from the regions table', async () => {
    const county = await demo.plan({ scale: 'county' });
    expect(county.regionCode).toBe('410225000000');
    expect(county.regionName).toBe('河南省开封市兰考县');
    expect(county.households).toBe(20_000);
    expect(county.villages.length).toBeGreaterThan(400);
    expect(
      county.villages.every((village) => village.countyName === '兰考县' && village.townshipName !== ''),
    ).toBe(true);
    expect(county.villages.map((village) => village.code)).toContain('410225101200');
    const city = await demo.plan({ scale: 'city' });
    expect(city.regionCode).toBe('410200000000');
    expect(new Set(city.villages.map((village) => village.countyCode)).size).toBeGreaterThan(5);
    const other = await demo.plan({ scale: 'county', region: '410122' });
    expect(other.regionName).toBe('河南省郑州市中牟县');
    await expect(demo.plan({ scale: 'county', region: '110101' })).rejects.toMatchObject({
      code: 'demo.region_not_found',
    });
  });

  it('refuses to seed without the national import', async () => {
    const filesOnly = new DemoService({ db: harness.app.db, province: '41' });
    await expect(
      filesOnly.seed({ scale: 'county', seed: 1, defects: 'none', households: 5, principal: harness.system }),
    ).rejects.toMatchObject({ code: 'demo.import_unavailable' });
  });

  it('writes a file for a scale without touching the registry', async () => {
    const result = await demo.writeFile({
      scale: 'county',
      file: path.join(directory, 'county.csv'),
      seed: 2,
      defects: 'none',
      households: 50,
    });
    expect(result).toMatchObject({
      households: 50,
      format: 'csv',
      regionName: '河南省开封市兰考县',
      defects: {},
    });
    expect(await demo.registryIsEmpty()).toBe(true);
  });

  it('seeds households and persons through the national import, and a second seed changes nothing', async () => {
    const options = {
      scale: 'county' as const,
      seed: 3,
      defects: 'importable' as const,
      households: 100,
      principal: harness.system,
    };
    const { file, summary } = await demo.seed(options);
    expect(summary.status).toBe('succeeded');
    expect(summary.rowsRejected).toBe(0);
    expect(summary.unknownColumns).toEqual([]);
    expect(summary.households.inserted).toBe(100);
    expect(summary.persons.inserted).toBe(file.persons);
    const counts = await sql<{ households: number; persons: number }>`
      SELECT (SELECT count(*)::int FROM households) AS households, (SELECT count(*)::int FROM persons) AS persons
    `.execute(harness.app.db);
    expect(counts.rows[0]).toEqual({ households: 100, persons: file.persons });
    expect(await demo.registryIsEmpty()).toBe(false);

    const again = await demo.seed(options);
    expect(again.summary.households).toMatchObject({ inserted: 0, updated: 0, unchanged: 100 });
    expect(again.summary.persons).toMatchObject({ inserted: 0, updated: 0, unchanged: file.persons });
  }, 120_000);
});
