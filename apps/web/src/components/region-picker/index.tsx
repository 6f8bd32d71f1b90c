import { Spin, TreeSelect } from 'antd';
import { type CSSProperties, type ReactNode, useMemo, useState } from 'react';
import { useRegionQuery, useRegionSearchQuery } from '../../pages/regions/service.ts';
import { useDebouncedValue } from './use-debounced-value.ts';
import { type RegionEntry, useLazyRegionTree } from './use-lazy-region-tree.ts';

export type { RegionEntry } from './use-lazy-region-tree.ts';

interface LabeledValue {
  value: string;
  label?: ReactNode;
}

export interface RegionPickerProps {
  /** The 12-digit region code. */
  value?: string;
  onChange?: (code: string | undefined, region: RegionEntry | undefined) => void;
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  style?: CSSProperties;
}

/**
 * Picks a region within the user's own scope: a lazily loaded tree from the user's region down, and a
 * server-side search by name. The value is the 12-digit code; the field shows the full name.
 */
export function RegionPicker({
  value,
  onChange,
  id,
  placeholder = '选择或搜索区划',
  allowClear = true,
  disabled,
  style,
}: RegionPickerProps) {
  const tree = useLazyRegionTree();
  const [searchText, setSearchText] = useState('');
  const debouncedSearch = useDebouncedValue(searchText, 300);
  const search = useRegionSearchQuery(debouncedSearch);
  const searching = searchText.trim().length > 0;

  const known = useMemo(() => {
    const entries = new Map(tree.known);
    for (const region of search.data ?? []) entries.set(region.code, region);
    return entries;
  }, [tree.known, search.data]);

  // A value set from outside (e.g. a saved record) may not be in the loaded tree yet.
  const outside = useRegionQuery(value && !known.has(value) ? value : undefined);
  const selectedEntry = value ? (known.get(value) ?? outside.data) : undefined;

  const treeData = useMemo(() => {
    if (!searching) return tree.treeData;
    return (search.data ?? []).map((region) => ({
      key: region.code,
      value: region.code,
      title: region.fullName,
      isLeaf: true,
    }));
  }, [searching, search.data, tree.treeData]);

  let notFoundContent: ReactNode = '暂无数据';
  if (search.isFetching || searchText !== debouncedSearch) notFoundContent = <Spin size="small" />;
  else if (searching) notFoundContent = '无匹配的区划';

  return (
    <TreeSelect<LabeledValue>
      id={id}
      style={{ width: '100%', ...style }}
      labelInValue
      value={value ? { value, label: selectedEntry?.fullName ?? value } : undefined}
      treeData={treeData}
      loadData={async (node) => {
        if (typeof node.value === 'string') await tree.loadChildren(node.value);
      }}
      showSearch
      searchValue={searchText}
      onSearch={setSearchText}
      filterTreeNode={false}
      notFoundContent={notFoundContent}
      placeholder={placeholder}
      allowClear={allowClear}
      disabled={disabled}
      styles={{ popup: { root: { maxHeight: 400, overflow: 'auto' } } }}
      onChange={(next) => {
        setSearchText('');
        const code = next?.value;
        onChange?.(code, code ? known.get(code) : undefined);
      }}
      onOpenChange={(open) => {
        if (!open) setSearchText('');
      }}
    />
  );
}
