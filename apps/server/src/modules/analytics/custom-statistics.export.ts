import type { Writable } from 'node:stream';
import { type CellValue, openStreamingSheet, type StreamingSheet } from '../../excel-stream.ts';
import { formatTime } from '../audit/audit.service.ts';
import type { CustomPerson } from './custom-statistics.service.ts';

const yesNo = (value: boolean | null) => (value === null ? null : value ? '是' : '否');

const columns: Array<{ header: string; width: number; value: (person: CustomPerson) => CellValue }> = [
  { header: '县（市、区）', width: 12, value: (person) => person.countyName },
  { header: '乡（镇）', width: 12, value: (person) => person.townshipName },
  { header: '村', width: 12, value: (person) => person.villageName },
  { header: '户编号', width: 18, value: (person) => person.householdNo },
  { header: '姓名', width: 10, value: (person) => person.name },
  { header: '证件号码', width: 22, value: (person) => person.idNumber },
  { header: '与户主关系', width: 10, value: (person) => person.relation },
  { header: '性别', width: 6, value: (person) => person.gender },
  { header: '年龄', width: 6, value: (person) => person.age },
  { header: '民族', width: 8, value: (person) => person.ethnicity },
  { header: '文化程度', width: 10, value: (person) => person.education },
  { header: '在校生状况', width: 12, value: (person) => person.schooling },
  { header: '健康状况', width: 12, value: (person) => person.health },
  { header: '劳动技能', width: 12, value: (person) => person.laborSkill },
  { header: '务工区域', width: 12, value: (person) => person.workLocation },
  { header: '低保', width: 10, value: (person) => person.dibao },
  { header: '特困', width: 10, value: (person) => person.tekun },
  { header: '户类型', width: 10, value: (person) => person.householdType },
  { header: '监测对象类别', width: 14, value: (person) => person.monitoringCategory },
  { header: '风险是否消除', width: 12, value: (person) => yesNo(person.riskEliminated) },
];

/** The person list's columns in the export: a sequence number, then the key fields (ID masked). */
export const customPersonColumns = {
  headers: ['序号', ...columns.map((column) => column.header)],
  cells: (person: CustomPerson, sequence: number): CellValue[] => [
    sequence,
    ...columns.map((column) => column.value(person)),
  ],
};

/**
 * Opens the person list workbook: title, conditions, who exported it and when, then the header; rows
 * follow in batches. Who and when are also in the page header and footer and the properties.
 */
export function writeCustomPersonsXlsx(options: {
  output: Writable;
  title: string;
  conditionText: string;
  exportedBy: string;
  exportedAt: Date;
}): StreamingSheet {
  const exportedAt = formatTime(options.exportedAt);
  return openStreamingSheet({
    output: options.output,
    sheetName: '人员名单',
    titleRows: [
      options.title,
      options.conditionText,
      `导出人：${options.exportedBy}；导出时间：${exportedAt}；证件号码已脱敏`,
    ],
    columns: [{ header: '序号', width: 8 }, ...columns.map(({ header, width }) => ({ header, width }))],
    headerFooter: {
      oddHeader: `&L${options.title}&R导出人：${options.exportedBy}`,
      oddFooter: `&L导出时间：${exportedAt}&R第 &P 页，共 &N 页`,
    },
    properties: {
      title: options.title,
      subject: 'custom-statistics',
      creator: options.exportedBy,
      description: `${options.conditionText}；导出人：${options.exportedBy}；导出时间：${exportedAt}`,
      keywords: '守望 定制化统计',
      created: options.exportedAt,
    },
  });
}
