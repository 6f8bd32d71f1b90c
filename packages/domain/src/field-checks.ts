import { labelOf } from './code-tables.ts';
import {
  birthDateOf,
  hasValidCheckDigit,
  hasValidIdFormat,
  isPlaceholderId,
  parseYyyymmdd,
} from './id-number.ts';

/**
 * Checks of single values, worded for the cadre, shared by the edit forms (instant feedback) and the
 * server (which checks everything again). Each answers a zh-CN message, or undefined when the value is fine.
 */

/** Today's calendar day in Beijing, YYYY-MM-DD. */
export function beijingToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function idNumberProblem(idNumber: string, today = beijingToday()): string | undefined {
  if (!hasValidIdFormat(idNumber)) return '证件号码应为 18 位（残疾人证为 20 或 22 位），末位可为 X';
  if (isPlaceholderId(idNumber)) return undefined;
  if (!hasValidCheckDigit(idNumber.slice(0, 18))) return '证件号码校验位不正确，请逐位核对';
  const birth = birthDateOf(idNumber);
  if (!birth) return '证件号码中的出生日期（第 7–14 位）不是有效日期';
  if (birth.toISOString().slice(0, 10) > today) return '证件号码中的出生日期晚于今天';
  return undefined;
}

/** A YYYY-MM-DD date between 1900 and today. */
export function dateProblem(label: string, text: string, today = beijingToday()): string | undefined {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseYyyymmdd(text.replace(/-/g, '')) : undefined;
  if (!date) return `${label}不是有效的日期（格式如 1980-01-31）`;
  if (text > today) return `${label}不能晚于今天`;
  if (text < '1900-01-01') return `${label}不能早于 1900 年`;
  return undefined;
}

/** A YYYYMM month from 2000 up to this month. */
export function monthProblem(label: string, text: string, today = beijingToday()): string | undefined {
  const match = /^(\d{4})(\d{2})$/.exec(text);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12 || Number(match[1]) < 2000) {
    return `${label}应为年月，6 位数字，如 202403`;
  }
  if (text > today.slice(0, 7).replace('-', '')) return `${label}不能晚于本月`;
  return undefined;
}

export const mobilePattern = /^1\d{10}$/;

export function phoneProblem(label: string, text: string): string | undefined {
  return mobilePattern.test(text) ? undefined : `${label}应为以 1 开头的 11 位手机号码`;
}

export function birthDateMismatch(birthDateFromId: string): string {
  return `出生日期与证件号码中的出生日期（${birthDateFromId}）不一致`;
}

export function genderMismatch(genderFromId: 'male' | 'female'): string {
  return `性别与证件号码第 17 位不一致（该号码对应「${labelOf('gender', genderFromId)}」，奇数为男、偶数为女）`;
}
