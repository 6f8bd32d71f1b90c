import type { Writable } from 'node:stream';
import { beijingToday } from '@shouwang/domain';
import type { DB } from '../../db/connection.ts';
import type { RegionLevel } from '../../db/database.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  isWithinRange,
  type RegionRange,
  regionLevels,
  regionRange,
  significantDigits,
} from '../regions/region-code.ts';
import type { RegionsService } from '../regions/regions.service.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { analyticsErrors } from './analytics.errors.ts';
import { writeReportXlsx } from './analytics.export.ts';
import {
  householdTypeFilters,
  monitoredFilters,
  type ReportColumn,
  type ReportDefinition,
  type ReportName,
  reportDefinitions,
  reportNames,
  type Slice,
} from './analytics.reports.ts';
import { AnalyticsRepository, type CubeRow, type RefreshRecord } from './analytics.repository.ts';

type Caller = Pick<Principal, 'scope'>;

export interface ReportQuery {
  report: string;
  regionCode: string;
  year?: number;
  householdType?: string;
  monitored?: string;
  eliminationYear?: number;
}

export interface ReportRow {
  regionCode: string;
  regionName: string;
  level: RegionLevel;
  hasChildren: boolean;
  values: number[];
}

export interface ReportView {
  report: {
    name: ReportDefinition['name'];
    title: string;
    description: string;
    eliminationYearFilter: boolean;
  };
  region: { code: string; name: string; fullName: string; level: RegionLevel };
  /** Ancestors within the caller's scope, then the region itself: the breadcrumb. */
  path: Array<{ code: string; name: string; level: string }>;
  filters: {
    year: number;
    householdType: string | null;
    monitored: string | null;
    eliminationYear: number | null;
  };
  /** The filters as one line of zh-CN text, for titles. */
  filterText: string;
  years: number[];
  eliminationYears: number[];
  /** YYYY-MM-DD: ages and month counts are taken at this date. */
  referenceDate: string;
  /** When the numbers were taken from the registry: the cube's last refresh, or now for a live view. */
  dataDate: Date;
  columns: Array<Pick<ReportColumn, 'key' | 'path' | 'measure'>>;
  rows: ReportRow[];
  totals: ReportRow;
}

export interface RefreshResult {
  years: number[];
  referenceDates: Record<string, string>;
  cubeRows: number;
  milliseconds: number;
  /** The counties recomputed, when only they were (see `refresh`). */
  counties?: string[];
}

/** Reference date of a statistics year: the setting (or today) for the current year, else 31 December. */
export function referenceDateOf(year: number, currentYear: number, setting: string, today: string): string {
  if (year < currentYear) return `${year}-12-31`;
  return setting.startsWith(`${year}-`) ? setting : today;
}

function matches(slice: Slice, row: CubeRow): boolean {
  return (
    (!slice.lifted || slice.lifted.includes(row.liftedStatus)) &&
    (!slice.monitored || slice.monitored.includes(row.monitoredStatus)) &&
    (!slice.categories || slice.categories.includes(row.monitoringCategory)) &&
    (!slice.values || slice.values.includes(row.value))
  );
}

/** Adds the cube rows of one region into the report's columns. */
export function sumColumns(columns: ReportColumn[], rows: CubeRow[]): number[] {
  const values = columns.map(() => 0);
  for (const row of rows) {
    columns.forEach((column, index) => {
      if (matches(column.slice, row)) values[index] = (values[index] ?? 0) + row[column.measure];
    });
  }
  return values;
}

/** The region's own rows and its children's by dimension, as `getViews` reads them once for several definitions. */
type PreloadedRows = { own: Map<string, CubeRow[]>; children: Map<string, CubeRow[]> };

/** The cube stops at townships: a township or village is counted live from the registry. */
const isLive = (level: RegionLevel) => level === 'township' || level === 'village';

function childLevelOf(level: RegionLevel): RegionLevel | undefined {
  return regionLevels[regionLevels.indexOf(level) + 1];
}

/** Beyond this many counties (a city's or a province's import) a full rebuild is as quick. */
const partialRefreshCountyLimit = 30;

function sameReferenceDates(left: Record<string, string>, right: Record<string, string>): boolean {
  const keys = Object.keys(right);
  return Object.keys(left).length === keys.length && keys.every((key) => left[key] === right[key]);
}

/**
 * The standard reports: answers (report, region, filters) with one row per child region and the
 * totals row of the region itself, from the pre-aggregated cube; refreshes the cube; exports a view.
 */
export class AnalyticsService {
  private readonly repository: AnalyticsRepository;

  constructor(
    db: DB,
    private readonly regions: RegionsService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
  ) {
    this.repository = new AnalyticsRepository(db);
  }

  definitionOrThrow(name: string): ReportDefinition {
    if (!(reportNames as readonly string[]).includes(name)) throw analyticsErrors.unknownReport(name);
    return reportDefinitions[name as ReportName];
  }

  /**
   * Brings the cube up to the registry (set-based, one transaction). With `counties` (after an import
   * of a few counties) only their rows and the rows above them are recomputed, when the cube was built
   * for the same years and reference dates; otherwise the whole cube is rebuilt.
   */
  async refresh(
    trigger: 'import' | 'edit' | 'cli' | 'api' | 'test' = 'cli',
    options: { counties?: string[] } = {},
  ): Promise<RefreshResult> {
    const startedAt = new Date();
    const today = beijingToday(startedAt);
    const currentYear = Number(today.slice(0, 4));
    const setting = await this.settings.get('statisticsDate');
    const years = [...new Set([...(await this.repository.listIncomeYears(currentYear)), currentYear])].sort();
    const referenceDates = Object.fromEntries(
      years.map((year) => [String(year), referenceDateOf(year, currentYear, String(setting), today)]),
    );
    const dates = years.map((year) => referenceDates[String(year)] as string);
    const counties = options.counties ?? [];
    const latest = counties.length > 0 ? await this.repository.getLatestRefresh() : undefined;
    const partial =
      latest !== undefined &&
      counties.length <= partialRefreshCountyLimit &&
      sameReferenceDates(latest.referenceDates, referenceDates);
    const cubeRows = partial
      ? await this.repository.refreshCounties({ years, referenceDates: dates, counties })
      : await this.repository.rebuild({ years, referenceDates: dates });
    const milliseconds = Date.now() - startedAt.getTime();
    await this.repository.recordRefresh({ startedAt, trigger, referenceDates, cubeRows, milliseconds });
    return { years, referenceDates, cubeRows, milliseconds, counties: partial ? counties : undefined };
  }

  /** The counties (6 digits) of some households, for a refresh after their edit. */
  async countiesOfHouseholds(householdIds: string[]): Promise<string[]> {
    return householdIds.length === 0 ? [] : this.repository.listCountiesOfHouseholds(householdIds);
  }

  async latestRefresh(): Promise<RefreshRecord | undefined> {
    return this.repository.getLatestRefresh();
  }

  async getReport(caller: Caller, query: ReportQuery): Promise<ReportView> {
    const definition = this.definitionOrThrow(query.report);
    const context = await this.resolveView(caller, query);
    return this.readView(caller, context, definition, query);
  }

  /**
   * Several breakdowns of one region and year in one go (the dashboard): the region, its children and
   * the year are resolved once, then each definition is read like a report. Children are read only for
   * the definitions named in `withChildren`.
   */
  async getViews(
    caller: Caller,
    query: { regionCode: string; year?: number },
    definitions: ReportDefinition[],
    withChildren: ReadonlySet<string> = new Set(),
  ): Promise<ReportView[]> {
    const context = await this.resolveView(caller, query);
    const { region, year, referenceDate } = context;
    // One read per level for all the definitions, not one each. From the cube: the region's own rows for
    // every dimension, its children's only where asked. Counted live (a township or village): one pass
    // at the child level, whose rows partition the region's households, so they also add up to its own.
    const dimensions = definitions.map((definition) => definition.dimension);
    const childDimensions = definitions
      .filter((definition) => withChildren.has(definition.name))
      .map((definition) => definition.dimension);
    const range = regionRange(region.code, region.level);
    const childLevel = childLevelOf(region.level);
    let own: Array<CubeRow & { dimension: string }>;
    let children: Array<CubeRow & { dimension: string }>;
    if (isLive(region.level)) {
      const level = childLevel && context.children.length > 0 ? childLevel : region.level;
      children = await this.repository.readLive({
        scope: caller.scope,
        year,
        referenceDate,
        dimensions,
        digits: significantDigits[level],
        range,
      });
      own = children.map((row) => ({ ...row, regionCode: region.code }));
    } else {
      const needsChildren = childLevel && context.children.length > 0 && childDimensions.length > 0;
      [own, children] = await Promise.all([
        this.repository.read({ scope: caller.scope, year, dimensions, level: region.level, range }),
        needsChildren
          ? this.repository.read({
              scope: caller.scope,
              year,
              dimensions: childDimensions,
              level: childLevel,
              range,
            })
          : Promise.resolve([]),
      ]);
    }
    const byDimension = (rows: Array<CubeRow & { dimension: string }>) => {
      const map = new Map<string, CubeRow[]>();
      for (const row of rows) {
        const list = map.get(row.dimension) ?? [];
        list.push(row);
        map.set(row.dimension, list);
      }
      return map;
    };
    const preloaded: PreloadedRows = { own: byDimension(own), children: byDimension(children) };
    return Promise.all(
      definitions.map((definition) =>
        this.readView(
          caller,
          context,
          definition,
          { ...query, children: withChildren.has(definition.name) },
          preloaded,
        ),
      ),
    );
  }

  /** The cube's years, the chosen year's reference date, the region (inside the scope), its children and path. */
  private async resolveView(caller: Caller, query: { regionCode: string; year?: number }) {
    const refresh = await this.repository.getLatestRefresh();
    if (!refresh) throw analyticsErrors.notRefreshed();
    const years = Object.keys(refresh.referenceDates).map(Number).sort();
    const year = query.year ?? years.at(-1) ?? Number(beijingToday().slice(0, 4));
    const referenceDate = refresh.referenceDates[String(year)];
    if (!referenceDate) throw analyticsErrors.invalidFilter('year', `可选的统计年度为 ${years.join('、')}`);
    // The region must be inside the caller's scope (404 otherwise, like a missing code).
    const region = await this.regions.getOrThrow(caller, query.regionCode);
    const [children, ancestors] = await Promise.all([
      region.childCount > 0 ? this.regions.listChildren(caller, region.code) : Promise.resolve([]),
      this.regions.listPath(caller, region.code),
    ]);
    const path = ancestors
      .filter((item) => isWithinRange(item.code, caller.scope))
      .map((item) => ({ code: item.code, name: item.name, level: item.level }));
    return { refresh, years, year, referenceDate, region, children, path };
  }

  private async readView(
    caller: Caller,
    context: Awaited<ReturnType<AnalyticsService['resolveView']>>,
    definition: ReportDefinition,
    query: Omit<ReportQuery, 'report' | 'regionCode' | 'year'> & { children?: boolean },
    /** Rows already read for this region (its own and its children's), by dimension; unfiltered. */
    preloaded?: PreloadedRows,
  ): Promise<ReportView> {
    const { refresh, years, year, referenceDate, region, path } = context;
    const children = query.children === false ? [] : context.children;
    const householdType = query.householdType ? householdTypeFilters[query.householdType] : undefined;
    if (query.householdType && !householdType) {
      throw analyticsErrors.invalidFilter('householdType', Object.keys(householdTypeFilters).join(' | '));
    }
    const monitored = query.monitored ? monitoredFilters[query.monitored] : undefined;
    if (query.monitored && !monitored) {
      throw analyticsErrors.invalidFilter('monitored', Object.keys(monitoredFilters).join(' | '));
    }
    const eliminationYear = definition.eliminationYearFilter ? query.eliminationYear : undefined;

    const referenceMonth = Number(referenceDate.slice(0, 4)) * 100 + Number(referenceDate.slice(5, 7));
    const columns = definition.columns({ referenceMonth });
    const common = {
      scope: caller.scope,
      year,
      lifted: householdType?.lifted,
      monitored: monitored?.monitored,
      period: eliminationYear === undefined ? undefined : String(eliminationYear),
    };
    const ownRange: RegionRange = regionRange(region.code, region.level);
    const childLevel = childLevelOf(region.level);
    // A township or village is read live from the registry (the cube stops at townships).
    const live = isLive(region.level);
    const read = async (level: RegionLevel): Promise<CubeRow[]> => {
      if (preloaded && !common.lifted && !common.monitored && common.period === undefined) {
        const rows = level === region.level ? preloaded.own : preloaded.children;
        return rows.get(definition.dimension) ?? [];
      }
      const dimensions = [definition.dimension];
      return live
        ? this.repository.readLive({
            ...common,
            dimensions,
            referenceDate,
            digits: significantDigits[level],
            range: ownRange,
          })
        : this.repository.read({ ...common, dimensions, level, range: ownRange });
    };
    const [childRows, ownRows, eliminationYears] = await Promise.all([
      childLevel && children.length > 0 ? read(childLevel) : Promise.resolve([]),
      read(region.level),
      definition.eliminationYearFilter
        ? this.repository.listPeriods({ year, dimension: definition.dimension })
        : Promise.resolve([]),
    ]);
    const rowsByRegion = new Map<string, CubeRow[]>();
    for (const row of childRows) {
      const list = rowsByRegion.get(row.regionCode) ?? [];
      list.push(row);
      rowsByRegion.set(row.regionCode, list);
    }
    const rows: ReportRow[] = children.map((child) => ({
      regionCode: child.code,
      regionName: child.name,
      level: child.level,
      hasChildren: child.childCount > 0,
      values: sumColumns(columns, rowsByRegion.get(child.code) ?? []),
    }));
    const totals: ReportRow = {
      regionCode: region.code,
      regionName: region.name,
      level: region.level,
      hasChildren: region.childCount > 0,
      values: sumColumns(
        columns,
        ownRows.filter((row) => row.regionCode === region.code),
      ),
    };
    const filterText = [
      `统计年度：${year}`,
      `户类型：${householdType?.label ?? '全部'}`,
      `监测对象：${monitored?.label ?? '全部'}`,
      ...(definition.eliminationYearFilter
        ? [`消除年度：${eliminationYear === undefined ? '全部' : eliminationYear}`]
        : []),
    ].join('；');
    return {
      report: {
        name: definition.name,
        title: definition.title,
        description: definition.description,
        eliminationYearFilter: definition.eliminationYearFilter ?? false,
      },
      region: { code: region.code, name: region.name, fullName: region.fullName, level: region.level },
      path,
      filters: {
        year,
        householdType: query.householdType ?? null,
        monitored: query.monitored ?? null,
        eliminationYear: eliminationYear ?? null,
      },
      filterText,
      years,
      eliminationYears: eliminationYears.map(Number),
      referenceDate,
      dataDate: live ? new Date() : refresh.finishedAt,
      columns: columns.map(({ key, path: headerPath, measure }) => ({ key, path: headerPath, measure })),
      rows,
      totals,
    };
  }

  /** Writes a report view as xlsx exactly as the screen shows it; the export is audited first. */
  async exportView(
    caller: Principal,
    view: ReportView,
    options: { output: Writable; ip?: string | null },
  ): Promise<void> {
    await this.audit.record({
      action: 'analytics.export',
      actor: caller.userId ? caller : null,
      actorUsername: caller.userId ? undefined : caller.username,
      ip: options.ip ?? null,
      targetType: 'report',
      targetId: view.report.name,
      regionCode: view.region.code,
      outcome: 'success',
      detail: { report: view.report.name, region: view.region.code, filters: view.filters },
    });
    await writeReportXlsx(view, {
      output: options.output,
      exportedBy: `${caller.displayName}（${caller.username}）`,
    });
  }
}
