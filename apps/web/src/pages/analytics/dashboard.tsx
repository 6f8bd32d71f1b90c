import { FullscreenExitOutlined, FullscreenOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  Alert,
  Button,
  ConfigProvider,
  Empty,
  Flex,
  Segmented,
  Select,
  Space,
  Spin,
  Typography,
  theme,
} from 'antd';
import { type ReactNode, type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { describeError } from '../../api/client.ts';
import { RegionPicker } from '../../components/region-picker/index.tsx';
import { useMeOrThrow } from '../auth/service.ts';
import { Chart } from './components/chart.tsx';
import { PathBreadcrumb } from './components/path-breadcrumb.tsx';
import { type CountPair, type Dashboard, useDashboardQuery } from './service.ts';

const formatNumber = (value: number) => value.toLocaleString('zh-CN');
const percent = (share: number) => Math.round(share * 1000) / 10;

/** Beijing time to the minute. */
function formatMinute(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Whether `ref` is the fullscreen element, and how to enter and leave. */
function useFullscreen(ref: RefObject<HTMLElement | null>) {
  const [active, setActive] = useState(false);
  useEffect(() => {
    const onChange = () =>
      setActive(document.fullscreenElement !== null && document.fullscreenElement === ref.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, [ref]);
  const enter = useCallback(() => {
    ref.current?.requestFullscreen().catch(() => undefined);
  }, [ref]);
  const exit = useCallback(() => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
  }, []);
  return { active, enter, exit };
}

interface Indicator {
  key: string;
  label: string;
  /** Households (or a plain count) and, for population numbers, persons. */
  value: number;
  unit: string;
  persons?: number;
  note?: string;
}

function indicatorsOf(dashboard: Dashboard): Indicator[] {
  const { headline } = dashboard;
  const pair = (key: string, label: string, counts: CountPair): Indicator => ({
    key,
    label,
    value: counts.households,
    unit: '户',
    persons: counts.persons,
  });
  const list: Indicator[] = [
    pair('assisted', '帮扶对象', headline.assisted),
    pair('lifted', '脱贫户', headline.lifted),
    pair('monitored', '监测对象', headline.monitored),
    pair('notEliminated', '风险未消除', headline.notEliminated),
    pair('eliminated', '风险已消除', headline.eliminated),
    pair('identifiedThisYear', `${dashboard.year}年新识别`, headline.identifiedThisYear),
    pair('eliminatedThisYear', `${dashboard.year}年消除`, headline.eliminatedThisYear),
  ];
  if (headline.openFindings !== null) {
    list.push({ key: 'openFindings', label: '待整改质量问题', value: headline.openFindings, unit: '条' });
  }
  if (headline.openCases !== null) {
    list.push({
      key: 'openCases',
      label: '在办监测流程',
      value: headline.openCases,
      unit: '件',
      note: headline.overdueCases ? `超期 ${formatNumber(headline.overdueCases)} 件` : '无超期',
    });
  }
  return list;
}

function Panel({
  title,
  extra,
  className,
  children,
}: {
  title: string;
  extra?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section className={`dashboard-panel ${className ?? ''}`} aria-label={title}>
      <Flex justify="space-between" align="center" gap={8} className="dashboard-panel-head">
        <h3 className="dashboard-panel-title">{title}</h3>
        {extra}
      </Flex>
      <div className="dashboard-panel-body">{children}</div>
    </section>
  );
}

const palette = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#06b6d4', '#84cc16', '#ec4899'];

function trendOption(dashboard: Dashboard) {
  const line = (name: string, data: number[], color: string, dashed = false) => ({
    name,
    type: 'line',
    data,
    showSymbol: false,
    color,
    lineStyle: { width: 2, type: dashed ? 'dashed' : 'solid' },
    areaStyle: dashed ? undefined : { opacity: 0.12 },
  });
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, selected: { '新识别（人）': false, '风险消除（人）': false } },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: dashboard.monthly.map((entry) => entry.month) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      line(
        '新识别（户）',
        dashboard.monthly.map((entry) => entry.identified.households),
        '#3b82f6',
      ),
      line(
        '风险消除（户）',
        dashboard.monthly.map((entry) => entry.eliminated.households),
        '#10b981',
      ),
      line(
        '新识别（人）',
        dashboard.monthly.map((entry) => entry.identified.persons),
        '#60a5fa',
        true,
      ),
      line(
        '风险消除（人）',
        dashboard.monthly.map((entry) => entry.eliminated.persons),
        '#34d399',
        true,
      ),
    ],
  };
}

function categoryOption(dashboard: Dashboard) {
  return {
    color: ['#f59e0b', '#3b82f6', '#ef4444'],
    tooltip: { trigger: 'item', formatter: '{b}：{c} 户（{d}%）' },
    legend: {
      bottom: 0,
      formatter: (name: string) =>
        `${name} ${formatNumber(dashboard.categories.find((item) => item.label === name)?.households ?? 0)}户`,
    },
    series: [
      {
        type: 'pie',
        radius: ['38%', '68%'],
        center: ['50%', '45%'],
        label: { position: 'inside', formatter: '{d}%', color: '#fff', fontWeight: 600 },
        data: dashboard.categories.map((item) => ({ name: item.label, value: item.households })),
      },
    ],
  };
}

function childrenOption(dashboard: Dashboard) {
  const names = dashboard.children.map((child) => child.regionName);
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: names,
      axisLabel: { interval: 0, rotate: names.length > 6 ? 45 : 0, fontSize: 11, hideOverlap: true },
    },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', max: 100, splitLine: { show: false }, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      {
        name: '帮扶对象（户）',
        type: 'bar',
        data: dashboard.children.map((child) => child.assisted.households),
        cursor: 'pointer',
      },
      {
        name: '监测对象（户）',
        type: 'bar',
        data: dashboard.children.map((child) => child.monitoredHouseholds),
        cursor: 'pointer',
      },
      {
        name: '监测户占比（%）',
        type: 'line',
        yAxisIndex: 1,
        data: dashboard.children.map((child) => percent(child.monitoredShare)),
      },
    ],
  };
}

function structureOption(items: Array<{ label: string; value: number }>) {
  return {
    color: ['#06b6d4'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: '{b}：{c} 人' },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: items.map((item) => item.label) },
    series: [
      { type: 'bar', data: items.map((item) => item.value), label: { show: true, position: 'right' } },
    ],
  };
}

function qualityOption(ranking: NonNullable<Dashboard['qualityRanking']>) {
  return {
    color: ['#ef4444', '#10b981'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 40, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: ranking.map((item, index) => `${index + 1}. ${item.regionName}`),
    },
    series: [
      {
        name: '问题户占比（%）',
        type: 'bar',
        data: ranking.map((item) => percent(item.qualityRate)),
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
      { name: '整改进度（%）', type: 'bar', data: ranking.map((item) => percent(item.rectificationRate)) },
    ],
  };
}

/**
 * 综合展示: headline numbers, monthly trends, structures, child regions and quality ranking of one
 * region and year — the same cube as the standard reports. Clicking a child region's bar drills down;
 * the full-screen button turns the same content into a dark large-screen layout (1920×1080).
 */
export function AnalyticsDashboardPage() {
  const me = useMeOrThrow();
  const [searchParams, setSearchParams] = useSearchParams();
  const regionCode = searchParams.get('regionCode') || me.user.regionCode;
  const yearText = searchParams.get('year');
  const search = useMemo(
    () => ({ regionCode, year: yearText ? Number(yearText) : undefined }),
    [regionCode, yearText],
  );
  const query = useDashboardQuery(search);
  const dashboard = query.data;
  const containerRef = useRef<HTMLDivElement>(null);
  const screen = useFullscreen(containerRef);
  const [structureKey, setStructureKey] = useState('age');

  const update = useCallback(
    (changes: { regionCode?: string; year?: number }) => {
      const next = new URLSearchParams(searchParams);
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || value === '') next.delete(key);
        else next.set(key, String(value));
      }
      setSearchParams(next);
    },
    [searchParams, setSearchParams],
  );

  const structure =
    dashboard?.structures.find((item) => item.key === structureKey) ?? dashboard?.structures[0];
  const dark = screen.active;

  const content = (
    <div ref={containerRef} className={`dashboard${dark ? ' dashboard-screen' : ''}`} data-testid="dashboard">
      <header className="dashboard-toolbar">
        {dark && dashboard && (
          <h1 className="dashboard-screen-title">{dashboard.region.fullName}防返贫动态监测综合展示</h1>
        )}
        <Flex wrap gap={12} align="center" className="dashboard-filters">
          <Space size={4}>
            <span>区划</span>
            <RegionPicker
              style={{ width: 220 }}
              allowClear={false}
              value={regionCode}
              onChange={(code) => code && update({ regionCode: code })}
            />
          </Space>
          <Space size={4}>
            <span>统计年度</span>
            <Select
              aria-label="统计年度"
              style={{ width: 96 }}
              value={dashboard?.year ?? search.year}
              options={(dashboard?.years ?? []).map((year) => ({ value: year, label: String(year) }))}
              onChange={(year) => update({ year })}
            />
          </Space>
          {dashboard && (
            <PathBreadcrumb path={dashboard.path} onSelect={(regionCode) => update({ regionCode })} />
          )}
          <span className="dashboard-spacer" />
          {query.isFetching && <Spin size="small" />}
          {dashboard && (
            <Typography.Text type="secondary" className="dashboard-date">
              统计基准日 {dashboard.referenceDate} · 数据日期 {formatMinute(dashboard.dataDate)}
            </Typography.Text>
          )}
          {dark ? (
            <Button icon={<FullscreenExitOutlined />} onClick={screen.exit}>
              退出全屏
            </Button>
          ) : (
            <Button icon={<FullscreenOutlined />} onClick={screen.enter}>
              全屏展示
            </Button>
          )}
        </Flex>
      </header>
      {query.error && <Alert type="error" showIcon message={describeError(query.error)} />}
      {dashboard && (
        <>
          <section className="dashboard-indicators" aria-label="核心指标">
            {indicatorsOf(dashboard).map((indicator) => (
              <div key={indicator.key} className="dashboard-indicator" data-indicator={indicator.key}>
                <div className="dashboard-indicator-label">{indicator.label}</div>
                <div>
                  <span className="dashboard-indicator-value">{formatNumber(indicator.value)}</span>
                  <span className="dashboard-indicator-unit">{indicator.unit}</span>
                </div>
                <div className="dashboard-indicator-note">
                  {indicator.persons !== undefined ? `${formatNumber(indicator.persons)} 人` : indicator.note}
                </div>
              </div>
            ))}
          </section>
          <div className="dashboard-panels">
            <Panel title="逐月新识别与风险消除（2021年起）" className="dashboard-panel-wide">
              <Chart option={trendOption(dashboard)} dark={dark} aria-label="逐月趋势图" />
            </Panel>
            <Panel title="监测对象类别">
              {dashboard.headline.monitored.households > 0 ? (
                <Chart option={categoryOption(dashboard)} dark={dark} aria-label="监测对象类别图" />
              ) : (
                <Empty description="暂无监测对象" />
              )}
            </Panel>
            <Panel
              title={dashboard.children.length > 0 ? '下级区划对比（点击柱形查看下级）' : '下级区划对比'}
            >
              {dashboard.children.length > 0 ? (
                <Chart
                  option={childrenOption(dashboard)}
                  dark={dark}
                  aria-label="下级区划对比图"
                  onClick={(params) => {
                    const child = dashboard.children[params.dataIndex];
                    if (child) update({ regionCode: child.regionCode });
                  }}
                />
              ) : (
                <Empty description="本级没有下级区划" />
              )}
            </Panel>
            <Panel
              title="帮扶对象人口结构"
              extra={
                <Segmented
                  size="small"
                  value={structure?.key}
                  onChange={(value) => setStructureKey(String(value))}
                  options={dashboard.structures.map((item) => ({
                    value: item.key,
                    label: { age: '年龄', health: '健康', education: '文化程度' }[item.key] ?? item.title,
                  }))}
                />
              }
            >
              {structure && (
                <Chart option={structureOption(structure.items)} dark={dark} aria-label="人口结构图" />
              )}
            </Panel>
            <Panel title="数据质量排名（问题户占比由低到高）">
              {dashboard.qualityRanking ? (
                <Chart
                  option={qualityOption(dashboard.qualityRanking)}
                  dark={dark}
                  aria-label="数据质量排名图"
                />
              ) : (
                <Empty
                  description={dashboard.headline.openFindings === null ? '无权查看数据质量' : '暂无质量问题'}
                />
              )}
            </Panel>
          </div>
        </>
      )}
    </div>
  );

  return (
    <PageContainer>
      {/* Popups render inside the container so they stay visible in full screen, dark there. */}
      <ConfigProvider
        getPopupContainer={() => containerRef.current ?? document.body}
        theme={{ algorithm: dark ? theme.darkAlgorithm : theme.defaultAlgorithm }}
      >
        {content}
      </ConfigProvider>
    </PageContainer>
  );
}
