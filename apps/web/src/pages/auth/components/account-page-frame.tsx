import { PageContainer } from '@ant-design/pro-components';
import { Card } from 'antd';
import type { ReactNode } from 'react';

/** Account pages sit in the main layout once signed in, and alone while a step is forced. */
export function AccountPageFrame({
  title,
  forced,
  children,
}: {
  title: string;
  forced: boolean;
  children: ReactNode;
}) {
  const card = (
    <Card title={forced ? title : undefined} style={{ maxWidth: 640 }}>
      {children}
    </Card>
  );
  return forced ? card : <PageContainer title={title}>{card}</PageContainer>;
}
