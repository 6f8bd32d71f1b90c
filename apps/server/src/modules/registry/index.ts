import fp from 'fastify-plugin';
import { registryRoutes } from './registry.routes.ts';
import { RegistryService } from './registry.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    registry: RegistryService;
  }
}

export const registryModule = fp(
  async (app) => {
    app.decorate('registry', new RegistryService(app.db, app.regions, app.audit));
    await app.register(registryRoutes, { prefix: '/api' });
  },
  { name: 'registry', dependencies: ['db', 'access', 'audit', 'regions'] },
);
