import fp from 'fastify-plugin';
import { regionRange, toRegionCode } from '../regions/region-code.ts';
import { monitoringRoutes } from './monitoring.routes.ts';
import { MonitoringService } from './monitoring.service.ts';
import { selfReportRoutes } from './self-report.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    monitoring: MonitoringService;
  }
}

export const monitoringModule = fp(
  async (app) => {
    app.decorate(
      'monitoring',
      new MonitoringService(
        app.db,
        app.registry,
        app.regions,
        app.audit,
        app.settings,
        app.workingCalendar,
        regionRange(toRegionCode(app.config.province), 'province'),
      ),
    );
    await app.register(monitoringRoutes, { prefix: '/api/monitoring' });
    await app.register(selfReportRoutes, { prefix: '/api/public' });
  },
  { name: 'monitoring', dependencies: ['db', 'access', 'audit', 'regions', 'settings', 'registry'] },
);
