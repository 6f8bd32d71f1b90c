import fp from 'fastify-plugin';
import { workbenchRoutes } from './workbench.routes.ts';

/** Each user's to-dos and their region's progress, read from the modules that own the work. */
export const workbenchModule = fp(
  async (app) => {
    await app.register(workbenchRoutes, { prefix: '/api/workbench' });
  },
  { name: 'workbench', dependencies: ['access', 'monitoring'] },
);
