import { Table, Typography } from 'antd';
import type { ColumnGroupType, ColumnType } from 'antd/es/table';
import { useMemo } from 'react';
import type { ReportColumn, ReportRow, ReportView } from '../service.ts';

type Row = ReportRow & { isTotal: boolean };
type Column = ColumnType<Row> | ColumnGroupType<Row>;

/**
 * Nests the flat columns by their header paths: adjacent columns sharing a label under the same parent
 * become one group, as the merged cells of the Excel export.
 */
export function buildColumnTree(
  columns: ReportColumn[],
  leaf: (column: ReportColumn, index: number) => ColumnType<Row>,
) {
  const root: Column[] = [];
  columns.forEach((column, index) => {
    let siblings = root;
    column.path.forEach((label, level) => {
      const isLeaf = level === column.path.length - 1;
      if (isLeaf) {
        siblings.push({ ...leaf(column, index), title: label });
        return;
      }
      const last = siblings.at(-1) as ColumnGroupType<Row> | undefined;
      if (last && 'children' in last && last.title === label) {
        siblings = last.children as Column[];
      } else {
        const group: ColumnGroupType<Row> = {
          title: label,
          key: `${column.key}:${level}`,
          align: 'center',
          children: [],
        };
        siblings.push(group);
        siblings = group.children as Column[];
      }
    });
  });
  return root;
}

export function ReportTable({
  view,
  loading,
  onDrill,
}: {
  view: ReportView | undefined;
  loading: boolean;
  onDrill: (regionCode: string) => void;
}) {
  const columns = useMemo<Column[]>(() => {
    if (!view) return [];
    return [
      {
        title: '区划',
        key: 'region',
        fixed: 'left',
        width: 120,
        render: (_: unknown, row: Row) =>
          row.isTotal ? (
            <Typography.Text strong>合计</Typography.Text>
          ) : row.hasChildren ? (
            <Typography.Link onClick={() => onDrill(row.regionCode)}>{row.regionName}</Typography.Link>
          ) : (
            row.regionName
          ),
      },
      ...buildColumnTree(view.columns, (column, index) => ({
        key: column.key,
        align: 'right',
        // Wide enough for the header's words on one line (about 14 px a character).
        width: Math.max(64, (column.path.at(-1)?.length ?? 2) * 14 + 20),
        render: (_: unknown, row: Row) =>
          row.isTotal ? <strong>{row.values[index]}</strong> : row.values[index],
      })),
    ];
  }, [view, onDrill]);
  const dataSource = useMemo<Row[]>(
    () =>
      view
        ? [{ ...view.totals, isTotal: true }, ...view.rows.map((row) => ({ ...row, isTotal: false }))]
        : [],
    [view],
  );
  return (
    <Table<Row>
      className="report-table"
      size="small"
      bordered
      rowKey={(row) => (row.isTotal ? 'total' : row.regionCode)}
      columns={columns}
      dataSource={dataSource}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content', y: 'calc(100vh - 360px)' }}
      rowClassName={(row) => (row.isTotal ? 'report-total-row' : '')}
      onRow={(row) => ({
        onClick: () => {
          if (!row.isTotal && row.hasChildren) onDrill(row.regionCode);
        },
        style: !row.isTotal && row.hasChildren ? { cursor: 'pointer' } : undefined,
      })}
    />
  );
}
