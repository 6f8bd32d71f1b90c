import { DeleteOutlined, DownloadOutlined, PlayCircleOutlined, SaveOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { fieldCatalog } from '@shouwang/rules';
import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { buildAccess } from '../../access.ts';
import { describeError } from '../../api/client.ts';
import { RegionPicker } from '../../components/region-picker/index.tsx';
import { useMeOrThrow } from '../auth/service.ts';
import { RuleTextEditor } from '../quality/components/rule-text-editor.tsx';
import type { RuleScope } from '../quality/service.ts';
import { PathBreadcrumb } from './components/path-breadcrumb.tsx';
import {
  type CustomCountRow,
  type CustomPerson,
  type CustomSearch,
  customStatisticsService,
  type SavedStatistic,
  useCustomCounts,
  useCustomPersons,
  useSavedStatisticMutations,
  useSavedStatistics,
} from './service.ts';

const scopeOptions = [
  { value: 'person', label: '按人员' },
  { value: 'household', label: '按农户' },
];

const examples: Record<RuleScope, string> = {
  person: 'age >= 60 and health in ["长期慢性病", "患有大病"] and household.householdType = "脱贫户"',
  household: 'householdType = "脱贫户" and any(members, health = "残疾") and netIncomePerPerson < line * 1.5',
};

/** Field names with their national-export headers, grouped as the rule language reads them. */
function FieldHelp({ scope }: { scope: RuleScope }) {
  const groups = [
    {
      key: 'person',
      label: scope === 'person' ? '人员字段（直接书写）' : '人员字段（写在 any/all/count(members, …) 内）',
      fields: fieldCatalog.person,
    },
    {
      key: 'household',
      label: scope === 'person' ? '农户字段（前加 household.）' : '农户字段（直接书写）',
      fields: fieldCatalog.household,
    },
    { key: 'income', label: '收入字段（统计年度）', fields: fieldCatalog.income },
    { key: 'measures', label: '帮扶措施（集合）', fields: fieldCatalog.measures },
  ];
  return (
    <Collapse
      size="small"
      items={[
        {
          key: 'fields',
          label: '字段与写法说明',
          children: (
            <Flex vertical gap={8}>
              <Typography.Text type="secondary">
                与数据质量规则的写法相同：比较用 <code>=</code>、<code>!=</code>、<code>&lt;</code>、
                <code>&gt;=</code>； 组合用 <code>and</code>、<code>or</code>、<code>not</code>
                ；代码字段写中文名称，如 <code>health = "残疾"</code>；多个值用 <code>in ["…", "…"]</code>。
              </Typography.Text>
              {groups.map((group) => (
                <div key={group.key}>
                  <Typography.Text strong>{group.label}</Typography.Text>
                  <Flex wrap gap={4} style={{ marginTop: 4 }}>
                    {group.fields.map((field) => (
                      <Tag key={field.name} title={field.label}>
                        <code>{field.name}</code> {field.label}
                      </Tag>
                    ))}
                  </Flex>
                </div>
              ))}
            </Flex>
          ),
        },
      ]}
    />
  );
}

function SaveDialog({
  open,
  onClose,
  expression,
  scope,
}: {
  open: boolean;
  onClose: () => void;
  expression: string;
  scope: RuleScope;
}) {
  const [form] = Form.useForm<{ name: string; note?: string }>();
  const { save } = useSavedStatisticMutations();
  return (
    <Modal
      title="保存为常用统计"
      open={open}
      onCancel={onClose}
      okText="保存"
      confirmLoading={save.isPending}
      destroyOnHidden
      onOk={async () => {
        const values = await form.validateFields();
        try {
          await save.mutateAsync({ ...values, expression, scope });
          form.resetFields();
          onClose();
        } catch (error) {
          form.setFields([{ name: 'name', errors: [describeError(error)] }]);
        }
      }}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          label="名称"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请填写名称' }, { max: 100 }]}
        >
          <Input placeholder="如：60 岁以上患病脱贫人口" />
        </Form.Item>
        <Form.Item label="说明" name="note" rules={[{ max: 500, message: '说明不能超过 500 个字' }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} placeholder="口径、用途" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SavedList({ onUse }: { onUse: (saved: SavedStatistic) => void }) {
  const saved = useSavedStatistics();
  const { remove } = useSavedStatisticMutations();
  return (
    <Card size="small" title="我的常用统计" style={{ height: '100%' }}>
      <List
        size="small"
        loading={saved.isLoading}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未保存统计" /> }}
        dataSource={saved.data?.items ?? []}
        renderItem={(item) => (
          <List.Item
            actions={[
              <Typography.Link key="use" onClick={() => onUse(item)}>
                使用
              </Typography.Link>,
              <Popconfirm
                key="delete"
                title={`删除“${item.name}”？`}
                onConfirm={() => remove.mutate(item.id)}
              >
                <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label="删除" />
              </Popconfirm>,
            ]}
          >
            <List.Item.Meta
              title={item.name}
              description={
                <Typography.Text
                  type="secondary"
                  ellipsis={{ tooltip: item.expression }}
                  style={{ maxWidth: 260 }}
                >
                  {item.scope === 'person' ? '按人员' : '按农户'}：{item.expression}
                </Typography.Text>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

const personColumns = [
  { title: '乡（镇）', dataIndex: 'townshipName', width: 100 },
  { title: '村', dataIndex: 'villageName', width: 100 },
  { title: '户编号', dataIndex: 'householdNo', width: 170 },
  { title: '姓名', dataIndex: 'name', width: 90 },
  { title: '证件号码', dataIndex: 'idNumber', width: 190 },
  { title: '与户主关系', dataIndex: 'relation', width: 90 },
  { title: '性别', dataIndex: 'gender', width: 60 },
  { title: '年龄', dataIndex: 'age', width: 60, align: 'right' as const },
  { title: '健康状况', dataIndex: 'health', width: 100 },
  { title: '劳动技能', dataIndex: 'laborSkill', width: 110 },
  { title: '户类型', dataIndex: 'householdType', width: 90 },
  { title: '监测对象类别', dataIndex: 'monitoringCategory', width: 120 },
];

/**
 * 定制化统计: an expression of the rule language (person or household scope) over a region; counts by
 * child region with the total first (click a row to go down, the breadcrumb to go up), the masked
 * person list page by page, exports of both, and the user's saved statistics. The query that ran is
 * kept in the address, so a drill-down or a reload shows the same numbers.
 */
export function CustomStatisticsPage() {
  const me = useMeOrThrow();
  const canExport = buildAccess(me.user).canExportAnalytics;
  const [searchParams, setSearchParams] = useSearchParams();
  const search = useMemo<CustomSearch | undefined>(() => {
    const expression = searchParams.get('expression');
    if (!expression) return undefined;
    const year = searchParams.get('year');
    return {
      expression,
      scope: searchParams.get('scope') === 'household' ? 'household' : 'person',
      regionCode: searchParams.get('regionCode') ?? me.user.regionCode,
      year: year ? Number(year) : undefined,
      title: searchParams.get('title') ?? undefined,
    };
  }, [searchParams, me.user.regionCode]);

  const [draft, setDraft] = useState(() => ({
    expression: search?.expression ?? '',
    scope: (search?.scope ?? 'person') as RuleScope,
    regionCode: search?.regionCode ?? me.user.regionCode,
    year: search?.year,
    title: search?.title,
  }));
  const [tab, setTab] = useState('counts');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [saving, setSaving] = useState(false);

  const counts = useCustomCounts(search);
  const persons = useCustomPersons(tab === 'persons' ? search : undefined, page.current, page.pageSize);
  const view = counts.data;

  const run = useCallback(
    (next: CustomSearch) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(next)) {
        if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
      }
      setSearchParams(params);
      setPage((current) => ({ ...current, current: 1 }));
    },
    [setSearchParams],
  );
  const drill = (regionCode: string) => {
    if (!search) return;
    setDraft((current) => ({ ...current, regionCode }));
    run({ ...search, regionCode });
  };

  const rows: Array<CustomCountRow & { isTotal: boolean }> = view
    ? [
        { ...view.totals, regionName: '合计', isTotal: true },
        ...view.rows.map((row) => ({ ...row, isTotal: false })),
      ]
    : [];

  return (
    <PageContainer>
      <Flex vertical gap={12}>
        <Row gutter={[12, 12]}>
          <Col xs={24} xl={16}>
            <Card size="small" title="统计条件">
              <Flex vertical gap={8}>
                <Flex wrap gap={12} align="center">
                  <Radio.Group
                    optionType="button"
                    buttonStyle="solid"
                    options={scopeOptions}
                    value={draft.scope}
                    onChange={(event) => setDraft({ ...draft, scope: event.target.value, title: undefined })}
                  />
                  <Space size={4}>
                    <span>区划</span>
                    <RegionPicker
                      style={{ width: 220 }}
                      allowClear={false}
                      value={draft.regionCode}
                      onChange={(code) => code && setDraft({ ...draft, regionCode: code })}
                    />
                  </Space>
                  <Space size={4}>
                    <span>统计年度</span>
                    <InputNumber
                      aria-label="统计年度"
                      style={{ width: 96 }}
                      min={2000}
                      max={2100}
                      placeholder="当前"
                      value={draft.year}
                      onChange={(year) => setDraft({ ...draft, year: year ?? undefined })}
                    />
                  </Space>
                </Flex>
                <RuleTextEditor
                  scope={draft.scope}
                  label="统计条件"
                  value={draft.expression}
                  onChange={(expression) => setDraft({ ...draft, expression, title: undefined })}
                  check={customStatisticsService.check}
                />
                <Typography.Text type="secondary">
                  例如：<code>{examples[draft.scope]}</code>
                </Typography.Text>
                <FieldHelp scope={draft.scope} />
                <Flex gap={8}>
                  <Button
                    type="primary"
                    icon={<PlayCircleOutlined />}
                    disabled={draft.expression.trim() === ''}
                    loading={counts.isFetching}
                    onClick={() => run({ ...draft, expression: draft.expression.trim() })}
                  >
                    运行统计
                  </Button>
                  <Button
                    icon={<SaveOutlined />}
                    disabled={draft.expression.trim() === ''}
                    onClick={() => setSaving(true)}
                  >
                    保存为常用统计
                  </Button>
                </Flex>
              </Flex>
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <SavedList
              onUse={(saved) => {
                const next = {
                  ...draft,
                  expression: saved.expression,
                  scope: saved.scope,
                  title: saved.name,
                };
                setDraft(next);
                run(next);
              }}
            />
          </Col>
        </Row>
        <SaveDialog
          open={saving}
          onClose={() => setSaving(false)}
          expression={draft.expression.trim()}
          scope={draft.scope}
        />
        {counts.error && <Alert type="error" showIcon message={describeError(counts.error)} />}
        {search && (
          <Card size="small">
            <Flex wrap gap={8} justify="space-between" align="flex-start" style={{ marginBottom: 4 }}>
              {view && (
                <Flex vertical gap={2} style={{ flex: '1 1 320px', minWidth: 0 }}>
                  <PathBreadcrumb path={view.path} onSelect={drill} />
                  <Typography.Title level={5} style={{ margin: 0 }}>
                    {view.region.fullName}
                    {search.title ?? '定制化统计'}
                  </Typography.Title>
                  <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
                    {view.conditionText}
                  </Typography.Text>
                </Flex>
              )}
              {canExport && (
                <Space wrap>
                  <Button
                    icon={<DownloadOutlined />}
                    href={customStatisticsService.countsExportUrl(search)}
                    download
                    disabled={!view}
                  >
                    导出统计表
                  </Button>
                  <Button
                    icon={<DownloadOutlined />}
                    href={customStatisticsService.personsExportUrl(search)}
                    download
                    disabled={!view}
                  >
                    导出人员名单
                  </Button>
                </Space>
              )}
            </Flex>
            <Tabs
              activeKey={tab}
              onChange={setTab}
              items={[
                {
                  key: 'counts',
                  label: '分区划统计',
                  children: (
                    <Table
                      className="report-table"
                      size="small"
                      bordered
                      rowKey={(row) => (row.isTotal ? 'total' : row.regionCode)}
                      loading={counts.isFetching}
                      pagination={false}
                      dataSource={rows}
                      rowClassName={(row) => (row.isTotal ? 'report-total-row' : '')}
                      onRow={(row) => ({
                        onClick: () => {
                          if (!row.isTotal && row.hasChildren) drill(row.regionCode);
                        },
                        style: !row.isTotal && row.hasChildren ? { cursor: 'pointer' } : undefined,
                      })}
                      columns={[
                        {
                          title: '区划',
                          dataIndex: 'regionName',
                          render: (name: string, row) =>
                            !row.isTotal && row.hasChildren ? (
                              <Typography.Link>{name}</Typography.Link>
                            ) : (
                              name
                            ),
                        },
                        { title: '户数', dataIndex: 'households', align: 'right', width: 110 },
                        { title: '人数', dataIndex: 'persons', align: 'right', width: 110 },
                      ]}
                    />
                  ),
                },
                {
                  key: 'persons',
                  label: `人员名单${view ? `（${view.totals.persons} 人）` : ''}`,
                  children: (
                    <Flex vertical gap={8}>
                      {persons.error && (
                        <Alert type="error" showIcon message={describeError(persons.error)} />
                      )}
                      <Table<CustomPerson>
                        size="small"
                        rowKey="id"
                        loading={persons.isFetching}
                        dataSource={persons.data?.items ?? []}
                        columns={personColumns}
                        scroll={{ x: 1300 }}
                        pagination={{
                          current: page.current,
                          pageSize: page.pageSize,
                          total: persons.data?.total ?? 0,
                          showSizeChanger: true,
                          showTotal: (total) => `共 ${total} 人（证件号码已脱敏）`,
                          onChange: (current, pageSize) => setPage({ current, pageSize }),
                        }}
                      />
                    </Flex>
                  ),
                },
              ]}
            />
          </Card>
        )}
      </Flex>
    </PageContainer>
  );
}
