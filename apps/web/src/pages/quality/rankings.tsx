import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Flex, Radio, Space, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { buildAccess } from '../../access.ts';
import { buildQuery } from '../../api/client.ts';
import { RegionPicker } from '../../components/region-picker/index.tsx';
import { useMeOrThrow } from '../auth/service.ts';
import { RegionBreadcrumb } from './components/region-breadcrumb.tsx';
import { RegionCountsTable } from './components/region-counts-table.tsx';
import { formatRate } from './labels.ts';
import { qualityService, type RankingOrder, type RegionCounts, useRankingsQuery } from './service.ts';

/**
 * 质量排名: the child regions ranked by quality rate (fewest flagged households first) or by
 * rectification progress (most fixed first); a click goes one level down.
 */
export function RankingsPage() {
  const me = useMeOrThrow();
  const canExport = buildAccess(me.user).canExportQuality;
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const regionCode = searchParams.get('regionCode') || me.user.regionCode;
  const orderBy: RankingOrder =
    searchParams.get('orderBy') === 'rectificationRate' ? 'rectificationRate' : 'qualityRate';
  const rankings = useRankingsQuery(regionCode, orderBy);
  const data = rankings.data;

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSearchParams(next);
  };
  const open = (region: RegionCounts) => {
    if (region.level === 'village' || region.code === regionCode) {
      navigate(`/quality/findings/list${buildQuery({ regionCode: region.code, status: 'open' })}`);
    } else update({ regionCode: region.code });
  };

  return (
    <PageContainer
      extra={
        canExport && (
          <Button icon={<DownloadOutlined />} href={qualityService.rankingsExportUrl(regionCode)} download>
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
            <Space size={4}>
              <span>排名依据</span>
              <Radio.Group
                optionType="button"
                value={orderBy}
                onChange={(event) =>
                  update({
                    orderBy: event.target.value === 'rectificationRate' ? 'rectificationRate' : undefined,
                  })
                }
                options={[
                  { value: 'qualityRate', label: '问题户占比' },
                  { value: 'rectificationRate', label: '整改进度' },
                ]}
              />
            </Space>
          </Flex>
        </Card>
        <Card size="small">
          <Flex vertical gap={8}>
            <RegionBreadcrumb code={regionCode} onSelect={(code) => update({ regionCode: code })} />
            {data && (
              <Typography.Text type="secondary">
                {data.region.name}：问题户占比 {formatRate(data.total.qualityRate)}，整改进度{' '}
                {formatRate(data.total.rectificationRate)}。
                {orderBy === 'qualityRate' ? '问题户占比越低名次越前' : '整改进度越高名次越前'}。
              </Typography.Text>
            )}
            <RegionCountsTable
              total={data?.total}
              items={data?.items ?? []}
              loading={rankings.isFetching}
              showRank
              onOpen={open}
            />
          </Flex>
        </Card>
      </Flex>
    </PageContainer>
  );
}
