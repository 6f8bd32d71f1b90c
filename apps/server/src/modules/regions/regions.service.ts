import type pg from 'pg';
import type { DB } from '../../db/connection.ts';
import type { Principal } from '../access/principal.ts';
import { isRegionCode } from './region-code.ts';
import { regionErrors } from './regions.errors.ts';
import { loadProvinceRegions, type RegionLoadProgress, type RegionLoadResult } from './regions.loader.ts';
import { type RegionRecord, RegionsRepository } from './regions.repository.ts';

type Caller = Pick<Principal, 'scope'>;

export class RegionsService {
  private readonly repository: RegionsRepository;

  constructor(
    db: DB,
    private readonly pool: pg.Pool,
  ) {
    this.repository = new RegionsRepository(db);
  }

  /** A region inside the caller's scope; outside it answers exactly like a missing code. */
  async getOrThrow(caller: Caller, code: string): Promise<RegionRecord> {
    if (!isRegionCode(code)) throw regionErrors.invalidCode(code);
    const region = await this.repository.getByCode({ code, scope: caller.scope });
    if (!region) throw regionErrors.notFound(code);
    return region;
  }

  async listChildren(caller: Caller, code: string): Promise<RegionRecord[]> {
    await this.getOrThrow(caller, code);
    return this.repository.listChildren({ parentCode: code, scope: caller.scope });
  }

  async listPath(caller: Caller, code: string) {
    await this.getOrThrow(caller, code);
    return this.repository.listPath(code);
  }

  async search(caller: Caller, text: string, limit: number): Promise<RegionRecord[]> {
    const trimmed = text.trim();
    if (!trimmed) return [];
    return this.repository.search({ text: trimmed, scope: caller.scope, limit });
  }

  async countByLevel(): Promise<Record<string, number>> {
    return this.repository.countByLevel();
  }

  async loadProvince(
    provinceCode: string,
    onProgress?: (progress: RegionLoadProgress) => void,
  ): Promise<RegionLoadResult> {
    return loadProvinceRegions(this.pool, provinceCode, onProgress);
  }
}
