import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdInput, residentId } from './factories';
import { type TestApp, testApp } from './harness';

let t: TestApp;
let caseworker: string;
let outsider: string;
beforeAll(async () => {
  t = await testApp();
  caseworker = await t.login('xq-caseworker');
  const root = await t.login('admin');
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie: root },
    payload: {
      username: 'xx-worker',
      displayName: '西夏干事',
      orgCode: '640105',
      roles: ['caseworker'],
      password: 'xx-password-01',
    },
  });
  outsider = await t.login('xx-worker', 'xx-password-01');
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/password',
    headers: { cookie: outsider },
    payload: { currentPassword: 'xx-password-01', newPassword: 'xx-password-02' },
  });
});
afterAll(() => t?.close());

const post = (payload: object, cookie = caseworker) =>
  t.app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie }, payload });
const list = (query = '', cookie = caseworker) =>
  t.app.inject({ url: `/api/v1/households${query}`, headers: { cookie } });

describe('households', () => {
  it('registers a surveyed household with its members and archive', async () => {
    const input = householdInput('640104001', { size: 3 });
    const res = await post(input);
    expect(res.statusCode, res.body).toBe(201);
    const { items } = (await list(`?q=${encodeURIComponent(input.head.name)}`)).json();
    expect(items).toEqual([
      expect.objectContaining({
        orgCode: '640104001',
        headName: input.head.name,
        size: 3,
        status: 'surveyed',
        primaryCause: '6',
        headIdMasked: `${input.head.idNumber.slice(0, 6)}********${input.head.idNumber.slice(-4)}`,
      }),
    ]);
    // Lists never carry a full ID number.
    expect((await list()).body).not.toContain(input.head.idNumber);
  });

  it('reports every bad ID number at its field, and saves nothing', async () => {
    const input = householdInput('640104', { size: 2 });
    const badHead = `${input.head.idNumber.slice(0, 17)}${input.head.idNumber.endsWith('0') ? '1' : '0'}`;
    const res = await post({
      ...input,
      head: { ...input.head, idNumber: badHead },
      members: [{ ...input.members[0], idNumber: '640104209901010012' }],
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string[] }) => d.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['body.head.idNumber', 'body.members.0.idNumber']));
    expect((await list(`?q=${encodeURIComponent(input.head.name)}`)).json().total).toBe(0);
  });

  it('converts an old 15-digit ID number', async () => {
    const input = householdInput('640104');
    const id18 = residentId('110103', '1970-01-01', 7);
    const id15 = `${id18.slice(0, 6)}${id18.slice(8, 17)}`;
    const res = await post({ ...input, head: { ...input.head, idNumber: id15 } });
    expect(res.statusCode, res.body).toBe(201);
    const found = await list(`?q=${id18.slice(0, 14)}`);
    expect(found.json().items[0].headIdMasked).toBe(`${id18.slice(0, 6)}********${id18.slice(-4)}`);
  });

  it('refuses a person already in an open household, saying where', async () => {
    const first = householdInput('640104002');
    expect((await post(first)).statusCode).toBe(201);
    const second = householdInput('640104003');
    const res = await post({ ...second, members: [{ ...first.head, relation: 'spouse' }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toMatchObject({
      reason: 'person_in_open_household',
      orgCode: '640104002',
    });
  });

  it('refuses a known ID number under another name', async () => {
    const first = householdInput('640104');
    await post(first);
    const res = await post({
      ...householdInput('640104'),
      members: [{ ...first.members[0], name: '别的名字', relation: 'child' }],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.reason).toBe('name_mismatch');
  });

  it('filters on the server and pages', async () => {
    await post(householdInput('640104004', { migrant: true }));
    const migrants = (await list('?migrant=true')).json();
    expect(migrants.total).toBe(1);
    expect(migrants.items[0].migrantWorker).toBe(true);
    const byOrg = (await list('?org=640104004')).json();
    expect(byOrg.items.map((h: { orgCode: string }) => h.orgCode)).toEqual(['640104004']);
    expect((await list('?cause=9')).json().total).toBe((await list()).json().total);
    expect((await list('?cause=1')).json().total).toBe(0);
    const page = (await list('?pageSize=2&page=1')).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(5);
  });

  it("keeps 兴庆区's households from 西夏区, and tells who keeps a person", async () => {
    expect((await list('', outsider)).json()).toEqual({ items: [], total: 0, totalIsLowerBound: false });
    expect((await list('?org=640104', outsider)).statusCode).toBe(404);
    const kept = householdInput('640104005');
    await post(kept);
    const res = await post(
      {
        ...householdInput('640105001'),
        head: { ...kept.members[0], migrantWorker: false, householdRegistration: 'rural' },
      },
      outsider,
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toMatchObject({ reason: 'person_kept_elsewhere', orgCode: '640104005' });
    expect(res.body).not.toContain(kept.members[0]?.idNumber);
  });

  it('records the registration in the audit trail without ID numbers', async () => {
    const admin = await t.login('xq-admin');
    const res = await t.app.inject({ url: '/api/v1/audit?entity=household', headers: { cookie: admin } });
    expect(res.json().total).toBeGreaterThanOrEqual(5);
    expect(res.body).not.toMatch(/\d{17}[\dX]/);
  });
});

describe('the archive life cycle over HTTP', () => {
  let householdId: string;
  let archiveId: string;
  let manager: string;
  const step = (payload: object, cookie = caseworker) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/archives/${archiveId}/steps`,
      headers: { cookie },
      payload,
    });
  const detail = async (query = '', cookie = caseworker) =>
    (await t.app.inject({ url: `/api/v1/households/${householdId}${query}`, headers: { cookie } })).json();

  beforeAll(async () => {
    manager = await t.login('xq-manager');
    const input = householdInput('640104', { size: 3 });
    const res = (await post(input)).json();
    householdId = res.id;
    archiveId = res.archiveId;
  });

  it('walks a household from surveyed to archived, each step dated, signed and commented', async () => {
    expect((await step({ action: 'apply', comment: '本人申请', onDate: '2015-03-10' })).json()).toEqual({
      status: 'applied',
    });
    // A caseworker may not decide the first review.
    const denied = await step({ action: 'first_review', comment: '初审', onDate: '2015-03-12' });
    expect(denied.statusCode).toBe(403);
    expect(
      (await step({ action: 'first_review', comment: '初审通过', onDate: '2015-03-12' }, manager)).statusCode,
    ).toBe(200);
    expect((await step({ action: 'home_visit', comment: '入户核实', onDate: '2015-03-20' })).statusCode).toBe(
      200,
    );
    expect(
      (await step({ action: 'verify_finances', comment: '民政核对无异常', onDate: '2015-04-20' })).statusCode,
    ).toBe(200);
    // Monday 4 May 2015: five working days end on Monday 11 May.
    expect(
      (await step({ action: 'publicise', comment: '张榜公示', onDate: '2015-05-04' }, manager)).statusCode,
    ).toBe(200);
    const early = await step({ action: 'archive', comment: '建档', onDate: '2015-05-11' }, manager);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.details).toEqual({
      code: 'publicity_not_over',
      endsOn: '2015-05-11',
      provisional: false,
    });
    expect(
      (await step({ action: 'archive', comment: '公示无异议，建档', onDate: '2015-05-12' }, manager))
        .statusCode,
    ).toBe(200);
    const h = await detail();
    expect(h.archive).toMatchObject({
      status: 'archived',
      publicityStartedOn: '2015-05-04',
      publicityEndsOn: '2015-05-11',
      archivedOn: '2015-05-12',
      nextReviewOn: '2016-05-12',
    });
    expect(h.archive.steps.map((s: { action: string }) => s.action)).toEqual([
      'survey',
      'apply',
      'first_review',
      'home_visit',
      'verify_finances',
      'publicise',
      'archive',
    ]);
    expect(h.archive.steps[2]).toMatchObject({
      username: 'xq-manager',
      comment: '初审通过',
      onDate: '2015-03-12',
    });
    // An archived household: the caseworker reviews it yearly; only an approver may close it.
    expect(h.archive.allowedActions).toEqual(['review']);
    expect((await detail('', manager)).archive.allowedActions).toEqual(['review', 'exit']);
  });

  it('refuses illegal steps, back-dated steps and an exit without a reason', async () => {
    const illegal = await step({ action: 'apply', comment: '再次申请' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().error.details.code).toBe('illegal_transition');
    const backdated = await step(
      { action: 'exit', comment: '退出', onDate: '2015-05-01', exitReason: 'death' },
      manager,
    );
    expect(backdated.statusCode).toBe(400);
    const noReason = await step({ action: 'exit', comment: '退出', onDate: '2016-06-01' }, manager);
    expect(noReason.statusCode).toBe(409);
    expect(noReason.json().error.details.code).toBe('exit_reason_required');
    const exited = await step(
      { action: 'exit', comment: '收入稳定', onDate: '2016-06-01', exitReason: 'income_recovered' },
      manager,
    );
    expect(exited.json()).toEqual({ status: 'exited' });
    expect((await detail()).archive).toMatchObject({
      status: 'exited',
      exitReason: 'income_recovered',
      nextReviewOn: null,
    });
  });

  it('shows ID numbers masked, and whole only with the permission, as an audited read', async () => {
    const masked = await detail();
    expect(masked.fullView).toBe(false);
    expect(masked.head.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    // The birth date would give the hidden digits back: only the year is shown.
    expect(masked.head.birthDate).toBeNull();
    expect(masked.head.birthYear).toBe(1975);
    const full = await detail('?full=true');
    expect(full.head.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(full.head.birthDate).toBe('1975-05-05');
    expect(full.members).toHaveLength(2);
    const employment = await t.login('xq-employment');
    const refused = await t.app.inject({
      url: `/api/v1/households/${householdId}?full=true`,
      headers: { cookie: employment },
    });
    expect(refused.statusCode).toBe(403);
    const admin = await t.login('xq-admin');
    const reads = await t.app.inject({
      url: '/api/v1/audit?action=read&username=xq-caseworker',
      headers: { cookie: admin },
    });
    expect(
      reads
        .json()
        .items.map((e: { entityId: string }) => e.entityId)
        .sort(),
    ).toEqual([full.head.id, ...full.members.map((m: { id: string }) => m.id)].sort());
  });

  it('computes the per-capita figures from the survey items', async () => {
    const h = await detail();
    // 21,600 yuan a year for 3 people: 600 yuan per person per month.
    expect(h.figures).toEqual({
      size: 3,
      incomeFen: 2_160_000,
      deductionsFen: 0,
      perCapitaMonthlyIncomeFen: 60_000,
      perCapitaMonthlyNetFen: 60_000,
    });
  });
});

describe('objections during publicity', () => {
  it('holds archiving until every objection is resolved', async () => {
    const manager = await t.login('xq-manager');
    const { archiveId } = (await post(householdInput('640104003'))).json();
    const step = (action: string, onDate: string, cookie = manager) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/archives/${archiveId}/steps`,
        headers: { cookie },
        payload: { action, comment: action, onDate },
      });
    const early = await t.app.inject({
      method: 'POST',
      url: `/api/v1/archives/${archiveId}/objections`,
      headers: { cookie: caseworker },
      payload: { content: '有异议', raisedOn: '2015-03-03' },
    });
    expect(early.statusCode).toBe(409);
    for (const [action, on] of [
      ['apply', '2015-03-10'],
      ['first_review', '2015-03-12'],
      ['home_visit', '2015-03-20'],
      ['verify_finances', '2015-04-20'],
      ['publicise', '2015-05-04'],
    ] as const)
      expect((await step(action, on)).statusCode, action).toBe(200);
    const raised = await t.app.inject({
      method: 'POST',
      url: `/api/v1/archives/${archiveId}/objections`,
      headers: { cookie: caseworker },
      payload: { content: '邻居反映其有经营收入未申报', raisedBy: '匿名', raisedOn: '2015-05-06' },
    });
    expect(raised.statusCode).toBe(201);
    const blocked = await step('archive', '2015-05-12');
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.details).toEqual({ code: 'open_objections', count: 1 });
    // Settling it is a deciding step.
    const resolve = (cookie: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/objections/${raised.json().id}/resolve`,
        headers: { cookie },
        payload: { resolution: '经核实，经营已于2014年停止', upheld: false, resolvedOn: '2015-05-08' },
      });
    expect((await resolve(caseworker)).statusCode).toBe(403);
    const resolved = await resolve(manager);
    expect(resolved.json()).toMatchObject({ resolvedOn: '2015-05-08', upheld: false });
    expect((await resolve(manager)).statusCode).toBe(409);
    expect((await step('archive', '2015-05-12')).statusCode).toBe(200);
    const list = await t.app.inject({
      url: `/api/v1/archives/${archiveId}/objections`,
      headers: { cookie: caseworker },
    });
    expect(list.json()).toEqual([expect.objectContaining({ raisedBy: '匿名', upheld: false })]);
  });
});

describe('reviews and visits due', () => {
  const shift = (date: string, days: number) => {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  // Archived 355 days ago: the yearly review falls in 10 days, the first visit (90 days) is overdue.
  const archivedOn = shift(today, -355);

  it('lists the yearly review due and the overdue visit; recording the visit schedules the next', async () => {
    const manager = await t.login('xq-manager');
    const { id: householdId, archiveId } = (await post(householdInput('640104002'))).json();
    for (const [action, days, cookie] of [
      ['apply', -40, caseworker],
      ['first_review', -39, manager],
      ['home_visit', -38, caseworker],
      ['verify_finances', -37, caseworker],
      ['publicise', -30, manager],
      ['archive', 0, manager],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/archives/${archiveId}/steps`,
        headers: { cookie },
        payload: { action, comment: action, onDate: shift(archivedOn, days) },
      });
      expect(res.statusCode, `${action} ${res.body}`).toBe(200);
    }
    const due = async (query: string) =>
      (await t.app.inject({ url: `/api/v1/registry/due?${query}`, headers: { cookie: caseworker } })).json()
        .items;
    const reviews = (await due('kind=review')).filter(
      (i: { householdId: string }) => i.householdId === householdId,
    );
    expect(reviews).toEqual([
      expect.objectContaining({ kind: 'review', dueOn: shift(archivedOn, 365), overdue: false }),
    ]);
    const visits = (await due('kind=visit')).filter(
      (i: { householdId: string }) => i.householdId === householdId,
    );
    // The first visit falls to the caseworker who made the home visit.
    expect(visits).toEqual([
      expect.objectContaining({
        kind: 'visit',
        dueOn: shift(archivedOn, 90),
        overdue: true,
        caseworker: 'xq-caseworker',
      }),
    ]);
    expect(visits[0].headIdMasked).toMatch(/\*{8}/);

    const recorded = await t.app.inject({
      method: 'POST',
      url: `/api/v1/visits/${visits[0].visitId}/record`,
      headers: { cookie: caseworker },
      payload: { findings: '家中老人住院，需医疗救助', visitedOn: shift(today, -1) },
    });
    expect(recorded.json()).toEqual({ nextDueOn: shift(today, 89) });
    const after = (await due('kind=visit&caseworker=xq-caseworker')).filter(
      (i: { householdId: string }) => i.householdId === householdId,
    );
    expect(after).toEqual([]);
    const later = (await due(`kind=visit&until=${shift(today, 100)}&caseworker=xq-caseworker`)).filter(
      (i: { householdId: string }) => i.householdId === householdId,
    );
    expect(later).toEqual([
      expect.objectContaining({ dueOn: shift(today, 89), overdue: false, caseworker: 'xq-caseworker' }),
    ]);

    // The yearly review keeps the household archived and moves the next review a year on.
    const reviewed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/archives/${archiveId}/steps`,
      headers: { cookie: caseworker },
      payload: { action: 'review', comment: '年审：情况未变', onDate: today },
    });
    expect(reviewed.json()).toEqual({ status: 'archived' });
    const again = (await due('kind=review')).filter(
      (i: { householdId: string }) => i.householdId === householdId,
    );
    expect(again).toEqual([]);
  });
});

describe('what a user without the full view can learn', () => {
  it('searches ID numbers only whole or by their last four characters', async () => {
    const input = householdInput('640104001');
    await post(input);
    const employment = await t.login('xq-employment');
    const id = input.head.idNumber;
    const search = (q: string) =>
      t.app.inject({ url: `/api/v1/households?q=${q}`, headers: { cookie: employment } });
    expect((await search(id.slice(6, 14))).statusCode).toBe(400);
    expect((await search(id.slice(0, 10))).statusCode).toBe(400);
    expect((await search(id)).json().total).toBe(1);
    expect((await search(id.slice(-4))).json().total).toBeGreaterThanOrEqual(1);
  });

  it('refuses to archive after an upheld objection, and to register a person kept by a sibling union', async () => {
    const manager = await t.login('xq-manager');
    const first = householdInput('640104002');
    const { archiveId } = (await post(first)).json();
    const step = (action: string, onDate: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/archives/${archiveId}/steps`,
        headers: { cookie: manager },
        payload: { action, comment: action, onDate },
      });
    for (const [action, on] of [
      ['apply', '2015-03-10'],
      ['first_review', '2015-03-12'],
      ['home_visit', '2015-03-20'],
      ['verify_finances', '2015-04-20'],
      ['publicise', '2015-05-04'],
    ] as const)
      await step(action, on);
    const objection = await t.app.inject({
      method: 'POST',
      url: `/api/v1/archives/${archiveId}/objections`,
      headers: { cookie: caseworker },
      payload: { content: '有车辆', raisedOn: '2015-05-05' },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/objections/${objection.json().id}/resolve`,
      headers: { cookie: manager },
      payload: { resolution: '核实属实', upheld: true, resolvedOn: '2015-05-07' },
    });
    const refused = await step('archive', '2015-05-12');
    expect(refused.json().error.details).toEqual({ code: 'objection_upheld', count: 1 });
    expect((await step('refuse', '2015-05-12')).json()).toEqual({ status: 'refused' });
    // The household is closed, its people stay kept by 640104002: 640104001 cannot take them over.
    const taken = await post({ ...householdInput('640104001'), head: first.head });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details).toMatchObject({
      reason: 'person_kept_elsewhere',
      orgCode: '640104002',
    });
  });
});
