import { AppError } from '../../plugins/errors.ts';

export const monitoringErrors = {
  /** Missing, or in another region: answered alike. */
  caseNotFound: () => new AppError('monitoring.case_not_found', 404, '案件不存在或不在您的管辖范围内'),
  leadNotFound: () => new AppError('monitoring.lead_not_found', 404, '线索不存在或不在您的管辖范围内'),
  attachmentNotFound: () =>
    new AppError('monitoring.attachment_not_found', 404, '附件不存在或不在您的管辖范围内'),
  /** In the caller's region, but the step belongs to another role or level. */
  stepNotAllowed: (stepLabel: string, actorLabel: string) =>
    new AppError('monitoring.step_not_allowed', 403, `「${stepLabel}」环节由${actorLabel}办理，您无权操作`),
  actionNotAllowed: (stepLabel: string, actionLabel: string) =>
    new AppError('monitoring.action_not_allowed', 400, `「${stepLabel}」环节不能${actionLabel}`),
  caseClosed: () => new AppError('monitoring.case_closed', 409, '该案件已办结，不能再操作'),
  staleCase: () =>
    new AppError('monitoring.stale_case', 409, '该案件在您打开之后已被他人办理，请刷新后查看最新进度'),
  reasonRequired: () => new AppError('monitoring.reason_required', 400, '退回或不通过时必须填写理由'),
  invalidStep: (fields: Record<string, string>) =>
    new AppError(
      'monitoring.invalid_step',
      400,
      `本环节还有 ${Object.keys(fields).length} 项未满足：${Object.values(fields).join('；')}`,
      { fields },
    ),
  invalidReport: (fields: Record<string, string>) =>
    new AppError(
      'monitoring.invalid_report',
      400,
      `有 ${Object.keys(fields).length} 项填写有误，请修改后再提交`,
      {
        fields,
      },
    ),
  dismissReasonRequired: () =>
    new AppError('monitoring.dismiss_reason_required', 400, '关闭线索必须填写理由'),
  householdNotRecorded: () =>
    new AppError('monitoring.household_not_recorded', 409, '该案件的农户尚未在入户核实中登记'),
  householdNotMatched: () =>
    new AppError(
      'monitoring.household_not_matched',
      400,
      '该线索的证件号码在本村台账中没有找到对应农户，请先在台账中登记该户后再启动识别',
    ),
  openCaseExists: () => new AppError('monitoring.open_case_exists', 409, '该户已有一个正在办理的同类案件'),
  leadNotOpen: () => new AppError('monitoring.lead_not_open', 409, '该线索已启动识别或已关闭'),
  notMonitored: () =>
    new AppError('monitoring.not_monitored', 400, '该户不是未消除风险的监测户，不能启动风险消除'),
  noLabourHold: () =>
    new AppError(
      'monitoring.no_labour_hold',
      400,
      '该户家庭成员均无劳动能力（无劳动力或丧失劳动力），风险消除暂不标注，应继续落实兜底保障措施',
    ),
  /** Self-report page: a token or challenge that is not ours, too old or used. */
  invalidLink: () =>
    new AppError('monitoring.invalid_link', 404, '二维码无效或已过期，请重新扫描村里张贴的二维码'),
  challengeFailed: () =>
    new AppError('monitoring.challenge_failed', 400, '页面已过期或提交过快，请刷新页面后重新填写'),
  notTownship: () => new AppError('monitoring.not_township', 400, '请选择一个乡镇，按乡镇打印各村的二维码'),
  fontMissing: (path: string) =>
    new AppError(
      'monitoring.font_missing',
      503,
      `服务器缺少中文字体（${path}），无法生成 PDF，请联系运维人员安装`,
    ),
  invalidAttachment: (reason: string) => new AppError('monitoring.invalid_attachment', 400, reason),
};
