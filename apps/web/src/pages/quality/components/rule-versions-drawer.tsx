import { Drawer, Empty, Grid, Skeleton, Tag, Timeline, Typography } from 'antd';
import { categoryLabel, formatMinute, severityLabels, versionChangeLabels } from '../labels.ts';
import { type Rule, useRuleVersionsQuery } from '../service.ts';

/** 修改历史: every create, edit, enable and disable of a rule, newest first, with the old and new text. */
export function RuleVersionsDrawer({ rule, onClose }: { rule: Rule | null; onClose: () => void }) {
  const wide = Grid.useBreakpoint().md ?? true;
  const versions = useRuleVersionsQuery(rule?.code);
  const items = versions.data?.items ?? [];
  return (
    <Drawer
      title={rule ? `修改历史 · ${rule.code} ${rule.name}` : ''}
      open={rule !== null}
      onClose={onClose}
      width={wide ? 640 : '100%'}
      destroyOnHidden
    >
      {versions.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description="暂无修改记录" />
      ) : (
        <Timeline
          items={items.map((version) => ({
            key: version.version,
            color: version.change === 'disable' ? 'gray' : version.change === 'create' ? 'green' : 'blue',
            children: (
              <div>
                <div>
                  <Typography.Text strong>第 {version.version} 版</Typography.Text>{' '}
                  <Tag>{versionChangeLabels[version.change] ?? version.change}</Tag>
                  <Typography.Text type="secondary">
                    {formatMinute(version.changedAt)} · {version.changedBy ?? '系统'}
                  </Typography.Text>
                </div>
                <div style={{ marginTop: 4 }}>
                  {version.name} · {categoryLabel(version.category)} ·{' '}
                  {severityLabels[version.severity]?.label ?? version.severity} ·{' '}
                  {version.enabled ? '启用' : '停用'}
                </div>
                {version.whenText !== null && version.whenText !== version.previousWhenText && (
                  <>
                    {version.previousWhenText !== null && (
                      <pre
                        className="json-detail"
                        style={{ marginTop: 4, textDecoration: 'line-through', color: '#8c8c8c' }}
                      >
                        {version.previousWhenText}
                      </pre>
                    )}
                    <pre className="json-detail" style={{ marginTop: 4 }}>
                      {version.whenText}
                    </pre>
                  </>
                )}
              </div>
            ),
          }))}
        />
      )}
    </Drawer>
  );
}
