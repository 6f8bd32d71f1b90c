import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  difficultyTypeOptions,
  ReceivedSchema,
  SelfReportBody,
  SelfReportFormSchema,
  TokenParams,
} from './monitoring.schema.ts';

/** The farmers' page behind the village QR code: no sign-in, rate-limited per address. */
export const selfReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/self-report/:token', {
    schema: {
      tags: ['monitoring'],
      summary: '农户自主申报：扫码打开表单',
      params: TokenParams,
      response: { 200: SelfReportFormSchema },
    },
    config: { access: { public: true }, rateLimit: { max: 30, timeWindow: '10 minutes' } },
    handler: async (request) => ({
      ...(await app.monitoring.openSelfReport(request.params.token)),
      difficultyTypes: difficultyTypeOptions,
    }),
  });

  app.post('/self-report', {
    schema: {
      tags: ['monitoring'],
      summary: '农户自主申报：提交',
      body: SelfReportBody,
      response: { 200: ReceivedSchema },
    },
    config: { access: { public: true }, rateLimit: { max: 5, timeWindow: '10 minutes' } },
    handler: async (request) => app.monitoring.submitSelfReport(request.body, request.ip),
  });
};
