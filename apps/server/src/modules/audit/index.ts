import fp from 'fastify-plugin';
import { toRegionCode } from '../regions/region-code.ts';
import { auditRoutes } from './audit.routes.ts';
import { AuditService } from './audit.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService;
  }
}

export const auditModule = fp(
  async (app) => {
    const audit = new AuditService(app.db, toRegionCode(app.config.province));
    app.decorate('audit', audit);
    app.addHook('onReady', () => audit.ensurePartitions());
    await app.register(auditRoutes, { prefix: '/api/audit' });
  },
  { name: 'audit', dependencies: ['db', 'access'] },
);
