import { Type } from 'typebox';
import { RegionPathSchema, RegionSummarySchema } from './analytics.schema.ts';

const Scope = Type.Union([Type.Literal('person'), Type.Literal('household')], {
  description: 'person：按人员筛选（条件写人员字段）；household：按农户筛选（成员条件写在 any/all/count 内）',
});
const Expression = Type.String({
  minLength: 1,
  maxLength: 4000,
  description: '统计条件，数据质量规则语言的表达式（与规则库共用字段与函数）',
});

export const CustomCheckBody = Type.Object({ expression: Expression, scope: Scope });

export const CustomCheckSchema = Type.Object({
  ok: Type.Boolean(),
  error: Type.Optional(
    Type.Object({
      message: Type.String(),
      line: Type.Integer(),
      column: Type.Integer(),
      length: Type.Integer(),
    }),
  ),
});

const customQueryProperties = {
  expression: Expression,
  scope: Scope,
  regionCode: Type.Optional(
    Type.String({ pattern: '^\\d{12}$', description: '所选区划（12 位），默认为本人所在区划' }),
  ),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: '统计年度' })),
  title: Type.Optional(Type.String({ maxLength: 100, description: '导出文件标题（如已存统计的名称）' })),
};

export const CustomQuerySchema = Type.Object(customQueryProperties);

export const CustomPersonQuerySchema = Type.Object({
  ...customQueryProperties,
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
});

const CountRowSchema = Type.Object({
  regionCode: Type.String(),
  regionName: Type.String(),
  level: Type.String(),
  hasChildren: Type.Boolean(),
  households: Type.Integer(),
  persons: Type.Integer(),
});

export const CustomCountViewSchema = Type.Object({
  expression: Type.String(),
  scope: Scope,
  region: RegionSummarySchema,
  path: RegionPathSchema,
  year: Type.Integer(),
  referenceDate: Type.String(),
  incomeLine: Type.Number(),
  conditionText: Type.String(),
  rows: Type.Array(CountRowSchema),
  totals: CountRowSchema,
  dataDate: Type.String({ format: 'date-time' }),
});

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const CustomPersonListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Nullable(Type.String()),
      idNumber: Nullable(Type.String({ description: '已脱敏' })),
      relation: Nullable(Type.String()),
      gender: Nullable(Type.String()),
      age: Type.Union([Type.Integer(), Type.Null()]),
      ethnicity: Nullable(Type.String()),
      education: Nullable(Type.String()),
      schooling: Nullable(Type.String()),
      health: Nullable(Type.String()),
      laborSkill: Nullable(Type.String()),
      workLocation: Nullable(Type.String()),
      dibao: Nullable(Type.String()),
      tekun: Nullable(Type.String()),
      householdNo: Type.String(),
      regionCode: Type.String(),
      countyName: Nullable(Type.String()),
      townshipName: Nullable(Type.String()),
      villageName: Nullable(Type.String()),
      householdType: Nullable(Type.String()),
      monitoringCategory: Nullable(Type.String()),
      riskEliminated: Type.Union([Type.Boolean(), Type.Null()]),
    }),
  ),
  total: Type.Integer(),
  referenceDate: Type.String(),
});

export const SavedStatisticSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  expression: Type.String(),
  scope: Scope,
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export const SavedStatisticListSchema = Type.Object({ items: Type.Array(SavedStatisticSchema) });

export const SavedStatisticBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
  expression: Expression,
  scope: Scope,
  note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
});

export const SavedStatisticParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }) });
