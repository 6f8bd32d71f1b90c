import { Type } from 'typebox';
import { RegionPathSchema, RegionSummarySchema } from './analytics.schema.ts';

export const DashboardQuerySchema = Type.Object({
  regionCode: Type.Optional(
    Type.String({ pattern: '^\\d{12}$', description: '所选区划（12 位），缺省为本人所在区划' }),
  ),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: '统计年度' })),
});

const CountPair = Type.Object({ households: Type.Integer(), persons: Type.Integer() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const DashboardSchema = Type.Object({
  region: RegionSummarySchema,
  path: RegionPathSchema,
  year: Type.Integer(),
  years: Type.Array(Type.Integer()),
  referenceDate: Type.String(),
  dataDate: Type.String({ description: '统计数据生成时间（ISO）' }),
  headline: Type.Object({
    assisted: CountPair,
    lifted: CountPair,
    monitored: CountPair,
    eliminated: CountPair,
    notEliminated: CountPair,
    identifiedThisYear: CountPair,
    eliminatedThisYear: CountPair,
    openFindings: Nullable(Type.Integer()),
    openCases: Nullable(Type.Integer()),
    overdueCases: Nullable(Type.Integer()),
  }),
  categories: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Type.String(),
      households: Type.Integer(),
      persons: Type.Integer(),
    }),
  ),
  monthly: Type.Array(
    Type.Object({
      month: Type.String({ description: 'YYYY-MM' }),
      identified: CountPair,
      eliminated: CountPair,
    }),
  ),
  structures: Type.Array(
    Type.Object({
      key: Type.String(),
      title: Type.String(),
      items: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), value: Type.Integer() })),
    }),
  ),
  children: Type.Array(
    Type.Object({
      regionCode: Type.String(),
      regionName: Type.String(),
      level: Type.String(),
      hasChildren: Type.Boolean(),
      assisted: CountPair,
      liftedHouseholds: Type.Integer(),
      monitoredHouseholds: Type.Integer(),
      notEliminatedHouseholds: Type.Integer(),
      monitoredShare: Type.Number(),
    }),
  ),
  qualityRanking: Nullable(
    Type.Array(
      Type.Object({
        regionCode: Type.String(),
        regionName: Type.String(),
        households: Type.Integer(),
        flaggedHouseholds: Type.Integer(),
        qualityRate: Type.Number(),
        found: Type.Integer(),
        open: Type.Integer(),
        fixed: Type.Integer(),
        rectificationRate: Type.Number(),
      }),
    ),
  ),
});
