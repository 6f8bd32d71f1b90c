import { AppError } from '../../plugins/errors.ts';

export const authErrors = {
  invalidCredentials: (remainingAttempts?: number) =>
    new AppError(
      'auth.invalid_credentials',
      401,
      remainingAttempts !== undefined && remainingAttempts > 0
        ? `用户名或密码错误，再失败 ${remainingAttempts} 次账号将被锁定`
        : '用户名或密码错误',
    ),
  locked: (minutes: number) =>
    new AppError(
      'auth.locked',
      423,
      `连续登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试或联系管理员解锁`,
    ),
  disabled: () => new AppError('auth.disabled', 403, '账号已停用，请联系管理员'),
  invalidTotp: () => new AppError('auth.invalid_totp', 401, '动态验证码不正确或已过期'),
  totpNotEnrolled: () => new AppError('auth.totp_not_started', 400, '请先生成双因素认证密钥'),
  totpAlreadyEnabled: () => new AppError('auth.totp_enabled', 409, '已启用双因素认证'),
  totpRequiredForAdmins: () => new AppError('auth.totp_required', 400, '管理员必须启用双因素认证，不能停用'),
  weakPassword: (violations: string[]) =>
    new AppError('auth.weak_password', 400, `密码不符合要求：${violations.join('；')}`, { violations }),
  sessionState: () =>
    new AppError('auth.session_state', 403, '请先完成登录步骤（动态验证码、修改密码或启用双因素认证）'),
  usernameTaken: (username: string) => new AppError('auth.username_taken', 409, `用户名 ${username} 已存在`),
  unknownRole: (role: string) => new AppError('auth.unknown_role', 400, `角色 ${role} 不存在`),
  roleLevelMismatch: (roleName: string, regionName: string) =>
    new AppError('auth.role_level', 400, `角色「${roleName}」不能设在「${regionName}」这一级`),
  roleNotGrantable: (roleName: string) =>
    new AppError('auth.role_not_grantable', 403, `您不能授予「${roleName}」角色`),
  userNotFound: () => new AppError('auth.user_not_found', 404, '用户不存在或不在您的管辖范围内'),
};
