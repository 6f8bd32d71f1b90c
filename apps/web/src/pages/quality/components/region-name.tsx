import { useRegionQuery } from '../../regions/service.ts';

/** A region's full name from its code (cached per code; the code until it loads). */
export function RegionName({ code }: { code: string }) {
  const region = useRegionQuery(code);
  return <span title={code}>{region.data?.fullName ?? code}</span>;
}
