import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { withPreparedStatements } from './prepared-statements.ts';

// bigint and numeric come back as strings (IDs and counts must not lose digits); int4 stays number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export type DB = Kysely<Database>;

export interface DatabaseHandle {
  db: DB;
  pool: pg.Pool;
  destroy(): Promise<void>;
}

export function connectDatabase(connectionString: string, options: { max?: number } = {}): DatabaseHandle {
  // Two connections stay open when idle: a statement prepared on them (prepared-statements.ts) keeps its
  // plan between edits minutes apart.
  const max = options.max ?? 10;
  const pool = new pg.Pool({
    connectionString,
    max,
    min: Math.min(2, max),
    // …without keeping a command-line process alive once its work is done.
    allowExitOnIdle: true,
    application_name: 'shouwang',
  });
  // An idle connection dropped by the server (restart, shutdown) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on('error', (error) => {
    process.stderr.write(`database connection lost: ${error.message}\n`);
  });
  // Nor one dropped while checked out (a refresh's connection terminated between its statements): the
  // error reaches the caller through the statement that fails, the pool discards the connection on
  // release, and the event that follows would otherwise go unhandled. (Idle ones are logged above.)
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });

  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }),
    plugins: [new CamelCasePlugin()],
  });
  return { db, pool, destroy: () => db.destroy() };
}
