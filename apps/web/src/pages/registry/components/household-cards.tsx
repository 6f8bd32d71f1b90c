import { RightOutlined } from '@ant-design/icons';
import { Card, Flex, List, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useMeOrThrow } from '../../auth/service.ts';
import { formatMonth, pageableRows, regionBelow, totalText } from '../labels.ts';
import type { HouseholdListItem, ListPage } from '../service.ts';
import type { ListPaging } from './household-table.tsx';
import { HouseholdTags } from './household-tags.tsx';

/** The household list on phones: one card per household, a tap opens it. */
export function HouseholdCards({
  data,
  loading,
  paging,
}: {
  data: ListPage<HouseholdListItem> | undefined;
  loading: boolean;
  paging: ListPaging;
}) {
  const navigate = useNavigate();
  const { user } = useMeOrThrow();
  return (
    <List<HouseholdListItem>
      loading={loading}
      dataSource={data?.items ?? []}
      header={
        data ? (
          <Typography.Text type="secondary">{totalText(data.total, data.totalExact, '户')}</Typography.Text>
        ) : null
      }
      pagination={{
        current: paging.page,
        pageSize: paging.pageSize,
        total: Math.min(data?.total ?? 0, pageableRows),
        size: 'small',
        simple: true,
        align: 'center',
        onChange: paging.onChange,
      }}
      renderItem={(household) => (
        <Card
          size="small"
          hoverable
          style={{ marginBottom: 8 }}
          onClick={() => navigate(`/registry/households/${household.id}`)}
          role="link"
          aria-label={`农户 ${household.headName ?? household.householdNo}`}
        >
          <Flex justify="space-between" align="center" gap={8}>
            <div style={{ minWidth: 0 }}>
              <Typography.Text strong style={{ fontSize: 16 }}>
                {household.headName ?? '（无户主）'}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                {household.memberCount} 人
              </Typography.Text>
              <div className="code-text" style={{ color: 'rgba(0,0,0,0.55)', marginTop: 2 }}>
                {household.headIdNumber ?? ''}
              </div>
              <div style={{ color: 'rgba(0,0,0,0.55)', marginTop: 2 }}>
                {regionBelow(household.regionFullName, user)} ·{' '}
                <span className="code-text">{household.householdNo}</span>
              </div>
            </div>
            <RightOutlined style={{ color: 'rgba(0,0,0,0.35)' }} />
          </Flex>
          <div style={{ marginTop: 8 }}>
            <HouseholdTags
              householdType={household.householdType}
              monitoringCategory={household.monitoringCategory}
              riskEliminated={household.riskEliminated}
              status={household.status}
              statusLabel={household.statusLabel}
            />
            {household.identifiedAt && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                识别 {formatMonth(household.identifiedAt)}
              </Typography.Text>
            )}
          </div>
          {household.risks.length > 0 && (
            <div style={{ marginTop: 4 }}>
              {household.risks.map((risk) => (
                <Tag key={risk.code} bordered={false}>
                  {risk.label}
                </Tag>
              ))}
            </div>
          )}
        </Card>
      )}
    />
  );
}
