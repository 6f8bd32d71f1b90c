import { Transform, type TransformCallback } from 'node:stream';
import { exchangeErrors } from './exchange.errors.ts';

const quote = 0x22;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const space = 0x20;
const tab = 0x09;

/** Byte classes: 0 ordinary, 1 needs a look (quote, delimiter, CR, LF, NUL, unit separator). */
function byteClasses(delimiter: number): Uint8Array {
  const classes = new Uint8Array(256);
  for (const byte of [quote, lineFeed, carriageReturn, 0x00, 0x1f, delimiter]) classes[byte] = 1;
  return classes;
}

/** Field states of the scan, the same as PostgreSQL's COPY csv reads a record. */
enum State {
  FieldStart = 0,
  Unquoted = 1,
  Quoted = 2,
  AfterQuotes = 3,
}

export interface CsvRecordScannerOptions {
  /** The delimiter byte (`,` or tab). */
  delimiter: number;
  /** Columns of the header: every record is passed on with exactly this many fields. */
  columnCount: number;
  /** Row number (as Excel shows it) of the first record the scanner reads. */
  firstRowNumber: number;
  fileName: string;
  /** A record longer than this is a quote that never closes (or no CSV at all). */
  maxRecordBytes?: number;
  /** Called with the number of records passed on so far, every `progressEvery` records. */
  onProgress?: (records: number) => void;
  progressEvery?: number;
}

/**
 * Passes the data records of a CSV file (its raw bytes, UTF-8 or GB18030: neither puts a quote,
 * delimiter, CR or LF inside a multi-byte character) on to PostgreSQL's `COPY … (FORMAT csv)`
 * unchanged where COPY reads them as the national file means them, one output record per input
 * record so that COPY's row order gives every record its row number:
 *
 * - a blank record (empty, or only spaces, tabs, quotes and delimiters) becomes a row of empty
 *   fields (NULLs), left out later;
 * - a row with fewer fields than the header (and some content) refuses the file, located;
 * - fields beyond the header's are cut off;
 * - a quote inside an unquoted field is kept as a character (COPY would open a quoted section there),
 *   NUL and the unit separator are dropped, a lone CR is kept as a character: such rare records are
 *   written again as standard CSV;
 * - line ends follow the first record's (COPY requires one kind per file).
 */
export class CsvRecordScanner extends Transform {
  private readonly classes: Uint8Array;
  private readonly delimiter: number;
  private readonly columnCount: number;
  private readonly maxRecordBytes: number;
  private readonly progressEvery: number;
  private pending: Buffer | undefined;
  /** Records passed on so far. */
  records = 0;
  /** `\r\n` or `\n`, from the first record that ends with one. */
  private lineEnd: Buffer | undefined;

  // Results of the last scanRecord call.
  private fieldCount = 0;
  private contentEnd = 0;
  private cutAt = -1;
  private rewrite = false;
  private unclosedQuote = false;

  constructor(private readonly options: CsvRecordScannerOptions) {
    super();
    this.delimiter = options.delimiter;
    this.columnCount = options.columnCount;
    this.classes = byteClasses(options.delimiter);
    this.maxRecordBytes = options.maxRecordBytes ?? 1024 * 1024;
    this.progressEvery = options.progressEvery ?? 10_000;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
      this.pending = undefined;
      this.process(buffer, false);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.pending) this.process(this.pending, true);
      this.pending = undefined;
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private rowNumber(): number {
    return this.options.firstRowNumber + this.records;
  }

  private process(buffer: Buffer, final: boolean) {
    const parts: Buffer[] = [];
    let runStart = 0;
    let position = 0;
    while (position < buffer.length) {
      const end = this.scanRecord(buffer, position, final);
      if (end < 0) {
        if (buffer.length - position > this.maxRecordBytes) throw this.overlong();
        break;
      }
      if (this.unclosedQuote) throw this.unclosed();
      const lineEndLength = end - this.contentEnd;
      if (!this.lineEnd && lineEndLength > 0) {
        this.lineEnd = lineEndLength === 2 ? Buffer.from('\r\n') : Buffer.from('\n');
      }
      const sameLineEnd =
        lineEndLength === 0 ? end === buffer.length : lineEndLength === this.lineEnd?.length;
      let replacement: Buffer | undefined;
      // Most records start with a name: the blank test stops at their first byte.
      if (this.isBlank(buffer, position, this.contentEnd)) {
        replacement = Buffer.concat([
          Buffer.alloc(this.columnCount - 1, this.delimiter),
          this.lineEnd ?? Buffer.from('\n'),
        ]);
      } else if (this.fieldCount < this.columnCount) {
        throw exchangeErrors.truncated(
          this.options.fileName,
          `第 ${this.rowNumber()} 行只有 ${this.fieldCount} 列，表头有 ${this.columnCount} 列`,
        );
      } else if (this.rewrite) {
        replacement = this.rewritten(buffer, position, this.contentEnd);
      } else if (this.cutAt >= 0 || !sameLineEnd) {
        const contentEnd = this.cutAt >= 0 ? this.cutAt : this.contentEnd;
        replacement = Buffer.concat([
          buffer.subarray(position, contentEnd),
          this.lineEnd ?? Buffer.from('\n'),
        ]);
      }
      if (replacement) {
        if (position > runStart) parts.push(buffer.subarray(runStart, position));
        parts.push(replacement);
        runStart = end;
      }
      this.records += 1;
      if (this.options.onProgress && this.records % this.progressEvery === 0) {
        this.options.onProgress(this.records);
      }
      position = end;
    }
    if (position > runStart) parts.push(buffer.subarray(runStart, position));
    if (position < buffer.length) this.pending = Buffer.from(buffer.subarray(position));
    if (parts.length === 1) this.push(parts[0]);
    else if (parts.length > 1) this.push(Buffer.concat(parts));
  }

  /**
   * Scans one record from `start`: returns the position after its line end, or -1 when the buffer
   * ends first (and more may come). Sets fieldCount, contentEnd, cutAt, rewrite, unclosedQuote.
   */
  private scanRecord(buffer: Buffer, start: number, final: boolean): number {
    const classes = this.classes;
    const delimiter = this.delimiter;
    const length = buffer.length;
    let state: State = State.FieldStart;
    let fields = 1;
    let cutAt = -1;
    let rewrite = false;
    let index = start;
    this.unclosedQuote = false;
    while (index < length) {
      const byte = buffer[index] as number;
      if (state === State.Quoted) {
        if (byte === quote) {
          if (index + 1 >= length && !final) return -1;
          if (buffer[index + 1] === quote) {
            index += 2;
            continue;
          }
          state = State.AfterQuotes;
        } else if (byte === 0x00 || byte === 0x1f) {
          rewrite = true;
        }
        index += 1;
        continue;
      }
      if (classes[byte] === 0) {
        if (state === State.FieldStart) state = State.Unquoted;
        index += 1;
        continue;
      }
      if (byte === delimiter) {
        if (fields === this.columnCount && cutAt < 0) cutAt = index;
        fields += 1;
        state = State.FieldStart;
      } else if (byte === quote) {
        if (state === State.Unquoted) rewrite = true;
        else state = State.Quoted;
      } else if (byte === lineFeed) {
        this.finishScan(fields, index, cutAt, rewrite);
        return index + 1;
      } else if (byte === carriageReturn) {
        if (index + 1 >= length && !final) return -1;
        if (buffer[index + 1] === lineFeed) {
          this.finishScan(fields, index, cutAt, rewrite);
          return index + 2;
        }
        rewrite = true;
        if (state === State.FieldStart) state = State.Unquoted;
      } else {
        // NUL or the unit separator.
        rewrite = true;
        if (state === State.FieldStart) state = State.Unquoted;
      }
      index += 1;
    }
    if (!final) return -1;
    this.unclosedQuote = state === State.Quoted;
    this.finishScan(fields, length, cutAt, rewrite);
    return length;
  }

  private finishScan(fields: number, contentEnd: number, cutAt: number, rewrite: boolean) {
    this.fieldCount = fields;
    this.contentEnd = contentEnd;
    this.cutAt = cutAt;
    this.rewrite = rewrite;
  }

  private isBlank(buffer: Buffer, start: number, end: number): boolean {
    for (let index = start; index < end; index += 1) {
      const byte = buffer[index];
      if (
        byte !== space &&
        byte !== tab &&
        byte !== quote &&
        byte !== carriageReturn &&
        byte !== this.delimiter
      ) {
        return false;
      }
    }
    return true;
  }

  /** The record as standard CSV: each field's content quoted, the first columnCount fields. */
  private rewritten(buffer: Buffer, start: number, end: number): Buffer {
    const fields = splitCsvFields(buffer, start, end, this.delimiter).slice(0, this.columnCount);
    const parts: Buffer[] = [];
    fields.forEach((field, index) => {
      if (index > 0) parts.push(Buffer.of(this.delimiter));
      const content = Buffer.from(field.filter((byte) => byte !== 0x00 && byte !== 0x1f));
      if (content.length === 0) return;
      parts.push(Buffer.of(quote));
      let from = 0;
      for (let at = content.indexOf(quote); at >= 0; at = content.indexOf(quote, at + 1)) {
        parts.push(content.subarray(from, at + 1), Buffer.of(quote));
        from = at + 1;
      }
      parts.push(content.subarray(from), Buffer.of(quote));
    });
    parts.push(this.lineEnd ?? Buffer.from('\n'));
    return Buffer.concat(parts);
  }

  private unclosed() {
    return exchangeErrors.truncated(this.options.fileName, `第 ${this.rowNumber()} 行附近引号未闭合`);
  }

  private overlong() {
    return exchangeErrors.truncated(
      this.options.fileName,
      `第 ${this.rowNumber()} 行附近引号未闭合（一行超过 ${Math.round(this.maxRecordBytes / 1024)} KB）`,
    );
  }
}

/**
 * The fields of one record (without its line end) as their content bytes, read the way
 * CsvRecordScanner reads them: quotes open a quoted section at the start of a field or after one,
 * `""` inside is a quote, a quote inside an unquoted field is a character.
 */
export function splitCsvFields(buffer: Buffer, start: number, end: number, delimiter: number): Buffer[] {
  const fields: Buffer[] = [];
  let current: number[] = [];
  let state: State = State.FieldStart;
  for (let index = start; index < end; index += 1) {
    const byte = buffer[index] as number;
    if (state === State.Quoted) {
      if (byte === quote) {
        if (buffer[index + 1] === quote && index + 1 < end) {
          current.push(quote);
          index += 1;
        } else {
          state = State.AfterQuotes;
        }
      } else {
        current.push(byte);
      }
      continue;
    }
    if (byte === delimiter) {
      fields.push(Buffer.from(current));
      current = [];
      state = State.FieldStart;
    } else if (byte === quote && state !== State.Unquoted) {
      state = State.Quoted;
    } else {
      current.push(byte);
      if (state === State.FieldStart) state = State.Unquoted;
    }
  }
  fields.push(Buffer.from(current));
  return fields;
}

export interface LeadingRecord {
  /** 1-based record number. */
  rowNumber: number;
  fields: Buffer[];
  /** Byte offset just after the record's line end. */
  end: number;
}

/**
 * The first `limit` complete records of a file's first bytes (for finding the header), each with the
 * offset where the next record starts. `whole` says the sample is the entire file.
 */
export function leadingRecords(
  sample: Buffer,
  options: { delimiter: number; start: number; limit: number; whole: boolean },
): LeadingRecord[] {
  const records: LeadingRecord[] = [];
  let state: State = State.FieldStart;
  let recordStart = options.start;
  for (let index = options.start; index < sample.length && records.length < options.limit; index += 1) {
    const byte = sample[index] as number;
    if (state === State.Quoted) {
      if (byte === quote) {
        if (sample[index + 1] === quote) index += 1;
        else state = State.AfterQuotes;
      }
      continue;
    }
    if (byte === quote && state !== State.Unquoted) state = State.Quoted;
    else if (byte === options.delimiter) state = State.FieldStart;
    else if (byte === lineFeed) {
      const contentEnd = index > recordStart && sample[index - 1] === carriageReturn ? index - 1 : index;
      records.push({
        rowNumber: records.length + 1,
        fields: splitCsvFields(sample, recordStart, contentEnd, options.delimiter),
        end: index + 1,
      });
      recordStart = index + 1;
      state = State.FieldStart;
    } else if (state === State.FieldStart) state = State.Unquoted;
  }
  if (
    options.whole &&
    records.length < options.limit &&
    recordStart < sample.length &&
    state !== State.Quoted
  ) {
    records.push({
      rowNumber: records.length + 1,
      fields: splitCsvFields(sample, recordStart, sample.length, options.delimiter),
      end: sample.length,
    });
  }
  return records;
}
