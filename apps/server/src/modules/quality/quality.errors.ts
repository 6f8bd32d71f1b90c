import type { RuleError } from '@shouwang/rules';
import { AppError } from '../../plugins/errors.ts';

export const qualityErrors = {
  ruleNotFound: (code: string) => new AppError('quality.rule_not_found', 404, `没有编码为 ${code} 的规则`),
  ruleExists: (code: string) => new AppError('quality.rule_exists', 409, `规则编码 ${code} 已存在`),
  invalidRuleCode: (code: string) =>
    new AppError(
      'quality.invalid_rule_code',
      400,
      `规则编码 ${code} 不正确：应为大写字母开头、以连字符分段的编码，如 HN-001`,
    ),
  /** The rule text does not parse or type-check; `details` locates the error (1-based line and column). */
  invalidRule: (error: RuleError) =>
    new AppError(
      'quality.invalid_rule',
      400,
      `规则条件有误（第 ${error.line} 行第 ${error.column} 列）：${error.message}`,
      {
        line: error.line,
        column: error.column,
        length: error.length,
        reason: error.message,
      },
    ),
  aggregateRuleText: (code: string) =>
    new AppError('quality.aggregate_rule', 400, `规则 ${code} 为跨户汇总检查，条件由系统内置，不能修改`),
  staleRule: (version: number) =>
    new AppError('quality.stale_rule', 409, `规则已被他人修改（当前版本 ${version}），请刷新后重试`, {
      version,
    }),
  runBusy: () => new AppError('quality.run_busy', 409, '已有一次全量检查正在运行，请稍后再试'),
  runNotFound: (id: string) => new AppError('quality.run_not_found', 404, `没有编号为 ${id} 的检查记录`),
  runInterrupted: () =>
    new AppError('quality.run_interrupted', 500, '检查因服务停止而中断，未修改任何问题记录'),
  findingNotFound: (id: string) =>
    new AppError('quality.finding_not_found', 404, `没有编号为 ${id} 的问题记录`),
  exemptionNotFound: (id: string) =>
    new AppError('quality.exemption_not_found', 404, `没有编号为 ${id} 的豁免申请`),
  exemptionNotOpen: () => new AppError('quality.exemption_not_open', 409, '只有未整改的问题可以申请豁免'),
  exemptionPending: () => new AppError('quality.exemption_pending', 409, '该问题已有待审批的豁免申请'),
  exemptionDecided: () => new AppError('quality.exemption_decided', 409, '该豁免申请已审批，不能重复审批'),
  exemptionOwnRequest: () => new AppError('quality.exemption_own_request', 403, '不能审批自己提出的豁免申请'),
  invalidExpiry: () =>
    new AppError('quality.invalid_expiry', 400, '豁免到期日期应晚于今天，且不超过 3 年', {
      field: 'expiresAt',
    }),
  previewTimeout: () =>
    new AppError('quality.preview_timeout', 400, '试算超时：请缩小范围（选择下级区划）后重试'),
};
