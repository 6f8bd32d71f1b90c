import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Flex } from 'antd';
import { useState } from 'react';
import { buildAccess } from '../../access.ts';
import { useMeOrThrow } from '../auth/service.ts';
import { AuditFilters } from './components/audit-filters.tsx';
import { AuditTable } from './components/audit-table.tsx';
import { VerifyResult } from './components/verify-result.tsx';
import { type AuditSearch, auditService, useAuditQuery, useAuditVerification } from './service.ts';

/** 审计日志: search the log, export what was found, and check that the chain is intact. */
export function AuditPage() {
  const me = useMeOrThrow();
  const canExport = buildAccess(me.user).canExportAudit;
  const [search, setSearch] = useState<AuditSearch>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const entries = useAuditQuery(search, paging.page, paging.pageSize);
  const verification = useAuditVerification();

  return (
    <PageContainer
      extra={[
        <Button
          key="verify"
          icon={<SafetyCertificateOutlined />}
          loading={verification.isPending}
          onClick={() => verification.mutate()}
        >
          校验完整性
        </Button>,
        canExport && (
          <Button key="export" icon={<DownloadOutlined />} href={auditService.exportUrl(search)} download>
            导出 Excel
          </Button>
        ),
      ]}
    >
      <Flex vertical gap={16}>
        {verification.data && (
          <VerifyResult result={verification.data} onClose={() => verification.reset()} />
        )}
        <Card size="small">
          <AuditFilters
            onSearch={(next) => {
              setSearch(next);
              setPaging((previous) => ({ ...previous, page: 1 }));
            }}
          />
        </Card>
        <Card size="small">
          <AuditTable
            entries={entries.data?.items ?? []}
            total={entries.data?.total ?? 0}
            page={paging.page}
            pageSize={paging.pageSize}
            loading={entries.isFetching}
            onPageChange={(page, pageSize) => setPaging({ page, pageSize })}
          />
        </Card>
      </Flex>
    </PageContainer>
  );
}
