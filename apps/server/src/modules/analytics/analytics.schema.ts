import { Type } from 'typebox';
import { householdTypeFilters, monitoredFilters, reportNames } from './analytics.reports.ts';

const literals = (values: readonly string[]) => values.map((value) => Type.Literal(value));

export const ReportParams = Type.Object({ name: Type.Union(literals(reportNames)) });

export const ReportQuerySchema = Type.Object({
  regionCode: Type.String({
    pattern: '^\\d{12}$',
    description: '所选区划（12 位）：行为其下一级，合计为其本身',
  }),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: '统计年度' })),
  householdType: Type.Optional(
    Type.Union(literals(Object.keys(householdTypeFilters)), {
      description: '户类型（脱贫户享受/不享受政策等）',
    }),
  ),
  monitored: Type.Optional(
    Type.Union(literals(Object.keys(monitoredFilters)), { description: '监测对象：风险已消除/未消除等' }),
  ),
  eliminationYear: Type.Optional(
    Type.Integer({ minimum: 2000, maximum: 2100, description: '消除年度（仅识别至消除间隔报表）' }),
  ),
});

const ReportRowSchema = Type.Object({
  regionCode: Type.String(),
  regionName: Type.String(),
  level: Type.String(),
  hasChildren: Type.Boolean(),
  values: Type.Array(Type.Number()),
});

/** The region a view is of, and its path from the caller's top region (drill-up links). */
export const RegionSummarySchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  fullName: Type.String(),
  level: Type.String(),
});
export const RegionPathSchema = Type.Array(
  Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
);

export const ReportViewSchema = Type.Object({
  report: Type.Object({
    name: Type.String(),
    title: Type.String(),
    description: Type.String(),
    eliminationYearFilter: Type.Boolean(),
  }),
  region: RegionSummarySchema,
  path: RegionPathSchema,
  filters: Type.Object({
    year: Type.Integer(),
    householdType: Type.Union([Type.String(), Type.Null()]),
    monitored: Type.Union([Type.String(), Type.Null()]),
    eliminationYear: Type.Union([Type.Integer(), Type.Null()]),
  }),
  filterText: Type.String(),
  years: Type.Array(Type.Integer()),
  eliminationYears: Type.Array(Type.Integer()),
  referenceDate: Type.String(),
  dataDate: Type.String({ description: '统计数据生成时间（ISO）' }),
  columns: Type.Array(
    Type.Object({
      key: Type.String(),
      path: Type.Array(Type.String()),
      measure: Type.Union([Type.Literal('households'), Type.Literal('persons')]),
    }),
  ),
  rows: Type.Array(ReportRowSchema),
  totals: ReportRowSchema,
});

export const ReportListSchema = Type.Object({
  items: Type.Array(Type.Object({ name: Type.String(), title: Type.String(), description: Type.String() })),
  householdTypes: Type.Array(Type.Object({ value: Type.String(), label: Type.String() })),
  monitoredStates: Type.Array(Type.Object({ value: Type.String(), label: Type.String() })),
  dataDate: Type.Union([Type.String(), Type.Null()]),
});

export const RefreshResultSchema = Type.Object({
  years: Type.Array(Type.Integer()),
  referenceDates: Type.Record(Type.String(), Type.String()),
  cubeRows: Type.Integer(),
  milliseconds: Type.Integer(),
});
