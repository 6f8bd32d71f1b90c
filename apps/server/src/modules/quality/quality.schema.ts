import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const RuleScope = Type.Union([Type.Literal('person'), Type.Literal('household')]);
const Severity = Type.Union([Type.Literal('error'), Type.Literal('warning')]);
const Category = Type.String({ minLength: 1, maxLength: 40 });
const FindingStatus = Type.Union([Type.Literal('open'), Type.Literal('fixed'), Type.Literal('exempted')]);
const ExemptionStatus = Type.Union([
  Type.Literal('requested'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('expired'),
]);
const RunTrigger = Type.Union([
  Type.Literal('cli'),
  Type.Literal('ui'),
  Type.Literal('schedule'),
  Type.Literal('import'),
  Type.Literal('recheck'),
]);
const RegionCode = Type.String({ pattern: '^\\d{12}$' });
const Page = Type.Integer({ minimum: 1, default: 1 });
const PageSize = Type.Integer({ minimum: 1, maximum: 200, default: 20 });
const WhenText = Type.String({ minLength: 1, maxLength: 4000 });

export const RuleSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  category: Type.String(),
  scope: RuleScope,
  severity: Severity,
  kind: Type.Union([Type.Literal('expression'), Type.Literal('aggregate')]),
  whenText: Nullable(Type.String()),
  note: Nullable(Type.String()),
  enabled: Type.Boolean(),
  builtin: Type.Boolean(),
  version: Type.Integer(),
  updatedBy: Nullable(Type.String()),
  updatedAt: Type.String(),
});

export const RuleListSchema = Type.Object({ items: Type.Array(RuleSchema) });
export const RuleCodeParams = Type.Object({ code: Type.String({ maxLength: 32 }) });

export const CreateRuleBody = Type.Object({
  code: Type.String({ minLength: 2, maxLength: 32 }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  category: Category,
  scope: RuleScope,
  severity: Severity,
  whenText: WhenText,
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  enabled: Type.Optional(Type.Boolean()),
});

export const UpdateRuleBody = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  category: Type.Optional(Category),
  severity: Type.Optional(Severity),
  whenText: Type.Optional(WhenText),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});

export const RuleVersionListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      version: Type.Integer(),
      change: Type.Union([
        Type.Literal('create'),
        Type.Literal('update'),
        Type.Literal('enable'),
        Type.Literal('disable'),
      ]),
      name: Type.String(),
      category: Type.String(),
      severity: Type.String(),
      previousWhenText: Nullable(Type.String()),
      whenText: Nullable(Type.String()),
      enabled: Type.Boolean(),
      changedBy: Nullable(Type.String()),
      changedAt: Type.String(),
    }),
  ),
});

export const CheckRuleBody = Type.Object({ whenText: Type.String({ maxLength: 4000 }), scope: RuleScope });
export const CheckRuleSchema = Type.Object({
  ok: Type.Boolean(),
  /** Where the text is wrong: 1-based line and column, length of the span, zh-CN message. */
  error: Type.Optional(
    Type.Object({
      message: Type.String(),
      line: Type.Integer(),
      column: Type.Integer(),
      length: Type.Integer(),
    }),
  ),
});

export const PreviewBody = Type.Object({
  whenText: WhenText,
  scope: RuleScope,
  regionCode: Type.Optional(RegionCode),
});
export const PreviewSchema = Type.Object({
  households: Type.Integer(),
  persons: Type.Integer(),
  sample: Type.Array(
    Type.Object({
      householdId: Type.String(),
      householdNo: Type.String(),
      regionCode: Type.String(),
      headName: Nullable(Type.String()),
    }),
  ),
});

const RuleCountSchema = Type.Object({
  code: Type.String(),
  households: Type.Integer(),
  persons: Type.Integer(),
});

export const RunSchema = Type.Object({
  id: Type.String(),
  trigger: RunTrigger,
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  phase: Nullable(Type.String()),
  progress: Type.Number(),
  regionCode: Type.String(),
  householdCount: Nullable(Type.Integer()),
  startedBy: Nullable(Type.String()),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  settings: Type.Object({
    referenceDate: Type.Optional(Type.String()),
    statisticsYear: Type.Optional(Type.Integer()),
    incomeLine: Type.Optional(Type.Number()),
  }),
  ruleCount: Type.Integer(),
  counts: Type.Object({
    found: Type.Optional(Type.Integer()),
    new: Type.Optional(Type.Integer()),
    fixed: Type.Optional(Type.Integer()),
    exemptionsExpired: Type.Optional(Type.Integer()),
    skipped: Type.Optional(Type.Array(Type.Object({ code: Type.String(), reason: Type.String() }))),
    rules: Type.Optional(Type.Array(RuleCountSchema)),
  }),
  error: Nullable(Type.String()),
});

export const RunListQuery = Type.Object({
  trigger: Type.Optional(RunTrigger),
  includeRechecks: Type.Optional(Type.Boolean()),
  page: Page,
  pageSize: PageSize,
});
export const RunListSchema = Type.Object({ items: Type.Array(RunSchema) });
export const IdParams = Type.Object({ id: Type.String({ maxLength: 20 }) });
export const StartRunBody = Type.Object({ regionCode: Type.Optional(RegionCode) });

export const FindingSchema = Type.Object({
  id: Type.String(),
  ruleCode: Type.String(),
  ruleName: Type.String(),
  ruleScope: Type.String(),
  severity: Type.String(),
  category: Type.String(),
  householdId: Type.String(),
  householdNo: Type.String(),
  headName: Nullable(Type.String()),
  personId: Nullable(Type.String()),
  personName: Nullable(Type.String()),
  /** Masked (4101**********1234). */
  idNumber: Nullable(Type.String()),
  regionCode: Type.String(),
  regionFullName: Nullable(Type.String()),
  status: FindingStatus,
  firstSeenAt: Type.String(),
  lastSeenAt: Type.String(),
  fixedAt: Nullable(Type.String()),
  exemptUntil: Nullable(Type.String()),
});

export const FindingListQuery = Type.Object({
  ruleCode: Type.Optional(Type.String({ maxLength: 32 })),
  regionCode: Type.Optional(RegionCode),
  status: Type.Optional(FindingStatus),
  householdId: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
  page: Page,
  pageSize: PageSize,
});
export const FindingListSchema = Type.Object({ items: Type.Array(FindingSchema), total: Type.Integer() });
export const HouseholdFindingsSchema = Type.Object({ items: Type.Array(FindingSchema) });

export const RegionQuery = Type.Object({ regionCode: Type.Optional(RegionCode) });
export const ByRuleSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      category: Type.String(),
      scope: Type.String(),
      severity: Type.String(),
      open: Type.Integer(),
      fixed: Type.Integer(),
      exempted: Type.Integer(),
      openHouseholds: Type.Integer(),
    }),
  ),
});

const RegionCountsSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  households: Type.Integer(),
  flaggedHouseholds: Type.Integer(),
  qualityRate: Type.Number(),
  found: Type.Integer(),
  open: Type.Integer(),
  fixed: Type.Integer(),
  exempted: Type.Integer(),
  rectificationRate: Type.Number(),
});

export const ByRegionQuery = Type.Object({
  regionCode: Type.Optional(RegionCode),
  ruleCode: Type.Optional(Type.String({ maxLength: 32 })),
});
export const ByRegionSchema = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
  total: RegionCountsSchema,
  items: Type.Array(RegionCountsSchema),
});

export const RankingQuery = Type.Object({
  regionCode: Type.Optional(RegionCode),
  orderBy: Type.Optional(Type.Union([Type.Literal('qualityRate'), Type.Literal('rectificationRate')])),
});
export const RankingSchema = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
  total: RegionCountsSchema,
  items: Type.Array(Type.Intersect([RegionCountsSchema, Type.Object({ rank: Type.Integer() })])),
});

export const FindingExportQuery = Type.Object({
  regionCode: Type.Optional(RegionCode),
  ruleCode: Type.Optional(Type.String({ maxLength: 32 })),
  status: Type.Optional(FindingStatus),
});

export const ExemptionSchema = Type.Object({
  id: Type.String(),
  findingId: Type.String(),
  regionCode: Type.String(),
  reason: Type.String(),
  status: ExemptionStatus,
  expiresAt: Type.String(),
  requestedByName: Type.String(),
  requestedAt: Type.String(),
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
  ruleCode: Type.String(),
  ruleName: Type.String(),
  householdId: Type.String(),
  householdNo: Type.String(),
  personId: Nullable(Type.String()),
  personName: Nullable(Type.String()),
});
export const ExemptionListQuery = Type.Object({
  status: Type.Optional(ExemptionStatus),
  findingId: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
  page: Page,
  pageSize: PageSize,
});
export const ExemptionListSchema = Type.Object({ items: Type.Array(ExemptionSchema) });
export const RequestExemptionBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 500 }),
  /** Last day of the exemption (YYYY-MM-DD, Beijing time), at most 3 years ahead. */
  expiresAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
});
export const DecideExemptionBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) });
