import fp from 'fastify-plugin';
import { analyticsRoutes } from './analytics.routes.ts';
import { AnalyticsService } from './analytics.service.ts';
import { EditedCountiesRefresh } from './analytics-edits.ts';
import { customStatisticsRoutes } from './custom-statistics.routes.ts';
import { CustomStatisticsService } from './custom-statistics.service.ts';
import { dashboardRoutes } from './dashboard.routes.ts';
import { DashboardService } from './dashboard.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    analytics: AnalyticsService;
    customStatistics: CustomStatisticsService;
    analyticsDashboard: DashboardService;
  }
}

export const analyticsModule = fp(
  async (app) => {
    const analytics = new AnalyticsService(app.db, app.regions, app.settings, app.audit);
    app.decorate('analytics', analytics);
    const customStatistics = new CustomStatisticsService(app.db, app.regions, app.settings, app.audit);
    app.decorate('customStatistics', customStatistics);
    // Custom statistics keep their selections for a few minutes, until the registry changes.
    const forgetSelections = () =>
      customStatistics
        .registryChanged()
        .catch((error) => app.log.error({ err: error }, 'custom statistics cache invalidation failed'));
    app.exchange.onImported(forgetSelections);
    app.registry.onHouseholdsChanged(forgetSelections);
    // The cube follows the registry after every applied national import: the counties the import
    // touched (those of the file and those it moved households out of), or all of it (see refresh).
    app.exchange.onImported(async (summary) => {
      try {
        const counties = summary.countyTotals.map((county) => county.countyCode);
        const movedFrom =
          counties.length > 0 ? await app.registry.listCountiesMovedFrom(summary.batchId) : [];
        await analytics.refresh('import', { counties: [...counties, ...movedFrom] });
      } catch (error) {
        app.log.error({ err: error }, 'analytics refresh after import failed');
      }
    });
    const edits = new EditedCountiesRefresh(analytics, (error) =>
      app.log.error({ err: error }, 'analytics refresh after edits failed'),
    );
    app.registry.onHouseholdsChanged((householdIds) => edits.householdsChanged(householdIds));
    app.addHook('onClose', () => edits.stop());
    await app.register(analyticsRoutes, { prefix: '/api/analytics' });
    await app.register(customStatisticsRoutes, { prefix: '/api/analytics/custom' });
  },
  {
    name: 'analytics',
    dependencies: ['db', 'access', 'audit', 'regions', 'settings', 'exchange', 'registry'],
  },
);

/**
 * The dashboard reads findings and cases besides the cube, so it is registered after the quality and
 * monitoring modules; the analytics module itself keeps its place (and its import hook its turn).
 */
export const analyticsDashboardModule = fp(
  async (app) => {
    app.decorate('analyticsDashboard', new DashboardService(app.analytics, app.quality, app.monitoring));
    await app.register(dashboardRoutes, { prefix: '/api/analytics' });
  },
  { name: 'analytics-dashboard', dependencies: ['analytics', 'quality', 'monitoring'] },
);
