import type { HouseholdInput, PersonInput } from '@shouwang/rules';
import type { DB } from '../../db/connection.ts';
import { withRegionScope } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';

/**
 * Loads households as the TS rule evaluator reads them (evaluateRule of @shouwang/rules): the
 * household row, its active members (by id), its income rows by year, its risks by position (index 0 = 致贫/返贫风险1) and its
 * measures by category. For re-checking a few households; set-based per table, never per household.
 */
export async function loadRuleInputs(
  db: DB,
  options: { scope: RegionRange; householdIds: readonly string[] },
): Promise<Map<string, HouseholdInput>> {
  const result = new Map<string, HouseholdInput>();
  if (options.householdIds.length === 0) return result;
  const households = await withRegionScope(db.selectFrom('households as h'), options.scope, 'h.regionCode')
    .selectAll('h')
    .where('h.id', 'in', [...options.householdIds])
    .execute();
  if (households.length === 0) return result;
  const ids = households.map((household) => household.id);
  for (const household of households) {
    result.set(household.id, { ...household, members: [], incomes: {}, risks: [], measures: {} });
  }
  const [persons, incomes, risks, measures] = await Promise.all([
    db
      .selectFrom('persons')
      .selectAll()
      .where('householdId', 'in', ids)
      .where('status', '=', 'active')
      .orderBy('id')
      .execute(),
    db.selectFrom('householdIncomes').selectAll().where('householdId', 'in', ids).execute(),
    db
      .selectFrom('householdRisks')
      .selectAll()
      .where('householdId', 'in', ids)
      .orderBy('householdId')
      .orderBy('position')
      .execute(),
    db.selectFrom('householdMeasures').selectAll().where('householdId', 'in', ids).execute(),
  ]);
  for (const person of persons) {
    result.get(person.householdId)?.members.push(person as unknown as PersonInput);
  }
  for (const income of incomes) {
    const household = result.get(income.householdId);
    if (household?.incomes) household.incomes[income.year] = income;
  }
  for (const risk of risks) {
    const positions = result.get(risk.householdId)?.risks;
    if (!positions) continue;
    while (positions.length < risk.position - 1) positions.push(null);
    positions[risk.position - 1] = risk.riskType.trim() || null;
  }
  for (const measure of measures) {
    const byCategory = result.get(measure.householdId)?.measures;
    if (!byCategory) continue;
    const values = byCategory[measure.category] ?? [];
    values.push(measure.value);
    byCategory[measure.category] = values;
  }
  return result;
}
