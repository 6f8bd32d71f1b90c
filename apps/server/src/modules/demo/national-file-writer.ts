import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { nationalColumns } from '@shouwang/domain';
import iconv from 'iconv-lite';
import ExcelJS from '../../excel.ts';
import {
  type DemoScale,
  defaultHouseholdTarget,
  type GenerateOptions,
  generateDemoHouseholds,
} from './demo.generator.ts';
import {
  type DemoHousehold,
  type HouseholdField,
  householdFields,
  type PersonField,
  personFields,
} from './demo-records.ts';

/**
 * Writes demo households as the national sync export （自定义）监测对象信息: one row per person with the
 * household's columns repeated, every value as text. Streams: rows go to disk as they are generated.
 * xlsx looks like a real download (two title rows, header on row 3); csv has the header on row 1,
 * UTF-8 with BOM or GB18030.
 */
export type NationalFileFormat = 'xlsx' | 'csv';
export type CsvEncoding = 'utf8' | 'gb18030';

export const nationalFileTitle = '（自定义）监测对象信息';

export interface WriteNationalFileOptions extends Omit<GenerateOptions, 'households'> {
  file: string;
  scale: DemoScale;
  /** Overrides the scale's household count (tests, benchmarks). */
  households?: number;
  /** Default: from the file's extension. */
  format?: NationalFileFormat;
  /** CSV only; default utf8 (with BOM). */
  encoding?: CsvEncoding;
  /** The region named in the xlsx title row, e.g. 河南省开封市兰考县. */
  regionName?: string;
  exportedAt?: Date;
  onProgress?: (progress: { households: number; persons: number }) => void;
}

export interface WriteNationalFileResult {
  file: string;
  format: NationalFileFormat;
  encoding: CsvEncoding | undefined;
  households: number;
  persons: number;
  /** Injected defects per rule code (households carrying them). */
  defects: Record<string, number>;
}

type ColumnSource =
  | { header: string; household: true; field: HouseholdField }
  | { header: string; household: false; field: PersonField };

const householdFieldSet = new Set<string>(householdFields);
const personFieldSet = new Set<string>(personFields);

/** The export's columns in order, each read from the household record or the member record. */
export const nationalFileColumns: ColumnSource[] = nationalColumns.map((column) => {
  if (householdFieldSet.has(column.field)) {
    return { header: column.header, household: true, field: column.field as HouseholdField };
  }
  if (personFieldSet.has(column.field)) {
    return { header: column.header, household: false, field: column.field as PersonField };
  }
  throw new Error(`national column ${column.header} (${column.field}) has no demo field`);
});

const householdColumnIndexes = nationalFileColumns.flatMap((column, index) =>
  column.household ? [index] : [],
);
const personColumnIndexes = nationalFileColumns.flatMap((column, index) => (column.household ? [] : [index]));

const needsQuoting = /[",\r\n]/;
function csvField(value: string): string {
  return value !== '' && needsQuoting.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function formatExportTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** Generates the households of the options and writes them; answers the counts and the defect ledger totals. */
export async function writeNationalFile(options: WriteNationalFileOptions): Promise<WriteNationalFileResult> {
  const format = options.format ?? (options.file.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv');
  const households = generateDemoHouseholds({
    ...options,
    households: options.households ?? defaultHouseholdTarget(options.scale, options.villages.length),
  });
  const result: WriteNationalFileResult = {
    file: options.file,
    format,
    encoding: format === 'csv' ? (options.encoding ?? 'utf8') : undefined,
    households: 0,
    persons: 0,
    defects: {},
  };
  const count = (household: DemoHousehold) => {
    result.households += 1;
    result.persons += household.members.length;
    for (const defect of household.defects)
      result.defects[defect.code] = (result.defects[defect.code] ?? 0) + 1;
    if (options.onProgress && result.households % 5000 === 0) {
      options.onProgress({ households: result.households, persons: result.persons });
    }
  };
  if (format === 'xlsx') await writeXlsx(options, households, count);
  else await writeCsv(options.file, result.encoding ?? 'utf8', households, count);
  options.onProgress?.({ households: result.households, persons: result.persons });
  return result;
}

async function writeCsv(
  file: string,
  encoding: CsvEncoding,
  households: Iterable<DemoHousehold>,
  count: (household: DemoHousehold) => void,
): Promise<void> {
  const stream = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => {});
  const encode = (text: string) =>
    encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8');
  let chunk = `${encoding === 'utf8' ? '\uFEFF' : ''}${nationalFileColumns.map((column) => csvField(column.header)).join(',')}\r\n`;
  const flush = async () => {
    if (!stream.write(encode(chunk))) await Promise.race([once(stream, 'drain'), failed]);
    chunk = '';
  };
  const cells: string[] = new Array(nationalFileColumns.length).fill('');
  for (const household of households) {
    const record = household.household;
    for (const index of householdColumnIndexes) {
      cells[index] = csvField(record[(nationalFileColumns[index] as { field: HouseholdField }).field]);
    }
    for (const member of household.members) {
      for (const index of personColumnIndexes) {
        cells[index] = csvField(member[(nationalFileColumns[index] as { field: PersonField }).field]);
      }
      chunk += `${cells.join(',')}\r\n`;
    }
    count(household);
    if (chunk.length > 1 << 20) await flush();
  }
  await flush();
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
}

async function writeXlsx(
  options: WriteNationalFileOptions,
  households: Iterable<DemoHousehold>,
  count: (household: DemoHousehold) => void,
): Promise<void> {
  // No styles and no shared strings: every value is an inline text cell, and memory stays flat.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: options.file,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow([nationalFileTitle]).commit();
  sheet
    .addRow([
      `区划：${options.regionName ?? ''} 导出时间：${formatExportTime(options.exportedAt ?? new Date())}`,
    ])
    .commit();
  sheet.addRow(nationalFileColumns.map((column) => column.header)).commit();
  const cells: Array<string | null> = new Array(nationalFileColumns.length).fill(null);
  for (const household of households) {
    const record = household.household;
    for (const index of householdColumnIndexes) {
      cells[index] = record[(nationalFileColumns[index] as { field: HouseholdField }).field] || null;
    }
    for (const member of household.members) {
      for (const index of personColumnIndexes) {
        cells[index] = member[(nationalFileColumns[index] as { field: PersonField }).field] || null;
      }
      sheet.addRow(cells).commit();
    }
    count(household);
  }
  sheet.commit();
  await workbook.commit();
}
