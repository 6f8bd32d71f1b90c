import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type ExcelJSModule from 'exceljs';
import unzipper from 'unzipper';

/**
 * ExcelJS, loaded through this module only. ExcelJS 4.4's streaming reader decodes each chunk of the
 * sheet XML on its own (`lib/utils/parse-sax.js`), so a Chinese character split across two chunks
 * turns into U+FFFD (exceljs issues #2063, #2084; unreleased fix #2081). National exports are full of
 * Chinese text, so the parser is replaced, before ExcelJS loads it, by the same code with one
 * streaming UTF-8 decoder per XML part. Import ExcelJS from here, never from 'exceljs' directly.
 */
const require = createRequire(import.meta.url);
const parseSaxPath = require.resolve('exceljs/lib/utils/parse-sax.js');
const patched = Symbol.for('shouwang.exceljs.parseSax');
const cached = require.cache[parseSaxPath];
if (cached && !(cached.exports as Record<symbol, boolean>)[patched]) {
  throw new Error("exceljs was loaded before src/excel.ts: import ExcelJS from 'src/excel.ts' everywhere");
}
if (!cached) {
  // The same saxes that ExcelJS itself depends on.
  const excelRequire = createRequire(require.resolve('exceljs/package.json'));
  const { SaxesParser } = excelRequire('saxes') as typeof import('saxes');
  async function* parseSax(iterable: AsyncIterable<Buffer | string> & { pipe?: unknown }) {
    const { PassThrough } = require('node:stream') as typeof import('node:stream');
    const source: AsyncIterable<Buffer | string> =
      typeof iterable.pipe === 'function' && !(Symbol.asyncIterator in iterable)
        ? (iterable as unknown as NodeJS.ReadableStream).pipe(new PassThrough())
        : iterable;
    const decoder = new TextDecoder('utf-8');
    const parser = new SaxesParser();
    let error: Error | undefined;
    parser.on('error', (parseError) => {
      error = parseError;
    });
    let events: Array<{ eventType: string; value: unknown }> = [];
    parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
    parser.on('text', (value) => events.push({ eventType: 'text', value }));
    parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
    for await (const chunk of source) {
      parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      if (error) throw error;
      yield events;
      events = [];
    }
    const rest = decoder.decode();
    if (rest) {
      parser.write(rest);
      if (error) throw error;
      yield events;
    }
  }
  const module = new (require('node:module') as typeof import('node:module')).Module(parseSaxPath);
  module.filename = parseSaxPath;
  module.loaded = true;
  module.exports = Object.assign(parseSax, { [patched]: true });
  require.cache[parseSaxPath] = module;
}

const ExcelJS: typeof ExcelJSModule = require('exceljs');
export default ExcelJS;

/** Why an xlsx could not be opened: not a zip package at all, or a zip cut off before its end. */
export class XlsxPackageError extends Error {
  constructor(
    readonly kind: 'not-xlsx' | 'truncated',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The part readers of ExcelJS 4.4.0's (pinned) streaming WorkbookReader, each reading one part of the
 * package into the reader's state; WorksheetReader reads shared strings and styles from there.
 */
interface WorkbookPartReader {
  workbookRels?: Array<{ Id: string; Target: string }>;
  model?: { sheets?: Array<{ rId: string; name: string }> };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    iterator: AsyncIterable<unknown>,
    sheetNo: string,
  ): Generator<{ eventType: string; value: ExcelJSModule.stream.xlsx.WorksheetReader }>;
}

/**
 * Streams the rows of an xlsx file's first sheet (in the workbook's sheet order), with shared strings
 * and styles (so real dates come back as Date) read first.
 *
 * ExcelJS's own `WorkbookReader` reads the zip front to back with unzipper's `Parse`, which reports
 * the end of the archive once the file's last bytes are written to it, while entries may still be
 * waiting to be parsed: now and then (about 1 in 250 reads here, timing-dependent) the entries after
 * the first worksheet — shared strings, `xl/workbook.xml` — are never seen and it fails with "Cannot
 * read properties of undefined (reading 'sheets')". Reading the package through its central directory
 * instead takes each part when it is needed, whatever the order of the parts in the file, and a sheet
 * written before its shared strings is streamed directly rather than copied to a temporary file first.
 * A file without a central directory is cut off (or not a zip at all) and is refused before any row.
 */
export async function* readFirstWorksheetRows(filePath: string): AsyncGenerator<ExcelJSModule.Row> {
  let directory: unzipper.CentralDirectory;
  try {
    directory = await unzipper.Open.file(filePath);
  } catch (error) {
    const handle = await open(filePath, 'r');
    const head = Buffer.alloc(4);
    try {
      await handle.read(head, 0, 4, 0);
    } finally {
      await handle.close();
    }
    const isZip = head.readUInt32LE(0) === 0x04034b50;
    throw new XlsxPackageError(isZip ? 'truncated' : 'not-xlsx', (error as Error).message);
  }
  const part = (name: string) => directory.files.find((file) => file.path === name && file.type === 'File');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(filePath, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  }) as unknown as WorkbookPartReader;
  const rels = part('xl/_rels/workbook.xml.rels');
  const workbook = part('xl/workbook.xml');
  if (!rels || !workbook) throw new XlsxPackageError('not-xlsx', 'no workbook in the package');
  await reader._parseRels(rels.stream());
  await reader._parseWorkbook(workbook.stream());
  const sharedStrings = part('xl/sharedStrings.xml');
  if (sharedStrings) {
    // Cached on the reader; the generator yields nothing of use here.
    for await (const _event of reader._parseSharedStrings(sharedStrings.stream()));
  }
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(styles.stream());

  const first = reader.model?.sheets?.[0];
  const target = reader.workbookRels?.find((rel) => rel.Id === first?.rId)?.Target;
  if (!target) throw new XlsxPackageError('not-xlsx', 'the workbook lists no sheet');
  // Targets are relative to xl/ or absolute within the package.
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const sheet = part(sheetPath);
  if (!sheet) throw new XlsxPackageError('not-xlsx', `missing part ${sheetPath}`);
  const sheetNo = /sheet(\d+)\.xml$/.exec(sheetPath)?.[1] ?? '1';
  for (const { value: worksheet } of reader._parseWorksheet(sheet.stream(), sheetNo)) {
    yield* worksheet;
  }
}
export type { ValueType, Workbook, Worksheet } from 'exceljs';
