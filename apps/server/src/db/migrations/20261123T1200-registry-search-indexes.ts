import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the household and person lists at province scale (2 M households, 6 M persons), where
 * each filter of the list must find its first page without walking the scope. Measured with EXPLAIN
 * ANALYZE; see the registry module's notes. Redundant indexes they replace are dropped, as every one
 * slows the national sync's writes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Name search, exact or by its beginning (LIKE '张%'): under a non-C collation a plain b-tree
    -- serves only equality; text_pattern_ops serves both.
    CREATE INDEX persons_name_pattern_idx ON persons (name text_pattern_ops);
    DROP INDEX persons_name_idx;

    -- ID search by its last digits: the beginning of the reversed ID.
    CREATE INDEX persons_id_suffix_idx ON persons (reverse(upper(left(id_number, 18))) text_pattern_ops);

    -- The person list pages in (region, household, person) order straight from the index.
    CREATE INDEX persons_region_list_idx ON persons (region_code, household_id, id);
    DROP INDEX persons_region_idx;

    -- The risk-type filter starts from the risk side and reaches households by id.
    CREATE INDEX household_risks_type_household_idx ON household_risks (risk_type, household_id);
    DROP INDEX household_risks_type_idx;

    -- The category filter pages in list order (region, 户编号) within one category.
    CREATE INDEX households_monitoring_list_idx ON households (monitoring_category, region_code, household_no)
      WHERE monitoring_category IS NOT NULL;
    DROP INDEX households_monitoring_idx;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX households_monitoring_idx ON households (monitoring_category, region_code)
      WHERE monitoring_category IS NOT NULL;
    DROP INDEX households_monitoring_list_idx;
    CREATE INDEX household_risks_type_idx ON household_risks (risk_type);
    DROP INDEX household_risks_type_household_idx;
    CREATE INDEX persons_region_idx ON persons (region_code);
    DROP INDEX persons_region_list_idx;
    DROP INDEX persons_id_suffix_idx;
    CREATE INDEX persons_name_idx ON persons (name);
    DROP INDEX persons_name_pattern_idx;
  `.execute(db);
}
