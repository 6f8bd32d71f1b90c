import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { cliPrincipal, log, type RegisterCommands, withContext } from '../../cli-context.ts';
import type { AppConfig } from '../../config.ts';
import { progressLine } from '../../progress.ts';
import type { ImportPhase, ImportSummary } from '../exchange/exchange.service.ts';
import { demoErrors } from './demo.errors.ts';
import type { DefectMode, DemoScale } from './demo.generator.ts';
import { DemoService } from './demo.service.ts';
import type { CsvEncoding } from './national-file-writer.ts';

interface SeedCommandOptions {
  scale: string;
  region?: string;
  seed: string;
  toFile?: string;
  encoding: string;
  defects: string;
  year?: string;
  households?: string;
}

const scaleNames: Record<DemoScale, string> = { county: '县', city: '市', province: '省' };
const phaseNames: Record<ImportPhase, string> = {
  reading: '读取',
  validating: '校验',
  applying: '写入',
  done: '完成',
};

const demoService = (app: FastifyInstance) =>
  new DemoService({ db: app.db, province: app.config.province, exchange: app.exchange });

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw demoErrors.invalidOption(option, allowed.join(' | '));
  return value as T;
}

function wholeNumber(
  option: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw demoErrors.invalidOption(option, `${min} 至 ${max} 的整数`);
  }
  return number;
}

function describeDefects(defects: Record<string, number>): string {
  const households = Object.values(defects).reduce((sum, count) => sum + count, 0);
  return households === 0
    ? '未注入问题数据'
    : `注入问题数据 ${households} 户（${Object.keys(defects).length} 类规则）`;
}

function describeImport(summary: ImportSummary): string {
  const { households, persons } = summary;
  const lines = [
    `导入批次 ${summary.batchId}：${summary.status === 'succeeded' ? '成功' : '失败'}（${summary.seconds.toFixed(1)} 秒，${summary.rowsRead} 行）`,
    `  户：新增 ${households.inserted}，更新 ${households.updated}，未变 ${households.unchanged}，标记缺失 ${households.markedAbsent}`,
    `  人：新增 ${persons.inserted}，更新 ${persons.updated}，未变 ${persons.unchanged}，标记缺失 ${persons.markedAbsent}`,
  ];
  if (summary.rowsRejected > 0)
    lines.push(`  拒绝 ${summary.rowsRejected} 行；首条错误：${JSON.stringify(summary.errors[0])}`);
  return lines.join('\n');
}

async function seed(
  app: FastifyInstance,
  config: AppConfig,
  options: {
    scale: DemoScale;
    region?: string;
    seed: number;
    defects: DefectMode;
    year?: number;
    households?: number;
  },
): Promise<ImportSummary> {
  const demo = demoService(app);
  const writing = progressLine('生成演示数据');
  const importing = progressLine('导入');
  const { file, summary } = await demo.seed({
    ...options,
    principal: cliPrincipal(config),
    onProgress: ({ households, persons }) => writing.update(`${households} 户 ${persons} 人`),
    onImportProgress: ({ phase, rowsRead }) => {
      writing.done('');
      importing.update(`${phaseNames[phase]} ${rowsRead} 行`);
    },
  });
  importing.done('');
  log(
    `已生成 ${file.regionName} 演示数据 ${file.households} 户 ${file.persons} 人，${describeDefects(file.defects)}`,
  );
  log(describeImport(summary));
  return summary;
}

export const registerDemoCommands: RegisterCommands = (program) => {
  const demo = program.command('demo').description('演示数据');
  demo
    .command('seed')
    .description('为本省真实村庄生成演示户和人口：写出国家系统导出文件，或经国家系统同步导入写入登记库')
    .option(
      '--scale <scale>',
      '规模：county（一个县，约 2 万户）| city（该县所在市）| province（全省，约 200 万户）',
      'county',
    )
    .option('--region <code>', '县级 6 位或市级 4 位代码（默认：演示县及其所在市）')
    .option('--seed <n>', '随机种子：同一种子生成完全相同的数据', '1')
    .option('--to-file <path>', '只写文件（.xlsx 或 .csv），不导入')
    .option('--encoding <encoding>', 'CSV 编码：utf8（带 BOM）| gb18030', 'utf8')
    .option(
      '--defects <mode>',
      '注入问题数据：none | importable（导入可接受的）| all（含导入会拒绝的）',
      'importable',
    )
    .option('--year <year>', '收入统计年度（默认今年）')
    .option('--households <n>', '户数（默认按规模）')
    .action((options: SeedCommandOptions) =>
      withContext(async ({ app, config }) => {
        const scale = oneOf('--scale', options.scale, ['county', 'city', 'province'] as const);
        const common = {
          scale,
          region: options.region,
          seed: wholeNumber('--seed', options.seed, 0, 2 ** 31 - 1) ?? 1,
          defects: oneOf('--defects', options.defects, ['none', 'importable', 'all'] as const),
          year: wholeNumber('--year', options.year, 2000, 2100),
          households: wholeNumber('--households', options.households, 1, 10_000_000),
        };
        const encoding = oneOf<CsvEncoding>('--encoding', options.encoding, ['utf8', 'gb18030']);
        if (!options.toFile) {
          await seed(app, config, common);
          return;
        }
        const extension = path.extname(options.toFile).toLowerCase();
        if (extension !== '.xlsx' && extension !== '.csv')
          throw demoErrors.invalidOption('--to-file', '.xlsx 或 .csv 文件');
        const progress = progressLine(`生成演示数据（${scaleNames[scale]}级）`);
        const started = Date.now();
        const result = await demoService(app).writeFile({
          ...common,
          file: path.resolve(options.toFile),
          encoding,
          onProgress: ({ households, persons }) => progress.update(`${households} 户 ${persons} 人`),
        });
        const seconds = (Date.now() - started) / 1000;
        progress.done(
          `已写出 ${result.file}：${result.regionName} ${result.households} 户 ${result.persons} 人，` +
            `${describeDefects(result.defects)}（${seconds.toFixed(1)} 秒，${Math.round(result.persons / seconds)} 行/秒）`,
        );
      }),
    );
};

/** `start`: on the first run, when the registry has no household, seed the demo county through the import. */
export async function seedDemoCountyOnFirstRun(app: FastifyInstance, config: AppConfig): Promise<void> {
  if (process.env.SHOUWANG_DEMO === 'false') return;
  const demo = demoService(app);
  if (!(await demo.registryIsEmpty())) return;
  log('首次启动：为演示县生成户和人口，经国家系统同步导入登记库…');
  try {
    await seed(app, config, { scale: 'county', seed: 1, defects: 'importable' });
  } catch (error) {
    log(`演示数据导入失败（平台照常启动）：${error instanceof Error ? error.message : String(error)}`);
  }
}
