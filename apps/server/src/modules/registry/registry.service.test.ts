import { idNumberProblem } from '@shouwang/domain';
import { describe, expect, it } from 'vitest';
import { displayValue, personFields, sourceLabel } from './registry.fields.ts';
import { ageOn } from './registry.mapper.ts';
import { birthBoundsForAges, countLimits, parseSearchText, resolveTotal } from './registry.service.ts';
import { buildChangeSet } from './registry.validation.ts';

describe(parseSearchText.name, () => {
  it('reads a full ID, a disability certificate, the last digits of an ID, or a name', () => {
    expect(parseSearchText(' 41022519720101123x ')).toEqual({ idNumber: '41022519720101123X' });
    expect(parseSearchText('4102251972010112341')).toEqual({});
    expect(parseSearchText('410225197201011234' + '11')).toEqual({ idNumber: '410225197201011234' });
    expect(parseSearchText('123x')).toEqual({ idSuffix: '123X' });
    expect(parseSearchText('12')).toEqual({});
    expect(parseSearchText('张')).toEqual({ namePrefix: '张' });
    expect(parseSearchText('   ')).toBeUndefined();
  });
});

describe(birthBoundsForAges.name, () => {
  it('turns whole years at today into birth-date bounds, both ends included', () => {
    expect(birthBoundsForAges(16, 18, '2026-03-15')).toEqual({
      bornTo: '2010-03-15',
      bornFrom: '2007-03-16',
    });
    expect(birthBoundsForAges(undefined, undefined, '2026-03-15')).toEqual({});
  });

  it('agrees with the age shown on screens', () => {
    const { bornFrom, bornTo } = birthBoundsForAges(60, 60, '2026-03-15');
    expect(ageOn(bornFrom ?? '', '2026-03-15')).toBe(60);
    expect(ageOn(bornTo ?? '', '2026-03-15')).toBe(60);
    expect(ageOn('1966-03-16', '2026-03-15')).toBe(59);
  });
});

describe(resolveTotal.name, () => {
  const estimate = async () => 123_456;

  it('is exact on a short last page, however long counting took', async () => {
    expect(await resolveTotal({ offset: 40, pageSize: 20, found: 5, counted: undefined, estimate })).toEqual({
      total: 45,
      totalExact: true,
    });
    expect(await resolveTotal({ offset: 0, pageSize: 20, found: 0, counted: undefined, estimate })).toEqual({
      total: 0,
      totalExact: true,
    });
  });

  it('is exact when the bounded count finished under the cap', async () => {
    expect(await resolveTotal({ offset: 0, pageSize: 20, found: 20, counted: 2_324, estimate })).toEqual({
      total: 2_324,
      totalExact: true,
    });
  });

  it("answers the planner's estimate past the cap or the time limit", async () => {
    const capped = countLimits.cap + 1;
    expect(await resolveTotal({ offset: 0, pageSize: 20, found: 20, counted: capped, estimate })).toEqual({
      total: 123_456,
      totalExact: false,
    });
    expect(
      await resolveTotal({
        offset: 200,
        pageSize: 20,
        found: 20,
        counted: undefined,
        estimate: async () => 30,
      }),
    ).toEqual({ total: 221, totalExact: false });
  });
});

describe(buildChangeSet.name, () => {
  const stored = {
    name: '张三',
    phone: '13800001111',
    publicJobMonths: 3,
    tekunAllowance: '120.50',
    birthDate: '1972-01-02',
  };

  it('keeps only the fields that change, comparing numbers and dates by value', () => {
    const { changes, errors } = buildChangeSet(
      personFields,
      {
        name: ' 张三 ',
        phone: '13800001111',
        tekunAllowance: 120.5,
        publicJobMonths: '4',
        birthDate: '1972-01-02',
      },
      stored,
      '2026-01-01',
    );
    expect(errors).toEqual({});
    expect(changes.map((change) => [change.definition.field, change.oldValue, change.newValue])).toEqual([
      ['publicJobMonths', 3, 4],
    ]);
  });

  it('leaves a flawed stored value alone when the form sends it back unchanged', () => {
    const { changes, errors } = buildChangeSet(
      personFields,
      { phone: '123' },
      { phone: '123' },
      '2026-01-01',
    );
    expect(changes).toEqual([]);
    expect(errors).toEqual({});
  });

  it('refuses a blank required field and a month count above 12', () => {
    const { errors } = buildChangeSet(personFields, { name: '', publicJobMonths: 13 }, stored, '2026-01-01');
    expect(errors).toEqual({ name: '请填写姓名', publicJobMonths: '公益性岗位(月数)不能大于 12' });
  });
});

describe(idNumberProblem.name, () => {
  it('accepts placeholders and refuses a birth date that does not exist', () => {
    expect(idNumberProblem('999999000000000001', '2026-01-01')).toBeUndefined();
    expect(idNumberProblem('41022519720230123X', '2026-01-01')).toMatch(/校验位|出生日期/);
    expect(idNumberProblem('4102251972', '2026-01-01')).toMatch(/18 位/);
  });
});

describe('history display', () => {
  it('shows codes as labels and names the source', () => {
    expect(displayValue('monitoringCategory', 'marginal')).toBe('边缘易致贫户');
    expect(displayValue('risk2', 'illness')).toBe('因病');
    expect(displayValue('dangerousHouse', 'false')).toBe('否');
    expect(displayValue('otherNote', '备注')).toBe('备注');
    expect(sourceLabel('department:民政')).toBe('部门数据:民政');
    expect(sourceLabel('national_sync')).toBe('国家系统同步');
    expect(sourceLabel('rule_fix')).toBe('规则修正');
  });
});
