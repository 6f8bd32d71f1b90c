import { PageContainer } from '@ant-design/pro-components';
import { Flex, Segmented } from 'antd';
import { useState } from 'react';
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
  const [view, setView] = useState<keyof typeof views>('open');
  const cases = useCasesQuery(views[view]);
  return (
    <PageContainer title="监测案件">
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
