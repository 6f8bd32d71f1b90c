import { PassThrough } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { clientContext, requirePrincipal } from '../access/index.ts';
import { monitoringErrors } from './monitoring.errors.ts';
import { toCaseDetail, toCaseItem, toLead, toLeadDetail } from './monitoring.mapper.ts';
import {
  AttachmentParams,
  CaseCreatedSchema,
  CaseDetailSchema,
  CaseListQuery,
  CaseListSchema,
  DismissLeadBody,
  IdParams,
  LeadCreatedSchema,
  LeadDetailSchema,
  LeadListQuery,
  LeadListSchema,
  MonthQuery,
  NoticeBody,
  ObjectionBody,
  ObjectionParams,
  ResolutionBody,
  SelfReportLinkSchema,
  TransitionBody,
  VillageParams,
  VisitBody,
  WorkflowSchema,
} from './monitoring.schema.ts';
import { workflows } from './monitoring.workflow.ts';

const read = { permission: 'monitoring:read', regionBound: true } as const;
const act = { permission: 'monitoring:act', regionBound: true } as const;
const report = { permission: 'monitoring:report', regionBound: true } as const;
const uploadLimitBytes = 20 * 1024 * 1024;

export const monitoringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(multipart, { limits: { fileSize: uploadLimitBytes, files: 1, fields: 5, parts: 10 } });
  const ip = (request: { ip: string }) => clientContext(request as never).ip;

  app.get('/workflow', {
    schema: {
      tags: ['monitoring'],
      summary: '识别与风险消除流程：各环节的办理角色、层级、时限',
      response: { 200: WorkflowSchema },
    },
    config: { access: { permission: 'monitoring:read', regionBound: false } },
    handler: async () => {
      const describe = (kind: keyof typeof workflows) =>
        workflows[kind].steps.map((step) => ({
          state: step.state,
          label: step.label,
          role: step.role,
          roleLabel: { village_user: '村级用户', township_user: '乡镇用户', county_user: '县级用户' }[
            step.role
          ],
          level: step.level,
          canReject: step.canReject,
          returnTo: step.returnTo ?? null,
          limitSetting: step.limitSetting,
          limitUnit: step.limitUnit,
        }));
      return { identification: describe('identification'), elimination: describe('elimination') };
    },
  });

  app.get('/villages/:code/self-report-link', {
    schema: {
      tags: ['monitoring'],
      summary: '村的农户自主申报二维码链接',
      params: VillageParams,
      response: { 200: SelfReportLinkSchema },
    },
    config: { access: read },
    handler: async (request) => {
      const token = await app.monitoring.selfReportToken(requirePrincipal(request), request.params.code);
      return { token, path: `/report/${token}` };
    },
  });

  app.get('/townships/:code/self-report-qr.pdf', {
    schema: {
      tags: ['monitoring'],
      summary: '打印乡镇各村的农户自主申报二维码（PDF，每页 6 个村）',
      params: VillageParams,
    },
    config: { access: read },
    handler: async (request, reply) => {
      const output = new PassThrough();
      // The address farmers' phones reach: configured for deployments behind a proxy, else this request's.
      const baseUrl = process.env.SHOUWANG_PUBLIC_URL ?? `${request.protocol}://${request.host}`;
      const sheet = await app.monitoring.writeSelfReportSheet(
        requirePrincipal(request),
        request.params.code,
        baseUrl.replace(/\/$/, ''),
        output,
      );
      reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`${sheet.township.name}-农户自主申报二维码.pdf`)}`,
        );
      sheet.write().catch((error) => {
        request.log.error({ err: error }, 'QR sheet failed');
        output.destroy(error);
      });
      return reply.send(output);
    },
  });

  app.get('/exports/national.xlsx', {
    schema: {
      tags: ['monitoring'],
      summary: '导出本月新识别与风险消除的监测对象（国家系统列格式，xlsx）',
      querystring: MonthQuery,
    },
    config: { access: { permission: 'monitoring:export', regionBound: true } },
    handler: async (request, reply) => {
      const output = new PassThrough();
      const month = request.query.month;
      const exported = await app.monitoring.writeMonthlyNationalExport(
        requirePrincipal(request),
        month,
        output,
        ip(request),
      );
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`监测对象-${month}.xlsx`)}`,
        );
      exported.write().catch((error) => {
        request.log.error({ err: error }, 'national export failed');
        output.destroy(error);
      });
      return reply.send(output);
    },
  });

  app.get('/leads', {
    schema: {
      tags: ['monitoring'],
      summary: '线索列表（最近更新在前）',
      querystring: LeadListQuery,
      response: { 200: LeadListSchema },
    },
    config: { access: read },
    handler: async (request) => ({
      items: (await app.monitoring.searchLeads(requirePrincipal(request), request.query)).map(toLead),
    }),
  });

  app.get('/leads/:id', {
    schema: {
      tags: ['monitoring'],
      summary: '线索详情及各次上报',
      params: IdParams,
      response: { 200: LeadDetailSchema },
    },
    config: { access: read },
    handler: async (request) =>
      toLeadDetail(await app.monitoring.getLeadOrThrow(requirePrincipal(request), request.params.id)),
  });

  app.post('/leads', {
    schema: {
      tags: ['monitoring'],
      summary: '干部走访登记线索（同一户的未处理线索自动合并）',
      body: VisitBody,
      response: { 200: LeadCreatedSchema },
    },
    config: { access: report },
    handler: async (request) =>
      app.monitoring.recordVisit(requirePrincipal(request), request.body, ip(request)),
  });

  app.post('/leads/:id/case', {
    schema: {
      tags: ['monitoring'],
      summary: '由线索启动识别纳入监测',
      params: IdParams,
      response: { 200: CaseCreatedSchema },
    },
    config: { access: act },
    handler: async (request) => ({
      id: await app.monitoring.openIdentification(requirePrincipal(request), request.params.id, ip(request)),
    }),
  });

  app.post('/leads/:id/dismiss', {
    schema: {
      tags: ['monitoring'],
      summary: '关闭线索（重复上报、经核实不存在困难、不是本村农户等，须填理由）',
      params: IdParams,
      body: DismissLeadBody,
      response: { 200: LeadDetailSchema },
    },
    config: { access: act },
    handler: async (request) => {
      const principal = requirePrincipal(request);
      await app.monitoring.dismissLead(principal, request.params.id, request.body, ip(request));
      return toLeadDetail(await app.monitoring.getLeadOrThrow(principal, request.params.id));
    },
  });

  app.post('/households/:id/elimination', {
    schema: {
      tags: ['monitoring'],
      summary: '为监测户启动风险消除',
      params: IdParams,
      response: { 200: CaseCreatedSchema },
    },
    config: { access: act },
    handler: async (request) => ({
      id: await app.monitoring.openElimination(requirePrincipal(request), request.params.id, ip(request)),
    }),
  });

  app.get('/cases', {
    schema: {
      tags: ['monitoring'],
      summary: '案件列表（按环节期限排序）',
      querystring: CaseListQuery,
      response: { 200: CaseListSchema },
    },
    config: { access: read },
    handler: async (request) => ({
      items: (await app.monitoring.searchCases(requirePrincipal(request), request.query)).map(toCaseItem),
    }),
  });

  app.get('/cases/:id', {
    schema: {
      tags: ['monitoring'],
      summary: '案件详情：流程、办理记录、公示、异议、附件、消除条件',
      params: IdParams,
      response: { 200: CaseDetailSchema },
    },
    config: { access: read },
    handler: async (request) =>
      toCaseDetail(await app.monitoring.getCaseDetail(requirePrincipal(request), request.params.id)),
  });

  app.post('/cases/:id/transitions', {
    schema: {
      tags: ['monitoring'],
      summary: '办理当前环节：通过、不通过（须填理由）、退回修改（须填理由）',
      params: IdParams,
      body: TransitionBody,
      response: { 200: CaseDetailSchema },
    },
    config: { access: act },
    handler: async (request) =>
      toCaseDetail(
        await app.monitoring.act(requirePrincipal(request), request.params.id, request.body, ip(request)),
      ),
  });

  app.put('/cases/:id/notice', {
    schema: {
      tags: ['monitoring'],
      summary: '登记公示起止日期和地点',
      params: IdParams,
      body: NoticeBody,
      response: { 200: CaseDetailSchema },
    },
    config: { access: act },
    handler: async (request) =>
      toCaseDetail(
        await app.monitoring.recordNotice(
          requirePrincipal(request),
          request.params.id,
          request.body,
          ip(request),
        ),
      ),
  });

  app.post('/cases/:id/objections', {
    schema: {
      tags: ['monitoring'],
      summary: '登记公示期间收到的异议',
      params: IdParams,
      body: ObjectionBody,
      response: { 200: CaseDetailSchema },
    },
    config: { access: act },
    handler: async (request) =>
      toCaseDetail(
        await app.monitoring.addObjection(
          requirePrincipal(request),
          request.params.id,
          request.body,
          ip(request),
        ),
      ),
  });

  app.post('/cases/:id/objections/:objectionId/resolve', {
    schema: {
      tags: ['monitoring'],
      summary: '登记异议的处理结果',
      params: ObjectionParams,
      body: ResolutionBody,
      response: { 200: CaseDetailSchema },
    },
    config: { access: act },
    handler: async (request) =>
      toCaseDetail(
        await app.monitoring.resolveObjection(
          requirePrincipal(request),
          request.params.id,
          request.params.objectionId,
          request.body.resolution,
          ip(request),
        ),
      ),
  });

  app.post('/cases/:id/attachments', {
    schema: {
      tags: ['monitoring'],
      summary: '上传附件（JPG、PNG 或 PDF；字段 kind、file）',
      params: IdParams,
      consumes: ['multipart/form-data'],
      response: { 200: CaseDetailSchema },
    },
    config: { access: act },
    handler: async (request) => {
      const principal = requirePrincipal(request);
      await app.monitoring.attachmentTargetOrThrow(principal, request.params.id, ip(request));
      let kind = 'other';
      let file: { fileName: string; content: Buffer } | undefined;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'field' && part.fieldname === 'kind') kind = String(part.value);
          else if (part.type === 'file') file = { fileName: part.filename, content: await part.toBuffer() };
        }
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw monitoringErrors.invalidAttachment('文件太大，请压缩后再上传');
        }
        throw error;
      }
      if (!file) throw monitoringErrors.invalidAttachment('请选择要上传的文件');
      return toCaseDetail(
        await app.monitoring.addAttachment(principal, request.params.id, { kind, ...file }, ip(request)),
      );
    },
  });

  app.get('/cases/:id/attachments/:attachmentId', {
    schema: { tags: ['monitoring'], summary: '下载附件', params: AttachmentParams },
    config: { access: read },
    handler: async (request, reply) => {
      const attachment = await app.monitoring.getAttachmentOrThrow(
        requirePrincipal(request),
        request.params.id,
        request.params.attachmentId,
      );
      return reply
        .header('content-type', attachment.mediaType)
        .header('x-content-type-options', 'nosniff')
        .header('x-checksum-sha256', attachment.sha256)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`)
        .send(attachment.content);
    },
  });
};
