import {
  birthDateOf,
  genderOf,
  hasValidCheckDigit,
  hasValidIdFormat,
  isPlaceholderId,
  labelOf,
  parseYyyymmdd,
} from '@shouwang/domain';

/**
 * The checks of the edit forms, worded as the server words them, so that most mistakes are shown
 * before submitting; the server checks everything again and its field errors appear in the same place.
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

export function birthDateProblem(birthDate: string, idNumber: string | undefined, today = beijingToday()) {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? parseYyyymmdd(birthDate.replace(/-/g, '')) : undefined;
  if (!date) return '出生日期不是有效的日期（格式如 1980-01-31）';
  if (birthDate > today) return '出生日期不能晚于今天';
  if (birthDate < '1900-01-01') return '出生日期不能早于 1900 年';
  if (idNumber && !idNumberProblem(idNumber, today) && !isPlaceholderId(idNumber)) {
    const fromId = birthDateOf(idNumber)?.toISOString().slice(0, 10);
    if (fromId && fromId !== birthDate) return `出生日期与证件号码中的出生日期（${fromId}）不一致`;
  }
  return undefined;
}

export function genderProblem(gender: string, idNumber: string | undefined): string | undefined {
  if (!idNumber || idNumberProblem(idNumber) || isPlaceholderId(idNumber)) return undefined;
  const fromId = genderOf(idNumber);
  if (fromId && fromId !== gender) {
    return `性别与证件号码第 17 位不一致（该号码对应「${labelOf('gender', fromId)}」，奇数为男、偶数为女）`;
  }
  return undefined;
}

export function monthProblem(label: string, text: string, today = beijingToday()): string | undefined {
  const match = /^(\d{4})(\d{2})$/.exec(text);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12 || Number(match[1]) < 2000)
    return `${label}应为年月，6 位数字，如 202403`;
  if (text > today.slice(0, 7).replace('-', '')) return `${label}不能晚于本月`;
  return undefined;
}

export const mobilePattern = /^1\d{10}$/;

export function phoneProblem(label: string, text: string): string | undefined {
  return mobilePattern.test(text) ? undefined : `${label}应为以 1 开头的 11 位手机号码`;
}

/** An antd rule from a check that answers a message or nothing; blank values pass. */
export function ruleOf(check: (value: string) => string | undefined) {
  return {
    validator: async (_rule: unknown, value: unknown) => {
      if (value === undefined || value === null || value === '') return;
      const problem = check(String(value).trim());
      if (problem) throw new Error(problem);
    },
  };
}
