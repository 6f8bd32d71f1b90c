import {
  beijingToday,
  birthDateMismatch,
  birthDateOf,
  dateProblem,
  genderMismatch,
  genderOf,
  idNumberProblem,
  isPlaceholderId,
} from '@shouwang/domain';

// The single-value checks live in @shouwang/domain, shared with the server.
export { beijingToday, idNumberProblem, mobilePattern, monthProblem, phoneProblem } from '@shouwang/domain';

/**
 * The checks of the edit forms, worded as the server words them, so that most mistakes are shown
 * before submitting; the server checks everything again and its field errors appear in the same place.
 */

export function birthDateProblem(birthDate: string, idNumber: string | undefined, today = beijingToday()) {
  const problem = dateProblem('出生日期', birthDate, today);
  if (problem) return problem;
  if (idNumber && !idNumberProblem(idNumber, today) && !isPlaceholderId(idNumber)) {
    const fromId = birthDateOf(idNumber)?.toISOString().slice(0, 10);
    if (fromId && fromId !== birthDate) return birthDateMismatch(fromId);
  }
  return undefined;
}

export function genderProblem(gender: string, idNumber: string | undefined): string | undefined {
  if (!idNumber || idNumberProblem(idNumber) || isPlaceholderId(idNumber)) return undefined;
  const fromId = genderOf(idNumber);
  if (fromId && fromId !== gender) return genderMismatch(fromId);
  return undefined;
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
