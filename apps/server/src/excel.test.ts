import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from './excel.ts';

describe('ExcelJS streaming reader', () => {
  it('reads Chinese text intact across chunk boundaries', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-excel-'));
    const file = path.join(directory, 'chinese.xlsx');
    try {
      const labels = ['脱贫不稳定户', '边缘易致贫户', '弱劳动力或半劳动力', '河南省开封市兰考县堌阳镇城内村'];
      const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
        filename: file,
        useStyles: false,
        useSharedStrings: false,
      });
      const sheet = writer.addWorksheet('sheet1');
      for (let index = 0; index < 20_000; index += 1) {
        sheet.addRow([String(index), labels[index % labels.length], `第${index}户`]).commit();
      }
      sheet.commit();
      await writer.commit();

      const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
        sharedStrings: 'cache',
        worksheets: 'emit',
      });
      let rows = 0;
      const damaged: string[] = [];
      for await (const worksheet of reader) {
        for await (const row of worksheet) {
          const values = (row.values as unknown[]).slice(1).map(String);
          if (values.some((value) => value.includes('\uFFFD'))) damaged.push(values.join('|'));
          expect(values[1]).toBe(labels[Number(values[0]) % labels.length]);
          rows += 1;
        }
      }
      expect(damaged).toEqual([]);
      expect(rows).toBe(20_000);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
