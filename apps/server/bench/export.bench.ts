import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beijingToday } from '@shouwang/domain';
import { sql } from 'kysely';
import ExcelJS from '../src/excel.ts';
import { systemPrincipal } from '../src/modules/access/system-principal.ts';
import { CustomStatisticsService } from '../src/modules/analytics/custom-statistics.service.ts';
import { AuditService } from '../src/modules/audit/audit.service.ts';
import { loadProvinceRegions } from '../src/modules/regions/regions.loader.ts';
import { RegionsService } from '../src/modules/regions/regions.service.ts';
import { SettingsService } from '../src/modules/settings/settings.service.ts';
import { generate } from './analytics.bench.ts';
import type { BenchContext } from './run.ts';

/**
 * The custom-statistics person export at scale: about `--rows` active persons spread over Henan
 * (the analytics generator, plus names and ID numbers), selected by an expression over the whole
 * province and written to an xlsx file through the real code path (cursor → masking → streaming sheet
 * writer). `--verify yes` reads the file back with ExcelJS's streaming reader and counts the rows.
 */
export const exportBenchmark = {
  description: 'custom statistics: export of ~1 M persons to xlsx (--rows persons, --verify yes)',
  async run(context: BenchContext) {
    const { database, options, report } = context;
    const persons = Number(options.rows ?? 1_000_000);
    const year = Number(beijingToday().slice(0, 4));
    await loadProvinceRegions(database.pool, '41');
    // About 2.94 active persons per generated household (1–5 members, 2 % deceased).
    const generateStarted = performance.now();
    await generate(context, Math.ceil(persons / 2.94), year);
    await sql`UPDATE persons SET
      name = (ARRAY['张', '王', '李', '赵', '刘', '陈', '杨', '黄'])[1 + id % 8]
        || (ARRAY['建国', '秀兰', '小明', '桂英', '德福', '红梅', '志强'])[1 + (id / 8) % 7],
      id_number = left(region_code, 6) || to_char(birth_date, 'YYYYMMDD') || lpad((id % 1000)::text, 3, '0') || 'X',
      gender = CASE WHEN id % 2 = 0 THEN 'female' ELSE 'male' END,
      ethnicity = '汉族'`.execute(database.db);
    await sql`VACUUM ANALYZE persons`.execute(database.db);
    const generatedSeconds = (performance.now() - generateStarted) / 1000;

    const service = new CustomStatisticsService(
      database.db,
      new RegionsService(database.db, database.pool),
      new SettingsService(database.db),
      new AuditService(database.db, '410000000000'),
    );
    const directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-export-'));
    const file = path.join(directory, 'persons.xlsx');
    try {
      const loadBefore = os.loadavg();
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 50);
      const started = performance.now();
      const rows = await service.exportPersons(
        systemPrincipal('41'),
        { expression: 'age >= 0', scope: 'person', regionCode: '410000000000' },
        { output: createWriteStream(file) },
      );
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      const loadAfter = os.loadavg();
      const size = (await stat(file)).size;
      const figures: Record<string, string | number> = {
        'persons exported': rows,
        'export (query + cursor + xlsx)': `${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s)`,
        'peak RSS during the export': `${(peakRss / 1024 / 1024).toFixed(0)} MB`,
        'file size': `${(size / 1024 / 1024).toFixed(1)} MB`,
        'load average (1 min) before / after': `${loadBefore[0]?.toFixed(2)} / ${loadAfter[0]?.toFixed(2)}`,
        'generated (SQL)': `${generatedSeconds.toFixed(1)} s`,
      };
      if (options.verify === 'yes') {
        const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {});
        let read = 0;
        for await (const sheet of reader) for await (const _row of sheet) read += 1;
        figures['rows read back by ExcelJS (4 above the data)'] = read;
      }
      report(figures);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  },
};
