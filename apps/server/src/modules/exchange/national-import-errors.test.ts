import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hasValidIdFormat } from '@shouwang/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { AppError } from '../../plugins/errors.ts';
import {
  buildHousehold,
  defaultHeaders,
  type NationalRow,
  nationalCsvText,
  writeNationalCsv,
  writeNationalXlsx,
} from './fixtures/national-file-builder.ts';
import { registryFingerprint } from './fixtures/registry-fingerprint.ts';
import { idFormatPattern } from './national-staging.repository.ts';

let harness: TestApp;
let directory: string;
let fingerprint: Awaited<ReturnType<typeof registryFingerprint>>;

const fileIn = (name: string) => path.join(directory, name);
const importFile = (filePath: string) =>
  harness.app.exchange.importNationalFile({ filePath, principal: harness.system, year: 2025 });

function validRows(): NationalRow[] {
  return [
    ...buildHousehold({ sequence: 1 }),
    ...buildHousehold({ sequence: 2, place: 'renzhuang' }),
    ...buildHousehold({ sequence: 3 }),
  ];
}

async function batchOf(batchId: string) {
  return harness.database.db
    .selectFrom('importBatches')
    .selectAll()
    .where('id', '=', batchId)
    .executeTakeFirstOrThrow();
}

async function lastBatch() {
  return harness.database.db
    .selectFrom('importBatches')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  harness = await createTestApp();
  directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-import-errors-'));
  const file = fileIn('valid.xlsx');
  await writeNationalXlsx(file, validRows());
  expect((await importFile(file)).status).toBe('succeeded');
  fingerprint = await registryFingerprint(harness.database.db);
});
afterAll(async () => {
  await harness?.close();
  await rm(directory, { recursive: true, force: true });
});

/** Imports rows changed by `edit` as an xlsx (data from row 4) and expects a refusal that changed nothing. */
async function expectRefused(edit: (rows: NationalRow[]) => void) {
  const rows = validRows();
  edit(rows);
  const file = fileIn(`bad-${Date.now()}.xlsx`);
  await writeNationalXlsx(file, rows);
  const summary = await importFile(file);
  expect(summary.status).toBe('failed');
  expect(summary.households).toEqual({ inserted: 0, updated: 0, unchanged: 0, markedAbsent: 0 });
  expect(await registryFingerprint(harness.database.db)).toEqual(fingerprint);
  const batch = await batchOf(summary.batchId);
  expect(batch.status).toBe('failed');
  const stored = await harness.database.db
    .selectFrom('importRowErrors')
    .select(['rowNumber', 'columnName', 'value', 'reason'])
    .where('batchId', '=', summary.batchId)
    .orderBy('rowNumber')
    .execute();
  expect(
    stored.map((error) => ({
      row: error.rowNumber,
      column: error.columnName,
      value: error.value ?? '',
      reason: error.reason,
    })),
  ).toEqual(summary.errors);
  return summary;
}

describe('national import refuses a bad file with located errors and changes nothing', () => {
  it('a village that is not in the province', async () => {
    const summary = await expectRefused((rows) => {
      for (const row of rows.slice(3, 6)) row.村 = '幸福村';
    });
    expect(summary.rowsRejected).toBe(3);
    expect(summary.errors[0]).toEqual({
      row: 7,
      column: '村',
      value: '幸福村',
      reason: '县“兰考县”乡“堌阳镇”村“幸福村”在本省区划中找不到对应的村',
    });
  });

  it('a village name that fits two villages, naming both', async () => {
    const summary = await expectRefused((rows) => {
      // 文峰区紫薇大道街道 has 三官庙社区居委会 and 三官庙村民委员会.
      Object.assign(rows[0] as NationalRow, { 县: '文峰区', 乡: '紫薇大道街道', 村: '三官庙' });
    });
    expect(summary.errors[0]).toEqual({
      row: 4,
      column: '村',
      value: '三官庙',
      reason:
        '县“文峰区”乡“紫薇大道街道”村“三官庙”对应多个村（410502012007、410502012200），请在文件中加入区划代码列',
    });
  });

  it('an ID number of the wrong format', async () => {
    const summary = await expectRefused((rows) => {
      (rows[1] as NationalRow).证件号码 = '41022519600201123';
    });
    expect(summary.errors).toEqual([
      {
        row: 5,
        column: '证件号码',
        value: '41022519600201123',
        reason: '证件号码格式不正确：应为 18 位（末位可为 X），或 20、22 位的残疾人证号',
      },
    ]);
  });

  it('two heads in one household', async () => {
    const summary = await expectRefused((rows) => {
      (rows[2] as NationalRow).与户主关系 = '户主';
    });
    expect(summary.errors).toEqual([
      {
        row: 6,
        column: '与户主关系',
        value: '户主',
        reason: '户编号 4102251012000001 有多个户主（第 4 行已是户主）',
      },
    ]);
  });

  it('the same ID twice in the file', async () => {
    const summary = await expectRefused((rows) => {
      (rows[7] as NationalRow).证件号码 = (rows[1] as NationalRow).证件号码 ?? null;
    });
    expect(summary.errors).toEqual([
      {
        row: 11,
        column: '证件号码',
        value: (validRows()[1] as NationalRow).证件号码,
        reason: '证件号码与第 5 行重复',
      },
    ]);
  });

  it('a blank 户编号, one 户编号 in two villages, and a member without 人编号 and ID', async () => {
    const summary = await expectRefused((rows) => {
      (rows[0] as NationalRow).户编号 = '';
      (rows[8] as NationalRow).村 = '任庄村';
      (rows[4] as NationalRow).人编号 = '';
      (rows[4] as NationalRow).证件号码 = '';
    });
    expect(summary.errors).toEqual([
      { row: 4, column: '户编号', value: '', reason: '户编号为空' },
      { row: 8, column: '证件号码', value: '', reason: '人编号和证件号码都为空，无法识别该成员' },
      {
        row: 12,
        column: '村',
        value: '任庄村',
        reason: '户编号 4102251012000003 同时出现在两个村：“城内村”（第 10 行）和“任庄村”',
      },
    ]);
  });

  it('a file without a required column', async () => {
    const file = fileIn('no-id.csv');
    await writeNationalCsv(file, validRows(), {
      headers: defaultHeaders.filter((header) => header !== '证件号码'),
    });
    const error = await importFile(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('exchange.missing_columns');
    expect((error as AppError).message).toContain('证件号码');
    const batch = await lastBatch();
    expect(batch).toMatchObject({ status: 'failed', fileName: 'no-id.csv' });
    expect(batch.error).toContain('缺少必需的列：证件号码');
    expect(await registryFingerprint(harness.database.db)).toEqual(fingerprint);
  });

  it('a truncated xlsx', async () => {
    const whole = fileIn('whole.xlsx');
    const rows: NationalRow[] = [];
    for (let sequence = 1; sequence <= 200; sequence += 1) rows.push(...buildHousehold({ sequence }));
    await writeNationalXlsx(whole, rows);
    const bytes = await readFile(whole);
    const cut = fileIn('cut.xlsx');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const error = await importFile(cut).catch((caught: unknown) => caught);
    expect((error as AppError).code).toBe('exchange.truncated_file');
    expect((await lastBatch()).status).toBe('failed');
    expect(await registryFingerprint(harness.database.db)).toEqual(fingerprint);
  });

  it('a truncated csv', async () => {
    const text = nationalCsvText(validRows());
    const file = fileIn('cut.csv');
    await writeFile(file, `\ufeff${text.slice(0, text.length - 60)}`);
    const error = await importFile(file).catch((caught: unknown) => caught);
    expect((error as AppError).code).toBe('exchange.truncated_file');
    expect((error as AppError).message).toContain('第 10 行');
    expect(await registryFingerprint(harness.database.db)).toEqual(fingerprint);
  });

  it('a file that is not a spreadsheet', async () => {
    const file = fileIn('photo.xlsx');
    await writeFile(file, 'not a zip file at all');
    const error = await importFile(file).catch((caught: unknown) => caught);
    expect((error as AppError).code).toBe('exchange.unreadable_file');
    expect(await registryFingerprint(harness.database.db)).toEqual(fingerprint);
  });
});

describe('the ID format check in SQL', () => {
  it('answers like hasValidIdFormat of @shouwang/domain', async () => {
    const samples = [
      '410225196002011234',
      '41022519600201123X',
      '41022519600201123x',
      '4102251960020112341',
      '41022519600201123411',
      '4102251960020112341122',
      '41022519600201123X11',
      '410225196002011234112',
      '41022519600201123',
      '4102251960020112X4',
      '410225 96002011234',
      '９１０２２５１９６００２０１１２３４',
      '',
    ];
    const { rows } = await sql<{ value: string; valid: boolean }>`
      SELECT value, upper(value) ~ ${idFormatPattern} AS valid
      FROM unnest(${samples}::text[]) AS value`.execute(harness.database.db);
    expect(rows.map((row) => [row.value, row.valid])).toEqual(
      samples.map((value) => [value, hasValidIdFormat(value)]),
    );
  });
});
