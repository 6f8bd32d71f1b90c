/** Menu and page titles. */
export const menu = {
  workbench: '工作台',
  system: '系统管理',
  users: '用户管理',
  audit: '审计日志',
  regions: '区划浏览',
  account: '个人设置',
  changePassword: '修改密码',
  totp: '双因素认证',
  logout: '退出登录',
} as const;
