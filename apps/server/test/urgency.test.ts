import { sql } from '@niangjia/db';
import { addDays, todayInShanghai } from '@niangjia/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAll } from '../src/modules/policy/evaluations';
import { asOperator } from '../src/operator';
import { householdInput } from './factories';
import { type TestApp, testApp } from './harness';

/**
 * Urgency (issue 4): derived by the documented rules whenever a household is evaluated, unless a
 * caseworker set it, with a reason; given back to the rules, it is derived again at once.
 */
let t: TestApp;
let worker: string;
let household: { id: string; archiveId: string };
const post = (url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie: worker }, payload });
const archive = async () =>
  (await t.app.inject({ url: `/api/v1/households/${household.id}`, headers: { cookie: worker } })).json()
    .archive;

beforeAll(async () => {
  t = await testApp();
  worker = await t.login('xq-caseworker');
  // 600 yuan a month for three people: 200 a person, under 低保 300: deep hardship.
  const input = householdInput('640104001', { size: 3 });
  const res = await post('/api/v1/households', {
    ...input,
    income: { wageIncomeFen: 600 * 100 * 12 },
    primaryCause: '3',
    secondaryCauses: [],
  });
  expect(res.statusCode, res.body).toBe(201);
  household = res.json();
});
afterAll(() => t?.close());

describe('urgency', () => {
  it('is derived when the household is evaluated, with the rule that gave it', async () => {
    const evaluated = await post(`/api/v1/households/${household.id}/evaluations`, { asOf: '2026-06-30' });
    expect(evaluated.json().evaluation.category).toBe('deep');
    expect(await archive()).toMatchObject({ urgency: 'urgent', urgencyManual: false, urgencyReason: 'deep' });
    // The list's copy follows: the household is found among the urgent ones.
    const list = await t.app.inject({
      url: '/api/v1/households?urgency=urgent&org=640104001',
      headers: { cookie: worker },
    });
    expect(list.json().items.map((h: { id: string }) => h.id)).toContain(household.id);
  });

  it('keeps a caseworker’s urgency and reason through later evaluations, until given back', async () => {
    const set = await post(`/api/v1/archives/${household.archiveId}/urgency`, {
      urgency: 'critical',
      reason: '户主突发重病住院，家中无人照料',
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({
      urgency: 'critical',
      urgencyManual: true,
      urgencyReason: '户主突发重病住院，家中无人照料',
    });
    await post(`/api/v1/households/${household.id}/evaluations`, { asOf: '2026-07-01' });
    expect(await archive()).toMatchObject({ urgency: 'critical', urgencyManual: true });
    const audited = await t.db.kysely
      .selectFrom('audit_log')
      .select(['changes'])
      .where('entity', '=', 'archive')
      .where('entity_id', '=', household.archiveId)
      .execute();
    expect(audited.map((a) => a.changes)).toContainEqual(
      expect.objectContaining({ urgency: { before: 'urgent', after: 'critical' } }),
    );

    const back = await post(`/api/v1/archives/${household.archiveId}/urgency`, {
      urgency: 'derived',
      reason: '已出院，恢复按规则判定',
    });
    expect(back.json()).toEqual({ urgency: 'urgent', urgencyManual: false, urgencyReason: 'deep' });
    const refused = await post(`/api/v1/archives/${household.archiveId}/urgency`, {
      urgency: 'critical',
      reason: ' ',
    });
    expect(refused.statusCode).toBe(400);
  });

  it('derives again, in a bulk re-evaluation, an urgency whose time-limited rule has lapsed', async () => {
    // A natural disaster (cause 7) surveyed ten days ago, with 3,000 yuan a month for three: no
    // category, but critical while the archive is under 90 days old.
    const today = todayInShanghai();
    const input = householdInput('640104002', { size: 3 });
    const made = await post('/api/v1/households', {
      ...input,
      surveyDate: addDays(today, -10),
      income: { wageIncomeFen: 3_000 * 100 * 12 },
      primaryCause: '7',
      secondaryCauses: [],
    });
    expect(made.statusCode, made.body).toBe(201);
    const { id, archiveId } = made.json() as { id: string; archiveId: string };
    const all = () => evaluateAll((fn) => asOperator(t.db, fn), { org: '640104002', asOf: today });
    const urgencyOf = async () =>
      (await t.app.inject({ url: `/api/v1/households/${id}`, headers: { cookie: worker } })).json().archive;
    await all();
    expect(await urgencyOf()).toMatchObject({ urgency: 'critical', urgencyReason: 'fresh_disaster' });
    // The archive opened 90 days ago: the disaster is no longer fresh. Nothing the decision reads has
    // changed, so the re-evaluation stores nothing for it; its urgency is derived again all the same.
    await t.db.system((tx) =>
      sql`UPDATE archives SET opened_on = ${addDays(today, -90)} WHERE id = ${archiveId}`.execute(tx),
    );
    const again = await all();
    expect(again.changed).toBe(0);
    expect(await urgencyOf()).toMatchObject({
      urgency: 'normal',
      urgencyManual: false,
      urgencyReason: 'none',
    });
    const audited = await t.db.kysely
      .selectFrom('audit_log')
      .select(['changes'])
      .where('entity', '=', 'urgency_batch')
      .execute();
    expect(JSON.stringify(audited.map((a) => a.changes))).toContain(archiveId);
  });

  it('derives in bulk an urgency no rule gave, and one a back-dated decision left behind its facts', async () => {
    // Deep hardship: 600 yuan a month for three.
    const today = todayInShanghai();
    const made = await post('/api/v1/households', {
      ...householdInput('640104003', { size: 3 }),
      income: { wageIncomeFen: 600 * 100 * 12 },
      primaryCause: '3',
      secondaryCauses: [],
    });
    expect(made.statusCode, made.body).toBe(201);
    const { id, archiveId } = made.json() as { id: string; archiveId: string };
    const all = (asOf: string) => evaluateAll((fn) => asOperator(t.db, fn), { org: '640104003', asOf });
    const urgencyOf = async () =>
      (await t.app.inject({ url: `/api/v1/households/${id}`, headers: { cookie: worker } })).json().archive;
    await all(today);
    expect(await urgencyOf()).toMatchObject({ urgency: 'urgent', urgencyReason: 'deep' });
    // An urgency no rule gave (a reopened archive copies the one before it, without a reason):
    // derived by the next re-evaluation, though it stores nothing.
    await t.db.system((tx) =>
      sql`UPDATE archives SET urgency = 'normal', urgency_reason = NULL WHERE id = ${archiveId}`.execute(tx),
    );
    expect((await all(today)).changed).toBe(0);
    expect(await urgencyOf()).toMatchObject({ urgency: 'urgent', urgencyReason: 'deep' });
    // The head falls seriously ill, and the household is first evaluated as of an earlier day: that
    // decision reads the new facts but is not the current one, and derives nothing. The next
    // re-evaluation finds the same facts as the latest decision's, and derives all the same.
    await t.db.system((tx) =>
      sql`UPDATE people SET health = 'serious' WHERE id = (SELECT head_person_id FROM households WHERE id = ${id})`.execute(
        tx,
      ),
    );
    await all('2020-06-30');
    expect(await urgencyOf()).toMatchObject({ urgency: 'urgent', urgencyReason: 'deep' });
    await all(today);
    expect(await urgencyOf()).toMatchObject({ urgency: 'critical', urgencyReason: 'deep_and_seriously_ill' });
  });

  it('records exclusions with a reason; they refuse the household only where its union applies them', async () => {
    const set = await post(`/api/v1/households/${household.id}/exclusions`, {
      exclusions: ['car', 'car'],
      reason: '入户核查发现家庭有一辆轿车',
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ exclusions: ['car'] });
    const detail = await t.app.inject({
      url: `/api/v1/households/${household.id}`,
      headers: { cookie: worker },
    });
    expect(detail.json().exclusions).toEqual(['car']);
    // The demo's national rule set does not apply exclusions: still deep hardship.
    const latest = async () =>
      (
        await t.app.inject({
          url: `/api/v1/households/${household.id}/evaluations`,
          headers: { cookie: worker },
        })
      ).json()[0];
    expect((await latest()).evaluation.category).toBe('deep');
    // The union switches them on (its own rule set from 2026-01-01), and the household is refused.
    const manager = await t.login('xq-manager');
    const rules = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy/rule-sets',
      headers: { cookie: manager },
      payload: {
        ruleSet: 'national-2016',
        org: '640104001',
        validFrom: '2026-01-01',
        options: { applyExclusions: true },
      },
    });
    expect(rules.statusCode, rules.body).toBe(201);
    await post(`/api/v1/households/${household.id}/evaluations`, { asOf: '2026-06-30' });
    const refused = await latest();
    expect(refused.evaluation).toMatchObject({ eligible: false, category: null, exclusions: ['car'] });
    expect(refused.explanation.zh.lines).toContain(
      '排除情形：拥有或经常使用机动车（残疾人代步车除外）。符合条件？否（据此认定）',
    );
    const bad = await post(`/api/v1/households/${household.id}/exclusions`, {
      exclusions: ['yacht'],
      reason: 'x',
    });
    expect(bad.statusCode).toBe(400);
  });
});
