import { HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  App,
  Button,
  Card,
  Flex,
  Input,
  Select,
  Space,
  Switch,
  Table,
  type TableProps,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { buildAccess } from '../../access.ts';
import { useMeOrThrow } from '../auth/service.ts';
import { RuleEditorDrawer } from './components/rule-editor-drawer.tsx';
import { RuleVersionsDrawer } from './components/rule-versions-drawer.tsx';
import { categoryLabel, formatMinute, scopeLabels, severityLabels } from './labels.ts';
import { qualityService, type Rule, useRuleMutation, useRulesQuery } from './service.ts';

/** 规则管理: every rule with its switch; writers add and edit rules, everyone reads their history. */
export function RuleListPage() {
  const { message } = App.useApp();
  const me = useMeOrThrow();
  const canWrite = buildAccess(me.user).canWriteRules;
  const rules = useRulesQuery();
  const [searchText, setSearchText] = useState('');
  const [category, setCategory] = useState<string>('');
  const [enabledFilter, setEnabledFilter] = useState<string>('');
  const [editing, setEditing] = useState<{ rule: Rule | null } | null>(null);
  const [historyOf, setHistoryOf] = useState<Rule | null>(null);
  const [switching, setSwitching] = useState<string | null>(null);
  const toggle = useRuleMutation(
    ({ code, enabled }: { code: string; enabled: boolean }) => qualityService.setEnabled(code, enabled),
    false,
  );

  const items = rules.data?.items ?? [];
  const categories = useMemo(() => [...new Set(items.map((rule) => rule.category))], [items]);
  const shown = items.filter((rule) => {
    const text = searchText.trim().toUpperCase();
    if (text && !rule.code.includes(text) && !rule.name.toUpperCase().includes(text)) return false;
    if (category && rule.category !== category) return false;
    if (enabledFilter && String(rule.enabled) !== enabledFilter) return false;
    return true;
  });

  const switchRule = async (rule: Rule, enabled: boolean) => {
    setSwitching(rule.code);
    try {
      await toggle.mutateAsync({ code: rule.code, enabled });
      message.success(`${rule.code} 已${enabled ? '启用' : '停用'}，下次检查起生效`);
    } finally {
      setSwitching(null);
    }
  };

  const columns: TableProps<Rule>['columns'] = [
    {
      title: '编号',
      dataIndex: 'code',
      width: 110,
      render: (code: string, rule) => (
        <Typography.Link className="code-text" onClick={() => setEditing({ rule })}>
          {code}
        </Typography.Link>
      ),
    },
    { title: '名称', dataIndex: 'name', ellipsis: true },
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
    {
      title: '启用',
      dataIndex: 'enabled',
      width: 72,
      render: (enabled: boolean, rule) => (
        <Switch
          size="small"
          checked={enabled}
          disabled={!canWrite}
          loading={switching === rule.code}
          aria-label={`启用 ${rule.code}`}
          onChange={(checked) => switchRule(rule, checked)}
        />
      ),
    },
    { title: '版本', dataIndex: 'version', width: 60, align: 'right' },
    {
      title: '最近修改',
      dataIndex: 'updatedAt',
      width: 170,
      render: (value: string, rule) => (
        <Typography.Text type="secondary">
          {formatMinute(value)} {rule.updatedBy ?? ''}
        </Typography.Text>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 130,
      render: (_value, rule) => (
        <Space size={4}>
          <Button type="link" size="small" onClick={() => setEditing({ rule })}>
            {canWrite ? '编辑' : '查看'}
          </Button>
          <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setHistoryOf(rule)}>
            历史
          </Button>
        </Space>
      ),
    },
  ];

  const enabledCount = items.filter((rule) => rule.enabled).length;
  return (
    <PageContainer
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ rule: null })}>
            新建规则
          </Button>
        )
      }
    >
      <Flex vertical gap={12}>
        <Card size="small">
          <Flex wrap gap={12} align="center">
            <Input.Search
              allowClear
              aria-label="搜索规则"
              placeholder="编号或名称"
              style={{ width: 220 }}
              onSearch={setSearchText}
              onChange={(event) => setSearchText(event.target.value)}
            />
            <Select
              aria-label="分类"
              style={{ width: 170 }}
              value={category}
              onChange={setCategory}
              options={[
                { value: '', label: '全部分类' },
                ...categories.map((value) => ({ value, label: categoryLabel(value) })),
              ]}
            />
            <Select
              aria-label="启用状态"
              style={{ width: 120 }}
              value={enabledFilter}
              onChange={setEnabledFilter}
              options={[
                { value: '', label: '全部状态' },
                { value: 'true', label: '已启用' },
                { value: 'false', label: '已停用' },
              ]}
            />
            <Typography.Text type="secondary">
              共 {items.length} 条规则，启用 {enabledCount} 条
            </Typography.Text>
          </Flex>
        </Card>
        <Card size="small">
          <Table<Rule>
            rowKey="code"
            size="middle"
            columns={columns}
            dataSource={shown}
            loading={rules.isFetching}
            scroll={{ x: 1000 }}
            pagination={{ defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100] }}
          />
        </Card>
      </Flex>
      {editing && (
        <RuleEditorDrawer
          key={editing.rule?.code ?? 'new'}
          rule={editing.rule}
          open
          canWrite={canWrite}
          onClose={() => setEditing(null)}
        />
      )}
      <RuleVersionsDrawer rule={historyOf} onClose={() => setHistoryOf(null)} />
    </PageContainer>
  );
}
