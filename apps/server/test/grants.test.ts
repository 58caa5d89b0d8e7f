import { sql } from '@niangjia/db';
import { todayInShanghai } from '@niangjia/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdInput } from './factories';
import { backend, type TestApp, testApp } from './harness';

let t: TestApp;
let proposer: string;
let approver: string;
let second: string;
beforeAll(async () => {
  t = await testApp();
  proposer = await t.login('xq-manager');
  approver = await t.login('xq-admin');
  const admin = await t.login('admin');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie: admin },
    payload: {
      username: 'xq-manager2',
      displayName: '刘副主任',
      orgCode: '640104',
      roles: ['manager'],
      password: 'second-manager-password',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  // As if the first sign-in's change of password were done.
  await t.db.kysely
    .updateTable('users')
    .set({ must_change_password: false })
    .where('username', '=', 'xq-manager2')
    .execute();
  second = await t.login('xq-manager2', 'second-manager-password');
});
afterAll(() => t?.close());

const api = async (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload }),
  });

/** A household of 640104001 with an archive of this status and category; returns its head's id. */
async function household(status: string, category: string | null) {
  const res = await api(proposer, 'POST', '/households', householdInput('640104001'));
  expect(res.statusCode, res.body).toBe(201);
  await t.db.kysely
    .updateTable('archives')
    .set({ status, category, archived_on: status === 'archived' ? '2014-06-01' : null })
    .where('id', '=', res.json().archiveId)
    .execute();
  const h = await t.db.kysely
    .selectFrom('households')
    .select(['id', 'head_person_id'])
    .where('id', '=', res.json().id)
    .executeTakeFirstOrThrow();
  return { householdId: h.id, personId: h.head_person_id };
}

async function setFund(source: string, year: number, budgetFen: number) {
  const res = await api(approver, 'PUT', '/assistance/funds', { org: '640104', source, year, budgetFen });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function program(body: Record<string, unknown>) {
  const res = await api(approver, 'POST', '/assistance/programs', {
    org: '640104',
    startsOn: '2015-01-01',
    endsOn: '2015-12-31',
    fundSources: ['union_dues'],
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const propose = (body: Record<string, unknown>, cookie = proposer) =>
  api(cookie, 'POST', '/assistance/grants', body);

let deep: { householdId: string; personId: string };
let relative: { householdId: string; personId: string };
let relative2: { householdId: string; personId: string };
let refused: { householdId: string; personId: string };

describe(`grants on ${backend}`, () => {
  beforeAll(async () => {
    deep = await household('archived', 'deep');
    relative = await household('archived', 'relative');
    relative2 = await household('archived', 'relative');
    refused = await household('refused', 'deep');
    await setFund('union_dues', 2015, 1_000_000);
    await setFund('central_finance', 2015, 1_000_000);
  });

  it('caps living aid by category: 12 or 8 months of 低保, less what the year already gave', async () => {
    const living = await program({ name: '2015年生活救助', aidType: 'living' });
    const a = await propose({ programId: living, personId: deep.personId });
    expect(a.statusCode, a.body).toBe(201);
    // 低保 300 yuan (640100) × 12 months (deep): the amount is the cap when the program has none.
    expect(a.json()).toMatchObject({ amountFen: 360_000, capFen: 360_000, status: 'proposed' });
    expect(a.json().basis).toMatchObject({ rule: 'living', months: 12, dibaoFen: 30_000 });
    const over = await propose({ programId: living, personId: relative.personId, amountFen: 240_001 });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.details).toMatchObject({ code: 'over_cap', capFen: 240_000 });
    const b = await propose({ programId: living, personId: relative.personId, amountFen: 100_000 });
    expect(b.json()).toMatchObject({ amountFen: 100_000, capFen: 240_000 });
    // One grant per person and program.
    const again = await propose({ programId: living, personId: relative.personId });
    expect(again.json().error.details.code).toBe('already_granted');
    // Another living program of the year: what the first granted counts.
    const more = await program({ name: '2015年生活救助（二）', aidType: 'living' });
    const rest = await propose({ programId: more, personId: relative.personId });
    expect(rest.json()).toMatchObject({ amountFen: 140_000, capFen: 140_000 });
    expect((await propose({ programId: more, personId: deep.personId })).json().error.details.code).toBe(
      'cap_used',
    );
    // "Archive first": a refused archive does not qualify.
    expect((await propose({ programId: living, personId: refused.personId })).json().error.details.code).toBe(
      'not_eligible',
    );
    // The household page's totals against the cap.
    const totals = await api(proposer, 'GET', `/households/${relative.householdId}/assistance?year=2015`);
    expect(totals.statusCode, totals.body).toBe(200);
    expect(totals.json().byType.find((r: { aidType: string }) => r.aidType === 'living')).toMatchObject({
      grantedFen: 240_000,
      paidFen: 0,
      capFen: 240_000,
    });
  });

  it('caps medical aid at the self-paid share, 80 % of it for relative hardship, and education aid by school', async () => {
    const medical = await program({ name: '2015年医疗救助', aidType: 'medical' });
    const noCosts = await propose({ programId: medical, personId: relative2.personId });
    expect(noCosts.json().error.details.code).toBe('needs_input');
    const rel = await propose({ programId: medical, personId: relative2.personId, selfPaidFen: 1_000_000 });
    expect(rel.json()).toMatchObject({ amountFen: 800_000, capFen: 800_000 });
    const dp = await propose({ programId: medical, personId: deep.personId, selfPaidFen: 1_000_000 });
    expect(dp.json()).toMatchObject({ amountFen: 1_000_000, capFen: 1_000_000 });
    const school = await program({ name: '2015年金秋助学', aidType: 'education', startsOn: '2015-08-01' });
    const basic = await propose({ programId: school, personId: deep.personId, schoolLevel: 'basic' });
    expect(basic.json()).toMatchObject({ amountFen: 300_000, capFen: 300_000 });
    const higher = await propose({
      programId: school,
      personId: relative2.personId,
      schoolLevel: 'higher',
      amountFen: 1_000_001,
    });
    expect(higher.json().error.details).toMatchObject({ code: 'over_cap', capFen: 1_000_000 });
  });

  it('needs a second approver above the threshold, never the proposer, and keeps a fund from overspending', async () => {
    const small = await setFund('donation', 2015, 500_000);
    expect(small.availableFen).toBe(500_000);
    const living = await program({
      name: '2015年生活救助（捐助）',
      aidType: 'living',
      fundSources: ['donation'],
      defaultAmountFen: 300_000,
    });
    const g = (await propose({ programId: living, personId: relative2.personId, amountFen: 240_000 })).json();
    // 2,400 yuan is above the 2,000-yuan threshold: two approvals.
    expect(g.approvalsNeeded).toBe(2);
    const own = await api(proposer, 'POST', `/assistance/grants/${g.id}/approve`, {});
    expect(own.json().error.details.code).toBe('own_proposal');
    const first = await api(approver, 'POST', `/assistance/grants/${g.id}/approve`, {});
    expect(first.json()).toMatchObject({ status: 'proposed', firstApprovedBy: '兴庆区系统管理员' });
    const same = await api(approver, 'POST', `/assistance/grants/${g.id}/approve`, {});
    expect(same.json().error.details.code).toBe('same_approver');
    const last = await api(second, 'POST', `/assistance/grants/${g.id}/approve`, {});
    expect(last.json()).toMatchObject({ status: 'approved', approvedBy: '刘副主任' });
    expect(last.json().publicityEndsOn > todayInShanghai()).toBe(true);
    // The fund has 2,600 yuan left; a grant of 3,000 would overspend it.
    const big = (
      await propose({ programId: living, personId: (await household('archived', 'deep')).personId })
    ).json();
    expect(big.amountFen).toBe(300_000);
    await api(approver, 'POST', `/assistance/grants/${big.id}/approve`, {});
    const overspent = await api(second, 'POST', `/assistance/grants/${big.id}/approve`, {});
    expect(overspent.statusCode).toBe(409);
    expect(overspent.json().error.details).toMatchObject({
      code: 'fund_overspent',
      budgetFen: 500_000,
      usedFen: 240_000,
    });
    // A budget below what is committed is refused; a larger one lets the approval through.
    expect(
      (
        await api(approver, 'PUT', '/assistance/funds', {
          org: '640104',
          source: 'donation',
          year: 2015,
          budgetFen: 200_000,
        })
      ).json().error.details.code,
    ).toBe('budget_below_use');
    await setFund('donation', 2015, 600_000);
    expect((await api(second, 'POST', `/assistance/grants/${big.id}/approve`, {})).json().status).toBe(
      'approved',
    );
    const funds = (await api(proposer, 'GET', '/assistance/funds?year=2015')).json();
    expect(funds.find((f: { source: string }) => f.source === 'donation')).toMatchObject({
      committedFen: 540_000,
      availableFen: 60_000,
    });
  });

  it('keeps training within 30 % of the central-finance budget, when approving', async () => {
    const training = await program({
      name: '2015年技能培训补贴',
      aidType: 'training',
      fundSources: ['central_finance'],
      defaultAmountFen: 100_000,
      eligibleStatuses: [],
    });
    const people = [];
    for (let i = 0; i < 4; i++) people.push((await household('archived', 'relative')).personId);
    const grants = [];
    for (const personId of people) grants.push((await propose({ programId: training, personId })).json());
    // 10,000 yuan of central-finance funds: 3,000 may pay for training.
    for (const g of grants.slice(0, 3))
      expect((await api(approver, 'POST', `/assistance/grants/${g.id}/approve`, {})).json().status).toBe(
        'approved',
      );
    const fourth = await api(approver, 'POST', `/assistance/grants/${grants[3].id}/approve`, {});
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().error.details).toMatchObject({
      code: 'training_share',
      limitFen: 300_000,
      trainingFen: 300_000,
    });
    // Nor may a smaller budget push the share past 30 %: 9,000 yuan would allow 2,700.
    const smaller = await api(approver, 'PUT', '/assistance/funds', {
      org: '640104',
      source: 'central_finance',
      year: 2015,
      budgetFen: 900_000,
    });
    expect(smaller.json().error.details).toMatchObject({ code: 'training_share', limitFen: 270_000 });
  });
});

describe(`payments on ${backend}`, () => {
  let urgent: string;
  beforeAll(async () => {
    urgent = await program({
      name: '2015年应急救助',
      aidType: 'emergency',
      publicityWorkingDays: 0,
      defaultAmountFen: 50_000,
    });
  });

  async function approved(personId: string, programId = urgent) {
    const g = (await propose({ programId, personId })).json();
    expect(g.id, JSON.stringify(g)).toBeTruthy();
    const a = await api(approver, 'POST', `/assistance/grants/${g.id}/approve`, {});
    expect(a.json().status, a.body).toBe('approved');
    return g.id as string;
  }

  it('pays after the publicity, once: a second payment is refused, and two at once pay once', async () => {
    const publicised = await program({
      name: '2015年生活救助（公示）',
      aidType: 'living',
      defaultAmountFen: 10_000,
    });
    const waiting = await approved((await household('archived', 'deep')).personId, publicised);
    const early = await api(second, 'POST', `/assistance/grants/${waiting}/pay`, { method: 'cash' });
    expect(early.json().error.details.code).toBe('in_publicity');

    const h = await household('archived', 'deep');
    const id = await approved(h.personId);
    const noCard = await api(second, 'POST', `/assistance/grants/${id}/pay`, { method: 'bank_card' });
    expect(noCard.json().error.details.code).toBe('no_bank_card');
    const inKind = await api(second, 'POST', `/assistance/grants/${id}/pay`, { method: 'in_kind' });
    expect(inKind.statusCode).toBe(400);
    const paid = await api(second, 'POST', `/assistance/grants/${id}/pay`, { method: 'cash' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', payment: { method: 'cash', paidBy: '刘副主任' } });
    // In kind: the receipt lists what was given.
    const goods = await approved((await household('archived', 'deep')).personId);
    const given = await api(second, 'POST', `/assistance/grants/${goods}/pay`, {
      method: 'in_kind',
      inKindItems: '大米 10 kg，食用油 5 L',
    });
    expect(given.json().payment).toMatchObject({ method: 'in_kind', inKindItems: '大米 10 kg，食用油 5 L' });
    expect(paid.json().payment.inKindItems).toBeNull();
    const twice = await api(second, 'POST', `/assistance/grants/${id}/pay`, { method: 'cash' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.details.code).toBe('already_paid');

    // Two requests at once (two tabs, a retry): one pays, the other is refused.
    const other = await approved((await household('archived', 'relative')).personId);
    const both = await Promise.all([
      api(second, 'POST', `/assistance/grants/${other}/pay`, { method: 'cash' }),
      api(proposer, 'POST', `/assistance/grants/${other}/pay`, { method: 'cash' }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const lines = await t.db.kysely
      .selectFrom('ledger_entries')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('grant_id', '=', other)
      .executeTakeFirstOrThrow();
    expect(lines.n).toBe(1);
  });

  it('reverses a payment by a reversing line with its reason, never by changing it; the grant may then be paid again', async () => {
    const h = await household('archived', 'relative');
    const id = await approved(h.personId);
    const today = todayInShanghai();
    const year = Number(today.slice(0, 4));
    const paid = (await api(second, 'POST', `/assistance/grants/${id}/pay`, { method: 'cash' })).json();
    const report = async () =>
      (await api(proposer, 'GET', `/assistance/reports/yearly?from=${year}&to=${year}&org=640104`)).json()
        .rows[0];
    const before = await report();
    const reversed = await api(approver, 'POST', `/assistance/grants/${id}/reverse`, {
      reason: '误发至他人',
    });
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect(reversed.json()).toMatchObject({ status: 'approved', payment: null });
    const after = await report();
    expect(after).toEqual({
      year,
      personTimes: before.personTimes - 1,
      amountFen: before.amountFen - 50_000,
    });
    const lines = await t.db.kysely
      .selectFrom('ledger_entries')
      .select(['kind', 'amount_fen', 'reverses', 'reason', 'paid_on'])
      .where('grant_id', '=', id)
      .orderBy('kind')
      .execute();
    expect(lines).toEqual([
      { kind: 'payment', amount_fen: 50_000, reverses: null, reason: null, paid_on: today },
      {
        kind: 'reversal',
        amount_fen: -50_000,
        reverses: paid.payment.ledgerEntryId,
        reason: expect.stringContaining('误发至他人'),
        paid_on: today,
      },
    ]);
    const again = await api(second, 'POST', `/assistance/grants/${id}/pay`, { method: 'cash' });
    expect(again.json().status).toBe('paid');
    // The person's timeline shows the grant.
    const person = await api(proposer, 'GET', `/people/${h.personId}`);
    expect(person.json().timeline.some((e: { kind: string }) => e.kind === 'aid.grant')).toBe(true);
  });
});

describe(`batch proposals on ${backend}`, () => {
  it('proposes a campaign to every deep-hardship household of a filtered list, once, and approves them all', async () => {
    const festival = await program({
      name: '2015年元旦春节送温暖',
      aidType: 'festival',
      defaultAmountFen: 50_000,
      eligibleCategories: ['deep'],
      publicityWorkingDays: 5,
    });
    const deepArchived = await t.db.kysely
      .selectFrom('households')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('archive_category', '=', 'deep')
      .where('archive_status', '=', 'archived')
      .executeTakeFirstOrThrow();
    const res = await api(proposer, 'POST', '/assistance/grants/batch', {
      programId: festival,
      filters: { org: '640104', category: 'deep' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ proposed: deepArchived.n, amountFen: deepArchived.n * 50_000 });
    // The refused deep household matched the filter and was left out.
    expect(res.json().skipped).toEqual({ not_eligible: 1 });
    const again = (
      await api(proposer, 'POST', '/assistance/grants/batch', {
        programId: festival,
        filters: { org: '640104', category: 'deep' },
      })
    ).json();
    expect(again).toMatchObject({
      proposed: 0,
      skipped: { not_eligible: 1, already_granted: deepArchived.n },
    });
    const all = await api(second, 'POST', `/assistance/programs/${festival}/approve-all`);
    expect(all.json()).toMatchObject({ approved: deepArchived.n, firstApproved: 0, refused: [] });
    const list = (
      await api(proposer, 'GET', `/assistance/grants?programId=${festival}&status=approved`)
    ).json();
    expect(list.total).toBe(deepArchived.n);
    expect(list.items[0].idNumberMasked).toMatch(/\*/);
    // The publicity list names each person's own union, not the district that runs the program.
    expect(list.items[0]).toMatchObject({ org: '640104', householdOrg: '640104001' });
  });
});
