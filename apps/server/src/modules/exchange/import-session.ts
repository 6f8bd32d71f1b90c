import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../plugins/errors.ts';
import { exchangeErrors } from './exchange.errors.ts';

/** SHOUWANG_IMPORT_TRACE=1 prints every statement of an import with its duration on stderr. */
const tracing = Boolean(process.env.SHOUWANG_IMPORT_TRACE);
const schemaPrefix = 'import_session_';

function trace(milliseconds: number, statement: string) {
  if (!tracing) return;
  const text = statement.replace(/\s+/g, ' ').trim().slice(0, 100);
  process.stderr.write(`[import] ${milliseconds.toFixed(0).padStart(7)} ms  ${text}\n`);
}

/**
 * An import's own database connection: its staging tables live here, the apply runs here as one
 * transaction, and a session advisory lock on the batch tells other processes that the batch is still
 * alive (a killed process drops the connection, the lock and any open transaction with it).
 *
 * Besides temporary tables the session has a schema of its own (`import_session_<backend pid>`, first
 * in its search_path) for the unlogged tables that other connections of the same import read when a
 * pass runs in parallel (temporary tables are visible to their own connection only). The schema goes
 * with close(); one left by a killed process is dropped by dropAbandonedSchemas.
 */
export class ImportSession {
  /** Kysely bound to this one connection (queries run one after another). */
  readonly db: Kysely<Database>;

  private constructor(
    private readonly client: pg.Client,
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {
    const connection = Object.assign(client, { release: () => {} });
    this.db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: { connect: async () => connection, end: async () => {} } }),
      plugins: [new CamelCasePlugin()],
      log: process.env.SHOUWANG_IMPORT_TRACE
        ? (event) => {
            const text = event.query.sql.replace(/\s+/g, ' ').slice(0, 90);
            process.stderr.write(
              `[import] ${event.queryDurationMillis.toFixed(0).padStart(7)} ms  ${text}\n`,
            );
          }
        : undefined,
    });
  }

  private static async connect(pool: pg.Pool): Promise<pg.Client> {
    const client = new pg.Client({ ...pool.options, application_name: 'shouwang-import' });
    client.on('error', () => {});
    await client.connect();
    // Before any temporary table is touched: staging tables and big hash joins stay in memory longer.
    await client.query(
      `SET temp_buffers = '256MB'; SET work_mem = '128MB'; SET maintenance_work_mem = '256MB'`,
    );
    return client;
  }

  static async open(pool: pg.Pool): Promise<ImportSession> {
    const client = await ImportSession.connect(pool);
    try {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const schema = `${schemaPrefix}${rows[0]?.pid}`;
      // A schema of this name is a leftover of a dead backend: live backends have distinct pids.
      await client.query(
        `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path = ${schema}, public`,
      );
      return new ImportSession(client, pool, schema);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  /**
   * Runs `work` for parts 0 … parts - 1 at the same time, part 0 on this connection and each other
   * part on a connection of its own that sees this session's schema (not its temporary tables).
   */
  async inParallel(parts: number, work: (db: Kysely<Database>, part: number) => Promise<void>) {
    const helpers: ImportSession[] = [];
    try {
      for (let part = 1; part < parts; part += 1) {
        const client = await ImportSession.connect(this.pool);
        helpers.push(new ImportSession(client, this.pool, this.schema));
        await client.query(`SET search_path = ${this.schema}, public`);
      }
      const results = await Promise.allSettled([
        work(this.db, 0),
        ...helpers.map((helper, index) => work(helper.db, index + 1)),
      ]);
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw (failure as PromiseRejectedResult).reason;
    } finally {
      await Promise.all(helpers.map((helper) => helper.client.end().catch(() => {})));
    }
  }

  /** Schemas of import sessions whose backend is gone (a killed process): dropped, with their tables. */
  static async dropAbandonedSchemas(pool: pg.Pool): Promise<number> {
    const { rows } = await pool.query<{ schema: string }>(
      `SELECT nspname AS schema FROM pg_namespace
       WHERE nspname LIKE $1 AND substr(nspname, $2)::int NOT IN (SELECT pid FROM pg_stat_activity)`,
      [`${schemaPrefix.replaceAll('_', '\\_')}%`, schemaPrefix.length + 1],
    );
    for (const row of rows) await pool.query(`DROP SCHEMA IF EXISTS ${row.schema} CASCADE`);
    return rows.length;
  }

  /**
   * COPY … FROM STDIN fed by a stream. With `file`, an error PostgreSQL raises on a record (e.g. a
   * byte sequence that is not in the file's encoding) refuses the file naming the row: record k of
   * the COPY is row firstRowNumber + k - 1.
   */
  async copy(
    statement: string,
    input: Readable,
    file?: { fileName: string; firstRowNumber: number },
  ): Promise<void> {
    const started = performance.now();
    try {
      await pipeline(input, this.client.query(copyFrom(statement)));
    } catch (error) {
      const failure = error as Error & { code?: string; where?: string };
      if (!file || failure instanceof AppError || typeof failure.code !== 'string') throw error;
      const line = /COPY \w+, line (\d+)/.exec(failure.where ?? '')?.[1];
      const where = line ? `第 ${file.firstRowNumber + Number(line) - 1} 行：` : '';
      const reason =
        failure.code === '22021' || failure.code === '22P05'
          ? '含有不属于文件编码的字符，请以 UTF-8 或 GB18030 编码另存为 csv'
          : failure.message;
      throw exchangeErrors.unreadable(file.fileName, `${where}${reason}`);
    }
    trace(performance.now() - started, statement);
  }

  async close(): Promise<void> {
    await this.client.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`).catch(() => {});
    await this.client.end().catch(() => {});
  }
}
