import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Flex, Select, Space, Table, type TableProps, Tabs, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { buildAccess } from '../../access.ts';
import { buildQuery } from '../../api/client.ts';
import { RegionPicker } from '../../components/region-picker/index.tsx';
import { useMeOrThrow } from '../auth/service.ts';
import { RegionBreadcrumb } from './components/region-breadcrumb.tsx';
import { RegionCountsTable } from './components/region-counts-table.tsx';
import { categoryLabel, scopeLabels, severityLabels } from './labels.ts';
import {
  qualityService,
  type RegionCounts,
  type RuleFindingCounts,
  useByRegionQuery,
  useByRuleQuery,
} from './service.ts';

/**
 * 问题清单: findings counted by rule (a click lists them) and by region (a click goes one level down,
 * down to the village, whose click lists its findings). Everything is kept in the address.
 */
export function FindingsOverviewPage() {
  const me = useMeOrThrow();
  const canExport = buildAccess(me.user).canExportQuality;
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const view = searchParams.get('view') === 'region' ? 'region' : 'rule';
  const regionCode = searchParams.get('regionCode') || me.user.regionCode;
  const ruleCode = searchParams.get('ruleCode') || undefined;
  const byRule = useByRuleQuery(view === 'rule' ? regionCode : undefined);
  const byRegion = useByRegionQuery(regionCode, ruleCode);

  const update = useCallback(
    (changes: Record<string, string | undefined>) => {
      const next = new URLSearchParams(searchParams);
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      setSearchParams(next);
    },
    [searchParams, setSearchParams],
  );
  const openList = (filters: { ruleCode?: string; regionCode?: string }) =>
    navigate(`/quality/findings/list${buildQuery({ status: 'open', ...filters })}`);
  const openRegion = (region: RegionCounts) => {
    if (region.level === 'village' || region.code === regionCode)
      openList({ regionCode: region.code, ruleCode });
    else update({ regionCode: region.code });
  };

  const ruleColumns: TableProps<RuleFindingCounts>['columns'] = [
    {
      title: '编号',
      dataIndex: 'code',
      width: 100,
      render: (code: string) => <Typography.Link className="code-text">{code}</Typography.Link>,
    },
    { title: '规则', dataIndex: 'name', ellipsis: true },
    { title: '分类', dataIndex: 'category', width: 130, render: (value: string) => categoryLabel(value) },
    { title: '对象', dataIndex: 'scope', width: 64, render: (value: string) => scopeLabels[value] ?? value },
    {
      title: '程度',
      dataIndex: 'severity',
      width: 72,
      render: (value: string) => (
        <Tag color={severityLabels[value]?.color}>{severityLabels[value]?.label ?? value}</Tag>
      ),
    },
    { title: '待整改', dataIndex: 'open', width: 90, align: 'right', sorter: (a, b) => a.open - b.open },
    { title: '涉及户数', dataIndex: 'openHouseholds', width: 90, align: 'right' },
    { title: '已整改', dataIndex: 'fixed', width: 90, align: 'right' },
    { title: '已豁免', dataIndex: 'exempted', width: 90, align: 'right' },
  ];
  const ruleItems = byRule.data?.items ?? [];
  const withFindings = ruleItems.filter((rule) => rule.open + rule.fixed + rule.exempted > 0);
  const showAll = searchParams.get('all') === '1';

  return (
    <PageContainer
      extra={
        canExport && (
          <Button
            icon={<DownloadOutlined />}
            href={qualityService.findingsExportUrl({
              regionCode,
              ruleCode: view === 'region' ? ruleCode : undefined,
            })}
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
              <span>区划</span>
              <RegionPicker
                style={{ width: 240 }}
                allowClear={false}
                value={regionCode}
                onChange={(code) => code && update({ regionCode: code })}
              />
            </Space>
            {view === 'region' && (
              <Space size={4}>
                <span>规则</span>
                <Select
                  aria-label="规则"
                  style={{ width: 300 }}
                  showSearch
                  optionFilterProp="label"
                  value={ruleCode ?? ''}
                  onChange={(value) => update({ ruleCode: value || undefined })}
                  options={[
                    { value: '', label: '全部规则' },
                    ...(byRule.data?.items ?? []).map((rule) => ({
                      value: rule.code,
                      label: `${rule.code} ${rule.name}`,
                    })),
                  ]}
                />
              </Space>
            )}
          </Flex>
        </Card>
        <Card size="small" styles={{ body: { paddingTop: 0 } }}>
          <Tabs
            activeKey={view}
            onChange={(key) => update({ view: key === 'region' ? 'region' : undefined })}
            items={[
              {
                key: 'rule',
                label: '按规则',
                children: (
                  <Flex vertical gap={8}>
                    <Flex justify="space-between" align="center" wrap gap={8}>
                      <Typography.Text type="secondary">
                        {withFindings.length} 条规则查出问题（共启用 {ruleItems.length}{' '}
                        条）；点击规则查看问题明细
                      </Typography.Text>
                      <Button
                        size="small"
                        type="link"
                        onClick={() => update({ all: showAll ? undefined : '1' })}
                      >
                        {showAll ? '只看有问题的规则' : '显示全部启用规则'}
                      </Button>
                    </Flex>
                    <Table<RuleFindingCounts>
                      rowKey="code"
                      size="middle"
                      columns={ruleColumns}
                      dataSource={showAll ? ruleItems : withFindings}
                      loading={byRule.isFetching}
                      scroll={{ x: 900 }}
                      pagination={{ defaultPageSize: 50, hideOnSinglePage: true }}
                      onRow={(rule) => ({
                        onClick: () => openList({ ruleCode: rule.code, regionCode }),
                        style: { cursor: 'pointer' },
                      })}
                    />
                  </Flex>
                ),
              },
              {
                key: 'region',
                label: '按区划',
                children: (
                  <Flex vertical gap={8}>
                    <RegionBreadcrumb code={regionCode} onSelect={(code) => update({ regionCode: code })} />
                    <Typography.Text type="secondary">
                      问题户占比 = 有待整改问题的户数 / 户数；整改进度 = 已整改问题数 / 发现问题数。
                      {byRegion.data?.region.level === 'village'
                        ? '点击查看本村问题明细'
                        : '点击区划逐级查看'}
                    </Typography.Text>
                    <RegionCountsTable
                      total={byRegion.data?.total}
                      items={byRegion.data?.items ?? []}
                      loading={byRegion.isFetching}
                      onOpen={openRegion}
                    />
                  </Flex>
                ),
              },
            ]}
          />
        </Card>
      </Flex>
    </PageContainer>
  );
}
