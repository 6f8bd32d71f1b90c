import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../access/index.ts';
import {
  toHistoryEntry,
  toHouseholdDetail,
  toHouseholdListItem,
  toPerson,
  toPersonListItem,
} from './registry.mapper.ts';
import {
  HistoryQuery,
  HistorySchema,
  HouseholdDetailSchema,
  HouseholdListQuery,
  HouseholdListSchema,
  HouseholdUpdateBody,
  IdParams,
  PersonListQuery,
  PersonListSchema,
  PersonSchema,
  PersonUpdateBody,
  RevealSchema,
} from './registry.schema.ts';
import type { HouseholdUpdate, PersonUpdate } from './registry.service.ts';

const read = { permission: 'households:read', regionBound: true } as const;
const write = { permission: 'households:write', regionBound: true } as const;
const reveal = { permission: 'households:reveal', regionBound: true } as const;

export const registryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/households', {
    schema: {
      tags: ['registry'],
      summary: '农户列表（按区划、户编号排序）',
      querystring: HouseholdListQuery,
      response: { 200: HouseholdListSchema },
    },
    config: { access: read },
    handler: async (request) => {
      const result = await app.registry.searchHouseholds(requirePrincipal(request), request.query);
      return { ...result, items: result.items.map(toHouseholdListItem) };
    },
  });

  app.get('/households/:id', {
    schema: {
      tags: ['registry'],
      summary: '农户详情：家庭成员、收入、风险与帮扶措施',
      params: IdParams,
      response: { 200: HouseholdDetailSchema },
    },
    config: { access: read },
    handler: async (request) =>
      toHouseholdDetail(await app.registry.getHouseholdDetail(requirePrincipal(request), request.params.id)),
  });

  app.get('/households/:id/history', {
    schema: {
      tags: ['registry'],
      summary: '农户变更记录（字段级，最新在前）',
      params: IdParams,
      querystring: HistoryQuery,
      response: { 200: HistorySchema },
    },
    config: { access: read },
    handler: async (request) => {
      const { items, total } = await app.registry.listHistory(
        requirePrincipal(request),
        request.params.id,
        request.query.page,
        request.query.pageSize,
      );
      return { items: items.map(toHistoryEntry), total };
    },
  });

  app.patch('/households/:id', {
    schema: {
      tags: ['registry'],
      summary: '修改农户信息（只写入有变化的字段，并记录变更）',
      params: IdParams,
      body: HouseholdUpdateBody,
      response: { 200: HouseholdDetailSchema },
    },
    config: { access: write },
    handler: async (request) =>
      toHouseholdDetail(
        await app.registry.updateHousehold(
          requirePrincipal(request),
          request.params.id,
          request.body as HouseholdUpdate,
          request.ip,
        ),
      ),
  });

  app.get('/persons', {
    schema: {
      tags: ['registry'],
      summary: '人员列表',
      querystring: PersonListQuery,
      response: { 200: PersonListSchema },
    },
    config: { access: read },
    handler: async (request) => {
      const result = await app.registry.searchPersons(requirePrincipal(request), request.query);
      return { ...result, items: result.items.map(toPersonListItem) };
    },
  });

  app.patch('/persons/:id', {
    schema: {
      tags: ['registry'],
      summary: '修改家庭成员信息（只写入有变化的字段，并记录变更）',
      params: IdParams,
      body: PersonUpdateBody,
      response: { 200: PersonSchema },
    },
    config: { access: write },
    handler: async (request) =>
      toPerson(
        await app.registry.updatePerson(
          requirePrincipal(request),
          request.params.id,
          request.body as PersonUpdate,
          request.ip,
        ),
      ),
  });

  app.post('/persons/:id/reveal', {
    schema: {
      tags: ['registry'],
      summary: '查看完整证件号码和电话（每次查看均记入审计日志）',
      params: IdParams,
      response: { 200: RevealSchema },
    },
    config: { access: reveal },
    handler: async (request) =>
      app.registry.revealPersonalData(requirePrincipal(request), request.params.id, request.ip),
  });
};
