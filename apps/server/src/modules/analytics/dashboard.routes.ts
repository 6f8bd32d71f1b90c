import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../access/index.ts';
import { DashboardQuerySchema, DashboardSchema } from './dashboard.schema.ts';
import type { Dashboard } from './dashboard.service.ts';

const toResponse = (dashboard: Dashboard) => ({ ...dashboard, dataDate: dashboard.dataDate.toISOString() });

export const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/dashboard', {
    schema: {
      tags: ['analytics'],
      summary: '综合展示：核心指标、逐月趋势、结构、下级区划对比与质量排名（与标准报表同源）',
      querystring: DashboardQuerySchema,
      response: { 200: DashboardSchema },
    },
    config: { access: { permission: 'analytics:read', regionBound: true } },
    handler: async (request) =>
      toResponse(await app.analyticsDashboard.getDashboard(requirePrincipal(request), request.query)),
  });
};
