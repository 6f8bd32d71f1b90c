import { describe, expect, it } from 'vitest';
import {
  birthDateOf,
  buildIdNumber,
  codeOf,
  findNationalColumn,
  genderOf,
  hasValidCheckDigit,
  hasValidIdFormat,
  labelOf,
  maskIdNumber,
  maskPhone,
  nationalColumns,
  upgradeFifteenDigitId,
} from './index.ts';

describe('ID numbers', () => {
  it('checks the GB 11643 check character, lower-case x included', () => {
    expect(hasValidCheckDigit('11010519491231002X')).toBe(true);
    expect(hasValidCheckDigit('11010519491231002x')).toBe(true);
    expect(hasValidCheckDigit('110105194912310021')).toBe(false);
  });

  it('builds valid IDs that carry birth date and sex', () => {
    const id = buildIdNumber('410225', new Date(Date.UTC(1988, 1, 29)), 123, 'female');
    expect(hasValidCheckDigit(id)).toBe(true);
    expect(birthDateOf(id)?.toISOString().slice(0, 10)).toBe('1988-02-29');
    expect(genderOf(id)).toBe('female');
  });

  it('accepts 18, 20 and 22 characters and nothing else', () => {
    expect(hasValidIdFormat('11010519491231002X')).toBe(true);
    expect(hasValidIdFormat('11010519491231002X41')).toBe(true);
    expect(hasValidIdFormat('11010519491231002X4102')).toBe(true);
    expect(hasValidIdFormat('1101051949123100X2')).toBe(false);
    expect(hasValidIdFormat('11010519491231002')).toBe(false);
  });

  it('rejects impossible birth dates', () => {
    expect(birthDateOf('110105194902300021')).toBeUndefined();
    expect(birthDateOf('110105190002290021')).toBeUndefined();
  });

  it('upgrades 15-digit IDs', () => {
    expect(upgradeFifteenDigitId('110105491231002')).toBe('11010519491231002X');
  });
});

describe('code tables', () => {
  it('maps labels, variants and full-width parentheses to one code', () => {
    expect(codeOf('schooling', '高中一年级')).toBe('senior_1');
    expect(codeOf('schooling', '普通高中一年级')).toBe('senior_1');
    expect(codeOf('education', '本科及研究生及以上')).toBe('bachelor_or_above');
    expect(codeOf('riskType', '因产业（项目）失败')).toBe('business_failure');
    expect(codeOf('gender', '1')).toBe('male');
    expect(codeOf('laborSkill', '  ')).toBeUndefined();
    expect(codeOf('laborSkill', '半劳力?')).toBeUndefined();
    expect(labelOf('monitoringCategory', 'marginal')).toBe('边缘易致贫户');
  });
});

describe('national columns', () => {
  it('finds headers leniently and has unique fields', () => {
    expect(findNationalColumn(' 耕地面积(亩) ')?.field).toBe('arableLand');
    expect(findNationalColumn('致贫/返贫风险1')?.field).toBe('risk1');
    const fields = nationalColumns.map((column) => column.field);
    expect(new Set(fields).size).toBe(fields.length);
  });
});

describe('masking', () => {
  it('keeps the first and last four characters of an ID and hides the middle of a phone', () => {
    expect(maskIdNumber('410225198802290123')).toBe('4102**********0123');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
