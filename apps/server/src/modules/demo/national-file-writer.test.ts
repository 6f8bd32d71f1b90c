import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nationalColumns } from '@shouwang/domain';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS, { type ValueType, type Worksheet } from '../../excel.ts';
import { generateDemoHouseholds } from './demo.generator.ts';
import type { DemoVillage } from './demo-model.ts';
import { nationalFileColumns, nationalFileTitle, writeNationalFile } from './national-file-writer.ts';
import { villagesFromDivisionData } from './test-villages.ts';

const referenceDate = new Date(Date.UTC(2026, 10, 23));
let directory: string;
let villages: DemoVillage[];

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'demo-writer-'));
  villages = villagesFromDivisionData('410225');
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const options = (file: string) => ({
  file: path.join(directory, file),
  scale: 'county' as const,
  villages,
  households: 300,
  seed: 5,
  defects: 'importable' as const,
  year: 2026,
  referenceDate,
  regionName: '河南省开封市兰考县',
  exportedAt: new Date(2026, 10, 23, 9, 30, 0),
});

/** The rows the generator yields, as the strings the file must hold (header first). */
function expectedRows(): string[][] {
  const rows = [nationalFileColumns.map((column) => column.header)];
  for (const household of generateDemoHouseholds({ ...options('unused'), households: 300 })) {
    for (const member of household.members) {
      rows.push(
        nationalFileColumns.map((column) =>
          column.household ? household.household[column.field] : member[column.field],
        ),
      );
    }
  }
  return rows;
}

describe('writeNationalFile', () => {
  it('covers every national column, in the national order', () => {
    expect(nationalFileColumns.map((column) => column.header)).toEqual(
      nationalColumns.map((column) => column.header),
    );
  });

  it('writes an xlsx like the national download: title rows, header on row 3, every cell text', async () => {
    const result = await writeNationalFile(options('export.xlsx'));
    expect(result.format).toBe('xlsx');
    expect(result.households).toBe(300);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(result.file);
    const sheet = workbook.worksheets[0] as Worksheet;
    expect(sheet.getRow(1).getCell(1).value).toBe(nationalFileTitle);
    expect(sheet.getRow(2).getCell(1).value).toBe('区划：河南省开封市兰考县 导出时间：2026-11-23 09:30:00');
    expect(sheet.rowCount).toBe(3 + result.persons);
    const expected = expectedRows();
    const header = (sheet.getRow(3).values as unknown[]).slice(1);
    expect(header).toEqual(expected[0]);
    const types = new Set<ValueType>();
    for (let rowNumber = 4; rowNumber <= sheet.rowCount; rowNumber += 1) {
      const row = sheet.getRow(rowNumber);
      const values = (expected[rowNumber - 3] as string[]).map((_, index) => {
        const cell = row.getCell(index + 1);
        if (cell.value !== null) types.add(cell.type);
        return cell.value === null ? '' : cell.value;
      });
      expect(values).toEqual(expected[rowNumber - 3]);
    }
    expect([...types]).toEqual([ExcelJS.ValueType.String]);
  });

  it('writes a UTF-8 CSV with BOM, header on row 1, that parses back to the same rows', async () => {
    const result = await writeNationalFile(options('export.csv'));
    expect(result.encoding).toBe('utf8');
    const bytes = await readFile(result.file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true, relax_column_count: false }) as string[][];
    expect(rows).toEqual(expectedRows());
  });

  it('writes a GB18030 CSV that decodes back to the same rows', async () => {
    const result = await writeNationalFile({ ...options('export-gb.csv'), encoding: 'gb18030' });
    const bytes = await readFile(result.file);
    expect(bytes.includes(Buffer.from('户编号', 'utf8'))).toBe(false);
    const text = new TextDecoder('gb18030').decode(bytes);
    expect(parse(text) as string[][]).toEqual(expectedRows());
  });

  it('counts households, persons and injected defects', async () => {
    const result = await writeNationalFile({ ...options('counts.csv'), households: 2_000 });
    const households = [...generateDemoHouseholds({ ...options('unused'), households: 2_000 })];
    expect(result.households).toBe(2_000);
    expect(result.persons).toBe(households.reduce((sum, household) => sum + household.members.length, 0));
    const defects: Record<string, number> = {};
    for (const household of households) {
      for (const defect of household.defects) defects[defect.code] = (defects[defect.code] ?? 0) + 1;
    }
    expect(result.defects).toEqual(defects);
  });
});
