/** Shared UI strings and display labels for code values. */
export const platform = {
  name: '守望',
  fullName: '防返贫动态监测帮扶平台',
  copyright: '守望 · 开源防返贫动态监测帮扶平台',
} as const;

export const regionLevelLabels: Record<string, string> = {
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
  village: '村',
};

export const auditOutcomeLabels: Record<string, { label: string; color: string }> = {
  success: { label: '成功', color: 'success' },
  failure: { label: '失败', color: 'error' },
  denied: { label: '拒绝', color: 'warning' },
};

/** Audit action codes as the server records them; codes not listed are shown as they are. */
export const auditActionLabels: Record<string, string> = {
  'auth.login': '登录',
  'auth.second_factor': '双因素验证',
  'auth.logout': '退出登录',
  'auth.lockout': '账号锁定',
  'auth.change_password': '修改密码',
  'auth.totp_enable': '启用双因素认证',
  'auth.totp_disable': '停用双因素认证',
  'users.create': '新建用户',
  'users.reset_password': '重置密码',
  'users.unlock': '解锁用户',
  'users.disable': '停用用户',
  'users.enable': '启用用户',
  'audit.export': '导出审计日志',
  'audit.verify': '校验审计日志',
  'audit.prune': '清理审计日志',
  'settings.update': '修改系统设置',
  'access.denied': '越权访问被拒绝',
};

/** The server filters actions by prefix, so a module prefix finds all its actions. */
export const auditActionGroupLabels: Record<string, string> = {
  'auth.': '认证（全部）',
  'users.': '用户管理（全部）',
  'audit.': '审计（全部）',
  'settings.': '系统设置（全部）',
  'access.': '访问控制（全部）',
};

export const auditTargetTypeLabels: Record<string, string> = {
  user: '用户',
  setting: '设置',
};

export const dateTimeFormat = 'YYYY-MM-DD HH:mm:ss';
export const minuteFormat = 'YYYY-MM-DD HH:mm';
