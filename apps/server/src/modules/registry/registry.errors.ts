import { AppError } from '../../plugins/errors.ts';

/** Beijing time to the minute, as cadres read it. */
function formatMinute(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export const registryErrors = {
  householdNotFound: () =>
    new AppError('registry.household_not_found', 404, '农户不存在或不在您的管辖范围内'),
  personNotFound: () => new AppError('registry.person_not_found', 404, '人员不存在或不在您的管辖范围内'),
  /** `fields`: field name → zh-CN message, shown beside each input of the edit form. */
  invalidFields: (fields: Record<string, string>) =>
    new AppError(
      'registry.invalid_fields',
      400,
      `有 ${Object.keys(fields).length} 项信息填写有误，请修改后再提交`,
      {
        fields,
      },
    ),
  staleHousehold: (updatedAt: Date) =>
    new AppError(
      'registry.stale_record',
      409,
      `该户信息在您打开之后已被修改（${formatMinute(updatedAt)}），为避免覆盖他人的修改，请刷新后重新编辑`,
      { updatedAt: updatedAt.toISOString() },
    ),
  stalePerson: (updatedAt: Date) =>
    new AppError(
      'registry.stale_record',
      409,
      `该成员信息在您打开之后已被修改（${formatMinute(updatedAt)}），为避免覆盖他人的修改，请刷新后重新编辑`,
      { updatedAt: updatedAt.toISOString() },
    ),
};
