import { TimelineEntry } from '@niangjia/contracts';
import { addDays, todayInShanghai } from '@niangjia/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdInput } from './factories';
import { type TestApp, testApp } from './harness';

/**
 * The person page: a person's record (masked unless the audited full view), their households, and
 * a timeline built from their archives' steps, objections and visits, newest first.
 */
let t: TestApp;
let caseworker: string;
let manager: string;
let outsider: string;
const today = todayInShanghai();
const archivedOn = addDays(today, -100);
let input: ReturnType<typeof householdInput>;
let householdId: string;
let archiveId: string;
let headId: string;
let memberId: string;

const get = (url: string, cookie = caseworker) => t.app.inject({ url, headers: { cookie } });
const post = (url: string, payload: object, cookie = caseworker) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

beforeAll(async () => {
  t = await testApp();
  caseworker = await t.login('xq-caseworker');
  manager = await t.login('xq-manager');
  const root = await t.login('admin');
  await post(
    '/api/v1/users',
    {
      username: 'xx-worker',
      displayName: '西夏干事',
      orgCode: '640105',
      roles: ['caseworker'],
      password: 'xx-password-01',
    },
    root,
  );
  outsider = await t.login('xx-worker', 'xx-password-01');
  await post(
    '/api/v1/me/password',
    { currentPassword: 'xx-password-01', newPassword: 'xx-password-02' },
    outsider,
  );

  // A household of two taken through publicity (one objection, not upheld) to archived 100 days ago.
  input = householdInput('640104001', { size: 2 });
  const created = await post('/api/v1/households', input);
  expect(created.statusCode, created.body).toBe(201);
  ({ id: householdId, archiveId } = created.json());
  const step = async (action: string, days: number, cookie = caseworker) => {
    const res = await post(
      `/api/v1/archives/${archiveId}/steps`,
      { action, comment: `${action} 意见`, onDate: addDays(archivedOn, days) },
      cookie,
    );
    expect(res.statusCode, `${action} ${res.body}`).toBe(200);
  };
  await step('apply', -40);
  await step('first_review', -39, manager);
  await step('home_visit', -38);
  await step('verify_finances', -37);
  await step('publicise', -30, manager);
  const objection = await post(`/api/v1/archives/${archiveId}/objections`, {
    content: '邻居反映其有经营收入',
    raisedBy: '匿名',
    raisedOn: addDays(archivedOn, -28),
  });
  expect(objection.statusCode, objection.body).toBe(201);
  const resolved = await post(
    `/api/v1/objections/${objection.json().id}/resolve`,
    { resolution: '经核实，经营已停止', upheld: false, resolvedOn: addDays(archivedOn, -27) },
    manager,
  );
  expect(resolved.statusCode, resolved.body).toBe(200);
  await step('archive', 0, manager);
  const detail = (await get(`/api/v1/households/${householdId}`)).json();
  headId = detail.head.id;
  memberId = detail.members[0].id;
});
afterAll(() => t?.close());

type Entry = {
  id: string;
  kind: string;
  on: string;
  title: { zh: string };
  tag: { text: { zh: string } } | null;
};

describe('the person page', () => {
  it('shows a head masked, with the household and the archive history newest first', async () => {
    const res = await get(`/api/v1/people/${headId}`);
    expect(res.statusCode, res.body).toBe(200);
    const person = res.json();
    expect(person).toMatchObject({
      id: headId,
      name: input.head.name,
      idNumber: `${input.head.idNumber.slice(0, 6)}********${input.head.idNumber.slice(-4)}`,
      birthDate: null,
      birthYear: 1975,
      sex: input.head.idNumber.charCodeAt(16) % 2 === 1 ? 'male' : 'female',
      householdRegistration: 'urban',
      orgCode: '640104001',
      fullView: false,
      bank: null,
      households: [
        { householdId, role: 'head', relation: null, headName: input.head.name, status: 'archived' },
      ],
    });
    expect(res.body).not.toContain(input.head.idNumber);
    const timeline: Entry[] = person.timeline;
    const steps = timeline.filter((e) => e.kind === 'archive.step').map((e) => e.title.zh);
    expect(steps).toEqual([
      '公示期满，建档',
      '开始公示',
      '核对经济状况',
      '完成入户核查',
      '初审通过',
      '提交申请',
      '摸底调查',
    ]);
    // Every entry: dated, newest first, linked to the household.
    const dates = timeline.map((e) => e.on);
    expect(dates).toEqual([...dates].sort().reverse());
    for (const e of person.timeline) {
      expect(TimelineEntry.safeParse(e).success).toBe(true);
      expect(e.link).toBe(`/households/${householdId}`);
    }
    const objection = timeline.find((e) => e.kind === 'archive.objection');
    expect(objection).toMatchObject({
      on: addDays(archivedOn, -28),
      summary: '邻居反映其有经营收入',
      by: '匿名',
    });
    expect(timeline.find((e) => e.kind === 'archive.objection_resolved')).toMatchObject({
      on: addDays(archivedOn, -27),
      tag: { text: { zh: '异议不成立' }, tone: 'success' },
    });
    // The first visit fell due 90 days after archiving: 10 days ago.
    expect(timeline[0]).toMatchObject({
      kind: 'archive.visit_due',
      on: addDays(archivedOn, 90),
      tone: 'danger',
      tag: { text: { zh: '逾期 10 天', en: '10 days overdue' } },
    });
  });

  it('adds a recorded visit with its findings, and the next one due', async () => {
    const [visit] = (await get(`/api/v1/archives/${archiveId}/visits`)).json();
    expect(visit).toMatchObject({ dueOn: addDays(archivedOn, 90), visitedOn: null, overdue: true });
    const recorded = await post(`/api/v1/visits/${visit.id}/record`, {
      findings: '老人出院，需继续医疗救助',
      visitedOn: addDays(today, -5),
    });
    expect(recorded.json()).toEqual({ nextDueOn: addDays(today, 85) });
    const visits = (await get(`/api/v1/archives/${archiveId}/visits`)).json();
    expect(visits).toEqual([
      expect.objectContaining({ dueOn: addDays(today, 85), visitedOn: null, overdue: false }),
      expect.objectContaining({
        id: visit.id,
        visitedOn: addDays(today, -5),
        findings: '老人出院，需继续医疗救助',
        caseworker: 'xq-caseworker',
        overdue: false,
      }),
    ]);
    const timeline: Entry[] = (await get(`/api/v1/people/${headId}`)).json().timeline;
    expect(timeline.slice(0, 3).map((e) => [e.kind, e.on, e.tag?.text.zh ?? null])).toEqual([
      ['archive.visit_due', addDays(today, 85), '待回访'],
      ['archive.visit', addDays(today, -5), null],
      ['archive.step', archivedOn, '已建档'],
    ]);
    expect(timeline[1]).toMatchObject({ summary: '老人出院，需继续医疗救助', by: 'xq-caseworker' });
  });

  it('shows a member with their relation to the head and the same history', async () => {
    const person = (await get(`/api/v1/people/${memberId}`)).json();
    expect(person.households).toEqual([
      expect.objectContaining({ householdId, role: 'member', relation: 'child', headName: input.head.name }),
    ]);
    expect(person.timeline.filter((e: Entry) => e.kind === 'archive.step')).toHaveLength(7);
    expect(person.timeline[0].context.zh).toContain(input.head.name);
  });

  it('shows the whole ID number only with the permission, as an audited read', async () => {
    const full = (await get(`/api/v1/people/${headId}?full=true`)).json();
    expect(full).toMatchObject({ idNumber: input.head.idNumber, birthDate: '1975-05-05', fullView: true });
    const employment = await t.login('xq-employment');
    expect((await get(`/api/v1/people/${headId}`, employment)).statusCode).toBe(200);
    expect((await get(`/api/v1/people/${headId}?full=true`, employment)).statusCode).toBe(403);
    const reads = await get('/api/v1/audit?action=read&username=xq-caseworker', await t.login('xq-admin'));
    expect(
      reads.json().items.map((e: { entity: string; entityId: string }) => [e.entity, e.entityId]),
    ).toEqual([['person', headId]]);
  });

  it('masks the bank card always, and names the employer', async () => {
    const xq = await t.db.kysely
      .selectFrom('orgs')
      .select('id')
      .where('code', '=', '640104')
      .executeTakeFirstOrThrow();
    const employer = await t.db.kysely
      .insertInto('employers')
      .values({ name: '兴庆区环卫服务中心', credit_code: '91640104MA76XXXX0X', org_id: xq.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.kysely
      .updateTable('people')
      .set({
        bank_name: '宁夏银行',
        bank_branch: '兴庆支行',
        bank_card: '6217 0012 3456 7890 123',
        employer_id: employer.id,
        ethnicity: '回族',
      })
      .where('id', '=', headId)
      .execute();
    for (const query of ['', '?full=true']) {
      const res = await get(`/api/v1/people/${headId}${query}`);
      expect(res.json()).toMatchObject({
        ethnicity: '回族',
        employer: { name: '兴庆区环卫服务中心', creditCode: '91640104MA76XXXX0X' },
        bank: { name: '宁夏银行', branch: '兴庆支行', cardMasked: '***************0123' },
      });
      expect(res.body).not.toMatch(/62170012|3456 7890/);
    }
  });

  it('does not exist for a user of another district, nor for an unknown id', async () => {
    const outside = await get(`/api/v1/people/${headId}`, outsider);
    const unknown = await get('/api/v1/people/00000000-0000-4000-8000-000000000000');
    for (const res of [outside, unknown]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect(outside.body).not.toContain(input.head.name);
    expect((await get(`/api/v1/archives/${archiveId}/visits`, outsider)).statusCode).toBe(404);
  });
});

describe('the timeline contract', () => {
  it('takes the kinds of later modules, and refuses a malformed one', () => {
    const entry = {
      id: 'aid.grant:1',
      on: '2016-01-20',
      kind: 'aid.grant',
      title: { zh: '春节送温暖', en: 'Spring Festival aid' },
      tag: { text: { zh: '已发放', en: 'Paid' }, tone: 'success' },
      tone: 'success',
      summary: '慰问金 500 元',
      by: 'xq-caseworker',
      link: '/aid/grants/1',
      context: null,
    };
    expect(TimelineEntry.safeParse(entry).success).toBe(true);
    for (const kind of ['Aid.Grant', 'grant', 'aid.', 'aid grant'])
      expect(TimelineEntry.safeParse({ ...entry, kind }).success, kind).toBe(false);
    expect(TimelineEntry.safeParse({ ...entry, link: 'https://example.com/' }).success).toBe(false);
  });
});
