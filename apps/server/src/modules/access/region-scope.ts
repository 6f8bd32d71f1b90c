import { type Expression, type SqlBool, sql } from 'kysely';
import type { RegionRange } from '../regions/region-code.ts';

interface Whereable<Self> {
  where(expression: Expression<SqlBool>): Self;
}

/**
 * The one place where a caller's region scope becomes SQL. Every repository query on region-bound
 * rows (people, households, users, audit entries …) passes through here; never filter by a region
 * taken from the request instead.
 *
 * @param column the 12-digit region code column, e.g. `households.region_code`
 */
export function withRegionScope<QueryBuilder extends Whereable<QueryBuilder>>(
  query: QueryBuilder,
  scope: RegionRange,
  column: string,
): QueryBuilder {
  return query.where(regionScopeCondition(scope, column));
}

/** The same scope as a boolean expression, for the few set-based statements written as raw SQL. */
export function regionScopeCondition(scope: RegionRange, column: string): Expression<SqlBool> {
  const reference = sql.ref(column);
  return sql<SqlBool>`(${reference} >= ${scope.lo} AND ${reference} < ${scope.hi})`;
}
