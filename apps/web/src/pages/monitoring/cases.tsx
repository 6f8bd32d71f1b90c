import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Flex, Input, Segmented } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { buildAccess } from '../../access.ts';
import { useMeOrThrow } from '../auth/service.ts';
import { CaseList } from './components/case-list.tsx';
import { useCasesQuery } from './service.ts';

const views = {
  open: { open: true },
  overdue: { open: true, overdue: true },
  identification: { kind: 'identification' },
  elimination: { kind: 'elimination' },
} as const;

/** 案件: the review-chain cases of the user's region, earliest deadline first. */
export function CasesPage() {
  const { user } = useMeOrThrow();
  const access = buildAccess(user);
  const [view, setView] = useState<keyof typeof views>('open');
  const cases = useCasesQuery(views[view]);
  return (
    <PageContainer title="监测案件" extra={access.canExportMonitoring && <NationalExportButton />}>
      <Flex vertical gap={12}>
        <Segmented
          value={view}
          onChange={(value) => setView(value as keyof typeof views)}
          options={[
            { label: '办理中', value: 'open' },
            { label: '已超期', value: 'overdue' },
            { label: '识别', value: 'identification' },
            { label: '消除', value: 'elimination' },
          ]}
        />
        <CaseList items={cases.data?.items ?? []} loading={cases.isFetching} />
      </Flex>
    </PageContainer>
  );
}

/** 国家系统导出: the chosen month's newly approved and eliminated households, national column layout. */
function NationalExportButton() {
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  return (
    <Flex gap={8}>
      <Input
        type="month"
        value={month}
        onChange={(event) => setMonth(event.target.value)}
        aria-label="导出月份"
        style={{ width: 150 }}
      />
      <Button
        icon={<DownloadOutlined />}
        disabled={!month}
        href={`/api/monitoring/exports/national.xlsx?month=${month.replace('-', '')}`}
      >
        导出国家系统格式
      </Button>
    </Flex>
  );
}
