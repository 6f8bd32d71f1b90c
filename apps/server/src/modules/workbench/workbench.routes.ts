import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../access/index.ts';
import { toCaseItem } from '../monitoring/monitoring.mapper.ts';
import { ProgressQuery, ProgressSchema, TodosSchema } from '../monitoring/monitoring.schema.ts';

const read = { permission: 'monitoring:read', regionBound: true } as const;

export const workbenchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/todos', {
    schema: {
      tags: ['workbench'],
      summary: '我的待办：本人角色与层级在本辖区待办理的环节、超期数、未处理线索',
      response: { 200: TodosSchema },
    },
    config: { access: read },
    handler: async (request) => {
      const todos = await app.monitoring.todos(requirePrincipal(request));
      return { ...todos, items: todos.items.map(toCaseItem) };
    },
  });

  app.get('/progress', {
    schema: {
      tags: ['workbench'],
      summary: '下级区划办理进度：在办、超期、已审定',
      querystring: ProgressQuery,
      response: { 200: ProgressSchema },
    },
    config: { access: read },
    handler: async (request) => app.monitoring.progress(requirePrincipal(request), request.query.regionCode),
  });
};
