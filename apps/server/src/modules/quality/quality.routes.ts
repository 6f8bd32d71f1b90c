import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { requirePrincipal } from '../access/index.ts';
import { toExemption, toFinding, toRule, toRun } from './quality.mapper.ts';
import {
  ByRegionQuery,
  ByRegionSchema,
  ByRuleSchema,
  CheckRuleBody,
  CheckRuleSchema,
  CreateRuleBody,
  DecideExemptionBody,
  ExemptionListQuery,
  ExemptionListSchema,
  ExemptionSchema,
  FindingExportQuery,
  FindingListQuery,
  FindingListSchema,
  HouseholdFindingsSchema,
  IdParams,
  PreviewBody,
  PreviewSchema,
  RankingQuery,
  RankingSchema,
  RegionQuery,
  RequestExemptionBody,
  RuleCodeParams,
  RuleListSchema,
  RuleSchema,
  RuleVersionListSchema,
  RunListQuery,
  RunListSchema,
  RunSchema,
  StartRunBody,
  UpdateRuleBody,
} from './quality.schema.ts';
import { writeFindingsXlsx, writeRankingXlsx } from './quality-export.ts';

function xlsxReply(reply: FastifyReply, fileName: string) {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
}

export const qualityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Rules

  app.get('/rules', {
    schema: { tags: ['quality'], summary: '质量规则列表', response: { 200: RuleListSchema } },
    config: { access: { permission: 'quality:read', regionBound: false } },
    handler: async () => ({ items: (await app.quality.listRules()).map(toRule) }),
  });

  app.get('/rules/:code', {
    schema: { tags: ['quality'], summary: '质量规则', params: RuleCodeParams, response: { 200: RuleSchema } },
    config: { access: { permission: 'quality:read', regionBound: false } },
    handler: async (request) => toRule(await app.quality.getRuleOrThrow(request.params.code)),
  });

  app.get('/rules/:code/versions', {
    schema: {
      tags: ['quality'],
      summary: '规则修改历史',
      params: RuleCodeParams,
      response: { 200: RuleVersionListSchema },
    },
    config: { access: { permission: 'quality:read', regionBound: false } },
    handler: async (request) => ({
      items: (await app.quality.listRuleVersions(request.params.code)).map((version) => ({
        ...version,
        changedAt: version.changedAt.toISOString(),
      })),
    }),
  });

  app.post('/rules', {
    schema: { tags: ['quality'], summary: '新增规则', body: CreateRuleBody, response: { 200: RuleSchema } },
    config: { access: { permission: 'rules:write', regionBound: false } },
    handler: async (request) =>
      toRule(await app.quality.createRule(requirePrincipal(request), request.body, request.ip)),
  });

  app.patch('/rules/:code', {
    schema: {
      tags: ['quality'],
      summary: '修改规则（名称、分类、严重程度、条件）；version 为打开时的版本',
      params: RuleCodeParams,
      body: UpdateRuleBody,
      response: { 200: RuleSchema },
    },
    config: { access: { permission: 'rules:write', regionBound: false } },
    handler: async (request) =>
      toRule(
        await app.quality.updateRule(
          requirePrincipal(request),
          request.params.code,
          request.body,
          request.ip,
        ),
      ),
  });

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post(`/rules/:code/${action}`, {
      schema: {
        tags: ['quality'],
        summary: enabled ? '启用规则' : '停用规则',
        params: RuleCodeParams,
        response: { 200: RuleSchema },
      },
      config: { access: { permission: 'rules:write', regionBound: false } },
      handler: async (request) =>
        toRule(
          await app.quality.setRuleEnabled(
            requirePrincipal(request),
            request.params.code,
            enabled,
            request.ip,
          ),
        ),
    });
  }

  app.post('/rules/check', {
    schema: {
      tags: ['quality'],
      summary: '检查规则条件的语法（编辑时实时调用）',
      body: CheckRuleBody,
      response: { 200: CheckRuleSchema },
    },
    config: { access: { permission: 'rules:write', regionBound: false } },
    handler: async (request) => app.quality.checkRuleText(request.body.whenText, request.body.scope),
  });

  app.post('/rules/preview', {
    schema: {
      tags: ['quality'],
      summary: '试算：该条件在本辖区（或所选区划）会标记多少户、多少人',
      body: PreviewBody,
      response: { 200: PreviewSchema },
    },
    config: { access: { permission: 'rules:write', regionBound: true } },
    handler: async (request) => app.quality.preview(requirePrincipal(request), request.body),
  });

  // Runs

  app.get('/runs', {
    schema: {
      tags: ['quality'],
      summary: '检查记录',
      querystring: RunListQuery,
      response: { 200: RunListSchema },
    },
    config: { access: { permission: 'quality:read', regionBound: true } },
    handler: async (request) => ({
      items: (await app.quality.listRuns(requirePrincipal(request), request.query)).map(toRun),
    }),
  });

  app.get('/runs/:id', {
    schema: { tags: ['quality'], summary: '检查记录与进度', params: IdParams, response: { 200: RunSchema } },
    config: { access: { permission: 'quality:read', regionBound: true } },
    handler: async (request) =>
      toRun(await app.quality.getRunOrThrow(requirePrincipal(request), request.params.id)),
  });

  app.post('/runs', {
    schema: {
      tags: ['quality'],
      summary: '开始全量检查（本辖区或所选区划），后台运行，轮询检查记录查看进度',
      body: StartRunBody,
      response: { 202: RunSchema },
    },
    config: { access: { permission: 'quality:run', regionBound: true } },
    handler: async (request, reply) => {
      const run = await app.quality.startRun(requirePrincipal(request), {
        trigger: 'ui',
        regionCode: request.body.regionCode,
      });
      return reply.status(202).send(toRun(run));
    },
  });

  // Findings

  app.get('/findings', {
    schema: {
      tags: ['quality'],
      summary: '问题清单（按规则、区划、状态、户筛选）',
      querystring: FindingListQuery,
      response: { 200: FindingListSchema },
    },
    config: { access: { permission: 'quality:read', regionBound: true } },
    handler: async (request) => {
      const { items, total } = await app.quality.searchFindings(requirePrincipal(request), request.query);
      return { items: items.map(toFinding), total };
    },
  });

  app.get('/findings/by-rule', {
    schema: {
      tags: ['quality'],
      summary: '按规则统计问题数（本辖区或所选区划）',
      querystring: RegionQuery,
      response: { 200: ByRuleSchema },
    },
    config: { access: { permission: 'quality:read', regionBound: true } },
    handler: async (request) => ({
      items: await app.quality.countByRule(requirePrincipal(request), request.query.regionCode),
    }),
  });

  app.get('/findings/by-region', {
    schema: {
      tags: ['quality'],
      summary: '按区划逐级下钻：下级区划的户数、问题户、问题户占比、整改进度',
      querystring: ByRegionQuery,
      response: { 200: ByRegionSchema },
    },
    config: { access: { permission: 'quality:read', regionBound: true } },
    handler: async (request) => app.quality.countByRegion(requirePrincipal(request), request.query),
  });

  app.get('/findings/export.xlsx', {
    schema: {
      tags: ['quality'],
      summary: '导出问题清单（xlsx，每条规则一个工作表）',
      querystring: FindingExportQuery,
    },
    config: { access: { permission: 'quality:export', regionBound: true } },
    handler: async (request, reply) => {
      const principal = requirePrincipal(request);
      if (request.query.regionCode) await app.quality.resolveRegion(principal, request.query.regionCode);
      await app.audit.record({
        action: 'quality.findings_export',
        actor: principal,
        ip: request.ip,
        outcome: 'success',
        detail: { filters: request.query },
      });
      const output = new PassThrough();
      xlsxReply(reply, `数据质量问题清单-${new Date().toISOString().slice(0, 10)}.xlsx`);
      writeFindingsXlsx(app.quality, principal, request.query, output).catch((error) => {
        request.log.error({ err: error }, 'findings export failed');
        output.destroy(error);
      });
      return reply.send(output);
    },
  });

  app.get('/households/:id/findings', {
    schema: {
      tags: ['quality'],
      summary: '一户的问题（户详情页）',
      params: IdParams,
      response: { 200: HouseholdFindingsSchema },
    },
    config: { access: { permission: 'quality:read', regionBound: true } },
    handler: async (request) => {
      const principal = requirePrincipal(request);
      await app.registry.getHouseholdOrThrow(principal, request.params.id);
      return { items: (await app.quality.householdFindings(principal, request.params.id)).map(toFinding) };
    },
  });

  // Rankings

  app.get('/rankings', {
    schema: {
      tags: ['quality'],
      summary: '下级区划排名：问题户占比（低者靠前）或整改进度（高者靠前）',
      querystring: RankingQuery,
      response: { 200: RankingSchema },
    },
    config: { access: { permission: 'quality:read', regionBound: true } },
    handler: async (request) => {
      const result = await app.quality.countByRegion(requirePrincipal(request), {
        regionCode: request.query.regionCode,
      });
      const orderBy = request.query.orderBy ?? 'qualityRate';
      const sorted = [...result.items].sort((a, b) =>
        orderBy === 'qualityRate'
          ? a.qualityRate - b.qualityRate || b.households - a.households
          : b.rectificationRate - a.rectificationRate || b.found - a.found,
      );
      return { ...result, items: sorted.map((item, index) => ({ ...item, rank: index + 1 })) };
    },
  });

  app.get('/rankings/export.xlsx', {
    schema: {
      tags: ['quality'],
      summary: '导出区划排名（xlsx，首表为全部规则，其后每条规则一个工作表）',
      querystring: RegionQuery,
    },
    config: { access: { permission: 'quality:export', regionBound: true } },
    handler: async (request, reply) => {
      const principal = requirePrincipal(request);
      const region = await app.quality.resolveRegion(principal, request.query.regionCode);
      await app.audit.record({
        action: 'quality.rankings_export',
        actor: principal,
        ip: request.ip,
        outcome: 'success',
        regionCode: region.code,
        detail: { regionCode: region.code },
      });
      const output = new PassThrough();
      xlsxReply(reply, `数据质量排名-${region.name}-${new Date().toISOString().slice(0, 10)}.xlsx`);
      writeRankingXlsx(app.quality, principal, { regionCode: region.code }, output).catch((error) => {
        request.log.error({ err: error }, 'ranking export failed');
        output.destroy(error);
      });
      return reply.send(output);
    },
  });

  // Exemptions

  app.post('/findings/:id/exemptions', {
    schema: {
      tags: ['quality'],
      summary: '申请豁免（原因、到期日期）',
      params: IdParams,
      body: RequestExemptionBody,
      response: { 200: ExemptionSchema },
    },
    config: { access: { permission: 'exemptions:request', regionBound: true } },
    handler: async (request) =>
      toExemption(
        await app.quality.requestExemption(
          requirePrincipal(request),
          request.params.id,
          request.body,
          request.ip,
        ),
      ),
  });

  app.get('/exemptions', {
    schema: {
      tags: ['quality'],
      summary: '豁免申请列表',
      querystring: ExemptionListQuery,
      response: { 200: ExemptionListSchema },
    },
    config: { access: { permission: 'quality:read', regionBound: true } },
    handler: async (request) => ({
      items: (await app.quality.listExemptions(requirePrincipal(request), request.query)).map(toExemption),
    }),
  });

  app.get('/exemptions/:id', {
    schema: { tags: ['quality'], summary: '豁免申请', params: IdParams, response: { 200: ExemptionSchema } },
    config: { access: { permission: 'quality:read', regionBound: true } },
    handler: async (request) =>
      toExemption(await app.quality.getExemptionOrThrow(requirePrincipal(request), request.params.id)),
  });

  for (const [action, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    app.post(`/exemptions/:id/${action}`, {
      schema: {
        tags: ['quality'],
        summary: approve ? '批准豁免' : '驳回豁免',
        params: IdParams,
        body: Type.Optional(DecideExemptionBody),
        response: { 200: ExemptionSchema },
      },
      config: { access: { permission: 'exemptions:approve', regionBound: true } },
      handler: async (request) =>
        toExemption(
          await app.quality.decideExemption(
            requirePrincipal(request),
            request.params.id,
            { approve, note: request.body?.note },
            request.ip,
          ),
        ),
    });
  }
};
