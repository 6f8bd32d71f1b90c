import type { RuleError } from '@shouwang/rules';
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
  /** The expression does not parse or type-check; `details` locates the error (1-based line and column). */
  invalidExpression: (error: RuleError) =>
    new AppError(
      'analytics.invalid_expression',
      400,
      `统计条件有误（第 ${error.line} 行第 ${error.column} 列）：${error.message}`,
      { line: error.line, column: error.column, length: error.length, reason: error.message },
    ),
  savedNameTaken: (name: string) =>
    new AppError('analytics.saved_name_taken', 409, `已有名为“${name}”的统计，请换一个名称`, {
      field: 'name',
    }),
  statisticTimedOut: (seconds: number) =>
    new AppError(
      'analytics.statistic_timed_out',
      503,
      `统计超过 ${seconds} 秒仍未完成，已停止：请缩小区划范围或收窄统计条件后重试，或导出人员名单（导出不受此限制）`,
    ),
  savedNotFound: (id: string) =>
    new AppError('analytics.saved_not_found', 404, `没有编号为 ${id} 的已存统计`),
};
