import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { insertHousehold } from '../../../test/registry-factory.ts';
import { ExchangeService } from './exchange.service.ts';
import {
  buildHousehold,
  defaultHeaders,
  type NationalRow,
  writeNationalCsv,
  writeNationalXlsx,
} from './fixtures/national-file-builder.ts';
import { registryFingerprint } from './fixtures/registry-fingerprint.ts';

let harness: TestApp;
let directory: string;

beforeAll(async () => {
  harness = await createTestApp();
  directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-import-'));
});
afterAll(async () => {
  await harness?.close();
  await rm(directory, { recursive: true, force: true });
});

const fileIn = (name: string) => path.join(directory, name);
const importFile = (filePath: string, options: { dryRun?: boolean; year?: number } = {}) =>
  harness.app.exchange.importNationalFile({ filePath, principal: harness.system, year: 2025, ...options });

async function personByNo(personNo: string) {
  return harness.database.db
    .selectFrom('persons')
    .selectAll()
    .where('personNo', '=', personNo)
    .executeTakeFirstOrThrow();
}

async function householdByNo(householdNo: string) {
  return harness.database.db
    .selectFrom('households')
    .selectAll()
    .where('householdNo', '=', householdNo)
    .executeTakeFirstOrThrow();
}

/** 兰考县: three households in 城内村 and 任庄村; 中牟县: one household in 荣庄村. */
function baseRows(): NationalRow[] {
  return [
    ...buildHousehold({ sequence: 1 }),
    ...buildHousehold({ sequence: 2, place: 'renzhuang', members: 4 }),
    ...buildHousehold({ sequence: 3, members: 2 }),
    ...buildHousehold({ sequence: 4, place: 'rongzhuang' }),
  ];
}

/** baseRows with a few values changed: an income, a risk, a measure list, a person's health, a type. */
function changedRows(): NationalRow[] {
  const rows = baseRows();
  for (const row of rows) {
    if (row.户编号 === '4102251012000001') {
      row['人均纯收入（元）'] = '9100';
      row['致贫/返贫风险2'] = '因学';
      row.就业帮扶 = '技能培训、劳务输出';
    }
  }
  (rows[0] as NationalRow).出生日期 = '19600115';
  (rows[1] as NationalRow).健康状况 = '患有大病';
  (rows[3] as NationalRow).户类型 = '一般农户';
  return rows;
}

describe(ExchangeService.name, () => {
  it('imports a national xlsx as downloaded (title rows, text cells like 19700101.0) without hand editing', async () => {
    const rows = baseRows();
    // A real Excel date in one birth date cell, as when a user retyped it.
    const first = rows[0] as NationalRow;
    first.出生日期 = new Date(Date.UTC(1960, 0, 15));
    const file = fileIn('监测对象信息.xlsx');
    await writeNationalXlsx(file, rows);

    const summary = await importFile(file);

    expect(summary).toMatchObject({
      status: 'succeeded',
      dryRun: false,
      rowsRead: 12,
      households: { inserted: 4, updated: 0, unchanged: 0, markedAbsent: 0 },
      persons: { inserted: 12, updated: 0, unchanged: 0, markedAbsent: 0 },
      rowsRejected: 0,
      errors: [],
      unknownColumns: [],
      unknownValues: [],
    });
    expect(summary.batchId).toMatch(/^\d+$/);
    expect(summary.countyTotals).toEqual([
      {
        countyCode: '410122',
        countyName: '中牟县',
        fileHouseholds: 1,
        filePersons: 3,
        platformHouseholds: 1,
        platformPersons: 3,
      },
      {
        countyCode: '410225',
        countyName: '兰考县',
        fileHouseholds: 3,
        filePersons: 9,
        platformHouseholds: 3,
        platformPersons: 9,
      },
    ]);

    const head = await personByNo('410225101200000101');
    expect(head).toMatchObject({
      regionCode: regions.chengnei,
      relation: 'head',
      gender: 'male',
      idType: 'resident_id',
      ethnicity: '汉族',
      education: 'junior_secondary',
      health: 'healthy',
      laborSkill: 'ordinary',
      residentMedicalInsurance: true,
      status: 'active',
    });
    expect(head.birthDate?.toISOString().slice(0, 10)).toBe('1960-01-15');
    // 性别 2 → 女, blank 证件类型 → 居民身份证
    const third = await personByNo('410225101200000103');
    expect(third).toMatchObject({ gender: 'male', idType: 'resident_id', relation: 'son' });
    const spouse = await personByNo('410225101200000102');
    expect(spouse).toMatchObject({ gender: 'female', health: 'chronic_illness' });

    const household = await householdByNo('4102251012000001');
    expect(household).toMatchObject({
      regionCode: regions.chengnei,
      householdType: 'lifted',
      monitoringCategory: 'marginal',
      identifiedAt: '202303',
      riskEliminated: false,
      householdPhone: '13812345678',
      arableLand: '3.5',
      status: 'active',
      lastBatchId: summary.batchId,
    });
    // 荣庄村 in the file is 荣庄村委会 in the region tree.
    expect((await householdByNo('4101221012050004')).regionCode).toBe(regions.rongzhuang);

    const income = await harness.database.db
      .selectFrom('householdIncomes')
      .selectAll()
      .where('householdId', '=', household.id)
      .executeTakeFirstOrThrow();
    expect(income).toMatchObject({
      year: 2025,
      netIncomePerPerson: '8650.00',
      wageIncome: '12000',
      postNetIncome: null,
    });
    const risks = await harness.database.db
      .selectFrom('householdRisks')
      .select(['position', 'riskType'])
      .where('householdId', '=', household.id)
      .execute();
    expect(risks).toEqual([{ position: 1, riskType: 'illness' }]);
    const measures = await harness.database.db
      .selectFrom('householdMeasures')
      .select(['category', 'value'])
      .where('householdId', '=', household.id)
      .orderBy('value')
      .execute();
    expect(measures).toEqual([
      { category: 'employment', value: '外出务工补贴' },
      { category: 'employment', value: '技能培训' },
    ]);
    const created = await harness.database.db
      .selectFrom('fieldHistory')
      .select(({ fn }) => fn.countAll<string>().as('count'))
      .where('batchId', '=', summary.batchId)
      .where('field', '=', '_created')
      .executeTakeFirstOrThrow();
    expect(Number(created.count)).toBe(16);

    const batch = await harness.database.db
      .selectFrom('importBatches')
      .selectAll()
      .where('id', '=', summary.batchId)
      .executeTakeFirstOrThrow();
    expect(batch).toMatchObject({
      kind: 'national_sync',
      status: 'succeeded',
      phase: 'done',
      rowsRead: '12',
    });
    expect(batch.fileSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports zero changes when the same file is imported again', async () => {
    const summary = await importFile(fileIn('监测对象信息.xlsx'));
    expect(summary.households).toEqual({ inserted: 0, updated: 0, unchanged: 4, markedAbsent: 0 });
    expect(summary.persons).toEqual({ inserted: 0, updated: 0, unchanged: 12, markedAbsent: 0 });
    const history = await harness.database.db
      .selectFrom('fieldHistory')
      .select('id')
      .where('batchId', '=', summary.batchId)
      .execute();
    expect(history).toEqual([]);
  });

  it('imports the same data from a GB18030 csv and from a UTF-8 csv with BOM without changes', async () => {
    const rows = baseRows();
    (rows[0] as NationalRow).出生日期 = '19600115';
    const gb18030 = fileIn('监测对象-gbk.csv');
    await writeNationalCsv(gb18030, rows, { encoding: 'gb18030' });
    const fromGb = await importFile(gb18030);
    expect(fromGb.status).toBe('succeeded');
    expect(fromGb.unknownValues).toEqual([]);
    expect(fromGb.persons).toEqual({ inserted: 0, updated: 0, unchanged: 12, markedAbsent: 0 });

    const utf8 = fileIn('监测对象-utf8.csv');
    await writeNationalCsv(utf8, rows, { encoding: 'utf-8-bom' });
    const fromUtf8 = await importFile(utf8);
    expect(fromUtf8.persons).toEqual({ inserted: 0, updated: 0, unchanged: 12, markedAbsent: 0 });
    expect(fromUtf8.households.unchanged).toBe(4);
  });

  it('records a changed value in the field history with its batch, and counts it as updated', async () => {
    const file = fileIn('changed.csv');
    await writeNationalCsv(file, changedRows());

    const summary = await importFile(file);

    expect(summary.households).toEqual({ inserted: 0, updated: 2, unchanged: 2, markedAbsent: 0 });
    expect(summary.persons).toEqual({ inserted: 0, updated: 1, unchanged: 11, markedAbsent: 0 });
    const history = await harness.database.db
      .selectFrom('fieldHistory')
      .select(['entity', 'field', 'oldValue', 'newValue', 'source', 'personId'])
      .where('batchId', '=', summary.batchId)
      .orderBy('entity')
      .orderBy('field')
      .execute();
    const spouse = await personByNo('410225101200000102');
    expect(history).toEqual([
      {
        entity: 'household',
        field: 'householdType',
        oldValue: 'lifted',
        newValue: 'ordinary',
        source: 'national_sync',
        personId: null,
      },
      {
        entity: 'income:2025',
        field: 'netIncomePerPerson',
        oldValue: '8650.00',
        newValue: '9100',
        source: 'national_sync',
        personId: null,
      },
      {
        entity: 'measures',
        field: 'employment',
        oldValue: '外出务工补贴,技能培训',
        newValue: '劳务输出,技能培训',
        source: 'national_sync',
        personId: null,
      },
      {
        entity: 'person',
        field: 'health',
        oldValue: 'chronic_illness',
        newValue: 'serious_illness',
        source: 'national_sync',
        personId: spouse.id,
      },
      {
        entity: 'risks',
        field: 'risks',
        oldValue: 'illness',
        newValue: 'illness,schooling',
        source: 'national_sync',
        personId: null,
      },
    ]);
    expect(spouse.health).toBe('serious_illness');
    expect(spouse.lastBatchId).toBe(summary.batchId);
  });

  it('marks members and households missing from the snapshot absent, never deletes them, and revives them', async () => {
    const full = fileIn('changed.csv');
    // The same snapshot without a son and without household 3 (two persons).
    const rows = changedRows().filter(
      (row) => row.人编号 !== '410225101200000103' && row.户编号 !== '4102251012000003',
    );
    const file = fileIn('without-some.csv');
    await writeNationalCsv(file, rows);
    // A household a cadre recorded here (its number not the national system's): never the file's to list.
    const local = await insertHousehold(harness.database.db, {
      regionCode: regions.chengnei,
      householdNo: `SW${regions.chengnei}0001`,
    });
    const personsBefore = await harness.database.db.selectFrom('persons').select('id').execute();

    const summary = await importFile(file);

    expect(summary.persons.markedAbsent).toBe(3);
    expect(summary.households.markedAbsent).toBe(1);
    expect((await householdByNo(`SW${regions.chengnei}0001`)).status).toBe('active');
    const localMembers = await harness.database.db
      .selectFrom('persons')
      .select('status')
      .where('householdId', '=', local.id)
      .execute();
    expect(localMembers.map((member) => member.status)).toEqual(['active', 'active', 'active']);
    expect(await harness.database.db.selectFrom('persons').select('id').execute()).toHaveLength(
      personsBefore.length,
    );
    expect((await personByNo('410225101200000103')).status).toBe('absent');
    expect((await householdByNo('4102251012000003')).status).toBe('absent');
    const lankao = summary.countyTotals.find((county) => county.countyCode === '410225');
    expect(lankao).toMatchObject({
      fileHouseholds: 2,
      filePersons: 6,
      platformHouseholds: 2,
      platformPersons: 6,
    });
    const statusHistory = await harness.database.db
      .selectFrom('fieldHistory')
      .select(['entity', 'oldValue', 'newValue'])
      .where('batchId', '=', summary.batchId)
      .where('field', '=', 'status')
      .execute();
    expect(statusHistory).toHaveLength(4);
    expect(statusHistory.every((row) => row.oldValue === 'active' && row.newValue === 'absent')).toBe(true);

    // Present again → active.
    const revived = await importFile(full);
    expect(revived.persons.updated).toBe(3);
    expect(revived.households.updated).toBe(1);
    expect((await personByNo('410225101200000103')).status).toBe('active');
    expect((await householdByNo('4102251012000003')).status).toBe('active');
  });

  it('leaves counties the file does not cover alone', async () => {
    const onlyLankao = baseRows().filter((row) => row.县 === '兰考县');
    const file = fileIn('lankao-only.csv');
    await writeNationalCsv(file, onlyLankao);
    const summary = await importFile(file);
    expect(summary.countyTotals.map((county) => county.countyCode)).toEqual(['410225']);
    expect(summary.households.markedAbsent).toBe(0);
    expect((await householdByNo('4101221012050004')).status).toBe('active');
  });

  it('changes nothing in a dry run but reports what would change', async () => {
    const rows = baseRows();
    rows.push(...buildHousehold({ sequence: 5, members: 2 }));
    const file = fileIn('dry-run.csv');
    await writeNationalCsv(file, rows);
    const before = await registryFingerprint(harness.database.db);

    const summary = await importFile(file, { dryRun: true });

    expect(summary.status).toBe('succeeded');
    expect(summary.dryRun).toBe(true);
    expect(summary.households.inserted).toBe(1);
    expect(summary.persons.inserted).toBe(2);
    expect(await registryFingerprint(harness.database.db)).toEqual(before);
    const batch = await harness.database.db
      .selectFrom('importBatches')
      .select(['status', 'dryRun'])
      .where('id', '=', summary.batchId)
      .executeTakeFirstOrThrow();
    expect(batch).toEqual({ status: 'succeeded', dryRun: true });
  });

  it('reports unknown columns and unknown code values with counts, and stores those values as blank', async () => {
    const rows = baseRows().map((row) => ({ ...row, 备注说明: '自定义列' }));
    (rows[0] as NationalRow).文化程度 = '博士后';
    (rows[1] as NationalRow).文化程度 = '博士后';
    (rows[2] as NationalRow).出生日期 = '19701340';
    (rows[4] as NationalRow)['耕地面积（亩）'] = '三亩';
    const file = fileIn('unknown.csv');
    await writeNationalCsv(file, rows, { headers: [...defaultHeaders, '备注说明'] });

    const summary = await importFile(file);

    expect(summary.status).toBe('succeeded');
    expect(summary.unknownColumns).toEqual(['备注说明']);
    expect(summary.unknownValues).toEqual([
      { column: '文化程度', value: '博士后', count: 2 },
      { column: '出生日期', value: '19701340', count: 1 },
      { column: '耕地面积（亩）', value: '三亩', count: 1 },
    ]);
    expect((await personByNo('410225101200000101')).education).toBeNull();
    expect((await personByNo('410225101200000103')).birthDate).toBeNull();
  });

  it('marks batches left running by a dead process as failed, and leaves live ones alone', async () => {
    const abandoned = await harness.database.db
      .insertInto('importBatches')
      .values({
        kind: 'national_sync',
        fileName: 'killed.csv',
        status: 'running',
        regionCode: regions.province,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await harness.app.exchange.failAbandonedBatches()).toBe(1);
    const batch = await harness.database.db
      .selectFrom('importBatches')
      .select(['status', 'error'])
      .where('id', '=', abandoned.id)
      .executeTakeFirstOrThrow();
    expect(batch.status).toBe('failed');
    expect(batch.error).toContain('中断');
  });

  // Last: the file covers 兰考县 and marks its other households absent.
  it('tells 村 from 社区 when names are matched without their suffixes', async () => {
    // 文峰区紫薇大道街道 has 三官庙村民委员会 (…200) and 三官庙社区居委会 (…007); 区划代码 wins over names.
    const rows = [
      ...buildHousehold({ sequence: 90, overrides: { 县: '文峰区', 乡: '紫薇大道街道', 村: '三官庙村' } }),
      ...buildHousehold({ sequence: 91, overrides: { 县: '文峰区', 乡: '紫薇大道', 村: '三官庙社区' } }),
      ...buildHousehold({
        sequence: 92,
        overrides: { 县: '兰考县', 乡: '某乡', 村: '某村', 区划代码: '410225101201.0' },
      }),
    ];
    const file = fileIn('anyang.csv');
    await writeNationalCsv(file, rows, { headers: [...defaultHeaders, '区划代码'] });
    const summary = await importFile(file, { dryRun: true });
    expect(summary.errors).toEqual([]);
    expect(summary.countyTotals.map((county) => [county.countyName, county.fileHouseholds])).toEqual([
      ['兰考县', 1],
      ['文峰区', 2],
    ]);
    const places = await harness.app.exchange.importNationalFile({
      filePath: file,
      principal: harness.system,
    });
    expect(places.status).toBe('succeeded');
    expect((await householdByNo('4102251012000090')).regionCode).toBe('410502012200');
    expect((await householdByNo('4102251012000091')).regionCode).toBe('410502012007');
    expect((await householdByNo('4102251012000092')).regionCode).toBe(regions.renzhuang);
  });
});
