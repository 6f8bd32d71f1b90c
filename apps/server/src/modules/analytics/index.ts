import fp from 'fastify-plugin';
import { analyticsRoutes } from './analytics.routes.ts';
import { AnalyticsService } from './analytics.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    analytics: AnalyticsService;
  }
}

export const analyticsModule = fp(
  async (app) => {
    const analytics = new AnalyticsService(app.db, app.regions, app.settings, app.audit);
    app.decorate('analytics', analytics);
    // The cube follows the registry: rebuilt after every applied national import.
    app.exchange.onImported(async () => {
      try {
        await analytics.refresh('import');
      } catch (error) {
        app.log.error({ err: error }, 'analytics refresh after import failed');
      }
    });
    await app.register(analyticsRoutes, { prefix: '/api/analytics' });
  },
  { name: 'analytics', dependencies: ['db', 'access', 'audit', 'regions', 'settings', 'exchange'] },
);
