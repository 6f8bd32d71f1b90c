import { PlayCircleOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Progress,
  Table,
  type TableProps,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { buildAccess } from '../../access.ts';
import { ApiError, describeError } from '../../api/client.ts';
import { useMeOrThrow } from '../auth/service.ts';
import { RegionName } from './components/region-name.tsx';
import { formatMinute, runPhaseLabels, runStatusLabels, runTriggerLabels } from './labels.ts';
import { qualityKeys, qualityService, type Run, useRunQuery, useRunsQuery } from './service.ts';

function duration(run: Run): string {
  if (!run.finishedAt) return '—';
  const seconds = (new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()) / 1000;
  return seconds < 60
    ? `${seconds.toFixed(1)} 秒`
    : `${Math.floor(seconds / 60)} 分 ${Math.round(seconds % 60)} 秒`;
}

/** The run being watched: its progress while running, its counts when done. */
function RunProgress({ runId }: { runId: string }) {
  const queryClient = useQueryClient();
  const run = useRunQuery(runId);
  const data = run.data;
  const finished = data !== undefined && data.status !== 'running';
  const announced = useRef(false);
  useEffect(() => {
    if (!finished || announced.current) return;
    announced.current = true;
    // Findings, counts and rankings changed with the run.
    void queryClient.invalidateQueries({ queryKey: qualityKeys.all });
  }, [finished, queryClient]);
  if (!data) return null;
  const percent = Math.round(data.progress * 100);
  return (
    <Card size="small" title={`第 ${data.id} 次检查`}>
      <Flex vertical gap={8}>
        <Progress
          percent={data.status === 'succeeded' ? 100 : percent}
          status={data.status === 'failed' ? 'exception' : data.status === 'running' ? 'active' : 'success'}
          aria-label="检查进度"
        />
        <Typography.Text type="secondary">
          {runStatusLabels[data.status].label}
          {data.status === 'running' && data.phase ? ` · ${runPhaseLabels[data.phase] ?? data.phase}` : ''}
          {' · '}
          <RegionName code={data.regionCode} /> · 启用规则 {data.ruleCount} 条
        </Typography.Text>
        {data.status === 'failed' && <Alert type="error" showIcon message={data.error ?? '检查失败'} />}
        {data.status === 'succeeded' && (
          <Descriptions
            size="small"
            column={{ xs: 2, sm: 4 }}
            items={[
              { key: 'found', label: '发现问题', children: data.counts.found ?? 0 },
              { key: 'new', label: '新增', children: data.counts.new ?? 0 },
              { key: 'fixed', label: '已整改', children: data.counts.fixed ?? 0 },
              { key: 'duration', label: '用时', children: duration(data) },
            ]}
          />
        )}
        {data.status === 'succeeded' && <Link to="/quality/findings">查看问题清单</Link>}
      </Flex>
    </Card>
  );
}

/** 质量检查: start a run over one's region, watch its progress, and read the runs before it. */
export function RunsPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const me = useMeOrThrow();
  const canRun = buildAccess(me.user).canRunQuality;
  const [page, setPage] = useState(1);
  const runs = useRunsQuery(page, 20);
  const [watched, setWatched] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  // A run started elsewhere (or before a reload) is watched too.
  const running = runs.data?.items.find((run) => run.status === 'running');
  const runId = watched ?? running?.id ?? null;

  const start = async () => {
    setStarting(true);
    try {
      const run = await qualityService.startRun();
      setWatched(run.id);
      void queryClient.invalidateQueries({ queryKey: qualityKeys.runs });
      message.success('检查已开始');
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : describeError(error));
    } finally {
      setStarting(false);
    }
  };

  const columns: TableProps<Run>['columns'] = [
    { title: '编号', dataIndex: 'id', width: 70 },
    { title: '开始时间', dataIndex: 'startedAt', width: 150, render: (value: string) => formatMinute(value) },
    {
      title: '方式',
      dataIndex: 'trigger',
      width: 90,
      render: (value: Run['trigger']) => runTriggerLabels[value],
    },
    { title: '区划', dataIndex: 'regionCode', render: (value: string) => <RegionName code={value} /> },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (value: Run['status']) => (
        <Tag color={runStatusLabels[value].color}>{runStatusLabels[value].label}</Tag>
      ),
    },
    { title: '规则数', dataIndex: 'ruleCount', width: 70, align: 'right' },
    {
      title: '发现问题',
      key: 'found',
      width: 90,
      align: 'right',
      render: (_v, run) => run.counts.found ?? '—',
    },
    { title: '新增', key: 'new', width: 70, align: 'right', render: (_v, run) => run.counts.new ?? '—' },
    {
      title: '已整改',
      key: 'fixed',
      width: 80,
      align: 'right',
      render: (_v, run) => run.counts.fixed ?? '—',
    },
    {
      title: '基准日 / 收入标准',
      key: 'settings',
      width: 160,
      render: (_v, run) =>
        run.settings.referenceDate
          ? `${run.settings.referenceDate} / ${run.settings.incomeLine ?? '—'} 元`
          : '—',
    },
    { title: '用时', key: 'duration', width: 90, render: (_v, run) => duration(run) },
    {
      title: '发起人',
      dataIndex: 'startedBy',
      width: 100,
      render: (value: string | null) => value ?? '系统',
    },
  ];

  return (
    <PageContainer
      extra={
        canRun && (
          <Button
            type="primary"
            icon={<PlayCircleOutlined />}
            loading={starting}
            disabled={running !== undefined}
            onClick={start}
          >
            开始检查
          </Button>
        )
      }
    >
      <Flex vertical gap={12}>
        {canRun && !runId && (
          <Alert
            type="info"
            showIcon
            message={`按全部启用的规则检查${me.user.regionName}的台账数据；检查期间可继续工作，完成后问题清单和排名随之更新。`}
          />
        )}
        {runId && <RunProgress key={runId} runId={runId} />}
        <Card size="small" title="检查记录">
          <Table<Run>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={runs.data?.items ?? []}
            loading={runs.isFetching && !runs.data}
            scroll={{ x: 1200 }}
            pagination={{
              current: page,
              pageSize: 20,
              // The server pages without a total: offer the next page while this one is full.
              total:
                (page - 1) * 20 +
                (runs.data?.items.length ?? 0) +
                ((runs.data?.items.length ?? 0) === 20 ? 1 : 0),
              onChange: setPage,
              showSizeChanger: false,
            }}
          />
        </Card>
      </Flex>
    </PageContainer>
  );
}
