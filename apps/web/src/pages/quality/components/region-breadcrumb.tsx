import { Breadcrumb, Typography } from 'antd';
import { useMeOrThrow } from '../../auth/service.ts';
import { useRegionPathQuery } from '../../regions/service.ts';

/** From the user's own region down to `code`; every level above the last one is a link back up. */
export function RegionBreadcrumb({ code, onSelect }: { code: string; onSelect: (code: string) => void }) {
  const { user } = useMeOrThrow();
  const path = useRegionPathQuery(code).data ?? [];
  const from = path.findIndex((region) => region.code === user.regionCode);
  const shown = from >= 0 ? path.slice(from) : path.slice(-1);
  return (
    <Breadcrumb
      items={shown.map((region, index) => ({
        key: region.code,
        title:
          index < shown.length - 1 ? (
            <Typography.Link onClick={() => onSelect(region.code)}>{region.name}</Typography.Link>
          ) : (
            region.name
          ),
      }))}
    />
  );
}
