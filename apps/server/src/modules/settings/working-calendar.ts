/**
 * Which days are working days: Monday to Friday, except the official holidays, plus the Saturdays and
 * Sundays worked in their place (调休), as the `working_calendar` table keeps them. Pure: the service
 * reads the exceptions of a window of days and hands them here.
 */
export type DayKind = 'holiday' | 'workday';

export class WorkingCalendar {
  constructor(private readonly exceptions: ReadonlyMap<string, DayKind> = new Map()) {}

  /** `day` as YYYY-MM-DD. */
  isWorkingDay(day: string): boolean {
    const exception = this.exceptions.get(day);
    if (exception) return exception === 'workday';
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }
}

/** Monday to Friday, for callers that have no calendar (and as the fallback of a year not yet kept). */
export const weekdaysOnly = new WorkingCalendar();

export const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
