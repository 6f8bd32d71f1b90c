import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildIdNumber } from '@shouwang/domain';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { AppError } from '../../plugins/errors.ts';
import {
  buildHousehold,
  defaultHeaders,
  type NationalRow,
  nationalCsvText,
} from './fixtures/national-file-builder.ts';
import { registryFingerprint } from './fixtures/registry-fingerprint.ts';

let harness: TestApp;
let directory: string;

beforeAll(async () => {
  harness = await createTestApp();
  directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-csv-import-'));
});
afterAll(async () => {
  await harness?.close();
  await rm(directory, { recursive: true, force: true });
});

const fileIn = (name: string) => path.join(directory, name);
const importFile = (filePath: string) =>
  harness.app.exchange.importNationalFile({ filePath, principal: harness.system, year: 2025 });

async function personByNo(personNo: string) {
  return harness.database.db
    .selectFrom('persons')
    .selectAll()
    .where('personNo', '=', personNo)
    .executeTakeFirstOrThrow();
}

/** One csv line per row, by the builder's quoting; `edit` rewrites the text of one data row (0-based). */
function csvLines(rows: NationalRow[], headers: string[]): string[] {
  return nationalCsvText(rows, headers).split('\r\n').slice(0, -1);
}

/**
 * Two households of 城内村 (sequences 31 and 32) as a csv a user might bring: an unknown column, a
 * blank line, a name with a line break inside quotes, a short row of empty cells, a quote inside an
 * unquoted name, NUL and unit-separator characters in cells, and a cell beyond the header.
 */
function oddCsv(options: { badIdInLastRow?: boolean } = {}): string {
  const headers = [...defaultHeaders, '备用字段'];
  const rows = [...buildHousehold({ sequence: 31 }), ...buildHousehold({ sequence: 32 })];
  (rows[1] as NationalRow).姓名 = '成员31\n-2';
  (rows[2] as NationalRow).民族 = '汉\u0000族';
  (rows[3] as NationalRow).工资性收入 = '12\u001f000';
  if (options.badIdInLastRow) (rows[5] as NationalRow).证件号码 = '41022519600201123';
  const [header, ...data] = csvLines(rows, headers) as [string, ...string[]];
  const strayQuote = (data[4] as string).replace('成员32-2', '张"三');
  return [
    header,
    data[0], // row 2
    '', // row 3: blank line
    data[1], // row 4: one record over two lines
    ',,,', // row 5: a short row of empty cells
    data[2], // row 6
    data[3], // row 7
    strayQuote, // row 8
    `${data[5]},多出的一格`, // row 9
    '',
  ].join('\r\n');
}

describe('national csv import through PostgreSQL COPY', () => {
  it('reads blank lines, quoted line breaks, stray quotes, control characters and extra cells', async () => {
    const file = fileIn('odd.csv');
    await writeFile(file, oddCsv(), 'utf8');
    const summary = await importFile(file);
    expect(summary).toMatchObject({
      status: 'succeeded',
      rowsRead: 6,
      persons: { inserted: 6, updated: 0, unchanged: 0, markedAbsent: 0 },
      unknownColumns: ['备用字段'],
      unknownValues: [],
    });
    expect((await personByNo('410225101200003102')).name).toBe('成员31\n-2');
    expect((await personByNo('410225101200003103')).ethnicity).toBe('汉族');
    expect((await personByNo('410225101200003202')).name).toBe('张"三');
    const income = await harness.database.db
      .selectFrom('householdIncomes')
      .innerJoin('households', 'households.id', 'householdIncomes.householdId')
      .select('householdIncomes.wageIncome')
      .where('households.householdNo', '=', '4102251012000032')
      .executeTakeFirstOrThrow();
    expect(Number(income.wageIncome)).toBe(12000);

    const again = await importFile(file);
    expect(again.persons).toEqual({ inserted: 0, updated: 0, unchanged: 6, markedAbsent: 0 });
  });

  it('locates a row error by the row a user sees, counting blank lines and not quoted line breaks', async () => {
    const before = await registryFingerprint(harness.database.db);
    const file = fileIn('odd-bad.csv');
    await writeFile(file, oddCsv({ badIdInLastRow: true }), 'utf8');
    const summary = await importFile(file);
    expect(summary.status).toBe('failed');
    expect(summary.errors).toEqual([
      {
        row: 9,
        column: '证件号码',
        value: '41022519600201123',
        reason: '证件号码格式不正确：应为 18 位（末位可为 X），或 20、22 位的残疾人证号',
      },
    ]);
    expect(await registryFingerprint(harness.database.db)).toEqual(before);
  });

  it('reads a tab-delimited GB18030 file with a quoted line break', async () => {
    const text = oddCsv()
      .split('\r\n')
      .map((line) => line.replaceAll(',', '\t'))
      .join('\r\n');
    // The builder quoted cells with commas; with tabs they are plain text again.
    const file = fileIn('监测对象.txt');
    await writeFile(file, iconv.encode(text, 'gb18030'));
    const summary = await importFile(file);
    expect(summary.status).toBe('succeeded');
    expect(summary.rowsRead).toBe(6);
    expect(summary.unknownValues).toEqual([]);
    expect(summary.persons.inserted + summary.persons.updated + summary.persons.unchanged).toBe(6);
    expect((await personByNo('410225101200003102')).name).toBe('成员31\n-2');
  });

  it('types a larger file on several connections without losing, doubling or misnumbering a row', async () => {
    const rows: NationalRow[] = [];
    for (let sequence = 500; sequence < 1000; sequence += 1) rows.push(...buildHousehold({ sequence }));
    // The builder's IDs repeat after 1000 members: one birth day each instead.
    rows.forEach((row, index) => {
      row.证件号码 = buildIdNumber('410225', new Date(Date.UTC(1950, 0, 1 + index)), index, 'male');
    });
    const file = fileIn('larger.csv');
    await writeFile(file, nationalCsvText(rows), 'utf8');
    const summary = await importFile(file);
    expect(summary).toMatchObject({ status: 'succeeded', rowsRead: 1500 });
    expect(summary.persons.inserted).toBe(1500);

    const before = await registryFingerprint(harness.database.db);
    (rows[1498] as NationalRow).证件号码 = (rows[2] as NationalRow).证件号码 ?? null;
    await writeFile(file, nationalCsvText(rows), 'utf8');
    const refused = await importFile(file);
    expect(refused.errors).toEqual([
      {
        row: 1500,
        column: '证件号码',
        value: (rows[2] as NationalRow).证件号码,
        reason: '证件号码与第 4 行重复',
      },
    ]);
    expect(await registryFingerprint(harness.database.db)).toEqual(before);
    const { rows: schemas } = await sql<{ name: string }>`
      SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'import\_session\_%'`.execute(
      harness.database.db,
    );
    expect(schemas).toEqual([]);
  });

  it('refuses a file with bytes outside its encoding far below the header, naming the row', async () => {
    const before = await registryFingerprint(harness.database.db);
    const rows: NationalRow[] = [];
    for (let sequence = 100; sequence < 400; sequence += 1) rows.push(...buildHousehold({ sequence }));
    const lines = csvLines(rows, defaultHeaders);
    const text = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
    // Row 800 (far beyond the 64 KB the encoding is detected from) gets a byte UTF-8 does not have.
    const rowStart = lines.slice(0, 799).reduce((offset, line) => offset + Buffer.byteLength(line) + 2, 0);
    expect(rowStart).toBeGreaterThan(64 * 1024);
    const broken = Buffer.concat([text.subarray(0, rowStart), Buffer.from([0xff]), text.subarray(rowStart)]);
    const file = fileIn('broken.csv');
    await writeFile(file, broken);
    const error = await importFile(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('exchange.unreadable_file');
    expect((error as AppError).message).toContain('第 800 行');
    expect(await registryFingerprint(harness.database.db)).toEqual(before);
  });
});
