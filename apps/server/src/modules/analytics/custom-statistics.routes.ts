import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requirePrincipal } from '../access/index.ts';
import type { SavedStatisticRecord } from './custom-statistics.repository.ts';
import {
  CustomCheckBody,
  CustomCheckSchema,
  CustomCountViewSchema,
  CustomPersonListSchema,
  CustomPersonQuerySchema,
  CustomQuerySchema,
  SavedStatisticBody,
  SavedStatisticListSchema,
  SavedStatisticParams,
  SavedStatisticSchema,
} from './custom-statistics.schema.ts';
import type { CustomCountView } from './custom-statistics.service.ts';

const read = { permission: 'analytics:read', regionBound: true } as const;
const exportAccess = { permission: 'analytics:export', regionBound: true } as const;
// Saved statistics are the caller's own expressions, not rows of a region.
const own = { permission: 'analytics:read', regionBound: false } as const;

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
const toCountResponse = (view: CustomCountView) => ({ ...view, dataDate: view.dataDate.toISOString() });
const toSaved = (record: SavedStatisticRecord) => ({ ...record, createdAt: record.createdAt.toISOString() });

/** 定制化统计 under /api/analytics/custom. */
export const customStatisticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/check', {
    schema: {
      tags: ['analytics'],
      summary: '检查统计条件的语法（编辑时实时调用）',
      body: CustomCheckBody,
      response: { 200: CustomCheckSchema },
    },
    config: { access: { permission: 'analytics:read', regionBound: false } },
    handler: async (request) => app.customStatistics.check(request.body.expression, request.body.scope),
  });

  app.get('/counts', {
    schema: {
      tags: ['analytics'],
      summary: '定制化统计：所选区划下一级各行的户数、人数及合计',
      querystring: CustomQuerySchema,
      response: { 200: CustomCountViewSchema },
    },
    config: { access: read },
    handler: async (request) =>
      toCountResponse(await app.customStatistics.count(requirePrincipal(request), request.query)),
  });

  app.get('/persons', {
    schema: {
      tags: ['analytics'],
      summary: '定制化统计：符合条件的人员名单（分页，证件号码脱敏）',
      querystring: CustomPersonQuerySchema,
      response: { 200: CustomPersonListSchema },
    },
    config: { access: read },
    handler: async (request) => app.customStatistics.listPersons(requirePrincipal(request), request.query),
  });

  app.get('/counts/export', {
    schema: {
      tags: ['analytics'],
      summary: '导出统计结果（xlsx；每次导出记入审计日志）',
      querystring: CustomQuerySchema,
    },
    config: { access: exportAccess },
    handler: async (request, reply) => {
      const principal = requirePrincipal(request);
      // Fails before any byte is sent when the expression, the region or the year is wrong.
      const view = await app.customStatistics.count(principal, request.query);
      const title = request.query.title || '定制化统计';
      const output = new PassThrough();
      reply
        .header('content-type', xlsxType)
        .header('content-disposition', attachment(`${view.region.name}${title}-${view.referenceDate}.xlsx`));
      app.customStatistics.exportCounts(principal, view, { output, ip: request.ip, title }).catch((error) => {
        request.log.error({ err: error }, 'custom statistics export failed');
        output.destroy(error);
      });
      return reply.send(output);
    },
  });

  app.get('/persons/export', {
    schema: {
      tags: ['analytics'],
      summary: '导出符合条件的全部人员（xlsx，证件号码脱敏；每次导出记入审计日志）',
      querystring: CustomQuerySchema,
    },
    config: { access: exportAccess },
    handler: async (request, reply) => {
      const principal = requirePrincipal(request);
      // The expression, the region and the year are checked before any byte is sent (400/404).
      const view = await app.customStatistics.validate(principal, request.query);
      const title = request.query.title || '定制化统计';
      const output = new PassThrough();
      reply
        .header('content-type', xlsxType)
        .header(
          'content-disposition',
          attachment(`${view.region.name}${title}人员名单-${view.referenceDate}.xlsx`),
        );
      app.customStatistics
        .exportPersons(principal, request.query, { output, ip: request.ip, title })
        .catch((error) => {
          request.log.error({ err: error }, 'custom statistics person export failed');
          output.destroy(error);
        });
      return reply.send(output);
    },
  });

  app.get('/saved', {
    schema: { tags: ['analytics'], summary: '我保存的统计', response: { 200: SavedStatisticListSchema } },
    config: { access: own },
    handler: async (request) => ({
      items: (await app.customStatistics.listSaved(requirePrincipal(request))).map(toSaved),
    }),
  });

  app.post('/saved', {
    schema: {
      tags: ['analytics'],
      summary: '保存统计条件（名称在本人的统计中唯一）',
      body: SavedStatisticBody,
      response: { 200: SavedStatisticSchema },
    },
    config: { access: own },
    handler: async (request) =>
      toSaved(await app.customStatistics.save(requirePrincipal(request), request.body)),
  });

  app.delete('/saved/:id', {
    schema: {
      tags: ['analytics'],
      summary: '删除本人保存的统计',
      params: SavedStatisticParams,
      response: { 204: Type.Null() },
    },
    config: { access: own },
    handler: async (request, reply) => {
      await app.customStatistics.deleteSavedOrThrow(requirePrincipal(request), request.params.id);
      return reply.status(204).send(null);
    },
  });
};
