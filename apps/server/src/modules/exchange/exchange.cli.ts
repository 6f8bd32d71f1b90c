import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type CliContext, cliPrincipal, log, type RegisterCommands, withContext } from '../../cli-context.ts';
import { AppError } from '../../plugins/errors.ts';
import { progressLine } from '../../progress.ts';
import type { ImportPhase, ImportSummary } from './exchange.service.ts';

const phaseLabels: Record<ImportPhase, string> = {
  reading: '读取文件',
  validating: '校验数据',
  applying: '写入台账',
  done: '完成',
};

const countsLine = (label: string, counts: ImportSummary['households']) =>
  `${label}：新增 ${counts.inserted}，更新 ${counts.updated}，未变化 ${counts.unchanged}，标记缺失 ${counts.markedAbsent}`;

function printSummary(summary: ImportSummary) {
  const lines = [
    `${summary.dryRun ? '试导入' : '导入'}${summary.status === 'succeeded' ? '完成' : '失败'}（批次 ${summary.batchId}，${summary.rowsRead} 行，${summary.seconds} 秒）`,
  ];
  if (summary.status === 'succeeded') {
    lines.push(countsLine('户', summary.households), countsLine('人', summary.persons));
    if (summary.dryRun) lines.push('试导入：以上为将发生的变化，台账未写入');
  } else {
    lines.push(
      `${summary.rowsRejected} 行数据有错误，整个文件未导入。前 ${Math.min(20, summary.errors.length)} 条：`,
    );
    for (const error of summary.errors.slice(0, 20)) {
      lines.push(
        `  第 ${error.row} 行 ${error.column}${error.value ? `（${error.value}）` : ''}：${error.reason}`,
      );
    }
    lines.push(
      `全部错误明细：shouwang import errors ${summary.batchId} --output 错误明细.xlsx，` +
        `或在平台「数据交换 → 导入记录」下载（接口 GET /api/imports/${summary.batchId}/errors.xlsx）`,
    );
  }
  if (summary.unknownColumns.length > 0)
    lines.push(`未识别的列（已忽略）：${summary.unknownColumns.join('、')}`);
  for (const unknown of summary.unknownValues.slice(0, 20)) {
    lines.push(`未识别的值：${unknown.column}“${unknown.value}” ${unknown.count} 处（按空值导入）`);
  }
  if (summary.countyTotals.length > 0) {
    lines.push('地区总数核查（文件 / 平台）：');
    for (const county of summary.countyTotals) {
      lines.push(
        `  ${county.countyName}（${county.countyCode}）户 ${county.fileHouseholds} / ${county.platformHouseholds}，` +
          `人 ${county.filePersons} / ${county.platformPersons}`,
      );
    }
  }
  log(lines.join('\n'));
}

export const registerExchangeCommands: RegisterCommands = (program) => {
  const imports = program.command('import').description('数据导入');
  imports
    .command('national')
    .description('导入国家系统导出的监测对象信息（xlsx 或 csv，UTF-8 或 GB18030）')
    .argument('<file>', '文件路径')
    .option('--dry-run', '试导入：校验并报告将发生的变化，不写入台账')
    .option('--json', '在标准输出打印一个 JSON 格式的导入结果')
    .option('--year <year>', '收入数据的统计年度（默认当前年份）')
    .action((file: string, options: { dryRun?: boolean; json?: boolean; year?: string }) =>
      withContext(async ({ app, config }: CliContext) => {
        const year = options.year === undefined ? undefined : Number(options.year);
        if (year !== undefined && !Number.isInteger(year)) {
          throw new AppError('cli.invalid', 2, '--year 须为 4 位年份，如 2025');
        }
        const progress = progressLine('导入');
        const summary = await app.exchange.importNationalFile({
          filePath: file,
          principal: cliPrincipal(config),
          dryRun: options.dryRun ?? false,
          year,
          onProgress: ({ phase, rowsRead }) => progress.update(`${phaseLabels[phase]}，已读 ${rowsRead} 行`),
        });
        progress.done('');
        printSummary(summary);
        if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        if (summary.status !== 'succeeded') process.exitCode = 1;
      }),
    );
  imports
    .command('errors')
    .description('把一个导入批次的全部错误明细写成 xlsx')
    .argument('<batchId>', '批次号')
    .requiredOption('--output <file>', '输出文件路径')
    .action((batchId: string, options: { output: string }) =>
      withContext(async ({ app, config }: CliContext) => {
        const batch = await app.exchange.getBatchOrThrow(cliPrincipal(config), batchId);
        const output = createWriteStream(options.output);
        const count = await app.exchange.writeErrorsXlsx(batch, output);
        if (!output.writableFinished) await once(output, 'finish');
        log(`已写入 ${count} 条错误明细：${options.output}`);
      }),
    );
};
