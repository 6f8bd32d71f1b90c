import { PageContainer } from '@ant-design/pro-components';
import { Card, Flex, Grid } from 'antd';
import { PersonFilterBar } from './components/person-filters.tsx';
import { PersonTable } from './components/person-table.tsx';
import { type PersonFilters, usePersonsQuery } from './service.ts';
import { useListParams } from './use-list-params.ts';

const numberKeys = ['ageFrom', 'ageTo'];

/** 人员列表: members of the user's region by age, health, labour, schooling. */
export function PersonListPage() {
  const wide = Grid.useBreakpoint().md ?? true;
  const list = useListParams<PersonFilters>(numberKeys);
  const persons = usePersonsQuery({ ...list.filters, page: list.page, pageSize: list.pageSize });
  const table = (
    <PersonTable
      data={persons.data}
      loading={persons.isFetching}
      wide={wide}
      showStatus={(list.filters.status ?? 'active') !== 'active'}
      paging={{ page: list.page, pageSize: list.pageSize, onChange: list.turnPage }}
    />
  );
  return (
    <PageContainer>
      <Flex vertical gap={wide ? 16 : 12}>
        <Card size="small">
          <PersonFilterBar initialValues={list.filters} onSearch={list.search} />
        </Card>
        {wide ? <Card size="small">{table}</Card> : table}
      </Flex>
    </PageContainer>
  );
}
