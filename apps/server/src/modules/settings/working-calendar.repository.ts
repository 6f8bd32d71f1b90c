import { sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { DayKind } from './working-calendar.ts';

const dayText = sql<string>`to_char(day, 'YYYY-MM-DD')`;

export interface CalendarDay {
  day: string;
  kind: DayKind;
  name: string;
}

export class WorkingCalendarRepository {
  constructor(private readonly db: DB) {}

  async listBetween(first: string, last: string): Promise<CalendarDay[]> {
    return this.db
      .selectFrom('workingCalendar')
      .select([dayText.as('day'), 'kind', 'name'])
      .where('day', '>=', first)
      .where('day', '<=', last)
      .orderBy('day')
      .execute();
  }

  async listYears(): Promise<Array<{ year: number; holidays: number; workdays: number }>> {
    const rows = await this.db
      .selectFrom('workingCalendar')
      .select([
        sql<number>`extract(year FROM day)::int`.as('year'),
        sql<string>`count(*) FILTER (WHERE kind = 'holiday')`.as('holidays'),
        sql<string>`count(*) FILTER (WHERE kind = 'workday')`.as('workdays'),
      ])
      .groupBy(sql`extract(year FROM day)`)
      .orderBy('year')
      .execute();
    return rows.map((row) => ({
      year: row.year,
      holidays: Number(row.holidays),
      workdays: Number(row.workdays),
    }));
  }

  /** Replaces every day of `year` with `days`, in one transaction. */
  async replaceYear(year: number, days: CalendarDay[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('workingCalendar')
        .where('day', '>=', `${year}-01-01`)
        .where('day', '<=', `${year}-12-31`)
        .execute();
      if (days.length > 0) await trx.insertInto('workingCalendar').values(days).execute();
    });
  }
}
