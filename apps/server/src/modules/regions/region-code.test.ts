import { describe, expect, it } from 'vitest';
import { isWithinRange, regionLevelOf, regionRange, toRegionCode } from './region-code.ts';

describe('regionRange', () => {
  it('covers exactly the codes below a county', () => {
    const range = regionRange('410225000000');
    expect(range).toEqual({ lo: '410225000000', hi: '410226000000' });
    expect(isWithinRange('410225101200', range)).toBe(true);
    expect(isWithinRange('410226000000', range)).toBe(false);
    expect(isWithinRange('410224999999', range)).toBe(false);
  });

  it('covers a province, a city, a township and a single village', () => {
    expect(regionRange('410000000000')).toEqual({ lo: '410000000000', hi: '420000000000' });
    expect(regionRange('410200000000')).toEqual({ lo: '410200000000', hi: '410300000000' });
    expect(regionRange('410225101000')).toEqual({ lo: '410225101000', hi: '410225102000' });
    expect(regionRange('410225101200')).toEqual({ lo: '410225101200', hi: '410225101201' });
  });

  it('carries into the next digit without losing the padding', () => {
    expect(regionRange('410199000000')).toEqual({ lo: '410199000000', hi: '410200000000' });
    expect(regionRange('410225109000')).toEqual({ lo: '410225109000', hi: '410225110000' });
  });
});

describe('regionLevelOf', () => {
  it('reads the level from the trailing zeros', () => {
    expect(regionLevelOf('410000000000')).toBe('province');
    expect(regionLevelOf('410200000000')).toBe('city');
    expect(regionLevelOf('410225000000')).toBe('county');
    expect(regionLevelOf('410225101000')).toBe('township');
    expect(regionLevelOf('410225101200')).toBe('village');
  });

  it('pads short codes', () => {
    expect(toRegionCode('4102')).toBe('410200000000');
  });
});
