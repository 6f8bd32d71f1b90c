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

  const CalendarDay = Type.Object({
    day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]),
    name: Type.String({ maxLength: 50 }),
  });

  app.get('/calendar', {
    schema: {
      tags: ['settings'],
      summary: '工作日历：已登记的年份，及某年的节假日和调休上班日',
      querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }),
      response: {
        200: Type.Object({
          years: Type.Array(
            Type.Object({ year: Type.Integer(), holidays: Type.Integer(), workdays: Type.Integer() }),
          ),
          days: Type.Array(CalendarDay),
        }),
      },
    },
    config: { access: { permission: 'settings:read', regionBound: false } },
    handler: async (request) => ({
      years: await app.workingCalendar.listYears(),
      days: request.query.year ? await app.workingCalendar.listYear(request.query.year) : [],
    }),
  });

  app.put('/calendar/:year', {
    schema: {
      tags: ['settings'],
      summary: '登记（替换）某年的节假日和调休上班日（按国务院办公厅通知）',
      params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
      body: Type.Object({ days: Type.Array(CalendarDay, { maxItems: 200 }) }),
      response: { 200: Type.Object({ year: Type.Integer(), days: Type.Integer() }) },
    },
    config: { access: { permission: 'settings:write', regionBound: false } },
    handler: async (request) => {
      const principal = requirePrincipal(request);
      await app.workingCalendar.replaceYear(request.params.year, request.body.days);
      await app.audit.record({
        action: 'settings.calendar_update',
        actor: principal,
        ip: request.ip,
        targetType: 'working_calendar',
        targetId: String(request.params.year),
        outcome: 'success',
        detail: { days: request.body.days.length },
      });
      return { year: request.params.year, days: request.body.days.length };
    },
  });
};
