import { CloudUploadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Grid } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { buildAccess } from '../../access.ts';
import { useMeOrThrow } from '../auth/service.ts';
import { BatchCards } from './components/batch-cards.tsx';
import { BatchTable } from './components/batch-table.tsx';
import { useImportBatchesQuery } from './service.ts';

/** 导入记录: every import batch of the user's region, newest first. */
export function ImportBatchesPage() {
  const me = useMeOrThrow();
  const canRun = buildAccess(me.user).canRunImports;
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const batches = useImportBatchesQuery(paging.page, paging.pageSize);
  const wide = Grid.useBreakpoint().md ?? true;
  const list = {
    batches: batches.data?.items ?? [],
    total: batches.data?.total ?? 0,
    page: paging.page,
    pageSize: paging.pageSize,
    loading: batches.isFetching && !batches.data,
    onPageChange: (page: number, pageSize: number) => setPaging({ page, pageSize }),
  };
  return (
    <PageContainer
      extra={
        canRun && (
          <Link to="/exchange/import">
            <Button type="primary" icon={<CloudUploadOutlined />}>
              导入数据
            </Button>
          </Link>
        )
      }
    >
      <Card size="small">{wide ? <BatchTable {...list} /> : <BatchCards {...list} />}</Card>
    </PageContainer>
  );
}
