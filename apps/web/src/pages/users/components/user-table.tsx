import { Grid, Table, type TableProps, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { dateTimeFormat } from '../../../locales/zh-CN/index.ts';
import type { UserSummary } from '../service.ts';
import { UserRowActions } from './user-row-actions.tsx';
import { UserStatusTags } from './user-status-tags.tsx';

interface UserTableProps {
  users: UserSummary[];
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  canWrite: boolean;
  onPageChange: (page: number, pageSize: number) => void;
  onResetPassword: (user: UserSummary) => void;
}

export function UserTable({
  users,
  total,
  page,
  pageSize,
  loading,
  canWrite,
  onPageChange,
  onResetPassword,
}: UserTableProps) {
  // On phones a pinned action column would hide the rest of the row.
  const pinActions = Grid.useBreakpoint().md ?? true;
  const columns: TableProps<UserSummary>['columns'] = [
    {
      title: '用户名',
      dataIndex: 'username',
      width: 120,
      render: (value: string) => <span className="code-text">{value}</span>,
    },
    { title: '姓名', dataIndex: 'displayName', width: 110 },
    { title: '所属区划', dataIndex: 'regionFullName', width: 200 },
    { title: '部门', dataIndex: 'department', width: 120, render: (value: string | null) => value ?? '—' },
    {
      title: '角色',
      dataIndex: 'roles',
      width: 160,
      render: (_value, user) =>
        user.roles.map((role) => (
          <Tag key={role.code} color="blue" style={{ marginBottom: 2 }}>
            {role.name}
          </Tag>
        )),
    },
    { title: '状态', key: 'status', width: 140, render: (_value, user) => <UserStatusTags user={user} /> },
    {
      title: '最近登录',
      dataIndex: 'lastLoginAt',
      width: 160,
      render: (value: string | null) =>
        value ? (
          dayjs(value).format(dateTimeFormat)
        ) : (
          <Typography.Text type="secondary">从未登录</Typography.Text>
        ),
    },
  ];
  if (canWrite) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 170,
      fixed: pinActions ? 'right' : undefined,
      render: (_value, user) => <UserRowActions user={user} onResetPassword={() => onResetPassword(user)} />,
    });
  }

  return (
    <Table<UserSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={users}
      loading={loading}
      scroll={{ x: 1100 }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        showTotal: (count) => `共 ${count} 个用户`,
        onChange: onPageChange,
      }}
    />
  );
}
