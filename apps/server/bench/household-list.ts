import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/db/connection.ts';
import type { RegionLevel } from '../src/db/database.ts';
import type { Principal } from '../src/modules/access/principal.ts';
import { systemPrincipal } from '../src/modules/access/system-principal.ts';
import type { AuditService } from '../src/modules/audit/audit.service.ts';
import { regionRange } from '../src/modules/regions/region-code.ts';
import { RegionsService } from '../src/modules/regions/regions.service.ts';
import { type HouseholdListQuery, RegistryService } from '../src/modules/registry/registry.service.ts';

/** A user of one region, as a session would make it: the list reads only `scope` and the region. */
function regionPrincipal(regionCode: string, level: RegionLevel): Principal {
  return {
    ...systemPrincipal('41'),
    username: `bench-${level}`,
    regionCode,
    regionLevel: level,
    scope: regionRange(regionCode, level),
  };
}

interface Sample {
  headName: string;
  surname: string;
  idNumber: string;
  householdNo: string;
  city: string;
  county: string;
  township: string;
  village: string;
}

/** Real values to search for, taken from the data just imported (the busiest village). */
async function sample(database: DatabaseHandle): Promise<Sample> {
  const { rows } = await sql<{
    regionCode: string;
    householdNo: string;
    name: string;
    idNumber: string;
  }>`
    SELECT h.region_code, h.household_no, p.name, p.id_number
    FROM households h JOIN persons p ON p.household_id = h.id AND p.relation = 'head'
    WHERE h.region_code = (SELECT region_code FROM households GROUP BY region_code ORDER BY count(*) DESC LIMIT 1)
    ORDER BY h.household_no LIMIT 1`.execute(database.db);
  const row = rows[0];
  if (!row) throw new Error('no household to search for');
  const code = row.regionCode;
  return {
    headName: row.name,
    surname: row.name.slice(0, 1),
    idNumber: row.idNumber,
    householdNo: row.householdNo,
    city: `${code.slice(0, 4)}00000000`,
    county: `${code.slice(0, 6)}000000`,
    township: `${code.slice(0, 9)}000`,
    village: code,
  };
}

/**
 * Open findings on one household in 30 (the findings filter needs some): written directly, as a run
 * would leave them, because a province-scale rule run is measured by the rules benchmark.
 */
async function seedFindings(database: DatabaseHandle): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const run = await sql<{ id: string }>`
      INSERT INTO quality_runs (trigger, status, region_code) VALUES ('cli', 'succeeded', '410000000000')
      RETURNING id`.execute(trx);
    const runId = run.rows[0]?.id;
    const inserted = await sql`
      INSERT INTO quality_findings (rule_code, household_id, person_id, region_code, status,
        first_seen_run, first_seen_at, last_seen_run, last_seen_at)
      SELECT 'HH-001', h.id, NULL, h.region_code, 'open', ${runId}, now(), ${runId}, now()
      FROM households h WHERE h.id % 30 = 0`.execute(trx);
    await sql`ANALYZE quality_findings`.execute(trx);
    return Number(inserted.numAffectedRows ?? 0);
  });
}

/**
 * First page (page + bounded count, as the screen asks) of the household list for each filter the
 * screen offers, alone and combined, as a province, a county, a township and a village user.
 */
export async function measureHouseholdList(database: DatabaseHandle, audit: AuditService) {
  const findings = await seedFindings(database);
  await sql`ANALYZE`.execute(database.db);
  const registry = new RegistryService(database.db, new RegionsService(database.db, database.pool), audit);
  const values = await sample(database);
  const users: Array<[string, Principal]> = [
    ['province', systemPrincipal('41')],
    ['county', regionPrincipal(values.county, 'county')],
    ['township', regionPrincipal(values.township, 'township')],
    ['village', regionPrincipal(values.village, 'village')],
  ];
  const filterSets: Array<Partial<HouseholdListQuery>> = [
    {},
    { householdType: 'lifted' },
    { householdType: 'ordinary' },
    { monitoringCategory: 'monitored' },
    { monitoringCategory: 'sudden_hardship' },
    { monitoringCategory: 'none' },
    { riskEliminated: false },
    { riskEliminated: true },
    { riskType: 'illness' },
    { riskType: 'housing' },
    { hasFindings: true },
    { hasFindings: false },
    { q: values.surname },
    { q: values.headName },
    { q: values.idNumber },
    { q: values.idNumber.slice(-6) },
    { q: values.householdNo },
    { status: 'absent' },
    { status: 'all' },
    { regionCode: values.city },
    { regionCode: values.county },
    { regionCode: values.township },
    { regionCode: values.village },
    { monitoringCategory: 'monitored', riskEliminated: false, riskType: 'illness' },
    { householdType: 'lifted', hasFindings: true },
    { regionCode: values.county, monitoringCategory: 'marginal', hasFindings: true },
    { regionCode: values.township, q: values.surname },
    { riskType: 'schooling', riskEliminated: true, householdType: 'ordinary', hasFindings: false },
  ];
  const timings: Array<{ milliseconds: number; label: string }> = [];
  for (const [level, principal] of users) {
    for (const filters of filterSets) {
      if (filters.regionCode && !filters.regionCode.startsWith(principal.regionCode.replace(/0+$/, ''))) {
        continue;
      }
      const query = { status: 'active' as const, page: 1, pageSize: 20, ...filters };
      const started = performance.now();
      const page = await registry.searchHouseholds(principal, query);
      const milliseconds = performance.now() - started;
      timings.push({
        milliseconds,
        label: `${level} ${JSON.stringify(filters)} → ${page.items.length} of ${page.totalExact ? '' : '~'}${page.total}`,
      });
    }
  }
  const sorted = [...timings].sort((left, right) => left.milliseconds - right.milliseconds);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
  const slowest = sorted.slice(-3).reverse();
  return {
    'household list, first page': `${timings.length} filter sets × user levels (one cold read each); ${findings} households with open findings`,
    'household list median / p95 / max': `${at(0.5)?.milliseconds.toFixed(0)} / ${at(0.95)?.milliseconds.toFixed(0)} / ${sorted.at(-1)?.milliseconds.toFixed(0)} ms`,
    'household list slowest': slowest
      .map((entry) => `${entry.milliseconds.toFixed(0)} ms ${entry.label}`)
      .join('; '),
  };
}
