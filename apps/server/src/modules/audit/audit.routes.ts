import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { requirePrincipal } from '../access/index.ts';
import type { Principal } from '../access/principal.ts';
import { AuditListSchema, AuditQuery, AuditVerificationSchema } from './audit.schema.ts';

/** Dates are calendar days in Beijing time; `to` is inclusive. */
function toFilters(principal: Principal, query: Static<typeof AuditQuery>) {
  return {
    scope: principal.scope,
    from: query.from ? new Date(`${query.from}T00:00:00+08:00`) : undefined,
    to: query.to ? new Date(new Date(`${query.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined,
    action: query.action || undefined,
    actor: query.actor || undefined,
    outcome: query.outcome,
  };
}

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      tags: ['audit'],
      summary: '查询审计日志',
      querystring: AuditQuery,
      response: { 200: AuditListSchema },
    },
    config: { access: { permission: 'audit:read', regionBound: true } },
    handler: async (request) => {
      const principal = requirePrincipal(request);
      const { items, total } = await app.audit.search({
        ...toFilters(principal, request.query),
        page: request.query.page,
        pageSize: request.query.pageSize,
      });
      return {
        items: items.map((row) => ({
          id: row.id,
          occurredAt: row.occurredAt.toISOString(),
          actorUsername: row.actorUsername,
          regionCode: row.regionCode,
          regionName: row.regionName,
          ip: row.ip,
          action: row.action,
          targetType: row.targetType,
          targetId: row.targetId,
          outcome: row.outcome,
          detail: row.detail,
        })),
        total,
      };
    },
  });

  app.get('/export', {
    schema: { tags: ['audit'], summary: '导出审计日志（xlsx）', querystring: AuditQuery },
    config: { access: { permission: 'audit:export', regionBound: true } },
    handler: async (request, reply) => {
      const principal = requirePrincipal(request);
      const filters = toFilters(principal, request.query);
      await app.audit.record({
        action: 'audit.export',
        actor: principal,
        ip: request.ip,
        outcome: 'success',
        detail: { filters: request.query },
      });
      const output = new PassThrough();
      const stamp = new Date().toISOString().slice(0, 10);
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`审计日志-${stamp}.xlsx`)}`,
        );
      app.audit
        .exportXlsx({ filters, exportedBy: `${principal.displayName}（${principal.username}）`, output })
        .catch((error) => {
          request.log.error({ err: error }, 'audit export failed');
          output.destroy(error);
        });
      return reply.send(output);
    },
  });

  app.get('/verify', {
    schema: { tags: ['audit'], summary: '校验审计日志哈希链', response: { 200: AuditVerificationSchema } },
    config: { access: { permission: 'audit:read', regionBound: false } },
    handler: async (request) => {
      const result = await app.audit.verify();
      await app.audit.record({
        action: 'audit.verify',
        actor: requirePrincipal(request),
        ip: request.ip,
        outcome: result.ok ? 'success' : 'failure',
        detail: { ...result },
      });
      return result;
    },
  });
};
