import { addDays } from '@niangjia/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCandidates } from '../src/modules/policy/exits';
import { asOperator } from '../src/operator';
import { householdInput } from './factories';
import { type TestApp, testApp } from './harness';

/**
 * Exit candidates under the demo's rules (5 years without an objective cause; income above 低保
 * for 6 consecutive months; 低保 300 at 640100): households taken through the life cycle to
 * archived on 2015-06-30, then visited and reviewed with the income found.
 */
let t: TestApp;
let manager: string;
const households: Record<string, { id: string; archiveId: string }> = {};
const post = (url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie: manager }, payload });
const run = <T>(fn: Parameters<typeof asOperator<T>>[1]) => asOperator(t.db, fn);
const ARCHIVED_ON = '2015-06-30';

/** A household of three with `monthlyYuan` of wages, archived on 2015-06-30 after the whole procedure. */
async function archived(
  name: string,
  monthlyYuan: number,
  causes: { primaryCause: string; secondaryCauses: string[] },
  disabled = false,
) {
  const input = householdInput('640104003', { size: 3 });
  const payload = {
    ...input,
    head: { ...input.head, ...(disabled ? { health: 'disabled' } : {}) },
    income: { wageIncomeFen: monthlyYuan * 100 * 12 },
    ...causes,
  };
  const created = await post('/api/v1/households', payload);
  expect(created.statusCode, created.body).toBe(201);
  const { id, archiveId } = created.json();
  const steps: [string, number][] = [
    ['apply', -40],
    ['first_review', -39],
    ['home_visit', -38],
    ['verify_finances', -37],
    ['publicise', -30],
    ['archive', 0],
  ];
  for (const [action, days] of steps) {
    const res = await post(`/api/v1/archives/${archiveId}/steps`, {
      action,
      comment: `${action} 意见`,
      onDate: addDays(ARCHIVED_ON, days),
    });
    expect(res.statusCode, `${action} ${res.body}`).toBe(200);
  }
  households[name] = { id, archiveId };
}

/** Records the first visit due of a household with the income found. */
async function visit(name: string, on: string, monthlyYuan: number) {
  const visits = await t.app.inject({
    url: `/api/v1/archives/${households[name]?.archiveId}/visits`,
    headers: { cookie: manager },
  });
  const due = visits.json().find((v: { visitedOn: string | null }) => v.visitedOn === null);
  const res = await post(`/api/v1/visits/${due.id}/record`, {
    visitedOn: on,
    findings: '入户回访，核实家庭收入',
    monthlyIncomeFen: monthlyYuan * 100,
  });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  t = await testApp();
  manager = await t.login('xq-manager');
  // 250 yuan a person and month when surveyed: under 低保.
  await archived('laidOff', 750, { primaryCause: '3', secondaryCauses: [] });
  await archived('ill', 750, { primaryCause: '6', secondaryCauses: [] });
  await archived('illLate', 750, { primaryCause: '6', secondaryCauses: [] });
  await archived('disabled', 750, { primaryCause: '3', secondaryCauses: [] }, true);
  await archived('accident', 750, { primaryCause: '2', secondaryCauses: ['8'] });
  // 'ill' earns 1,000 a month (333.33 a person) from 2021-01-01; 'illLate' from 2021-03-01.
  await visit('ill', '2021-01-01', 1_000);
  await visit('illLate', '2021-03-01', 1_000);
});
afterAll(() => t?.close());

describe('exit candidates', () => {
  it('are the households past the time limit without an objective cause, and those above 低保 for six months', async () => {
    const { items: list, unavailable } = await exitCandidates(run, { asOf: '2021-07-01', org: '640104003' });
    expect(unavailable).toEqual([]);
    const byId = new Map(list.map((c) => [c.householdId, c.reasons]));
    expect(byId.get(households.laidOff?.id as string)).toEqual([
      { reason: 'time_limit', since: ARCHIVED_ON, dueOn: '2020-06-30' },
    ]);
    expect(byId.get(households.ill?.id as string)).toEqual([
      { reason: 'income_above_dibao', since: '2021-01-01', months: 6 },
    ]);
    expect(byId.has(households.illLate?.id as string)).toBe(false);
    expect(byId.has(households.disabled?.id as string)).toBe(false);
    expect(byId.has(households.accident?.id as string)).toBe(false);
    expect(list).toHaveLength(2);
    // Listed with the head's number masked.
    expect(list[0]?.headIdNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  });

  it('follow the income a yearly review records: back under the line, the run is broken', async () => {
    const review = await post(`/api/v1/archives/${households.ill?.archiveId}/steps`, {
      action: 'review',
      comment: '年度审核：收入下降',
      onDate: '2021-06-30',
      monthlyIncomeFen: 800 * 100,
    });
    expect(review.statusCode, review.body).toBe(200);
    const { items: list } = await exitCandidates(run, { asOf: '2021-07-01', org: '640104003' });
    expect(list.map((c) => c.householdId)).toEqual([households.laidOff?.id]);
    // The review evaluated the household again, as of its day.
    const decisions = await t.db.kysely
      .selectFrom('evaluations')
      .select(['reason', 'as_of'])
      .where('household_id', '=', households.ill?.id as string)
      .where('reason', '=', 'review')
      .execute();
    expect(decisions).toEqual([{ reason: 'review', as_of: '2021-06-30' }]);
    // An income is recorded at a review only.
    const wrong = await post(`/api/v1/archives/${households.ill?.archiveId}/steps`, {
      action: 'exit',
      comment: 'x',
      exitReason: 'other',
      monthlyIncomeFen: 1,
    });
    expect(wrong.statusCode).toBe(400);
  });

  it('are listed over HTTP for whoever reads the registry', async () => {
    const res = await t.app.inject({
      url: '/api/v1/registry/exits?asOf=2021-07-01',
      headers: { cookie: manager },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((c: { headName: string }) => c.headName)).toContain(
      (
        await t.db.kysely
          .selectFrom('households')
          .select('head_name')
          .where('id', '=', households.laidOff?.id as string)
          .executeTakeFirstOrThrow()
      ).head_name,
    );
  });
});
