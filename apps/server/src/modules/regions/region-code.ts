import type { RegionLevel } from '../../db/database.ts';

/** Significant digits of a 12-digit statistical division code at each level. */
export const significantDigits: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

export const regionLevels: RegionLevel[] = ['province', 'city', 'county', 'township', 'village'];

export function isRegionCode(code: string): boolean {
  return /^\d{12}$/.test(code);
}

/** Pads a 2/4/6/9/12-digit code to the 12-digit form. */
export function toRegionCode(shortCode: string): string {
  return shortCode.padEnd(12, '0');
}

export function regionLevelOf(code: string): RegionLevel {
  if (code.endsWith('0000000000')) return 'province';
  if (code.endsWith('00000000')) return 'city';
  if (code.endsWith('000000')) return 'county';
  if (code.endsWith('000')) return 'township';
  return 'village';
}

export interface RegionRange {
  /** Inclusive lower bound. */
  lo: string;
  /** Exclusive upper bound. */
  hi: string;
}

/**
 * All codes below a region form one contiguous range of 12-digit strings, so a scope is
 * `region_code >= lo AND region_code < hi`, which one b-tree index serves at every level.
 */
export function regionRange(code: string, level: RegionLevel = regionLevelOf(code)): RegionRange {
  const digits = significantDigits[level];
  const prefix = code.slice(0, digits);
  const next = (BigInt(prefix) + 1n).toString().padStart(digits, '0');
  return { lo: toRegionCode(prefix), hi: next.length > digits ? '999999999999~' : toRegionCode(next) };
}

/**
 * The codes of the regions above a range's region (province first), and the region's own code when it
 * is not a village: the regions whose work (a province import, a city's rule run) covers the range.
 */
export function coveringRegionCodes(range: RegionRange): string[] {
  return regionLevels.slice(0, -1).map((level) => toRegionCode(range.lo.slice(0, significantDigits[level])));
}

/** The county code of a range at county level or below (for a city or the province, not a county). */
export function countyCodeOf(range: RegionRange): string {
  return toRegionCode(range.lo.slice(0, significantDigits.county));
}

export function isWithinRange(code: string, range: RegionRange): boolean {
  return code >= range.lo && code < range.hi;
}
