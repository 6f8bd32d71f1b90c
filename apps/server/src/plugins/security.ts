import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { postgresRateLimitStore } from './rate-limit-store.ts';

export const securityPlugin = fp(
  async (app) => {
    await app.register(cookie);
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Ant Design injects its CSS-in-JS styles at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    });
    // Opt-in per route (`config.rateLimit`), e.g. sign-in and public pages; counted in PostgreSQL so
    // that every process of the installation shares the limits.
    await app.register(rateLimit, { global: false, store: postgresRateLimitStore(app.db) as never });
  },
  { name: 'security', dependencies: ['db'] },
);
