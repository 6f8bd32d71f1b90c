import { HistoryOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Flex } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMeOrThrow } from '../auth/service.ts';
import { ImportProgress } from './components/import-progress.tsx';
import { ImportResult } from './components/import-result.tsx';
import { UploadForm, type UploadFormValues } from './components/upload-form.tsx';
import { useImportBatchQuery, useStartImport } from './service.ts';

/** 数据导入: upload a national sync file, follow its progress, read the result. */
export function ImportPage() {
  const me = useMeOrThrow();
  const [uploadPercent, setUploadPercent] = useState<number | null>(null);
  const [batchId, setBatchId] = useState<string | null>(null);
  const start = useStartImport();
  const batch = useImportBatchQuery(batchId);
  const running = start.isPending || batch.data?.status === 'running' || (batchId !== null && !batch.data);

  const onStart = (values: UploadFormValues) => {
    setBatchId(null);
    setUploadPercent(0);
    start.mutate(
      { ...values, csrfToken: me.csrfToken, onUploadProgress: setUploadPercent },
      {
        onSuccess: ({ batchId: id }) => setBatchId(id),
        // The error itself is shown by the query client, the one place errors become messages.
        onError: () => setUploadPercent(null),
      },
    );
  };

  return (
    <PageContainer
      extra={
        <Link to="/exchange/batches">
          <Button icon={<HistoryOutlined />}>导入记录</Button>
        </Link>
      }
    >
      <Flex vertical gap={16}>
        <Card size="small" title="上传国家系统数据">
          <UploadForm busy={running} onStart={onStart} />
        </Card>
        {(start.isPending ||
          (batchId && batch.data?.status !== 'succeeded' && batch.data?.status !== 'failed')) && (
          <ImportProgress uploadPercent={uploadPercent} batch={batch.data} />
        )}
        {batch.data && batch.data.status !== 'running' && <ImportResult batch={batch.data} />}
      </Flex>
    </PageContainer>
  );
}
