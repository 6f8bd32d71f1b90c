import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { dateTimeFormat } from '../../../locales/zh-CN/index.ts';
import { isLocked, type UserSummary } from '../service.ts';

export function UserStatusTags({ user }: { user: UserSummary }) {
  const locked = isLocked(user);
  const normal = !user.disabled && !locked && !user.mustChangePassword;
  return (
    <Space size={[0, 4]} wrap>
      {user.disabled && <Tag color="default">已停用</Tag>}
      {locked && user.lockedUntil && (
        <Tooltip title={`锁定至 ${dayjs(user.lockedUntil).format(dateTimeFormat)}`}>
          <Tag color="error">已锁定</Tag>
        </Tooltip>
      )}
      {user.mustChangePassword && <Tag color="warning">需改密</Tag>}
      {normal && <Tag color="success">正常</Tag>}
      {user.totpEnabled && (
        <Tooltip title="已启用双因素认证">
          <SafetyCertificateOutlined aria-label="已启用双因素认证" style={{ color: '#52c41a' }} />
        </Tooltip>
      )}
    </Space>
  );
}
