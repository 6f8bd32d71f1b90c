import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Flex, Select, Space, Typography } from 'antd';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { buildAccess } from '../../access.ts';
import { describeError } from '../../api/client.ts';
import { RegionPicker } from '../../components/region-picker/index.tsx';
import { useMeOrThrow } from '../auth/service.ts';
import { PathBreadcrumb } from './components/path-breadcrumb.tsx';
import { ReportTable } from './components/report-table.tsx';
import { analyticsService, type ReportSearch, useReportCatalogue, useReportQuery } from './service.ts';

const numberKeys = new Set(['year', 'eliminationYear']);

/** Beijing time to the minute. */
function formatMinute(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * 标准报表: pick a report and filters; rows are the chosen region's children, the first row its total.
 * Clicking a row goes one level down, the breadcrumb goes back up; everything is kept in the address.
 */
export function AnalyticsReportsPage() {
  const me = useMeOrThrow();
  const canExport = buildAccess(me.user).canExportAnalytics;
  const [searchParams, setSearchParams] = useSearchParams();
  const search = useMemo<ReportSearch>(() => {
    const values: Record<string, string | number> = {};
    for (const [key, value] of searchParams)
      if (value !== '') values[key] = numberKeys.has(key) ? Number(value) : value;
    return { report: 'population', regionCode: me.user.regionCode, ...values } as ReportSearch;
  }, [searchParams, me.user.regionCode]);
  const catalogue = useReportCatalogue();
  const report = useReportQuery(search);
  const view = report.data;

  const update = useCallback(
    (changes: Partial<ReportSearch>) => {
      const next = new URLSearchParams();
      for (const [key, value] of Object.entries({ ...search, ...changes })) {
        if (value !== undefined && value !== null && value !== '') next.set(key, String(value));
      }
      setSearchParams(next);
    },
    [search, setSearchParams],
  );
  const drill = useCallback((regionCode: string) => update({ regionCode }), [update]);

  const options = (items: Array<{ value: string; label: string }> | undefined) => [
    { value: '', label: '全部' },
    ...(items ?? []),
  ];

  return (
    <PageContainer
      extra={
        canExport && (
          <Button
            key="export"
            icon={<DownloadOutlined />}
            href={analyticsService.exportUrl(search)}
            download
            disabled={!view}
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
              <span>报表</span>
              <Select
                aria-label="报表"
                style={{ width: 220 }}
                value={search.report}
                options={(catalogue.data?.items ?? []).map((item) => ({
                  value: item.name,
                  label: item.title,
                }))}
                onChange={(value) => update({ report: value, eliminationYear: undefined })}
              />
            </Space>
            <Space size={4}>
              <span>区划</span>
              <RegionPicker
                style={{ width: 220 }}
                allowClear={false}
                value={search.regionCode}
                onChange={(code) => code && update({ regionCode: code })}
              />
            </Space>
            <Space size={4}>
              <span>统计年度</span>
              <Select
                aria-label="统计年度"
                style={{ width: 96 }}
                value={view?.filters.year ?? search.year}
                options={(view?.years ?? []).map((year) => ({ value: year, label: String(year) }))}
                onChange={(year) => update({ year })}
              />
            </Space>
            <Space size={4}>
              <span>户类型</span>
              <Select
                aria-label="户类型"
                style={{ width: 170 }}
                value={search.householdType ?? ''}
                options={options(catalogue.data?.householdTypes)}
                onChange={(value) => update({ householdType: value || undefined })}
              />
            </Space>
            <Space size={4}>
              <span>监测对象</span>
              <Select
                aria-label="监测对象"
                style={{ width: 120 }}
                value={search.monitored ?? ''}
                options={options(catalogue.data?.monitoredStates)}
                onChange={(value) => update({ monitored: value || undefined })}
              />
            </Space>
            {view?.report.eliminationYearFilter && (
              <Space size={4}>
                <span>消除年度</span>
                <Select
                  aria-label="消除年度"
                  style={{ width: 96 }}
                  value={search.eliminationYear ?? ''}
                  options={[
                    { value: '', label: '全部' },
                    ...view.eliminationYears.map((year) => ({ value: year, label: String(year) })),
                  ]}
                  onChange={(value) => update({ eliminationYear: value === '' ? undefined : Number(value) })}
                />
              </Space>
            )}
          </Flex>
        </Card>
        {report.error && <Alert type="error" showIcon message={describeError(report.error)} />}
        <Card size="small">
          {view && (
            <Flex vertical gap={4} style={{ marginBottom: 12 }}>
              <PathBreadcrumb path={view.path} onSelect={drill} />
              <Typography.Title level={5} style={{ margin: 0 }}>
                {view.region.fullName}
                {view.report.title}
              </Typography.Title>
              <Typography.Text type="secondary">
                {view.report.description}。{view.filterText}；统计基准日 {view.referenceDate}；数据日期{' '}
                {formatMinute(view.dataDate)}
              </Typography.Text>
            </Flex>
          )}
          <ReportTable view={view} loading={report.isFetching} onDrill={drill} />
        </Card>
      </Flex>
    </PageContainer>
  );
}
