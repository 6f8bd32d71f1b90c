/**
 * The regular expressions a rule may use in matches(): a subset that means the same in JavaScript
 * and in PostgreSQL's `~` (no lookaround, no back-references, no \b which PostgreSQL reads as backspace).
 */
const allowedEscapes = new Set([...'dDsSwW', ...'.\\-[](){}*+?|^$/']);

export function unsafeRegexProblem(pattern: string): string | undefined {
  if (pattern.length > 200) return '过长（最多 200 个字符）';
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index];
    if (character === '\\') {
      const escaped = pattern[index + 1];
      if (escaped === undefined) return '以反斜杠结尾';
      if (/[1-9]/.test(escaped)) return '不支持反向引用（\\1 等）';
      if (!allowedEscapes.has(escaped)) return `不支持转义 \\${escaped}`;
      index += 1;
      continue;
    }
    if (character === '(' && pattern[index + 1] === '?') {
      if (pattern[index + 2] !== ':') return '不支持 (?= (?! (?<= (?<! 等环视或命名分组';
    }
  }
  try {
    new RegExp(pattern);
  } catch {
    return '语法错误';
  }
  return undefined;
}
