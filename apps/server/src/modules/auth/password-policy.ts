/** The platform's password rules; each violation is a sentence the user can act on. */
export function checkPasswordPolicy(password: string, username: string): string[] {
  const violations: string[] = [];
  if (password.length < 10) violations.push('密码长度不少于 10 位');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) =>
    pattern.test(password),
  ).length;
  if (classes < 3) violations.push('须包含大写字母、小写字母、数字、符号中的至少三类');
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    violations.push('密码不能包含用户名');
  return violations;
}

/** How many earlier passwords a new one must differ from. */
export const passwordHistoryDepth = 5;
