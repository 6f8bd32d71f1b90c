import { AutoComplete, Input } from 'antd';
import { useState } from 'react';
import { useDebouncedValue } from '../../../components/region-picker/use-debounced-value.ts';
import { type Region, useRegionSearchQuery } from '../service.ts';

/** Finds a region by name within the user's scope. */
export function RegionSearch({ onPick }: { onPick: (region: Region) => void }) {
  const [text, setText] = useState('');
  const debounced = useDebouncedValue(text, 300);
  const search = useRegionSearchQuery(debounced);
  const options = (search.data ?? []).map((region) => ({ value: region.code, label: region.fullName }));

  return (
    <AutoComplete
      style={{ width: '100%' }}
      options={options}
      value={text}
      onChange={setText}
      onSelect={(code: string) => {
        const region = search.data?.find((candidate) => candidate.code === code);
        if (region) onPick(region);
        setText('');
      }}
      notFoundContent={debounced && !search.isFetching ? '无匹配的区划' : undefined}
    >
      <Input.Search
        aria-label="搜索区划"
        placeholder="输入名称搜索区划"
        allowClear
        loading={search.isFetching}
      />
    </AutoComplete>
  );
}
