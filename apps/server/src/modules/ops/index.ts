import fp from 'fastify-plugin';
import { opsRoutes } from './ops.routes.ts';

export const opsModule = fp(
  async (app) => {
    await app.register(opsRoutes, { prefix: '/api' });
  },
  { name: 'ops', dependencies: ['db', 'access'] },
);
