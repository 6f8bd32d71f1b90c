import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { findNationalColumn, type NationalColumn, nationalColumns } from '@shouwang/domain';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import ExcelJS from '../../excel.ts';
import { exchangeErrors } from './exchange.errors.ts';

/** One row of the file as text cells; `rowNumber` is what a user sees in Excel (1-based). */
export interface FileRow {
  rowNumber: number;
  cells: string[];
}

export type CsvEncoding = 'utf-8' | 'gb18030';

export interface NationalFileLayout {
  format: 'xlsx' | 'csv';
  encoding: CsvEncoding | null;
  headerRowNumber: number;
  /** The national column each file column holds (by index), or undefined for unknown and blank headers. */
  columns: Array<NationalColumn | undefined>;
  /** The header text of each file column, for locating errors. */
  headers: string[];
  unknownColumns: string[];
}

export interface NationalFile {
  layout: NationalFileLayout;
  /** The data rows below the header in batches (one await per batch, not per row), blank rows left out. */
  rows: AsyncGenerator<FileRow[]>;
}

const headerSearchRows = 20;
const requiredColumns = nationalColumns.filter((column) => column.required);

/**
 * Opens an xlsx (first sheet) or csv export of the national system, finds its header row by the
 * column names and maps the headers to national columns. Rows stream; nothing is held in memory
 * beyond the first 20.
 */
export async function openNationalFile(
  filePath: string,
  fileName = path.basename(filePath),
): Promise<NationalFile> {
  const extension = path.extname(fileName || filePath).toLowerCase();
  let format: 'xlsx' | 'csv';
  let encoding: CsvEncoding | null = null;
  let source: AsyncGenerator<FileRow[]>;
  if (extension === '.xlsx') {
    format = 'xlsx';
    source = readXlsxRows(filePath, fileName);
  } else if (extension === '.csv' || extension === '.txt') {
    format = 'csv';
    const sample = await readSample(filePath);
    encoding = detectEncoding(sample);
    source = readCsvRows(filePath, fileName, encoding, detectDelimiter(sample, encoding));
  } else {
    throw exchangeErrors.unsupportedFile(fileName);
  }

  // The first batch or batches hold the rows the header is searched in; they are replayed afterwards.
  const leading: FileRow[] = [];
  while (leading.length < headerSearchRows) {
    const next = await source.next();
    if (next.done) break;
    leading.push(...next.value);
  }
  const header = chooseHeaderRow(leading.slice(0, headerSearchRows));
  if (!header) {
    await source.return(undefined);
    throw exchangeErrors.headerNotFound(fileName);
  }
  const { columns, unknownColumns } = mapHeaders(header.cells);
  const present = new Set(columns.filter(Boolean).map((column) => column?.field));
  const missing = requiredColumns
    .filter((column) => !present.has(column.field))
    .map((column) => column.header);
  if (missing.length > 0) {
    await source.return(undefined);
    throw exchangeErrors.missingColumns(fileName, missing, header.rowNumber);
  }
  const headers = header.cells.map((cell) => cell.trim());
  const afterHeader = leading.filter((row) => row.rowNumber > header.rowNumber);
  const checkWidth = format === 'csv';

  const keep = (row: FileRow) => {
    if (row.cells.every((cell) => cell.trim() === '')) return false;
    // A csv row shorter than its header is cut off: refuse the file rather than guess.
    if (checkWidth && row.cells.length < headers.length) {
      throw exchangeErrors.truncated(
        fileName,
        `第 ${row.rowNumber} 行只有 ${row.cells.length} 列，表头有 ${headers.length} 列`,
      );
    }
    return true;
  };
  async function* dataRows(): AsyncGenerator<FileRow[]> {
    const first = afterHeader.filter(keep);
    if (first.length > 0) yield first;
    for await (const batch of source) {
      const rows = batch.filter(keep);
      if (rows.length > 0) yield rows;
    }
  }

  return {
    layout: { format, encoding, headerRowNumber: header.rowNumber, columns, headers, unknownColumns },
    rows: dataRows(),
  };
}

/** The row naming the most national columns; with the required ones when any row has them all. */
export function chooseHeaderRow(rows: FileRow[]): FileRow | undefined {
  let best: { row: FileRow; matches: number; complete: boolean } | undefined;
  for (const row of rows) {
    const fields = new Set<string>();
    for (const cell of row.cells) {
      const column = cell.trim() ? findNationalColumn(cell) : undefined;
      if (column) fields.add(column.field);
    }
    const complete = requiredColumns.every((column) => fields.has(column.field));
    const candidate = { row, matches: fields.size, complete };
    if (
      !best ||
      (candidate.complete && !best.complete) ||
      (candidate.complete === best.complete && candidate.matches > best.matches)
    ) {
      best = candidate;
    }
  }
  // Fewer than three known names is a title or a data row, not a header.
  return best && best.matches >= 3 ? best.row : undefined;
}

export function mapHeaders(cells: string[]): {
  columns: Array<NationalColumn | undefined>;
  unknownColumns: string[];
} {
  const seen = new Set<string>();
  const unknownColumns: string[] = [];
  const columns = cells.map((cell) => {
    const header = cell.trim();
    if (!header) return undefined;
    const column = findNationalColumn(header);
    if (!column) {
      unknownColumns.push(header);
      return undefined;
    }
    if (seen.has(column.field)) {
      unknownColumns.push(`${header}（重复列，已忽略）`);
      return undefined;
    }
    seen.add(column.field);
    return column;
  });
  return { columns, unknownColumns };
}

async function readSample(filePath: string): Promise<Buffer> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** UTF-8 when the file says so (BOM) or its first 64 KB decode as UTF-8; GB18030 (a superset of GBK) otherwise. */
export function detectEncoding(sample: Buffer): CsvEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  try {
    // `stream: true` lets a character cut at the end of the sample pass.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

function detectDelimiter(sample: Buffer, encoding: CsvEncoding): string {
  const text = encoding === 'utf-8' ? sample.toString('utf8') : iconv.decode(sample, 'gb18030');
  const firstLines = text.split('\n').slice(0, headerSearchRows).join('\n');
  const count = (character: string) => firstLines.split(character).length - 1;
  return count('\t') > count(',') ? '\t' : ',';
}

async function* readCsvRows(
  filePath: string,
  fileName: string,
  encoding: CsvEncoding,
  delimiter: string,
): AsyncGenerator<FileRow[]> {
  const file = createReadStream(filePath, { highWaterMark: 256 * 1024 });
  const text: NodeJS.ReadableStream = encoding === 'utf-8' ? file : file.pipe(iconv.decodeStream('gb18030'));
  const parser = text.pipe(
    parse({ bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }),
  );
  file.on('error', (error) => parser.destroy(error));
  text.on('error', (error: Error) => parser.destroy(error));
  let rowNumber = 0;
  try {
    for await (const records of recordBatches<string[]>(parser)) {
      yield records.map((cells) => {
        rowNumber += 1;
        return { rowNumber, cells };
      });
    }
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/quote|EOF|end of/i.test(message)) {
      throw exchangeErrors.truncated(fileName, `第 ${rowNumber + 1} 行附近引号未闭合`);
    }
    throw exchangeErrors.unreadable(fileName, message);
  } finally {
    file.destroy();
  }
}

/** Everything an object stream has buffered, taken at once: a batch per wake-up instead of an await per item. */
async function* recordBatches<T>(stream: Readable): AsyncGenerator<T[]> {
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  stream.on('readable', signal);
  stream.on('end', () => {
    ended = true;
    signal();
  });
  stream.on('error', (error) => {
    failure = error;
    signal();
  });
  for (;;) {
    if (failure) throw failure;
    const batch: T[] = [];
    for (let item = stream.read(); item !== null; item = stream.read()) batch.push(item as T);
    if (batch.length > 0) {
      yield batch;
      continue;
    }
    if (ended) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}

async function* readXlsxRows(filePath: string, fileName: string): AsyncGenerator<FileRow[]> {
  // Styles must be cached for real Excel dates to come back as Date objects.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(filePath, {
    entries: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  try {
    for await (const worksheet of reader) {
      let batch: FileRow[] = [];
      for await (const row of worksheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let index = 1; index < values.length; index += 1) cells.push(cellText(values[index]));
        batch.push({ rowNumber: row.number, cells });
        if (batch.length === 500) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      break; // the first sheet only
    }
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (
      /FILE_ENDED|unexpected end|end of (central directory|file)|Unexpected close tag|Unclosed/i.test(message)
    ) {
      throw exchangeErrors.truncated(fileName, '工作表数据在中途结束');
    }
    throw exchangeErrors.unreadable(
      fileName,
      message.includes('signature') ? '不是有效的 xlsx 文件' : message,
    );
  }
}

/** Any ExcelJS cell value as the text the national system meant; real dates become YYYYMMDD. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const month = String(value.getUTCMonth() + 1).padStart(2, '0');
    const day = String(value.getUTCDate()).padStart(2, '0');
    return `${value.getUTCFullYear()}${month}${day}`;
  }
  if (typeof value === 'object') {
    const cell = value as {
      richText?: Array<{ text: string }>;
      text?: unknown;
      result?: unknown;
      error?: unknown;
    };
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if ('result' in cell) return cellText(cell.result);
    if (cell.text !== undefined) return cellText(cell.text);
    if (cell.error) return '';
  }
  return String(value);
}
