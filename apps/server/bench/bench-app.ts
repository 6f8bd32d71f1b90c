import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';

/** The whole application (every module, no web, no logging) over a benchmark's database, ready. */
export async function benchApp(database: DatabaseHandle) {
  const config = loadConfig({ SHOUWANG_PROVINCE: '41', LOG_LEVEL: 'silent' });
  const app = await buildApp({
    config,
    db: database.db,
    pool: database.pool,
    logger: false,
    serveWeb: false,
  });
  await app.ready();
  return app;
}
