import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';

// bigint and numeric come back as strings (IDs and counts must not lose digits); int4 stays number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export type DB = Kysely<Database>;

export interface DatabaseHandle {
  db: DB;
  pool: pg.Pool;
  destroy(): Promise<void>;
}

export function connectDatabase(connectionString: string, options: { max?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, application_name: 'shouwang' });
  // An idle connection dropped by the server (restart, shutdown) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on('error', (error) => {
    process.stderr.write(`database connection lost: ${error.message}\n`);
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
  return { db, pool, destroy: () => db.destroy() };
}
