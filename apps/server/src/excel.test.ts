import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import archiver from 'archiver';
import unzipper from 'unzipper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS, { readFirstWorksheetRows, XlsxPackageError } from './excel.ts';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-excel-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function rowsOf(file: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of readFirstWorksheetRows(file)) {
    rows.push(
      (row.values as unknown[]).slice(1).map((value) => (value instanceof Date ? 'date' : String(value))),
    );
  }
  return rows;
}

/**
 * Rewrites the zip package `from` into `to` with its parts in the given order (the rest after them),
 * each part's text passed through `edit`.
 */
async function rewritePackage(
  from: string,
  to: string,
  first: string[],
  edit: (name: string, text: string) => string = (_name, text) => text,
) {
  const source = await unzipper.Open.file(from);
  const parts = new Map<string, Buffer>();
  for (const file of source.files) {
    if (file.type === 'File')
      parts.set(file.path, Buffer.from(edit(file.path, (await file.buffer()).toString())));
  }
  const names = [...first, ...[...parts.keys()].filter((name) => !first.includes(name))];
  const archive = archiver('zip');
  const written = new Promise<void>((resolve, reject) => {
    const output = createWriteStream(to);
    output.on('close', () => resolve());
    archive.on('error', reject);
    archive.pipe(output);
  });
  for (const name of names) archive.append(parts.get(name) as Buffer, { name });
  await archive.finalize();
  await written;
}

describe('reading the first worksheet of an xlsx', () => {
  it('reads Chinese text intact across chunk boundaries', async () => {
    const file = path.join(directory, 'chinese.xlsx');
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

    const rows = await rowsOf(file);
    expect(rows.filter((values) => values.some((value) => value.includes('\uFFFD')))).toEqual([]);
    expect(rows.filter((values) => values[1] !== labels[Number(values[0]) % labels.length])).toEqual([]);
    expect(rows).toHaveLength(20_000);
  });

  it('reads the parts in any order: the workbook after the sheet, shared strings before it', async () => {
    const written = path.join(directory, 'written.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('数据');
    sheet.addRow(['户编号', '姓名', '出生日期']);
    sheet.addRow(['4102251012000001', '张三', new Date(Date.UTC(1960, 1, 29))]);
    sheet.getCell('C2').numFmt = 'yyyy-mm-dd';
    await workbook.xlsx.writeFile(written);
    // ExcelJS's own streaming reader fails on this order every time (the sheet is parsed before the
    // workbook that names it).
    const reordered = path.join(directory, 'reordered.xlsx');
    await rewritePackage(written, reordered, [
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
      'xl/worksheets/sheet1.xml',
      'xl/workbook.xml',
    ]);
    expect(await rowsOf(reordered)).toEqual([
      ['户编号', '姓名', '出生日期'],
      ['4102251012000001', '张三', 'date'],
    ]);
  });

  it('takes the first sheet in the workbook order, not in the order of the files', async () => {
    const written = path.join(directory, 'two-sheets.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['本表为说明页']);
    workbook.addWorksheet('数据').addRow(['户编号']);
    await workbook.xlsx.writeFile(written);
    // The sheet moved to the front in Excel: its file is still sheet2.xml.
    const moved = path.join(directory, 'moved.xlsx');
    await rewritePackage(written, moved, [], (name, text) => {
      if (name !== 'xl/workbook.xml') return text;
      const sheets = text.match(/<sheet [^>]*\/>/g) ?? [];
      expect(sheets).toHaveLength(2);
      return text.replace(`${sheets[0]}${sheets[1]}`, `${sheets[1]}${sheets[0]}`);
    });
    expect(await rowsOf(moved)).toEqual([['户编号']]);
  });

  it('refuses a cut-off package as truncated and anything else as not an xlsx, before any row', async () => {
    const whole = path.join(directory, 'whole.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('数据').addRow(['户编号']);
    await workbook.xlsx.writeFile(whole);
    const cut = path.join(directory, 'cut.xlsx');
    const bytes = await readFile(whole);
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.9)));
    const text = path.join(directory, 'text.xlsx');
    await writeFile(text, 'not a zip file at all');

    const kindOf = (file: string) =>
      rowsOf(file).then(
        () => 'read',
        (error: unknown) => (error instanceof XlsxPackageError ? error.kind : String(error)),
      );
    expect(await kindOf(cut)).toBe('truncated');
    expect(await kindOf(text)).toBe('not-xlsx');
  });
});
