import { useQuery } from '@tanstack/react-query';
import { Breadcrumb, Descriptions, Empty, List, Skeleton, Typography } from 'antd';
import { regionLevelLabels } from '../../../locales/zh-CN/index.ts';
import { regionKeys, regionService, useRegionPathQuery, useRegionQuery } from '../service.ts';

/** The selected region: its facts, where it sits, and what lies directly below. */
export function RegionDetails({ code, onSelect }: { code: string; onSelect: (code: string) => void }) {
  const region = useRegionQuery(code);
  const path = useRegionPathQuery(code);
  const children = useQuery({
    queryKey: regionKeys.children(code),
    queryFn: () => regionService.children(code),
    enabled: Boolean(region.data && region.data.childCount > 0),
    staleTime: 10 * 60_000,
  });

  if (region.isPending) return <Skeleton active />;
  if (!region.data) return <Empty description="无法加载该区划" />;
  const data = region.data;

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 16 }}
        items={(path.data ?? []).map((item) => ({ key: item.code, title: item.name }))}
      />
      <Descriptions
        bordered
        size="small"
        column={1}
        labelStyle={{ width: 120 }}
        items={[
          { key: 'name', label: '名称', children: data.name },
          {
            key: 'code',
            label: '区划代码',
            children: <Typography.Text copyable>{data.code}</Typography.Text>,
          },
          { key: 'level', label: '级别', children: regionLevelLabels[data.level] ?? data.level },
          { key: 'fullName', label: '全称', children: data.fullName },
          { key: 'parentCode', label: '上级区划代码', children: data.parentCode ?? '—' },
          { key: 'childCount', label: '下级区划数', children: data.childCount },
        ]}
      />
      {data.childCount > 0 && (
        <List
          style={{ marginTop: 16 }}
          size="small"
          header={<Typography.Text strong>下级区划</Typography.Text>}
          loading={children.isPending}
          dataSource={children.data ?? []}
          pagination={(children.data?.length ?? 0) > 10 ? { pageSize: 10, size: 'small' } : false}
          renderItem={(child) => (
            <List.Item
              actions={[
                <Typography.Link key="open" onClick={() => onSelect(child.code)}>
                  查看
                </Typography.Link>,
              ]}
            >
              <List.Item.Meta
                title={child.name}
                description={
                  <span className="code-text">
                    {child.code} · {regionLevelLabels[child.level] ?? child.level}
                    {child.childCount > 0 ? ` · 下级 ${child.childCount} 个` : ''}
                  </span>
                }
              />
            </List.Item>
          )}
        />
      )}
    </>
  );
}
