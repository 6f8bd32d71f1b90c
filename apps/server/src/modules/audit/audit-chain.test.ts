import { describe, expect, it } from 'vitest';
import { chainHash, genesisHash } from './audit-chain.ts';

const entry = {
  id: '1',
  occurredAt: new Date('2026-11-23T08:00:00.123Z'),
  actorUserId: '7',
  actorUsername: 'county',
  regionCode: '410225000000',
  ip: '127.0.0.1',
  action: 'users.create',
  targetType: 'user',
  targetId: '9',
  outcome: 'success' as const,
  detail: { roles: ['village_user'], username: 'v1' },
};

describe('chainHash', () => {
  it('is a 64-hex SM3 digest that ignores key order in the detail', () => {
    const hash = chainHash(genesisHash, entry);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(genesisHash, { ...entry, detail: { username: 'v1', roles: ['village_user'] } })).toBe(
      hash,
    );
  });

  it('changes with the previous hash and with any field', () => {
    const hash = chainHash(genesisHash, entry);
    expect(chainHash('1'.repeat(64), entry)).not.toBe(hash);
    expect(chainHash(genesisHash, { ...entry, outcome: 'failure' })).not.toBe(hash);
    expect(chainHash(genesisHash, { ...entry, detail: { ...entry.detail, username: 'v2' } })).not.toBe(hash);
  });

  it('matches the SM3 test vector of GB/T 32905 through node crypto', async () => {
    const { createHash } = await import('node:crypto');
    expect(createHash('sm3').update('abc').digest('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });
});
