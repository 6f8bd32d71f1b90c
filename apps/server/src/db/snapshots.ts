import { type Kysely, sql, type Transaction } from 'kysely';

/**
 * Work spread over several connections that all read the same data: one transaction exports its
 * snapshot (`pg_export_snapshot`, valid while that transaction is open) and each helper connection reads
 * in a read-only REPEATABLE READ transaction pinned to it, as pg_dump's parallel jobs do. A statement
 * that cannot run in PostgreSQL's own parallel workers can so use every core, over parts of the data,
 * and still see one consistent state.
 */
export async function exportSnapshot<DB>(trx: Transaction<DB>): Promise<string> {
  const result = await sql<{ snapshot: string }>`SELECT pg_export_snapshot() AS snapshot`.execute(trx);
  const snapshot = result.rows[0]?.snapshot ?? '';
  if (!/^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i.test(snapshot)) throw new Error(`unexpected snapshot ${snapshot}`);
  return snapshot;
}

/** Runs `work` in a read-only transaction of its own that sees the exported `snapshot`. */
export async function readInSnapshot<DB, T>(
  db: Kysely<DB>,
  snapshot: string,
  work: (reader: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return inSnapshot(db, snapshot, 'read only', work);
}

/**
 * Runs `work` in a read-write transaction of its own that sees the exported `snapshot`: a part of a
 * build whose rows several connections write at once. The tables it writes must have been created and
 * committed before (an uncommitted table is invisible to other connections); its rows are committed
 * when `work` ends, independently of the exporting transaction.
 */
export async function writeInSnapshot<DB, T>(
  db: Kysely<DB>,
  snapshot: string,
  work: (writer: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return inSnapshot(db, snapshot, 'read write', work);
}

async function inSnapshot<DB, T>(
  db: Kysely<DB>,
  snapshot: string,
  accessMode: 'read only' | 'read write',
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  if (!/^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i.test(snapshot)) throw new Error(`unexpected snapshot ${snapshot}`);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode(accessMode)
    .execute(async (trx) => {
      // Must be the transaction's first statement; it takes no bind parameter (checked above).
      await sql.raw(`SET TRANSACTION SNAPSHOT '${snapshot}'`).execute(trx);
      return work(trx);
    });
}

/**
 * Calls `work` for every item, at most `concurrency` at a time, in order of the items. After a failure
 * no further item starts; the first failure is thrown once the calls in flight have ended.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const index = next;
      next += 1;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  if (failure) throw failure.error;
}
