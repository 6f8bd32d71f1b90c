import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { cliPrincipal, log, type RegisterCommands, withContext } from '../../cli-context.ts';
import { toRegionCode } from '../regions/region-code.ts';
import { analyticsErrors } from './analytics.errors.ts';
import { reportDefinitions, reportNames } from './analytics.reports.ts';
import type { ReportQuery, ReportView } from './analytics.service.ts';

interface ReportCommandOptions {
  region: string;
  year?: string;
  householdType?: string;
  monitored?: string;
  eliminationYear?: string;
  json?: boolean;
  xlsx?: string;
}

function yearOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const year = Number(value);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw analyticsErrors.invalidFilter(option, '2000 至 2100 的年份');
  }
  return year;
}

/** One object per child region, then the totals row; values keyed by column key. */
export function reportAsJson(view: ReportView) {
  const valuesOf = (values: number[]) =>
    Object.fromEntries(view.columns.map((column, index) => [column.key, values[index] ?? 0]));
  return {
    report: view.report.name,
    title: view.report.title,
    region: { code: view.region.code, name: view.region.fullName, level: view.region.level },
    filters: view.filters,
    referenceDate: view.referenceDate,
    dataDate: view.dataDate.toISOString(),
    columns: view.columns.map((column) => ({ key: column.key, header: column.path.join(' / ') })),
    rows: view.rows.map((row) => ({
      regionCode: row.regionCode,
      regionName: row.regionName,
      ...valuesOf(row.values),
    })),
    total: {
      regionCode: view.totals.regionCode,
      regionName: view.totals.regionName,
      ...valuesOf(view.totals.values),
    },
  };
}

function reportAsText(view: ReportView): string {
  const header = ['区划', ...view.columns.map((column) => column.path.join('/'))];
  const lines = [
    `${view.region.fullName}${view.report.title}（${view.filterText}；统计基准日 ${view.referenceDate}）`,
    header.join('\t'),
    ['合计', ...view.totals.values].join('\t'),
    ...view.rows.map((row) => [row.regionName, ...row.values].join('\t')),
  ];
  return `${lines.join('\n')}\n`;
}

export const registerAnalyticsCommands: RegisterCommands = (program) => {
  program
    .command('report')
    .description(`标准报表：所选区划下一级各行及合计行。报表：${reportNames.join(' ')}`)
    .argument('<name>', reportNames.map((name) => `${name}（${reportDefinitions[name].title}）`).join('，'))
    .requiredOption('--region <code>', '区划代码（12 位，或 2/4/6/9 位简码）')
    .option('--year <year>', '统计年度（默认最近一年）')
    .option('--household-type <type>', '户类型：lifted | lifted_enjoying | lifted_not_enjoying | ordinary')
    .option('--monitored <state>', '监测对象：monitored | eliminated | not_eliminated | not_monitored')
    .option('--elimination-year <year>', '消除年度（仅 elimination-interval）')
    .option('--json', '以 JSON 输出：每个下级区划一行，另有合计')
    .option('--xlsx <file>', '导出为 Excel 文件（与页面所示一致）')
    .action((name: string, options: ReportCommandOptions) =>
      withContext(async ({ app, config }) => {
        const principal = cliPrincipal(config);
        const query: ReportQuery = {
          report: name,
          regionCode: toRegionCode(options.region),
          year: yearOption('--year', options.year),
          householdType: options.householdType,
          monitored: options.monitored,
          eliminationYear: yearOption('--elimination-year', options.eliminationYear),
        };
        if (options.xlsx) {
          // The view first: a wrong region or filter leaves no empty file behind.
          const view = await app.analytics.getReport(principal, query);
          const file = path.resolve(options.xlsx);
          const output = createWriteStream(file);
          const closed = once(output, 'close');
          await app.analytics.exportView(principal, view, { output });
          await closed;
          log(`已导出 ${view.region.fullName}${view.report.title}：${file}`);
          return;
        }
        const view = await app.analytics.getReport(principal, query);
        process.stdout.write(
          options.json ? `${JSON.stringify(reportAsJson(view), null, 2)}\n` : reportAsText(view),
        );
      }),
    );

  program
    .command('analytics')
    .description('统计分析')
    .command('refresh')
    .description('按登记库当前数据重新生成统计数据（导入国家系统数据后会自动执行）')
    .action(() =>
      withContext(async ({ app }) => {
        const result = await app.analytics.refresh('cli');
        await app.audit.record({
          action: 'analytics.refresh',
          actorUsername: 'cli',
          outcome: 'success',
          detail: { ...result },
        });
        log(
          `统计数据已生成：年度 ${result.years.join('、')}，${result.cubeRows} 行，用时 ${(result.milliseconds / 1000).toFixed(1)} 秒`,
        );
      }),
    );
};
