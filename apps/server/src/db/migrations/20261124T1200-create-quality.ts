import { starterRules } from '@shouwang/rules';
import { type Kysely, sql } from 'kysely';

/**
 * Quality rules as data, their edit history, runs, findings with history, and exemptions.
 *
 * - Rules are keyed by their code (what people quote: "ID-001"); every edit bumps `version` and keeps
 *   a row in quality_rule_versions with the old and new text, so "who changed this rule, when" is
 *   answerable. Aggregate rules (ID-007, HH-008: cross-household comparisons) have no `when` text and
 *   a fixed set-based query; only their name, severity and switch are editable.
 * - Findings are one row per (rule, household, person) — person NULL for household rules, hence the
 *   NULLS NOT DISTINCT key (PostgreSQL 15) — carrying the village region_code so that scope filters and
 *   rankings group without a join, like households and persons do. A run upserts what it finds (first
 *   seen / last seen) and marks open findings it did not see again as fixed; history is the row's
 *   first/last/fixed columns, not one row per run (a province run finds millions).
 * - Exemptions are requests with a decision; an approved one puts its finding in status `exempted`
 *   until `exempt_until`, after which the next run reopens or fixes it.
 * - The starter rules are seeded as shipped when this migration runs; later changes to the shipped set
 *   come as new migrations, never by editing this one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE quality_rules (
      code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$' AND length(code) <= 32),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      category text NOT NULL,
      scope text NOT NULL CHECK (scope IN ('person', 'household')),
      severity text NOT NULL CHECK (severity IN ('error', 'warning')),
      kind text NOT NULL DEFAULT 'expression' CHECK (kind IN ('expression', 'aggregate')),
      when_text text,
      note text,
      enabled boolean NOT NULL DEFAULT true,
      builtin boolean NOT NULL DEFAULT false,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'expression') = (when_text IS NOT NULL))
    );

    CREATE TABLE quality_rule_versions (
      id bigserial PRIMARY KEY,
      rule_code text NOT NULL REFERENCES quality_rules (code),
      version int NOT NULL,
      -- create, update, enable, disable
      change text NOT NULL,
      name text NOT NULL,
      category text NOT NULL,
      severity text NOT NULL,
      previous_when_text text,
      when_text text,
      enabled boolean NOT NULL,
      changed_by text,
      changed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (rule_code, version)
    );

    CREATE TABLE quality_runs (
      id bigserial PRIMARY KEY,
      -- cli, ui, schedule: full runs over a region; import: after a national import; recheck: households
      trigger text NOT NULL CHECK (trigger IN ('cli', 'ui', 'schedule', 'import', 'recheck')),
      status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
      phase text,
      progress real NOT NULL DEFAULT 0,
      region_code char(12) NOT NULL,
      household_count int,
      started_by text,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      -- referenceDate, statisticsYear, incomeLine as used
      settings jsonb NOT NULL DEFAULT '{}',
      rule_count int NOT NULL DEFAULT 0,
      -- found, new, reopened, fixed, expired exemptions; per-rule flagged households and persons
      counts jsonb NOT NULL DEFAULT '{}',
      error text
    );
    CREATE INDEX quality_runs_started_idx ON quality_runs (started_at DESC);

    CREATE TABLE quality_findings (
      id bigserial PRIMARY KEY,
      rule_code text NOT NULL REFERENCES quality_rules (code),
      household_id bigint NOT NULL,
      person_id bigint,
      region_code char(12) NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'fixed', 'exempted')),
      first_seen_run bigint NOT NULL REFERENCES quality_runs (id),
      first_seen_at timestamptz NOT NULL,
      last_seen_run bigint NOT NULL REFERENCES quality_runs (id),
      last_seen_at timestamptz NOT NULL,
      fixed_run bigint REFERENCES quality_runs (id),
      fixed_at timestamptz,
      exempt_until timestamptz,
      CONSTRAINT quality_findings_key UNIQUE NULLS NOT DISTINCT (rule_code, household_id, person_id)
    );
    -- Lists, drill-down and rankings: a region range, then rule and status.
    CREATE INDEX quality_findings_region_idx ON quality_findings (region_code, rule_code, status);
    -- A household's findings (detail page, re-check).
    CREATE INDEX quality_findings_household_idx ON quality_findings (household_id);
    -- The fixing pass of a run: open findings not seen by this run.
    CREATE INDEX quality_findings_open_idx ON quality_findings (region_code, last_seen_run)
      WHERE status = 'open';

    CREATE TABLE quality_exemptions (
      id bigserial PRIMARY KEY,
      finding_id bigint NOT NULL REFERENCES quality_findings (id),
      region_code char(12) NOT NULL,
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
      status text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'expired')),
      expires_at timestamptz NOT NULL,
      requested_by bigint,
      requested_by_name text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_by bigint,
      decided_by_name text,
      decided_at timestamptz,
      decision_note text
    );
    CREATE INDEX quality_exemptions_region_idx ON quality_exemptions (region_code, status, requested_at DESC);
    CREATE INDEX quality_exemptions_finding_idx ON quality_exemptions (finding_id);
    -- One pending request per finding.
    CREATE UNIQUE INDEX quality_exemptions_pending_idx ON quality_exemptions (finding_id)
      WHERE status = 'requested';

    -- Rule HH-008 (the same household phone in two counties) when one household is re-checked after an
    -- edit: without it, each re-check reads every household of the province.
    CREATE INDEX households_phone_idx ON households (household_phone) WHERE household_phone IS NOT NULL;
  `.execute(db);

  for (const rule of starterRules) {
    await sql`
      INSERT INTO quality_rules (code, name, category, scope, severity, kind, when_text, note, builtin, updated_by)
      VALUES (${rule.code}, ${rule.name}, ${rule.category}, ${rule.scope}, ${rule.severity},
        ${rule.kind ?? 'expression'}, ${rule.when ?? null}, ${rule.note ?? null}, true, 'system')
    `.execute(db);
    await sql`
      INSERT INTO quality_rule_versions (rule_code, version, change, name, category, severity, when_text, enabled, changed_by)
      VALUES (${rule.code}, 1, 'create', ${rule.name}, ${rule.category}, ${rule.severity}, ${rule.when ?? null}, true, 'system')
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX households_phone_idx;
    DROP TABLE quality_exemptions, quality_findings, quality_runs, quality_rule_versions, quality_rules;
  `.execute(db);
}
