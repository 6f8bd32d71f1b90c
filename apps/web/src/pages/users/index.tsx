import { PlusOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Flex } from 'antd';
import { useState } from 'react';
import { buildAccess } from '../../access.ts';
import { useMeOrThrow } from '../auth/service.ts';
import { CreateUserModal } from './components/create-user-modal.tsx';
import { ResetPasswordModal } from './components/reset-password-modal.tsx';
import { UserFilters, type UserFilterValues } from './components/user-filters.tsx';
import { UserTable } from './components/user-table.tsx';
import { type UserSummary, useUsersQuery } from './service.ts';

/** 用户管理: the accounts within the user's scope, paged by the server. */
export function UsersPage() {
  const me = useMeOrThrow();
  const canWrite = buildAccess(me.user).canWriteUsers;
  const [filters, setFilters] = useState<UserFilterValues>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<UserSummary | null>(null);
  const users = useUsersQuery({ ...filters, ...paging });

  return (
    <PageContainer
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建用户
          </Button>
        )
      }
    >
      <Flex vertical gap={16}>
        <Card size="small">
          <UserFilters
            onSearch={(values) => {
              setFilters(values);
              setPaging((previous) => ({ ...previous, page: 1 }));
            }}
          />
        </Card>
        <Card size="small">
          <UserTable
            users={users.data?.items ?? []}
            total={users.data?.total ?? 0}
            page={paging.page}
            pageSize={paging.pageSize}
            loading={users.isFetching}
            canWrite={canWrite}
            onPageChange={(page, pageSize) => setPaging({ page, pageSize })}
            onResetPassword={setResetting}
          />
        </Card>
      </Flex>
      {canWrite && <CreateUserModal open={creating} onClose={() => setCreating(false)} />}
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </PageContainer>
  );
}
