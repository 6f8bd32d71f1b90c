import fp from 'fastify-plugin';
import { authRoutes } from './auth.routes.ts';
import { AuthService } from './auth.service.ts';
import { usersRoutes } from './users.routes.ts';
import { UsersService } from './users.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
    users: UsersService;
  }
}

export const authModule = fp(
  async (app) => {
    const auth = new AuthService(app.db, app.settings, app.audit);
    app.decorate('auth', auth);
    app.decorate('users', new UsersService(app.db, auth, app.regions, app.audit));
    await app.register(authRoutes, { prefix: '/api/auth' });
    await app.register(usersRoutes, { prefix: '/api' });
  },
  { name: 'auth', dependencies: ['db', 'access', 'settings', 'audit', 'regions'] },
);
