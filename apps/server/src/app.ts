import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { AppConfig } from './config.ts';
import type { DB } from './db/connection.ts';
import { accessPlugin } from './modules/access/index.ts';
import { analyticsDashboardModule, analyticsModule } from './modules/analytics/index.ts';
import { auditModule } from './modules/audit/index.ts';
import { authModule } from './modules/auth/index.ts';
import { exchangeModule } from './modules/exchange/index.ts';
import { monitoringModule } from './modules/monitoring/index.ts';
import { opsModule } from './modules/ops/index.ts';
import { qualityModule } from './modules/quality/index.ts';
import { regionsModule } from './modules/regions/index.ts';
import { registryModule } from './modules/registry/index.ts';
import { settingsModule } from './modules/settings/index.ts';
import { workbenchModule } from './modules/workbench/index.ts';
import { dbPlugin } from './plugins/db.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { securityPlugin } from './plugins/security.ts';
import { webPlugin } from './plugins/web.ts';

export interface BuildAppOptions {
  config: AppConfig;
  db: DB;
  pool: pg.Pool;
  /** false in the CLI: services only, no request log. */
  logger?: boolean;
  serveWeb?: boolean;
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: options.config.logLevel },
    trustProxy: process.env.SHOUWANG_TRUST_PROXY === 'true',
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: 'all' } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(dbPlugin, { db: options.db, pool: options.pool, config: options.config });
  await app.register(errorsPlugin);
  await app.register(securityPlugin);
  await app.register(openapiPlugin);
  await app.register(accessPlugin);
  // Modules, in dependency order.
  await app.register(settingsModule);
  await app.register(auditModule);
  await app.register(regionsModule);
  await app.register(authModule);
  await app.register(opsModule);
  // business modules
  await app.register(exchangeModule);
  await app.register(registryModule);
  await app.register(analyticsModule);
  await app.register(monitoringModule);
  await app.register(workbenchModule);
  await app.register(qualityModule);
  await app.register(analyticsDashboardModule);
  await app.register(webPlugin, {
    distDir: options.serveWeb === false ? '/nonexistent' : options.config.webDistDir,
  });
  return app;
}
