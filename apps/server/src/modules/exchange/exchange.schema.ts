import { Type } from 'typebox';

const Counts = Type.Object({
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  markedAbsent: Type.Integer(),
});

export const ImportSummarySchema = Type.Object({
  batchId: Type.String(),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  dryRun: Type.Boolean(),
  rowsRead: Type.Integer(),
  households: Counts,
  persons: Counts,
  rowsRejected: Type.Integer(),
  errors: Type.Array(
    Type.Object({ row: Type.Integer(), column: Type.String(), value: Type.String(), reason: Type.String() }),
  ),
  unknownColumns: Type.Array(Type.String()),
  unknownValues: Type.Array(
    Type.Object({ column: Type.String(), value: Type.String(), count: Type.Integer() }),
  ),
  countyTotals: Type.Array(
    Type.Object({
      countyCode: Type.String(),
      countyName: Type.String(),
      fileHouseholds: Type.Integer(),
      filePersons: Type.Integer(),
      platformHouseholds: Type.Integer(),
      platformPersons: Type.Integer(),
    }),
  ),
  seconds: Type.Number(),
});

const BatchStatus = Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]);

export const BatchSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  fileName: Type.String(),
  fileSize: Type.Union([Type.Integer(), Type.Null()]),
  statisticsYear: Type.Union([Type.Integer(), Type.Null()]),
  dryRun: Type.Boolean(),
  status: BatchStatus,
  phase: Type.Union([Type.String(), Type.Null()]),
  rowsRead: Type.Integer(),
  actorUsername: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.String(),
  regionFullName: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  /**
   * `full`: imported within the caller's region. `covering`: imported by a region above it and covering
   * some of its counties; the summary then holds only those counties' totals, no row errors or values.
   */
  view: Type.Union([Type.Literal('full'), Type.Literal('covering')]),
  /** Present once the import has finished with a result (not for file-level failures). */
  summary: Type.Union([ImportSummarySchema, Type.Null()]),
});

export const BatchListSchema = Type.Object({
  items: Type.Array(BatchSchema),
  total: Type.Integer(),
});

export const BatchListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

export const BatchIdParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }) });

export const StartImportSchema = Type.Object({ batchId: Type.String() });
