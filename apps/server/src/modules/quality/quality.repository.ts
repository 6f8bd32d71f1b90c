import { type CompiledQuery, type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type {
  Database,
  QualityExemptionStatus,
  QualityFindingStatus,
  QualityRunStatus,
  QualityRunTrigger,
} from '../../db/database.ts';
import { regionScopeCondition, withRegionScope } from '../access/region-scope.ts';
import { coveringRegionCodes, type RegionRange } from '../regions/region-code.ts';

type Executor = Kysely<Database>;

export interface RuleRecord {
  code: string;
  name: string;
  category: string;
  scope: 'person' | 'household';
  severity: 'error' | 'warning';
  kind: 'expression' | 'aggregate';
  whenText: string | null;
  note: string | null;
  enabled: boolean;
  builtin: boolean;
  version: number;
  createdAt: Date;
  updatedBy: string | null;
  updatedAt: Date;
}

export interface RunRecord {
  id: string;
  trigger: QualityRunTrigger;
  status: QualityRunStatus;
  phase: string | null;
  progress: number;
  regionCode: string;
  householdCount: number | null;
  startedBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  settings: Record<string, unknown>;
  ruleCount: number;
  counts: Record<string, unknown>;
  error: string | null;
}

/** What a run looks at: a region range, optionally only some households. */
export interface HitFilter {
  scope: RegionRange;
  householdIds?: readonly string[];
}

/** One hit of a rule with its household's village, as a full run's table holds it. */
export interface HitRow {
  ruleCode: string;
  householdId: string;
  personId: string | null;
  regionCode: string;
}

export interface MergeCounts {
  found: number;
  new: number;
  fixed: number;
  exemptionsExpired: number;
}

export interface RuleCount {
  code: string;
  households: number;
  persons: number;
}

export interface FindingFilters {
  scope: RegionRange;
  region?: RegionRange;
  ruleCode?: string;
  status?: QualityFindingStatus;
  householdId?: string;
}

export interface FindingRow {
  id: string;
  ruleCode: string;
  ruleName: string;
  ruleScope: string;
  severity: string;
  category: string;
  householdId: string;
  householdNo: string;
  personId: string | null;
  personName: string | null;
  idNumber: string | null;
  headName: string | null;
  regionCode: string;
  regionFullName: string | null;
  status: QualityFindingStatus;
  firstSeenAt: Date;
  lastSeenAt: Date;
  fixedAt: Date | null;
  exemptUntil: Date | null;
}

export interface ExemptionRow {
  id: string;
  findingId: string;
  regionCode: string;
  reason: string;
  status: QualityExemptionStatus;
  expiresAt: Date;
  requestedBy: string | null;
  requestedByName: string;
  requestedAt: Date;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  ruleCode: string;
  ruleName: string;
  householdId: string;
  householdNo: string;
  personId: string | null;
  personName: string | null;
}

const hitsTable = 'quality_hits';

const householdFilter = (column: string, householdIds: readonly string[] | undefined): Expression<SqlBool> =>
  householdIds ? sql<SqlBool>`${sql.ref(column)} = ANY(${[...householdIds]}::bigint[])` : sql<SqlBool>`true`;

/** The same finding as a hit (a household finding has no person: compared as 0, which is hashable). */
const sameFinding = (finding: string, hit: string): Expression<SqlBool> =>
  sql<SqlBool>`${sql.ref(`${finding}.rule_code`)} = ${sql.ref(`${hit}.rule_code`)}
    AND ${sql.ref(`${finding}.household_id`)} = ${sql.ref(`${hit}.household_id`)}
    AND coalesce(${sql.ref(`${finding}.person_id`)}, 0) = coalesce(${sql.ref(`${hit}.person_id`)}, 0)`;

/**
 * The latest full run after a finding's stored sighting that covered it (its rule, its village): a full
 * run stores sightings only on the findings it changes, and an open finding was seen by every covering
 * run since its stored sighting — one that did not see it would have fixed it.
 */
const coveringRun = (finding: string, column: 'id' | 'merged_at') => sql`(
  SELECT ${sql.ref(`covering.${column}`)} FROM quality_runs AS covering
  WHERE covering.covered_rule_codes IS NOT NULL AND covering.id > ${sql.ref(`${finding}.last_seen_run`)}
    AND ${sql.ref(`${finding}.rule_code`)} = ANY(covering.covered_rule_codes)
    AND ${sql.ref(`${finding}.region_code`)} >= covering.covered_lo
    AND ${sql.ref(`${finding}.region_code`)} < covering.covered_hi
  ORDER BY covering.id DESC LIMIT 1)`;

/**
 * A finding's last sighting, run and time: the stored one, or for an open finding the latest full run
 * that covered it since (fixed and exempted findings store theirs).
 */
export function findingLastSeen(finding: string) {
  const open = sql`${sql.ref(`${finding}.status`)} = 'open'`;
  return {
    run: sql<string>`CASE WHEN ${open} THEN coalesce(${coveringRun(finding, 'id')}, ${sql.ref(`${finding}.last_seen_run`)})
      ELSE ${sql.ref(`${finding}.last_seen_run`)} END`,
    at: sql<Date>`CASE WHEN ${open} THEN coalesce(${coveringRun(finding, 'merged_at')}, ${sql.ref(`${finding}.last_seen_at`)})
      ELSE ${sql.ref(`${finding}.last_seen_at`)} END`,
  };
}

/** All SQL of the quality module: rules, runs, the findings merge, findings queries, exemptions. */
export class QualityRepository {
  constructor(private readonly db: DB) {}

  // Rules

  /** Changes whenever a rule is added, edited, enabled or disabled. */
  async rulesVersionKey(): Promise<string> {
    const result = await sql<{ key: string }>`
      SELECT count(*) || ':' || coalesce(sum(version), 0) || ':' || coalesce(max(updated_at)::text, '') AS key
      FROM quality_rules`.execute(this.db);
    return result.rows[0]?.key ?? '';
  }

  async listRules(executor: Executor = this.db): Promise<RuleRecord[]> {
    return (await executor.selectFrom('qualityRules').selectAll().orderBy('code').execute()) as RuleRecord[];
  }

  async findRule(code: string, executor: Executor = this.db): Promise<RuleRecord | undefined> {
    return (await executor
      .selectFrom('qualityRules')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst()) as RuleRecord | undefined;
  }

  async lockRule(trx: Executor, code: string): Promise<RuleRecord | undefined> {
    return (await trx
      .selectFrom('qualityRules')
      .selectAll()
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst()) as RuleRecord | undefined;
  }

  async insertRule(
    trx: Executor,
    rule: Pick<
      RuleRecord,
      'code' | 'name' | 'category' | 'scope' | 'severity' | 'whenText' | 'note' | 'enabled'
    > & {
      updatedBy: string;
    },
  ): Promise<void> {
    await trx
      .insertInto('qualityRules')
      .values({ ...rule, kind: 'expression', builtin: false, version: 1 })
      .execute();
  }

  async updateRule(
    trx: Executor,
    code: string,
    changes: Partial<Pick<RuleRecord, 'name' | 'category' | 'severity' | 'whenText' | 'note' | 'enabled'>> & {
      version: number;
      updatedBy: string;
    },
  ): Promise<void> {
    await trx
      .updateTable('qualityRules')
      .set({ ...changes, updatedAt: new Date() })
      .where('code', '=', code)
      .execute();
  }

  async insertRuleVersion(
    trx: Executor,
    version: {
      ruleCode: string;
      version: number;
      change: 'create' | 'update' | 'enable' | 'disable';
      name: string;
      category: string;
      severity: string;
      previousWhenText: string | null;
      whenText: string | null;
      enabled: boolean;
      changedBy: string;
    },
  ): Promise<void> {
    await trx.insertInto('qualityRuleVersions').values(version).execute();
  }

  async listRuleVersions(code: string) {
    return this.db
      .selectFrom('qualityRuleVersions')
      .select([
        'version',
        'change',
        'name',
        'category',
        'severity',
        'previousWhenText',
        'whenText',
        'enabled',
        'changedBy',
        'changedAt',
      ])
      .where('ruleCode', '=', code)
      .orderBy('version', 'desc')
      .execute();
  }

  // Runs

  async insertRun(
    executor: Executor,
    run: {
      trigger: QualityRunTrigger;
      status: QualityRunStatus;
      regionCode: string;
      householdCount: number | null;
      startedBy: string | null;
      settings: Record<string, unknown>;
      ruleCount: number;
    },
  ): Promise<string> {
    const row = await executor
      .insertInto('qualityRuns')
      .values({ ...run, settings: JSON.stringify(run.settings), phase: 'starting' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async updateRunProgress(id: string, progress: { phase: string; progress: number }): Promise<void> {
    await this.db
      .updateTable('qualityRuns')
      .set(progress)
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  async finishRun(
    executor: Executor,
    id: string,
    result: {
      status: QualityRunStatus;
      counts: Record<string, unknown> | null;
      error: string | null;
      /** A full run's merge: its rules and region, and the time of the sightings (mergeFindings). */
      covered?: { ruleCodes: readonly string[]; scope: RegionRange; mergedAt: Date };
    },
  ): Promise<void> {
    const { covered } = result;
    await executor
      .updateTable('qualityRuns')
      .set({
        status: result.status,
        phase: 'done',
        progress: result.status === 'succeeded' ? 1 : sql<number>`progress`,
        finishedAt: new Date(),
        error: result.error,
        ...(result.counts ? { counts: JSON.stringify(result.counts) } : {}),
        ...(covered
          ? {
              coveredRuleCodes: [...covered.ruleCodes],
              coveredLo: covered.scope.lo,
              coveredHi: covered.scope.hi,
              mergedAt: covered.mergedAt,
            }
          : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Runs left `running` by a process that died committed nothing: mark them failed — only when no process
   * holds the run lock (a run of another process, e.g. the server while the CLI starts, is alive).
   */
  async failAbandonedRuns(message: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      if (!(await this.tryRunLock(trx))) return 0;
      const result = await trx
        .updateTable('qualityRuns')
        .set({ status: 'failed', phase: 'done', finishedAt: new Date(), error: message })
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
  }

  /**
   * Runs whose region overlaps the caller's scope: runs of the caller's region or below it, and the runs
   * above it (a province run covers every county).
   */
  private visibleRuns(scope: RegionRange, executor: Executor = this.db) {
    const ancestors = coveringRegionCodes(scope);
    return executor
      .selectFrom('qualityRuns as r')
      .selectAll('r')
      .where((eb) =>
        eb.or([regionScopeCondition(scope, 'r.region_code'), eb('r.regionCode', 'in', ancestors)]),
      );
  }

  async listRuns(options: {
    scope: RegionRange;
    trigger?: QualityRunTrigger;
    includeRechecks: boolean;
    offset: number;
    limit: number;
  }): Promise<RunRecord[]> {
    return (await this.visibleRuns(options.scope)
      .$if(options.trigger !== undefined, (query) =>
        query.where('r.trigger', '=', options.trigger as QualityRunTrigger),
      )
      .$if(!options.includeRechecks && options.trigger === undefined, (query) =>
        query.where('r.trigger', '!=', 'recheck'),
      )
      .orderBy('r.id', 'desc')
      .offset(options.offset)
      .limit(options.limit)
      .execute()) as RunRecord[];
  }

  async findRun(
    options: { scope: RegionRange; id: string },
    executor: Executor = this.db,
  ): Promise<RunRecord | undefined> {
    return (await this.visibleRuns(options.scope, executor)
      .where('r.id', '=', options.id)
      .executeTakeFirst()) as RunRecord | undefined;
  }

  async lastScheduledRunDay(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('qualityRuns')
      .select(sql<string>`to_char(started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`.as('day'))
      .where('trigger', '=', 'schedule')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.day;
  }

  // The run: hits into a temporary table, then one merge

  /**
   * Analyzes the registry tables whose statistics are missing or stale (more than a tenth of the rows
   * changed, e.g. right after the first import of a county): planned without them, the run's one big
   * statement takes nested loops over the whole county — minutes instead of seconds.
   */
  async analyzeStaleRegistryTables(): Promise<string[]> {
    const stale = await sql<{ relname: string }>`
      SELECT relname FROM pg_stat_user_tables
      WHERE relname IN ('households', 'persons', 'household_incomes', 'household_risks', 'household_measures')
        AND (coalesce(last_analyze, last_autoanalyze) IS NULL OR n_mod_since_analyze > greatest(n_live_tup, 1000) / 10)
      ORDER BY relname`.execute(this.db);
    for (const row of stale.rows) await sql`ANALYZE ${sql.table(row.relname)}`.execute(this.db);
    return stale.rows.map((row) => row.relname);
  }

  /**
   * Takes the one-run-at-a-time lock for the transaction, waiting a moment for re-checks in flight (they
   * hold it shared for milliseconds); false when another run holds it.
   */
  async acquireRunLock(trx: Executor): Promise<boolean> {
    try {
      await sql`SET LOCAL lock_timeout = '3s'`.execute(trx);
      await sql`SELECT pg_advisory_xact_lock(hashtext('shouwang.quality_run'))`.execute(trx);
      await sql`SET LOCAL lock_timeout = 0`.execute(trx);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '55P03') return false;
      throw error;
    }
  }

  /**
   * A re-check shares the lock with other re-checks; false while a full run holds it. Its commit need not
   * wait for the disk (a re-check lost in a crash is redone by the next run), and it gives up rather
   * than wait long behind row locks.
   */
  async trySharedRunLock(trx: Executor): Promise<boolean> {
    const result = await sql<{ locked: boolean }>`
      SELECT set_config('synchronous_commit', 'off', true), set_config('lock_timeout', '5s', true),
        pg_try_advisory_xact_lock_shared(hashtext('shouwang.quality_run')) AS locked`.execute(trx);
    return result.rows[0]?.locked === true;
  }

  /** Takes the one-run-at-a-time lock for the transaction; false when another run holds it. */
  async tryRunLock(trx: Executor): Promise<boolean> {
    const result = await sql<{ locked: boolean }>`
      SELECT pg_try_advisory_xact_lock(hashtext('shouwang.quality_run')) AS locked`.execute(trx);
    return result.rows[0]?.locked === true;
  }

  async createHitsTable(trx: Executor): Promise<void> {
    await sql`
      CREATE TEMPORARY TABLE ${sql.table(hitsTable)} (
        rule_code text NOT NULL,
        household_id bigint NOT NULL,
        person_id bigint,
        region_code char(12) NOT NULL
      ) ON COMMIT DROP`.execute(trx);
  }

  /** Adds the hits of a query (rule code, household, person) to the run's table, with each village code. */
  async insertHits(
    trx: Executor,
    hits: RawBuilder<{ ruleCode: string; householdId: string; personId: string | null }>,
  ): Promise<void> {
    await sql`
      INSERT INTO ${sql.table(hitsTable)} (rule_code, household_id, person_id, region_code)
      SELECT DISTINCT hit.rule_code, hit.household_id, hit.person_id, household.region_code
      FROM (${hits}) AS hit
      JOIN households AS household ON household.id = hit.household_id`.execute(trx);
  }

  /**
   * The hits of a query with each village code, read back (a part of a full run on another connection).
   * A part is a region range among several read at once, one connection per core: PostgreSQL's own
   * parallel workers would only oversubscribe the cores, and a part should read its own rows through
   * the region indexes rather than scan whole tables (at province scale a city is ~5 % of the persons;
   * with the default random_page_cost every part scanned all 6 M persons, 2 M incomes and 0.8 M measures).
   */
  async selectHits(
    reader: Executor,
    hits: RawBuilder<{ ruleCode: string; householdId: string; personId: string | null }>,
  ): Promise<HitRow[]> {
    await sql`SELECT set_config('max_parallel_workers_per_gather', '0', true),
      set_config('random_page_cost', '1.1', true)`.execute(reader);
    const result = await sql<HitRow>`
      SELECT DISTINCT hit.rule_code, hit.household_id, hit.person_id, household.region_code
      FROM (${hits}) AS hit
      JOIN households AS household ON household.id = hit.household_id`.execute(reader);
    return result.rows;
  }

  /** Adds hits read by selectHits to the run's table. */
  async insertHitRows(trx: Executor, rows: readonly HitRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      INSERT INTO ${sql.table(hitsTable)} (rule_code, household_id, person_id, region_code)
      SELECT * FROM unnest(${rows.map((row) => row.ruleCode)}::text[],
        ${rows.map((row) => row.householdId)}::bigint[], ${rows.map((row) => row.personId)}::bigint[],
        ${rows.map((row) => row.regionCode)}::char(12)[])`.execute(trx);
  }

  /**
   * The two aggregate rules for a few households (re-check), answered from indexes: ID-007 (the same ID
   * number, first 18 characters upper-cased, held by another active person) and HH-008 (the same
   * household phone in an active household of another county). Same meaning as the SQL compiler's
   * whole-registry pass, which groups everything and suits full runs; stored values are trimmed on
   * entry, so the indexed expressions need no btrim.
   */
  aggregateHitsForHouseholds(
    codes: readonly string[],
    filter: HitFilter & { householdIds: readonly string[] },
  ) {
    const parts: RawBuilder<unknown>[] = [];
    const households = sql<SqlBool>`h.status = 'active' AND ${regionScopeCondition(filter.scope, 'h.region_code')}
      AND ${householdFilter('h.id', filter.householdIds)}`;
    if (codes.includes('ID-007')) {
      parts.push(sql`
        SELECT 'ID-007'::text AS rule_code, p.household_id, p.id AS person_id
        FROM persons AS p
        JOIN households AS h ON h.id = p.household_id
        WHERE ${households} AND p.status = 'active' AND ${regionScopeCondition(filter.scope, 'p.region_code')}
          AND nullif(btrim(p.id_number), '') IS NOT NULL
          AND EXISTS (
            SELECT 1 FROM persons AS other
            WHERE upper(left(other.id_number, 18)) = upper(left(p.id_number, 18))
              AND other.id <> p.id AND other.status = 'active')`);
    }
    if (codes.includes('HH-008')) {
      parts.push(sql`
        SELECT 'HH-008'::text AS rule_code, h.id AS household_id, NULL::bigint AS person_id
        FROM households AS h
        WHERE ${households} AND nullif(btrim(h.household_phone), '') IS NOT NULL
          AND EXISTS (
            SELECT 1 FROM households AS other
            WHERE other.household_phone = h.household_phone AND other.status = 'active'
              AND left(other.region_code, 6) <> left(h.region_code, 6))`);
    }
    if (parts.length === 0) return undefined;
    return sql<{
      ruleCode: string;
      householdId: string;
      personId: string | null;
    }>`${sql.join(parts, sql` UNION ALL `)}`;
  }

  /** A rule's hits counted and sampled, without storing anything. */
  async previewHits(
    trx: Executor,
    options: {
      hits: RawBuilder<{ ruleCode: string; householdId: string; personId: string | null }>;
      scope: RegionRange;
      sampleSize: number;
    },
  ) {
    await sql`
      CREATE TEMPORARY TABLE quality_preview ON COMMIT DROP AS
      SELECT DISTINCT hit.household_id, hit.person_id, household.region_code, household.household_no
      FROM (${options.hits}) AS hit
      JOIN households AS household ON household.id = hit.household_id
      WHERE ${regionScopeCondition(options.scope, 'household.region_code')}`.execute(trx);
    const counts = await sql<{ households: number; persons: number }>`
      SELECT count(DISTINCT household_id)::int AS households,
        CASE WHEN bool_and(person_id IS NULL)
          THEN (SELECT count(*)::int FROM persons AS p
                WHERE p.status = 'active' AND p.household_id IN (SELECT household_id FROM quality_preview))
          ELSE count(DISTINCT person_id)::int END AS persons
      FROM quality_preview`.execute(trx);
    const sample = await sql<{
      householdId: string;
      householdNo: string;
      regionCode: string;
      headName: string | null;
    }>`
      SELECT sample.household_id, sample.household_no, sample.region_code,
        (SELECT head.name FROM persons AS head WHERE head.household_id = sample.household_id
          AND head.relation = 'head' ORDER BY head.status = 'active' DESC, head.id LIMIT 1) AS head_name
      FROM (SELECT DISTINCT household_id, household_no, region_code FROM quality_preview
            ORDER BY region_code, household_no LIMIT ${options.sampleSize}) AS sample
      ORDER BY sample.region_code, sample.household_no`.execute(trx);
    return {
      households: counts.rows[0]?.households ?? 0,
      persons: counts.rows[0]?.persons ?? 0,
      sample: sample.rows,
    };
  }

  async executeHits(
    trx: Executor,
    statement: CompiledQuery<{ ruleCode: string; householdId: string; personId: string | null }>,
  ) {
    return (await trx.executeQuery(statement)).rows;
  }

  /**
   * A prepared statement of the rules for a few households, run with its generic plan: planned once per
   * connection rather than for each execution (the plan reads the households through their indexes
   * whatever they are). Only this statement: the setting is put back before the transaction goes on.
   */
  async executeHitsWithGenericPlan(
    trx: Executor,
    statement: CompiledQuery<{ ruleCode: string; householdId: string; personId: string | null }>,
  ) {
    await sql`SET LOCAL plan_cache_mode = force_generic_plan`.execute(trx);
    const rows = (await trx.executeQuery(statement)).rows;
    await sql`SET LOCAL plan_cache_mode = auto`.execute(trx);
    return rows;
  }

  async analyzeHits(trx: Executor): Promise<void> {
    await sql`ANALYZE ${sql.table(hitsTable)}`.execute(trx);
  }

  /**
   * Folds the run's hits into the findings of the rules it ran, within its filter: new findings are
   * inserted (first seen), found ones seen again (a fixed one reopens), open ones not found again become
   * fixed; exemptions past their date end first, so their findings reopen or get fixed like others.
   * A full run writes only what changes (new, reopened, moved and exempted findings): what it covered,
   * recorded on its run row as it finishes (finishRun), answers the last sighting of the open findings it
   * found again (findingLastSeen); a re-check stores the sightings of its few hits on the findings.
   */
  async mergeFindings(
    trx: Executor,
    options: {
      runId: string;
      ruleCodes: readonly string[];
      filter: HitFilter;
      now: Date;
      /** The hits as a query instead of the run's table (a re-check: no temporary table to create). */
      hits?: RawBuilder<{ ruleCode: string; householdId: string; personId: string | null }>;
    },
  ): Promise<MergeCounts> {
    const { runId, ruleCodes, filter, now } = options;
    const covering = options.hits === undefined && filter.householdIds === undefined;
    const hitRows = options.hits
      ? sql`(SELECT DISTINCT hit.rule_code, hit.household_id, hit.person_id, household.region_code
          FROM (${options.hits}) AS hit JOIN households AS household ON household.id = hit.household_id)`
      : sql.table(hitsTable);
    const inFilter = (alias: string) =>
      sql<SqlBool>`${sql.ref(`${alias}.rule_code`)} = ANY(${[...ruleCodes]}::text[])
        AND ${regionScopeCondition(filter.scope, `${alias}.region_code`)}
        AND ${householdFilter(`${alias}.household_id`, filter.householdIds)}`;

    // A finding whose exemption ends was not seen by the runs that covered it while it was exempted: its
    // stored sighting stands until a run sees it again.
    const expired = await sql<{ id: string; findingId: string }>`
      WITH ended AS (
        UPDATE quality_findings AS f SET status = 'open', exempt_until = NULL
        WHERE f.status = 'exempted' AND f.exempt_until <= ${now} AND ${inFilter('f')}
        RETURNING f.id)
      UPDATE quality_exemptions AS e SET status = 'expired'
      FROM ended WHERE e.finding_id = ended.id AND e.status = 'approved'
      RETURNING e.id, e.finding_id`.execute(trx);
    const reopenedByExpiry = [...new Set(expired.rows.map((row) => row.findingId))];

    let found: number;
    let inserted: number;
    let restoreNestloop: string | undefined;
    if (covering) {
      // Hash joins between the run's hits and the findings, whatever the statistics say. Planned for an
      // empty findings table (the first run), the new findings' insert probed it by a sequential scan
      // per hit, and such a scan reads every row the statement has inserted so far: quadratic, over
      // 4 minutes (and counting) for 800 000 findings.
      const nestloop = await sql<{ setting: string }>`
        SELECT current_setting('enable_nestloop') AS setting, set_config('enable_nestloop', 'off', true)`.execute(
        trx,
      );
      // Found again and unchanged (open, same village): nothing to write. Otherwise the sighting is
      // stored: a fixed finding reopens, a moved one takes its new village, an exempted one stays so;
      // one whose exemption just ended is seen by this run.
      await sql`
        UPDATE quality_findings AS f SET
          last_seen_run = ${runId},
          last_seen_at = ${now},
          region_code = hit.region_code,
          status = CASE WHEN f.status = 'fixed' THEN 'open' ELSE f.status END,
          fixed_run = CASE WHEN f.status = 'fixed' THEN NULL ELSE f.fixed_run END,
          fixed_at = CASE WHEN f.status = 'fixed' THEN NULL ELSE f.fixed_at END
        FROM ${hitRows} AS hit
        WHERE ${sameFinding('f', 'hit')}
          AND (f.status <> 'open' OR f.region_code <> hit.region_code
            OR f.id = ANY(${reopenedByExpiry}::bigint[]))`.execute(trx);
      const added = await sql<{ inserted: number; total: number }>`
        WITH added AS (
          INSERT INTO quality_findings (rule_code, household_id, person_id, region_code, status,
            first_seen_run, first_seen_at, last_seen_run, last_seen_at)
          SELECT hit.rule_code, hit.household_id, hit.person_id, hit.region_code, 'open', ${runId}, ${now}, ${runId}, ${now}
          FROM ${hitRows} AS hit
          WHERE NOT EXISTS (SELECT 1 FROM quality_findings AS f WHERE ${sameFinding('f', 'hit')})
          RETURNING 1)
        SELECT (SELECT count(*)::int FROM added) AS inserted, (SELECT count(*)::int FROM ${hitRows}) AS total`.execute(
        trx,
      );
      found = added.rows[0]?.total ?? 0;
      inserted = added.rows[0]?.inserted ?? 0;
      restoreNestloop = nestloop.rows[0]?.setting ?? 'on';
    } else {
      const upserted = await sql<{ inserted: number; total: number }>`
        WITH upserted AS (
          INSERT INTO quality_findings AS f (rule_code, household_id, person_id, region_code, status,
            first_seen_run, first_seen_at, last_seen_run, last_seen_at)
          SELECT hit.rule_code, hit.household_id, hit.person_id, hit.region_code, 'open', ${runId}, ${now}, ${runId}, ${now}
          FROM ${hitRows} AS hit
          ON CONFLICT ON CONSTRAINT quality_findings_key DO UPDATE SET
            last_seen_run = excluded.last_seen_run,
            last_seen_at = excluded.last_seen_at,
            region_code = excluded.region_code,
            status = CASE WHEN f.status = 'fixed' THEN 'open' ELSE f.status END,
            fixed_run = CASE WHEN f.status = 'fixed' THEN NULL ELSE f.fixed_run END,
            fixed_at = CASE WHEN f.status = 'fixed' THEN NULL ELSE f.fixed_at END
          RETURNING (xmax = 0) AS inserted)
        SELECT (count(*) FILTER (WHERE inserted))::int AS inserted, count(*)::int AS total FROM upserted`.execute(
        trx,
      );
      found = upserted.rows[0]?.total ?? 0;
      inserted = upserted.rows[0]?.inserted ?? 0;
    }

    // Open findings not found again are fixed; their last sighting is stored as it stood before this run.
    const lastSeen = findingLastSeen('f');
    const fixed = await sql<{ fixed: number }>`
      WITH fixed AS (
        UPDATE quality_findings AS f SET status = 'fixed', fixed_run = ${runId}, fixed_at = ${now},
          last_seen_run = CASE WHEN f.id = ANY(${reopenedByExpiry}::bigint[]) THEN f.last_seen_run ELSE ${lastSeen.run} END,
          last_seen_at = CASE WHEN f.id = ANY(${reopenedByExpiry}::bigint[]) THEN f.last_seen_at ELSE ${lastSeen.at} END
        WHERE f.status = 'open' AND ${inFilter('f')}
          AND NOT EXISTS (SELECT 1 FROM ${hitRows} AS hit WHERE ${sameFinding('f', 'hit')})
        RETURNING 1)
      SELECT count(*)::int AS fixed FROM fixed`.execute(trx);
    if (restoreNestloop)
      await sql`SELECT set_config('enable_nestloop', ${restoreNestloop}, true)`.execute(trx);

    return {
      found,
      new: inserted,
      fixed: fixed.rows[0]?.fixed ?? 0,
      exemptionsExpired: expired.rows.length,
    };
  }

  /**
   * Flagged households and persons per rule among the run's hits. A person rule counts its persons and
   * their distinct households; a household rule counts households and their active members.
   */
  async countHitsByRule(trx: Executor): Promise<RuleCount[]> {
    const result = await sql<RuleCount>`
      WITH per_rule AS (
        SELECT rule_code,
          count(DISTINCT household_id)::int AS households,
          count(DISTINCT person_id)::int AS persons,
          bool_and(person_id IS NULL) AS household_rule
        FROM ${sql.table(hitsTable)} GROUP BY rule_code),
      members AS (
        SELECT hit.rule_code, count(*)::int AS persons
        FROM ${sql.table(hitsTable)} AS hit
        JOIN persons AS p ON p.household_id = hit.household_id AND p.status = 'active'
        WHERE hit.person_id IS NULL
        GROUP BY hit.rule_code)
      SELECT per_rule.rule_code AS code, per_rule.households,
        CASE WHEN per_rule.household_rule THEN coalesce(members.persons, 0) ELSE per_rule.persons END AS persons
      FROM per_rule LEFT JOIN members ON members.rule_code = per_rule.rule_code`.execute(trx);
    return result.rows;
  }

  // Findings

  private findingsQuery(filters: FindingFilters) {
    let query = this.db
      .selectFrom('qualityFindings as f')
      .innerJoin('qualityRules as rule', (join) =>
        join.onRef('rule.code', '=', 'f.ruleCode').on('rule.enabled', '=', true),
      );
    query = withRegionScope(query, filters.scope, 'f.regionCode');
    return query
      .$if(filters.region !== undefined, (q) =>
        withRegionScope(q, filters.region as RegionRange, 'f.regionCode'),
      )
      .$if(filters.ruleCode !== undefined, (q) => q.where('f.ruleCode', '=', filters.ruleCode as string))
      .$if(filters.status !== undefined, (q) =>
        q.where('f.status', '=', filters.status as QualityFindingStatus),
      )
      .$if(filters.householdId !== undefined, (q) =>
        q.where('f.householdId', '=', filters.householdId as string),
      );
  }

  /** The columns of a finding as lists and exports show it (household, person, village). */
  private findingRowsQuery(filters: FindingFilters) {
    return this.findingsQuery(filters)
      .innerJoin('households as h', 'h.id', 'f.householdId')
      .leftJoin('persons as p', 'p.id', 'f.personId')
      .leftJoin('regions as region', 'region.code', 'f.regionCode')
      .select([
        'f.id',
        'f.ruleCode',
        'rule.name as ruleName',
        'rule.scope as ruleScope',
        'rule.severity',
        'rule.category',
        'f.householdId',
        'h.householdNo',
        'f.personId',
        'p.name as personName',
        'p.idNumber',
        'f.regionCode',
        'region.fullName as regionFullName',
        'f.status',
        'f.firstSeenAt',
        findingLastSeen('f').at.as('lastSeenAt'),
        'f.fixedAt',
        'f.exemptUntil',
      ]);
  }

  async searchFindings(filters: FindingFilters & { offset: number; limit: number }): Promise<FindingRow[]> {
    return (await this.findingRowsQuery(filters)
      .select((eb) =>
        eb
          .selectFrom('persons as head')
          .select('head.name')
          .whereRef('head.householdId', '=', 'f.householdId')
          .where('head.relation', '=', 'head')
          .orderBy(sql`head.status = 'active'`, 'desc')
          .orderBy('head.id')
          .limit(1)
          .as('headName'),
      )
      .orderBy('f.regionCode')
      .orderBy('f.householdId')
      .orderBy('f.ruleCode')
      .orderBy('f.id')
      .offset(filters.offset)
      .limit(filters.limit)
      .execute()) as FindingRow[];
  }

  async countFindings(filters: FindingFilters): Promise<number> {
    const row = await this.findingsQuery(filters)
      .select(sql<number>`count(*)::int`.as('count'))
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async findFinding(options: { scope: RegionRange; id: string }, executor: Executor = this.db) {
    return withRegionScope(
      executor.selectFrom('qualityFindings as f').selectAll('f').where('f.id', '=', options.id),
      options.scope,
      'f.regionCode',
    ).executeTakeFirst();
  }

  /** Per enabled rule, within a region: open, fixed and exempted findings, and open households. */
  async countByRule(options: { scope: RegionRange; region?: RegionRange }) {
    let query = this.db
      .selectFrom('qualityRules as rule')
      .leftJoin(
        (eb) => {
          let findings = eb
            .selectFrom('qualityFindings as f')
            .select([
              'f.ruleCode',
              sql<number>`count(*) FILTER (WHERE f.status = 'open')::int`.as('open'),
              sql<number>`count(*) FILTER (WHERE f.status = 'fixed')::int`.as('fixed'),
              sql<number>`count(*) FILTER (WHERE f.status = 'exempted')::int`.as('exempted'),
              sql<number>`count(DISTINCT f.household_id) FILTER (WHERE f.status = 'open')::int`.as(
                'openHouseholds',
              ),
            ])
            .groupBy('f.ruleCode');
          findings = withRegionScope(findings, options.scope, 'f.regionCode');
          if (options.region) findings = withRegionScope(findings, options.region, 'f.regionCode');
          return findings.as('counts');
        },
        (join) => join.onRef('counts.ruleCode', '=', 'rule.code'),
      )
      .select([
        'rule.code',
        'rule.name',
        'rule.category',
        'rule.scope',
        'rule.severity',
        sql<number>`coalesce(counts.open, 0)`.as('open'),
        sql<number>`coalesce(counts.fixed, 0)`.as('fixed'),
        sql<number>`coalesce(counts.exempted, 0)`.as('exempted'),
        sql<number>`coalesce(counts.open_households, 0)`.as('openHouseholds'),
      ])
      .where('rule.enabled', '=', true);
    query = query.orderBy('rule.code');
    return query.execute();
  }

  /**
   * For each child region of a node (children are `childDigits` long prefixes): households, flagged
   * households (with an open finding of an enabled rule), and findings found / fixed / exempted.
   */
  async countByRegion(options: {
    scope: RegionRange;
    region: RegionRange;
    childDigits: number;
    ruleCode?: string;
  }) {
    const prefix = (column: string) => sql`left(${sql.ref(column)}, ${options.childDigits})`;
    const ruleCondition = options.ruleCode ? sql`AND f.rule_code = ${options.ruleCode}` : sql``;
    const result = await sql<{
      prefix: string;
      households: number;
      flaggedHouseholds: number;
      found: number;
      open: number;
      fixed: number;
      exempted: number;
    }>`
      WITH household_counts AS (
        SELECT ${prefix('h.region_code')} AS prefix, count(*)::int AS households
        FROM households AS h
        WHERE h.status = 'active' AND ${regionScopeCondition(options.scope, 'h.region_code')}
          AND ${regionScopeCondition(options.region, 'h.region_code')}
        GROUP BY 1),
      finding_counts AS (
        SELECT ${prefix('f.region_code')} AS prefix,
          count(DISTINCT f.household_id) FILTER (WHERE f.status = 'open')::int AS flagged_households,
          count(*)::int AS found,
          count(*) FILTER (WHERE f.status = 'open')::int AS open,
          count(*) FILTER (WHERE f.status = 'fixed')::int AS fixed,
          count(*) FILTER (WHERE f.status = 'exempted')::int AS exempted
        FROM quality_findings AS f
        JOIN quality_rules AS rule ON rule.code = f.rule_code AND rule.enabled
        WHERE ${regionScopeCondition(options.scope, 'f.region_code')}
          AND ${regionScopeCondition(options.region, 'f.region_code')} ${ruleCondition}
        GROUP BY 1)
      SELECT coalesce(household_counts.prefix, finding_counts.prefix) AS prefix,
        coalesce(household_counts.households, 0) AS households,
        coalesce(finding_counts.flagged_households, 0) AS flagged_households,
        coalesce(finding_counts.found, 0) AS found,
        coalesce(finding_counts.open, 0) AS open,
        coalesce(finding_counts.fixed, 0) AS fixed,
        coalesce(finding_counts.exempted, 0) AS exempted
      FROM household_counts FULL JOIN finding_counts ON finding_counts.prefix = household_counts.prefix`.execute(
      this.db,
    );
    return result.rows;
  }

  /** Per rule and child region: the same counts, for the ranking export's sheet per rule. */
  async countByRuleAndRegion(options: { scope: RegionRange; region: RegionRange; childDigits: number }) {
    const result = await sql<{
      ruleCode: string;
      prefix: string;
      flaggedHouseholds: number;
      found: number;
      fixed: number;
      exempted: number;
    }>`
      SELECT f.rule_code, left(f.region_code, ${options.childDigits}) AS prefix,
        count(DISTINCT f.household_id) FILTER (WHERE f.status = 'open')::int AS flagged_households,
        count(*)::int AS found,
        count(*) FILTER (WHERE f.status = 'fixed')::int AS fixed,
        count(*) FILTER (WHERE f.status = 'exempted')::int AS exempted
      FROM quality_findings AS f
      JOIN quality_rules AS rule ON rule.code = f.rule_code AND rule.enabled
      WHERE ${regionScopeCondition(options.scope, 'f.region_code')}
        AND ${regionScopeCondition(options.region, 'f.region_code')}
      GROUP BY 1, 2 ORDER BY 1, 2`.execute(this.db);
    return result.rows;
  }

  /** Findings of a region, rule by rule, in pages keyed by id (for the streaming export). */
  async findingsPageForExport(options: {
    scope: RegionRange;
    region?: RegionRange;
    ruleCode: string;
    status?: QualityFindingStatus;
    afterId: string;
    limit: number;
  }): Promise<FindingRow[]> {
    return (await this.findingRowsQuery(options)
      .select(sql<null>`NULL`.as('headName'))
      .where('f.id', '>', options.afterId)
      .orderBy('f.id')
      .limit(options.limit)
      .execute()) as FindingRow[];
  }

  // Exemptions

  async insertExemption(
    trx: Executor,
    exemption: {
      findingId: string;
      regionCode: string;
      reason: string;
      expiresAt: Date;
      requestedBy: string | null;
      requestedByName: string;
    },
  ): Promise<string> {
    const row = await trx
      .insertInto('qualityExemptions')
      .values({ ...exemption, status: 'requested' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async hasPendingExemption(trx: Executor, findingId: string): Promise<boolean> {
    const row = await trx
      .selectFrom('qualityExemptions')
      .select('id')
      .where('findingId', '=', findingId)
      .where('status', '=', 'requested')
      .executeTakeFirst();
    return row !== undefined;
  }

  async lockExemption(trx: Executor, options: { scope: RegionRange; id: string }) {
    return withRegionScope(
      trx.selectFrom('qualityExemptions as e').selectAll('e').where('e.id', '=', options.id).forUpdate(),
      options.scope,
      'e.regionCode',
    ).executeTakeFirst();
  }

  async decideExemption(
    trx: Executor,
    id: string,
    decision: {
      status: 'approved' | 'rejected';
      decidedBy: string | null;
      decidedByName: string;
      decisionNote: string | null;
    },
  ): Promise<void> {
    await trx
      .updateTable('qualityExemptions')
      .set({ ...decision, decidedAt: new Date() })
      .where('id', '=', id)
      .execute();
  }

  /** An exempted finding stores its sightings: the last one so far is stored as it becomes exempted. */
  async exemptFinding(trx: Executor, findingId: string, until: Date): Promise<void> {
    const lastSeen = findingLastSeen('f');
    await sql`
      UPDATE quality_findings AS f SET status = 'exempted', exempt_until = ${until},
        last_seen_run = ${lastSeen.run}, last_seen_at = ${lastSeen.at}
      WHERE f.id = ${findingId}`.execute(trx);
  }

  private exemptionsQuery(options: {
    scope: RegionRange;
    status?: QualityExemptionStatus;
    findingId?: string;
    id?: string;
  }) {
    return withRegionScope(
      this.db
        .selectFrom('qualityExemptions as e')
        .innerJoin('qualityFindings as f', 'f.id', 'e.findingId')
        .innerJoin('qualityRules as rule', 'rule.code', 'f.ruleCode')
        .innerJoin('households as h', 'h.id', 'f.householdId')
        .leftJoin('persons as p', 'p.id', 'f.personId')
        .select([
          'e.id',
          'e.findingId',
          'e.regionCode',
          'e.reason',
          'e.status',
          'e.expiresAt',
          'e.requestedBy',
          'e.requestedByName',
          'e.requestedAt',
          'e.decidedByName',
          'e.decidedAt',
          'e.decisionNote',
          'f.ruleCode',
          'rule.name as ruleName',
          'f.householdId',
          'h.householdNo',
          'f.personId',
          'p.name as personName',
        ])
        .$if(options.status !== undefined, (q) =>
          q.where('e.status', '=', options.status as QualityExemptionStatus),
        )
        .$if(options.findingId !== undefined, (q) => q.where('e.findingId', '=', options.findingId as string))
        .$if(options.id !== undefined, (q) => q.where('e.id', '=', options.id as string)),
      options.scope,
      'e.regionCode',
    );
  }

  async listExemptions(options: {
    scope: RegionRange;
    status?: QualityExemptionStatus;
    findingId?: string;
    offset: number;
    limit: number;
  }): Promise<ExemptionRow[]> {
    return (await this.exemptionsQuery(options)
      .orderBy('e.requestedAt', 'desc')
      .orderBy('e.id', 'desc')
      .offset(options.offset)
      .limit(options.limit)
      .execute()) as ExemptionRow[];
  }

  async getExemption(options: { scope: RegionRange; id: string }): Promise<ExemptionRow | undefined> {
    return (await this.exemptionsQuery(options).executeTakeFirst()) as ExemptionRow | undefined;
  }
}
