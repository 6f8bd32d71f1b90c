import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../plugins/errors.ts';
import { CsvRecordScanner, leadingRecords, splitCsvFields } from './csv-record-scanner.ts';

/** Runs `input` through a scanner in chunks of `chunkSize` bytes and returns what it passes on. */
async function scanBytes(
  input: string | Buffer,
  options: { columns: number; chunkSize?: number; delimiter?: string },
): Promise<Buffer> {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const chunkSize = options.chunkSize ?? bytes.length;
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  const scanner = new CsvRecordScanner({
    delimiter: (options.delimiter ?? ',').charCodeAt(0),
    columnCount: options.columns,
    firstRowNumber: 2,
    fileName: 'x.csv',
  });
  return buffer(Readable.from(chunks).pipe(scanner));
}

const scan = async (...args: Parameters<typeof scanBytes>) => (await scanBytes(...args)).toString();

describe(CsvRecordScanner.name, () => {
  it('passes well-formed records through unchanged, whatever the chunk boundaries', async () => {
    const input = 'a,b,c\r\n"x,1","say ""hi""","line\r\none"\r\n,,\r\n';
    for (const chunkSize of [1, 2, 3, 7, 1000]) {
      expect(await scan(input, { columns: 3, chunkSize })).toBe(input);
    }
  });

  it('turns blank lines and short blank rows into rows of empty fields, one per record', async () => {
    const input = 'a,b,c\n\n  \n,\nd,e,f';
    expect(await scan(input, { columns: 3, chunkSize: 2 })).toBe('a,b,c\n,,\n,,\n,,\nd,e,f');
  });

  it('cuts fields beyond the header and gives every record the first record line end', async () => {
    const input = 'a,b,c,,\r\nd,e,f\ng,h,i,"j,k"\r\n';
    expect(await scan(input, { columns: 3, chunkSize: 4 })).toBe('a,b,c\r\nd,e,f\r\ng,h,i\r\n');
  });

  it('writes again as standard csv a record with a quote inside a field, NUL, unit separator or a lone CR', async () => {
    const input = 'a,张"三,c\nx\u0000y,p\u001fq,r\rs\n';
    expect(await scan(input, { columns: 3, chunkSize: 5 })).toBe('"a","张""三","c"\n"xy","pq","r\rs"\n');
  });

  it('reads a tab-delimited GB18030 file by its bytes', async () => {
    const input = iconv.encode('兰考县\t"堌阳镇"\t城内村\r\n兰考县\t堌阳镇\t任庄村\r\n', 'gb18030');
    expect(await scanBytes(input, { columns: 3, delimiter: '\t', chunkSize: 3 })).toEqual(input);
    const short = iconv.encode('兰考县\t堌阳镇\r\n', 'gb18030');
    const error = await scanBytes(short, { columns: 3, delimiter: '\t' }).catch((caught: unknown) => caught);
    expect((error as AppError).message).toContain('第 2 行只有 2 列');
  });

  it('refuses a short row with content and an unclosed quote, naming the row', async () => {
    const short = await scan('a,b,c\nd,e\n', { columns: 3 }).catch((error: unknown) => error);
    expect(short).toBeInstanceOf(AppError);
    expect((short as AppError).message).toContain('第 3 行只有 2 列，表头有 3 列');
    const unclosed = await scan('a,b,c\nd,"e,f\n', { columns: 3, chunkSize: 2 }).catch(
      (error: unknown) => error,
    );
    expect((unclosed as AppError).code).toBe('exchange.truncated_file');
    expect((unclosed as AppError).message).toContain('第 3 行附近引号未闭合');
  });
});

describe('reading the first records', () => {
  it('splits fields like the scanner and tells where each record ends', () => {
    const sample = Buffer.from('\ufefftitle\r\n县,"乡,镇","a ""b"""\r\nx,y');
    const records = leadingRecords(sample, { delimiter: 44, start: 3, limit: 20, whole: true });
    expect(records.map((record) => record.fields.map((field) => field.toString()))).toEqual([
      ['title'],
      ['县', '乡,镇', 'a "b"'],
      ['x', 'y'],
    ]);
    expect(sample.subarray(records[1]?.end).toString()).toBe('x,y');
    expect(splitCsvFields(Buffer.from('a,张"三,'), 0, 10, 44).map(String)).toEqual(['a', '张"三', '']);
  });
});
