import fp from 'fastify-plugin';
import { settingsRoutes } from './settings.routes.ts';
import { SettingsService } from './settings.service.ts';
import { WorkingCalendarService } from './working-calendar.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    settings: SettingsService;
    workingCalendar: WorkingCalendarService;
  }
}

export const settingsModule = fp(
  async (app) => {
    app.decorate('settings', new SettingsService(app.db));
    app.decorate('workingCalendar', new WorkingCalendarService(app.db));
    await app.register(settingsRoutes, { prefix: '/api/settings' });
  },
  { name: 'settings', dependencies: ['db', 'access'] },
);
