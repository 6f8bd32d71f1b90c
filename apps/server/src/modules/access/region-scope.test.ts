import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { type InsertedHousehold, insertHousehold } from '../../../test/registry-factory.ts';

/**
 * Walks every route that returns region-bound data as a user of another region and proves that the
 * rows of the owner's region never come back: detail routes answer 404 exactly like a missing record,
 * list routes leave them out. A route declared `regionBound` without a probe here fails the suite.
 */
let harness: TestApp;
let owner: { village: TestClient; county: TestClient; countyUserId: string };
let outsider: { village: TestClient; county: TestClient };
let ownerVillageUserId: string;

beforeAll(async () => {
  harness = await createTestApp();
  // Permissions are data: let county users read and export the audit log of their county for this walk.
  await harness.database.db
    .insertInto('rolePermissions')
    .values([
      { roleCode: 'county_user', permission: 'audit:read' },
      { roleCode: 'county_user', permission: 'audit:export' },
      { roleCode: 'county_user', permission: 'rules:write' },
    ])
    .execute();
  const ownerVillage = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
  ownerVillageUserId = ownerVillage.id;
  const outsiderVillage = await harness.createUser({ role: 'village_user', regionCode: regions.renzhuang });
  const ownerCounty = await harness.createUser({ role: 'county_user', regionCode: regions.lankao });
  const outsiderCounty = await harness.createUser({ role: 'county_user', regionCode: regions.zhongmou });
  owner = {
    village: await harness.signIn(ownerVillage.username),
    county: await harness.signIn(ownerCounty.username),
    countyUserId: ownerCounty.id,
  };
  outsider = {
    village: await harness.signIn(outsiderVillage.username),
    county: await harness.signIn(outsiderCounty.username),
  };
});
afterAll(async () => {
  await harness?.close();
});

// Registry: one household of the owner's village.
let ownerHousehold: InsertedHousehold;
beforeAll(async () => {
  ownerHousehold = await insertHousehold(harness.database.db, { regionCode: regions.chengnei });
});
// Analytics: the cube rebuilt with that household.
beforeAll(async () => {
  await harness.app.analytics.refresh('test');
});
const registryRow = (table: 'households' | 'persons', id: () => string | undefined) => () =>
  harness.database.db
    .selectFrom(table)
    .selectAll()
    .where('id', '=', id() ?? '')
    .execute();

// Exchange: one import batch of the owner's county, with a row error.
let ownerBatchId: string;
beforeAll(async () => {
  const batch = await harness.database.db
    .insertInto('importBatches')
    .values({ kind: 'national_sync', fileName: 'probe.csv', status: 'failed', regionCode: regions.lankao })
    .returning('id')
    .executeTakeFirstOrThrow();
  ownerBatchId = batch.id;
  await harness.database.db
    .insertInto('importRowErrors')
    .values({ batchId: batch.id, rowNumber: 2, columnName: '村', value: 'scope-probe', reason: '探针' })
    .execute();
});

// Monitoring: a lead, a case with an attachment and an objection, and a monitored household, all of the owner's village.
let ownerLeadId: string;
let ownerCaseId: string;
let ownerAttachmentId: string;
let ownerObjectionId: string;
let ownerMonitored: InsertedHousehold;
beforeAll(async () => {
  const db = harness.database.db;
  const lead = await db
    .insertInto('monitoringLeads')
    .values({
      regionCode: regions.chengnei,
      channel: 'cadre_visit',
      mergeKey: `household:${ownerHousehold.id}`,
      householdId: ownerHousehold.id,
      name: '探针',
      difficultyTypes: ['illness'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ownerLeadId = lead.id;
  const created = await db
    .insertInto('monitoringCases')
    .values({
      kind: 'identification',
      regionCode: regions.chengnei,
      householdId: ownerHousehold.id,
      leadId: lead.id,
      state: 'notice',
      stepStartedAt: new Date(),
      stepDueAt: new Date(Date.now() + 86_400_000),
      chainDueAt: null,
      createdBy: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ownerCaseId = created.id;
  const attachment = await db
    .insertInto('monitoringAttachments')
    .values({
      caseId: created.id,
      regionCode: regions.chengnei,
      kind: 'consent',
      fileName: 'probe.pdf',
      mediaType: 'application/pdf',
      sizeBytes: 8,
      sha256: '0'.repeat(64),
      content: Buffer.from('%PDF-1.4'),
      userId: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ownerAttachmentId = attachment.id;
  const objection = await db
    .insertInto('monitoringObjections')
    .values({
      caseId: created.id,
      regionCode: regions.chengnei,
      receivedOn: '2026-11-20',
      content: '探针',
      objector: null,
      userId: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ownerObjectionId = objection.id;
  ownerMonitored = await insertHousehold(db, {
    regionCode: regions.chengnei,
    monitoringCategory: 'marginal',
    identifiedAt: '202301',
    riskEliminated: false,
  });
  // Approved this month: in the month's export of the owner's county.
  await db
    .insertInto('monitoringCases')
    .values({
      kind: 'identification',
      regionCode: regions.chengnei,
      householdId: ownerMonitored.id,
      leadId: null,
      state: 'approved',
      stepStartedAt: new Date(),
      stepDueAt: null,
      chainDueAt: null,
      createdBy: null,
      outcome: 'approved',
      closedAt: new Date(),
    })
    .execute();
});
const monitoringRows = () =>
  harness.database.db.selectFrom('monitoringCases').selectAll().orderBy('id').execute();
// Quality: a run of the owner's county, a finding of the owner's household with a pending exemption.
let ownerRunId: string;
let ownerFindingId: string;
let ownerExemptionId: string;
beforeAll(async () => {
  const db = harness.database.db;
  const run = await db
    .insertInto('qualityRuns')
    .values({
      trigger: 'ui',
      status: 'succeeded',
      regionCode: regions.lankao,
      householdCount: null,
      startedBy: 'probe',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ownerRunId = run.id;
  const now = new Date();
  const finding = await db
    .insertInto('qualityFindings')
    .values({
      ruleCode: 'HH-001',
      householdId: ownerHousehold.id,
      personId: null,
      regionCode: regions.chengnei,
      status: 'open',
      firstSeenRun: run.id,
      firstSeenAt: now,
      lastSeenRun: run.id,
      lastSeenAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ownerFindingId = finding.id;
  const exemption = await db
    .insertInto('qualityExemptions')
    .values({
      findingId: finding.id,
      regionCode: regions.chengnei,
      reason: '探针',
      status: 'requested',
      expiresAt: new Date(Date.now() + 86_400_000 * 30),
      requestedBy: null,
      requestedByName: '探针',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ownerExemptionId = exemption.id;
});
const qualityRows = (table: 'qualityRuns' | 'qualityExemptions' | 'qualityFindings') => () =>
  harness.database.db.selectFrom(table).selectAll().orderBy('id').execute();
const workbookCells = async (body: Buffer, sheetIndex: number, column: number) => {
  const ExcelJS = (await import('../../excel.ts')).default;
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
  } catch {
    return []; // a 404 answer is not a workbook
  }
  const cells: string[] = [];
  const sheets = sheetIndex < 0 ? workbook.worksheets : [workbook.worksheets[sheetIndex]];
  for (const sheet of sheets) sheet?.eachRow((row) => cells.push(String(row.getCell(column).value ?? '')));
  return cells;
};

type Probe =
  | {
      kind: 'detail';
      as: 'village' | 'county';
      url: () => string;
      method?: 'GET' | 'POST' | 'PATCH' | 'PUT';
      /** For writes: what must not change (default: the users table). */
      unchanged?: () => Promise<unknown>;
    }
  | { kind: 'list'; as: 'village' | 'county'; url: () => string; contains: (body: unknown) => boolean }
  | {
      kind: 'file';
      as: 'village' | 'county';
      url: () => string;
      contains: (body: Buffer) => Promise<boolean>;
    };

const probes: Record<string, Probe> = {
  'GET /api/imports': {
    kind: 'list',
    as: 'county',
    url: () => '/api/imports?pageSize=100',
    contains: (body) =>
      (body as { items: Array<{ id: string }> }).items.some((item) => item.id === ownerBatchId),
  },
  'GET /api/imports/:id': { kind: 'detail', as: 'county', url: () => `/api/imports/${ownerBatchId}` },
  'GET /api/imports/:id/errors.xlsx': {
    kind: 'file',
    as: 'county',
    url: () => `/api/imports/${ownerBatchId}/errors.xlsx`,
    contains: async (body) => {
      const ExcelJS = (await import('../../excel.ts')).default;
      const workbook = new ExcelJS.Workbook();
      try {
        await workbook.xlsx.load(body as unknown as ArrayBuffer);
      } catch {
        return false; // a 404 answer is not a workbook
      }
      const values: string[] = [];
      workbook.worksheets[0]?.eachRow((row) => values.push(String(row.getCell(3).value ?? '')));
      return values.includes('scope-probe');
    },
  },
  'GET /api/analytics/reports/:name': {
    kind: 'detail',
    as: 'county',
    url: () => `/api/analytics/reports/population?regionCode=${regions.lankao}`,
  },
  'GET /api/analytics/reports/:name/export': {
    kind: 'detail',
    as: 'village',
    url: () => `/api/analytics/reports/age/export?regionCode=${regions.chengnei}`,
  },
  'GET /api/analytics/custom/counts': {
    kind: 'detail',
    as: 'county',
    url: () => `/api/analytics/custom/counts?scope=household&expression=true&regionCode=${regions.lankao}`,
  },
  // Without a region the list covers the caller's own: the owner's members appear for the owner only.
  'GET /api/analytics/custom/persons': {
    kind: 'list',
    as: 'village',
    url: () => '/api/analytics/custom/persons?scope=person&expression=true&pageSize=200',
    contains: (body) =>
      (body as { items: Array<{ householdNo: string }> }).items.some(
        (item) => item.householdNo === ownerHousehold.householdNo,
      ),
  },
  'GET /api/analytics/custom/counts/export': {
    kind: 'detail',
    as: 'county',
    url: () =>
      `/api/analytics/custom/counts/export?scope=household&expression=true&regionCode=${regions.lankao}`,
  },
  'GET /api/analytics/custom/persons/export': {
    kind: 'file',
    as: 'village',
    url: () => '/api/analytics/custom/persons/export?scope=person&expression=true',
    contains: async (body) => {
      const ExcelJS = (await import('../../excel.ts')).default;
      const workbook = new ExcelJS.Workbook();
      try {
        await workbook.xlsx.load(body as unknown as ArrayBuffer);
      } catch {
        return false;
      }
      const values: string[] = [];
      workbook.worksheets[0]?.eachRow((row) => values.push(String(row.getCell(5).value ?? '')));
      return values.includes(ownerHousehold.householdNo);
    },
  },
  'GET /api/analytics/dashboard': {
    kind: 'detail',
    as: 'county',
    url: () => `/api/analytics/dashboard?regionCode=${regions.lankao}`,
  },
  'GET /api/regions/:code': { kind: 'detail', as: 'village', url: () => `/api/regions/${regions.chengnei}` },
  'GET /api/regions/:code/children': {
    kind: 'detail',
    as: 'county',
    url: () => `/api/regions/${regions.guyang}/children`,
  },
  'GET /api/regions/:code/path': {
    kind: 'detail',
    as: 'village',
    url: () => `/api/regions/${regions.chengnei}/path`,
  },
  'GET /api/regions/search': {
    kind: 'list',
    as: 'village',
    url: () => `/api/regions/search?q=${encodeURIComponent('城内村')}`,
    contains: (body) =>
      (body as { items: Array<{ code: string }> }).items.some((item) => item.code === regions.chengnei),
  },
  'GET /api/users': {
    kind: 'list',
    as: 'county',
    url: () => '/api/users?pageSize=200',
    contains: (body) =>
      (body as { items: Array<{ id: string }> }).items.some((item) => item.id === ownerVillageUserId),
  },
  'GET /api/users/:id': { kind: 'detail', as: 'county', url: () => `/api/users/${ownerVillageUserId}` },
  'POST /api/users/:id/unlock': {
    kind: 'detail',
    as: 'county',
    method: 'POST',
    url: () => `/api/users/${ownerVillageUserId}/unlock`,
  },
  'POST /api/users/:id/enable': {
    kind: 'detail',
    as: 'county',
    method: 'POST',
    url: () => `/api/users/${ownerVillageUserId}/enable`,
  },
  'POST /api/users/:id/disable': {
    kind: 'detail',
    as: 'county',
    method: 'POST',
    url: () => `/api/users/${owner.countyUserId}/disable`,
  },
  'POST /api/users/:id/reset-password': {
    kind: 'detail',
    as: 'county',
    method: 'POST',
    url: () => `/api/users/${ownerVillageUserId}/reset-password`,
  },
  'POST /api/users': { kind: 'detail', as: 'county', method: 'POST', url: () => '/api/users' },
  'GET /api/audit': {
    kind: 'list',
    as: 'county',
    url: () => '/api/audit?pageSize=200',
    contains: (body) =>
      (body as { items: Array<{ regionCode: string }> }).items.some(
        (item) => item.regionCode === regions.chengnei,
      ),
  },
  'GET /api/audit/export': {
    kind: 'file',
    as: 'county',
    url: () => '/api/audit/export',
    contains: async (body) => {
      const ExcelJS = (await import('../../excel.ts')).default;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      const cells: string[] = [];
      workbook.worksheets[0]?.eachRow((row) => cells.push(String(row.getCell(4).value ?? '')));
      return cells.includes(regions.chengnei);
    },
  },
  'GET /api/households': {
    kind: 'list',
    as: 'village',
    url: () => '/api/households?status=all&pageSize=100',
    contains: (body) =>
      (body as { items: Array<{ id: string }> }).items.some((item) => item.id === ownerHousehold.id),
  },
  'GET /api/households/:id': {
    kind: 'detail',
    as: 'village',
    url: () => `/api/households/${ownerHousehold.id}`,
  },
  'GET /api/households/:id/history': {
    kind: 'detail',
    as: 'village',
    url: () => `/api/households/${ownerHousehold.id}/history`,
  },
  'PATCH /api/households/:id': {
    kind: 'detail',
    as: 'village',
    method: 'PATCH',
    url: () => `/api/households/${ownerHousehold.id}`,
    unchanged: registryRow('households', () => ownerHousehold.id),
  },
  'GET /api/persons': {
    kind: 'list',
    as: 'village',
    url: () => '/api/persons?status=all&pageSize=100',
    contains: (body) =>
      (body as { items: Array<{ id: string }> }).items.some(
        (item) => item.id === ownerHousehold.members[0]?.id,
      ),
  },
  'PATCH /api/persons/:id': {
    kind: 'detail',
    as: 'village',
    method: 'PATCH',
    url: () => `/api/persons/${ownerHousehold.members[0]?.id}`,
    unchanged: registryRow('persons', () => ownerHousehold.members[0]?.id),
  },
  'POST /api/persons/:id/reveal': {
    kind: 'detail',
    as: 'village',
    method: 'POST',
    url: () => `/api/persons/${ownerHousehold.members[0]?.id}/reveal`,
    unchanged: () =>
      harness.database.db
        .selectFrom('auditLog')
        .select('id')
        .where('action', '=', 'registry.reveal_personal_data')
        .execute(),
  },
  'GET /api/monitoring/villages/:code/self-report-link': {
    kind: 'detail',
    as: 'village',
    url: () => `/api/monitoring/villages/${regions.chengnei}/self-report-link`,
  },
  'GET /api/monitoring/townships/:code/self-report-qr.pdf': {
    kind: 'detail',
    as: 'county',
    url: () => `/api/monitoring/townships/${regions.guyang}/self-report-qr.pdf`,
  },
  'GET /api/monitoring/exports/national.xlsx': {
    kind: 'file',
    as: 'county',
    url: () =>
      `/api/monitoring/exports/national.xlsx?month=${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7).replace('-', '')}`,
    contains: async (body) => {
      const ExcelJS = (await import('../../excel.ts')).default;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      const cells: string[] = [];
      for (const sheet of workbook.worksheets)
        sheet.eachRow((row) => cells.push(...(row.values as unknown[]).map(String)));
      return cells.includes(ownerMonitored.householdNo);
    },
  },
  'GET /api/monitoring/leads': {
    kind: 'list',
    as: 'village',
    url: () => '/api/monitoring/leads?pageSize=100',
    contains: (body) =>
      (body as { items: Array<{ id: string }> }).items.some((item) => item.id === ownerLeadId),
  },
  'GET /api/monitoring/leads/:id': {
    kind: 'detail',
    as: 'village',
    url: () => `/api/monitoring/leads/${ownerLeadId}`,
  },
  'POST /api/monitoring/leads': {
    kind: 'detail',
    as: 'village',
    method: 'POST',
    url: () => '/api/monitoring/leads',
    unchanged: () => harness.database.db.selectFrom('monitoringLeads').selectAll().orderBy('id').execute(),
  },
  'POST /api/monitoring/leads/:id/case': {
    kind: 'detail',
    as: 'village',
    method: 'POST',
    url: () => `/api/monitoring/leads/${ownerLeadId}/case`,
    unchanged: monitoringRows,
  },
  'POST /api/monitoring/leads/:id/dismiss': {
    kind: 'detail',
    as: 'village',
    method: 'POST',
    url: () => `/api/monitoring/leads/${ownerLeadId}/dismiss`,
    unchanged: () => harness.database.db.selectFrom('monitoringLeads').selectAll().orderBy('id').execute(),
  },
  'POST /api/monitoring/households/:id/elimination': {
    kind: 'detail',
    as: 'village',
    method: 'POST',
    url: () => `/api/monitoring/households/${ownerMonitored.id}/elimination`,
    unchanged: monitoringRows,
  },
  'GET /api/monitoring/cases': {
    kind: 'list',
    as: 'county',
    url: () => '/api/monitoring/cases?pageSize=100',
    contains: (body) =>
      (body as { items: Array<{ id: string }> }).items.some((item) => item.id === ownerCaseId),
  },
  'GET /api/monitoring/cases/:id': {
    kind: 'detail',
    as: 'village',
    url: () => `/api/monitoring/cases/${ownerCaseId}`,
  },
  'POST /api/monitoring/cases/:id/transitions': {
    kind: 'detail',
    as: 'village',
    method: 'POST',
    url: () => `/api/monitoring/cases/${ownerCaseId}/transitions`,
    unchanged: monitoringRows,
  },
  'PUT /api/monitoring/cases/:id/notice': {
    kind: 'detail',
    as: 'village',
    method: 'PUT',
    url: () => `/api/monitoring/cases/${ownerCaseId}/notice`,
    unchanged: () => harness.database.db.selectFrom('monitoringNotices').selectAll().execute(),
  },
  'POST /api/monitoring/cases/:id/objections': {
    kind: 'detail',
    as: 'village',
    method: 'POST',
    url: () => `/api/monitoring/cases/${ownerCaseId}/objections`,
    unchanged: () =>
      harness.database.db.selectFrom('monitoringObjections').selectAll().orderBy('id').execute(),
  },
  'POST /api/monitoring/cases/:id/objections/:objectionId/resolve': {
    kind: 'detail',
    as: 'village',
    method: 'POST',
    url: () => `/api/monitoring/cases/${ownerCaseId}/objections/${ownerObjectionId}/resolve`,
    unchanged: () =>
      harness.database.db.selectFrom('monitoringObjections').selectAll().orderBy('id').execute(),
  },
  'POST /api/monitoring/cases/:id/attachments': {
    kind: 'detail',
    as: 'village',
    method: 'POST',
    url: () => `/api/monitoring/cases/${ownerCaseId}/attachments`,
    unchanged: () =>
      harness.database.db.selectFrom('monitoringAttachments').select('id').orderBy('id').execute(),
  },
  'GET /api/monitoring/cases/:id/attachments/:attachmentId': {
    kind: 'detail',
    as: 'village',
    url: () => `/api/monitoring/cases/${ownerCaseId}/attachments/${ownerAttachmentId}`,
  },
  'GET /api/workbench/todos': {
    kind: 'list',
    as: 'village',
    url: () => '/api/workbench/todos',
    contains: (body) =>
      (body as { items: Array<{ id: string }> }).items.some((item) => item.id === ownerCaseId),
  },
  'GET /api/workbench/progress': {
    kind: 'list',
    as: 'county',
    url: () => '/api/workbench/progress',
    contains: (body) =>
      (body as { items: Array<{ regionCode: string }> }).items.some(
        (item) => item.regionCode === regions.guyang,
      ),
  },
  'POST /api/quality/rules/preview': {
    kind: 'detail',
    as: 'county',
    method: 'POST',
    url: () => '/api/quality/rules/preview',
    unchanged: qualityRows('qualityFindings'),
  },
  'GET /api/quality/runs': {
    kind: 'list',
    as: 'county',
    url: () => '/api/quality/runs?pageSize=200',
    contains: (body) =>
      (body as { items: Array<{ id: string }> }).items.some((item) => item.id === ownerRunId),
  },
  'GET /api/quality/runs/:id': { kind: 'detail', as: 'county', url: () => `/api/quality/runs/${ownerRunId}` },
  'POST /api/quality/runs': {
    kind: 'detail',
    as: 'county',
    method: 'POST',
    url: () => '/api/quality/runs',
    unchanged: qualityRows('qualityRuns'),
  },
  'GET /api/quality/findings': {
    kind: 'list',
    as: 'village',
    url: () => '/api/quality/findings?pageSize=200',
    contains: (body) =>
      (body as { items: Array<{ id: string }> }).items.some((item) => item.id === ownerFindingId),
  },
  'GET /api/quality/findings/by-rule': {
    kind: 'list',
    as: 'village',
    url: () => '/api/quality/findings/by-rule',
    contains: (body) =>
      (body as { items: Array<{ code: string; open: number }> }).items.some(
        (item) => item.code === 'HH-001' && item.open > 0,
      ),
  },
  'GET /api/quality/findings/by-region': {
    kind: 'detail',
    as: 'county',
    url: () => `/api/quality/findings/by-region?regionCode=${regions.guyang}`,
  },
  'GET /api/quality/findings/export.xlsx': {
    kind: 'file',
    as: 'village',
    url: () => '/api/quality/findings/export.xlsx',
    contains: async (body) => (await workbookCells(body, -1, 2)).includes(ownerHousehold.householdNo),
  },
  'GET /api/quality/households/:id/findings': {
    kind: 'detail',
    as: 'village',
    url: () => `/api/quality/households/${ownerHousehold.id}/findings`,
  },
  'GET /api/quality/rankings': {
    kind: 'detail',
    as: 'county',
    url: () => `/api/quality/rankings?regionCode=${regions.guyang}`,
  },
  'GET /api/quality/rankings/export.xlsx': {
    kind: 'file',
    as: 'county',
    url: () => `/api/quality/rankings/export.xlsx?regionCode=${regions.guyang}`,
    contains: async (body) => (await workbookCells(body, 0, 1)).some((cell) => cell.includes('城内')),
  },
  'POST /api/quality/findings/:id/exemptions': {
    kind: 'detail',
    as: 'village',
    method: 'POST',
    url: () => `/api/quality/findings/${ownerFindingId}/exemptions`,
    unchanged: qualityRows('qualityExemptions'),
  },
  'GET /api/quality/exemptions': {
    kind: 'list',
    as: 'village',
    url: () => '/api/quality/exemptions?pageSize=200',
    contains: (body) =>
      (body as { items: Array<{ id: string }> }).items.some((item) => item.id === ownerExemptionId),
  },
  'GET /api/quality/exemptions/:id': {
    kind: 'detail',
    as: 'village',
    url: () => `/api/quality/exemptions/${ownerExemptionId}`,
  },
  'POST /api/quality/exemptions/:id/approve': {
    kind: 'detail',
    as: 'county',
    method: 'POST',
    url: () => `/api/quality/exemptions/${ownerExemptionId}/approve`,
    unchanged: qualityRows('qualityExemptions'),
  },
  'POST /api/quality/exemptions/:id/reject': {
    kind: 'detail',
    as: 'county',
    method: 'POST',
    url: () => `/api/quality/exemptions/${ownerExemptionId}/reject`,
    unchanged: qualityRows('qualityExemptions'),
  },
};

const writeBodies: Record<string, unknown> = {
  'POST /api/monitoring/leads': {
    villageCode: regions.chengnei,
    name: '越权登记',
    idNumber: '41022519800101001X',
    difficultyTypes: ['illness'],
    consent: true,
  },
  'POST /api/monitoring/leads/:id/dismiss': { kind: 'duplicate', reason: '越权' },
  'POST /api/monitoring/cases/:id/transitions': { action: 'pass', version: 1, data: {} },
  'PUT /api/monitoring/cases/:id/notice': { startsOn: '2026-11-20', endsOn: '2026-11-26', place: '越权' },
  'POST /api/monitoring/cases/:id/objections': { receivedOn: '2026-11-20', content: '越权' },
  'POST /api/monitoring/cases/:id/objections/:objectionId/resolve': { resolution: '越权' },
  'POST /api/quality/rules/preview': { whenText: 'true', scope: 'household', regionCode: regions.chengnei },
  'POST /api/quality/runs': { regionCode: regions.lankao },
  'POST /api/quality/findings/:id/exemptions': { reason: '越权申请', expiresAt: '2099-01-01' },
  'POST /api/quality/exemptions/:id/approve': {},
  'POST /api/quality/exemptions/:id/reject': {},
  'PATCH /api/households/:id': { updatedAt: '2026-01-01T00:00:00.000000Z', otherNote: '越权修改' },
  'PATCH /api/persons/:id': { updatedAt: '2026-01-01T00:00:00.000000Z', phone: '13000000000' },
  'POST /api/users/:id/reset-password': { password: 'Reset#Passw0rd' },
  'POST /api/users': {
    username: 'planted',
    displayName: '越权创建',
    password: 'Planted#2026x',
    regionCode: regions.chengnei,
    roles: ['village_user'],
  },
};

describe('region scope', () => {
  it('has a probe for every region-bound route', () => {
    const regionBound = harness.app.guardedRoutes
      .filter(
        (route) =>
          !('public' in route.access && route.access.public) &&
          'regionBound' in route.access &&
          route.access.regionBound,
      )
      .map((route) => `${route.method} ${route.url}`);
    expect(regionBound.length).toBeGreaterThan(5);
    expect(regionBound.filter((key) => !probes[key])).toEqual([]);
  });

  it('every /api route declares whether it is public or region-bound', () => {
    for (const route of harness.app.guardedRoutes) {
      const declared =
        ('public' in route.access && route.access.public) ||
        typeof (route.access as { regionBound?: boolean }).regionBound === 'boolean';
      expect(declared, `${route.method} ${route.url}`).toBe(true);
    }
  });

  for (const [key, probe] of Object.entries(probes)) {
    it(`${key}: the owner's region is invisible to a user of another region`, async () => {
      // Make sure the owner's region has audit rows to find.
      await owner.village.get(`/api/regions/${regions.chengnei}`);
      await harness.app.audit.record({
        action: 'test.scope',
        outcome: 'success',
        regionCode: regions.chengnei,
      });
      const method = probe.kind === 'detail' ? (probe.method ?? 'GET') : 'GET';
      const payload = writeBodies[key];
      const send = (client: TestClient) =>
        client.request({ method, url: probe.url(), payload: payload as object });

      if (method !== 'GET') {
        // Writes: only the outsider tries, and nothing of the owner's region changes.
        const snapshot =
          (probe.kind === 'detail' && probe.unchanged) ||
          (() => harness.database.db.selectFrom('users').selectAll().orderBy('id').execute());
        const before = await snapshot();
        const outsiderResponse = await send(outsider[probe.as]);
        expect(outsiderResponse.statusCode).toBe(404);
        expect(await snapshot()).toEqual(before);
        return;
      }
      const ownerResponse = await send(owner[probe.as]);
      const outsiderResponse = await send(outsider[probe.as]);
      if (probe.kind === 'detail') {
        expect(ownerResponse.statusCode).toBe(200);
        expect(outsiderResponse.statusCode).toBe(404);
      } else if (probe.kind === 'list') {
        expect(ownerResponse.statusCode).toBe(200);
        expect(probe.contains(ownerResponse.json())).toBe(true);
        expect(outsiderResponse.statusCode).toBe(200);
        expect(probe.contains(outsiderResponse.json())).toBe(false);
      } else {
        expect(ownerResponse.statusCode).toBe(200);
        expect(await probe.contains(ownerResponse.rawPayload)).toBe(true);
        expect(await probe.contains(outsiderResponse.rawPayload)).toBe(false);
      }
    });
  }

  it('answers a code outside the scope exactly like a code that does not exist', async () => {
    const outside = await outsider.village.get(`/api/regions/${regions.chengnei}`);
    const missing = await outsider.village.get('/api/regions/410225101999');
    expect(outside.statusCode).toBe(missing.statusCode);
    expect(outside.json().code).toBe(missing.json().code);
  });

  it('lets a county user see every village of the county and nothing beyond it', async () => {
    const search = await owner.county.get(`/api/regions/search?q=${encodeURIComponent('村')}&limit=100`);
    const codes = (search.json().items as Array<{ code: string }>).map((item) => item.code);
    expect(codes.length).toBeGreaterThan(50);
    expect(codes.every((code) => code.startsWith('410225'))).toBe(true);
    expect((await owner.county.get(`/api/regions/${regions.zhongmou}`)).statusCode).toBe(404);
  });
});
