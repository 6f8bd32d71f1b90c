import type { DB } from '../../db/connection.ts';
import { settingsErrors } from './settings.errors.ts';
import { type CalendarDay, WorkingCalendarRepository } from './working-calendar.repository.ts';
import { type DayKind, isWeekend, WorkingCalendar } from './working-calendar.ts';

const dayMilliseconds = 86_400_000;
const beijingOffset = 8 * 3_600_000;

const beijingDay = (instant: number) => new Date(instant + beijingOffset).toISOString().slice(0, 10);

function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

/**
 * The official working-day calendar (holidays and adjusted working days per year) and the one place
 * that turns "N working days" into an instant. Every computation reads the exceptions of its own
 * window, so a year added by one process counts in every other at once.
 */
export class WorkingCalendarService {
  private readonly repository: WorkingCalendarRepository;

  constructor(db: DB) {
    this.repository = new WorkingCalendarRepository(db);
  }

  /** The calendar of the days from `first` to `last` (YYYY-MM-DD, inclusive). */
  async between(first: string, last: string): Promise<WorkingCalendar> {
    const days = await this.repository.listBetween(first, last);
    return new WorkingCalendar(new Map(days.map((day) => [day.day, day.kind])));
  }

  /**
   * The moment a time limit ends: the end (Beijing midnight) of the `count`-th day after `start`,
   * counting working days by the calendar, or calendar days.
   */
  async addDays(start: Date, count: number, unit: 'working_days' | 'calendar_days'): Promise<Date> {
    const first = beijingDay(start.getTime());
    // Long enough for the longest run of days off (Spring Festival) on top of two weekends a week.
    const last = beijingDay(start.getTime() + (count * 2 + 30) * dayMilliseconds);
    return addDays(start, count, unit, unit === 'working_days' ? await this.between(first, last) : undefined);
  }

  async listYear(year: number): Promise<CalendarDay[]> {
    return this.repository.listBetween(`${year}-01-01`, `${year}-12-31`);
  }

  listYears() {
    return this.repository.listYears();
  }

  /**
   * Replaces a year's holidays and adjusted working days (as the State Council's notice gives them).
   * A `workday` must be a Saturday or Sunday; every day must be in the year; no day twice.
   */
  async replaceYear(year: number, days: Array<{ day: string; kind: DayKind; name: string }>): Promise<void> {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) {
      throw settingsErrors.invalidValue('year', ' 2000 至 2100 的年份');
    }
    const seen = new Set<string>();
    for (const entry of days) {
      if (!isCalendarDay(entry.day) || !entry.day.startsWith(`${year}-`)) {
        throw settingsErrors.invalidValue(entry.day, ` ${year} 年内 YYYY-MM-DD 格式的日期`);
      }
      if (seen.has(entry.day)) throw settingsErrors.invalidValue(entry.day, '不重复的日期');
      seen.add(entry.day);
      if (entry.kind === 'workday' && !isWeekend(entry.day)) {
        throw settingsErrors.invalidValue(entry.day, '周六或周日（调休上班日）');
      }
      if (!entry.name.trim()) throw settingsErrors.invalidValue(entry.day, '节日名称');
    }
    await this.repository.replaceYear(
      year,
      days.map((entry) => ({ ...entry, name: entry.name.trim() })),
    );
  }
}

/** As `WorkingCalendarService.addDays`, with the calendar given (Monday to Friday when none is). */
export function addDays(
  start: Date,
  count: number,
  unit: 'working_days' | 'calendar_days',
  calendar: WorkingCalendar = new WorkingCalendar(),
): Date {
  // Midnight at the start of the Beijing day of `start`, as a UTC instant.
  let dayStart =
    Math.floor((start.getTime() + beijingOffset) / dayMilliseconds) * dayMilliseconds - beijingOffset;
  let remaining = count;
  while (remaining > 0) {
    dayStart += dayMilliseconds;
    if (unit === 'calendar_days' || calendar.isWorkingDay(beijingDay(dayStart))) remaining -= 1;
  }
  return new Date(dayStart + dayMilliseconds);
}
