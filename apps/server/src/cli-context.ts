import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { migrate, type OpenedDatabase, openDatabase } from './bootstrap.ts';
import { type AppConfig, loadConfig } from './config.ts';
import { systemPrincipal } from './modules/access/system-principal.ts';

/** Shared by the commands of every module (`src/modules/<name>/<name>.cli.ts`). */
export const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export interface CliContext {
  config: AppConfig;
  database: OpenedDatabase;
  app: FastifyInstance;
}

/** Opens the database (embedded or DATABASE_URL), migrates, and builds the app's services without listening. */
export async function withContext<T>(work: (context: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config, log);
  let app: FastifyInstance | undefined;
  try {
    await migrate(database, log);
    app = await buildApp({ config, db: database.db, pool: database.pool, logger: false, serveWeb: false });
    await app.ready();
    return await work({ config, database, app });
  } finally {
    await app?.close();
    await database.close();
  }
}

/** The caller for CLI work: the whole configured province, audited as `cli`. */
export function cliPrincipal(config: AppConfig) {
  return systemPrincipal(config.province);
}

/** A module's commands, added to the program by cli.ts. */
export type RegisterCommands = (program: Command) => void;
