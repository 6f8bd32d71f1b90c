import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../access/index.ts';
import {
  householdTypeFilters,
  monitoredFilters,
  reportDefinitions,
  reportNames,
} from './analytics.reports.ts';
import {
  RefreshResultSchema,
  ReportListSchema,
  ReportParams,
  ReportQuerySchema,
  ReportViewSchema,
} from './analytics.schema.ts';
import type { ReportView } from './analytics.service.ts';

const read = { permission: 'analytics:read', regionBound: true } as const;
const exportAccess = { permission: 'analytics:export', regionBound: true } as const;

const toResponse = (view: ReportView) => ({ ...view, dataDate: view.dataDate.toISOString() });

export const analyticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/reports', {
    schema: {
      tags: ['analytics'],
      summary: '标准报表目录与筛选项',
      response: { 200: ReportListSchema },
    },
    config: { access: { permission: 'analytics:read', regionBound: false } },
    handler: async () => {
      const refresh = await app.analytics.latestRefresh();
      return {
        items: reportNames.map((name) => ({
          name,
          title: reportDefinitions[name].title,
          description: reportDefinitions[name].description,
        })),
        householdTypes: Object.entries(householdTypeFilters).map(([value, item]) => ({
          value,
          label: item.label,
        })),
        monitoredStates: Object.entries(monitoredFilters).map(([value, item]) => ({
          value,
          label: item.label,
        })),
        dataDate: refresh ? refresh.finishedAt.toISOString() : null,
      };
    },
  });

  app.get('/reports/:name', {
    schema: {
      tags: ['analytics'],
      summary: '标准报表：所选区划的下一级各行及合计行',
      params: ReportParams,
      querystring: ReportQuerySchema,
      response: { 200: ReportViewSchema },
    },
    config: { access: read },
    handler: async (request) =>
      toResponse(
        await app.analytics.getReport(requirePrincipal(request), {
          ...request.query,
          report: request.params.name,
        }),
      ),
  });

  app.get('/reports/:name/export', {
    schema: {
      tags: ['analytics'],
      summary: '导出报表（xlsx，与页面所示一致；每次导出记入审计日志）',
      params: ReportParams,
      querystring: ReportQuerySchema,
    },
    config: { access: exportAccess },
    handler: async (request, reply) => {
      const principal = requirePrincipal(request);
      const query = { ...request.query, report: request.params.name };
      // Fails before any byte is sent when the region is outside the scope or the filters are wrong.
      const view = await app.analytics.getReport(principal, query);
      const output = new PassThrough();
      const stamp = view.dataDate.toISOString().slice(0, 10);
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`${view.region.name}${view.report.title}-${stamp}.xlsx`)}`,
        );
      app.analytics.exportView(principal, view, { output, ip: request.ip }).catch((error) => {
        request.log.error({ err: error }, 'report export failed');
        output.destroy(error);
      });
      return reply.send(output);
    },
  });

  app.post('/refresh', {
    schema: {
      tags: ['analytics'],
      summary: '重新生成统计数据（全量，按登记库当前数据）',
      response: { 200: RefreshResultSchema },
    },
    config: { access: { permission: 'analytics:refresh', regionBound: false } },
    handler: async (request) => {
      const principal = requirePrincipal(request);
      const result = await app.analytics.refresh('api');
      await app.audit.record({
        action: 'analytics.refresh',
        actor: principal,
        ip: request.ip,
        outcome: 'success',
        detail: { ...result },
      });
      return result;
    },
  });
};
