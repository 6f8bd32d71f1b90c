import fp from 'fastify-plugin';
import { exchangeRoutes } from './exchange.routes.ts';
import { ExchangeService } from './exchange.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    exchange: ExchangeService;
  }
}

export const exchangeModule = fp(
  async (app) => {
    const exchange = new ExchangeService({
      db: app.db,
      pool: app.pool,
      audit: app.audit,
      province: app.config.province,
    });
    app.decorate('exchange', exchange);
    // A batch left 'running' by a process that died never committed anything: say so on the batch.
    app.addHook('onReady', async () => {
      await exchange.failAbandonedBatches();
    });
    app.addHook('onClose', async () => {
      await exchange.drain();
    });
    await app.register(exchangeRoutes, { prefix: '/api/imports' });
  },
  { name: 'exchange', dependencies: ['db', 'access', 'audit', 'regions', 'settings'] },
);
