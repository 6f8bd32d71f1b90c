import { DownloadOutlined, RightOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Flex, Grid, List, Select, Space, Table, type TableProps, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { buildAccess } from '../../access.ts';
import { RegionPicker } from '../../components/region-picker/index.tsx';
import { useMeOrThrow } from '../auth/service.ts';
import { regionBelow } from '../registry/labels.ts';
import { FindingStatusTag } from './components/finding-status-tag.tsx';
import { findingStatusLabels, formatDay } from './labels.ts';
import {
  type Finding,
  type FindingStatus,
  qualityService,
  useByRuleQuery,
  useFindingsQuery,
} from './service.ts';

const pageSize = 20;

/** 问题明细: the findings of a rule and/or region, by status; a click opens the household. */
export function FindingListPage() {
  const me = useMeOrThrow();
  const canExport = buildAccess(me.user).canExportQuality;
  const wide = Grid.useBreakpoint().md ?? true;
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const ruleCode = searchParams.get('ruleCode') || undefined;
  const regionCode = searchParams.get('regionCode') || undefined;
  const status = (searchParams.get('status') || undefined) as FindingStatus | undefined;
  const page = Number(searchParams.get('page') ?? 1) || 1;
  const findings = useFindingsQuery({ ruleCode, regionCode, status, page, pageSize });
  const rules = useByRuleQuery(undefined);
  const rule = rules.data?.items.find((item) => item.code === ruleCode);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setSearchParams(next);
  };
  const openHousehold = (finding: Finding) =>
    navigate(`/registry/households/${finding.householdId}?tab=quality`);

  const columns: TableProps<Finding>['columns'] = [
    {
      title: '规则',
      dataIndex: 'ruleCode',
      width: 90,
      render: (code: string) => <span className="code-text">{code}</span>,
    },
    { title: '问题', dataIndex: 'ruleName', ellipsis: true },
    {
      title: '所在村',
      dataIndex: 'regionFullName',
      width: 170,
      render: (value: string | null) => (value ? regionBelow(value, me.user) : '—'),
    },
    {
      title: '户编号',
      dataIndex: 'householdNo',
      width: 160,
      render: (value: string) => <Typography.Link className="code-text">{value}</Typography.Link>,
    },
    {
      title: '姓名 / 户主',
      key: 'name',
      width: 100,
      render: (_value, finding) => finding.personName ?? finding.headName ?? '—',
    },
    {
      title: '证件号码',
      dataIndex: 'idNumber',
      width: 170,
      render: (value: string | null) => <span className="code-text">{value ?? '—'}</span>,
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 130,
      render: (_value, finding) => <FindingStatusTag finding={finding} />,
    },
    { title: '首次发现', dataIndex: 'firstSeenAt', width: 100, render: (value: string) => formatDay(value) },
    {
      title: '整改时间',
      dataIndex: 'fixedAt',
      width: 100,
      render: (value: string | null) => formatDay(value),
    },
  ];

  const total = findings.data?.total ?? 0;
  const pagination = {
    current: page,
    pageSize,
    total,
    onChange: (next: number) => update({ page: String(next) }),
  };

  return (
    <PageContainer
      title={rule ? `${rule.code} ${rule.name}` : '问题明细'}
      onBack={() => navigate(-1)}
      extra={
        canExport && (
          <Button
            icon={<DownloadOutlined />}
            href={qualityService.findingsExportUrl({ ruleCode, regionCode, status })}
            download
          >
            导出 Excel
          </Button>
        )
      }
    >
      <Flex vertical gap={12}>
        <Card size="small">
          <Flex wrap gap={12} align="center">
            <Space size={4}>
              <span>规则</span>
              <Select
                aria-label="规则"
                style={{ width: wide ? 300 : 240 }}
                showSearch
                optionFilterProp="label"
                value={ruleCode ?? ''}
                onChange={(value) => update({ ruleCode: value || undefined })}
                options={[
                  { value: '', label: '全部规则' },
                  ...(rules.data?.items ?? []).map((item) => ({
                    value: item.code,
                    label: `${item.code} ${item.name}`,
                  })),
                ]}
              />
            </Space>
            <Space size={4}>
              <span>区划</span>
              <RegionPicker
                style={{ width: 240 }}
                value={regionCode}
                onChange={(code) => update({ regionCode: code })}
              />
            </Space>
            <Space size={4}>
              <span>状态</span>
              <Select
                aria-label="状态"
                style={{ width: 110 }}
                value={status ?? ''}
                onChange={(value) => update({ status: value || undefined })}
                options={[
                  { value: '', label: '全部' },
                  ...Object.entries(findingStatusLabels).map(([value, item]) => ({
                    value,
                    label: item.label,
                  })),
                ]}
              />
            </Space>
            <Typography.Text type="secondary">共 {total.toLocaleString('zh-CN')} 条</Typography.Text>
          </Flex>
        </Card>
        {wide ? (
          <Card size="small">
            <Table<Finding>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={findings.data?.items ?? []}
              loading={findings.isFetching}
              scroll={{ x: 1150 }}
              pagination={{ ...pagination, showSizeChanger: false }}
              onRow={(finding) => ({ onClick: () => openHousehold(finding), style: { cursor: 'pointer' } })}
            />
          </Card>
        ) : (
          <List<Finding>
            loading={findings.isFetching}
            dataSource={findings.data?.items ?? []}
            pagination={{ ...pagination, size: 'small', simple: true, align: 'center' }}
            renderItem={(finding) => (
              <Card size="small" hoverable style={{ marginBottom: 8 }} onClick={() => openHousehold(finding)}>
                <Flex justify="space-between" align="center" gap={8}>
                  <div style={{ minWidth: 0 }}>
                    <Typography.Text strong>{finding.personName ?? finding.headName ?? '—'}</Typography.Text>
                    <span style={{ marginLeft: 8 }}>
                      <FindingStatusTag finding={finding} />
                    </span>
                    <div>
                      <span className="code-text">{finding.ruleCode}</span> {finding.ruleName}
                    </div>
                    <div style={{ color: 'rgba(0,0,0,0.55)' }}>
                      {finding.regionFullName ? regionBelow(finding.regionFullName, me.user) : ''} ·{' '}
                      <span className="code-text">{finding.householdNo}</span>
                    </div>
                  </div>
                  <RightOutlined style={{ color: 'rgba(0,0,0,0.35)' }} />
                </Flex>
              </Card>
            )}
          />
        )}
      </Flex>
    </PageContainer>
  );
}
