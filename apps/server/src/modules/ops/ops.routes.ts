import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { pendingMigrations } from '../../db/migrate.ts';
import { appVersion } from '../../version.ts';

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  migrations: Type.Object({ current: Type.Boolean(), pending: Type.Array(Type.String()) }),
  version: Type.String(),
});

export const opsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: { tags: ['ops'], summary: '健康检查', response: { 200: HealthSchema, 503: HealthSchema } },
    config: { access: { public: true } },
    handler: async (_request, reply) => {
      let database: 'ok' | 'unreachable' = 'ok';
      let pending: string[] = [];
      try {
        await sql`SELECT 1`.execute(app.db);
        pending = await pendingMigrations(app.db);
      } catch {
        database = 'unreachable';
      }
      const healthy = database === 'ok' && pending.length === 0;
      return reply.status(healthy ? 200 : 503).send({
        status: healthy ? 'ok' : 'degraded',
        database,
        migrations: { current: database === 'ok' && pending.length === 0, pending },
        version: appVersion,
      });
    },
  });
};
