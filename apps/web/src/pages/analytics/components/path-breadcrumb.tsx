import { Breadcrumb, Typography } from 'antd';

/** A view's region path as the server gives it; every level above the last one drills back up. */
export function PathBreadcrumb({
  path,
  onSelect,
}: {
  path: ReadonlyArray<{ code: string; name: string }>;
  onSelect: (code: string) => void;
}) {
  return (
    <Breadcrumb
      items={path.map((item, index) => ({
        key: item.code,
        title:
          index < path.length - 1 ? (
            <Typography.Link onClick={() => onSelect(item.code)}>{item.name}</Typography.Link>
          ) : (
            item.name
          ),
      }))}
    />
  );
}
