import { type Kysely, sql } from 'kysely';

/**
 * The official working-day calendar: the days that differ from "Monday to Friday work, weekend off".
 * `holiday` is a weekday off (statutory holidays and the days joined to them), `workday` a Saturday or
 * Sunday worked in their place (调休上班). Time limits in working days count from this table; a year
 * is added with `shouwang calendar add` once the State Council publishes its notice (usually in
 * November of the year before).
 *
 * 2025: 国办发明电〔2024〕12号 (2024-11-12). 2026: the notice of 2025-11-04. Both checked against the
 * published texts. 2027: the State Council notice was not available when this was written; only the
 * statutory days of the 全国年节及纪念日放假办法 (2024 revision) are entered, with the lunar dates as
 * computed (除夕 Feb 5, 清明 Apr 5, 端午 Jun 9, 中秋 Sep 15), unverified, and no adjusted days.
 * Replace the year from the notice (`shouwang calendar add --year 2027 ...`) when it is out.
 */
const days: Array<[string, 'holiday' | 'workday', string]> = [
  // 2025
  ['2025-01-01', 'holiday', '元旦'],
  ['2025-01-26', 'workday', '春节调休'],
  ...range('2025-01-28', '2025-02-04', '春节'),
  ['2025-02-08', 'workday', '春节调休'],
  ...range('2025-04-04', '2025-04-06', '清明节'),
  ['2025-04-27', 'workday', '劳动节调休'],
  ...range('2025-05-01', '2025-05-05', '劳动节'),
  ...range('2025-05-31', '2025-06-02', '端午节'),
  ['2025-09-28', 'workday', '国庆节、中秋节调休'],
  ...range('2025-10-01', '2025-10-08', '国庆节、中秋节'),
  ['2025-10-11', 'workday', '国庆节、中秋节调休'],
  // 2026
  ...range('2026-01-01', '2026-01-03', '元旦'),
  ['2026-01-04', 'workday', '元旦调休'],
  ['2026-02-14', 'workday', '春节调休'],
  ...range('2026-02-15', '2026-02-23', '春节'),
  ['2026-02-28', 'workday', '春节调休'],
  ...range('2026-04-04', '2026-04-06', '清明节'),
  ...range('2026-05-01', '2026-05-05', '劳动节'),
  ['2026-05-09', 'workday', '劳动节调休'],
  ...range('2026-06-19', '2026-06-21', '端午节'),
  ['2026-09-20', 'workday', '国庆节调休'],
  ...range('2026-09-25', '2026-09-27', '中秋节'),
  ...range('2026-10-01', '2026-10-07', '国庆节'),
  ['2026-10-10', 'workday', '国庆节调休'],
  // 2027: statutory days only (see above)
  ['2027-01-01', 'holiday', '元旦'],
  ...range('2027-02-05', '2027-02-08', '春节'),
  ['2027-04-05', 'holiday', '清明节'],
  ...range('2027-05-01', '2027-05-02', '劳动节'),
  ['2027-06-09', 'holiday', '端午节'],
  ['2027-09-15', 'holiday', '中秋节'],
  ...range('2027-10-01', '2027-10-03', '国庆节'),
];

function range(first: string, last: string, name: string): Array<[string, 'holiday', string]> {
  const result: Array<[string, 'holiday', string]> = [];
  for (
    let day = Date.parse(`${first}T00:00:00Z`);
    day <= Date.parse(`${last}T00:00:00Z`);
    day += 86_400_000
  ) {
    result.push([new Date(day).toISOString().slice(0, 10), 'holiday', name]);
  }
  return result;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE working_calendar (
      day date PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
      name text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
  // Weekend days inside a holiday stretch are off anyway; keeping them names the holiday on the day.
  await sql`INSERT INTO working_calendar (day, kind, name)
    SELECT * FROM unnest(${days.map((day) => day[0])}::date[], ${days.map((day) => day[1])}::text[],
      ${days.map((day) => day[2])}::text[])`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE working_calendar`.execute(db);
}
