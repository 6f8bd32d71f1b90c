import { App, Popconfirm, Space, Typography } from 'antd';
import { isLocked, type UserSummary, userService, useUserMutation } from '../service.ts';

/** 解锁 / 重置密码 / 停用 / 启用 for one user. */
export function UserRowActions({
  user,
  onResetPassword,
}: {
  user: UserSummary;
  onResetPassword: () => void;
}) {
  const { message } = App.useApp();
  const unlock = useUserMutation(userService.unlock);
  const disable = useUserMutation(userService.disable);
  const enable = useUserMutation(userService.enable);

  return (
    <Space size="small" wrap>
      {isLocked(user) && (
        <Popconfirm
          title={`解锁 ${user.displayName}？`}
          onConfirm={() => unlock.mutateAsync(user.id).then(() => message.success('已解锁'))}
        >
          <Typography.Link>解锁</Typography.Link>
        </Popconfirm>
      )}
      <Typography.Link onClick={onResetPassword}>重置密码</Typography.Link>
      {user.disabled ? (
        <Popconfirm
          title={`启用 ${user.displayName}？`}
          onConfirm={() => enable.mutateAsync(user.id).then(() => message.success('已启用'))}
        >
          <Typography.Link>启用</Typography.Link>
        </Popconfirm>
      ) : (
        <Popconfirm
          title={`停用 ${user.displayName}？`}
          description="停用后该账号将无法登录。"
          okButtonProps={{ danger: true }}
          onConfirm={() => disable.mutateAsync(user.id).then(() => message.success('已停用'))}
        >
          <Typography.Link type="danger">停用</Typography.Link>
        </Popconfirm>
      )}
    </Space>
  );
}
