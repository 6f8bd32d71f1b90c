import fp from 'fastify-plugin';
import type pg from 'pg';
import type { AppConfig } from '../config.ts';
import type { DB } from '../db/connection.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: DB;
    pool: pg.Pool;
    config: AppConfig;
  }
}

export const dbPlugin = fp<{ db: DB; pool: pg.Pool; config: AppConfig }>(
  async (app, options) => {
    app.decorate('db', options.db);
    app.decorate('pool', options.pool);
    app.decorate('config', options.config);
  },
  { name: 'db' },
);
