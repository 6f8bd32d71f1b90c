import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { addDays } from './working-calendar.service.ts';

let harness: TestApp;
let admin: TestClient;
let village: TestClient;

/** 10:00 Beijing time on a day, as an instant. */
const at10 = (day: string) => new Date(`${day}T02:00:00Z`);
/** The instant a limit ends when its last day is `day`: Beijing midnight after it. */
const endOf = (day: string) => new Date(Date.parse(`${day}T16:00:00Z`)).toISOString();

beforeAll(async () => {
  harness = await createTestApp();
  admin = await harness.signIn(
    (await harness.createUser({ role: 'system_admin', regionCode: regions.province })).username,
  );
  village = await harness.signIn(
    (await harness.createUser({ role: 'village_user', regionCode: regions.chengnei })).username,
  );
});
afterAll(async () => {
  await harness?.close();
});

describe('working days by the official calendar', () => {
  it('skips the 2026 National Day week and counts the Saturday worked in its place', async () => {
    // Wed 2026-09-30 + 3 working days: Oct 1–7 off, Thu 8, Fri 9, Sat 10 (调休上班).
    const due = await harness.app.workingCalendar.addDays(at10('2026-09-30'), 3, 'working_days');
    expect(due.toISOString()).toBe(endOf('2026-10-10'));
    // Without the calendar the same limit would end on Monday Oct 5, in the middle of the holiday.
    expect(addDays(at10('2026-09-30'), 3, 'working_days').toISOString()).toBe(endOf('2026-10-05'));
    // Calendar days ignore the calendar.
    expect(
      (await harness.app.workingCalendar.addDays(at10('2026-09-30'), 3, 'calendar_days')).toISOString(),
    ).toBe(endOf('2026-10-03'));
  });

  it('counts an adjusted Sunday and skips the Mid-Autumn Friday', async () => {
    // Sat 2026-09-19 + 1: Sunday Sep 20 is worked.
    expect(
      (await harness.app.workingCalendar.addDays(at10('2026-09-19'), 1, 'working_days')).toISOString(),
    ).toBe(endOf('2026-09-20'));
    // Thu 2026-09-24 + 2: Fri 25 – Sun 27 off (中秋), Mon 28, Tue 29.
    expect(
      (await harness.app.workingCalendar.addDays(at10('2026-09-24'), 2, 'working_days')).toISOString(),
    ).toBe(endOf('2026-09-29'));
  });

  it('lists the kept years and a year’s days', async () => {
    const response = await admin.get('/api/settings/calendar?year=2026');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.years.map((year: { year: number }) => year.year)).toEqual([2025, 2026, 2027]);
    expect(body.days).toContainEqual({ day: '2026-10-10', kind: 'workday', name: '国庆节调休' });
    expect(body.days.filter((day: { name: string }) => day.name === '国庆节').length).toBe(7);
  });

  it('replaces a year from the notice; refuses a weekday as an adjusted working day and a village user', async () => {
    const days = [
      { day: '2028-01-31', kind: 'holiday', name: '测试假日' },
      { day: '2028-02-05', kind: 'workday', name: '测试调休' },
    ];
    expect(
      (await village.request({ method: 'PUT', url: '/api/settings/calendar/2028', payload: { days } }))
        .statusCode,
    ).toBe(403);
    const wrong = await admin.request({
      method: 'PUT',
      url: '/api/settings/calendar/2028',
      payload: { days: [{ day: '2028-02-07', kind: 'workday', name: '周一' }] },
    });
    expect(wrong.statusCode).toBe(400);
    const outside = await admin.request({
      method: 'PUT',
      url: '/api/settings/calendar/2028',
      payload: { days: [{ day: '2029-01-01', kind: 'holiday', name: '元旦' }] },
    });
    expect(outside.statusCode).toBe(400);
    const saved = await admin.request({
      method: 'PUT',
      url: '/api/settings/calendar/2028',
      payload: { days },
    });
    expect(saved.statusCode).toBe(200);
    // Fri 2028-01-28 + 1: Mon 31 is now off → Tue Feb 1. Fri Feb 4 + 1: Sat Feb 5 is worked.
    expect(
      (await harness.app.workingCalendar.addDays(at10('2028-01-28'), 1, 'working_days')).toISOString(),
    ).toBe(endOf('2028-02-01'));
    expect(
      (await harness.app.workingCalendar.addDays(at10('2028-02-04'), 1, 'working_days')).toISOString(),
    ).toBe(endOf('2028-02-05'));
    const audit = await harness.database.db
      .selectFrom('auditLog')
      .select('targetId')
      .where('action', '=', 'settings.calendar_update')
      .execute();
    expect(audit.map((row) => row.targetId)).toEqual(['2028']);
  });
});
