import type { Writable } from 'node:stream';
import ExcelJS from '../../excel.ts';
import { formatTime } from '../audit/audit.service.ts';
import type { ReportRow, ReportView } from './analytics.service.ts';

const thin = { style: 'thin' as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };

/** Header cells to merge: [top row, left column, bottom row, right column], 1-based within the header. */
export function headerMerges(paths: string[][], depth: number): Array<[number, number, number, number]> {
  const merges: Array<[number, number, number, number]> = [];
  for (let level = 0; level < depth; level += 1) {
    let start = 0;
    while (start < paths.length) {
      const path = paths[start] as string[];
      if (level >= path.length) {
        start += 1;
        continue;
      }
      // A path that ends here spans the header rows below it.
      const bottom = level === path.length - 1 ? depth : level + 1;
      let end = start;
      const prefix = path.slice(0, level + 1).join('\u0000');
      while (
        end + 1 < paths.length &&
        (paths[end + 1] as string[]).length > level &&
        (paths[end + 1] as string[]).slice(0, level + 1).join('\u0000') === prefix &&
        ((paths[end + 1] as string[]).length - 1 === level) === (path.length - 1 === level)
      ) {
        end += 1;
      }
      if (end > start || bottom > level + 1) merges.push([level + 1, start + 1, bottom, end + 1]);
      start = end + 1;
    }
  }
  return merges;
}

/**
 * Writes a report view as the screen shows it: title (region, report), a line with the filters, the
 * reference date and the data date, the multi-row header with merged cells, the totals row, then one
 * row per child region; panes frozen below the header and right of the region names. Who exported it
 * and when is in the page header and footer and in the workbook properties. Streaming writer: rows are
 * flushed as they are written.
 */
/** What the report sheet reads of a view; custom statistics lay out their counts the same way. */
export type SheetView = Pick<
  ReportView,
  'region' | 'filterText' | 'referenceDate' | 'dataDate' | 'columns' | 'rows' | 'totals'
> & { report: { name: string; title: string } };

export async function writeReportXlsx(
  view: SheetView,
  options: { output: Writable; exportedBy: string; exportedAt?: Date },
): Promise<void> {
  const exportedAt = options.exportedAt ?? new Date();
  const title = `${view.region.fullName}${view.report.title}`;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: options.output, useStyles: true });
  workbook.creator = options.exportedBy;
  workbook.lastModifiedBy = options.exportedBy;
  workbook.created = exportedAt;
  workbook.modified = exportedAt;
  workbook.title = title;
  workbook.subject = view.report.name;
  workbook.description = `${view.filterText}；统计基准日：${view.referenceDate}；数据日期：${formatTime(view.dataDate)}；导出人：${options.exportedBy}；导出时间：${formatTime(exportedAt)}`;
  workbook.keywords = '守望 统计报表';

  const depth = Math.max(...view.columns.map((column) => column.path.length));
  const headerTop = 3;
  const sheet = workbook.addWorksheet(view.report.title.slice(0, 31), {
    views: [{ state: 'frozen', xSplit: 1, ySplit: headerTop - 1 + depth }],
    headerFooter: {
      oddHeader: `&L${title}&R导出人：${options.exportedBy}`,
      oddFooter: `&L导出时间：${formatTime(exportedAt)}&R第 &P 页，共 &N 页`,
    },
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const columnCount = view.columns.length + 1;
  sheet.columns = [
    { key: 'region', width: 18 },
    ...view.columns.map((column) => ({
      key: column.key,
      width: Math.max(8, (column.path.at(-1)?.length ?? 4) * 2 + 2),
    })),
  ];

  const titleRow = sheet.addRow([title]);
  titleRow.font = { bold: true, size: 14 };
  titleRow.alignment = { horizontal: 'center' };
  titleRow.height = 24;
  sheet.addRow([
    `${view.filterText}；统计基准日：${view.referenceDate}；数据日期：${formatTime(view.dataDate)}`,
  ]);
  // The streaming writer merges only rows not yet committed: the title and header rows are committed
  // together after their merges.
  sheet.mergeCells(1, 1, 1, columnCount);
  sheet.mergeCells(2, 1, 2, columnCount);

  // The header as a grid: each merged range keeps its text in its top-left cell only.
  const merges = headerMerges(
    view.columns.map((column) => column.path),
    depth,
  );
  const grid = Array.from({ length: depth }, (_, level) => [
    level === 0 ? '区划' : '',
    ...view.columns.map((column) => column.path[level] ?? ''),
  ]);
  for (const [top, left, bottom, right] of merges) {
    for (let level = top - 1; level < bottom; level += 1) {
      for (let index = left; index <= right; index += 1) {
        if (level !== top - 1 || index !== left) (grid[level] as string[])[index] = '';
      }
    }
  }
  const headerRows = grid.map((cells) => {
    const row = sheet.addRow(cells);
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = border;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F5FF' } };
    });
    return row;
  });
  if (depth > 1) sheet.mergeCells(headerTop, 1, headerTop + depth - 1, 1);
  for (const [top, left, bottom, right] of merges) {
    sheet.mergeCells(headerTop + top - 1, left + 1, headerTop + bottom - 1, right + 1);
  }
  headerRows.at(-1)?.commit();

  const addDataRow = (label: string, row: ReportRow, bold: boolean) => {
    const excelRow = sheet.addRow([label, ...row.values]);
    excelRow.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = border;
      if (bold) cell.font = { bold: true };
    });
    excelRow.commit();
  };
  addDataRow('合计', view.totals, true);
  for (const row of view.rows) addDataRow(row.regionName, row, false);
  sheet.commit();
  await workbook.commit();
}
