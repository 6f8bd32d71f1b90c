import { createRequire } from 'node:module';
import type ExcelJSModule from 'exceljs';

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
export type { ValueType, Workbook, Worksheet } from 'exceljs';
