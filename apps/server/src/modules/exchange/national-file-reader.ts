import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { findNationalColumn, type NationalColumn, nationalColumns } from '@shouwang/domain';
import iconv from 'iconv-lite';
import { readFirstWorksheetRows, XlsxPackageError } from '../../excel.ts';
import { CsvRecordScanner, leadingRecords } from './csv-record-scanner.ts';
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

/** The data of a csv file as its raw bytes for PostgreSQL's COPY (FORMAT csv). */
export interface NationalCsvData {
  encoding: CsvEncoding;
  /** `,` or a tab. */
  delimiter: string;
  /** Byte offset of the first record after the header row. */
  dataStart: number;
  /**
   * The records after the header, one per input record (see CsvRecordScanner): record k (1-based) is
   * row headerRowNumber + k of the file.
   */
  open(onProgress?: (records: number) => void): Readable;
}

export type NationalFile =
  | {
      layout: NationalFileLayout;
      /** xlsx: the data rows below the header in batches (one await per batch), blank rows left out. */
      rows: AsyncGenerator<FileRow[]>;
      csv?: undefined;
    }
  | { layout: NationalFileLayout; csv: NationalCsvData; rows?: undefined };

const headerSearchRows = 20;
const sampleBytes = 1024 * 1024;
const requiredColumns = nationalColumns.filter((column) => column.required);

/**
 * Opens an xlsx (first sheet) or csv export of the national system, finds its header row by the
 * column names and maps the headers to national columns. An xlsx streams its rows through ExcelJS; a
 * csv is handed on as bytes for PostgreSQL to parse. Nothing is held in memory beyond the first rows.
 */
export async function openNationalFile(
  filePath: string,
  fileName = path.basename(filePath),
): Promise<NationalFile> {
  const extension = path.extname(fileName || filePath).toLowerCase();
  if (extension === '.xlsx') return openXlsx(filePath, fileName);
  if (extension === '.csv' || extension === '.txt') return openCsv(filePath, fileName);
  throw exchangeErrors.unsupportedFile(fileName);
}

/** The header row's national columns, or the error that refuses the file. */
function layoutOf(
  fileName: string,
  leading: FileRow[],
  format: 'xlsx' | 'csv',
  encoding: CsvEncoding | null,
): NationalFileLayout {
  const header = chooseHeaderRow(leading.slice(0, headerSearchRows));
  if (!header) throw exchangeErrors.headerNotFound(fileName);
  const { columns, unknownColumns } = mapHeaders(header.cells);
  const present = new Set(columns.filter(Boolean).map((column) => column?.field));
  const missing = requiredColumns
    .filter((column) => !present.has(column.field))
    .map((column) => column.header);
  if (missing.length > 0) throw exchangeErrors.missingColumns(fileName, missing, header.rowNumber);
  const headers = header.cells.map((cell) => cell.trim());
  return { format, encoding, headerRowNumber: header.rowNumber, columns, headers, unknownColumns };
}

async function openXlsx(filePath: string, fileName: string): Promise<NationalFile> {
  const source = readXlsxRows(filePath, fileName);
  // The first batch or batches hold the rows the header is searched in; they are replayed afterwards.
  const leading: FileRow[] = [];
  while (leading.length < headerSearchRows) {
    const next = await source.next();
    if (next.done) break;
    leading.push(...next.value);
  }
  let layout: NationalFileLayout;
  try {
    layout = layoutOf(fileName, leading, 'xlsx', null);
  } catch (error) {
    await source.return(undefined);
    throw error;
  }
  const afterHeader = leading.filter((row) => row.rowNumber > layout.headerRowNumber);
  const keep = (row: FileRow) => !row.cells.every((cell) => cell.trim() === '');
  async function* dataRows(): AsyncGenerator<FileRow[]> {
    const first = afterHeader.filter(keep);
    if (first.length > 0) yield first;
    for await (const batch of source) {
      const rows = batch.filter(keep);
      if (rows.length > 0) yield rows;
    }
  }
  return { layout, rows: dataRows() };
}

async function openCsv(filePath: string, fileName: string): Promise<NationalFile> {
  const sample = await readSample(filePath, sampleBytes);
  const encoding = detectEncoding(sample.subarray(0, 64 * 1024));
  const delimiter = detectDelimiter(sample.subarray(0, 64 * 1024), encoding);
  const delimiterByte = delimiter.charCodeAt(0);
  const decode = (bytes: Buffer) =>
    encoding === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, 'gb18030', { stripBOM: false });
  const records = leadingRecords(sample, {
    delimiter: delimiterByte,
    start: byteOrderMarkLength(sample, encoding),
    limit: headerSearchRows,
    whole: sample.length < sampleBytes,
  });
  const leading = records.map((record) => ({
    rowNumber: record.rowNumber,
    cells: record.fields.map(decode),
  }));
  const layout = layoutOf(fileName, leading, 'csv', encoding);
  const dataStart = records[layout.headerRowNumber - 1]?.end ?? sample.length;
  return {
    layout,
    csv: {
      encoding,
      delimiter,
      dataStart,
      open: (onProgress) => {
        const file = createReadStream(filePath, { start: dataStart, highWaterMark: 1024 * 1024 });
        const scanner = new CsvRecordScanner({
          delimiter: delimiterByte,
          columnCount: layout.headers.length,
          firstRowNumber: layout.headerRowNumber + 1,
          fileName,
          onProgress,
        });
        file.on('error', (error) => scanner.destroy(exchangeErrors.unreadable(fileName, error.message)));
        return file.pipe(scanner);
      },
    },
  };
}

function byteOrderMarkLength(sample: Buffer, encoding: CsvEncoding): number {
  if (encoding === 'utf-8') return sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf ? 3 : 0;
  return sample[0] === 0x84 && sample[1] === 0x31 && sample[2] === 0x95 && sample[3] === 0x33 ? 4 : 0;
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

async function readSample(filePath: string, size: number): Promise<Buffer> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(size);
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

async function* readXlsxRows(filePath: string, fileName: string): AsyncGenerator<FileRow[]> {
  try {
    let batch: FileRow[] = [];
    for await (const row of readFirstWorksheetRows(filePath)) {
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
  } catch (error) {
    if (error instanceof XlsxPackageError) {
      throw error.kind === 'truncated'
        ? exchangeErrors.truncated(fileName, '文件在中途结束，缺少 xlsx 的文件目录')
        : exchangeErrors.unreadable(fileName, '不是有效的 xlsx 文件');
    }
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
