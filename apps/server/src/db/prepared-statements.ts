import { createHash } from 'node:crypto';
import type { CompiledQuery, PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * Statements run as named prepared statements: PostgreSQL parses and plans them once per connection
 * instead of once per execution. Meant for large statements run often with other parameters (the
 * quality rules' re-check of one household, whose planning costs far more than its execution).
 *
 * Kysely runs `client.query(text, values)`; the pool handed to it (see connection.ts) turns a text
 * registered here into `client.query({ name, text, values })`, and pg prepares the name on each
 * connection at its first use. The name is a hash of the text, so a changed statement (rules edited)
 * gets a new name and never meets the old plan.
 */
const names = new Map<string, string>();
/** Distinct texts kept; an old rule set's statement is forgotten (its plans stay until the connection closes). */
const maxTexts = 32;

export function preparedStatement<R>(query: CompiledQuery<R>): CompiledQuery<R> {
  if (!names.has(query.sql)) {
    if (names.size >= maxTexts) names.delete(names.keys().next().value as string);
    names.set(query.sql, `shouwang_${createHash('sha1').update(query.sql).digest('hex').slice(0, 24)}`);
  }
  return query;
}

export function preparedStatementName(text: string): string | undefined {
  return names.get(text);
}

/** A pool for Kysely's PostgresDialect whose clients run registered texts as named statements. */
export function withPreparedStatements(pool: pg.Pool): PostgresPool {
  // One wrapper per pooled client, so Kysely keeps one connection object per client as it does unwrapped.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const query = (text: unknown, values?: readonly unknown[]) => {
      const name = typeof text === 'string' ? names.get(text) : undefined;
      if (name) return client.query({ name, text: text as string, values: values as unknown[] });
      return (client.query as (text: unknown, values?: readonly unknown[]) => unknown)(text, values);
    };
    return { query, release: () => client.release() } as PostgresPoolClient;
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
