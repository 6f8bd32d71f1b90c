import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/database.ts';
import { regions } from '../../../test/fixtures.ts';
import ExcelJS from '../../excel.ts';
import {
  buildHousehold,
  type NationalRow,
  writeNationalCsv,
  writeNationalXlsx,
} from './fixtures/national-file-builder.ts';
import { registryFingerprint } from './fixtures/registry-fingerprint.ts';

let harness: TestApp;
let directory: string;
let lankao: TestClient;
let zhongmou: TestClient;
let village: TestClient;

beforeAll(async () => {
  harness = await createTestApp();
  directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-import-api-'));
  const lankaoUser = await harness.createUser({ role: 'county_user', regionCode: regions.lankao });
  const zhongmouUser = await harness.createUser({ role: 'county_user', regionCode: regions.zhongmou });
  const villageUser = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
  lankao = await harness.signIn(lankaoUser.username);
  zhongmou = await harness.signIn(zhongmouUser.username);
  village = await harness.signIn(villageUser.username);
});
afterAll(async () => {
  await harness?.close();
  await rm(directory, { recursive: true, force: true });
});

function multipartBody(fields: Record<string, string>, file: { name: string; content: Buffer }) {
  const boundary = `----shouwang${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(client: TestClient, filePath: string, fields: Record<string, string> = {}) {
  const body = multipartBody(fields, { name: path.basename(filePath), content: await readFile(filePath) });
  return client.request({ method: 'POST', url: '/api/imports/national', ...body });
}

/** Polls the batch as the page does until the import has ended. */
async function waitForBatch(client: TestClient, batchId: string) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const response = await client.get(`/api/imports/${batchId}`);
    expect(response.statusCode).toBe(200);
    const batch = response.json();
    if (batch.status !== 'running') return batch;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`batch ${batchId} did not finish`);
}

describe('imports API', () => {
  let lankaoBatchId: string;

  it('takes an upload, answers with the batch at once and shows the result when done', async () => {
    const file = path.join(directory, '兰考县监测对象.xlsx');
    await writeNationalXlsx(file, [
      ...buildHousehold({ sequence: 1 }),
      ...buildHousehold({ sequence: 2, place: 'renzhuang' }),
    ]);
    const response = await upload(lankao, file, { dryRun: 'false', year: '2025' });
    expect(response.statusCode).toBe(202);
    lankaoBatchId = response.json().batchId;
    const batch = await waitForBatch(lankao, lankaoBatchId);
    expect(batch).toMatchObject({
      status: 'succeeded',
      phase: 'done',
      fileName: '兰考县监测对象.xlsx',
      statisticsYear: 2025,
      dryRun: false,
      rowsRead: 6,
      regionCode: regions.lankao,
      summary: { status: 'succeeded', households: { inserted: 2 }, persons: { inserted: 6 } },
    });
    // The audit entry and the removal of the upload follow the batch's commit.
    await harness.app.exchange.drain();
    const audit = await harness.database.db
      .selectFrom('auditLog')
      .select(['outcome', 'detail'])
      .where('action', '=', 'imports.national')
      .where('targetId', '=', lankaoBatchId)
      .executeTakeFirstOrThrow();
    expect(audit.outcome).toBe('success');
    expect(audit.detail).toMatchObject({ persons: { inserted: 6 } });
    // The uploaded copy is removed once the import has ended.
    const uploads = await import('node:fs/promises').then((fs) =>
      fs.readdir(path.join(harness.app.config.dataDir, 'uploads')).catch(() => []),
    );
    expect(uploads.filter((name) => name.endsWith('.xlsx') && name.length === 41)).toEqual([]);
  });

  it('keeps batches within the region: another county gets 404 and an empty list', async () => {
    expect((await zhongmou.get(`/api/imports/${lankaoBatchId}`)).statusCode).toBe(404);
    expect((await zhongmou.get(`/api/imports/${lankaoBatchId}/errors.xlsx`)).statusCode).toBe(404);
    const list = await zhongmou.get('/api/imports');
    expect(list.json().items.map((item: { id: string }) => item.id)).not.toContain(lankaoBatchId);
    const own = await lankao.get('/api/imports?pageSize=5');
    expect(own.json().items[0]).toMatchObject({ id: lankaoBatchId, status: 'succeeded' });
    expect(own.json().total).toBe(1);
  });

  it('refuses rows of another county from a county user, locating each one', async () => {
    const before = await registryFingerprint(harness.database.db);
    const file = path.join(directory, 'other-county.csv');
    await writeNationalCsv(file, buildHousehold({ sequence: 7, place: 'chengnei' }));
    const response = await upload(zhongmou, file);
    expect(response.statusCode).toBe(202);
    const batch = await waitForBatch(zhongmou, response.json().batchId);
    expect(batch.status).toBe('failed');
    expect(batch.summary.rowsRejected).toBe(3);
    expect(batch.summary.errors[0]).toEqual({
      row: 2,
      column: '村',
      value: '城内村',
      reason: '村“城内村”（410225101200）不在您的管辖范围内',
    });
    expect(await registryFingerprint(harness.database.db)).toEqual(before);
  });

  it('refuses a 户编号 the registry holds in another county', async () => {
    const before = await registryFingerprint(harness.database.db);
    const rows = buildHousehold({ sequence: 1, place: 'rongzhuang' }).map(
      (row): NationalRow => ({
        ...row,
        户编号: '4102251012000001',
        人编号: `${row.人编号}`,
      }),
    );
    const file = path.join(directory, 'stolen.csv');
    await writeNationalCsv(file, rows);
    const batch = await waitForBatch(zhongmou, (await upload(zhongmou, file)).json().batchId);
    expect(batch.status).toBe('failed');
    expect(batch.summary.errors[0].reason).toBe(
      '户编号 4102251012000001 已登记在河南省开封市兰考县堌阳镇城内村，不在您的管辖范围内，不能由本次导入修改',
    );
    expect(await registryFingerprint(harness.database.db)).toEqual(before);
  });

  it('lets the user download the located errors of a failed batch as xlsx', async () => {
    const list = await zhongmou.get('/api/imports');
    const failed = list.json().items.find((item: { status: string }) => item.status === 'failed');
    const response = await zhongmou.get(`/api/imports/${failed.id}/errors.xlsx`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(String(sheet?.getRow(1).getCell(1).value)).toContain(`批次 ${failed.id}`);
    expect(sheet?.getRow(2).values).toEqual([undefined, '行号', '列', '值', '原因']);
    expect(sheet?.getRow(3).getCell(1).value).toBe(2);
    expect(sheet?.rowCount).toBe(2 + failed.summary.rowsRejected);
  });

  it('answers a dry run with counts and leaves the registry as it was', async () => {
    const before = await registryFingerprint(harness.database.db);
    const file = path.join(directory, 'dry.csv');
    await writeNationalCsv(file, [...buildHousehold({ sequence: 1 }), ...buildHousehold({ sequence: 9 })]);
    const batch = await waitForBatch(
      lankao,
      (await upload(lankao, file, { dryRun: 'true', year: '2025' })).json().batchId,
    );
    expect(batch).toMatchObject({
      status: 'succeeded',
      dryRun: true,
      summary: {
        dryRun: true,
        households: { inserted: 1, unchanged: 1, markedAbsent: 1 },
        persons: { inserted: 3, unchanged: 3, markedAbsent: 3 },
      },
    });
    expect(await registryFingerprint(harness.database.db)).toEqual(before);
  });

  it('refuses imports to users without imports:run and requests without the CSRF token', async () => {
    const file = path.join(directory, 'dry.csv');
    expect((await upload(village, file)).statusCode).toBe(403);
    expect((await village.get('/api/imports')).statusCode).toBe(403);
    const body = multipartBody({}, { name: 'dry.csv', content: await readFile(file) });
    const response = await lankao.request({
      method: 'POST',
      url: '/api/imports/national',
      ...body,
      headers: { ...body.headers, 'x-csrf-token': 'forged' },
    });
    expect(response.statusCode).toBe(403);
  });

  it('says so when the upload has no file or an unsupported one', async () => {
    const boundary = '----empty';
    const empty = await lankao.request({
      method: 'POST',
      url: '/api/imports/national',
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="dryRun"\r\n\r\ntrue\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('exchange.upload_missing');
    const text = path.join(directory, 'notes.docx');
    await import('node:fs/promises').then((fs) => fs.writeFile(text, 'hello'));
    const wrongType = await upload(lankao, text);
    expect(wrongType.statusCode).toBe(202);
    const batch = await waitForBatch(lankao, wrongType.json().batchId);
    expect(batch).toMatchObject({ status: 'failed', summary: null });
    expect(batch.error).toContain('不支持的文件类型');
  });

  it('shows a province import to the regions it covered, cut down to their own counties', async () => {
    const signInAs = async (role: string, regionCode: string) =>
      harness.signIn((await harness.createUser({ role, regionCode })).username);
    const province = await signInAs('province_admin', regions.province);
    const kaifeng = await signInAs('city_user', regions.kaifeng);
    const zhengzhou = await signInAs('city_user', regions.zhengzhou);

    // 兰考 and 中牟 in one file, the same ID twice in 兰考: refused with located errors.
    const rows = [
      ...buildHousehold({ sequence: 41 }),
      ...buildHousehold({ sequence: 42, place: 'rongzhuang' }),
    ];
    (rows[1] as NationalRow).证件号码 = (rows[0] as NationalRow).证件号码 ?? null;
    const refusedFile = path.join(directory, '河南省监测对象-有错.xlsx');
    await writeNationalXlsx(refusedFile, rows);
    const refusedId = (await upload(province, refusedFile, { year: '2025' })).json().batchId;
    const whole = await waitForBatch(province, refusedId);
    expect(whole).toMatchObject({ view: 'full', status: 'failed', summary: { status: 'failed' } });
    expect(whole.summary.errors.length).toBeGreaterThan(0);
    const countiesOf = (batch: { summary: { countyTotals: Array<{ countyName: string }> } }) =>
      batch.summary.countyTotals.map((county) => county.countyName);
    expect(countiesOf(whole).sort()).toEqual(['中牟县', '兰考县']);

    const covered: Array<[TestClient, string]> = [
      [lankao, '兰考县'],
      [kaifeng, '兰考县'],
      [zhongmou, '中牟县'],
      [zhengzhou, '中牟县'],
    ];
    for (const [client, county] of covered) {
      const response = await client.get(`/api/imports/${refusedId}`);
      expect(response.statusCode).toBe(200);
      const seen = response.json();
      expect(seen).toMatchObject({ view: 'covering', status: 'failed', regionCode: regions.province });
      expect(seen.summary.errors).toEqual([]);
      expect(seen.summary.unknownValues).toEqual([]);
      expect(countiesOf(seen)).toEqual([county]);
      const download = await client.get(`/api/imports/${refusedId}/errors.xlsx`);
      expect(download.statusCode).toBe(403);
      expect(download.json().message).toContain('仅导入单位可以下载');
      const list = await client.get('/api/imports?pageSize=50');
      expect(list.json().items.map((item: { id: string }) => item.id)).toContain(refusedId);
    }
    expect((await province.get(`/api/imports/${refusedId}/errors.xlsx`)).statusCode).toBe(200);

    // 中牟 alone: 兰考 and 开封 do not see it, 郑州 and 中牟 do; users without imports:read see no batch.
    expect((await village.get(`/api/imports/${refusedId}`)).statusCode).toBe(403);
    const zhongmouFile = path.join(directory, '河南省监测对象-中牟.xlsx');
    await writeNationalXlsx(zhongmouFile, buildHousehold({ sequence: 43, place: 'rongzhuang' }));
    const zhongmouId = (await upload(province, zhongmouFile, { year: '2025' })).json().batchId;
    expect(await waitForBatch(province, zhongmouId)).toMatchObject({ view: 'full', status: 'succeeded' });
    for (const client of [lankao, kaifeng]) {
      expect((await client.get(`/api/imports/${zhongmouId}`)).statusCode).toBe(404);
      const list = await client.get('/api/imports?pageSize=50');
      expect(list.json().items.map((item: { id: string }) => item.id)).not.toContain(zhongmouId);
    }
    for (const client of [zhongmou, zhengzhou]) {
      const seen = (await client.get(`/api/imports/${zhongmouId}`)).json();
      expect(seen).toMatchObject({ view: 'covering', status: 'succeeded' });
      expect(countiesOf(seen)).toEqual(['中牟县']);
    }
  });
});

describe('shouwang import national', () => {
  const run = promisify(execFile);
  const cli = path.resolve(import.meta.dirname, '../../../bin/shouwang.js');

  it('prints the summary as one JSON object with --json and exits 0, or 1 with the located errors', async () => {
    const database = await createTestDatabase();
    try {
      const env = { ...process.env, DATABASE_URL: database.url };
      const file = path.join(directory, 'cli.csv');
      await writeNationalCsv(file, [...buildHousehold({ sequence: 1 }), ...buildHousehold({ sequence: 2 })], {
        encoding: 'gb18030',
      });
      const output = await run('node', [cli, 'import', 'national', file, '--json', '--year', '2025'], {
        env,
      });
      const summary = JSON.parse(output.stdout);
      expect(summary).toMatchObject({
        status: 'succeeded',
        rowsRead: 6,
        households: { inserted: 2, updated: 0, unchanged: 0, markedAbsent: 0 },
        persons: { inserted: 6, updated: 0, unchanged: 0, markedAbsent: 0 },
      });
      expect(output.stderr).toContain('户：新增 2');

      const rows = buildHousehold({ sequence: 1 });
      (rows[1] as NationalRow).证件号码 = '12345';
      const bad = path.join(directory, 'cli-bad.csv');
      await writeNationalCsv(bad, rows);
      const failure = await run('node', [cli, 'import', 'national', bad], { env }).catch(
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect((failure as { code: number }).code).toBe(1);
      expect(failure.stderr).toContain('第 3 行 证件号码（12345）：证件号码格式不正确');
      expect(failure.stderr).toContain('shouwang import errors');
    } finally {
      await database.drop();
    }
  }, 60_000);
});
