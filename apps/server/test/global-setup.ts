import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../src/db/connection.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadProvinceRegions } from '../src/modules/regions/regions.loader.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance connection (database `postgres`) of the server the tests use. */
    maintenanceUrl: string;
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL server for the whole run: the embedded one in a temporary directory, or the server
 * named by TEST_DATABASE_URL (a maintenance URL, e.g. postgres://postgres@127.0.0.1:5432/postgres).
 * A template database is migrated and loaded with the real Henan region tree once; each test file
 * clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let maintenanceUrl = process.env.TEST_DATABASE_URL;
  if (!maintenanceUrl) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'shouwang-test-'));
    embedded = await startEmbeddedPostgres({ dataDir });
    maintenanceUrl = embedded.url('postgres');
  }
  const templateDatabase = `shouwang_test_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: maintenanceUrl });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase}`);
    await admin.query(
      `CREATE DATABASE ${templateDatabase} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'`,
    );
    const template = connectDatabase(withDatabase(maintenanceUrl, templateDatabase));
    try {
      await migrateToLatest(template.db);
      await loadProvinceRegions(template.pool, '41');
    } finally {
      await template.destroy();
    }
  } catch (error) {
    await admin.end().catch(() => {});
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  project.provide('maintenanceUrl', maintenanceUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    const { rows } = await admin.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'shouwang_test_%' AND datname LIKE $1`,
      [`%${process.pid}%`],
    );
    for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
