import { beijingToday, buildIdNumber, nationalColumns } from '@shouwang/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { type InsertedHousehold, insertHousehold } from '../../../test/registry-factory.ts';
import ExcelJS from '../../excel.ts';
import { addDays } from '../settings/working-calendar.service.ts';
import { workflows } from './monitoring.workflow.ts';
import { selfReportTiming } from './self-report-guard.ts';

let harness: TestApp;
let village: TestClient;
let otherVillage: TestClient;
let township: TestClient;
let county: TestClient;
let otherCounty: TestClient;
let household: InsertedHousehold;

const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);

function multipart(fields: Record<string, string>, file: { name: string; content: Buffer }) {
  const boundary = '----monitoring-test';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(client: TestClient, caseId: string, kind: string, content: Buffer, name = 'photo.jpg') {
  const body = multipart({ kind }, { name, content });
  return client.request({ method: 'POST', url: `/api/monitoring/cases/${caseId}/attachments`, ...body });
}

async function selfReport(client: TestClient, token: string, overrides: Record<string, unknown> = {}) {
  const form = await client.get(`/api/public/self-report/${token}`);
  expect(form.statusCode).toBe(200);
  return client.post('/api/public/self-report', {
    token,
    challenge: form.json().challenge,
    name: '张建国',
    idNumber: household.members[0]?.idNumber,
    phone: '13812345678',
    difficultyTypes: ['illness'],
    description: '妻子患病住院，花费较大',
    consent: true,
    ...overrides,
  });
}

const caseOf = async (client: TestClient, id: string) =>
  (await client.get(`/api/monitoring/cases/${id}`)).json();

async function step(
  client: TestClient,
  id: string,
  action: string,
  data: Record<string, unknown> = {},
  reason?: string,
) {
  // The version as the county (which sees every case here) reads it, so refusals are about the actor.
  const current = await caseOf(county, id);
  return client.post(`/api/monitoring/cases/${id}/transitions`, {
    action,
    version: current.version,
    data,
    reason,
  });
}

/** Moves a case's current step back in time, as if `days` days had passed. */
async function age(caseId: string, days: number) {
  await sql`UPDATE monitoring_cases SET step_started_at = step_started_at - make_interval(days => ${days}),
    step_due_at = step_due_at - make_interval(days => ${days}) WHERE id = ${caseId}`.execute(
    harness.database.db,
  );
}

const daysAgo = (days: number) => beijingToday(new Date(Date.now() - days * 86_400_000));

let villageToken: string;

beforeAll(async () => {
  harness = await createTestApp();
  selfReportTiming.minimumFillMilliseconds = 0;
  const make = async (role: string, regionCode: string) =>
    harness.signIn((await harness.createUser({ role, regionCode })).username);
  village = await make('village_user', regions.chengnei);
  otherVillage = await make('village_user', regions.renzhuang);
  township = await make('township_user', regions.guyang);
  county = await make('county_user', regions.lankao);
  otherCounty = await make('county_user', regions.zhongmou);
  household = await insertHousehold(harness.database.db, {
    regionCode: regions.chengnei,
    householdType: 'ordinary',
    members: [{ name: '张建国' }, { name: '王秀兰', health: 'serious_illness' }, {}],
  });
  villageToken = (await village.get(`/api/monitoring/villages/${regions.chengnei}/self-report-link`)).json()
    .token;
});
afterAll(async () => {
  await harness?.close();
});

const deniedAudits = async (action: string) =>
  harness.database.db
    .selectFrom('auditLog')
    .select(['action', 'outcome', 'detail'])
    .where('action', '=', action)
    .where('outcome', '=', 'denied')
    .execute();

describe('monitoring workflow definition', () => {
  it('gives every step one role at one level and a time limit that exists in settings', async () => {
    const settings = (await harness.app.settings.list()).map((setting) => setting.key);
    for (const workflow of Object.values(workflows)) {
      for (const definition of workflow.steps) {
        expect(settings).toContain(definition.limitSetting);
        expect(definition.role.startsWith(definition.level)).toBe(true);
      }
    }
    expect(workflows.identification.steps.map((item) => item.state)).toEqual([
      'consent',
      'verification',
      'cross_check',
      'deliberation',
      'notice',
      'township_review',
      'county_approval',
    ]);
  });

  it('counts working days Monday to Friday and ends a limit at Beijing midnight', () => {
    // Friday 2026-11-20 10:00 Beijing + 3 working days → end of Wednesday 2026-11-25.
    const friday = new Date('2026-11-20T02:00:00Z');
    expect(addDays(friday, 3, 'working_days').toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(addDays(friday, 3, 'calendar_days').toISOString()).toBe('2026-11-23T16:00:00.000Z');
  });
});

describe('self-report through the village QR code', () => {
  it('refuses a token that is not signed for the village', async () => {
    const forged = `${regions.renzhuang}.${villageToken.split('.')[1]}`;
    const client = new TestClient(harness.app);
    expect((await client.get(`/api/public/self-report/${forged}`)).statusCode).toBe(404);
    const opened = await client.get(`/api/public/self-report/${villageToken}`);
    expect(opened.json().villageName).toContain('城内村');
  });

  it('needs consent and a valid ID number, and says which field is wrong', async () => {
    const response = await selfReport(new TestClient(harness.app), villageToken, {
      consent: false,
      idNumber: '41022519800101001X',
    });
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json().details.fields).sort()).toEqual(['consent', 'idNumber']);
  });

  it('refuses a form answered faster than a person can, and a challenge answered twice', async () => {
    const client = new TestClient(harness.app);
    selfReportTiming.minimumFillMilliseconds = 60_000;
    try {
      expect((await selfReport(client, villageToken)).json().code).toBe('monitoring.challenge_failed');
    } finally {
      selfReportTiming.minimumFillMilliseconds = 0;
    }
    const form = (await client.get(`/api/public/self-report/${villageToken}`)).json();
    const body = {
      token: villageToken,
      challenge: form.challenge,
      name: '李四',
      idNumber: household.members[2]?.idNumber,
      phone: '13812345679',
      difficultyTypes: ['schooling'],
      consent: true,
    };
    expect((await client.post('/api/public/self-report', body)).statusCode).toBe(200);
    expect((await client.post('/api/public/self-report', body)).json().code).toBe(
      'monitoring.challenge_failed',
    );
    expect((await deniedAudits('monitoring.self_report_refused')).length).toBeGreaterThanOrEqual(1);
  });

  it('keeps nothing when the hidden field is filled', async () => {
    const before = await harness.database.db.selectFrom('monitoringLeadReports').select('id').execute();
    const response = await selfReport(new TestClient(harness.app), villageToken, { website: 'http://spam' });
    expect(response.json()).toEqual({ received: true });
    const after = await harness.database.db.selectFrom('monitoringLeadReports').select('id').execute();
    expect(after.length).toBe(before.length);
  });

  it('rate-limits submissions per address', async () => {
    const client = new TestClient(harness.app);
    const codes: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const form = await client.get(`/api/public/self-report/${villageToken}`);
      const response = await client.post('/api/public/self-report', {
        token: villageToken,
        challenge: form.json().challenge,
        name: '',
        idNumber: '1',
        difficultyTypes: [],
        consent: false,
      });
      codes.push(response.statusCode);
    }
    expect(codes.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(codes[5]).toBe(429);
  });
});

describe('QR sheet per township', () => {
  it('prints every village of the township, six to an A4 page, and refuses a village code', async () => {
    const villages = await harness.database.db
      .selectFrom('regions')
      .select('code')
      .where('parentCode', '=', regions.guyang)
      .execute();
    const response = await county.get(`/api/monitoring/townships/${regions.guyang}/self-report-qr.pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const pdf = response.rawPayload.toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.match(/\/Type \/Page\b/g)?.length).toBe(Math.ceil(villages.length / 6));
    expect(
      (await county.get(`/api/monitoring/townships/${regions.chengnei}/self-report-qr.pdf`)).statusCode,
    ).toBe(400);
  });
});

describe('identification chain', () => {
  let caseId: string;
  let leadId: string;

  it('merges repeated reports of one household into one open lead, across channels', async () => {
    expect((await selfReport(new TestClient(harness.app), villageToken)).statusCode).toBe(200);
    expect(
      (await selfReport(new TestClient(harness.app), villageToken, { difficultyTypes: ['accident'] }))
        .statusCode,
    ).toBe(200);
    const visit = await village.post('/api/monitoring/leads', {
      name: '张建国',
      idNumber: household.members[0]?.idNumber,
      difficultyTypes: ['illness'],
      description: '走访发现',
      consent: true,
    });
    expect(visit.statusCode).toBe(200);
    // one earlier report on a third member of the same household, two now, and the visit
    expect(visit.json().reportCount).toBe(4);
    leadId = visit.json().id;
    const lead = (await village.get(`/api/monitoring/leads/${leadId}`)).json();
    expect(lead.householdId).toBe(household.id);
    expect(lead.reports.map((report: { channel: string }) => report.channel)).toEqual([
      'self_report',
      'self_report',
      'self_report',
      'cadre_visit',
    ]);
    expect(lead.difficultyTypes).toEqual(expect.arrayContaining(['accident', 'illness']));
    expect(lead.idNumber).toMatch(/\*/);
  });

  it('lets only the village of the lead open a case from it', async () => {
    expect((await otherVillage.post(`/api/monitoring/leads/${leadId}/case`)).statusCode).toBe(404);
    expect((await township.post(`/api/monitoring/leads/${leadId}/case`)).statusCode).toBe(403);
    const opened = await village.post(`/api/monitoring/leads/${leadId}/case`);
    expect(opened.statusCode).toBe(200);
    caseId = opened.json().id;
    const detail = await caseOf(village, caseId);
    expect(detail.state).toBe('consent');
    expect(detail.allowedActions).toEqual(['pass', 'reject']);
    expect(detail.stepDueAt).not.toBeNull();
  });

  it('refuses each step to the wrong role, the wrong level and another region, and audits every refusal', async () => {
    const refusals = async () =>
      (
        await harness.database.db
          .selectFrom('auditLog')
          .select('id')
          .where('outcome', '=', 'denied')
          .where('action', 'like', 'monitoring.%')
          .execute()
      ).length;
    const before = await refusals();
    // consent: village step
    expect((await step(otherVillage, caseId, 'pass')).statusCode).toBe(404);
    expect((await step(township, caseId, 'pass')).statusCode).toBe(403);
    expect((await step(county, caseId, 'pass')).statusCode).toBe(403);
    expect((await step(otherCounty, caseId, 'pass')).statusCode).toBe(404);
    expect(await refusals()).toBe(before + 4);
    // Other region answers exactly like a missing case.
    const outside = await otherVillage.get(`/api/monitoring/cases/${caseId}`);
    const missing = await otherVillage.get('/api/monitoring/cases/999999999');
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toEqual(missing.json());
  });

  it('needs the signed consent photo before consent passes; checks the file by its bytes', async () => {
    const refused = await step(village, caseId, 'pass');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details.fields.attachments).toBeDefined();
    const fake = await upload(village, caseId, 'consent', Buffer.from('MZ not an image'), 'consent.jpg');
    expect(fake.statusCode).toBe(400);
    expect((await upload(otherVillage, caseId, 'consent', jpeg)).statusCode).toBe(404);
    const stored = await upload(village, caseId, 'consent', jpeg);
    expect(stored.statusCode).toBe(200);
    const attachment = stored.json().attachments[0];
    expect(attachment.mediaType).toBe('image/jpeg');
    expect(attachment.sha256).toMatch(/^[0-9a-f]{64}$/);
    const download = await village.get(`/api/monitoring/cases/${caseId}/attachments/${attachment.id}`);
    expect(download.rawPayload.equals(jpeg)).toBe(true);
    expect((await step(village, caseId, 'pass')).statusCode).toBe(200);
  });

  it('refuses a transition made on a stale version', async () => {
    const detail = await caseOf(village, caseId);
    const stale = await village.post(`/api/monitoring/cases/${caseId}/transitions`, {
      action: 'return',
      version: detail.version - 1,
      reason: '重新签字',
    });
    expect(stale.statusCode).toBe(409);
  });

  it('verification needs two verifiers, a category and risks; return needs a reason', async () => {
    expect((await step(village, caseId, 'return')).json().code).toBe('monitoring.reason_required');
    const missing = await step(village, caseId, 'pass', {
      verifiers: ['王五'],
      findings: '',
      measures: ['health', 'made_up:x'],
    });
    expect(Object.keys(missing.json().details.fields).sort()).toEqual([
      'category',
      'findings',
      'measures',
      'risks',
      'verifiers',
    ]);
    // a bare category says nothing about what the household receives
    expect(missing.json().details.fields.measures).toContain('请填写「健康帮扶」的具体措施');
    const passed = await step(village, caseId, 'pass', {
      verifiers: ['王五', '赵六'],
      findings: '妻子大病住院，自付 4 万元',
      category: 'sudden_hardship',
      risks: ['illness'],
      measures: ['health:大病救助'],
    });
    expect(passed.statusCode).toBe(200);
    expect(passed.json().state).toBe('cross_check');
  });

  it('cross-check is the township’s: the village is refused, the other village sees nothing', async () => {
    expect((await step(village, caseId, 'pass', { result: '无异常' })).statusCode).toBe(403);
    expect((await step(otherVillage, caseId, 'pass', { result: '无异常' })).statusCode).toBe(404);
    expect((await step(township, caseId, 'reject', {}, '不应拒绝')).json().code).toBe(
      'monitoring.action_not_allowed',
    );
    expect(
      (await step(township, caseId, 'pass', { result: '财政、公安、市场监管、不动产比对无异常' })).statusCode,
    ).toBe(200);
  });

  it('deliberation then notice: the notice runs its days, objections are recorded and resolved', async () => {
    expect((await step(township, caseId, 'pass', { attendees: 12, result: '同意' })).statusCode).toBe(403);
    expect((await step(village, caseId, 'pass', { attendees: 12, result: '同意纳入' })).statusCode).toBe(200);
    const early = await village.request({
      method: 'PUT',
      url: `/api/monitoring/cases/${caseId}/notice`,
      payload: { startsOn: daysAgo(7), endsOn: daysAgo(1), place: '村务公开栏' },
    });
    expect(early.json().details.fields.startsOn).toMatch(/不能早于/);
    await age(caseId, 7);
    const notice = await village.request({
      method: 'PUT',
      url: `/api/monitoring/cases/${caseId}/notice`,
      payload: { startsOn: daysAgo(7), endsOn: daysAgo(4), place: '村务公开栏' },
    });
    expect(notice.statusCode).toBe(200);
    const tooShort = await step(village, caseId, 'pass');
    expect(tooShort.json().details.fields.notice).toMatch(/不少于 5 天/);
    await village.request({
      method: 'PUT',
      url: `/api/monitoring/cases/${caseId}/notice`,
      payload: { startsOn: daysAgo(7), endsOn: daysAgo(1), place: '村务公开栏' },
    });
    const objected = await village.post(`/api/monitoring/cases/${caseId}/objections`, {
      receivedOn: daysAgo(3),
      objector: '村民甲',
      content: '该户有车辆',
    });
    expect(objected.statusCode).toBe(200);
    expect((await step(village, caseId, 'pass')).json().details.fields.objections).toBeDefined();
    const objectionId = objected.json().objections[0].id;
    expect(
      (
        await otherVillage.post(`/api/monitoring/cases/${caseId}/objections/${objectionId}/resolve`, {
          resolution: 'x',
        })
      ).statusCode,
    ).toBe(404);
    await village.post(`/api/monitoring/cases/${caseId}/objections/${objectionId}/resolve`, {
      resolution: '经核实车辆为农用三轮车，异议不成立',
    });
    expect((await step(village, caseId, 'pass')).statusCode).toBe(200);
  });

  it('township review, then county approval records the household as monitored with history', async () => {
    expect((await step(county, caseId, 'pass')).statusCode).toBe(403);
    expect((await step(township, caseId, 'pass')).statusCode).toBe(200);
    expect((await step(township, caseId, 'pass')).statusCode).toBe(403);
    expect((await step(otherCounty, caseId, 'pass')).statusCode).toBe(404);
    const bare = await step(county, caseId, 'pass', { measures: ['employment'] });
    expect(bare.json().details.fields.measures).toContain('就业帮扶');
    // A rule that only the approval can satisfy: the household is re-checked once the approval commits.
    await harness.app.quality.createRule(harness.system, {
      code: 'TST-901',
      name: '新认定的突发严重困难户',
      category: 'logic',
      scope: 'household',
      severity: 'warning',
      whenText: 'monitoringCategory = "突发严重困难户"',
    });
    const findings = () =>
      harness.database.db
        .selectFrom('qualityFindings')
        .select('status')
        .where('ruleCode', '=', 'TST-901')
        .where('householdId', '=', household.id)
        .execute();
    expect(await findings()).toEqual([]);
    const approved = await step(county, caseId, 'pass', {
      measures: ['health:大病救助', 'employment:技能培训'],
    });
    expect(approved.statusCode).toBe(200);
    expect(await findings()).toEqual([{ status: 'open' }]);
    expect(approved.json().state).toBe('approved');
    expect(approved.json().closedAt).not.toBeNull();
    const detailResponse = await county.get(`/api/households/${household.id}`);
    const detail = detailResponse.json();
    expect(detail.monitoringCategory.code).toBe('sudden_hardship');
    expect(detail.identifiedAt).toBe(beijingToday().slice(0, 7).replace('-', ''));
    const history = await harness.database.db
      .selectFrom('fieldHistory')
      .select(['field', 'newValue', 'source'])
      .where('householdId', '=', household.id)
      .execute();
    expect(history.filter((row) => row.source === 'monitoring').map((row) => row.field)).toEqual(
      expect.arrayContaining(['monitoringCategory', 'identifiedAt', 'risks', 'health', 'employment']),
    );
    // Measures are written with what they are, and the household page shows them by category.
    expect(detail.measures).toEqual([
      { category: { code: 'employment', label: '就业帮扶' }, values: ['技能培训'] },
      { category: { code: 'health', label: '健康帮扶' }, values: ['大病救助'] },
    ]);
    expect((await step(county, caseId, 'pass')).json().code).toBe('monitoring.case_closed');
    const transitions = approved
      .json()
      .transitions.map((transition: { toState: string }) => transition.toState);
    expect(transitions).toEqual([
      'consent',
      'verification',
      'cross_check',
      'deliberation',
      'notice',
      'township_review',
      'county_approval',
      'approved',
    ]);
  });
});

describe('rejection and elimination', () => {
  it('a county rejection keeps the case and its reason, and leaves the household unmonitored', async () => {
    const other = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      householdType: 'ordinary',
    });
    const lead = await village.post('/api/monitoring/leads', {
      name: '测试',
      idNumber: other.members[0]?.idNumber,
      difficultyTypes: ['disaster'],
      consent: true,
    });
    const caseId = (await village.post(`/api/monitoring/leads/${lead.json().id}/case`)).json().id;
    expect((await step(village, caseId, 'reject', {}, '农户不同意授权')).statusCode).toBe(200);
    const detail = await caseOf(village, caseId);
    expect(detail.state).toBe('rejected');
    expect(detail.outcomeReason).toBe('农户不同意授权');
    const row = await harness.database.db
      .selectFrom('households')
      .select('monitoringCategory')
      .where('id', '=', other.id)
      .executeTakeFirstOrThrow();
    expect(row.monitoringCategory).toBeNull();
  });

  it('refuses elimination for a household whose members all lack labour', async () => {
    const frail = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      monitoringCategory: 'unstable_lifted',
      identifiedAt: '202201',
      riskEliminated: false,
      members: [{ laborSkill: 'lost' }, { laborSkill: 'none' }],
    });
    const response = await village.post(`/api/monitoring/households/${frail.id}/elimination`);
    expect(response.json().code).toBe('monitoring.no_labour_hold');
  });

  it('judges the income criterion against the monitoring line of the income year', async () => {
    const monitored = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      monitoringCategory: 'marginal',
      identifiedAt: '202301',
      riskEliminated: false,
      incomes: [{ year: 2024, netIncomePerPerson: 9800 }],
    });
    await harness.app.settings.setFromText('monitoringLine.2024', '10000', null);
    const caseId = (await village.post(`/api/monitoring/households/${monitored.id}/elimination`)).json().id;
    const opened = await caseOf(village, caseId);
    const income = opened.criteria.items.find((item: { key: string }) => item.key === 'income');
    expect(income.fromData).toBe(false);
    expect(income.evidence).toContain('监测标准 10000 元');
  });

  it('runs elimination through the same chain once every criterion holds', async () => {
    const monitored = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      monitoringCategory: 'marginal',
      identifiedAt: '202301',
      riskEliminated: false,
      childDropout: false,
      uninsuredMember: false,
      incomes: [{ year: 2025, netIncomePerPerson: 9800 }],
    });
    expect(
      (await otherVillage.post(`/api/monitoring/households/${monitored.id}/elimination`)).statusCode,
    ).toBe(404);
    const caseId = (await village.post(`/api/monitoring/households/${monitored.id}/elimination`)).json().id;
    const opened = await caseOf(village, caseId);
    expect(opened.state).toBe('verification');
    const byKey = Object.fromEntries(
      opened.criteria.items.map((item: { key: string; holds: boolean; fromData: boolean | null }) => [
        item.key,
        item,
      ]),
    );
    expect(byKey.income.fromData).toBe(true);
    expect(byKey.income.holds).toBe(false); // six months of stability is the cadre's to attest
    expect(byKey.housing.holds).toBe(true);
    const unattested = await step(village, caseId, 'pass', {
      verifiers: ['甲', '乙'],
      findings: '收入稳定',
      eliminationMethod: 'assisted',
    });
    expect(unattested.json().details.fields.criteria).toMatch(/收入/);
    const passed = await step(village, caseId, 'pass', {
      verifiers: ['甲', '乙'],
      findings: '务工收入稳定',
      eliminationMethod: 'assisted',
      attested: { income: true, rigidCosts: true },
    });
    expect(passed.statusCode).toBe(200);
    expect((await step(township, caseId, 'pass', { result: '比对无异常' })).statusCode).toBe(200);
    expect((await step(village, caseId, 'pass', { attendees: 9, result: '同意消除' })).statusCode).toBe(200);
    await age(caseId, 7);
    await village.request({
      method: 'PUT',
      url: `/api/monitoring/cases/${caseId}/notice`,
      payload: { startsOn: daysAgo(7), endsOn: daysAgo(1), place: '村委会' },
    });
    expect((await step(village, caseId, 'pass')).statusCode).toBe(200);
    expect((await step(township, caseId, 'pass')).statusCode).toBe(200);
    expect((await step(county, caseId, 'pass')).statusCode).toBe(200);
    const row = await harness.database.db
      .selectFrom('households')
      .select(['riskEliminated', 'eliminationMethod', 'eliminatedAt'])
      .where('id', '=', monitored.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      riskEliminated: true,
      eliminationMethod: 'assisted',
      eliminatedAt: beijingToday().slice(0, 7).replace('-', ''),
    });
  });
});

describe('export to the national system', () => {
  const sheets = async (client: TestClient, month: string) => {
    const response = await client.get(`/api/monitoring/exports/national.xlsx?month=${month}`);
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    return workbook.worksheets.map((sheet) => {
      const rows: string[][] = [];
      sheet.eachRow((row) =>
        rows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ''))),
      );
      return { name: sheet.name, rows };
    });
  };

  it("writes the month's approved and eliminated households in the national column layout", async () => {
    const month = beijingToday().slice(0, 7).replace('-', '');
    const [identified, eliminated] = await sheets(county, month);
    expect(identified?.name).toBe('新识别监测对象');
    expect(identified?.rows[2]).toEqual(nationalColumns.map((column) => column.header));
    const column = (header: string) => nationalColumns.findIndex((item) => item.header === header);
    const rows = identified?.rows.slice(3) ?? [];
    const members = rows.filter((row) => row[column('户编号')] === household.householdNo);
    expect(members.length).toBe(3);
    expect(members[0]?.[column('监测对象类别')]).toBe('突发严重困难户');
    expect(members[0]?.[column('县')]).toBe('兰考县');
    expect(eliminated?.rows.slice(3).some((row) => row[column('风险是否已消除')] === '是')).toBe(true);
    // Another county's export holds none of these households.
    const [otherIdentified, otherEliminated] = await sheets(otherCounty, month);
    expect(otherIdentified?.rows.length).toBe(3);
    expect(otherEliminated?.rows.length).toBe(3);
    expect((await village.get(`/api/monitoring/exports/national.xlsx?month=${month}`)).statusCode).toBe(403);
  });
});

describe('department alerts and the workbench', () => {
  it('turns a department match into a lead of the person’s village, merged with an open one', async () => {
    const target = await insertHousehold(harness.database.db, {
      regionCode: regions.renzhuang,
      householdType: 'ordinary',
    });
    const first = await harness.app.monitoring.intakeDepartmentAlert({
      department: '医保',
      idNumber: target.members[1]?.idNumber ?? '',
      reason: '年度自付医疗费用超过 2 万元',
      riskTypes: ['illness'],
    });
    const second = await harness.app.monitoring.intakeDepartmentAlert({
      department: '民政',
      idNumber: target.members[0]?.idNumber ?? '',
      reason: '新纳入低保',
    });
    expect(first?.regionCode).toBe(regions.renzhuang);
    expect(second?.id).toBe(first?.id);
    expect(second?.reportCount).toBe(2);
    expect(
      await harness.app.monitoring.intakeDepartmentAlert({
        department: '医保',
        idNumber: '110101199001011237',
        reason: 'x',
      }),
    ).toBeUndefined();
  });

  it('shows each user what waits at their steps, with overdue ones, and the county the progress per township', async () => {
    const waiting = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      householdType: 'ordinary',
    });
    const lead = await village.post('/api/monitoring/leads', {
      name: '待办',
      idNumber: waiting.members[0]?.idNumber,
      difficultyTypes: ['housing'],
      consent: true,
    });
    const caseId = (await village.post(`/api/monitoring/leads/${lead.json().id}/case`)).json().id;
    await age(caseId, 10);
    const todos = (await village.get('/api/workbench/todos')).json();
    const consent = todos.counts.find(
      (count: { kind: string; state: string }) =>
        count.kind === 'identification' && count.state === 'consent',
    );
    expect(consent.total).toBeGreaterThanOrEqual(1);
    expect(consent.overdue).toBeGreaterThanOrEqual(1);
    expect(todos.items.find((item: { id: string }) => item.id === caseId).overdue).toBe(true);
    const townshipTodos = (await township.get('/api/workbench/todos')).json();
    expect(townshipTodos.items.some((item: { id: string }) => item.id === caseId)).toBe(false);
    expect(
      (await otherVillage.get('/api/workbench/todos'))
        .json()
        .items.some((item: { id: string }) => item.id === caseId),
    ).toBe(false);
    const progressResponse = await county.get('/api/workbench/progress');
    const progress = progressResponse.json();
    const guyang = progress.items.find((item: { regionCode: string }) => item.regionCode === regions.guyang);
    expect(guyang.overdue).toBeGreaterThanOrEqual(1);
    expect(guyang.approved).toBeGreaterThanOrEqual(2);
    const byVillage = (await township.get('/api/workbench/progress')).json();
    expect(byVillage.items.map((item: { regionName: string }) => item.regionName)).toContain('城内村');
  });
});

describe('dismissing a lead that is not a case', () => {
  const visit = async (client: TestClient, idNumber: string) =>
    (
      await client.post('/api/monitoring/leads', {
        name: '关闭测试',
        idNumber,
        difficultyTypes: ['illness'],
        consent: true,
      })
    ).json().id as string;
  const dismiss = (client: TestClient, id: string, body: Record<string, unknown>) =>
    client.post(`/api/monitoring/leads/${id}/dismiss`, body);
  const leadRow = (id: string) =>
    harness.database.db
      .selectFrom('monitoringLeads')
      .select(['status', 'dismissalKind', 'dismissalReason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('refuses another village (404), the county and a blank reason, audits the refusals, changes nothing', async () => {
    const target = await insertHousehold(harness.database.db, { regionCode: regions.chengnei });
    const id = await visit(village, target.members[0]?.idNumber ?? '');
    const before = (await deniedAudits('monitoring.dismiss_lead')).length;
    expect((await dismiss(otherVillage, id, { kind: 'duplicate', reason: '重复' })).statusCode).toBe(404);
    const byCounty = await dismiss(county, id, { kind: 'duplicate', reason: '重复' });
    expect(byCounty.statusCode).toBe(403);
    expect(byCounty.json().code).toBe('monitoring.step_not_allowed');
    expect((await dismiss(otherCounty, id, { kind: 'duplicate', reason: '重复' })).statusCode).toBe(404);
    const denied = await deniedAudits('monitoring.dismiss_lead');
    expect(denied.length).toBe(before + 3);
    expect(denied.map((row) => (row.detail as { reason: string }).reason).slice(-3)).toEqual([
      'not_found',
      'role',
      'not_found',
    ]);
    expect((await dismiss(village, id, { kind: 'other', reason: '   ' })).json().code).toBe(
      'monitoring.dismiss_reason_required',
    );
    expect((await dismiss(village, id, { kind: 'made_up', reason: 'x' })).statusCode).toBe(400);
    expect(await leadRow(id)).toEqual({ status: 'open', dismissalKind: null, dismissalReason: null });
  });

  it('lets the village close it with a kind and a reason, kept on the lead and in the audit log', async () => {
    const target = await insertHousehold(harness.database.db, { regionCode: regions.chengnei });
    const id = await visit(village, target.members[0]?.idNumber ?? '');
    const closed = await dismiss(village, id, {
      kind: 'not_in_difficulty',
      reason: '入户核实：收入稳定，无困难',
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'dismissed',
      dismissalKind: 'not_in_difficulty',
      dismissalReason: '入户核实：收入稳定，无困难',
    });
    expect(closed.json().dismissedByUsername).toBeTruthy();
    expect(closed.json().dismissedAt).not.toBeNull();
    const audit = await harness.database.db
      .selectFrom('auditLog')
      .select(['outcome', 'targetId'])
      .where('action', '=', 'monitoring.dismiss_lead')
      .where('outcome', '=', 'success')
      .where('targetId', '=', id)
      .execute();
    expect(audit.length).toBe(1);
    // A closed lead neither closes twice nor opens a case; a new report of the person opens a new lead.
    expect((await dismiss(village, id, { kind: 'duplicate', reason: '再关' })).statusCode).toBe(409);
    expect((await village.post(`/api/monitoring/leads/${id}/case`)).statusCode).toBe(409);
    const again = await visit(village, target.members[0]?.idNumber ?? '');
    expect(again).not.toBe(id);
    const dismissed = (await village.get('/api/monitoring/leads?status=dismissed&pageSize=100')).json();
    expect(dismissed.items.some((lead: { id: string }) => lead.id === id)).toBe(true);
  });

  it('lets the township of the lead close it, not another township', async () => {
    const target = await insertHousehold(harness.database.db, { regionCode: regions.renzhuang });
    const id = await visit(otherVillage, target.members[0]?.idNumber ?? '');
    const nanzhang = await harness.signIn(
      (await harness.createUser({ role: 'township_user', regionCode: regions.nanzhang })).username,
    );
    expect((await dismiss(nanzhang, id, { kind: 'wrong_village', reason: 'x' })).statusCode).toBe(404);
    expect((await dismiss(township, id, { kind: 'wrong_village', reason: '户籍在南彰镇' })).statusCode).toBe(
      200,
    );
    expect((await leadRow(id)).status).toBe('dismissed');
  });
});

describe('a lead about a person who is not in the registry', () => {
  const newcomer = buildIdNumber('410225', new Date('1980-03-15T00:00:00Z'), 731, 'male');
  const spouse = buildIdNumber('410225', new Date('1982-07-09T00:00:00Z'), 733, 'female');
  let caseId: string;

  it('becomes a case without a household', async () => {
    const reported = await selfReport(new TestClient(harness.app), villageToken, {
      name: '刘新户',
      idNumber: newcomer,
      difficultyTypes: ['disaster'],
    });
    expect(reported.statusCode).toBe(200);
    const leads = (await village.get('/api/monitoring/leads?status=open&pageSize=100')).json().items;
    const lead = leads.find((item: { name: string }) => item.name === '刘新户');
    expect(lead.householdId).toBeNull();
    const opened = await village.post(`/api/monitoring/leads/${lead.id}/case`);
    expect(opened.statusCode).toBe(200);
    caseId = opened.json().id;
    const detail = await caseOf(village, caseId);
    expect(detail).toMatchObject({
      householdId: null,
      householdNo: null,
      headName: '刘新户',
      state: 'consent',
    });
    expect(detail.idNumber).toMatch(/\*/);
    // it waits on the village's to-do list like any other case
    const todos = (await village.get('/api/workbench/todos')).json();
    expect(todos.items.some((item: { id: string }) => item.id === caseId)).toBe(true);
  });

  it('verification records the household through the registry before the chain goes on', async () => {
    await upload(village, caseId, 'consent', jpeg);
    expect((await step(village, caseId, 'pass')).statusCode).toBe(200);
    const base = {
      verifiers: ['王五', '赵六'],
      findings: '房屋受灾倒塌',
      category: 'sudden_hardship',
      risks: ['disaster'],
      measures: ['housing:农村危房改造'],
    };
    const missing = await step(village, caseId, 'pass', base);
    expect(missing.json().details.fields.household).toMatch(/家庭成员/);
    const withoutReporter = await step(village, caseId, 'pass', {
      ...base,
      household: { members: [{ name: '刘妻', idNumber: spouse, relation: 'head' }] },
    });
    expect(withoutReporter.json().details.fields.household).toMatch(/申报人/);
    const registered = household.members[1]?.idNumber as string;
    const known = await step(village, caseId, 'pass', {
      ...base,
      household: {
        members: [
          { name: '刘新户', idNumber: newcomer, relation: 'head' },
          { name: '王秀兰', idNumber: registered, relation: 'spouse' },
        ],
      },
    });
    expect(known.json().details.fields.household).toMatch(/已在台账中/);
    const passed = await step(village, caseId, 'pass', {
      ...base,
      household: {
        householdPhone: '13912345678',
        members: [
          { name: '刘新户', idNumber: newcomer, relation: 'head' },
          { name: '陈桂芳', idNumber: spouse, relation: 'spouse', phone: '13912345679' },
        ],
      },
    });
    expect(passed.statusCode).toBe(200);
    const detail = passed.json();
    expect(detail.state).toBe('cross_check');
    expect(detail.householdId).not.toBeNull();
    expect(detail.householdNo).toMatch(/^SW410225101200\d{4}$/);
    const persons = await harness.database.db
      .selectFrom('persons')
      .select(['name', 'relation', 'gender', 'regionCode'])
      .where('householdId', '=', detail.householdId)
      .orderBy('id')
      .execute();
    expect(persons).toEqual([
      { name: '刘新户', relation: 'head', gender: 'male', regionCode: regions.chengnei },
      { name: '陈桂芳', relation: 'spouse', gender: 'female', regionCode: regions.chengnei },
    ]);
    const history = await harness.database.db
      .selectFrom('fieldHistory')
      .select(['entity', 'field', 'source'])
      .where('householdId', '=', detail.householdId)
      .execute();
    expect(new Set(history.map((row) => row.source))).toEqual(new Set(['cadre']));
    expect(history.filter((row) => row.entity === 'person' && row.field === 'idNumber').length).toBe(2);
  });

  it('walks the rest of the chain and records the new household as monitored', async () => {
    expect((await step(township, caseId, 'pass', { result: '比对无异常' })).statusCode).toBe(200);
    expect((await step(village, caseId, 'pass', { attendees: 10, result: '同意纳入' })).statusCode).toBe(200);
    await age(caseId, 7);
    await village.request({
      method: 'PUT',
      url: `/api/monitoring/cases/${caseId}/notice`,
      payload: { startsOn: daysAgo(7), endsOn: daysAgo(1), place: '村务公开栏' },
    });
    expect((await step(village, caseId, 'pass')).statusCode).toBe(200);
    expect((await step(township, caseId, 'pass')).statusCode).toBe(200);
    const approved = await step(county, caseId, 'pass');
    expect(approved.statusCode).toBe(200);
    const row = await harness.database.db
      .selectFrom('households')
      .select(['monitoringCategory', 'riskEliminated'])
      .where('id', '=', approved.json().householdId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ monitoringCategory: 'sudden_hardship', riskEliminated: false });
  });
});
