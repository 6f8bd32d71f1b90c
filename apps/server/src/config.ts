import path from 'node:path';

export interface AppConfig {
  /** Unset means: run the embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  /** 2-digit province code whose region tree is loaded. */
  province: string;
  /** Absolute path of the built web app, served at /. */
  webDistDir: string;
  logLevel: string;
}

const repositoryRoot = path.resolve(import.meta.dirname, '../../..');

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(environment.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${environment.PORT}"`);
  }
  const province = environment.SHOUWANG_PROVINCE ?? '41';
  if (!/^\d{2}$/.test(province)) {
    throw new Error(`SHOUWANG_PROVINCE must be a 2-digit province code, got "${province}"`);
  }
  return {
    databaseUrl: environment.DATABASE_URL || undefined,
    dataDir: path.resolve(environment.SHOUWANG_DATA_DIR ?? path.join(repositoryRoot, 'var')),
    host: environment.HOST ?? '127.0.0.1',
    port,
    province,
    webDistDir: path.join(repositoryRoot, 'apps/web/dist'),
    logLevel: environment.LOG_LEVEL ?? 'info',
  };
}
