import { type CodeItem, type CodeTableName, codeOf, codeTables, parseYyyymmdd } from '@shouwang/domain';
import type {
  ArithmeticOperator,
  CompareOperator,
  Expr,
  FunctionName,
  ParseResult,
  RuleScope,
  Scalar,
  Span,
  Subject,
  ValueType,
} from './ast.ts';
import {
  type FieldDefinition,
  householdFields,
  incomeFields,
  measureFields,
  personFields,
} from './fields.ts';
import { RuleSyntaxError, type Token, tokenize } from './lexer.ts';
import { unsafeRegexProblem } from './regex.ts';

/** The untyped tree straight from the grammar, before names and types are resolved. */
type Syntax = (
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'list'; items: Syntax[] }
  | { kind: 'name'; parts: Token[] }
  | { kind: 'call'; name: Token; args: Syntax[] }
  | { kind: 'unary'; op: '-' | 'not'; operand: Syntax }
  | { kind: 'binary'; op: string; opSpan: Span; left: Syntax; right: Syntax }
  | { kind: 'in'; negated: boolean; opSpan: Span; left: Syntax; right: Syntax }
) & { span: Span };

const fail = (message: string, span: Span): never => {
  throw new RuleSyntaxError(message, span);
};

/** The span from the start of `first` to the end of `last` (same line), else `first`'s. */
function cover(first: Span, last: Span): Span {
  if (first.line !== last.line) return first;
  return { line: first.line, column: first.column, length: last.column + last.length - first.column };
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }
  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position += 1;
    return token;
  }
  private isSymbol(text: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === text;
  }
  private isKeyword(text: string): boolean {
    const token = this.peek();
    return token.kind === 'keyword' && token.text === text;
  }
  private expectSymbol(text: string, opener?: Token): Token {
    if (this.isSymbol(text)) return this.next();
    const token = this.peek();
    if (opener && token.kind === 'end') fail(`「${opener.text}」没有对应的「${text}」`, opener.span);
    return fail(`此处应为「${text}」，实际为${describe(token)}`, token.span);
  }

  parseRule(): Syntax {
    if (this.peek().kind === 'end') fail('规则条件为空', this.peek().span);
    const expression = this.parseOr();
    const token = this.peek();
    if (token.kind !== 'end') {
      if (token.kind === 'symbol' && token.text === ')') fail('多余的「)」', token.span);
      fail(`条件在此处已结束，多余的内容：${describe(token)}`, token.span);
    }
    return expression;
  }

  private parseOr(): Syntax {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      const op = this.next();
      const right = this.parseAnd();
      left = { kind: 'binary', op: 'or', opSpan: op.span, left, right, span: cover(left.span, right.span) };
    }
    return left;
  }

  private parseAnd(): Syntax {
    let left = this.parseNot();
    while (this.isKeyword('and')) {
      const op = this.next();
      const right = this.parseNot();
      left = { kind: 'binary', op: 'and', opSpan: op.span, left, right, span: cover(left.span, right.span) };
    }
    return left;
  }

  private parseNot(): Syntax {
    if (this.isKeyword('not')) {
      const op = this.next();
      const operand = this.parseNot();
      return { kind: 'unary', op: 'not', operand, span: cover(op.span, operand.span) };
    }
    return this.parseComparison();
  }

  private parseComparison(): Syntax {
    const left = this.parseAdditive();
    const token = this.peek();
    let result: Syntax | undefined;
    if (token.kind === 'symbol' && ['=', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      this.next();
      const right = this.parseAdditive();
      result = {
        kind: 'binary',
        op: token.text,
        opSpan: token.span,
        left,
        right,
        span: cover(left.span, right.span),
      };
    } else if (
      this.isKeyword('in') ||
      (this.isKeyword('not') && this.tokens[this.position + 1]?.text === 'in')
    ) {
      const negated = this.isKeyword('not');
      if (negated) this.next();
      const inToken = this.next();
      const opSpan = negated ? cover(token.span, inToken.span) : inToken.span;
      const right = this.parseAdditive();
      result = { kind: 'in', negated, opSpan, left, right, span: cover(left.span, right.span) };
    }
    if (!result) return left;
    const after = this.peek();
    if (
      (after.kind === 'symbol' && ['=', '!=', '<', '<=', '>', '>='].includes(after.text)) ||
      (after.kind === 'keyword' && after.text === 'in')
    ) {
      fail('比较不能连写，请用 and 连接两个比较', after.span);
    }
    return result;
  }

  private parseAdditive(): Syntax {
    let left = this.parseMultiplicative();
    while (this.isSymbol('+') || this.isSymbol('-')) {
      const op = this.next();
      const right = this.parseMultiplicative();
      left = {
        kind: 'binary',
        op: op.text,
        opSpan: op.span,
        left,
        right,
        span: cover(left.span, right.span),
      };
    }
    return left;
  }

  private parseMultiplicative(): Syntax {
    let left = this.parseUnary();
    while (this.isSymbol('*') || this.isSymbol('/')) {
      const op = this.next();
      const right = this.parseUnary();
      left = {
        kind: 'binary',
        op: op.text,
        opSpan: op.span,
        left,
        right,
        span: cover(left.span, right.span),
      };
    }
    return left;
  }

  private parseUnary(): Syntax {
    if (this.isSymbol('-')) {
      const op = this.next();
      const operand = this.parseUnary();
      return { kind: 'unary', op: '-', operand, span: cover(op.span, operand.span) };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Syntax {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'number', value: Number(token.text), span: token.span };
      case 'string':
        return { kind: 'string', value: token.text, span: token.span };
      case 'keyword':
        if (token.text === 'true' || token.text === 'false') {
          return { kind: 'boolean', value: token.text === 'true', span: token.span };
        }
        return fail(`此处缺少值，实际为${describe(token)}`, token.span);
      case 'identifier': {
        if (this.isSymbol('(')) {
          const open = this.next();
          const args: Syntax[] = [];
          if (!this.isSymbol(')')) {
            args.push(this.parseOr());
            while (this.isSymbol(',')) {
              this.next();
              args.push(this.parseOr());
            }
          }
          const close = this.expectSymbol(')', open);
          return { kind: 'call', name: token, args, span: cover(token.span, close.span) };
        }
        const parts = [token];
        while (this.isSymbol('.')) {
          this.next();
          const part = this.next();
          if (part.kind !== 'identifier') fail(`「.」后面应为字段名，实际为${describe(part)}`, part.span);
          parts.push(part);
        }
        return { kind: 'name', parts, span: cover(token.span, (parts.at(-1) as Token).span) };
      }
      case 'symbol':
        if (token.text === '(') {
          const inner = this.parseOr();
          const close = this.expectSymbol(')', token);
          return { ...inner, span: cover(token.span, close.span) };
        }
        if (token.text === '[') {
          const items: Syntax[] = [];
          if (!this.isSymbol(']')) {
            items.push(this.parseAdditive());
            while (this.isSymbol(',')) {
              this.next();
              items.push(this.parseAdditive());
            }
          }
          const close = this.expectSymbol(']', token);
          return { kind: 'list', items, span: cover(token.span, close.span) };
        }
        return fail(`此处缺少值，实际为${describe(token)}`, token.span);
      default:
        return fail('条件不完整：结尾缺少值', token.span);
    }
  }
}

function describe(token: Token): string {
  if (token.kind === 'end') return '结尾';
  if (token.kind === 'string') return `字符串 "${token.text}"`;
  return `「${token.text}」`;
}

// ---------------------------------------------------------------------------------------------
// Type checking

const booleanType: ValueType = { kind: 'boolean' };
const numberType: ValueType = { kind: 'number' };
const textType: ValueType = { kind: 'text' };

function parseType(name: FieldDefinition['type']): ValueType {
  if (name.startsWith('code:')) return { kind: 'code', table: name.slice(5) as CodeTableName };
  if (name.startsWith('set:')) return { kind: 'set', table: name.slice(4) as CodeTableName | 'text' };
  return { kind: name } as ValueType;
}

function typeName(type: ValueType): string {
  switch (type.kind) {
    case 'text':
      return '文本';
    case 'number':
      return '数字';
    case 'boolean':
      return '是/否';
    case 'date':
      return '日期';
    case 'month':
      return '年月';
    case 'code':
      return '代码';
    case 'set':
      return '集合';
  }
}

function sameType(left: ValueType, right: ValueType): boolean {
  if (left.kind !== right.kind) return false;
  if (left.kind === 'code' || left.kind === 'set') return left.table === (right as typeof left).table;
  return true;
}

const isTextual = (type: ValueType) => type.kind === 'text' || type.kind === 'month' || type.kind === 'date';

function editDistance(left: string, right: string): number {
  const a = left.toLowerCase();
  const b = right.toLowerCase();
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function labelsOf(table: CodeTableName): string {
  return (codeTables[table] as readonly CodeItem[]).map((item) => item.label).join('、');
}

const functionArity: Record<FunctionName, number> = {
  blank: 1,
  length: 1,
  upper: 1,
  substr: 3,
  startsWith: 2,
  matches: 2,
  validDate: 1,
  validMonth: 1,
  monthsBetween: 2,
  idCheckOk: 1,
  idBirthDate: 1,
  idSex: 1,
  abs: 1,
};
const memberFunctions = ['any', 'all', 'count'] as const;

interface CheckContext {
  /** Scope of the bare names: the rule's scope, or 'person' inside any/all/count. */
  scope: RuleScope;
  insideMembers: boolean;
}

class Checker {
  check(syntax: Syntax, context: CheckContext): Expr {
    switch (syntax.kind) {
      case 'number':
        return { kind: 'literal', value: syntax.value, type: numberType, span: syntax.span };
      case 'boolean':
        return { kind: 'literal', value: syntax.value, type: booleanType, span: syntax.span };
      case 'string':
        return { kind: 'literal', value: syntax.value, type: textType, span: syntax.span };
      case 'list':
        return fail('列表只能出现在 in 的右边', syntax.span);
      case 'name':
        return this.resolveName(syntax.parts, context);
      case 'call':
        return this.checkCall(syntax, context);
      case 'unary': {
        const operand = this.check(syntax.operand, context);
        if (syntax.op === 'not') {
          this.expectBoolean(operand, 'not');
          return { kind: 'not', operand, type: booleanType, span: syntax.span };
        }
        if (operand.type.kind !== 'number')
          fail(`负号只能用于数字，这里是${typeName(operand.type)}`, operand.span);
        return { kind: 'negate', operand, type: numberType, span: syntax.span };
      }
      case 'binary':
        return this.checkBinary(syntax, context);
      case 'in':
        return this.checkIn(syntax, context);
    }
  }

  private expectBoolean(expression: Expr, where: string): void {
    if (expression.type.kind !== 'boolean') {
      fail(`「${where}」需要条件（是/否），这里是${typeName(expression.type)}`, expression.span);
    }
  }

  private resolveName(parts: Token[], context: CheckContext): Expr {
    const [first, second, third] = parts;
    const span = cover((first as Token).span, (parts.at(-1) as Token).span);
    const make = (subject: Subject, field: FieldDefinition): Expr => ({
      kind: 'field',
      subject,
      field,
      type: parseType(field.type),
      span,
    });
    const head = first as Token;
    if (head.text === 'members') fail('members 只能作为 any、all、count 的第一个参数', head.span);
    // household.x is allowed in both scopes; it reads the same as a bare household name.
    let namespaceParts = parts;
    if (head.text === 'household' && second) namespaceParts = parts.slice(1);
    const [name, member, extra] = namespaceParts as [Token, Token | undefined, Token | undefined];
    if (extra || third)
      fail('字段名最多两级（如 head.gender、income.netIncomePerPerson）', (extra ?? third ?? name).span);

    if (name.text === 'head' && member && namespaceParts === parts) {
      const field = personFields.get(member.text);
      if (!field) return this.unknownField(member, personFields.keys(), '户主的');
      return make('head', field);
    }
    if (name.text === 'income' && member) {
      const field = incomeFields.get(member.text);
      if (!field) return this.unknownField(member, incomeFields.keys(), '收入的');
      return make('household', field);
    }
    if (name.text === 'measures') {
      if (!member) return fail('请写出帮扶措施类别，如 measures.health', name.span);
      const field = measureFields.get(member.text);
      if (!field) return this.unknownField(member, measureFields.keys(), '帮扶措施');
      return make('household', field);
    }
    if (member) {
      return fail(`未知的前缀「${name.text}」，可用 household.、head.、income.、measures.`, name.span);
    }
    if (namespaceParts === parts && context.scope === 'person') {
      const personField = personFields.get(name.text);
      if (personField) return make('person', personField);
      const householdField = householdFields.get(name.text);
      if (householdField) {
        const isHouseholdColumn = householdField.source === 'household' && !householdField.computed;
        if (isHouseholdColumn)
          fail(`「${name.text}」是户字段，在人员规则中请写 household.${name.text}`, name.span);
        return make('household', householdField);
      }
      return this.unknownField(name, [...personFields.keys(), ...householdFields.keys()], '');
    }
    const householdField = householdFields.get(name.text);
    if (householdField) return make('household', householdField);
    if (personFields.has(name.text)) {
      return fail(
        `「${name.text}」是人员字段；户规则中请用 any(members, …)、all(members, …)、count(members, …) 或 head.${name.text}`,
        name.span,
      );
    }
    return this.unknownField(name, householdFields.keys(), '');
  }

  private unknownField(token: Token, candidates: Iterable<string>, what: string): never {
    const suggestion = closest(token.text, candidates);
    return fail(
      `未知的${what}字段「${token.text}」${suggestion ? `，是否应为「${suggestion}」？` : ''}`,
      token.span,
    );
  }

  /** Converts a constant to the type it is compared with (labels → codes, 是/否 → booleans). */
  private convertLiteral(literal: Expr & { kind: 'literal' }, target: ValueType, other: Expr): Scalar {
    const value = literal.value;
    const fieldName = other.kind === 'field' ? `字段「${other.field.name}」（${other.field.label}）` : '该值';
    if (target.kind === 'code' || (target.kind === 'set' && target.table !== 'text')) {
      const table = target.table as CodeTableName;
      if (typeof value !== 'string')
        fail(`${fieldName}应与文字取值比较，如 "${codeTables[table][0].label}"`, literal.span);
      const code = codeOf(table, value as string);
      if (code === undefined)
        fail(`${fieldName}没有取值「${value}」，可选：${labelsOf(table)}`, literal.span);
      return code as string;
    }
    if (target.kind === 'boolean') {
      if (typeof value === 'boolean') return value;
      const code = typeof value === 'string' ? codeOf('yesNo', value) : undefined;
      if (code === undefined) fail(`${fieldName}只能与 "是"、"否"（或 true、false）比较`, literal.span);
      return code === 'true';
    }
    if (target.kind === 'number') {
      if (typeof value !== 'number')
        fail(`${fieldName}是数字，不能与${typeName(literal.type)}比较`, literal.span);
      return value;
    }
    if (typeof value !== 'string')
      fail(`${fieldName}是${typeName(target)}，不能与${typeName(literal.type)}比较`, literal.span);
    const text = value as string;
    if (target.kind === 'date' && !parseYyyymmdd(text))
      fail(`「${text}」不是有效日期（8 位数字 YYYYMMDD）`, literal.span);
    if (target.kind === 'month' && !isValidMonth(text))
      fail(`「${text}」不是有效年月（6 位数字 YYYYMM）`, literal.span);
    return text;
  }

  /** Makes both operands of a comparison the same type, converting a constant side. */
  private unify(left: Expr, right: Expr, opSpan: Span): [Expr, Expr] {
    if (left.type.kind === 'set' || right.type.kind === 'set') {
      const set = left.type.kind === 'set' ? left : right;
      fail('集合字段只能用于 in（如 "因病" in risks）或 blank()', set.span);
    }
    if (right.kind === 'literal' && left.kind !== 'literal') {
      return [left, { ...right, value: this.convertLiteral(right, left.type, left), type: left.type }];
    }
    if (left.kind === 'literal' && right.kind !== 'literal') {
      return [{ ...left, value: this.convertLiteral(left, right.type, right), type: right.type }, right];
    }
    if (!sameType(left.type, right.type)) {
      fail(`类型不一致：左边是${typeName(left.type)}，右边是${typeName(right.type)}`, opSpan);
    }
    return [left, right];
  }

  private checkBinary(syntax: Syntax & { kind: 'binary' }, context: CheckContext): Expr {
    const left = this.check(syntax.left, context);
    const right = this.check(syntax.right, context);
    const span = syntax.span;
    if (syntax.op === 'and' || syntax.op === 'or') {
      this.expectBoolean(left, syntax.op);
      this.expectBoolean(right, syntax.op);
      return { kind: 'logical', op: syntax.op, left, right, type: booleanType, span };
    }
    if (['+', '-', '*', '/'].includes(syntax.op)) {
      for (const operand of [left, right]) {
        if (operand.type.kind !== 'number') {
          fail(`「${syntax.op}」只能用于数字，这里是${typeName(operand.type)}`, operand.span);
        }
      }
      return { kind: 'arithmetic', op: syntax.op as ArithmeticOperator, left, right, type: numberType, span };
    }
    const [unifiedLeft, unifiedRight] = this.unify(left, right, syntax.opSpan);
    const op = syntax.op as CompareOperator;
    const kind = unifiedLeft.type.kind;
    if (op !== '=' && op !== '!=' && kind !== 'number' && kind !== 'date' && kind !== 'month') {
      fail(`「${op}」只能比较数字、日期或年月，这里是${typeName(unifiedLeft.type)}`, syntax.opSpan);
    }
    return { kind: 'compare', op, left: unifiedLeft, right: unifiedRight, type: booleanType, span };
  }

  private checkIn(syntax: Syntax & { kind: 'in' }, context: CheckContext): Expr {
    const operand = this.check(syntax.left, context);
    if (syntax.right.kind === 'list') {
      if (operand.type.kind === 'set') fail('集合字段不能放在 in 的左边', operand.span);
      if (syntax.right.items.length === 0) fail('列表不能为空', syntax.right.span);
      if (operand.kind === 'literal') fail('in 的左边应为字段或表达式', operand.span);
      const values = syntax.right.items.map((item) => {
        const checked =
          item.kind === 'unary' && item.op === '-' && item.operand.kind === 'number'
            ? { kind: 'number' as const, value: -item.operand.value, span: item.span }
            : item;
        if (checked.kind !== 'number' && checked.kind !== 'string' && checked.kind !== 'boolean') {
          return fail('列表只能包含常量（数字、"文字"、true、false）', item.span);
        }
        const literal = this.check(checked, context) as Expr & { kind: 'literal' };
        return this.convertLiteral(literal, operand.type, operand);
      });
      return {
        kind: 'inList',
        negated: syntax.negated,
        operand,
        values,
        type: booleanType,
        span: syntax.span,
      };
    }
    const set = this.check(syntax.right, context);
    if (set.type.kind !== 'set') {
      fail(`in 的右边应为列表 [..] 或集合字段（如 risks），这里是${typeName(set.type)}`, set.span);
    }
    const setType = set.type as ValueType & { kind: 'set' };
    const elementType: ValueType =
      setType.table === 'text' ? textType : { kind: 'code', table: setType.table };
    let element = operand;
    if (operand.kind === 'literal') {
      element = { ...operand, value: this.convertLiteral(operand, setType, set), type: elementType };
    } else if (!sameType(operand.type, elementType)) {
      fail(`类型不一致：集合元素是${typeName(elementType)}，左边是${typeName(operand.type)}`, syntax.opSpan);
    }
    return {
      kind: 'inSet',
      negated: syntax.negated,
      operand: element,
      set,
      type: booleanType,
      span: syntax.span,
    };
  }

  private checkCall(syntax: Syntax & { kind: 'call' }, context: CheckContext): Expr {
    const name = syntax.name.text;
    const span = syntax.span;
    if ((memberFunctions as readonly string[]).includes(name)) {
      if (syntax.args.length !== 2)
        fail(`${name}(members, 条件) 需要 2 个参数，实际为 ${syntax.args.length} 个`, span);
      const [target, condition] = syntax.args as [Syntax, Syntax];
      if (target.kind !== 'name' || target.parts.length !== 1 || target.parts[0]?.text !== 'members') {
        fail(`${name} 的第一个参数应为 members`, target.span);
      }
      if (context.insideMembers) fail(`${name} 不能嵌套在另一个 any/all/count 里`, syntax.name.span);
      const body = this.check(condition, { scope: 'person', insideMembers: true });
      this.expectBoolean(body, name);
      const type = name === 'count' ? numberType : booleanType;
      return { kind: 'members', name: name as 'any' | 'all' | 'count', body, type, span };
    }
    if (!(name in functionArity)) {
      const suggestion = closest(name, [...Object.keys(functionArity), ...memberFunctions]);
      return fail(
        `未知的函数「${name}」${suggestion ? `，是否应为「${suggestion}」？` : ''}`,
        syntax.name.span,
      );
    }
    const functionName = name as FunctionName;
    const arity = functionArity[functionName];
    if (syntax.args.length !== arity) {
      fail(`函数 ${name} 需要 ${arity} 个参数，实际为 ${syntax.args.length} 个`, span);
    }
    const args = syntax.args.map((arg) => this.check(arg, context));
    const requireTextual = (index: number) => {
      const arg = args[index] as Expr;
      if (!isTextual(arg.type))
        fail(`函数 ${name} 的第 ${index + 1} 个参数应为文本，这里是${typeName(arg.type)}`, arg.span);
    };
    const requireNumber = (index: number) => {
      const arg = args[index] as Expr;
      if (arg.type.kind !== 'number')
        fail(`函数 ${name} 的第 ${index + 1} 个参数应为数字，这里是${typeName(arg.type)}`, arg.span);
    };
    let type: ValueType = booleanType;
    switch (functionName) {
      case 'blank':
        break;
      case 'length':
        requireTextual(0);
        type = numberType;
        break;
      case 'upper':
        requireTextual(0);
        type = textType;
        break;
      case 'substr':
        requireTextual(0);
        requireNumber(1);
        requireNumber(2);
        type = textType;
        break;
      case 'startsWith':
        requireTextual(0);
        requireTextual(1);
        break;
      case 'matches': {
        requireTextual(0);
        const pattern = args[1] as Expr;
        if (pattern.kind !== 'literal' || typeof pattern.value !== 'string') {
          return fail('matches 的第 2 个参数应为用双引号写的正则表达式', pattern.span);
        }
        const problem = unsafeRegexProblem(pattern.value);
        if (problem) fail(`正则表达式不可用：${problem}`, pattern.span);
        break;
      }
      case 'validDate':
      case 'validMonth':
      case 'idCheckOk':
        requireTextual(0);
        break;
      case 'monthsBetween':
        requireTextual(0);
        requireTextual(1);
        type = numberType;
        break;
      case 'idBirthDate':
        requireTextual(0);
        type = { kind: 'date' };
        break;
      case 'idSex':
        requireTextual(0);
        type = { kind: 'code', table: 'gender' };
        break;
      case 'abs':
        requireNumber(0);
        type = numberType;
        break;
    }
    return { kind: 'call', name: functionName, args, type, span };
  }
}

export function isValidMonth(text: string): boolean {
  return /^\d{4}(0[1-9]|1[0-2])$/.test(text);
}

/** Parses and type-checks one rule condition written for `scope`. */
export function parseRule(text: string, scope: RuleScope): ParseResult {
  try {
    const syntax = new Parser(tokenize(text)).parseRule();
    const ast = new Checker().check(syntax, { scope, insideMembers: false });
    if (ast.type.kind !== 'boolean') {
      fail(`规则条件的结果应为是/否，这里是${typeName(ast.type)}`, ast.span);
    }
    return { ok: true, ast, rule: { scope, source: text, ast } };
  } catch (error) {
    if (error instanceof RuleSyntaxError) {
      return { ok: false, error: { message: error.message, ...error.span } };
    }
    throw error;
  }
}
