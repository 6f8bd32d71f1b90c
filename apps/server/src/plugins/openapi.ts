import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { appVersion } from '../version.ts';

export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        info: { title: '守望 · 防返贫动态监测帮扶平台 API', version: appVersion },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'sw_session' },
            csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
          },
        },
        security: [{ session: [], csrf: [] }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  },
  { name: 'openapi' },
);
