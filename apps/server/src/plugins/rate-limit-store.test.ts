import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';

let harness: TestApp;
let second: FastifyInstance;

beforeAll(async () => {
  harness = await createTestApp();
  // A second process of the same installation: its own app, the same database.
  second = await buildApp({
    config: {
      ...loadConfig({ SHOUWANG_PROVINCE: '41', LOG_LEVEL: 'silent' }),
      databaseUrl: harness.database.url,
    },
    db: harness.database.db,
    pool: harness.database.pool,
    logger: false,
    serveWeb: false,
  });
  await second.ready();
});
afterAll(async () => {
  await second?.close();
  await harness?.close();
});

const submit = (app: FastifyInstance, remoteAddress: string) =>
  app.inject({
    method: 'POST',
    url: '/api/public/self-report',
    remoteAddress,
    payload: { token: 'x', challenge: 'x', name: '', idNumber: '1', difficultyTypes: [], consent: false },
  });

describe('rate limits kept in PostgreSQL', () => {
  it('shares one limit between two app instances on the same database', async () => {
    await sql`INSERT INTO rate_limit_buckets VALUES ('old', 'x', now() - interval '1 hour', 3, now() - interval '50 minutes')`.execute(
      harness.database.db,
    );
    const codes: number[] = [];
    // The self-report submission allows 5 per 10 minutes per address: 3 here, 2 there, then none anywhere.
    for (const app of [harness.app, second, harness.app, second, harness.app, second, harness.app]) {
      codes.push((await submit(app, '10.1.2.3')).statusCode);
    }
    expect(codes).toEqual([404, 404, 404, 404, 404, 429, 429]);
    // Another address has its own allowance, on either instance.
    expect((await submit(second, '10.1.2.4')).statusCode).toBe(404);
    const buckets = await harness.database.db
      .selectFrom('rateLimitBuckets')
      .select(['route', 'clientKey', 'hits'])
      .orderBy('clientKey')
      .execute();
    expect(buckets).toEqual([
      { route: 'POST /api/public/self-report', clientKey: '10.1.2.3', hits: 7 },
      { route: 'POST /api/public/self-report', clientKey: '10.1.2.4', hits: 1 },
    ]);
  });
});
