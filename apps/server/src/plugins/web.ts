import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** Serves the built web app; unknown non-API paths get index.html (client-side routes). */
export const webPlugin = fp<{ distDir: string }>(
  async (app, options) => {
    const hasBuild = existsSync(path.join(options.distDir, 'index.html'));
    if (hasBuild) {
      await app.register(fastifyStatic, { root: options.distDir, wildcard: false, index: ['index.html'] });
    }
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/') || request.method !== 'GET' || !hasBuild) {
        return reply
          .status(404)
          .send({ code: 'common.not_found', message: `接口不存在：${request.method} ${request.url}` });
      }
      return reply.type('text/html').sendFile('index.html');
    });
  },
  { name: 'web' },
);
