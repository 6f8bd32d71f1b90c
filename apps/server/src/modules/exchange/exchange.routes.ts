import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { requirePrincipal } from '../access/index.ts';
import { exchangeErrors } from './exchange.errors.ts';
import type { BatchRecord } from './exchange.repository.ts';
import {
  BatchIdParams,
  BatchListQuery,
  BatchListSchema,
  BatchSchema,
  StartImportSchema,
} from './exchange.schema.ts';
import type { ImportSummary } from './exchange.service.ts';

const uploadLimitMegabytes = 500;

function toBatch(batch: BatchRecord) {
  const summary = batch.summary as Partial<ImportSummary>;
  return {
    id: batch.id,
    kind: batch.kind,
    fileName: batch.fileName,
    fileSize: batch.fileSize === null ? null : Number(batch.fileSize),
    statisticsYear: batch.statisticsYear,
    dryRun: batch.dryRun,
    status: batch.status,
    phase: batch.phase,
    rowsRead: Number(batch.rowsRead),
    actorUsername: batch.actorUsername,
    regionCode: batch.regionCode,
    regionFullName: batch.regionFullName,
    startedAt: batch.startedAt.toISOString(),
    finishedAt: batch.finishedAt ? batch.finishedAt.toISOString() : null,
    error: batch.error,
    view: batch.view,
    summary: summary && typeof summary.batchId === 'string' ? (summary as ImportSummary) : null,
  };
}

/** Streams the uploaded file to `<dataDir>/uploads/`; the form's other fields come back as text. */
async function receiveUpload(request: FastifyRequest, uploadDir: string) {
  await mkdir(uploadDir, { recursive: true });
  const fields: Record<string, string> = {};
  let upload: { filePath: string; fileName: string } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (upload) {
        part.file.resume();
        continue;
      }
      const extension = path.extname(part.filename).toLowerCase();
      const filePath = path.join(uploadDir, `${randomUUID()}${extension}`);
      upload = { filePath, fileName: path.basename(part.filename) };
      await pipeline(part.file, createWriteStream(filePath));
      if (part.file.truncated) throw exchangeErrors.uploadTooLarge(uploadLimitMegabytes);
    }
  } catch (error) {
    if (upload) await unlink(upload.filePath).catch(() => {});
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw exchangeErrors.uploadTooLarge(uploadLimitMegabytes);
    }
    throw error;
  }
  if (!upload) throw exchangeErrors.uploadMissing();
  return { ...upload, fields };
}

export const exchangeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(multipart, {
    limits: { fileSize: uploadLimitMegabytes * 1024 * 1024, files: 1, fields: 10, parts: 20 },
  });
  const uploadDir = path.join(app.config.dataDir, 'uploads');

  app.get('/', {
    schema: {
      tags: ['imports'],
      summary: '导入记录（本辖区导入的批次，以及上级导入且覆盖本辖区的批次；按时间倒序）',
      querystring: BatchListQuery,
      response: { 200: BatchListSchema },
    },
    config: { access: { permission: 'imports:read', regionBound: true } },
    handler: async (request) => {
      const { items, total } = await app.exchange.searchBatches(requirePrincipal(request), request.query);
      return { items: items.map(toBatch), total };
    },
  });

  app.get('/:id', {
    schema: {
      tags: ['imports'],
      summary: '导入批次：状态、阶段、已读行数与结果',
      params: BatchIdParams,
      response: { 200: BatchSchema },
    },
    config: { access: { permission: 'imports:read', regionBound: true } },
    handler: async (request) =>
      toBatch(await app.exchange.getBatchOrThrow(requirePrincipal(request), request.params.id)),
  });

  app.get('/:id/errors.xlsx', {
    schema: { tags: ['imports'], summary: '下载导入错误明细（xlsx）', params: BatchIdParams },
    config: { access: { permission: 'imports:read', regionBound: true } },
    handler: async (request, reply) => {
      const batch = await app.exchange.getBatchWithErrorsOrThrow(
        requirePrincipal(request),
        request.params.id,
      );
      const output = new PassThrough();
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`导入错误明细-批次${batch.id}.xlsx`)}`,
        );
      app.exchange.writeErrorsXlsx(batch, output).catch((error) => {
        request.log.error({ err: error }, 'import errors export failed');
        output.destroy(error);
      });
      return reply.send(output);
    },
  });

  app.post('/national', {
    schema: {
      tags: ['imports'],
      summary: '上传国家系统监测对象文件（xlsx/csv）并在后台导入；字段 file、dryRun、year',
      consumes: ['multipart/form-data'],
      response: { 202: StartImportSchema },
    },
    config: { access: { permission: 'imports:run', regionBound: false } },
    handler: async (request, reply) => {
      const principal = requirePrincipal(request);
      const upload = await receiveUpload(request, uploadDir);
      const year = upload.fields.year?.trim() ? Number(upload.fields.year) : undefined;
      const started = await app.exchange.startNationalImport({
        filePath: upload.filePath,
        fileName: upload.fileName,
        principal,
        dryRun: upload.fields.dryRun === 'true',
        year,
        ip: request.ip,
        afterwards: () => unlink(upload.filePath).catch(() => {}),
      });
      return reply.status(202).send(started);
    },
  });
};
