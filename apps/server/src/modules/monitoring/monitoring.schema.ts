import { codeTables } from '@shouwang/domain';
import { type TSchema, Type } from 'typebox';

const Nullable = <Schema extends TSchema>(schema: Schema) => Type.Union([schema, Type.Null()]);
const NullableString = Nullable(Type.String());
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Json = Type.Record(Type.String(), Type.Unknown());

export const IdParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }) });
export const AttachmentParams = Type.Object({
  id: Type.String({ pattern: '^\\d{1,18}$' }),
  attachmentId: Type.String({ pattern: '^\\d{1,18}$' }),
});
export const ObjectionParams = Type.Object({
  id: Type.String({ pattern: '^\\d{1,18}$' }),
  objectionId: Type.String({ pattern: '^\\d{1,18}$' }),
});
export const VillageParams = Type.Object({ code: Type.String({ pattern: '^\\d{12}$' }) });
export const TokenParams = Type.Object({ token: Type.String({ maxLength: 64 }) });

const Paging = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};

const reportFields = {
  name: Type.String({ maxLength: 50 }),
  idNumber: Type.String({ maxLength: 22 }),
  phone: Type.Optional(Type.String({ maxLength: 20 })),
  difficultyTypes: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 11 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  consent: Type.Boolean(),
};

export const SelfReportFormSchema = Type.Object({
  villageName: Type.String(),
  challenge: Type.String(),
  difficultyTypes: Type.Array(Type.Object({ code: Type.String(), label: Type.String() })),
});

export const SelfReportBody = Type.Object({
  token: Type.String({ maxLength: 64 }),
  challenge: Type.String({ maxLength: 400 }),
  /** The honeypot: hidden from people, must stay empty. */
  website: Type.Optional(Type.String({ maxLength: 200 })),
  ...reportFields,
});
export const ReceivedSchema = Type.Object({ received: Type.Boolean() });

export const VisitBody = Type.Object({
  villageCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
  ...reportFields,
});
export const LeadCreatedSchema = Type.Object({ id: Type.String(), reportCount: Type.Integer() });

export const LeadListQuery = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('open'), Type.Literal('case_opened'), Type.Literal('dismissed')]),
  ),
  ...Paging,
});

const LeadSchema = Type.Object({
  id: Type.String(),
  regionCode: Type.String(),
  regionFullName: Type.String(),
  channel: Type.String(),
  status: Type.String(),
  householdId: NullableString,
  householdNo: NullableString,
  name: NullableString,
  /** Masked, like every list of personal data. */
  idNumber: NullableString,
  phone: NullableString,
  difficultyTypes: Type.Array(Type.String()),
  description: NullableString,
  reportCount: Type.Integer(),
  caseId: NullableString,
  dismissalKind: NullableString,
  dismissalReason: NullableString,
  dismissedByUsername: NullableString,
  dismissedAt: NullableString,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export const LeadListSchema = Type.Object({ items: Type.Array(LeadSchema) });
export const LeadDetailSchema = Type.Object({
  ...LeadSchema.properties,
  reports: Type.Array(
    Type.Object({
      id: Type.String(),
      channel: Type.String(),
      difficultyTypes: Type.Array(Type.String()),
      description: NullableString,
      sourceDetail: Json,
      receivedAt: Type.String(),
    }),
  ),
});

export const dismissalKindLabels = {
  duplicate: '重复上报',
  not_in_difficulty: '经核实不存在困难',
  wrong_village: '不是本村（乡镇）农户',
  other: '其他',
} as const;
export const DismissLeadBody = Type.Object({
  kind: Type.Union([
    Type.Literal('duplicate'),
    Type.Literal('not_in_difficulty'),
    Type.Literal('wrong_village'),
    Type.Literal('other'),
  ]),
  reason: Type.String({ maxLength: 1000 }),
});

export const CaseCreatedSchema = Type.Object({ id: Type.String() });

const CaseSummary = {
  id: Type.String(),
  kind: Type.String(),
  regionCode: Type.String(),
  regionFullName: Type.String(),
  /** Null while a case about a person not in the registry waits for verification to record the household. */
  householdId: NullableString,
  householdNo: NullableString,
  /** Masked: the ID number of a case without a household yet. */
  idNumber: NullableString,
  headName: NullableString,
  state: Type.String(),
  stateLabel: Type.String(),
  version: Type.Integer(),
  stepStartedAt: Type.String(),
  stepDueAt: NullableString,
  chainDueAt: NullableString,
  overdue: Type.Boolean(),
  outcome: NullableString,
  outcomeReason: NullableString,
  closedAt: NullableString,
};
export const CaseListQuery = Type.Object({
  kind: Type.Optional(Type.Union([Type.Literal('identification'), Type.Literal('elimination')])),
  state: Type.Optional(Type.String({ maxLength: 40 })),
  open: Type.Optional(Type.Boolean()),
  overdue: Type.Optional(Type.Boolean()),
  householdId: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
  regionCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
  ...Paging,
});
export const CaseListItemSchema = Type.Object(CaseSummary);
export const CaseListSchema = Type.Object({ items: Type.Array(CaseListItemSchema) });

export const StepSchema = Type.Object({
  state: Type.String(),
  label: Type.String(),
  role: Type.String(),
  roleLabel: Type.String(),
  level: Type.String(),
  canReject: Type.Boolean(),
  returnTo: NullableString,
  limitSetting: Type.String(),
  limitUnit: Type.String(),
});

export const CaseDetailSchema = Type.Object({
  ...CaseSummary,
  leadId: NullableString,
  proposedCategory: NullableString,
  proposedRisks: Type.Array(Type.String()),
  proposedMeasures: Type.Array(Type.String()),
  eliminationMethod: NullableString,
  stepData: Json,
  steps: Type.Array(StepSchema),
  allowedActions: Type.Array(Type.String()),
  transitions: Type.Array(
    Type.Object({
      id: Type.String(),
      fromState: NullableString,
      fromLabel: NullableString,
      toState: Type.String(),
      toLabel: Type.String(),
      action: Type.String(),
      reason: NullableString,
      data: Json,
      actorUsername: NullableString,
      actorRole: NullableString,
      occurredAt: Type.String(),
    }),
  ),
  notice: Nullable(Type.Object({ startsOn: Type.String(), endsOn: Type.String(), place: Type.String() })),
  objections: Type.Array(
    Type.Object({
      id: Type.String(),
      receivedOn: Type.String(),
      objector: NullableString,
      content: Type.String(),
      resolution: NullableString,
    }),
  ),
  attachments: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      fileName: Type.String(),
      mediaType: Type.String(),
      sizeBytes: Type.Integer(),
      sha256: Type.String(),
      uploadedAt: Type.String(),
    }),
  ),
  criteria: Nullable(
    Type.Object({
      withoutLabour: Type.Boolean(),
      items: Type.Array(
        Type.Object({
          key: Type.String(),
          label: Type.String(),
          fromData: Nullable(Type.Boolean()),
          evidence: Type.String(),
          attested: Type.Boolean(),
          needsAttestation: Type.Boolean(),
          holds: Type.Boolean(),
        }),
      ),
    }),
  ),
});

export const TransitionBody = Type.Object({
  action: Type.Union([Type.Literal('pass'), Type.Literal('reject'), Type.Literal('return')]),
  version: Type.Integer({ minimum: 1, description: '打开案件时读到的 version，用于检测并发办理' }),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
  data: Type.Optional(Json),
});

export const NoticeBody = Type.Object({ startsOn: Day, endsOn: Day, place: Type.String({ maxLength: 200 }) });
export const ObjectionBody = Type.Object({
  receivedOn: Day,
  objector: Type.Optional(Type.String({ maxLength: 50 })),
  content: Type.String({ maxLength: 2000 }),
});
export const ResolutionBody = Type.Object({ resolution: Type.String({ maxLength: 2000 }) });

export const SelfReportLinkSchema = Type.Object({ token: Type.String(), path: Type.String() });

export const WorkflowSchema = Type.Object({
  identification: Type.Array(StepSchema),
  elimination: Type.Array(StepSchema),
});

export const TodosSchema = Type.Object({
  openLeads: Type.Integer(),
  counts: Type.Array(
    Type.Object({
      kind: Type.String(),
      state: Type.String(),
      label: Type.String(),
      total: Type.Integer(),
      overdue: Type.Integer(),
    }),
  ),
  items: Type.Array(CaseListItemSchema),
});

export const MonthQuery = Type.Object({
  month: Type.String({ pattern: '^\\d{6}$', description: '年月，如 202611' }),
});

export const ProgressQuery = Type.Object({
  regionCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
});
export const ProgressSchema = Type.Object({
  regionCode: Type.String(),
  regionName: Type.String(),
  items: Type.Array(
    Type.Object({
      regionCode: Type.String(),
      regionName: Type.String(),
      open: Type.Integer(),
      overdue: Type.Integer(),
      approved: Type.Integer(),
      byState: Type.Record(Type.String(), Type.Integer()),
    }),
  ),
});

export const difficultyTypeOptions = codeTables.riskType.map((item) => ({
  code: item.code,
  label: item.label,
}));
