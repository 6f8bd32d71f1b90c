import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Flex, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { dateTimeFormat } from '../../../locales/zh-CN/index.ts';
import { batchKindLabels, countLabels, formatFileSize } from '../labels.ts';
import {
  type CountyTotal,
  type ImportBatch,
  type ImportCounts,
  type ImportRowError,
  type ImportSummary,
  importService,
} from '../service.ts';
import { BatchStatusTag } from './batch-status-tag.tsx';

const counts = (Object.keys(countLabels) as Array<keyof ImportCounts>).map((key) => ({
  title: countLabels[key],
  dataIndex: key,
  align: 'right' as const,
  render: (value: number) => value.toLocaleString('zh-CN'),
}));

function CountsTable({ summary }: { summary: ImportSummary }) {
  const rows = [
    { key: 'households', entity: '户', ...summary.households },
    { key: 'persons', entity: '人', ...summary.persons },
  ];
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={rows}
      scroll={{ x: 360 }}
      columns={[{ title: '', dataIndex: 'entity', width: 48 }, ...counts]}
    />
  );
}

function differs(county: CountyTotal) {
  return county.fileHouseholds !== county.platformHouseholds || county.filePersons !== county.platformPersons;
}

/** 地区总数核查: households and persons per county in the file and active in the platform. */
function CountyTotalsTable({ totals }: { totals: CountyTotal[] }) {
  const cell = (file: number, platform: number) =>
    file === platform ? (
      platform.toLocaleString('zh-CN')
    ) : (
      <Typography.Text type="warning">
        {platform.toLocaleString('zh-CN')}（{platform > file ? '+' : ''}
        {(platform - file).toLocaleString('zh-CN')}）
      </Typography.Text>
    );
  return (
    <Table<CountyTotal>
      size="small"
      pagination={false}
      rowKey="countyCode"
      dataSource={totals}
      scroll={{ x: 520 }}
      columns={[
        {
          title: '县（市、区）',
          dataIndex: 'countyName',
          render: (name: string, county) => (
            <span>
              {name} {differs(county) && <Tag color="warning">不一致</Tag>}
            </span>
          ),
        },
        {
          title: '文件户数',
          dataIndex: 'fileHouseholds',
          align: 'right',
          render: (value: number) => value.toLocaleString('zh-CN'),
        },
        {
          title: '平台户数',
          key: 'platformHouseholds',
          align: 'right',
          render: (_, county) => cell(county.fileHouseholds, county.platformHouseholds),
        },
        {
          title: '文件人数',
          dataIndex: 'filePersons',
          align: 'right',
          render: (value: number) => value.toLocaleString('zh-CN'),
        },
        {
          title: '平台人数',
          key: 'platformPersons',
          align: 'right',
          render: (_, county) => cell(county.filePersons, county.platformPersons),
        },
      ]}
    />
  );
}

function RowErrorsTable({ errors }: { errors: ImportRowError[] }) {
  return (
    <Table<ImportRowError>
      size="small"
      rowKey={(error) => `${error.row}-${error.column}-${error.reason}`}
      dataSource={errors}
      pagination={errors.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
      scroll={{ x: 640 }}
      columns={[
        { title: '行号', dataIndex: 'row', width: 72 },
        { title: '列', dataIndex: 'column', width: 120 },
        {
          title: '值',
          dataIndex: 'value',
          width: 180,
          render: (value: string) => <span className="code-text">{value || '（空）'}</span>,
        },
        { title: '原因', dataIndex: 'reason' },
      ]}
    />
  );
}

function Outcome({ batch }: { batch: ImportBatch }) {
  const summary = batch.summary;
  if (batch.status === 'running') return null;
  if (!summary) {
    return (
      <Alert type="error" showIcon message="导入失败，文件未导入" description={batch.error ?? '未知原因'} />
    );
  }
  if (summary.status === 'failed') {
    return (
      <Alert
        type="error"
        showIcon
        message={`${summary.rowsRejected.toLocaleString('zh-CN')} 行数据有错误，整个文件未导入，台账没有任何改动`}
        description={
          batch.view === 'covering'
            ? '导入单位按错误明细改正后重新导入。'
            : '请按错误明细在原文件中改正后重新导入；下载的明细列出每一处错误的行号、列和原因。'
        }
      />
    );
  }
  return summary.dryRun ? (
    <Alert
      type="info"
      showIcon
      message="试导入完成：以下为正式导入将发生的变化，台账未写入"
      description="确认无误后，关闭“试导入”重新导入同一文件。"
    />
  ) : (
    <Alert type="success" showIcon message="导入完成" />
  );
}

function countyTotalsTitle(summary: ImportSummary) {
  if (summary.status === 'failed') return '地区总数核查（文件与平台现有）';
  return summary.dryRun ? '地区总数核查（文件与平台，导入后预计）' : '地区总数核查（文件与平台，导入后）';
}

/** The result of an import: counts, located errors, unknown columns and values, and the county check. */
export function ImportResult({ batch }: { batch: ImportBatch }) {
  const summary = batch.summary;
  const covering = batch.view === 'covering';
  return (
    <Flex vertical gap={16}>
      {covering && (
        <Alert
          type="info"
          showIcon
          message={`本批次由${batch.regionFullName ?? batch.regionCode}导入，覆盖您的辖区`}
          description="台账变化为全批次合计；地区总数核查只列出您辖区的县（市、区）；错误明细和未识别的值含其他地区的数据，仅导入单位可见。"
        />
      )}
      <Outcome batch={batch} />
      <Card size="small" title="批次信息">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label="文件">{batch.fileName}</Descriptions.Item>
          <Descriptions.Item label="批次号">{batch.id}</Descriptions.Item>
          <Descriptions.Item label="状态">
            <BatchStatusTag batch={batch} />
          </Descriptions.Item>
          <Descriptions.Item label="类型">{batchKindLabels[batch.kind] ?? batch.kind}</Descriptions.Item>
          <Descriptions.Item label="统计年度">{batch.statisticsYear ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="文件大小">{formatFileSize(batch.fileSize)}</Descriptions.Item>
          <Descriptions.Item label="读取行数">{batch.rowsRead.toLocaleString('zh-CN')}</Descriptions.Item>
          <Descriptions.Item label="操作人">{batch.actorUsername ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="开始时间">
            {dayjs(batch.startedAt).format(dateTimeFormat)}
          </Descriptions.Item>
          {summary && <Descriptions.Item label="用时">{summary.seconds} 秒</Descriptions.Item>}
        </Descriptions>
      </Card>
      {summary?.status === 'succeeded' && (
        <Card
          size="small"
          title={`${summary.dryRun ? '将发生的变化' : '台账变化'}${covering ? '（全批次）' : ''}`}
        >
          <CountsTable summary={summary} />
        </Card>
      )}
      {summary && summary.rowsRejected > 0 && covering && (
        <Card size="small" title={`错误明细（共 ${summary.rowsRejected.toLocaleString('zh-CN')} 行）`}>
          <Typography.Text type="secondary">
            错误明细含其他地区的数据，请联系导入单位（{batch.regionFullName ?? batch.regionCode}）获取。
          </Typography.Text>
        </Card>
      )}
      {summary && summary.rowsRejected > 0 && !covering && (
        <Card
          size="small"
          title={`错误明细（共 ${summary.rowsRejected.toLocaleString('zh-CN')} 行，以下为前 ${summary.errors.length} 条）`}
          extra={
            <Button
              size="small"
              icon={<DownloadOutlined />}
              href={importService.errorsUrl(batch.id)}
              download
            >
              下载错误明细
            </Button>
          }
        >
          <RowErrorsTable errors={summary.errors} />
        </Card>
      )}
      {summary && (summary.unknownColumns.length > 0 || summary.unknownValues.length > 0) && (
        <Card size="small" title="未识别的列和值（已按空值导入，不影响其他数据）">
          <Flex vertical gap={12}>
            {summary.unknownColumns.length > 0 && (
              <div>
                <Typography.Text type="secondary">未识别的列（已忽略）：</Typography.Text>
                {summary.unknownColumns.map((column) => (
                  <Tag key={column}>{column}</Tag>
                ))}
              </div>
            )}
            {summary.unknownValues.length > 0 && (
              <Table
                size="small"
                rowKey={(item) => `${item.column}-${item.value}`}
                dataSource={summary.unknownValues}
                pagination={summary.unknownValues.length > 10 ? { pageSize: 10, size: 'small' } : false}
                columns={[
                  { title: '列', dataIndex: 'column' },
                  {
                    title: '未识别的值',
                    dataIndex: 'value',
                    render: (value: string) => <span className="code-text">{value}</span>,
                  },
                  { title: '出现次数', dataIndex: 'count', align: 'right' },
                ]}
              />
            )}
          </Flex>
        </Card>
      )}
      {summary && summary.countyTotals.length > 0 && (
        <Card size="small" title={countyTotalsTitle(summary)}>
          <CountyTotalsTable totals={summary.countyTotals} />
        </Card>
      )}
    </Flex>
  );
}
