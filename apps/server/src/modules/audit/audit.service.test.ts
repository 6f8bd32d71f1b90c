import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { AuditRepository } from './audit.repository.ts';

let harness: TestApp;

beforeAll(async () => {
  harness = await createTestApp();
});
afterAll(async () => {
  await harness?.close();
});

/** Runs SQL as an intruder with direct database access: triggers off, so the append-only guard is bypassed. */
async function tamper(statement: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: harness.database.url });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    await client.query(statement, values);
  } finally {
    await client.end();
  }
}

async function resetChain() {
  await tamper('DELETE FROM audit_log');
  await tamper(
    `UPDATE audit_chain_head SET last_id = NULL, last_hash = repeat('0', 64), anchor_id = NULL, anchor_prev_hash = repeat('0', 64)`,
  );
}

async function recordEntries(count: number) {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const row = await harness.app.audit.record({
      action: 'test.event',
      actorUsername: 'tester',
      outcome: 'success',
      regionCode: regions.lankao,
      detail: { index, note: `第 ${index} 条` },
    });
    ids.push(row.id);
  }
  return ids;
}

describe('AuditService', () => {
  beforeEach(resetChain);

  it('verifies an intact chain', async () => {
    await recordEntries(5);
    expect(await harness.app.audit.verify()).toEqual({
      ok: true,
      checked: 5,
      firstBrokenId: null,
      reason: null,
    });
  });

  it('refuses UPDATE and DELETE through the append-only trigger', async () => {
    await recordEntries(1);
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(harness.database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log`.execute(harness.database.db)).rejects.toThrow(/append-only/);
  });

  it('finds a row whose content was changed', async () => {
    const ids = await recordEntries(5);
    await tamper(`UPDATE audit_log SET detail = '{"index": 99}' WHERE id = $1`, [ids[2]]);
    expect(await harness.app.audit.verify()).toMatchObject({ ok: false, checked: 2, firstBrokenId: ids[2] });
  });

  it('finds a row that was deleted from the middle', async () => {
    const ids = await recordEntries(5);
    await tamper('DELETE FROM audit_log WHERE id = $1', [ids[1]]);
    const result = await harness.app.audit.verify();
    expect(result).toMatchObject({ ok: false, firstBrokenId: ids[2] });
    expect(result.reason).toContain('前序哈希');
  });

  it('finds a forged row slipped in between two rows, even with a correct hash of its own', async () => {
    const [first] = await recordEntries(1);
    const gapId = String(Number(first) + 1);
    await sql`SELECT nextval('audit_log_id_seq')`.execute(harness.database.db);
    const [, next] = [first, ...(await recordEntries(1))];
    const head = await new AuditRepository(harness.database.db).listChainBatch({ afterId: null, limit: 1 });
    const { chainHash } = await import('./audit-chain.ts');
    const forged = {
      id: gapId,
      occurredAt: new Date(),
      actorUserId: null,
      actorUsername: 'intruder',
      regionCode: regions.lankao,
      ip: null,
      action: 'test.forged',
      targetType: null,
      targetId: null,
      outcome: 'success' as const,
      detail: {},
    };
    const hash = chainHash(head[0]?.hash ?? '', forged);
    await tamper(
      `INSERT INTO audit_log (id, occurred_at, actor_username, region_code, action, outcome, detail, prev_hash, hash)
       VALUES ($1, $2, 'intruder', $3, 'test.forged', 'success', '{}', $4, $5)`,
      [gapId, forged.occurredAt, regions.lankao, head[0]?.hash, hash],
    );
    expect(await harness.app.audit.verify()).toMatchObject({ ok: false, firstBrokenId: next });
  });

  it('finds rows removed from the end of the chain', async () => {
    const ids = await recordEntries(3);
    await tamper('DELETE FROM audit_log WHERE id = $1', [ids[2]]);
    expect(await harness.app.audit.verify()).toMatchObject({ ok: false, firstBrokenId: ids[2] });
  });

  it('drops months past the retention and keeps verifying from the new anchor', async () => {
    const repository = new AuditRepository(harness.database.db);
    const old = new Date(Date.UTC(2025, 0, 15));
    await repository.ensureMonthPartition(old);
    await harness.database.db.transaction().execute(async (trx) => {
      for (let index = 0; index < 3; index += 1) {
        await repository.append(trx, {
          occurredAt: old,
          actorUserId: null,
          actorUsername: 'tester',
          regionCode: regions.lankao,
          ip: null,
          action: 'test.old',
          targetType: null,
          targetId: null,
          outcome: 'success',
          detail: { index },
        });
      }
    });
    const recent = await recordEntries(2);
    const dropped = await harness.app.audit.prune(12);
    expect(dropped).toContain('audit_log_y2025m01');
    expect(await harness.app.audit.verify()).toMatchObject({ ok: true, checked: 2 });
    // Retention never goes below six months.
    expect(await harness.app.audit.prune(1)).toEqual([]);
    await tamper('DELETE FROM audit_log WHERE id = $1', [recent[0]]);
    expect(await harness.app.audit.verify()).toMatchObject({ ok: false });
  });

  it('scopes the search to the caller’s region', async () => {
    await recordEntries(2);
    await harness.app.audit.record({
      action: 'test.event',
      outcome: 'success',
      regionCode: regions.rongzhuang,
    });
    const lankao = { ...harness.system, scope: { lo: '410225000000', hi: '410226000000' } };
    const result = await harness.app.audit.search({ scope: lankao.scope, page: 1, pageSize: 50 });
    expect(result.total).toBe(2);
    expect(result.items.every((row) => row.regionCode === regions.lankao)).toBe(true);
    expect(result.items[0]?.regionName).toBe('兰考县');
  });
});

describe('shouwang audit verify', () => {
  beforeEach(resetChain);
  const run = promisify(execFile);
  const cli = path.resolve(import.meta.dirname, '../../../bin/shouwang.js');
  const verify = () =>
    run('node', [cli, 'audit', 'verify'], {
      env: { ...process.env, DATABASE_URL: harness.database.url },
    }).then(
      (output) => ({ code: 0, stderr: output.stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

  it('reports an intact log, then the first row changed directly in the database', async () => {
    const ids = await recordEntries(4);
    const intact = await verify();
    expect(intact.code).toBe(0);
    expect(intact.stderr).toContain('审计日志完整：已校验 4 条');

    await tamper(`UPDATE audit_log SET actor_username = 'someone-else' WHERE id = $1`, [ids[1]]);
    const broken = await verify();
    expect(broken.stderr).toContain(`第一条异常记录 id=${ids[1]}`);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain(`第一条异常记录 id=${ids[1]}`);
  });
});
