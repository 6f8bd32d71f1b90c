import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from './password-policy.ts';

describe('checkPasswordPolicy', () => {
  it('accepts a long password with three character classes', () => {
    expect(checkPasswordPolicy('Lankao2026!', 'village')).toEqual([]);
    expect(checkPasswordPolicy('lankao#2026x', 'village')).toEqual([]);
  });

  it('rejects a password shorter than 10 characters', () => {
    expect(checkPasswordPolicy('Ab1!Ab1!a', 'u')).toContain('密码长度不少于 10 位');
  });

  it('rejects a password with only two character classes', () => {
    expect(checkPasswordPolicy('lankao20261', 'u')).toContain(
      '须包含大写字母、小写字母、数字、符号中的至少三类',
    );
  });

  it('rejects a password containing the user name in any case', () => {
    expect(checkPasswordPolicy('XiaoWang#2026', 'xiaowang')).toContain('密码不能包含用户名');
  });
});
