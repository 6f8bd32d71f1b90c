import { log, type RegisterCommands, withContext } from '../../cli-context.ts';
import { AppError } from '../../plugins/errors.ts';
import type { DayKind } from './working-calendar.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `春节=2027-02-05..2027-02-11` or `春节调休=2027-02-14`: a name and a day or a range of days. */
function parseEntry(text: string, kind: DayKind): Array<{ day: string; kind: DayKind; name: string }> {
  const match = /^(.+?)=(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(text.trim());
  if (!match)
    throw new AppError(
      'cli.invalid',
      2,
      `无法识别「${text}」：应为 名称=YYYY-MM-DD 或 名称=YYYY-MM-DD..YYYY-MM-DD`,
    );
  const [, name, first, last] = match as unknown as [string, string, string, string | undefined];
  const days: Array<{ day: string; kind: DayKind; name: string }> = [];
  const end = Date.parse(`${last ?? first}T00:00:00Z`);
  for (let day = Date.parse(`${first}T00:00:00Z`); day <= end; day += 86_400_000) {
    days.push({ day: new Date(day).toISOString().slice(0, 10), kind, name });
  }
  if (days.length === 0 || days.length > 31)
    throw new AppError('cli.invalid', 2, `「${text}」的日期范围不正确`);
  return days;
}

export const registerCalendarCommands: RegisterCommands = (program) => {
  const calendar = program
    .command('calendar')
    .description('工作日历：法定节假日和调休上班日（办理时限按工作日计算）');

  calendar
    .command('list')
    .description('列出已登记的年份；给出 --year 时列出该年的每一天')
    .option('--year <year>', '年份，如 2027')
    .action((options: { year?: string }) =>
      withContext(async ({ app }) => {
        if (!options.year) {
          for (const year of await app.workingCalendar.listYears()) {
            process.stdout.write(`${year.year}\t放假 ${year.holidays} 天\t调休上班 ${year.workdays} 天\n`);
          }
          return;
        }
        for (const day of await app.workingCalendar.listYear(Number(options.year))) {
          process.stdout.write(`${day.day}\t${day.kind === 'holiday' ? '放假' : '上班'}\t${day.name}\n`);
        }
      }),
    );

  calendar
    .command('add')
    .description('登记（替换）一年的放假和调休上班日，按国务院办公厅当年的节假日安排通知')
    .requiredOption('--year <year>', '年份，如 2027')
    .option('--holiday <名称=日期或范围>', '放假，如 春节=2027-02-05..2027-02-11（可重复）', collect, [])
    .option('--workday <名称=日期>', '调休上班的周六或周日，如 春节调休=2027-02-14（可重复）', collect, [])
    .action((options: { year: string; holiday: string[]; workday: string[] }) =>
      withContext(async ({ app }) => {
        const days = [
          ...options.holiday.flatMap((text) => parseEntry(text, 'holiday')),
          ...options.workday.flatMap((text) => parseEntry(text, 'workday')),
        ].sort((a, b) => a.day.localeCompare(b.day));
        await app.workingCalendar.replaceYear(Number(options.year), days);
        await app.audit.record({
          action: 'settings.calendar_update',
          outcome: 'success',
          targetType: 'working_calendar',
          targetId: options.year,
          detail: { days: days.length, via: 'cli' },
        });
        const holidays = days.filter((day) => day.kind === 'holiday').length;
        log(`已登记 ${options.year} 年：放假 ${holidays} 天，调休上班 ${days.length - holidays} 天`);
      }),
    );
};
