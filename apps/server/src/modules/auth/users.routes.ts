import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../access/index.ts';
import { toUserSummary } from './auth.mapper.ts';
import {
  CreateUserBody,
  ResetPasswordBody,
  RoleListSchema,
  UserIdParams,
  UserListQuery,
  UserListSchema,
  UserSummarySchema,
} from './auth.schema.ts';

const read = { permission: 'users:read', regionBound: true } as const;
const write = { permission: 'users:write', regionBound: true } as const;

export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/users', {
    schema: {
      tags: ['users'],
      summary: '用户列表',
      querystring: UserListQuery,
      response: { 200: UserListSchema },
    },
    config: { access: read },
    handler: async (request) => {
      const { items, total } = await app.users.search(requirePrincipal(request), {
        regionCode: request.query.regionCode,
        text: request.query.q,
        page: request.query.page,
        pageSize: request.query.pageSize,
      });
      return { items: items.map(toUserSummary), total };
    },
  });

  app.get('/users/:id', {
    schema: {
      tags: ['users'],
      summary: '用户详情',
      params: UserIdParams,
      response: { 200: UserSummarySchema },
    },
    config: { access: read },
    handler: async (request) =>
      toUserSummary(await app.users.getOrThrow(requirePrincipal(request), request.params.id)),
  });

  app.post('/users', {
    schema: {
      tags: ['users'],
      summary: '新建用户',
      body: CreateUserBody,
      response: { 200: UserSummarySchema },
    },
    config: { access: write },
    handler: async (request) =>
      toUserSummary(await app.users.create(requirePrincipal(request), request.body, request.ip)),
  });

  app.post('/users/:id/unlock', {
    schema: {
      tags: ['users'],
      summary: '解锁账号',
      params: UserIdParams,
      response: { 200: UserSummarySchema },
    },
    config: { access: write },
    handler: async (request) =>
      toUserSummary(await app.users.unlock(requirePrincipal(request), request.params.id, request.ip)),
  });

  app.post('/users/:id/reset-password', {
    schema: {
      tags: ['users'],
      summary: '重置密码（下次登录须修改）',
      params: UserIdParams,
      body: ResetPasswordBody,
      response: { 200: UserSummarySchema },
    },
    config: { access: write },
    handler: async (request) =>
      toUserSummary(
        await app.users.resetPassword(
          requirePrincipal(request),
          request.params.id,
          request.body.password,
          request.ip,
        ),
      ),
  });

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(`/users/:id/${action}`, {
      schema: {
        tags: ['users'],
        summary: disabled ? '停用账号' : '启用账号',
        params: UserIdParams,
        response: { 200: UserSummarySchema },
      },
      config: { access: write },
      handler: async (request) =>
        toUserSummary(
          await app.users.setDisabled(requirePrincipal(request), request.params.id, disabled, request.ip),
        ),
    });
  }

  app.get('/roles', {
    schema: { tags: ['users'], summary: '当前用户可授予的角色及其权限', response: { 200: RoleListSchema } },
    config: { access: { permission: 'users:read', regionBound: false } },
    handler: async (request) => ({ items: await app.users.listGrantableRoles(requirePrincipal(request)) }),
  });
};
