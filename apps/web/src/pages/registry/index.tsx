import { PageContainer } from '@ant-design/pro-components';
import { Card, Flex, Grid } from 'antd';
import { HouseholdCards } from './components/household-cards.tsx';
import { HouseholdFilterBar } from './components/household-filters.tsx';
import { HouseholdTable } from './components/household-table.tsx';
import { type HouseholdFilters, useHouseholdsQuery } from './service.ts';
import { useListParams } from './use-list-params.ts';

/** 农户列表: find households of the user's region by the filters cadres use every day. */
export function HouseholdListPage() {
  const wide = Grid.useBreakpoint().md ?? true;
  const list = useListParams<HouseholdFilters>();
  const households = useHouseholdsQuery({ ...list.filters, page: list.page, pageSize: list.pageSize });
  const paging = { page: list.page, pageSize: list.pageSize, onChange: list.turnPage };

  return (
    <PageContainer>
      <Flex vertical gap={wide ? 16 : 12}>
        <Card size="small">
          <HouseholdFilterBar initialValues={list.filters} onSearch={list.search} />
        </Card>
        {wide ? (
          <Card size="small">
            <HouseholdTable
              data={households.data}
              loading={households.isFetching}
              paging={paging}
              showStatus={(list.filters.status ?? 'active') !== 'active'}
            />
          </Card>
        ) : (
          <HouseholdCards data={households.data} loading={households.isFetching} paging={paging} />
        )}
      </Flex>
    </PageContainer>
  );
}
