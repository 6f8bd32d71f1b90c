import { type Kysely, sql } from 'kysely';

/**
 * Dynamic monitoring: leads from the three discovery channels, cases that walk the review chain (the
 * chain itself is defined in code, monitoring.workflow.ts), their transition log, public notices with
 * objections, and attachments.
 *
 * Attachments are stored as bytea in PostgreSQL, not as files under ./var: they are small (photos of
 * signed forms, capped at a few MB), they commit or roll back with the case step that needs them, they
 * carry the row's region code so the one scope helper guards them, and the backup (pg_dump) holds them
 * without a second copy step. TOAST keeps the bytes out of the row, so listing cases never reads them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE monitoring_leads (
      id bigserial PRIMARY KEY,
      region_code char(12) NOT NULL REFERENCES regions (code),
      -- the channel of the first report; later reports keep theirs in monitoring_lead_reports
      channel text NOT NULL CHECK (channel IN ('self_report', 'cadre_visit', 'department_alert')),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'case_opened', 'dismissed')),
      -- one open lead per household (or per ID number when no household matched): repeated reports merge
      merge_key text NOT NULL,
      household_id bigint REFERENCES households (id),
      name text,
      id_number text,
      phone text,
      difficulty_types text[] NOT NULL DEFAULT '{}',
      description text,
      report_count int NOT NULL DEFAULT 1,
      dismissal_reason text,
      case_id bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX monitoring_leads_open_key ON monitoring_leads (merge_key) WHERE status = 'open';
    CREATE INDEX monitoring_leads_region_idx ON monitoring_leads (region_code, status, created_at DESC);

    CREATE TABLE monitoring_lead_reports (
      id bigserial PRIMARY KEY,
      lead_id bigint NOT NULL REFERENCES monitoring_leads (id),
      region_code char(12) NOT NULL,
      channel text NOT NULL CHECK (channel IN ('self_report', 'cadre_visit', 'department_alert')),
      name text,
      phone text,
      difficulty_types text[] NOT NULL DEFAULT '{}',
      description text,
      consent boolean NOT NULL DEFAULT false,
      -- department name, alert reference …
      source_detail jsonb NOT NULL DEFAULT '{}',
      user_id bigint,
      ip text,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX monitoring_lead_reports_lead_idx ON monitoring_lead_reports (lead_id, received_at);

    CREATE TABLE monitoring_cases (
      id bigserial PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('identification', 'elimination')),
      region_code char(12) NOT NULL REFERENCES regions (code),
      household_id bigint NOT NULL REFERENCES households (id),
      lead_id bigint REFERENCES monitoring_leads (id),
      state text NOT NULL,
      -- optimistic concurrency: every transition bumps it; a stale one is refused
      version int NOT NULL DEFAULT 1,
      step_started_at timestamptz NOT NULL DEFAULT now(),
      step_due_at timestamptz,
      chain_due_at timestamptz,
      -- proposed at verification, confirmed at county approval
      proposed_category text,
      proposed_risks text[] NOT NULL DEFAULT '{}',
      proposed_measures text[] NOT NULL DEFAULT '{}',
      elimination_method text,
      step_data jsonb NOT NULL DEFAULT '{}',
      outcome text CHECK (outcome IN ('approved', 'rejected')),
      outcome_reason text,
      created_by bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz
    );
    CREATE INDEX monitoring_cases_region_idx ON monitoring_cases (region_code, state);
    CREATE INDEX monitoring_cases_open_idx ON monitoring_cases (state, step_due_at) WHERE closed_at IS NULL;
    -- one open case of each kind per household
    CREATE UNIQUE INDEX monitoring_cases_open_household ON monitoring_cases (household_id, kind)
      WHERE closed_at IS NULL;

    CREATE TABLE monitoring_transitions (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES monitoring_cases (id),
      region_code char(12) NOT NULL,
      from_state text,
      to_state text NOT NULL,
      action text NOT NULL CHECK (action IN ('open', 'pass', 'reject', 'return')),
      reason text,
      data jsonb NOT NULL DEFAULT '{}',
      user_id bigint,
      actor_username text,
      actor_role text,
      occurred_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX monitoring_transitions_case_idx ON monitoring_transitions (case_id, occurred_at);

    CREATE TABLE monitoring_notices (
      case_id bigint PRIMARY KEY REFERENCES monitoring_cases (id),
      region_code char(12) NOT NULL,
      starts_on date NOT NULL,
      ends_on date NOT NULL CHECK (ends_on >= starts_on),
      place text NOT NULL,
      user_id bigint,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE monitoring_objections (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES monitoring_cases (id),
      region_code char(12) NOT NULL,
      received_on date NOT NULL,
      objector text,
      content text NOT NULL,
      resolution text,
      resolved_at timestamptz,
      user_id bigint,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX monitoring_objections_case_idx ON monitoring_objections (case_id);

    CREATE TABLE monitoring_attachments (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES monitoring_cases (id),
      region_code char(12) NOT NULL,
      kind text NOT NULL CHECK (kind IN ('consent', 'verification_form', 'deliberation_record', 'notice_photo', 'other')),
      file_name text NOT NULL,
      -- sniffed from the bytes, never taken from the request
      media_type text NOT NULL,
      size_bytes int NOT NULL,
      sha256 char(64) NOT NULL,
      content bytea NOT NULL,
      user_id bigint,
      uploaded_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX monitoring_attachments_case_idx ON monitoring_attachments (case_id);

    -- The key that signs the per-village QR tokens and the self-report challenges; made on first use.
    CREATE TABLE monitoring_keys (
      name text PRIMARY KEY,
      secret bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    -- Challenges answered once; rows past their expiry are removed as new ones arrive.
    CREATE TABLE monitoring_used_challenges (
      nonce text PRIMARY KEY,
      expires_at timestamptz NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE monitoring_used_challenges, monitoring_keys, monitoring_attachments, monitoring_objections,
      monitoring_notices, monitoring_transitions, monitoring_cases, monitoring_lead_reports, monitoring_leads;
  `.execute(db);
}
