import fp from 'fastify-plugin';
import { qualityRoutes } from './quality.routes.ts';
import { QualityService } from './quality.service.ts';
import { QualitySchedule } from './quality-schedule.ts';
import { ruleHitsQuery } from './rule-sql.ts';

declare module 'fastify' {
  interface FastifyInstance {
    quality: QualityService;
    /** The nightly run; started by `shouwang start` only (not by the CLI's short-lived app or tests). */
    qualitySchedule: QualitySchedule;
  }
}

export const qualityModule = fp(
  async (app) => {
    const quality = new QualityService({
      db: app.db,
      audit: app.audit,
      regions: app.regions,
      settings: app.settings,
      province: app.config.province,
      ruleHitsQuery,
    });
    app.decorate('quality', quality);
    const schedule = new QualitySchedule(quality, app.settings, app.config.province, (message) =>
      app.log.info(message),
    );
    app.decorate('qualitySchedule', schedule);
    // An edited household is re-checked at once; an import re-checks the importer's region in the background.
    app.registry.onHouseholdsChanged(async (householdIds) => {
      await quality.recheckHouseholds(householdIds).catch((error) => {
        app.log.warn({ err: error }, 'quality re-check failed; the next run will see the change');
      });
    });
    app.exchange.onImported(async (_summary, { principal }) => quality.startImportRun(principal));
    // A run left 'running' by a process that died committed nothing: say so on the run.
    app.addHook('onReady', async () => {
      await quality.failAbandonedRuns();
    });
    app.addHook('onClose', async () => {
      schedule.stop();
      await quality.close();
    });
    await app.register(qualityRoutes, { prefix: '/api/quality' });
  },
  { name: 'quality', dependencies: ['db', 'access', 'audit', 'regions', 'settings', 'registry', 'exchange'] },
);
