import { sql } from 'kysely';
import type { DB } from '../db/connection.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

const pruneEveryMilliseconds = 60_000;

/**
 * A store for @fastify/rate-limit kept in PostgreSQL (`rate_limit_buckets`, UNLOGGED), so that every
 * process of an installation counts against the same limit: behind a load balancer, or after a
 * restart, a client gets no fresh allowance. Fixed windows: a request counts in the bucket of
 * `floor(now / window)`, one upsert per request; buckets of past windows are deleted at most once a
 * minute per process.
 */
export function postgresRateLimitStore(db: DB) {
  let lastPrune = 0;
  const prune = () => {
    if (Date.now() - lastPrune < pruneEveryMilliseconds) return;
    lastPrune = Date.now();
    void sql`DELETE FROM rate_limit_buckets WHERE expires_at < now()`.execute(db).catch(() => {
      lastPrune = 0;
    });
  };

  class Store {
    constructor(
      _options: unknown,
      private readonly route = 'global',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number, _max: number): void {
      const now = Date.now();
      const windowStart = Math.floor(now / timeWindow) * timeWindow;
      const windowEnd = windowStart + timeWindow;
      sql<{ hits: number }>`
        INSERT INTO rate_limit_buckets (route, client_key, window_start, hits, expires_at)
        VALUES (${this.route}, ${key}, to_timestamp(${windowStart / 1000}), 1, to_timestamp(${windowEnd / 1000}))
        ON CONFLICT (route, client_key, window_start) DO UPDATE SET hits = rate_limit_buckets.hits + 1
        RETURNING hits`
        .execute(db)
        .then((result) => {
          callback(null, { current: Number(result.rows[0]?.hits ?? 1), ttl: windowEnd - now });
          prune();
        })
        .catch((error: Error) => callback(error));
    }

    read(key: string, callback: Callback, timeWindow: number): void {
      const now = Date.now();
      const windowStart = Math.floor(now / timeWindow) * timeWindow;
      sql<{ hits: number }>`
        SELECT hits FROM rate_limit_buckets
        WHERE route = ${this.route} AND client_key = ${key} AND window_start = to_timestamp(${windowStart / 1000})`
        .execute(db)
        .then((result) => {
          const hits = Number(result.rows[0]?.hits ?? 0);
          callback(null, { current: hits, ttl: hits > 0 ? windowStart + timeWindow - now : 0 });
        })
        .catch((error: Error) => callback(error));
    }

    /** Each rate-limited route counts in its own buckets. */
    child(options: { routeInfo: { method?: string | string[]; url?: string } }): Store {
      const method = [options.routeInfo.method ?? ''].flat().join(',');
      return new Store(options, `${method} ${options.routeInfo.url ?? ''}`);
    }
  }
  return Store;
}
