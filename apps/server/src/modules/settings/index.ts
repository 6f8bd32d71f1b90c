import fp from 'fastify-plugin';
import { settingsRoutes } from './settings.routes.ts';
import { SettingsService } from './settings.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    settings: SettingsService;
  }
}

export const settingsModule = fp(
  async (app) => {
    app.decorate('settings', new SettingsService(app.db));
    await app.register(settingsRoutes, { prefix: '/api/settings' });
  },
  { name: 'settings', dependencies: ['db', 'access'] },
);
