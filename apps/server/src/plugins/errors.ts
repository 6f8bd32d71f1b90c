import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** An error the client may see: a stable code, an HTTP status and a zh-CN message for the user. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Shared codes; each module adds its own in `<module>.errors.ts`. */
export const commonErrors = {
  notFound: () => new AppError('common.not_found', 404, '记录不存在或无权访问'),
  unauthenticated: () => new AppError('common.unauthenticated', 401, '请先登录'),
  forbidden: () => new AppError('common.forbidden', 403, '没有执行此操作的权限'),
  csrf: () => new AppError('common.csrf', 403, '请求校验失败，请刷新页面后重试'),
  rateLimited: () => new AppError('common.rate_limited', 429, '操作过于频繁，请稍后再试'),
};

export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      if (error instanceof AppError) {
        const body: ErrorBody = { code: error.code, message: error.message, details: error.details };
        return reply.status(error.statusCode).send(body);
      }
      if ('validation' in error && error.validation) {
        return reply.status(400).send({
          code: 'common.invalid_request',
          message: `请求参数不正确：${error.message}`,
        } satisfies ErrorBody);
      }
      const status = error.statusCode ?? 500;
      if (status === 429) {
        return reply.status(429).send({ code: 'common.rate_limited', message: '操作过于频繁，请稍后再试' });
      }
      if (status >= 500) {
        request.log.error({ err: error }, 'unhandled error');
        return reply.status(500).send({ code: 'common.internal', message: '服务器内部错误，请稍后再试' });
      }
      return reply.status(status).send({ code: error.code ?? 'common.bad_request', message: error.message });
    });
  },
  { name: 'errors' },
);
