import type { Span } from './ast.ts';

export type TokenKind = 'number' | 'string' | 'identifier' | 'keyword' | 'symbol' | 'end';

export interface Token {
  kind: TokenKind;
  /** Keyword and symbol text, identifier name, string value (unescaped), number text. */
  text: string;
  span: Span;
}

export class RuleSyntaxError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

const keywords = new Set(['and', 'or', 'not', 'in', 'true', 'false']);
const symbols = ['!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '(', ')', '[', ']', ',', '.'];
const lookalikes: Record<string, string> = {
  '“': '请使用英文双引号 "',
  '”': '请使用英文双引号 "',
  '（': '请使用英文括号 (',
  '）': '请使用英文括号 )',
  '，': '请使用英文逗号 ,',
  '＝': '请使用 =',
  '【': '请使用英文方括号 [',
  '】': '请使用英文方括号 ]',
  "'": '字符串请使用双引号 "',
};

/** Splits rule text into tokens; columns are 1-based and counted in characters. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let line = 1;
  let lineStart = 0;
  const spanAt = (start: number, length: number): Span => ({ line, column: start - lineStart + 1, length });

  while (index < text.length) {
    const character = text[index] as string;
    if (character === '\n') {
      index += 1;
      line += 1;
      lineStart = index;
      continue;
    }
    if (/\s/.test(character)) {
      index += 1;
      continue;
    }
    const start = index;
    if (/[0-9]/.test(character)) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(index)) as RegExpExecArray;
      index += match[0].length;
      if (/[A-Za-z_]/.test(text[index] ?? '')) {
        throw new RuleSyntaxError('数字后面不能紧跟字母', spanAt(start, index - start + 1));
      }
      tokens.push({ kind: 'number', text: match[0], span: spanAt(start, match[0].length) });
      continue;
    }
    if (/[A-Za-z_]/.test(character)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(index)) as RegExpExecArray;
      index += match[0].length;
      const kind = keywords.has(match[0]) ? 'keyword' : 'identifier';
      tokens.push({ kind, text: match[0], span: spanAt(start, match[0].length) });
      continue;
    }
    if (character === '"') {
      let value = '';
      index += 1;
      for (;;) {
        const next = text[index];
        if (next === undefined || next === '\n') {
          throw new RuleSyntaxError('字符串缺少结尾的双引号', spanAt(start, index - start));
        }
        if (next === '"') break;
        if (next === '\\' && (text[index + 1] === '"' || text[index + 1] === '\\')) {
          value += text[index + 1];
          index += 2;
          continue;
        }
        // Any other backslash stays as written, so regular expressions read naturally ("\d").
        value += next;
        index += 1;
      }
      index += 1;
      tokens.push({ kind: 'string', text: value, span: spanAt(start, index - start) });
      continue;
    }
    const symbol = symbols.find((candidate) => text.startsWith(candidate, index));
    if (symbol) {
      index += symbol.length;
      tokens.push({ kind: 'symbol', text: symbol, span: spanAt(start, symbol.length) });
      continue;
    }
    const hint = lookalikes[character];
    throw new RuleSyntaxError(
      hint ? `无法识别的字符「${character}」，${hint}` : `无法识别的字符「${character}」`,
      spanAt(start, 1),
    );
  }
  tokens.push({ kind: 'end', text: '', span: spanAt(index, 1) });
  return tokens;
}
