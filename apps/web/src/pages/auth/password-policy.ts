/**
 * Mirrors the server's password policy so users see problems while typing; the server is authoritative
 * (it alone knows the password history).
 */
export const passwordPolicyText =
  '至少 10 位，须包含小写字母、大写字母、数字、符号中的至少 3 类，不得包含用户名，不得与最近 5 次使用过的密码相同。';

export function findPasswordViolations(password: string, username: string): string[] {
  const violations: string[] = [];
  if (password.length < 10) violations.push('密码长度至少 10 位');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) => pattern.test(password));
  if (classes.length < 3) violations.push('须包含小写字母、大写字母、数字、符号中的至少 3 类');
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    violations.push('密码不得包含用户名');
  }
  return violations;
}

/** An antd Form rule checking the policy against the user name typed or known. */
export function passwordPolicyRule(getUsername: () => string) {
  return {
    validator: async (_rule: unknown, value: string | undefined) => {
      if (!value) return;
      const violations = findPasswordViolations(value, getUsername());
      if (violations.length > 0) throw new Error(violations.join('；'));
    },
  };
}

/** The server's `auth.weak_password` answer lists its reasons in `details.violations`. */
export function violationsFromDetails(details: Record<string, unknown> | undefined): string[] {
  const violations = details?.violations;
  return Array.isArray(violations)
    ? violations.filter((item): item is string => typeof item === 'string')
    : [];
}
