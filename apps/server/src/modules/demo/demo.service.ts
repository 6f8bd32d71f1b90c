import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DB } from '../../db/connection.ts';
import type { Principal } from '../access/principal.ts';
import type { ExchangeService, ImportProgress, ImportSummary } from '../exchange/exchange.service.ts';
import { isWithinRange, regionRange, toRegionCode } from '../regions/region-code.ts';
import { demoErrors } from './demo.errors.ts';
import { type DefectMode, type DemoScale, defaultHouseholdTarget } from './demo.generator.ts';
import { DemoRepository } from './demo.repository.ts';
import type { DemoVillage } from './demo-model.ts';
import {
  type CsvEncoding,
  type NationalFileFormat,
  type WriteNationalFileResult,
  writeNationalFile,
} from './national-file-writer.ts';

/** The county the demo seeds by default: the one the demo accounts sit in (see auth/demo-users.ts). */
const preferredDemoCounty: Record<string, string> = { '41': '410225' };

export interface DemoPlanOptions {
  scale: DemoScale;
  /** A 6-digit county (county scale) or 4-digit city (city scale); default: the demo county and its city. */
  region?: string;
}

export interface DemoPlan {
  scale: DemoScale;
  regionCode: string;
  regionName: string;
  villages: DemoVillage[];
  households: number;
}

export interface DemoFileOptions extends DemoPlanOptions {
  file: string;
  seed: number;
  defects: DefectMode;
  format?: NationalFileFormat;
  encoding?: CsvEncoding;
  year?: number;
  households?: number;
  monitoringLine?: number;
  onProgress?: (progress: { households: number; persons: number }) => void;
}

export interface DemoSeedOptions extends Omit<DemoFileOptions, 'file' | 'format' | 'encoding'> {
  principal: Principal;
  onImportProgress?: (progress: ImportProgress) => void;
}

export interface DemoDependencies {
  db: DB;
  /** 2-digit code of the configured province. */
  province: string;
  /** The national import; without it the service only writes files. */
  exchange?: Pick<ExchangeService, 'importNationalFile'>;
}

/**
 * Demo data for real villages of the configured province: written as a national sync export, and
 * seeded into the registry through the real import (app.exchange), so the demo shows that path.
 */
export class DemoService {
  private readonly repository: DemoRepository;

  constructor(private readonly dependencies: DemoDependencies) {
    this.repository = new DemoRepository(dependencies.db);
  }

  /** The region and villages of a scale (region tree only; nothing about households). */
  async plan(options: DemoPlanOptions): Promise<DemoPlan> {
    const province = this.dependencies.province;
    const provinceRange = regionRange(toRegionCode(province), 'province');
    let regionCode: string;
    if (options.scale === 'province') {
      regionCode = toRegionCode(province);
    } else {
      const county = await this.demoCountyCode(options.region, provinceRange);
      regionCode = toRegionCode(options.scale === 'county' ? county.slice(0, 6) : county.slice(0, 4));
    }
    const region = await this.repository.getRegion(regionCode);
    if (!region || !isWithinRange(regionCode, provinceRange)) throw demoErrors.regionNotFound(regionCode);
    const range = regionRange(regionCode);
    let villages = await this.repository.listVillages({ range, committeesOnly: true });
    if (villages.length === 0)
      villages = await this.repository.listVillages({ range, committeesOnly: false });
    if (villages.length === 0) throw demoErrors.noVillages(regionCode);
    return {
      scale: options.scale,
      regionCode,
      regionName: region.fullName,
      villages,
      households: defaultHouseholdTarget(options.scale, villages.length),
    };
  }

  /** Writes the export file only. */
  async writeFile(options: DemoFileOptions): Promise<WriteNationalFileResult & { regionName: string }> {
    const plan = await this.plan(options);
    const result = await writeNationalFile({
      file: options.file,
      scale: options.scale,
      villages: plan.villages,
      households: options.households ?? plan.households,
      seed: options.seed,
      defects: options.defects,
      format: options.format,
      encoding: options.encoding,
      year: options.year,
      monitoringLine: options.monitoringLine,
      regionName: plan.regionName,
      onProgress: options.onProgress,
    });
    return { ...result, regionName: plan.regionName };
  }

  /** Writes a temporary CSV and imports it as a national sync by the principal; the file is removed after. */
  async seed(
    options: DemoSeedOptions,
  ): Promise<{ file: WriteNationalFileResult & { regionName: string }; summary: ImportSummary }> {
    const exchange = this.dependencies.exchange;
    if (!exchange) throw demoErrors.importUnavailable();
    const directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-demo-'));
    try {
      const fileName = `演示数据-${options.scale}-${options.seed}.csv`;
      const file = await this.writeFile({ ...options, file: path.join(directory, fileName), format: 'csv' });
      const summary = await exchange.importNationalFile({
        filePath: file.file,
        fileName,
        principal: options.principal,
        year: options.year,
        onProgress: options.onImportProgress,
      });
      return { file, summary };
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  /** True when the configured province has no household yet (first start). */
  async registryIsEmpty(): Promise<boolean> {
    const provinceRange = regionRange(toRegionCode(this.dependencies.province), 'province');
    return !(await this.repository.hasAnyHousehold(provinceRange));
  }

  private async demoCountyCode(
    region: string | undefined,
    provinceRange: { lo: string; hi: string },
  ): Promise<string> {
    if (region !== undefined) {
      if (!/^\d{4}$|^\d{6}$/.test(region))
        throw demoErrors.invalidOption('--region', '4 位市级或 6 位县级代码');
      if (region.length === 6) return region;
      const county = await this.repository.firstRuralCountyCode(regionRange(toRegionCode(region), 'city'));
      return county ?? region;
    }
    const preferred = preferredDemoCounty[this.dependencies.province];
    if (preferred && (await this.repository.getRegion(toRegionCode(preferred)))) return preferred;
    const first = await this.repository.firstRuralCountyCode(provinceRange);
    if (!first) throw demoErrors.noVillages(provinceRange.lo);
    return first;
  }
}
