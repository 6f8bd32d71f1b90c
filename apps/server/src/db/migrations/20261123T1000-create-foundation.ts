import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE regions (
      code char(12) PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
      name text NOT NULL,
      level text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
      parent_code char(12) REFERENCES regions (code) DEFERRABLE INITIALLY DEFERRED,
      full_name text NOT NULL
    );
    CREATE INDEX regions_parent_code_idx ON regions (parent_code, code);

    CREATE TABLE roles (
      code text PRIMARY KEY,
      name text NOT NULL,
      levels text[] NOT NULL,
      sort_order int NOT NULL
    );
    CREATE TABLE role_permissions (
      role_code text NOT NULL REFERENCES roles (code) ON DELETE CASCADE,
      permission text NOT NULL CHECK (permission ~ '^[a-z][a-z-]*:[a-z][a-z-]*$'),
      PRIMARY KEY (role_code, permission)
    );

    CREATE TABLE users (
      id bigserial PRIMARY KEY,
      username text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{3,64}$'),
      display_name text NOT NULL,
      password_hash text NOT NULL,
      region_code char(12) NOT NULL REFERENCES regions (code),
      department text,
      phone text,
      must_change_password boolean NOT NULL DEFAULT true,
      failed_login_count int NOT NULL DEFAULT 0,
      locked_until timestamptz,
      totp_secret text,
      totp_enabled boolean NOT NULL DEFAULT false,
      disabled boolean NOT NULL DEFAULT false,
      last_login_at timestamptz,
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX users_region_code_idx ON users (region_code);
    CREATE TABLE user_roles (
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role_code text NOT NULL REFERENCES roles (code),
      PRIMARY KEY (user_id, role_code)
    );
    CREATE TABLE password_history (
      id bigserial PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX password_history_user_idx ON password_history (user_id, id DESC);

    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      second_factor_pending boolean NOT NULL,
      ip text,
      user_agent text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_user_idx ON sessions (user_id);
    CREATE INDEX sessions_expires_idx ON sessions (expires_at);

    CREATE TABLE settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text
    );

    -- Append-only, hash-chained, partitioned by month so that retention drops whole partitions.
    CREATE SEQUENCE audit_log_id_seq;
    CREATE TABLE audit_log (
      id bigint NOT NULL,
      occurred_at timestamptz NOT NULL,
      actor_user_id bigint,
      actor_username text,
      region_code char(12),
      ip text,
      action text NOT NULL,
      target_type text,
      target_id text,
      outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
      detail jsonb NOT NULL DEFAULT '{}',
      prev_hash text NOT NULL,
      hash text NOT NULL,
      PRIMARY KEY (id, occurred_at)
    ) PARTITION BY RANGE (occurred_at);
    CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at DESC);
    CREATE INDEX audit_log_region_idx ON audit_log (region_code, occurred_at DESC);
    CREATE INDEX audit_log_action_idx ON audit_log (action, occurred_at DESC);

    CREATE FUNCTION audit_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change();

    CREATE TABLE audit_chain_head (
      id int PRIMARY KEY CHECK (id = 1),
      last_id bigint,
      last_hash text NOT NULL,
      anchor_id bigint,
      anchor_prev_hash text NOT NULL
    );
    INSERT INTO audit_chain_head (id, last_id, last_hash, anchor_id, anchor_prev_hash)
      VALUES (1, NULL, repeat('0', 64), NULL, repeat('0', 64));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE audit_chain_head, audit_log, settings, sessions, password_history, user_roles, users,
      role_permissions, roles, regions;
    DROP SEQUENCE IF EXISTS audit_log_id_seq;
    DROP FUNCTION audit_log_reject_change();
  `.execute(db);
}
