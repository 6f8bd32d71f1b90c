import type { Writable } from 'node:stream';
import type { QualityFindingStatus, RegionLevel } from '../../db/database.ts';
import ExcelJS from '../../excel.ts';
import type { Principal } from '../access/principal.ts';
import { regionRange, significantDigits } from '../regions/region-code.ts';
import type { QualityService } from './quality.service.ts';

const statusLabels: Record<string, string> = { open: '未整改', fixed: '已整改', exempted: '已豁免' };
const pageSize = 5000;

/** Beijing time to the minute. */
function minute(date: Date | null): string {
  if (!date) return '';
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(code: string, name: string): string {
  return `${code} ${name}`.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);
}

/**
 * Findings of the caller's scope (or a region of it) as xlsx, one sheet per rule that has any; ID numbers
 * masked. Streams page by page.
 */
export async function writeFindingsXlsx(
  quality: QualityService,
  principal: Principal,
  options: { regionCode?: string; ruleCode?: string; status?: QualityFindingStatus },
  output: Writable,
): Promise<number> {
  const region = options.regionCode ? await quality.resolveRegion(principal, options.regionCode) : undefined;
  const range = region ? regionRange(region.code, region.level) : undefined;
  const rules = (await quality.countByRule(principal, options.regionCode)).filter((rule) => {
    if (options.ruleCode && rule.code !== options.ruleCode) return false;
    const count = options.status ? rule[options.status] : rule.open + rule.fixed + rule.exempted;
    return count > 0;
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  workbook.title = '数据质量问题清单';
  let written = 0;
  if (rules.length === 0) {
    const sheet = workbook.addWorksheet('问题清单');
    sheet.addRow(['没有符合条件的问题记录']).commit();
    sheet.commit();
  }
  for (const rule of rules) {
    const sheet = workbook.addWorksheet(sheetName(rule.code, rule.name), {
      views: [{ state: 'frozen', ySplit: 2 }],
    });
    sheet.columns = [
      { key: 'region', width: 36 },
      { key: 'householdNo', width: 22 },
      { key: 'name', width: 12 },
      { key: 'idNumber', width: 22 },
      { key: 'status', width: 10 },
      { key: 'firstSeen', width: 18 },
      { key: 'lastSeen', width: 18 },
      { key: 'fixed', width: 18 },
      { key: 'exemptUntil', width: 18 },
    ];
    sheet
      .addRow([`${rule.code} ${rule.name}（${rule.scope === 'person' ? '人员规则' : '户规则'}）`])
      .commit();
    const header = sheet.addRow([
      '所在村',
      '户编号',
      rule.scope === 'person' ? '姓名' : '户主',
      '证件号码',
      '状态',
      '首次发现',
      '最近发现',
      '整改时间',
      '豁免至',
    ]);
    header.font = { bold: true };
    header.commit();
    let afterId = '0';
    for (;;) {
      const rows = await quality.findingsPageForExport(principal, {
        region: range,
        ruleCode: rule.code,
        status: options.status,
        afterId,
        limit: pageSize,
      });
      for (const row of rows) {
        sheet
          .addRow([
            row.regionFullName ?? row.regionCode,
            row.householdNo,
            row.personName ?? row.headName ?? '',
            row.idNumber ?? '',
            statusLabels[row.status] ?? row.status,
            minute(row.firstSeenAt),
            minute(row.lastSeenAt),
            minute(row.fixedAt),
            minute(row.exemptUntil),
          ])
          .commit();
      }
      written += rows.length;
      const last = rows.at(-1);
      if (rows.length < pageSize || !last) break;
      afterId = last.id;
    }
    sheet.commit();
  }
  await workbook.commit();
  return written;
}

const percent = (value: number) => Math.round(value * 10_000) / 100;

/**
 * The ranking of a region's children as xlsx: a first sheet with every rule together (quality rate and
 * rectification progress), then one sheet per rule.
 */
export async function writeRankingXlsx(
  quality: QualityService,
  principal: Principal,
  options: { regionCode?: string },
  output: Writable,
): Promise<void> {
  const ranking = await quality.countByRegion(principal, { regionCode: options.regionCode });
  const rules = await quality.listRules();
  const perRule = await quality.countByRuleAndRegion(principal, ranking.region.code);
  const childDigits = ranking.items[0] ? significant(ranking.items[0].code, ranking.items[0].level) : 12;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  workbook.title = '数据质量排名';
  const households = new Map(ranking.items.map((item) => [item.code.slice(0, childDigits), item]));

  const overall = workbook.addWorksheet('全部规则', { views: [{ state: 'frozen', ySplit: 2 }] });
  overall.columns = [
    { width: 30 },
    { width: 12 },
    { width: 12 },
    { width: 14 },
    { width: 12 },
    { width: 12 },
    { width: 14 },
  ];
  overall.addRow([`${ranking.region.name} 数据质量排名（问题户占比越低越好）`]).commit();
  const header = overall.addRow([
    '区划',
    '户数',
    '问题户数',
    '问题户占比(%)',
    '发现问题数',
    '已整改数',
    '整改进度(%)',
  ]);
  header.font = { bold: true };
  header.commit();
  for (const item of [...ranking.items].sort((a, b) => a.qualityRate - b.qualityRate)) {
    overall
      .addRow([
        item.name,
        item.households,
        item.flaggedHouseholds,
        percent(item.qualityRate),
        item.found,
        item.fixed,
        percent(item.rectificationRate),
      ])
      .commit();
  }
  const total = ranking.total;
  overall
    .addRow([
      `合计（${total.name}）`,
      total.households,
      total.flaggedHouseholds,
      percent(total.qualityRate),
      total.found,
      total.fixed,
      percent(total.rectificationRate),
    ])
    .commit();
  overall.commit();

  for (const rule of rules.filter((candidate) => candidate.enabled)) {
    const sheet = workbook.addWorksheet(sheetName(rule.code, rule.name));
    sheet.columns = [
      { width: 30 },
      { width: 12 },
      { width: 12 },
      { width: 14 },
      { width: 12 },
      { width: 12 },
      { width: 14 },
    ];
    const title = sheet.addRow([
      '区划',
      '户数',
      '问题户数',
      '问题户占比(%)',
      '发现问题数',
      '已整改数',
      '整改进度(%)',
    ]);
    title.font = { bold: true };
    title.commit();
    const rows = perRule.filter((row) => row.ruleCode === rule.code);
    const byPrefix = new Map(rows.map((row) => [row.prefix, row]));
    for (const item of ranking.items) {
      const row = byPrefix.get(item.code.slice(0, childDigits));
      const count = households.get(item.code.slice(0, childDigits))?.households ?? 0;
      const flagged = row?.flaggedHouseholds ?? 0;
      const found = row?.found ?? 0;
      const fixed = row?.fixed ?? 0;
      sheet
        .addRow([
          item.name,
          count,
          flagged,
          percent(count > 0 ? flagged / count : 0),
          found,
          fixed,
          percent(found > 0 ? fixed / found : 0),
        ])
        .commit();
    }
    sheet.commit();
  }
  await workbook.commit();
}

function significant(code: string, level: string): number {
  return significantDigits[level as RegionLevel] ?? code.length;
}
