import { buildIdNumber, checkCharacter } from '@shouwang/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { type InsertedHousehold, insertHousehold } from '../../../test/registry-factory.ts';

let harness: TestApp;
let village: TestClient;
let villageUserId: string;
let county: TestClient;
let city: TestClient;
let outsider: TestClient;

/** Households of 城内村 (A–D), 任庄村 (E) and 中牟县 (F). */
let lifted: InsertedHousehold;
let marginal: InsertedHousehold;
let unstable: InsertedHousehold;
let absent: InsertedHousehold;
let neighbour: InsertedHousehold;
let otherCounty: InsertedHousehold;

const maskedId = /^\d{4}\*{10}\d{3}[\dX]$/;
const maskedPhone = /^1\d{2}\*{4}\d{4}$/;

beforeAll(async () => {
  harness = await createTestApp();
  const db = harness.database.db;
  lifted = await insertHousehold(db, {
    regionCode: regions.chengnei,
    householdType: 'lifted',
    members: [
      { name: '张建国' },
      { name: '王秀兰' },
      { name: '张小明', birthDate: '2012-05-06', schooling: 'grade_7', education: null },
      { name: '张老汉', relation: 'father', status: 'deceased' },
    ],
    incomes: [
      { year: 2023, netIncomePerPerson: 9800.5, wageIncome: 20000, transferIncome: 3000 },
      { year: 2024, netIncomePerPerson: 11200, wageIncome: 24000, postNetIncomePerPerson: 11800 },
    ],
    measures: [
      { category: 'employment', value: '外出务工补贴' },
      { category: 'employment', value: '技能培训' },
      { category: 'health', value: '城乡居民基本医疗保险个人缴费补贴' },
    ],
  });
  marginal = await insertHousehold(db, {
    regionCode: regions.chengnei,
    householdType: 'ordinary',
    monitoringCategory: 'marginal',
    identifiedAt: '202303',
    riskEliminated: false,
    risks: ['illness', 'schooling'],
    members: [
      { name: '李秀英', gender: 'female', health: 'serious_illness', laborSkill: 'weak' },
      { name: '刘大山', relation: 'spouse', gender: 'male', laborSkill: 'skilled' },
    ],
  });
  unstable = await insertHousehold(db, {
    regionCode: regions.chengnei,
    householdType: 'lifted',
    monitoringCategory: 'unstable_lifted',
    identifiedAt: '202201',
    riskEliminated: true,
    eliminationMethod: 'assisted',
    eliminatedAt: '202306',
    risks: ['disability'],
    members: [{ name: '赵德福', health: 'disabled', birthDate: '1950-03-04', education: 'illiterate' }],
  });
  absent = await insertHousehold(db, {
    regionCode: regions.chengnei,
    status: 'absent',
    members: [{ name: '钱多多', status: 'absent' }],
  });
  neighbour = await insertHousehold(db, { regionCode: regions.renzhuang, members: [{ name: '王大力' }] });
  otherCounty = await insertHousehold(db, {
    regionCode: regions.rongzhuang,
    monitoringCategory: 'sudden_hardship',
    riskEliminated: false,
    risks: ['illness'],
    members: [{ name: '孙悟空' }],
  });

  const villageUser = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
  villageUserId = villageUser.id;
  village = await harness.signIn(villageUser.username);
  county = await harness.signIn(
    (await harness.createUser({ role: 'county_user', regionCode: regions.lankao })).username,
  );
  city = await harness.signIn(
    (await harness.createUser({ role: 'city_user', regionCode: regions.kaifeng })).username,
  );
  outsider = await harness.signIn(
    (await harness.createUser({ role: 'village_user', regionCode: regions.renzhuang })).username,
  );
});
afterAll(async () => {
  await harness?.close();
});

interface ListBody {
  items: Array<Record<string, unknown> & { id: string }>;
  total: number;
  totalExact: boolean;
}

async function listIds(client: TestClient, query: string): Promise<string[]> {
  const response = await client.get(`/api/households${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as ListBody).items.map((item) => item.id);
}

const patch = (client: TestClient, url: string, payload: object) =>
  client.request({ method: 'PATCH', url, payload });

describe('GET /api/households', () => {
  it('lists the households of the scope in region and 户编号 order, with labels and masked IDs', async () => {
    const response = await village.get('/api/households');
    expect(response.statusCode).toBe(200);
    const body = response.json() as ListBody;
    expect(body.items.map((item) => item.id)).toEqual([lifted.id, marginal.id, unstable.id]);
    expect(body).toMatchObject({ total: 3, totalExact: true });
    const first = body.items[0];
    expect(first).toMatchObject({
      householdNo: lifted.householdNo,
      regionFullName: '河南省开封市兰考县堌阳镇城内村',
      headName: '张建国',
      memberCount: 3,
      householdType: { code: 'lifted', label: '脱贫户' },
      monitoringCategory: null,
      status: 'active',
      statusLabel: '正常',
    });
    expect(first?.headIdNumber).toMatch(maskedId);
    expect(JSON.stringify(body)).not.toContain(lifted.members[0]?.idNumber ?? 'none');
    expect(body.items[1]).toMatchObject({
      monitoringCategory: { code: 'marginal', label: '边缘易致贫户' },
      identifiedAt: '202303',
      riskEliminated: false,
      risks: [
        { code: 'illness', label: '因病' },
        { code: 'schooling', label: '因学' },
      ],
    });
  });

  it('filters by household type, category, risk elimination, risk type and status', async () => {
    expect(await listIds(village, '?householdType=ordinary')).toEqual([marginal.id]);
    expect(await listIds(village, '?householdType=lifted')).toEqual([lifted.id, unstable.id]);
    expect(await listIds(village, '?monitoringCategory=marginal')).toEqual([marginal.id]);
    expect(await listIds(village, '?monitoringCategory=monitored')).toEqual([marginal.id, unstable.id]);
    expect(await listIds(village, '?monitoringCategory=none')).toEqual([lifted.id]);
    expect(await listIds(village, '?riskEliminated=true')).toEqual([unstable.id]);
    expect(await listIds(village, '?riskEliminated=false')).toEqual([marginal.id]);
    expect(await listIds(village, '?riskType=illness')).toEqual([marginal.id]);
    expect(await listIds(village, '?riskType=disability')).toEqual([unstable.id]);
    expect(await listIds(village, '?riskType=water')).toEqual([]);
    expect(await listIds(village, '?status=absent')).toEqual([absent.id]);
    expect(await listIds(village, '?status=all')).toEqual([lifted.id, marginal.id, unstable.id, absent.id]);
    expect(
      await listIds(village, '?monitoringCategory=monitored&riskEliminated=false&riskType=schooling'),
    ).toEqual([marginal.id]);
  });

  it('filters by open quality findings: fixed and exempted ones do not count', async () => {
    const { rows } = await harness.database.pool.query<{ id: string }>(
      `INSERT INTO quality_runs (trigger, status, region_code) VALUES ('cli', 'succeeded', $1) RETURNING id`,
      [regions.chengnei],
    );
    const runId = rows[0]?.id;
    const finding = (household: InsertedHousehold, status: string) =>
      harness.database.pool.query(
        `INSERT INTO quality_findings (rule_code, household_id, person_id, region_code, status,
           first_seen_run, first_seen_at, last_seen_run, last_seen_at)
         VALUES ('ID-001', $1, $2, $3, $4, $5, now(), $5, now())`,
        [household.id, household.members[0]?.id, regions.chengnei, status, runId],
      );
    await finding(marginal, 'open');
    await finding(lifted, 'fixed');
    await finding(unstable, 'exempted');
    try {
      expect(await listIds(village, '?hasFindings=true')).toEqual([marginal.id]);
      expect(await listIds(village, '?hasFindings=false')).toEqual([lifted.id, unstable.id]);
      expect(await listIds(village, '?hasFindings=true&householdType=lifted')).toEqual([]);
    } finally {
      await harness.database.pool.query('DELETE FROM quality_findings WHERE first_seen_run = $1', [runId]);
      await harness.database.pool.query('DELETE FROM quality_runs WHERE id = $1', [runId]);
    }
  });

  it('filters by a region at any level within the scope, and refuses one outside it', async () => {
    expect(await listIds(county, `?regionCode=${regions.renzhuang}`)).toEqual([neighbour.id]);
    expect(await listIds(county, `?regionCode=${regions.guyang}&riskType=illness`)).toEqual([marginal.id]);
    const countyIds = await listIds(county, '?pageSize=100');
    expect(countyIds).toEqual(expect.arrayContaining([lifted.id, neighbour.id]));
    expect(countyIds).not.toContain(otherCounty.id);
    expect((await county.get(`/api/households?regionCode=${regions.zhongmou}`)).statusCode).toBe(404);
  });

  it('finds a household by a member name, whole or its beginning', async () => {
    expect(await listIds(village, `?q=${encodeURIComponent('李秀英')}`)).toEqual([marginal.id]);
    expect(await listIds(village, `?q=${encodeURIComponent('刘大')}`)).toEqual([marginal.id]);
    // A member who is not the head finds the household too.
    expect(await listIds(village, `?q=${encodeURIComponent('张小明')}`)).toEqual([lifted.id]);
    expect(await listIds(village, `?q=${encodeURIComponent('王大力')}`)).toEqual([]);
  });

  it('finds a household by a full ID number, its last digits, or its 户编号', async () => {
    const spouseId = lifted.members[1]?.idNumber ?? '';
    expect(await listIds(village, `?q=${spouseId}`)).toEqual([lifted.id]);
    expect(await listIds(village, `?q=${spouseId.slice(-6)}`)).toEqual([lifted.id]);
    expect(await listIds(village, `?q=${spouseId.slice(-4)}`)).toContain(lifted.id);
    expect(await listIds(village, `?q=${spouseId.slice(0, 17)}${spouseId.slice(17).toLowerCase()}`)).toEqual([
      lifted.id,
    ]);
    expect(await listIds(village, `?q=${marginal.householdNo}`)).toEqual([marginal.id]);
    expect(await listIds(village, '?q=123')).toEqual([]);
  });

  it('pages on the server with an exact total', async () => {
    const response = await village.get('/api/households?pageSize=2&page=2');
    expect(response.json()).toMatchObject({ total: 3, totalExact: true, items: [{ id: unstable.id }] });
    expect((await village.get('/api/households?pageSize=101')).statusCode).toBe(400);
  });
});

describe('GET /api/households/:id', () => {
  it('shows members masked, with names whole and ages, incomes by year, risks, measures and the region path', async () => {
    const response = await village.get(`/api/households/${lifted.id}`);
    expect(response.statusCode).toBe(200);
    const detail = response.json();
    expect(detail.regionPath.map((region: { name: string }) => region.name)).toEqual([
      '河南省',
      '开封市',
      '兰考县',
      '堌阳镇',
      '城内村',
    ]);
    expect(detail.members.map((member: { name: string }) => member.name)).toEqual([
      '张建国',
      '王秀兰',
      '张小明',
      '张老汉',
    ]);
    const child = detail.members[2];
    expect(child.idNumber).toMatch(maskedId);
    expect(child.phone).toMatch(maskedPhone);
    expect(child).toMatchObject({
      relation: { code: 'son', label: '之子' },
      schooling: { code: 'grade_7', label: '七年级' },
      birthDate: '2012-05-06',
    });
    expect(child.age).toBeGreaterThanOrEqual(13);
    expect(detail.members[3]).toMatchObject({ status: 'deceased', statusLabel: '已故' });
    expect(detail.householdPhone).toMatch(maskedPhone);
    expect(detail.incomes.map((income: { year: number }) => income.year)).toEqual([2024, 2023]);
    expect(detail.incomes[1]).toMatchObject({
      netIncomePerPerson: 9800.5,
      wageIncome: 20000,
      businessIncome: null,
    });
    expect(detail.incomes[0]).toMatchObject({ postNetIncomePerPerson: 11800 });
    expect(detail.measures).toEqual([
      { category: { code: 'employment', label: '就业帮扶' }, values: ['外出务工补贴', '技能培训'] },
      { category: { code: 'health', label: '健康帮扶' }, values: ['城乡居民基本医疗保险个人缴费补贴'] },
    ]);
    expect(detail.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    for (const member of lifted.members) {
      expect(response.body).not.toContain(member.idNumber ?? 'none');
      expect(response.body).not.toContain(member.phone ?? 'none');
    }
  });

  it('shows risks with labels', async () => {
    const detail = (await village.get(`/api/households/${marginal.id}`)).json();
    expect(detail.risks).toEqual([
      { position: 1, riskType: { code: 'illness', label: '因病' } },
      { position: 2, riskType: { code: 'schooling', label: '因学' } },
    ]);
  });

  it("answers 404 for another village's household exactly like a missing one", async () => {
    const outside = await outsider.get(`/api/households/${lifted.id}`);
    const missing = await outsider.get('/api/households/999999999');
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toEqual(missing.json());
    expect((await outsider.get(`/api/households/${lifted.id}/history`)).statusCode).toBe(404);
  });
});

describe('POST /api/persons/:id/reveal', () => {
  it('answers the whole ID number and phone and audits every call', async () => {
    const person = lifted.members[0];
    if (!person) throw new Error('fixture');
    for (let call = 0; call < 2; call += 1) {
      const response = await village.post(`/api/persons/${person.id}/reveal`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ idNumber: person.idNumber, phone: person.phone });
    }
    const audits = await harness.database.db
      .selectFrom('auditLog')
      .select(['actorUserId', 'targetType', 'targetId', 'regionCode', 'outcome'])
      .where('action', '=', 'registry.reveal_personal_data')
      .where('targetId', '=', person.id)
      .execute();
    expect(audits).toEqual([
      {
        actorUserId: villageUserId,
        targetType: 'person',
        targetId: person.id,
        regionCode: regions.chengnei,
        outcome: 'success',
      },
      {
        actorUserId: villageUserId,
        targetType: 'person',
        targetId: person.id,
        regionCode: regions.chengnei,
        outcome: 'success',
      },
    ]);
  });

  it('is forbidden without households:reveal, and 404 outside the scope', async () => {
    const person = lifted.members[0];
    expect((await city.post(`/api/persons/${person?.id}/reveal`)).statusCode).toBe(403);
    expect((await outsider.post(`/api/persons/${person?.id}/reveal`)).statusCode).toBe(404);
  });
});

describe('PATCH /api/persons/:id', () => {
  async function memberOf(household: InsertedHousehold, index: number) {
    const detail = (await village.get(`/api/households/${household.id}`)).json();
    return detail.members[index] as { id: string; updatedAt: string; name: string };
  }

  it("changes a member's phone: history with old, new, source and user; audit names the field only", async () => {
    const member = await memberOf(lifted, 1);
    const before = lifted.members[1]?.phone;
    const response = await patch(village, `/api/persons/${member.id}`, {
      updatedAt: member.updatedAt,
      phone: '13912345678',
      name: member.name,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id: member.id,
      phone: '139****5678',
      householdNo: lifted.householdNo,
    });
    expect(response.json().updatedAt).not.toBe(member.updatedAt);

    const history = await harness.database.db
      .selectFrom('fieldHistory')
      .selectAll()
      .where('personId', '=', member.id)
      .execute();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      householdId: lifted.id,
      regionCode: regions.chengnei,
      entity: 'person',
      field: 'phone',
      oldValue: before,
      newValue: '13912345678',
      source: 'cadre',
      userId: villageUserId,
      batchId: null,
    });
    const audit = await harness.database.db
      .selectFrom('auditLog')
      .select(['detail', 'targetId', 'targetType'])
      .where('action', '=', 'registry.update_person')
      .where('targetId', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(audit.detail).toEqual({ householdId: lifted.id, fields: ['phone'] });
    expect(JSON.stringify(audit.detail)).not.toContain('13912345678');

    const timeline = (await village.get(`/api/households/${lifted.id}/history`)).json();
    expect(timeline.total).toBe(1);
    expect(timeline.items[0]).toMatchObject({
      entity: 'person',
      entityLabel: '成员信息',
      personName: '王秀兰',
      field: 'phone',
      fieldLabel: '家庭成员联系电话',
      newValue: '139****5678',
      source: 'cadre',
      sourceLabel: '干部编辑',
    });
    expect(timeline.items[0].oldValue).toMatch(maskedPhone);
    expect(timeline.items[0].actorName).toContain('测试');
  });

  it('writes nothing when nothing changed', async () => {
    const member = await memberOf(lifted, 0);
    const response = await patch(village, `/api/persons/${member.id}`, {
      updatedAt: member.updatedAt,
      name: member.name,
      health: 'healthy',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().updatedAt).toBe(member.updatedAt);
    const history = await harness.database.db
      .selectFrom('fieldHistory')
      .select('id')
      .where('personId', '=', member.id)
      .execute();
    expect(history).toEqual([]);
  });

  it('refuses a bad check digit, a future birth date and an unknown code, field by field', async () => {
    const member = await memberOf(lifted, 0);
    const id = lifted.members[0]?.idNumber ?? '';
    const wrongCheck = `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`;
    const response = await patch(village, `/api/persons/${member.id}`, {
      updatedAt: member.updatedAt,
      idNumber: wrongCheck,
      birthDate: '2999-01-01',
      health: 'fine',
      phone: '2345',
      publicJobMonths: -1,
    });
    expect(response.statusCode).toBe(400);
    const { code, details } = response.json();
    expect(code).toBe('registry.invalid_fields');
    expect(details.fields).toEqual({
      idNumber: '证件号码校验位不正确，请逐位核对',
      birthDate: '出生日期不能晚于今天',
      health: '健康状况「fine」不是有效的选项',
      phone: '家庭成员联系电话应为以 1 开头的 11 位手机号码',
      publicJobMonths: '公益性岗位(月数)不能为负数',
    });
    const unchanged = await harness.database.db
      .selectFrom('persons')
      .select(['idNumber', 'health'])
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(unchanged).toEqual({ idNumber: id, health: 'healthy' });
  });

  it('refuses a birth date or gender that disagrees with the ID number', async () => {
    const member = await memberOf(lifted, 0);
    const birth = await patch(village, `/api/persons/${member.id}`, {
      updatedAt: member.updatedAt,
      birthDate: '1960-01-01',
      gender: 'female',
    });
    expect(birth.statusCode).toBe(400);
    expect(Object.keys(birth.json().details.fields).sort()).toEqual(['birthDate', 'gender']);
    expect(birth.json().details.fields.birthDate).toMatch(
      /^出生日期与证件号码中的出生日期（\d{4}-\d{2}-\d{2}）不一致$/,
    );

    // A new ID whose birth digits disagree with the stored birth date: the error is on the ID.
    const first17 = `${regions.chengnei.slice(0, 6)}19990101123`;
    const otherId = `${first17}${checkCharacter(first17)}`;
    const idChange = await patch(village, `/api/persons/${member.id}`, {
      updatedAt: member.updatedAt,
      idNumber: otherId,
    });
    expect(idChange.json().details.fields.idNumber).toMatch(/出生日期/);
  });

  it('accepts a consistent new ID number, birth date and gender together', async () => {
    const member = await memberOf(marginal, 1);
    const idNumber = buildIdNumber('410225', new Date('1980-07-08T00:00:00Z'), 421, 'male');
    const response = await patch(village, `/api/persons/${member.id}`, {
      updatedAt: member.updatedAt,
      idNumber,
      birthDate: '1980-07-08',
      gender: 'male',
      laborSkill: 'ordinary',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      birthDate: '1980-07-08',
      laborSkill: { code: 'ordinary', label: '普通劳动力' },
    });
    const history = await harness.database.db
      .selectFrom('fieldHistory')
      .select(['field', 'oldValue', 'newValue'])
      .where('personId', '=', member.id)
      .orderBy('field')
      .execute();
    expect(history.map((row) => row.field)).toEqual(['birthDate', 'idNumber', 'laborSkill']);
    expect(history.find((row) => row.field === 'laborSkill')).toMatchObject({
      oldValue: 'skilled',
      newValue: 'ordinary',
    });
  });

  it('refuses an ID number another current person holds, and a second head', async () => {
    const member = await memberOf(unstable, 0);
    const taken = lifted.members[0]?.idNumber;
    const response = await patch(village, `/api/persons/${member.id}`, {
      updatedAt: member.updatedAt,
      idNumber: taken,
    });
    expect(response.json().details.fields.idNumber).toBe('该证件号码已登记在其他在册人员名下，请核对');
    const spouse = await memberOf(lifted, 1);
    const head = await patch(village, `/api/persons/${spouse.id}`, {
      updatedAt: spouse.updatedAt,
      relation: 'head',
    });
    expect(head.json().details.fields.relation).toBe('本户已有户主，请先修改原户主的与户主关系');
  });

  it('answers 409 to a stale updatedAt and changes nothing', async () => {
    const member = await memberOf(unstable, 0);
    const first = await patch(village, `/api/persons/${member.id}`, {
      updatedAt: member.updatedAt,
      ethnicity: '回族',
    });
    expect(first.statusCode).toBe(200);
    const second = await patch(village, `/api/persons/${member.id}`, {
      updatedAt: member.updatedAt,
      ethnicity: '满族',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('registry.stale_record');
    expect(second.json().message).toMatch(/已被修改.*请刷新后重新编辑/);
    const stored = await harness.database.db
      .selectFrom('persons')
      .select('ethnicity')
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(stored.ethnicity).toBe('回族');
  });

  it('is 404 outside the scope and 403 without households:write', async () => {
    const member = await memberOf(lifted, 0);
    const body = { updatedAt: member.updatedAt, ethnicity: '壮族' };
    expect((await patch(outsider, `/api/persons/${member.id}`, body)).statusCode).toBe(404);
    expect((await patch(city, `/api/persons/${member.id}`, body)).statusCode).toBe(403);
  });
});

describe('PATCH /api/households/:id', () => {
  it('writes changed fields and risks with history, and shows labels in the timeline', async () => {
    const detail = (await village.get(`/api/households/${marginal.id}`)).json();
    const response = await patch(village, `/api/households/${marginal.id}`, {
      updatedAt: detail.updatedAt,
      monitoringCategory: 'sudden_hardship',
      identifiedAt: '202305',
      housingArea: 95.5,
      dangerousHouse: true,
      householdType: 'ordinary',
      risks: ['illness', 'housing'],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      monitoringCategory: { code: 'sudden_hardship', label: '突发严重困难户' },
      identifiedAt: '202305',
      housingArea: 95.5,
      dangerousHouse: true,
      risks: [
        { position: 1, riskType: { code: 'illness', label: '因病' } },
        { position: 2, riskType: { code: 'housing', label: '因安全住房' } },
      ],
    });
    const timeline = (await village.get(`/api/households/${marginal.id}/history`)).json();
    const byField = Object.fromEntries(
      timeline.items
        .filter((item: { entity: string }) => item.entity !== 'person')
        .map((item: { field: string }) => [item.field, item]),
    ) as Record<
      string,
      { fieldLabel: string; oldValue: string | null; newValue: string | null; entityLabel: string }
    >;
    expect(Object.keys(byField).sort()).toEqual([
      'dangerousHouse',
      'housingArea',
      'identifiedAt',
      'monitoringCategory',
      'risks',
    ]);
    expect(byField.monitoringCategory).toMatchObject({
      fieldLabel: '监测对象类别',
      oldValue: '边缘易致贫户',
      newValue: '突发严重困难户',
      entityLabel: '户信息',
    });
    expect(byField.dangerousHouse).toMatchObject({
      fieldLabel: '是否危房户',
      oldValue: '否',
      newValue: '是',
    });
    expect(byField.housingArea).toMatchObject({ oldValue: '120', newValue: '95.5' });
    expect(byField.risks).toMatchObject({ oldValue: '因病、因学', newValue: '因病、因安全住房' });
    const audit = await harness.database.db
      .selectFrom('auditLog')
      .select('detail')
      .where('action', '=', 'registry.update_household')
      .where('targetId', '=', marginal.id)
      .executeTakeFirstOrThrow();
    expect((audit.detail as { fields: string[] }).fields.sort()).toEqual([
      'dangerousHouse',
      'housingArea',
      'identifiedAt',
      'monitoringCategory',
      'risks',
    ]);
  });

  it('refuses bad months, negative numbers, unknown codes and phones, field by field', async () => {
    const detail = (await village.get(`/api/households/${lifted.id}`)).json();
    const response = await patch(village, `/api/households/${lifted.id}`, {
      updatedAt: detail.updatedAt,
      identifiedAt: '202313',
      eliminatedAt: '2023-05',
      arableLand: -2,
      householdType: 'rich',
      householdPhone: '0371-1234567',
      risks: ['illness', 'illness'],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details.fields).toEqual({
      identifiedAt: '识别监测时间应为年月，6 位数字，如 202403',
      eliminatedAt: '消除监测时间应为年月，6 位数字，如 202403',
      arableLand: '耕地面积（亩）不能为负数',
      householdType: '户类型「rich」不是有效的选项',
      householdPhone: '户联系电话应为以 1 开头的 11 位手机号码',
      risks: '致贫/返贫风险不能重复',
    });
  });

  it('refuses an elimination month before the identification month', async () => {
    const detail = (await village.get(`/api/households/${unstable.id}`)).json();
    const response = await patch(village, `/api/households/${unstable.id}`, {
      updatedAt: detail.updatedAt,
      eliminatedAt: '202112',
    });
    expect(response.json().details.fields).toEqual({ eliminatedAt: '消除监测时间不能早于识别监测时间' });
  });

  it('answers 409 to a stale updatedAt, 404 outside the scope', async () => {
    const detail = (await village.get(`/api/households/${unstable.id}`)).json();
    expect(
      (
        await patch(village, `/api/households/${unstable.id}`, {
          updatedAt: detail.updatedAt,
          otherNote: '第一次',
        })
      ).statusCode,
    ).toBe(200);
    const stale = await patch(village, `/api/households/${unstable.id}`, {
      updatedAt: detail.updatedAt,
      otherNote: '第二次',
    });
    expect(stale.statusCode).toBe(409);
    const outside = await patch(outsider, `/api/households/${unstable.id}`, {
      updatedAt: detail.updatedAt,
      otherNote: '越权',
    });
    expect(outside.statusCode).toBe(404);
  });
});

describe('GET /api/persons', () => {
  async function personNames(client: TestClient, query: string): Promise<string[]> {
    const response = await client.get(`/api/persons${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as ListBody).items.map((item) => item.name as string);
  }

  it('lists members of the scope masked, leaving out other villages and inactive persons', async () => {
    const response = await village.get('/api/persons?pageSize=100');
    const body = response.json() as ListBody;
    const names = body.items.map((item) => item.name);
    expect(names).toEqual(expect.arrayContaining(['张建国', '李秀英', '赵德福']));
    expect(names).not.toContain('王大力');
    expect(names).not.toContain('张老汉');
    expect(names).not.toContain('钱多多');
    for (const item of body.items) {
      expect(item.idNumber).toMatch(maskedId);
      expect(item.phone === null || maskedPhone.test(String(item.phone))).toBe(true);
    }
    expect(body.items[0]).toMatchObject({
      householdNo: lifted.householdNo,
      regionFullName: '河南省开封市兰考县堌阳镇城内村',
    });
  });

  it('filters by gender, age, health, labour skill, education, schooling, text and status', async () => {
    expect(await personNames(village, '?gender=female&pageSize=100')).toEqual(['王秀兰', '李秀英']);
    expect(await personNames(village, '?ageFrom=70')).toEqual(['赵德福']);
    expect(await personNames(village, '?ageTo=17')).toEqual(['张小明']);
    expect(await personNames(village, '?health=serious_illness')).toEqual(['李秀英']);
    expect(await personNames(village, '?laborSkill=weak')).toEqual(['李秀英']);
    expect(await personNames(village, '?education=illiterate')).toEqual(['赵德福']);
    expect(await personNames(village, '?schooling=grade_7')).toEqual(['张小明']);
    expect(await personNames(village, `?q=${encodeURIComponent('赵德')}`)).toEqual(['赵德福']);
    expect(await personNames(village, `?q=${lifted.members[2]?.idNumber?.slice(-8)}`)).toEqual(['张小明']);
    expect(await personNames(village, `?q=${lifted.householdNo}`)).toEqual(['张建国', '王秀兰', '张小明']);
    expect(await personNames(village, '?status=deceased')).toEqual(['张老汉']);
    expect(await personNames(village, '?status=all&pageSize=100')).toHaveLength(8);
  });
});
