import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../src/db/connection.ts';
import { withDatabase } from './global-setup.ts';

export interface TestDatabase extends DatabaseHandle {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the run's template (migrated, Henan regions loaded). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const maintenanceUrl = inject('maintenanceUrl');
  const template = inject('templateDatabase');
  const name = `${template.replace('template', 'db')}_${randomBytes(4).toString('hex')}`;
  await withAdmin(maintenanceUrl, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = withDatabase(maintenanceUrl, name);
  const handle = connectDatabase(url, { max: 5 });
  return {
    ...handle,
    url,
    name,
    drop: async () => {
      await handle.destroy();
      await withAdmin(maintenanceUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
