import fp from 'fastify-plugin';
import { regionsRoutes } from './regions.routes.ts';
import { RegionsService } from './regions.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    regions: RegionsService;
  }
}

export const regionsModule = fp(
  async (app) => {
    app.decorate('regions', new RegionsService(app.db, app.pool));
    await app.register(regionsRoutes, { prefix: '/api/regions' });
  },
  { name: 'regions', dependencies: ['db', 'access'] },
);
