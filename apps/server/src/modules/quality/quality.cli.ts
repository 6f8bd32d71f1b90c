import { cliPrincipal, log, type RegisterCommands, withContext } from '../../cli-context.ts';
import { progressLine } from '../../progress.ts';
import { toRegionCode } from '../regions/region-code.ts';
import type { RunProgress } from './quality.service.ts';

const phaseLabels: Record<RunProgress['phase'], string> = {
  checking: '检查',
  merging: '更新问题记录',
  done: '完成',
};

function bar(progress: number, width = 30): string {
  const filled = Math.round(Math.min(Math.max(progress, 0), 1) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(progress * 100)}%`;
}

export const registerQualityCommands: RegisterCommands = (program) => {
  const rules = program.command('rules').description('数据质量规则');

  rules
    .command('run')
    .description('对全省（或所选区划）执行一次全量检查，更新问题记录')
    .option('--json', '以 JSON 输出每条规则标记的户数和人数')
    .option('--region <code>', '只检查该区划（2/4/6/9/12 位代码）')
    .action((options: { json?: boolean; region?: string }) =>
      withContext(async ({ app, config }) => {
        const progress = progressLine('数据质量检查');
        const started = Date.now();
        const result = await app.quality.run(cliPrincipal(config), {
          trigger: 'cli',
          regionCode: options.region ? toRegionCode(options.region) : undefined,
          onProgress: (state) => progress.update(`${phaseLabels[state.phase]} ${bar(state.progress)}`),
        });
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        const counts = result.run.counts as { found?: number; new?: number; fixed?: number };
        progress.done(
          `检查完成（检查记录 ${result.run.id}，${result.rules.length} 条规则，${seconds} 秒）：` +
            `发现问题 ${counts.found ?? 0} 条，其中新增 ${counts.new ?? 0} 条；已整改 ${counts.fixed ?? 0} 条`,
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ rules: result.rules })}\n`);
          return;
        }
        const names = new Map((await app.quality.listRules()).map((rule) => [rule.code, rule.name]));
        for (const rule of result.rules.filter((count) => count.households > 0)) {
          process.stdout.write(
            `${rule.code.padEnd(10)}${String(rule.households).padStart(8)} 户${String(rule.persons).padStart(8)} 人  ${names.get(rule.code) ?? ''}\n`,
          );
        }
      }),
    );

  rules
    .command('list')
    .description('列出规则：编码、启用、范围、严重程度、名称')
    .action(() =>
      withContext(async ({ app }) => {
        for (const rule of await app.quality.listRules()) {
          process.stdout.write(
            `${rule.code}\t${rule.enabled ? '启用' : '停用'}\t${rule.scope === 'person' ? '人' : '户'}\t` +
              `${rule.severity === 'error' ? '错误' : '提示'}\t${rule.name}\n`,
          );
        }
        log('修改规则：在平台「数据质量 → 规则」中编辑，或调用 PATCH /api/quality/rules/:code');
      }),
    );
};
