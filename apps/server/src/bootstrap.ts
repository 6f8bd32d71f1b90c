import pg from 'pg';
import type { AppConfig } from './config.ts';
import { connectDatabase, type DatabaseHandle } from './db/connection.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded.ts';
import { migrateToLatest } from './db/migrate.ts';

export const embeddedDatabaseName = 'shouwang';

export interface OpenedDatabase extends DatabaseHandle {
  embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL under the data dir and connects to it. */
export async function openDatabase(
  config: AppConfig,
  log: (line: string) => void = () => {},
): Promise<OpenedDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    log(`启动内置 PostgreSQL（数据目录 ${config.dataDir}）…`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
    await createDatabaseIfMissing(embedded.url('postgres'), embeddedDatabaseName);
    url = embedded.url(embeddedDatabaseName);
  }
  const handle = connectDatabase(url);
  return {
    ...handle,
    embedded,
    close: async () => {
      await handle.destroy();
      await embedded?.stop();
    },
  };
}

async function createDatabaseIfMissing(maintenanceUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount)
      await client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'`);
  } finally {
    await client.end();
  }
}

export async function migrate(handle: DatabaseHandle, log: (line: string) => void = () => {}): Promise<void> {
  const applied = await migrateToLatest(handle.db);
  if (applied.length > 0) log(`已执行数据库迁移：${applied.join(', ')}`);
}
