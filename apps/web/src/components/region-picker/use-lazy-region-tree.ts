import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { type CurrentUser, useMeOrThrow } from '../../pages/auth/service.ts';
import { fetchRegionChildren, type Region } from '../../pages/regions/service.ts';

/** What the tree knows of a region; the root comes from the session and has no child count. */
export type RegionEntry = Pick<Region, 'code' | 'name' | 'level' | 'fullName'> & { childCount?: number };

export interface RegionTreeNode {
  key: string;
  value: string;
  title: string;
  isLeaf: boolean;
  children?: RegionTreeNode[];
}

export function isLeafRegion(region: RegionEntry): boolean {
  return region.level === 'village' || region.childCount === 0;
}

function rootOf(user: CurrentUser): RegionEntry {
  return {
    code: user.regionCode,
    name: user.regionName,
    level: user.regionLevel,
    fullName: user.regionFullName,
  };
}

function toTreeNodes(regions: RegionEntry[], childrenByCode: Record<string, Region[]>): RegionTreeNode[] {
  return regions.map((region) => {
    const children = childrenByCode[region.code];
    return {
      key: region.code,
      value: region.code,
      title: region.name,
      isLeaf: isLeafRegion(region),
      children: children ? toTreeNodes(children, childrenByCode) : undefined,
    };
  });
}

/** The region tree from the user's own region down, each level fetched when it is opened. */
export function useLazyRegionTree() {
  const { user } = useMeOrThrow();
  const queryClient = useQueryClient();
  const [childrenByCode, setChildrenByCode] = useState<Record<string, Region[]>>({});
  const root = useMemo(() => rootOf(user), [user]);

  const loadChildren = useCallback(
    async (code: string) => {
      const children = await fetchRegionChildren(queryClient, code);
      setChildrenByCode((previous) => (previous[code] ? previous : { ...previous, [code]: children }));
      return children;
    },
    [queryClient],
  );

  const treeData = useMemo(() => toTreeNodes([root], childrenByCode), [root, childrenByCode]);

  const known = useMemo(() => {
    const entries = new Map<string, RegionEntry>([[root.code, root]]);
    for (const list of Object.values(childrenByCode))
      for (const region of list) entries.set(region.code, region);
    return entries;
  }, [root, childrenByCode]);

  return { root, treeData, known, loadChildren };
}
