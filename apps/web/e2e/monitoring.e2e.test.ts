import path from 'node:path';
import { beijingToday, buildIdNumber } from '@shouwang/domain';
import { sql } from 'kysely';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions, testPassword } from '../../server/test/fixtures.ts';
import { type InsertedHousehold, insertHousehold } from '../../server/test/registry-factory.ts';
import { type E2eServer, screenshotDir, signInThroughPage, startE2eServer } from './browser.ts';

const phone = { width: 390, height: 844 };
let server: E2eServer;
let applicant: InsertedHousehold;
let monitored: InsertedHousehold;
let users: Record<'village' | 'township' | 'county', string>;

const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage });
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const daysAgo = (days: number) => beijingToday(new Date(Date.now() - days * 86_400_000));
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(256, 7)]);

/** A signed-in phone for one of the cadres. */
async function phoneOf(who: keyof typeof users) {
  const { context, page } = await server.newPage(phone);
  await signInThroughPage(page, server.baseUrl, users[who], testPassword);
  await page.waitForURL(`${server.baseUrl}/`);
  return { context, page };
}

async function openCase(page: Page, caseId: string, state: string) {
  await page.goto(`${server.baseUrl}/monitoring/cases/${caseId}`);
  await page.getByText(`办理：${state}`).waitFor();
}

/**
 * Ticks a checkbox. Scrolled to the middle of the screen first: at the top edge the phone layout's
 * fixed header would take the tap.
 */
async function tick(checkbox: Locator) {
  await checkbox.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  // The label, as a finger taps it (antd draws the box over a transparent input).
  await checkbox.locator('xpath=ancestor::label[1]').click();
  await expect.poll(() => checkbox.isChecked()).toBe(true);
}

/** Picks a measure (category and content) in the searchable measure field, as a cadre types it. */
async function chooseMeasure(page: Page, label: string, typed: string, option: string) {
  const input = page.getByRole('combobox', { name: label });
  await input.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await input.click();
  await input.fill(typed);
  await page.locator('.ant-select-item-option', { hasText: option }).click();
  await page.keyboard.press('Escape');
  await page.locator('.ant-select-selection-item', { hasText: option }).waitFor();
}

/** Passes the current step and waits for the server's answer (step names also appear in the chain list). */
async function pass(page: Page, next: string) {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.url().endsWith('/transitions')),
    page.getByRole('button', { name: /通过，提交下一环节|审定通过/ }).click(),
  ]);
  expect(response.status()).toBe(200);
  await page.getByText(next).first().waitFor();
}

/** The case's current step began `days` days ago: what a week of notice looks like to the server. */
async function age(caseId: string, days: number) {
  await sql`UPDATE monitoring_cases SET step_started_at = step_started_at - make_interval(days => ${days}),
    step_due_at = step_due_at - make_interval(days => ${days}) WHERE id = ${caseId}`.execute(
    server.harness.database.db,
  );
}

async function runNotice(page: Page, caseId: string) {
  await age(caseId, 7);
  await openCase(page, caseId, '公示');
  await page.getByLabel('开始日期').fill(daysAgo(7));
  await page.getByLabel('结束日期').fill(daysAgo(1));
  await page.getByRole('button', { name: '保存公示信息' }).click();
  await page.getByText(`${daysAgo(7)} 至 ${daysAgo(1)}`).waitFor();
}

beforeAll(async () => {
  server = await startE2eServer();
  const db = server.harness.database.db;
  applicant = await insertHousehold(db, {
    regionCode: regions.chengnei,
    householdType: 'ordinary',
    members: [{ name: '周大勇' }, { name: '吴桂花', health: 'serious_illness' }, {}],
  });
  monitored = await insertHousehold(db, {
    regionCode: regions.chengnei,
    monitoringCategory: 'marginal',
    identifiedAt: '202303',
    riskEliminated: false,
    childDropout: false,
    uninsuredMember: false,
    risks: ['illness'],
    members: [{ name: '郑长林' }, { name: '冯秀英' }],
    incomes: [{ year: 2025, netIncomePerPerson: 11200 }],
  });
  users = {
    village: (await server.harness.createUser({ role: 'village_user', regionCode: regions.chengnei }))
      .username,
    township: (await server.harness.createUser({ role: 'township_user', regionCode: regions.guyang }))
      .username,
    county: (await server.harness.createUser({ role: 'county_user', regionCode: regions.lankao })).username,
  };
});
afterAll(async () => {
  await server?.close();
});

describe('monitoring at phone size', () => {
  it('takes a farmer’s QR self-report through verification, deliberation, notice, township review and county approval', async () => {
    // The farmer: the page behind the village's QR code, no sign-in.
    const token = await server.harness.app.monitoring.selfReportToken(
      server.harness.system,
      regions.chengnei,
    );
    const farmer = await server.newPage(phone);
    await farmer.page.goto(`${server.baseUrl}/report/${token}`);
    await farmer.page.getByText('城内村').waitFor();
    await farmer.page.getByLabel('姓名').fill('周大勇');
    await farmer.page.getByLabel('身份证号码').fill(applicant.members[0]?.idNumber ?? '');
    await farmer.page.getByLabel('联系电话').fill('13700001111');
    await tick(farmer.page.getByRole('checkbox', { name: '因病' }));
    await farmer.page.getByLabel('情况说明').fill('妻子今年查出重病，住院自付八万多元');
    await tick(farmer.page.getByRole('checkbox', { name: /我承诺所填信息真实/ }));
    expect(await pageWidth(farmer.page)).toBeLessThanOrEqual(390);
    await shot(farmer.page, 'monitoring-self-report-phone');
    await farmer.page.waitForTimeout(3_100); // no person fills the form faster than the server's minimum
    await farmer.page.getByRole('button', { name: '提交申报' }).click();
    await farmer.page.getByText('已收到您的申报').waitFor();
    await shot(farmer.page, 'monitoring-self-report-done-phone');
    await farmer.context.close();

    // The village: the lead on the workbench, then consent and home verification.
    const village = await phoneOf('village');
    await village.page.getByText('1 条线索待处理').waitFor();
    await village.page.goto(`${server.baseUrl}/monitoring/leads`);
    await village.page.getByText('周大勇').waitFor();
    expect(await pageWidth(village.page)).toBeLessThanOrEqual(390);
    await shot(village.page, 'monitoring-leads-phone');
    await village.page.getByRole('button', { name: '启动识别' }).click();
    await village.page.getByText('办理：承诺授权').waitFor();
    const caseId = village.page.url().split('/').pop() ?? '';
    await village.page
      .locator('input[type=file]')
      .setInputFiles({ name: '承诺书.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await village.page.getByText('承诺授权书 · 承诺书.jpg').waitFor();
    await shot(village.page, 'monitoring-case-consent-phone');
    await pass(village.page, '办理：入户核实');
    await village.page.getByLabel('核实人 1').fill('王支书');
    await village.page.getByLabel('核实人 2').fill('李会计');
    await village.page.getByLabel('核实情况').fill('妻子大病住院，自付医疗费 8.2 万元，家庭收入骤降');
    await village.page.getByText('突发严重困难户').click();
    await tick(village.page.getByRole('checkbox', { name: '因病' }));
    await chooseMeasure(village.page, '拟落实帮扶措施', '医疗救助', '健康帮扶 · 医疗救助');
    expect(await pageWidth(village.page)).toBeLessThanOrEqual(390);
    await shot(village.page, 'monitoring-case-verification-phone');
    await pass(village.page, '信息比对');

    // The township cross-checks the departments' data.
    const township = await phoneOf('township');
    await openCase(township.page, caseId, '信息比对');
    await township.page.getByLabel('信息比对结果').fill('财政、公安、市场监管、不动产、社保比对均无异常');
    await pass(township.page, '村级评议');

    // The village deliberates, then the notice runs its days.
    await openCase(village.page, caseId, '村级评议');
    await village.page.getByLabel('参加评议人数').fill('15');
    await village.page.getByLabel('评议结果').fill('同意纳入，参会 15 人，赞成 15 人');
    await pass(village.page, '办理：公示');
    await runNotice(village.page, caseId);
    await shot(village.page, 'monitoring-case-notice-phone');
    await pass(village.page, '乡镇审核');

    await openCase(township.page, caseId, '乡镇审核');
    await pass(township.page, '县级审定');
    await township.context.close();

    // The county approves: the household becomes monitored.
    const county = await phoneOf('county');
    await openCase(county.page, caseId, '县级审定');
    expect(await county.page.getByRole('radio', { name: '突发严重困难户' }).isChecked()).toBe(true);
    await county.page.getByRole('button', { name: '审定通过' }).click();
    await county.page.getByText('已审定').first().waitFor();
    await shot(county.page, 'monitoring-case-approved-phone');
    await county.page.goto(`${server.baseUrl}/registry/households/${applicant.id}`);
    await county.page.getByText('突发严重困难户').first().waitFor();
    await county.page.getByRole('tab', { name: '变更记录' }).click();
    const event = county.page.getByTestId('history-event').first();
    await event.waitFor();
    expect(await event.textContent()).toContain('监测审定');
    await shot(county.page, 'monitoring-household-history-phone');
    await county.context.close();

    const household = await server.harness.database.db
      .selectFrom('households')
      .select(['monitoringCategory', 'identifiedAt'])
      .where('id', '=', applicant.id)
      .executeTakeFirstOrThrow();
    expect(household).toEqual({
      monitoringCategory: 'sudden_hardship',
      identifiedAt: beijingToday().slice(0, 7).replace('-', ''),
    });
    const measures = await server.harness.database.db
      .selectFrom('householdMeasures')
      .select(['category', 'value'])
      .where('householdId', '=', applicant.id)
      .execute();
    expect(measures).toEqual([{ category: 'health', value: '医疗救助' }]);
    await village.context.close();
  }, 180_000);

  it('runs a risk elimination through the same chain, showing which criteria hold', async () => {
    const village = await phoneOf('village');
    await village.page.goto(`${server.baseUrl}/registry/households/${monitored.id}`);
    await village.page.getByRole('button', { name: '启动风险消除' }).click();
    await village.page.getByRole('button', { name: '启动', exact: true }).click();
    await village.page.getByText('办理：入户核实').waitFor();
    const caseId = village.page.url().split('/').pop() ?? '';
    await village.page.getByText('风险消除条件').waitFor();
    expect(await village.page.getByText('2025 年人均纯收入 11200 元').count()).toBe(1);
    await village.page.getByLabel('核实人 1').fill('王支书');
    await village.page.getByLabel('核实人 2').fill('李会计');
    await village.page.getByLabel('核实情况').fill('务工收入稳定，医疗费已报销');
    await village.page.getByText('帮扶消除').click();
    await village.page.getByRole('button', { name: '通过，提交下一环节' }).click();
    // Without the cadre's attestation the income and rigid-cost criteria do not hold.
    await village.page.getByText(/本环节还有 1 项未满足/).waitFor();
    await shot(village.page, 'monitoring-elimination-criteria-phone');
    await tick(village.page.getByRole('checkbox', { name: /收入持续稳定/ }));
    await tick(village.page.getByRole('checkbox', { name: /刚性支出/ }));
    await pass(village.page, '信息比对');

    const township = await phoneOf('township');
    await openCase(township.page, caseId, '信息比对');
    await township.page.getByLabel('信息比对结果').fill('比对无异常');
    await pass(township.page, '村级评议');
    await openCase(village.page, caseId, '村级评议');
    await village.page.getByLabel('参加评议人数').fill('11');
    await village.page.getByLabel('评议结果').fill('同意消除风险');
    await pass(village.page, '办理：公示');
    await runNotice(village.page, caseId);
    await pass(village.page, '乡镇审核');
    await openCase(township.page, caseId, '乡镇审核');
    await pass(township.page, '县级审定');
    await township.context.close();

    const county = await phoneOf('county');
    await openCase(county.page, caseId, '县级审定');
    await county.page.getByRole('button', { name: '审定通过' }).click();
    await county.page.getByText('已审定').first().waitFor();
    await county.context.close();
    const row = await server.harness.database.db
      .selectFrom('households')
      .select(['riskEliminated', 'eliminationMethod'])
      .where('id', '=', monitored.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ riskEliminated: true, eliminationMethod: 'assisted' });
    await village.context.close();
  }, 180_000);

  it('shows overdue steps as overdue on the workbench, and the county its townships’ progress', async () => {
    const late = await insertHousehold(server.harness.database.db, {
      regionCode: regions.chengnei,
      members: [{ name: '钱晚办' }],
    });
    const cadre = await server.harness.signIn(users.village);
    const lead = await cadre.post('/api/monitoring/leads', {
      name: '钱晚办',
      idNumber: late.members[0]?.idNumber,
      difficultyTypes: ['accident'],
      consent: true,
    });
    const caseId = (await cadre.post(`/api/monitoring/leads/${lead.json().id}/case`)).json().id;
    await age(caseId, 10);

    const village = await phoneOf('village');
    const card = village.page.getByRole('link', { name: '案件 钱晚办' });
    await card.waitFor();
    expect(await card.textContent()).toContain('已超期');
    await village.page.getByText('1 件已超期').waitFor();
    expect(await pageWidth(village.page)).toBeLessThanOrEqual(390);
    await shot(village.page, 'monitoring-workbench-phone');
    await village.page.goto(`${server.baseUrl}/monitoring/visit`);
    await village.page.getByLabel('身份证号码').waitFor();
    expect(await pageWidth(village.page)).toBeLessThanOrEqual(390);
    await shot(village.page, 'monitoring-visit-phone');
    await village.context.close();

    const { context, page } = await server.newPage();
    await signInThroughPage(page, server.baseUrl, users.county, testPassword);
    await page.waitForURL(`${server.baseUrl}/`);
    const progress = page.locator('.ant-table-tbody');
    await expect.poll(() => progress.textContent(), { timeout: 15_000 }).toContain('堌阳镇');
    await shot(page, 'monitoring-workbench-county-desktop');
    await page.goto(`${server.baseUrl}/monitoring/cases/${caseId}`);
    await page.getByText('已超期').first().waitFor();
    await shot(page, 'monitoring-case-desktop');
    await page.goto(`${server.baseUrl}/monitoring/cases`);
    await page.getByRole('link', { name: '导出国家系统格式' }).waitFor();
    await page.getByText('钱晚办 户').waitFor();
    await shot(page, 'monitoring-cases-desktop');
    await page.goto(`${server.baseUrl}/monitoring/leads?`);
    await page.getByRole('button', { name: '打印申报二维码' }).waitFor();
    await shot(page, 'monitoring-leads-desktop');
    await context.close();
  }, 120_000);

  it('closes a lead that is not a case, and records the household of a person not in the registry at verification', async () => {
    const cadre = await server.harness.signIn(users.village);
    const duplicate = await insertHousehold(server.harness.database.db, {
      regionCode: regions.chengnei,
      members: [{ name: '孙重复' }],
    });
    await cadre.post('/api/monitoring/leads', {
      name: '孙重复',
      idNumber: duplicate.members[0]?.idNumber,
      difficultyTypes: ['accident'],
      consent: true,
    });
    const stranger = buildIdNumber('410225', new Date('1979-05-06T00:00:00Z'), 913, 'male');
    await cadre.post('/api/monitoring/leads', {
      name: '何新来',
      idNumber: stranger,
      difficultyTypes: ['disaster'],
      description: '外地迁入，房屋受灾',
      consent: true,
    });

    const village = await phoneOf('village');
    await village.page.goto(`${server.baseUrl}/monitoring/leads`);
    const card = village.page.locator('.ant-card', { hasText: '孙重复' });
    await card.getByRole('button', { name: '关闭线索' }).click();
    await village.page.getByLabel('关闭理由').fill('与上周走访登记的线索重复');
    expect(await pageWidth(village.page)).toBeLessThanOrEqual(390);
    await shot(village.page, 'monitoring-lead-dismiss-phone', false);
    await village.page.getByRole('dialog').getByRole('button', { name: '关闭线索' }).click();
    await village.page.getByRole('dialog').waitFor({ state: 'hidden' });
    await village.page.getByText('已关闭', { exact: true }).click();
    await village.page.getByText(/已关闭（重复上报）：与上周走访登记的线索重复/).waitFor();
    await shot(village.page, 'monitoring-leads-dismissed-phone');

    await village.page.getByText('待处理', { exact: true }).click();
    const newcomer = village.page.locator('.ant-card', { hasText: '何新来' });
    await newcomer.getByText(/启动识别后在入户核实时登记该户/).waitFor();
    await newcomer.getByRole('button', { name: '启动识别' }).click();
    await village.page.getByText('办理：承诺授权').waitFor();
    await village.page.getByText(/台账中暂无该户/).waitFor();
    await village.page
      .locator('input[type=file]')
      .setInputFiles({ name: '承诺书.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await village.page.getByText('承诺授权书 · 承诺书.jpg').waitFor();
    await pass(village.page, '办理：入户核实');
    await village.page.getByText('登记农户（台账中暂无该户）').waitFor();
    await village.page.getByLabel('成员 1 姓名').fill('何新来');
    await village.page.getByLabel('成员 1 身份证号码').fill(stranger);
    await village.page.getByRole('button', { name: '添加成员' }).click();
    await village.page.getByLabel('成员 2 姓名').fill('何小雨');
    await village.page
      .getByLabel('成员 2 身份证号码')
      .fill(buildIdNumber('410225', new Date('2008-09-01T00:00:00Z'), 915, 'female'));
    await village.page.getByRole('combobox', { name: '成员 2 与户主关系' }).click();
    await village.page.locator('.ant-select-item-option[title="之女"]').click();
    await village.page.getByLabel('核实人 1').fill('王支书');
    await village.page.getByLabel('核实人 2').fill('李会计');
    await village.page.getByLabel('核实情况').fill('房屋受灾倒塌，借住亲戚家');
    await village.page.getByText('突发严重困难户').click();
    await tick(village.page.getByRole('checkbox', { name: '因自然灾害' }));
    await chooseMeasure(village.page, '拟落实帮扶措施', '危房', '住房安全保障 · 农村危房改造');
    expect(await pageWidth(village.page)).toBeLessThanOrEqual(390);
    await shot(village.page, 'monitoring-case-verification-new-household-phone');
    await pass(village.page, '信息比对');
    const household = await server.harness.database.db
      .selectFrom('households')
      .innerJoin('persons', 'persons.householdId', 'households.id')
      .select(['households.householdNo', 'persons.name', 'persons.relation'])
      .where('persons.idNumber', '=', stranger)
      .executeTakeFirstOrThrow();
    expect(household.householdNo).toMatch(/^SW410225101200/);
    expect(household.relation).toBe('head');
    await village.context.close();
  }, 120_000);
});
