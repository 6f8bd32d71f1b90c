import type { RegionLevel } from '../../db/database.ts';
import type { Principal } from '../access/principal.ts';
import type { MonitoringService } from '../monitoring/monitoring.service.ts';
import type { QualityService } from '../quality/quality.service.ts';
import { dashboardDefinitions, reportDefinitions } from './analytics.reports.ts';
import type { AnalyticsService, ReportRow, ReportView } from './analytics.service.ts';

export interface DashboardQuery {
  regionCode?: string;
  year?: number;
}

export interface CountPair {
  households: number;
  persons: number;
}

export interface StructureItem {
  key: string;
  label: string;
  value: number;
}

export interface Dashboard {
  region: { code: string; name: string; fullName: string; level: RegionLevel };
  path: Array<{ code: string; name: string; level: string }>;
  year: number;
  years: number[];
  referenceDate: string;
  dataDate: Date;
  headline: {
    assisted: CountPair;
    lifted: CountPair;
    monitored: CountPair;
    eliminated: CountPair;
    notEliminated: CountPair;
    identifiedThisYear: CountPair;
    eliminatedThisYear: CountPair;
    /** Null when the caller may not read quality findings. */
    openFindings: number | null;
    /** Open monitoring cases (identification and elimination under way); null without monitoring:read. */
    openCases: number | null;
    overdueCases: number | null;
  };
  /** Monitored households and persons by monitoring category. */
  categories: Array<{ key: string; label: string } & CountPair>;
  /** One entry per month from January 2021 to the reference month; month as YYYY-MM. */
  monthly: Array<{ month: string; identified: CountPair; eliminated: CountPair }>;
  /** Person breakdowns (persons of the assisted population), in report column order. */
  structures: Array<{ key: string; title: string; items: StructureItem[] }>;
  children: Array<{
    regionCode: string;
    regionName: string;
    level: string;
    hasChildren: boolean;
    assisted: CountPair;
    liftedHouseholds: number;
    monitoredHouseholds: number;
    notEliminatedHouseholds: number;
    /** Monitored households as a share of assisted households (0 when there are none). */
    monitoredShare: number;
  }>;
  /** Child regions by quality rate (share of households with an open finding); null when there are no findings. */
  qualityRanking: Array<{
    regionCode: string;
    regionName: string;
    households: number;
    flaggedHouseholds: number;
    qualityRate: number;
    found: number;
    open: number;
    fixed: number;
    rectificationRate: number;
  }> | null;
}

/** Person reports shown as structure charts: each column group `all` (帮扶对象合计) per value. */
const structureReports = ['age', 'health', 'education'] as const;

/** Reads a report view's cells by column key. */
function cellReader(view: ReportView) {
  const index = new Map(view.columns.map((column, position) => [column.key, position]));
  return (row: ReportRow, key: string): number => {
    const position = index.get(key);
    if (position === undefined) throw new Error(`report ${view.report.name} has no column ${key}`);
    return row.values[position] ?? 0;
  };
}

/** YYYYMM column keys of a monthly view, in order, with their households/persons. */
function months(view: ReportView): Map<string, CountPair> {
  const cell = cellReader(view);
  const result = new Map<string, CountPair>();
  for (const column of view.columns) {
    const [value, measure] = column.key.split('.');
    if (!value || value === 'all' || measure !== 'households') continue;
    result.set(value, {
      households: cell(view.totals, `${value}.households`),
      persons: cell(view.totals, `${value}.persons`),
    });
  }
  return result;
}

/**
 * 综合展示: one region and year at a glance. Every registry number is a cell of a standard report
 * (the same cube, the same column definitions), so the dashboard and the reports always agree; findings
 * and cases come from the quality and monitoring services.
 */
export class DashboardService {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly quality: QualityService,
    private readonly monitoring: MonitoringService,
  ) {}

  async getDashboard(principal: Principal, query: DashboardQuery): Promise<Dashboard> {
    const regionCode = query.regionCode ?? principal.regionCode;
    const canReadQuality = principal.permissions.has('quality:read');
    const canReadMonitoring = principal.permissions.has('monitoring:read');
    // All three refuse a region outside the caller's scope alike (404, as for a missing region).
    const [views, quality, progress] = await Promise.all([
      this.analytics.getViews(
        principal,
        { regionCode, year: query.year },
        [
          reportDefinitions.population,
          reportDefinitions['monthly-new'],
          dashboardDefinitions['monthly-eliminated'],
          ...structureReports.map((name) => reportDefinitions[name]),
        ],
        new Set(['population']),
      ),
      canReadQuality ? this.quality.countByRegion(principal, { regionCode }) : Promise.resolve(null),
      canReadMonitoring ? this.monitoring.progress(principal, regionCode) : Promise.resolve(null),
    ]);
    const [population, monthlyNew, monthlyEliminated, ...structureViews] = views;
    if (!population || !monthlyNew || !monthlyEliminated) throw new Error('dashboard views missing');

    const cell = cellReader(population);
    const pair = (row: ReportRow, key: string): CountPair => ({
      households: cell(row, `${key}.households`),
      persons: cell(row, `${key}.persons`),
    });
    const totals = population.totals;
    const year = population.filters.year;

    const identified = months(monthlyNew);
    const eliminated = months(monthlyEliminated);
    const sumYear = (series: Map<string, CountPair>): CountPair => {
      const sum = { households: 0, persons: 0 };
      for (const [month, counts] of series) {
        if (!month.startsWith(String(year))) continue;
        sum.households += counts.households;
        sum.persons += counts.persons;
      }
      return sum;
    };
    const zero = { households: 0, persons: 0 };

    const categoryColumns = population.columns.filter(
      (column) => column.key.startsWith('category_') && column.measure === 'households',
    );
    const structures = structureViews.map((view) => {
      const viewCell = cellReader(view);
      return {
        key: view.report.name,
        title: view.report.title,
        items: view.columns
          .filter((column) => column.key.endsWith('.all'))
          .map((column) => ({
            key: column.key.slice(0, -'.all'.length),
            label: column.path[0] ?? column.key,
            value: viewCell(view.totals, column.key),
          })),
      };
    });

    const hasFindings = quality !== null && quality.total.found > 0 && population.rows.length > 0;
    return {
      region: population.region as Dashboard['region'],
      path: population.path,
      year,
      years: population.years,
      referenceDate: population.referenceDate,
      dataDate: population.dataDate,
      headline: {
        assisted: pair(totals, 'all'),
        lifted: pair(totals, 'lifted'),
        monitored: pair(totals, 'monitored'),
        eliminated: pair(totals, 'monitored_eliminated'),
        notEliminated: pair(totals, 'monitored_not_eliminated'),
        identifiedThisYear: sumYear(identified),
        eliminatedThisYear: sumYear(eliminated),
        openFindings: quality ? quality.total.open : null,
        openCases: progress ? progress.items.reduce((sum, item) => sum + item.open, 0) : null,
        overdueCases: progress ? progress.items.reduce((sum, item) => sum + item.overdue, 0) : null,
      },
      categories: categoryColumns.map((column) => {
        const key = column.key.slice(0, -'.households'.length);
        return { key: key.slice('category_'.length), label: column.path[1] ?? key, ...pair(totals, key) };
      }),
      monthly: [...identified.keys()].map((month) => ({
        month: `${month.slice(0, 4)}-${month.slice(4)}`,
        identified: identified.get(month) ?? zero,
        eliminated: eliminated.get(month) ?? zero,
      })),
      structures,
      children: population.rows.map((row) => {
        const assisted = pair(row, 'all');
        const monitoredHouseholds = cell(row, 'monitored.households');
        return {
          regionCode: row.regionCode,
          regionName: row.regionName,
          level: row.level,
          hasChildren: row.hasChildren,
          assisted,
          liftedHouseholds: cell(row, 'lifted.households'),
          monitoredHouseholds,
          notEliminatedHouseholds: cell(row, 'monitored_not_eliminated.households'),
          monitoredShare: assisted.households > 0 ? monitoredHouseholds / assisted.households : 0,
        };
      }),
      qualityRanking: hasFindings
        ? quality.items
            .map((item) => ({
              regionCode: item.code,
              regionName: item.name,
              households: item.households,
              flaggedHouseholds: item.flaggedHouseholds,
              qualityRate: item.qualityRate,
              found: item.found,
              open: item.open,
              fixed: item.fixed,
              rectificationRate: item.rectificationRate,
            }))
            .sort((a, b) => a.qualityRate - b.qualityRate || b.rectificationRate - a.rectificationRate)
        : null,
    };
  }
}
