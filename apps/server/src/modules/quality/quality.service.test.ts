import { buildIdNumber } from '@shouwang/domain';
import { starterRules } from '@shouwang/rules';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { type InsertedHousehold, insertHousehold } from '../../../test/registry-factory.ts';
import { findingLastSeen } from './quality.repository.ts';
import { QualityService } from './quality.service.ts';

let harness: TestApp;
let province: TestClient;
let county: TestClient;
let village: TestClient;
let villageUserId: string;

beforeAll(async () => {
  harness = await createTestApp();
  await harness.app.settings.setFromText('statisticsDate', '2026-06-30', 'test');
  const users = {
    province: await harness.createUser({ role: 'province_admin', regionCode: regions.province }),
    county: await harness.createUser({ role: 'county_user', regionCode: regions.lankao }),
    village: await harness.createUser({ role: 'village_user', regionCode: regions.chengnei }),
  };
  villageUserId = users.village.id;
  province = await harness.signIn(users.province.username);
  county = await harness.signIn(users.county.username);
  village = await harness.signIn(users.village.username);
});
afterAll(async () => {
  await harness?.close();
});

const patch = (client: TestClient, url: string, payload: object) =>
  client.request({ method: 'PATCH', url, payload });

/** Findings with their last sighting as lists and exports show it (a full run stores only changes). */
async function findings(where: { ruleCode?: string; householdId?: string }) {
  const lastSeen = findingLastSeen('f');
  const rows = await harness.database.db
    .selectFrom('qualityFindings as f')
    .selectAll('f')
    .select([lastSeen.run.as('seenRun'), lastSeen.at.as('seenAt')])
    .$if(where.ruleCode !== undefined, (query) => query.where('ruleCode', '=', where.ruleCode as string))
    .$if(where.householdId !== undefined, (query) =>
      query.where('householdId', '=', where.householdId as string),
    )
    .orderBy('id')
    .execute();
  return rows.map(({ seenRun, seenAt, ...row }) => ({ ...row, lastSeenRun: seenRun, lastSeenAt: seenAt }));
}

const run = () => harness.app.quality.run(harness.system, { trigger: 'cli' });

describe('settings used by the rules', () => {
  it('keeps one monitoring line per statistics year and a statistics date, set as text', async () => {
    const settings = harness.app.settings;
    expect(await settings.monitoringLine(2026)).toBe(8000);
    await settings.setFromText('monitoringLine.2026', '7600', 'test');
    expect(await settings.monitoringLine(2026)).toBe(7600);
    expect(await settings.monitoringLine(2025)).toBe(7800);
    const listed = await settings.list();
    expect(listed).toContainEqual(
      expect.objectContaining({ key: 'monitoringLine.2026', value: 7600, isDefault: false }),
    );
    expect(listed).toContainEqual(expect.objectContaining({ key: 'statisticsDate', value: '2026-06-30' }));
    await expect(settings.setFromText('monitoringLine.2026', '-5', 'test')).rejects.toThrow(/大于 0/);
    await expect(settings.setFromText('monitoringLine.20x6', '7600', 'test')).rejects.toThrow(/没有名为/);
    await expect(settings.setFromText('statisticsDate', '2026-02-30', 'test')).rejects.toThrow(/YYYY-MM-DD/);
    expect(await harness.app.quality.ruleContext()).toEqual({
      referenceDate: '2026-06-30',
      statisticsYear: 2026,
      incomeLine: 7600,
    });
    await settings.setFromText('monitoringLine.2026', '8000', 'test');
  });
});

describe('rules as data', () => {
  it('ships every starter rule enabled, with its Chinese name and category', async () => {
    const rules = await harness.app.quality.listRules();
    expect(rules).toHaveLength(starterRules.length);
    expect(rules.every((rule) => rule.enabled && rule.builtin && rule.version === 1)).toBe(true);
    expect(rules.find((rule) => rule.code === 'ID-001')).toMatchObject({
      name: '证件号码为空',
      category: 'id',
      scope: 'person',
      whenText: 'blank(idNumber)',
    });
    expect(rules.find((rule) => rule.code === 'ID-007')).toMatchObject({ kind: 'aggregate', whenText: null });
  });

  it('refuses a rule text that does not parse, saying where', async () => {
    const response = await province.post('/api/quality/rules', {
      code: 'HN-001',
      name: '测试',
      category: 'logic',
      scope: 'person',
      severity: 'warning',
      whenText: 'age < and health = "健康"',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'quality.invalid_rule', details: { line: 1, column: 7 } });
    expect(response.json().message).toMatch(/第 1 行第 7 列/);
    const check = await province.post('/api/quality/rules/check', { whenText: 'age <', scope: 'person' });
    expect(check.json()).toMatchObject({ ok: false, error: { line: 1 } });
    expect(
      (await province.post('/api/quality/rules/check', { whenText: 'age < 3', scope: 'person' })).json(),
    ).toEqual({
      ok: true,
    });
  });

  it('lets only rule writers change rules, and keeps every version', async () => {
    const denied = await county.request({
      method: 'PATCH',
      url: '/api/quality/rules/LOG-001',
      payload: { version: 1, name: '越权' },
    });
    expect(denied.statusCode).toBe(403);

    const updated = await patch(province, '/api/quality/rules/LOG-001', { version: 1, severity: 'error' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ version: 2, severity: 'error' });
    const stale = await patch(province, '/api/quality/rules/LOG-001', { version: 1, name: '过期' });
    expect(stale.statusCode).toBe(409);
    const aggregate = await patch(province, '/api/quality/rules/ID-007', { version: 1, whenText: 'true' });
    expect(aggregate.json().code).toBe('quality.aggregate_rule');

    expect((await province.post('/api/quality/rules/LOG-001/disable')).json()).toMatchObject({
      enabled: false,
      version: 3,
    });
    expect((await province.post('/api/quality/rules/LOG-001/enable')).json()).toMatchObject({
      enabled: true,
      version: 4,
    });
    const versions = (await province.get('/api/quality/rules/LOG-001/versions')).json().items;
    expect(versions.map((version: { change: string }) => version.change)).toEqual([
      'enable',
      'disable',
      'update',
      'create',
    ]);
    expect(versions[2]).toMatchObject({ severity: 'error', changedBy: expect.any(String) });
  });
});

describe('runs and findings', () => {
  let blankId: InsertedHousehold;
  let headless: InsertedHousehold;

  beforeAll(async () => {
    blankId = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      members: [{}, { idNumber: null }],
    });
    headless = await insertHousehold(harness.database.db, {
      regionCode: regions.renzhuang,
      members: [{ relation: 'spouse' }, { relation: 'son' }, { relation: 'daughter', status: 'deceased' }],
    });
  });

  it('finds what the rules flag, with per-rule counts of households and persons', async () => {
    const result = await run();
    expect(result.run).toMatchObject({ status: 'succeeded', trigger: 'cli', progress: 1 });
    expect(result.rules).toHaveLength(starterRules.length);
    expect(result.rules.map((rule) => rule.code)).toEqual([...result.rules.map((rule) => rule.code)].sort());
    expect(result.rules.find((rule) => rule.code === 'ID-001')).toEqual({
      code: 'ID-001',
      households: 1,
      persons: 1,
    });
    // A household rule counts the active members of its households (the deceased daughter is not one).
    expect(result.rules.find((rule) => rule.code === 'HH-001')).toEqual({
      code: 'HH-001',
      households: 1,
      persons: 2,
    });
    const [finding] = await findings({ ruleCode: 'ID-001' });
    expect(finding).toMatchObject({
      householdId: blankId.id,
      personId: blankId.members[1]?.id,
      regionCode: regions.chengnei,
      status: 'open',
      firstSeenRun: result.run.id,
      lastSeenRun: result.run.id,
      fixedAt: null,
    });
  });

  it('moves a finding to fixed when the record is corrected: at once on edit, and on the next run', async () => {
    const detail = (await village.get(`/api/households/${blankId.id}`)).json();
    const member = detail.members.find(
      (candidate: { id: string }) => candidate.id === blankId.members[1]?.id,
    );
    const birth = blankId.members[1]?.birthDate as unknown as Date | string;
    const birthDate = birth instanceof Date ? birth.toISOString().slice(0, 10) : String(birth).slice(0, 10);
    const idNumber = buildIdNumber('410225', new Date(`${birthDate}T00:00:00Z`), 77, 'female');
    const saved = await patch(village, `/api/persons/${member.id}`, {
      updatedAt: member.updatedAt,
      idNumber,
    });
    expect(saved.statusCode, saved.body).toBe(200);

    const [afterEdit] = await findings({ ruleCode: 'ID-001', householdId: blankId.id });
    expect(afterEdit).toMatchObject({ status: 'fixed' });
    const recheck = await harness.database.db
      .selectFrom('qualityRuns')
      .selectAll()
      .where('id', '=', afterEdit?.fixedRun ?? '')
      .executeTakeFirstOrThrow();
    expect(recheck).toMatchObject({ trigger: 'recheck', status: 'succeeded', householdCount: 1 });

    const next = await run();
    const [afterRun] = await findings({ ruleCode: 'ID-001', householdId: blankId.id });
    expect(afterRun).toMatchObject({ status: 'fixed', fixedRun: recheck.id });
    expect(next.rules.find((rule) => rule.code === 'ID-001')).toEqual({
      code: 'ID-001',
      households: 0,
      persons: 0,
    });
    // Still-present findings keep their first sighting and move their last one.
    const [stillThere] = await findings({ ruleCode: 'HH-001', householdId: headless.id });
    expect(stillThere).toMatchObject({ status: 'open', lastSeenRun: next.run.id });
    expect(stillThere?.firstSeenRun).not.toBe(next.run.id);
  });

  it('reopens a fixed finding when the defect comes back', async () => {
    await harness.database.db
      .updateTable('persons')
      .set({ idNumber: null })
      .where('id', '=', blankId.members[1]?.id ?? '')
      .execute();
    await harness.app.quality.recheckHouseholds([blankId.id]);
    const [finding] = await findings({ ruleCode: 'ID-001', householdId: blankId.id });
    expect(finding).toMatchObject({ status: 'open', fixedAt: null, fixedRun: null });
  });

  it('applies a rule written by an administrator on the next run, without a deploy', async () => {
    const bigFarm = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      arableLand: 60,
    });
    const created = await province.post('/api/quality/rules', {
      code: 'HN-002',
      name: '耕地面积超过 50 亩',
      category: 'logic',
      scope: 'household',
      severity: 'warning',
      whenText: 'arableLand > 50',
    });
    expect(created.statusCode, created.body).toBe(200);
    const preview = await province.post('/api/quality/rules/preview', {
      whenText: 'arableLand > 50',
      scope: 'household',
    });
    expect(preview.json()).toMatchObject({
      households: 1,
      persons: 3,
      sample: [{ householdId: bigFarm.id }],
    });

    const result = await run();
    expect(result.rules.find((rule) => rule.code === 'HN-002')).toEqual({
      code: 'HN-002',
      households: 1,
      persons: 3,
    });
    expect(await findings({ ruleCode: 'HN-002' })).toEqual([
      expect.objectContaining({ householdId: bigFarm.id, personId: null, status: 'open' }),
    ]);

    // Disabled: left out of runs, lists and counts.
    await province.post('/api/quality/rules/HN-002/disable');
    const without = await run();
    expect(without.rules.some((rule) => rule.code === 'HN-002')).toBe(false);
    const listed = (await province.get('/api/quality/findings?ruleCode=HN-002')).json();
    expect(listed.total).toBe(0);
  });

  it('leaves findings unchanged when a run fails', async () => {
    const before = await findings({});
    const runsBefore = await harness.database.db.selectFrom('qualityRuns').select('id').execute();
    // Make the fixing pass fail after new findings were already written in the run's transaction.
    await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      members: [{}, { idNumber: '' }],
    });
    await harness.database.db
      .updateTable('persons')
      .set({ idNumber: buildIdNumber('410225', new Date('1990-01-01T00:00:00Z'), 5, 'female') })
      .where('id', '=', blankId.members[1]?.id ?? '')
      .execute();
    await sql`
      CREATE FUNCTION refuse_fix() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_fix BEFORE UPDATE ON quality_findings
        FOR EACH ROW WHEN (NEW.status = 'fixed') EXECUTE FUNCTION refuse_fix();
    `.execute(harness.database.db);
    try {
      await expect(run()).rejects.toThrow(/refused for the test/);
    } finally {
      await sql`DROP TRIGGER refuse_fix ON quality_findings; DROP FUNCTION refuse_fix();`.execute(
        harness.database.db,
      );
    }
    expect(await findings({})).toEqual(before);
    const failed = await harness.database.db
      .selectFrom('qualityRuns')
      .selectAll()
      .where(
        'id',
        'not in',
        runsBefore.map((row) => row.id),
      )
      .execute();
    expect(failed).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.stringMatching(/refused/) }),
    ]);
    // The next run goes through.
    expect((await run()).run.status).toBe('succeeded');
  });

  it('re-checks the cross-household rules of one household exactly as a full run does', async () => {
    const sharedId = buildIdNumber('410225', new Date('1980-05-05T00:00:00Z'), 31, 'male');
    const first = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      householdPhone: '13912345678',
      members: [{ idNumber: sharedId }],
    });
    const second = await insertHousehold(harness.database.db, {
      regionCode: regions.rongzhuang,
      householdPhone: '13912345678',
      members: [{ idNumber: sharedId.toLowerCase() }],
    });
    const sameCounty = await insertHousehold(harness.database.db, {
      regionCode: regions.renzhuang,
      householdPhone: '13700000001',
    });
    await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      householdPhone: '13700000001',
    });
    const ids = [first.id, second.id, sameCounty.id];
    await harness.app.quality.recheckHouseholds(ids);
    const picked = async () =>
      (await findings({}))
        .filter((row) => ids.includes(row.householdId) && ['ID-007', 'HH-008'].includes(row.ruleCode))
        .map((row) => ({
          ruleCode: row.ruleCode,
          householdId: row.householdId,
          personId: row.personId,
          status: row.status,
        }));
    const afterRecheck = await picked();
    expect(afterRecheck).toHaveLength(4);
    expect(afterRecheck.every((row) => row.status === 'open')).toBe(true);
    expect(afterRecheck.some((row) => row.householdId === sameCounty.id)).toBe(false);
    await run();
    expect(await picked()).toEqual(afterRecheck);
  });

  it('re-checks an edit made during a full run once the run is over', async () => {
    const household = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      members: [{}, { idNumber: null }],
    });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // Stands in for a full run of another process: it holds the run lock.
    const holder = harness.database.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('shouwang.quality_run'))`.execute(trx);
      locked();
      await released;
    });
    await lockTaken;
    const during = await harness.app.quality.recheckHouseholds([household.id]);
    expect(during.deferred).toBe(true);
    expect(await findings({ householdId: household.id })).toEqual([]);
    await expect(run()).rejects.toMatchObject({ code: 'quality.run_busy' });
    release();
    await holder;
    await harness.app.quality.flushPendingRechecks();
    expect((await findings({ householdId: household.id })).map((row) => row.ruleCode)).toContain('ID-001');
  });

  it('runs one full run at a time: a second one waits for a short one', async () => {
    const first = harness.app.quality.run(harness.system, { trigger: 'cli' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = await run();
    const firstRun = (await first).run;
    const [earlier, later] = [firstRun, second.run].sort(
      (a, b) => a.startedAt.getTime() - b.startedAt.getTime(),
    );
    expect(later?.startedAt.getTime()).toBeGreaterThanOrEqual(earlier?.finishedAt?.getTime() ?? Infinity);
  });
});

describe('exemptions', () => {
  let findingId: string;

  beforeAll(async () => {
    const household = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      members: [{ relation: 'spouse' }],
    });
    await harness.app.quality.recheckHouseholds([household.id]);
    const [finding] = await findings({ ruleCode: 'HH-001', householdId: household.id });
    findingId = finding?.id ?? '';
  });

  const nextYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);

  it('is requested by the village, approved by the county, and holds across runs until it expires', async () => {
    const requested = await village.post(`/api/quality/findings/${findingId}/exemptions`, {
      reason: '户主长期在外务工，户籍暂挂亲属名下',
      expiresAt: nextYear(),
    });
    expect(requested.statusCode, requested.body).toBe(200);
    const exemption = requested.json();
    expect(exemption).toMatchObject({ status: 'requested', findingId, ruleCode: 'HH-001' });
    expect(
      (
        await village.post(`/api/quality/findings/${findingId}/exemptions`, {
          reason: '重复',
          expiresAt: nextYear(),
        })
      ).json().code,
    ).toBe('quality.exemption_pending');
    // Villages may not approve.
    expect((await village.post(`/api/quality/exemptions/${exemption.id}/approve`, {})).statusCode).toBe(403);

    const approved = await county.post(`/api/quality/exemptions/${exemption.id}/approve`, {
      note: '情况属实',
    });
    expect(approved.json()).toMatchObject({ status: 'approved', decisionNote: '情况属实' });
    expect((await county.post(`/api/quality/exemptions/${exemption.id}/reject`, {})).json().code).toBe(
      'quality.exemption_decided',
    );
    const [exempted] = await findings({ ruleCode: 'HH-001' }).then((rows) =>
      rows.filter((row) => row.id === findingId),
    );
    expect(exempted).toMatchObject({ status: 'exempted' });

    await run();
    const [held] = (await findings({})).filter((row) => row.id === findingId);
    expect(held?.status).toBe('exempted');

    // Past its date, the next run reopens it (the household still has no head).
    await harness.database.db
      .updateTable('qualityFindings')
      .set({ exemptUntil: new Date(Date.now() - 1000) })
      .where('id', '=', findingId)
      .execute();
    const expired = await run();
    expect(expired.run.counts).toMatchObject({ exemptionsExpired: 1 });
    const [reopened] = (await findings({})).filter((row) => row.id === findingId);
    expect(reopened).toMatchObject({ status: 'open', exemptUntil: null });
    expect((await county.get(`/api/quality/exemptions/${exemption.id}`)).json().status).toBe('expired');

    const audit = await harness.database.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', 'like', 'quality.exemption%')
      .execute();
    expect(audit.map((row) => row.action).sort()).toEqual([
      'quality.exemption_approve',
      'quality.exemption_request',
    ]);
  });

  it('keeps the last sighting of a finding across runs, its exemption and its end', async () => {
    const household = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      members: [{ relation: 'spouse' }],
    });
    const first = await run();
    const [found] = await findings({ ruleCode: 'HH-001', householdId: household.id });
    expect(found).toMatchObject({ status: 'open', firstSeenRun: first.run.id, lastSeenRun: first.run.id });
    const again = await run();
    const mergedAt = async (runId: string) =>
      (
        await harness.database.db
          .selectFrom('qualityRuns')
          .select('mergedAt')
          .where('id', '=', runId)
          .executeTakeFirstOrThrow()
      ).mergedAt;
    const shown = (await county.get(`/api/quality/households/${household.id}/findings`)).json();
    const listed = shown.items.find((item: { ruleCode: string }) => item.ruleCode === 'HH-001');
    expect(listed.firstSeenAt).toBe((await mergedAt(first.run.id))?.toISOString());
    expect(listed.lastSeenAt).toBe((await mergedAt(again.run.id))?.toISOString());

    const requested = await village.post(`/api/quality/findings/${found?.id}/exemptions`, {
      reason: '户主长期在外务工',
      expiresAt: nextYear(),
    });
    await county.post(`/api/quality/exemptions/${requested.json().id}/approve`, {});
    // The record is corrected without a re-check: the next run does not see the exempted finding.
    await harness.database.db
      .updateTable('persons')
      .set({ relation: 'head' })
      .where('householdId', '=', household.id)
      .execute();
    const unseen = await run();
    const [exempted] = await findings({ ruleCode: 'HH-001', householdId: household.id });
    expect(exempted).toMatchObject({ status: 'exempted', lastSeenRun: again.run.id });

    await harness.database.db
      .updateTable('qualityFindings')
      .set({ exemptUntil: new Date(Date.now() - 1000) })
      .where('id', '=', found?.id ?? '')
      .execute();
    const ended = await run();
    const [fixed] = await findings({ ruleCode: 'HH-001', householdId: household.id });
    expect(fixed).toMatchObject({ status: 'fixed', fixedRun: ended.run.id, lastSeenRun: again.run.id });
    expect(fixed?.lastSeenRun).not.toBe(unseen.run.id);
  });

  it('can be rejected, and is never approved by the one who asked', async () => {
    const requested = (
      await county.post(`/api/quality/findings/${findingId}/exemptions`, {
        reason: '测试',
        expiresAt: nextYear(),
      })
    ).json();
    const own = await county.post(`/api/quality/exemptions/${requested.id}/approve`, {});
    expect(own.json().code).toBe('quality.exemption_own_request');
    const rejected = await province.post(`/api/quality/exemptions/${requested.id}/reject`, {
      note: '理由不足',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decidedByName: expect.any(String) });
    const [finding] = (await findings({})).filter((row) => row.id === findingId);
    expect(finding?.status).toBe('open');
    const listed = (await village.get(`/api/quality/exemptions?findingId=${findingId}`)).json().items;
    expect(listed.map((item: { status: string }) => item.status)).toEqual(['rejected', 'expired']);
    expect(villageUserId).toBeTruthy();
  });

  it('refuses a date in the past', async () => {
    const response = await village.post(`/api/quality/findings/${findingId}/exemptions`, {
      reason: '测试',
      expiresAt: '2020-01-01',
    });
    expect(response.json().code).toBe('quality.invalid_expiry');
  });
});

describe('findings by region and rankings', () => {
  it('counts the children of a region node, and the rates follow the findings', async () => {
    const response = await county.get(`/api/quality/findings/by-region?regionCode=${regions.guyang}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.region).toMatchObject({ code: regions.guyang, level: 'township' });
    const chengnei = body.items.find((item: { code: string }) => item.code === regions.chengnei);
    const households = await harness.database.db
      .selectFrom('households')
      .select(sql<number>`count(*)::int`.as('count'))
      .where('regionCode', '=', regions.chengnei)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    const flagged = await harness.database.db
      .selectFrom('qualityFindings as f')
      .innerJoin('qualityRules as r', 'r.code', 'f.ruleCode')
      .select(sql<number>`count(DISTINCT f.household_id)::int`.as('count'))
      .where('f.regionCode', '=', regions.chengnei)
      .where('f.status', '=', 'open')
      .where('r.enabled', '=', true)
      .executeTakeFirstOrThrow();
    expect(chengnei).toMatchObject({ households: households.count, flaggedHouseholds: flagged.count });
    expect(chengnei.qualityRate).toBeCloseTo(flagged.count / households.count);
    expect(chengnei.fixed).toBeGreaterThan(0);
    expect(chengnei.rectificationRate).toBeCloseTo(chengnei.fixed / chengnei.found);
    expect(body.total.households).toBe(
      body.items.reduce((sum: number, item: { households: number }) => sum + item.households, 0),
    );

    const ranking = (await county.get(`/api/quality/rankings?regionCode=${regions.guyang}`)).json();
    expect(ranking.items[0].rank).toBe(1);
    const rates = ranking.items.map((item: { qualityRate: number }) => item.qualityRate);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
  });

  it("shows a household's findings on its detail page, and not to other villages", async () => {
    const [finding] = await findings({ ruleCode: 'HH-001' });
    const own = await county.get(`/api/quality/households/${finding?.householdId}/findings`);
    expect(own.statusCode).toBe(200);
    expect(own.json().items.some((item: { ruleCode: string }) => item.ruleCode === 'HH-001')).toBe(true);
  });

  it('exports findings with one sheet per rule, ID numbers masked', async () => {
    const response = await county.get('/api/quality/findings/export.xlsx');
    expect(response.statusCode).toBe(200);
    const ExcelJS = (await import('../../excel.ts')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names.some((name) => name.startsWith('HH-001'))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    const idCells: string[] = [];
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row, index) => {
        if (index > 2) idCells.push(String(row.getCell(4).value ?? ''));
      });
    }
    expect(idCells.filter((cell) => cell !== '').every((cell) => cell.includes('*'))).toBe(true);

    const ranking = await county.get(`/api/quality/rankings/export.xlsx?regionCode=${regions.guyang}`);
    const rankingBook = new ExcelJS.Workbook();
    await rankingBook.xlsx.load(ranking.rawPayload as unknown as ArrayBuffer);
    expect(rankingBook.worksheets[0]?.name).toBe('全部规则');
    expect(rankingBook.worksheets.length).toBeGreaterThan(80);
  });
});

describe(QualityService.name, () => {
  it('starts a run from the API and reports its progress on the run row', async () => {
    const started = await county.post('/api/quality/runs', {});
    expect(started.statusCode, started.body).toBe(202);
    const runId = started.json().id;
    expect(started.json()).toMatchObject({ trigger: 'ui', regionCode: regions.lankao });
    await harness.app.quality.drain();
    const finished = (await county.get(`/api/quality/runs/${runId}`)).json();
    expect(finished).toMatchObject({ status: 'succeeded', progress: 1, phase: 'done' });
    expect(finished.counts.rules.length).toBeGreaterThan(80);
    const listed = (await county.get('/api/quality/runs')).json().items;
    expect(listed[0].id).toBe(runId);
    expect(listed.some((item: { trigger: string }) => item.trigger === 'recheck')).toBe(false);
    expect((await village.post('/api/quality/runs', {})).statusCode).toBe(403);
  });
});
