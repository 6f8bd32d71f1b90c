import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.ts';
import { parseRule } from './parser.ts';

function ast(text: string, scope: 'person' | 'household' = 'person'): Expr {
  const result = parseRule(text, scope);
  if (!result.ok) throw new Error(`${result.error.message} @${result.error.column}`);
  return result.ast;
}

/** A compact rendering of the tree, to check precedence. */
function show(expression: Expr): string {
  switch (expression.kind) {
    case 'literal':
      return JSON.stringify(expression.value);
    case 'field':
      return expression.subject !== 'head'
        ? expression.field.name
        : `${expression.subject}.${expression.field.name}`;
    case 'compare':
    case 'arithmetic':
      return `(${show(expression.left)} ${expression.op} ${show(expression.right)})`;
    case 'logical':
      return `(${show(expression.left)} ${expression.op} ${show(expression.right)})`;
    case 'not':
      return `(not ${show(expression.operand)})`;
    case 'negate':
      return `(-${show(expression.operand)})`;
    case 'inList':
      return `(${show(expression.operand)} ${expression.negated ? 'not in' : 'in'} ${JSON.stringify(expression.values)})`;
    case 'inSet':
      return `(${show(expression.operand)} ${expression.negated ? 'not in' : 'in'} ${show(expression.set)})`;
    case 'call':
      return `${expression.name}(${expression.args.map(show).join(', ')})`;
    case 'members':
      return `${expression.name}(members, ${show(expression.body)})`;
  }
}

function error(text: string, scope: 'person' | 'household' = 'person') {
  const result = parseRule(text, scope);
  if (result.ok) throw new Error(`expected an error for ${text}`);
  return result.error;
}

describe('parser precedence', () => {
  it('or < and < not < comparison < + - < * / < unary minus', () => {
    expect(show(ast('age > 1 or age < 2 and not age = 3'))).toBe(
      '((age > 1) or ((age < 2) and (not (age = 3))))',
    );
    expect(show(ast('age + 2 * 3 > -1 - age / 2'))).toBe('((age + (2 * 3)) > ((-1) - (age / 2)))');
    expect(show(ast('(age > 1 or age < 2) and age != 3'))).toBe('(((age > 1) or (age < 2)) and (age != 3))');
    expect(show(ast('age - 1 - 2 = 0'))).toBe('(((age - 1) - 2) = 0)');
    expect(show(ast('not not blank(name)'))).toBe('(not (not blank(name)))');
  });

  it('reads in, not in, set membership and member quantifiers', () => {
    expect(show(ast('laborSkill not in ["普通劳动力", "技能劳动力"]'))).toBe(
      '(laborSkill not in ["ordinary","skilled"])',
    );
    expect(show(ast('"因病" in risks', 'household'))).toBe('("illness" in risks)');
    expect(show(ast('count(members, relation = "户主") * 4 > size', 'household'))).toBe(
      '((count(members, (relation = "head")) * 4) > size)',
    );
    expect(
      show(ast('gender = head.gender and household.arableLand > 1 and income.netIncomePerPerson < line')),
    ).toBe('(((gender = head.gender) and (arableLand > 1)) and (netIncomePerPerson < line))');
  });

  it('reads strings with escapes, decimals and lines', () => {
    expect(show(ast('name = "a\\"b\\\\c"'))).toBe('(name = "a\\"b\\\\c")');
    expect(show(ast('household.arableLand >= 0.5\n  and household.arableLand < 10', 'person'))).toBe(
      '((arableLand >= 0.5) and (arableLand < 10))',
    );
  });
});

describe('labels map to codes at compile time', () => {
  it('maps labels, variants, full-width parentheses and 是/否', () => {
    expect(show(ast('laborSkill != "无劳动力"'))).toBe('(laborSkill != "none")');
    expect(show(ast('laborSkill = "半劳动力"'))).toBe('(laborSkill = "weak")');
    expect(show(ast('"因产业（项目）失败" in risks', 'household'))).toBe('("business_failure" in risks)');
    expect(show(ast('workLocation = "乡（镇）内务工"'))).toBe('(workLocation = "within_township")');
    expect(show(ast('monitoringCategory = "边缘户"', 'household'))).toBe('(monitoringCategory = "marginal")');
    expect(show(ast('relation in ["之子", "之女"]'))).toBe('(relation in ["son","daughter"])');
    expect(show(ast('riskEliminated = "是" and dangerousHouse = false', 'household'))).toBe(
      '((riskEliminated = true) and (dangerousHouse = false))',
    );
    expect(show(ast('idSex(idNumber) = "女"'))).toBe('(idSex(idNumber) = "female")');
  });

  it('names the field and lists the labels for an unknown label', () => {
    const result = error('laborSkill = "壮劳力"');
    expect(result.message).toContain('laborSkill');
    expect(result.message).toContain('劳动技能');
    expect(result.message).toContain('技能劳动力、普通劳动力、弱劳动力或半劳动力、丧失劳动力、无劳动力');
    expect([result.column, result.length]).toEqual([14, 5]);
    expect(error('"因穷" in risks', 'household').column).toBe(1);
    expect(error('riskEliminated = "对"', 'household').message).toContain('"是"');
  });
});

describe('errors point at the token', () => {
  const cases: Array<
    [text: string, scope: 'person' | 'household', column: number, length: number, message: string]
  > = [
    ['laborSkil = "无劳动力"', 'person', 1, 9, '是否应为「laborSkill」'],
    ['age > 1 and houshold.arableLand > 1', 'person', 13, 8, '未知的前缀'],
    ['household.arableLnd > 1', 'person', 11, 9, '是否应为「arableLand」'],
    ['arableLand > 1', 'person', 1, 10, 'household.arableLand'],
    ['age > 1', 'household', 1, 3, 'any(members'],
    ['head.genderr = "男"', 'person', 6, 7, '是否应为「gender」'],
    ['(age > 1 and age < 3', 'person', 1, 1, '没有对应的「)」'],
    ['age > 1)', 'person', 8, 1, '多余的「)」'],
    ['age > 1 age', 'person', 9, 3, '多余的内容'],
    ['age >', 'person', 6, 1, '结尾缺少值'],
    ['age > "16"', 'person', 7, 4, '数字'],
    ['name > "a"', 'person', 6, 1, '只能比较数字'],
    ['age + name > 1', 'person', 7, 4, '只能用于数字'],
    ['age in ["16"]', 'person', 9, 4, '数字'],
    ['age in []', 'person', 8, 2, '列表不能为空'],
    ['age in [age]', 'person', 9, 3, '只能包含常量'],
    ['age = 1 = 2', 'person', 9, 1, '不能连写'],
    ['lenght(name) = 1', 'person', 1, 6, '是否应为「length」'],
    ['substr(name, 1) = "a"', 'person', 1, 15, '需要 3 个参数'],
    ['blank(risks) and age', 'person', 18, 3, '需要条件'],
    ['age', 'person', 1, 3, '结果应为是/否'],
    ['matches(phone, "(?=1)\\d")', 'person', 16, 9, '环视'],
    ['matches(phone, "(a)\\1")', 'person', 16, 7, '反向引用'],
    ['matches(phone, "\\bx")', 'person', 16, 5, '\\b'],
    ['matches(phone, "[")', 'person', 16, 3, '语法错误'],
    ['name = “张三”', 'person', 8, 1, '英文双引号'],
    ['name = "abc', 'person', 8, 4, '缺少结尾的双引号'],
    ['risks = "因病"', 'household', 1, 5, '集合字段'],
    ['any(risks, age > 1)', 'household', 5, 5, '第一个参数应为 members'],
    ['any(members, any(members, age > 1))', 'household', 14, 3, '不能嵌套'],
    ['identifiedAt = "202413"', 'household', 16, 8, '不是有效年月'],
    ['birthDate = "20230230"', 'person', 13, 10, '不是有效日期'],
    ['gender = relation', 'person', 8, 1, '类型不一致'],
    ['', 'person', 1, 1, '为空'],
    ['age > 1 and\n  foo = 1', 'person', 3, 3, '未知的字段「foo」'],
  ];
  it.each(cases)('%s', (text, scope, column, length, message) => {
    const result = error(text, scope);
    expect(result.message).toContain(message);
    expect({ column: result.column, length: result.length }).toEqual({ column, length });
    expect(result.line).toBe(text.includes('\n') ? 2 : 1);
  });
});
