import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type {
  Database,
  DismissalKind,
  LeadChannel,
  LeadStatus,
  MonitoringCaseTable,
} from '../../db/database.ts';
import { withRegionScope } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';

type Executor = Kysely<Database>;

function isRowId(id: string): boolean {
  return /^\d{1,18}$/.test(id);
}

const dayText = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

export interface LeadIntake {
  regionCode: string;
  channel: LeadChannel;
  mergeKey: string;
  householdId: string | null;
  name: string | null;
  idNumber: string | null;
  phone: string | null;
  difficultyTypes: string[];
  description: string | null;
  consent: boolean;
  sourceDetail: Record<string, unknown>;
  userId: string | null;
  ip: string | null;
}

export type CaseRow = Awaited<ReturnType<MonitoringRepository['findCase']>> & {};

export class MonitoringRepository {
  constructor(private readonly db: DB) {}

  // ---------------------------------------------------------------------------------------------
  // Leads

  /**
   * One statement per report: a new open lead, or — when an open lead of the same household (or ID
   * number) exists — the same lead with one more report and the union of the difficulty types.
   */
  async mergeLead(executor: Executor, intake: LeadIntake): Promise<{ id: string; reportCount: number }> {
    const lead = await executor
      .insertInto('monitoringLeads')
      .values({
        regionCode: intake.regionCode,
        channel: intake.channel,
        mergeKey: intake.mergeKey,
        householdId: intake.householdId,
        name: intake.name,
        idNumber: intake.idNumber,
        phone: intake.phone,
        difficultyTypes: intake.difficultyTypes,
        description: intake.description,
      })
      .onConflict((conflict) =>
        conflict.column('mergeKey').where('status', '=', 'open').doUpdateSet({
          reportCount: sql<number>`monitoring_leads.report_count + 1`,
          difficultyTypes: sql<
            string[]
          >`ARRAY(SELECT DISTINCT unnest(monitoring_leads.difficulty_types || excluded.difficulty_types) ORDER BY 1)`,
          description: sql<string>`coalesce(excluded.description, monitoring_leads.description)`,
          phone: sql<string>`coalesce(excluded.phone, monitoring_leads.phone)`,
          updatedAt: sql<Date>`now()`,
        }),
      )
      .returning(['id', 'reportCount'])
      .executeTakeFirstOrThrow();
    await executor
      .insertInto('monitoringLeadReports')
      .values({
        leadId: lead.id,
        regionCode: intake.regionCode,
        channel: intake.channel,
        name: intake.name,
        phone: intake.phone,
        difficultyTypes: intake.difficultyTypes,
        description: intake.description,
        consent: intake.consent,
        sourceDetail: JSON.stringify(intake.sourceDetail),
        userId: intake.userId,
        ip: intake.ip,
      })
      .execute();
    return lead;
  }

  private leads(executor: Executor, scope: RegionRange) {
    return withRegionScope(executor.selectFrom('monitoringLeads as lead'), scope, 'lead.regionCode')
      .innerJoin('regions as village', 'village.code', 'lead.regionCode')
      .leftJoin('households as h', 'h.id', 'lead.householdId')
      .select([
        'lead.id',
        'lead.regionCode',
        'village.fullName as regionFullName',
        'lead.channel',
        'lead.status',
        'lead.householdId',
        'h.householdNo',
        'lead.name',
        'lead.idNumber',
        'lead.phone',
        'lead.difficultyTypes',
        'lead.description',
        'lead.reportCount',
        'lead.caseId',
        'lead.dismissalReason',
        'lead.dismissalKind',
        'lead.dismissedByUsername',
        'lead.dismissedAt',
        'lead.createdAt',
        'lead.updatedAt',
      ]);
  }

  async findLead(options: { id: string; scope: RegionRange }) {
    if (!isRowId(options.id)) return undefined;
    return this.leads(this.db, options.scope).where('lead.id', '=', options.id).executeTakeFirst();
  }

  async lockLead(executor: Executor, options: { id: string; scope: RegionRange }) {
    if (!isRowId(options.id)) return undefined;
    return this.leads(executor, options.scope)
      .where('lead.id', '=', options.id)
      .forUpdate('lead')
      .executeTakeFirst();
  }

  async searchLeads(options: { scope: RegionRange; status?: LeadStatus; offset: number; limit: number }) {
    return this.leads(this.db, options.scope)
      .$call((query) => (options.status ? query.where('lead.status', '=', options.status) : query))
      .orderBy('lead.updatedAt', 'desc')
      .orderBy('lead.id', 'desc')
      .offset(options.offset)
      .limit(options.limit)
      .execute();
  }

  async listLeadReports(options: { leadId: string; scope: RegionRange }) {
    return withRegionScope(
      this.db.selectFrom('monitoringLeadReports as report'),
      options.scope,
      'report.regionCode',
    )
      .select([
        'report.id',
        'report.channel',
        'report.difficultyTypes',
        'report.description',
        'report.sourceDetail',
        'report.receivedAt',
      ])
      .where('report.leadId', '=', options.leadId)
      .orderBy('report.receivedAt')
      .execute();
  }

  async closeLead(
    executor: Executor,
    id: string,
    changes: {
      status: LeadStatus;
      caseId?: string;
      dismissalKind?: DismissalKind;
      dismissalReason?: string;
      dismissedBy?: string | null;
      dismissedByUsername?: string;
    },
  ): Promise<void> {
    await executor
      .updateTable('monitoringLeads')
      .set({
        ...changes,
        ...(changes.status === 'dismissed' ? { dismissedAt: sql<Date>`now()` } : {}),
        updatedAt: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
  }

  // ---------------------------------------------------------------------------------------------
  // Cases

  async insertCase(
    executor: Executor,
    values: Pick<
      MonitoringCaseTable,
      | 'kind'
      | 'regionCode'
      | 'householdId'
      | 'idNumber'
      | 'leadId'
      | 'state'
      | 'stepDueAt'
      | 'chainDueAt'
      | 'createdBy'
    > & { stepStartedAt: Date },
  ): Promise<string> {
    const row = await executor
      .insertInto('monitoringCases')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  private cases(executor: Executor, scope: RegionRange) {
    return (
      withRegionScope(executor.selectFrom('monitoringCases as c'), scope, 'c.regionCode')
        .innerJoin('regions as village', 'village.code', 'c.regionCode')
        // a case about a person not in the registry has no household until verification records it
        .leftJoin('households as h', 'h.id', 'c.householdId')
        .select((eb) => [
          'c.id',
          'c.kind',
          'c.regionCode',
          'village.fullName as regionFullName',
          'c.householdId',
          'h.householdNo',
          'c.idNumber',
          'c.leadId',
          'c.state',
          'c.version',
          'c.stepStartedAt',
          'c.stepDueAt',
          'c.chainDueAt',
          'c.proposedCategory',
          'c.proposedRisks',
          'c.proposedMeasures',
          'c.eliminationMethod',
          'c.stepData',
          'c.outcome',
          'c.outcomeReason',
          'c.createdAt',
          'c.updatedAt',
          'c.closedAt',
          sql<string | null>`coalesce(${eb
            .selectFrom('persons as head')
            .select('head.name')
            .whereRef('head.householdId', '=', 'c.householdId')
            .where('head.relation', '=', 'head')
            .orderBy('head.id')
            .limit(
              1,
            )}, ${eb.selectFrom('monitoringLeads as lead').select('lead.name').whereRef('lead.id', '=', 'c.leadId')})`.as(
            'headName',
          ),
          sql<boolean>`c.closed_at IS NULL AND c.step_due_at < now()`.as('overdue'),
        ])
    );
  }

  async findCase(options: { id: string; scope: RegionRange }) {
    if (!isRowId(options.id)) return undefined;
    return this.cases(this.db, options.scope).where('c.id', '=', options.id).executeTakeFirst();
  }

  async lockCase(executor: Executor, options: { id: string; scope: RegionRange }) {
    if (!isRowId(options.id)) return undefined;
    return this.cases(executor, options.scope)
      .where('c.id', '=', options.id)
      .forUpdate('c')
      .executeTakeFirst();
  }

  async hasOpenCase(
    executor: Executor,
    options: { householdId: string | null; idNumber: string | null; kind: string },
  ): Promise<boolean> {
    const row = await executor
      .selectFrom('monitoringCases')
      .select('id')
      .$call((query) =>
        options.householdId
          ? query.where('householdId', '=', options.householdId)
          : query.where('householdId', 'is', null).where('idNumber', '=', options.idNumber ?? ''),
      )
      .where('kind', '=', options.kind as 'identification')
      .where('closedAt', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The household verification recorded for a case that started without one. */
  async setCaseHousehold(executor: Executor, id: string, householdId: string): Promise<void> {
    await executor
      .updateTable('monitoringCases')
      .set({ householdId, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .where('householdId', 'is', null)
      .execute();
  }

  /** Moves a case on if nobody moved it since `version` was read; answers false when someone did. */
  async advanceCase(
    executor: Executor,
    options: {
      id: string;
      version: number;
      state: string;
      stepDueAt: Date | null;
      closed: boolean;
      outcome?: 'approved' | 'rejected';
      outcomeReason?: string | null;
      proposal?: {
        category?: string | null;
        risks?: string[];
        measures?: string[];
        eliminationMethod?: string | null;
      };
      stepData?: Record<string, unknown>;
    },
  ): Promise<boolean> {
    const result = await executor
      .updateTable('monitoringCases')
      .set({
        state: options.state,
        version: sql<number>`version + 1`,
        stepStartedAt: sql<Date>`now()`,
        stepDueAt: options.stepDueAt,
        updatedAt: sql<Date>`now()`,
        ...(options.closed ? { closedAt: sql<Date>`now()` } : {}),
        ...(options.outcome
          ? { outcome: options.outcome, outcomeReason: options.outcomeReason ?? null }
          : {}),
        ...(options.proposal?.category !== undefined ? { proposedCategory: options.proposal.category } : {}),
        ...(options.proposal?.risks ? { proposedRisks: options.proposal.risks } : {}),
        ...(options.proposal?.measures ? { proposedMeasures: options.proposal.measures } : {}),
        ...(options.proposal?.eliminationMethod !== undefined
          ? { eliminationMethod: options.proposal.eliminationMethod }
          : {}),
        ...(options.stepData
          ? { stepData: sql<string>`step_data || ${JSON.stringify(options.stepData)}::jsonb` }
          : {}),
      })
      .where('id', '=', options.id)
      .where('version', '=', options.version)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async insertTransition(
    executor: Executor,
    values: {
      caseId: string;
      regionCode: string;
      fromState: string | null;
      toState: string;
      action: 'open' | 'pass' | 'reject' | 'return';
      reason: string | null;
      data: Record<string, unknown>;
      userId: string | null;
      actorUsername: string | null;
      actorRole: string | null;
    },
  ): Promise<void> {
    await executor
      .insertInto('monitoringTransitions')
      .values({ ...values, data: JSON.stringify(values.data) })
      .execute();
  }

  async listTransitions(options: { caseId: string; scope: RegionRange }) {
    return withRegionScope(this.db.selectFrom('monitoringTransitions as t'), options.scope, 't.regionCode')
      .select([
        't.id',
        't.fromState',
        't.toState',
        't.action',
        't.reason',
        't.data',
        't.actorUsername',
        't.actorRole',
        't.occurredAt',
      ])
      .where('t.caseId', '=', options.caseId)
      .orderBy('t.occurredAt')
      .orderBy('t.id')
      .execute();
  }

  async searchCases(options: {
    scope: RegionRange;
    region?: RegionRange;
    kind?: string;
    states?: string[];
    open?: boolean;
    overdue?: boolean;
    householdId?: string;
    offset: number;
    limit: number;
  }) {
    return this.cases(this.db, options.scope)
      .$call((query) => (options.region ? withRegionScope(query, options.region, 'c.regionCode') : query))
      .$call((query) => (options.kind ? query.where('c.kind', '=', options.kind as 'identification') : query))
      .$call((query) =>
        options.states && options.states.length > 0 ? query.where('c.state', 'in', options.states) : query,
      )
      .$call((query) => (options.open ? query.where('c.closedAt', 'is', null) : query))
      .$call((query) => (options.overdue ? query.where(sql<boolean>`c.step_due_at < now()`) : query))
      .$call((query) =>
        options.householdId ? query.where('c.householdId', '=', options.householdId) : query,
      )
      .orderBy('c.stepDueAt', 'asc')
      .orderBy('c.id')
      .offset(options.offset)
      .limit(options.limit)
      .execute();
  }

  // ---------------------------------------------------------------------------------------------
  // Notices, objections, attachments

  async upsertNotice(
    executor: Executor,
    values: {
      caseId: string;
      regionCode: string;
      startsOn: string;
      endsOn: string;
      place: string;
      userId: string | null;
    },
  ): Promise<void> {
    await executor
      .insertInto('monitoringNotices')
      .values(values)
      .onConflict((conflict) =>
        conflict.column('caseId').doUpdateSet({
          startsOn: values.startsOn,
          endsOn: values.endsOn,
          place: values.place,
          userId: values.userId,
        }),
      )
      .execute();
  }

  async findNotice(executor: Executor, options: { caseId: string; scope: RegionRange }) {
    return withRegionScope(executor.selectFrom('monitoringNotices as n'), options.scope, 'n.regionCode')
      .select([dayText('n.startsOn').as('startsOn'), dayText('n.endsOn').as('endsOn'), 'n.place'])
      .where('n.caseId', '=', options.caseId)
      .executeTakeFirst();
  }

  async insertObjection(
    executor: Executor,
    values: {
      caseId: string;
      regionCode: string;
      receivedOn: string;
      objector: string | null;
      content: string;
      userId: string | null;
    },
  ): Promise<string> {
    const row = await executor
      .insertInto('monitoringObjections')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async resolveObjection(
    executor: Executor,
    options: { id: string; caseId: string; resolution: string },
  ): Promise<boolean> {
    if (!isRowId(options.id)) return false;
    const result = await executor
      .updateTable('monitoringObjections')
      .set({ resolution: options.resolution, resolvedAt: sql<Date>`now()` })
      .where('id', '=', options.id)
      .where('caseId', '=', options.caseId)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async listObjections(executor: Executor, options: { caseId: string; scope: RegionRange }) {
    return withRegionScope(executor.selectFrom('monitoringObjections as o'), options.scope, 'o.regionCode')
      .select([
        'o.id',
        dayText('o.receivedOn').as('receivedOn'),
        'o.objector',
        'o.content',
        'o.resolution',
        'o.resolvedAt',
      ])
      .where('o.caseId', '=', options.caseId)
      .orderBy('o.id')
      .execute();
  }

  async insertAttachment(
    values: {
      caseId: string;
      regionCode: string;
      kind: string;
      fileName: string;
      mediaType: string;
      sizeBytes: number;
      sha256: string;
      content: Buffer;
      userId: string | null;
    },
    executor: Executor = this.db,
  ): Promise<string> {
    const row = await executor
      .insertInto('monitoringAttachments')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async listAttachments(executor: Executor, options: { caseId: string; scope: RegionRange }) {
    return withRegionScope(executor.selectFrom('monitoringAttachments as a'), options.scope, 'a.regionCode')
      .select(['a.id', 'a.kind', 'a.fileName', 'a.mediaType', 'a.sizeBytes', 'a.sha256', 'a.uploadedAt'])
      .where('a.caseId', '=', options.caseId)
      .orderBy('a.id')
      .execute();
  }

  async findAttachmentContent(options: { caseId: string; id: string; scope: RegionRange }) {
    if (!isRowId(options.id) || !isRowId(options.caseId)) return undefined;
    return withRegionScope(this.db.selectFrom('monitoringAttachments as a'), options.scope, 'a.regionCode')
      .select(['a.id', 'a.fileName', 'a.mediaType', 'a.sha256', 'a.content', 'a.regionCode'])
      .where('a.caseId', '=', options.caseId)
      .where('a.id', '=', options.id)
      .executeTakeFirst();
  }

  // ---------------------------------------------------------------------------------------------
  // Self-report keys and challenges

  async getOrCreateKey(name: string, candidate: Buffer): Promise<Buffer> {
    await this.db
      .insertInto('monitoringKeys')
      .values({ name, secret: candidate })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('monitoringKeys')
      .select('secret')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return row.secret;
  }

  /** Marks a challenge answered; false when it already was. Expired marks are cleared on the way. */
  async useChallenge(executor: Executor, nonce: string, expiresAt: Date): Promise<boolean> {
    await executor.deleteFrom('monitoringUsedChallenges').where('expiresAt', '<', sql<Date>`now()`).execute();
    const row = await executor
      .insertInto('monitoringUsedChallenges')
      .values({ nonce, expiresAt })
      .onConflict((conflict) => conflict.column('nonce').doNothing())
      .returning('nonce')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Households whose case of `kind` was approved in the Beijing month `month` (YYYYMM), within the scope. */
  async listApprovedInMonth(options: {
    scope: RegionRange;
    month: string;
    kind: 'identification' | 'elimination';
  }) {
    const start = `${options.month.slice(0, 4)}-${options.month.slice(4)}-01`;
    const rows = await withRegionScope(
      this.db.selectFrom('monitoringCases as c'),
      options.scope,
      'c.regionCode',
    )
      .select('c.householdId')
      .where('c.kind', '=', options.kind)
      .where('c.outcome', '=', 'approved')
      .where(sql<boolean>`c.closed_at >= (${start}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`)
      .where(
        sql<boolean>`c.closed_at < ((${start}::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai')`,
      )
      .where('c.householdId', 'is not', null)
      .orderBy('c.householdId')
      .execute();
    return rows.map((row) => row.householdId as string);
  }

  // ---------------------------------------------------------------------------------------------
  // Workbench

  /** Open cases waiting on the given steps, within the scope: counts by step, and how many are overdue. */
  async countWaiting(options: { scope: RegionRange; steps: Array<{ kind: string; state: string }> }) {
    if (options.steps.length === 0) return [];
    return withRegionScope(this.db.selectFrom('monitoringCases as c'), options.scope, 'c.regionCode')
      .select([
        'c.kind',
        'c.state',
        sql<string>`count(*)`.as('total'),
        sql<string>`count(*) FILTER (WHERE c.step_due_at < now())`.as('overdue'),
      ])
      .where('c.closedAt', 'is', null)
      .where((eb) =>
        eb.or(
          options.steps.map((step) =>
            eb.and([eb('c.kind', '=', step.kind as 'identification'), eb('c.state', '=', step.state)]),
          ),
        ),
      )
      .groupBy(['c.kind', 'c.state'])
      .execute();
  }

  async listWaiting(options: {
    scope: RegionRange;
    steps: Array<{ kind: string; state: string }>;
    limit: number;
  }) {
    if (options.steps.length === 0) return [];
    return this.cases(this.db, options.scope)
      .where('c.closedAt', 'is', null)
      .where((eb) =>
        eb.or(
          options.steps.map((step) =>
            eb.and([eb('c.kind', '=', step.kind as 'identification'), eb('c.state', '=', step.state)]),
          ),
        ),
      )
      .orderBy('c.stepDueAt')
      .orderBy('c.id')
      .limit(options.limit)
      .execute();
  }

  async countOpenLeads(scope: RegionRange): Promise<number> {
    const row = await withRegionScope(this.db.selectFrom('monitoringLeads as lead'), scope, 'lead.regionCode')
      .select(sql<string>`count(*)`.as('total'))
      .where('lead.status', '=', 'open')
      .executeTakeFirstOrThrow();
    return Number(row.total);
  }

  /** Per child region of `parent` (case rows rolled up to the child's code prefix): cases by state. */
  async progressByChild(options: { scope: RegionRange; parent: RegionRange; childDigits: number }) {
    // a literal, not a parameter, so the grouped and the selected expressions are the same
    const digits = sql.lit(options.childDigits);
    const prefix = sql<string>`left(c.region_code, ${digits})`;
    return withRegionScope(
      withRegionScope(this.db.selectFrom('monitoringCases as c'), options.scope, 'c.regionCode'),
      options.parent,
      'c.regionCode',
    )
      .select([
        sql<string>`rpad(${prefix}, 12, '0')`.as('regionCode'),
        'c.kind',
        'c.state',
        sql<string>`count(*) FILTER (WHERE c.closed_at IS NULL)`.as('open'),
        sql<string>`count(*) FILTER (WHERE c.closed_at IS NULL AND c.step_due_at < now())`.as('overdue'),
        sql<string>`count(*) FILTER (WHERE c.outcome = 'approved')`.as('approved'),
      ])
      .groupBy([prefix, 'c.kind', 'c.state'])
      .execute();
  }

  async regionNames(codes: string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('regions')
      .select(['code', 'name'])
      .where('code', 'in', codes)
      .execute();
    return new Map(rows.map((row) => [row.code, row.name]));
  }
}
