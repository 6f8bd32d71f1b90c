import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requirePrincipal } from '../access/index.ts';

const SettingSchema = Type.Object({
  key: Type.String(),
  label: Type.String(),
  value: Type.Unknown(),
  isDefault: Type.Boolean(),
});

export const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      tags: ['settings'],
      summary: '参数列表',
      response: { 200: Type.Object({ items: Type.Array(SettingSchema) }) },
    },
    config: { access: { permission: 'settings:read', regionBound: false } },
    handler: async () => ({ items: await app.settings.list() }),
  });

  app.put('/:key', {
    schema: {
      tags: ['settings'],
      summary: '修改参数',
      params: Type.Object({ key: Type.String({ maxLength: 100 }) }),
      body: Type.Object({ value: Type.String({ maxLength: 200 }) }),
      response: { 200: Type.Object({ key: Type.String(), value: Type.Unknown() }) },
    },
    config: { access: { permission: 'settings:write', regionBound: false } },
    handler: async (request) => {
      const principal = requirePrincipal(request);
      const value = await app.settings.setFromText(
        request.params.key,
        request.body.value,
        principal.username,
      );
      await app.audit.record({
        action: 'settings.update',
        actor: principal,
        ip: request.ip,
        targetType: 'setting',
        targetId: request.params.key,
        outcome: 'success',
        detail: { value },
      });
      return { key: request.params.key, value };
    },
  });
};
