import { type Kysely, sql } from 'kysely';

/**
 * Households, persons, yearly incomes, risks and measures, and the field-level history of every change.
 * Code-table columns hold the stable codes of @shouwang/domain; blank (unknown) is NULL, never zero.
 * Every row carries its village region_code so that a scope filter needs no join.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE households (
      id bigserial PRIMARY KEY,
      region_code char(12) NOT NULL REFERENCES regions (code),
      household_no text NOT NULL UNIQUE,
      household_type text,
      monitoring_category text,
      identified_at text,
      risk_eliminated boolean,
      elimination_method text,
      eliminated_at text,
      other_note text,
      policy_enjoyed boolean,
      household_phone text,
      no_labour_safety_net boolean,
      arable_land numeric,
      forest_land numeric,
      returned_farmland numeric,
      orchard_land numeric,
      pasture_land numeric,
      water_surface numeric,
      distance_to_road numeric,
      road_hardened boolean,
      housing_area numeric,
      dangerous_house boolean,
      has_electricity boolean,
      has_sanitary_toilet boolean,
      safe_drinking_water boolean,
      child_dropout boolean,
      uninsured_member boolean,
      development_assistance text,
      public_job_assistance_note text,
      collector_name text,
      collector_phone text,
      -- active, or absent from the latest national snapshot of its region (never deleted)
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'absent')),
      last_batch_id bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX households_region_idx ON households (region_code, household_no);
    CREATE INDEX households_monitoring_idx ON households (monitoring_category, region_code)
      WHERE monitoring_category IS NOT NULL;

    CREATE TABLE persons (
      id bigserial PRIMARY KEY,
      household_id bigint NOT NULL REFERENCES households (id),
      region_code char(12) NOT NULL,
      person_no text,
      name text,
      id_number text,
      id_type text,
      relation text,
      gender text,
      birth_date date,
      ethnicity text,
      phone text,
      work_location text,
      employment_channel text,
      education text,
      schooling text,
      non_attendance_reason text,
      health text,
      labor_skill text,
      public_job text,
      public_job_months int,
      resident_medical_insurance boolean,
      employee_medical_insurance boolean,
      critical_illness_insurance boolean,
      medical_aid boolean,
      resident_pension boolean,
      employee_pension boolean,
      dibao text,
      tekun text,
      tekun_allowance numeric,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deceased', 'moved_out', 'absent')),
      last_batch_id bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX persons_household_idx ON persons (household_id);
    CREATE INDEX persons_region_idx ON persons (region_code);
    -- Department files join on the first 18 characters, upper-cased. Not unique: duplicates that reach
    -- the registry are what quality rule ID-007 reports.
    CREATE INDEX persons_id_number_idx ON persons ((upper(left(id_number, 18))));
    CREATE INDEX persons_person_no_idx ON persons (person_no) WHERE person_no IS NOT NULL;
    CREATE INDEX persons_name_idx ON persons (name);

    CREATE TABLE household_incomes (
      household_id bigint NOT NULL REFERENCES households (id),
      year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
      region_code char(12) NOT NULL,
      net_income_per_person numeric,
      wage_income numeric,
      business_income numeric,
      property_income numeric,
      transfer_income numeric,
      business_expense numeric,
      eligible_medical_cost numeric,
      post_child_dropout boolean,
      post_housing_damaged boolean,
      post_uninsured_member boolean,
      post_water_damaged boolean,
      post_wage_income numeric,
      post_property_income numeric,
      post_transfer_income numeric,
      post_business_income numeric,
      post_business_expense numeric,
      post_net_income numeric,
      post_net_income_per_person numeric,
      post_insurance_claims numeric,
      post_eligible_medical_cost numeric,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (household_id, year)
    );
    CREATE INDEX household_incomes_region_idx ON household_incomes (region_code, year);

    CREATE TABLE household_risks (
      household_id bigint NOT NULL REFERENCES households (id),
      position smallint NOT NULL CHECK (position BETWEEN 1 AND 5),
      risk_type text NOT NULL,
      PRIMARY KEY (household_id, position)
    );
    CREATE INDEX household_risks_type_idx ON household_risks (risk_type);

    CREATE TABLE household_measures (
      household_id bigint NOT NULL REFERENCES households (id),
      category text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (household_id, category, value)
    );

    CREATE TABLE field_history (
      id bigserial PRIMARY KEY,
      household_id bigint NOT NULL,
      person_id bigint,
      region_code char(12) NOT NULL,
      -- household, person, income:<year>, risks, measures
      entity text NOT NULL,
      field text NOT NULL,
      old_value text,
      new_value text,
      -- national_sync, department:<name>, cadre, rule_fix
      source text NOT NULL,
      batch_id bigint,
      user_id bigint,
      changed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX field_history_household_idx ON field_history (household_id, changed_at DESC);
    CREATE INDEX field_history_batch_idx ON field_history (batch_id) WHERE batch_id IS NOT NULL;

    CREATE TABLE import_batches (
      id bigserial PRIMARY KEY,
      kind text NOT NULL,
      file_name text NOT NULL,
      file_sha256 text,
      file_size bigint,
      statistics_year int,
      dry_run boolean NOT NULL DEFAULT false,
      status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
      phase text,
      rows_read bigint NOT NULL DEFAULT 0,
      user_id bigint,
      actor_username text,
      region_code char(12) NOT NULL,
      summary jsonb NOT NULL DEFAULT '{}',
      error text,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    );
    CREATE INDEX import_batches_region_idx ON import_batches (region_code, started_at DESC);

    CREATE TABLE import_row_errors (
      batch_id bigint NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
      row_number int NOT NULL,
      column_name text,
      value text,
      reason text NOT NULL
    );
    CREATE INDEX import_row_errors_batch_idx ON import_row_errors (batch_id, row_number);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE import_row_errors, import_batches, field_history, household_measures, household_risks,
      household_incomes, persons, households;
  `.execute(db);
}
