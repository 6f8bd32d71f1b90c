import { AppError } from '../../plugins/errors.ts';

export const analyticsErrors = {
  unknownReport: (name: string) => new AppError('analytics.unknown_report', 404, `没有名为 ${name} 的报表`),
  invalidFilter: (field: string, reason: string) =>
    new AppError('analytics.invalid_filter', 400, `筛选条件 ${field} 不正确：${reason}`, { field }),
  notRefreshed: () =>
    new AppError(
      'analytics.not_refreshed',
      409,
      '统计数据尚未生成：请在导入数据后执行 shouwang analytics refresh，或由管理员刷新统计',
    ),
};
