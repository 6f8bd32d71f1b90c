import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../access/index.ts';
import {
  RegionCodeParams,
  RegionListSchema,
  RegionPathSchema,
  RegionSchema,
  RegionSearchQuery,
} from './regions.schema.ts';

const access = { permission: 'regions:read', regionBound: true } as const;

export const regionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/search', {
    schema: {
      tags: ['regions'],
      summary: '按名称搜索区划',
      querystring: RegionSearchQuery,
      response: { 200: RegionListSchema },
    },
    config: { access },
    handler: async (request) => ({
      items: await app.regions.search(requirePrincipal(request), request.query.q, request.query.limit),
    }),
  });

  app.get('/:code', {
    schema: {
      tags: ['regions'],
      summary: '区划详情',
      params: RegionCodeParams,
      response: { 200: RegionSchema },
    },
    config: { access },
    handler: async (request) => app.regions.getOrThrow(requirePrincipal(request), request.params.code),
  });

  app.get('/:code/children', {
    schema: {
      tags: ['regions'],
      summary: '下级区划',
      params: RegionCodeParams,
      response: { 200: RegionListSchema },
    },
    config: { access },
    handler: async (request) => ({
      items: await app.regions.listChildren(requirePrincipal(request), request.params.code),
    }),
  });

  app.get('/:code/path', {
    schema: {
      tags: ['regions'],
      summary: '区划路径（省至本级）',
      params: RegionCodeParams,
      response: { 200: RegionPathSchema },
    },
    config: { access },
    handler: async (request) => ({
      items: await app.regions.listPath(requirePrincipal(request), request.params.code),
    }),
  });
};
