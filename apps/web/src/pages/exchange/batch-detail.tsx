import { PageContainer } from '@ant-design/pro-components';
import { Flex, Result } from 'antd';
import { useParams } from 'react-router';
import { PageSpinner } from '../../components/page-spinner/index.tsx';
import { ImportProgress } from './components/import-progress.tsx';
import { ImportResult } from './components/import-result.tsx';
import { useImportBatchQuery } from './service.ts';

/** One import batch: its live progress while it runs, its result afterwards. */
export function ImportBatchPage() {
  const { id = '' } = useParams();
  const batch = useImportBatchQuery(id);
  if (batch.isPending) return <PageSpinner />;
  if (!batch.data) {
    return (
      <PageContainer>
        <Result status="404" title="导入批次不存在或无权访问" />
      </PageContainer>
    );
  }
  return (
    <PageContainer title={`导入批次 ${batch.data.id}`}>
      <Flex vertical gap={16}>
        {batch.data.status === 'running' && <ImportProgress uploadPercent={100} batch={batch.data} />}
        <ImportResult batch={batch.data} />
      </Flex>
    </PageContainer>
  );
}
