import { type CodeTableName, codeTables } from '@shouwang/domain';

/** Display helpers of the registry pages: code options, yes/no, months, amounts. */

export const dash = '—';

export function codeOptions(table: CodeTableName): Array<{ value: string; label: string }> {
  return codeTables[table].map((item) => ({ value: item.code, label: item.label }));
}

export const yesNoOptions = [
  { value: true, label: '是' },
  { value: false, label: '否' },
];

export function yesNo(value: boolean | null | undefined): string {
  if (value === null || value === undefined) return dash;
  return value ? '是' : '否';
}

/** 202303 → 2023-03; anything malformed is shown as stored so that it can be corrected. */
export function formatMonth(value: string | null | undefined): string {
  if (!value) return dash;
  return /^\d{6}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4)}` : value;
}

export function formatNumber(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined) return dash;
  return `${value.toLocaleString('zh-CN', { maximumFractionDigits: 2 })}${unit}`;
}

export const categoryColors: Record<string, string> = {
  unstable_lifted: 'orange',
  marginal: 'gold',
  sudden_hardship: 'red',
};

export const householdTypeColors: Record<string, string> = { lifted: 'blue', ordinary: 'default' };

/**
 * A region's name below the user's own region: a county user reads 堌阳镇城内村, not the whole
 * 河南省开封市兰考县堌阳镇城内村; a village user reads the village name.
 */
export function regionBelow(fullName: string, user: { regionFullName: string; regionName: string }): string {
  if (fullName === user.regionFullName) return user.regionName;
  return fullName.startsWith(user.regionFullName) ? fullName.slice(user.regionFullName.length) : fullName;
}

/** 共 N 户 or 约 N 户 when the server estimated the total. */
export function totalText(total: number, exact: boolean, unit: string): string {
  return `${exact ? '共' : '约'} ${total.toLocaleString('zh-CN')} ${unit}`;
}

/** Pages beyond this many rows are not offered: narrowing the filters is faster than paging. */
export const pageableRows = 10_000;
