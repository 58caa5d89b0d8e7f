import { can, type Permission } from '@niangjia/contracts';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../src/demo';
import { householdInput } from './factories';
import { type TestApp, testApp } from './harness';

/**
 * Data scope, for every route: a user at 640105 (西夏区) holding every permission must not reach
 * anything of 640104 (兴庆区). Each route of the API has a probe here aimed at 640104's data;
 * a route without a probe fails the suite, so a new route cannot skip this test.
 */
let t: TestApp;
let outsider: string; // admin at 640105
let insider: string; // admin at 640104
let xqUserId: string;
let xqJobId: string;
interface Ids {
  xqUserId: string;
  xqJobId: string;
  xqHouseholdId: string;
  xqArchiveId: string;
  xqObjectionId: string;
  xqVisitId: string;
  xqPersonId: string;
  xqUploadId: string;
  xqCandidateId: string;
  xqProgramId: string;
  xqGrantId: string;
  xqLedgerUploadId: string;
  xqLedgerLineId: string;
}
let ids: Ids;
const routes: { method: string; url: string; access: string }[] = [];

beforeAll(async () => {
  t = await testApp();
  const root = await t.login('admin');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie: root },
    payload: {
      username: 'xx-admin',
      displayName: '西夏区管理员',
      orgCode: '640105',
      roles: ['admin'],
      password: 'outsider-password-1',
    },
  });
  expect(res.statusCode).toBe(201);
  outsider = await t.login('xx-admin', 'outsider-password-1');
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/password',
    headers: { cookie: outsider },
    payload: { currentPassword: 'outsider-password-1', newPassword: 'outsider-password-2' },
  });
  insider = await t.login('xq-admin');
  const users = await t.app.inject({ url: '/api/v1/users?q=xq-caseworker', headers: { cookie: insider } });
  xqUserId = users.json().items[0].id;
  // A job of 640104's, queued by its admin.
  const xq = await t.db.kysely
    .selectFrom('orgs')
    .select('id')
    .where('code', '=', '640104')
    .executeTakeFirstOrThrow();
  xqJobId = (
    await t.db.kysely
      .insertInto('jobs')
      .values({ kind: 'probe', org_id: xq.id, input: JSON.stringify({}) })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const household = await t.app.inject({
    method: 'POST',
    url: '/api/v1/households',
    headers: { cookie: insider },
    payload: householdInput('640104001'),
  });
  expect(household.statusCode, household.body).toBe(201);
  // Archived, with a visit due: what the due lists show (so that the outsider's empty list means something).
  await t.db.kysely
    .updateTable('archives')
    .set({ status: 'archived', archived_on: '2015-03-02', next_review_on: '2016-03-02' })
    .where('id', '=', household.json().archiveId)
    .execute();
  const objection = await t.db.kysely
    .insertInto('publicity_objections')
    .values({ archive_id: household.json().archiveId, raised_on: '2015-01-05', content: '异议' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const detail = await t.app.inject({
    url: `/api/v1/households/${household.json().id}`,
    headers: { cookie: insider },
  });
  const upload = await t.db.kysely
    .insertInto('uploads')
    .values({
      org_id: xq.id,
      kind: 'survey',
      filename: 'probe.xlsx',
      size_bytes: 1,
      sha256: 'x',
      content: Buffer.from('x'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A possible duplicate of 640104's (its head and member, paired by hand): what the queue shows.
  const [personA, personB] = [detail.json().head.id, detail.json().members[0].id].sort();
  const candidate = await t.db.kysely
    .insertInto('duplicate_candidates')
    .values({ person_a: personA, person_b: personB, reason: 'same_phone', org_id: xq.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Assistance of 640104's: a fund, a program, a grant to the household's head, a payment, an upload.
  const fund = await t.db.kysely
    .insertInto('funds')
    .values({ org_id: xq.id, source: 'union_dues', year: 2015, budget_fen: 1_000_000 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const program = await t.db.kysely
    .insertInto('programs')
    .values({
      org_id: xq.id,
      name: '兴庆区2015年送温暖',
      aid_type: 'festival',
      starts_on: '2015-01-01',
      ends_on: '2015-12-31',
      fund_sources: ['union_dues'],
      default_amount_fen: 50_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const grant = await t.db.kysely
    .insertInto('grants')
    .values({
      program_id: program.id,
      org_id: xq.id,
      person_id: detail.json().head.id,
      household_id: household.json().id,
      amount_fen: 50_000,
      basis: JSON.stringify({ rule: 'none' }),
      fund_id: fund.id,
      approvals_needed: 1,
      proposed_by_name: '兴庆区',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const line = await t.db.kysely
    .insertInto('ledger_entries')
    .values({
      org_id: xq.id,
      person_id: detail.json().head.id,
      aid_type: 'festival',
      fund_source: 'union_dues',
      amount_fen: 50_000,
      paid_on: '2015-02-02',
      program_name: '兴庆区2015年送温暖',
      origin: 'import',
      content_key: 'probe',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ledgerUpload = await t.db.kysely
    .insertInto('uploads')
    .values({
      org_id: xq.id,
      kind: 'ledger',
      filename: 'probe.xlsx',
      size_bytes: 1,
      sha256: 'x',
      content: Buffer.from('x'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids = {
    xqProgramId: program.id,
    xqGrantId: grant.id,
    xqLedgerUploadId: ledgerUpload.id,
    xqLedgerLineId: line.id,
    xqCandidateId: candidate.id,
    xqUploadId: upload.id,
    xqPersonId: detail.json().head.id,
    xqUserId,
    xqJobId,
    xqHouseholdId: household.json().id,
    xqArchiveId: household.json().archiveId,
    xqObjectionId: objection.id,
    xqVisitId: (
      await t.db.kysely
        .insertInto('visits')
        .values({ archive_id: household.json().archiveId, org_id: xq.id, due_on: '2015-06-01' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
  };
  collect(t.app);
});
afterAll(() => t?.close());

function collect(app: FastifyInstance) {
  routes.push(...app.apiRoutes);
}

type Probe = (ids: Ids) => InjectOptions & { expect: number[] };
const PROBES: Record<string, Probe> = {
  'GET /healthz': () => ({ method: 'GET', url: '/healthz', expect: [200] }),
  'GET /readyz': () => ({ method: 'GET', url: '/readyz', expect: [200] }),
  'POST /api/v1/auth/login': () => ({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'xq-caseworker', password: 'wrong-password' },
    expect: [401],
  }),
  'POST /api/v1/auth/logout': () => ({ method: 'POST', url: '/api/v1/auth/logout', expect: [] }),
  'GET /api/v1/me': () => ({ method: 'GET', url: '/api/v1/me', expect: [200] }),
  'POST /api/v1/me/password': () => ({
    method: 'POST',
    url: '/api/v1/me/password',
    payload: { currentPassword: 'wrong-password', newPassword: 'whatever-password' },
    expect: [400],
  }),
  'GET /api/v1/orgs': () => ({ method: 'GET', url: '/api/v1/orgs?parent=640104', expect: [404] }),
  'GET /api/v1/orgs/:code': () => ({ method: 'GET', url: '/api/v1/orgs/640104001', expect: [404] }),
  'POST /api/v1/orgs': () => ({
    method: 'POST',
    url: '/api/v1/orgs',
    payload: { code: '640104999', name: 'x', level: 'grassroots', parentCode: '640104' },
    expect: [404],
  }),
  'PATCH /api/v1/orgs/:code': () => ({
    method: 'PATCH',
    url: '/api/v1/orgs/640104001',
    payload: { name: 'hijacked' },
    expect: [404],
  }),
  'POST /api/v1/orgs/:code/move': () => ({
    method: 'POST',
    url: '/api/v1/orgs/640104001/move',
    payload: { parentCode: '640105' },
    expect: [404],
  }),
  'POST /api/v1/orgs/:code/deactivate': () => ({
    method: 'POST',
    url: '/api/v1/orgs/640104001/deactivate',
    expect: [404],
  }),
  'POST /api/v1/orgs/:code/activate': () => ({
    method: 'POST',
    url: '/api/v1/orgs/640104001/activate',
    expect: [404],
  }),
  'GET /api/v1/users': () => ({ method: 'GET', url: '/api/v1/users?org=640104', expect: [404] }),
  'POST /api/v1/users': () => ({
    method: 'POST',
    url: '/api/v1/users',
    payload: {
      username: 'intruder',
      displayName: 'x',
      orgCode: '640104',
      roles: ['admin'],
      password: 'long-enough-pw',
    },
    expect: [404],
  }),
  'GET /api/v1/users/:id': (ids) => ({ method: 'GET', url: `/api/v1/users/${ids.xqUserId}`, expect: [404] }),
  'PATCH /api/v1/users/:id': (ids) => ({
    method: 'PATCH',
    url: `/api/v1/users/${ids.xqUserId}`,
    payload: { displayName: 'hijacked' },
    expect: [404],
  }),
  'POST /api/v1/users/:id/deactivate': (ids) => ({
    method: 'POST',
    url: `/api/v1/users/${ids.xqUserId}/deactivate`,
    expect: [404],
  }),
  'POST /api/v1/users/:id/activate': (ids) => ({
    method: 'POST',
    url: `/api/v1/users/${ids.xqUserId}/activate`,
    expect: [404],
  }),
  'POST /api/v1/users/:id/password': (ids) => ({
    method: 'POST',
    url: `/api/v1/users/${ids.xqUserId}/password`,
    payload: { password: 'taken-over-password' },
    expect: [404],
  }),
  'GET /api/v1/audit': () => ({ method: 'GET', url: '/api/v1/audit?username=xq-admin', expect: [200] }),
  'GET /api/v1/households': () => ({ method: 'GET', url: '/api/v1/households?org=640104', expect: [404] }),
  'POST /api/v1/households': () => ({
    method: 'POST',
    url: '/api/v1/households',
    payload: {
      orgCode: '640104',
      head: { idNumber: '11010519491231002X', name: '某人', householdRegistration: 'urban' },
      income: { wageIncomeFen: 0 },
      surveyDate: '2015-01-01',
      primaryCause: '1',
    },
    expect: [404],
  }),
  'GET /api/v1/households/:id/evaluations': (ids) => ({
    method: 'GET',
    url: `/api/v1/households/${ids.xqHouseholdId}/evaluations`,
    expect: [404],
  }),
  'POST /api/v1/households/:id/evaluations': (ids) => ({
    method: 'POST',
    url: `/api/v1/households/${ids.xqHouseholdId}/evaluations`,
    payload: {},
    expect: [404],
  }),
  'POST /api/v1/households/:id/exclusions': (ids) => ({
    method: 'POST',
    url: `/api/v1/households/${ids.xqHouseholdId}/exclusions`,
    payload: { exclusions: ['car'], reason: 'x' },
    expect: [404],
  }),
  'POST /api/v1/archives/:id/urgency': (ids) => ({
    method: 'POST',
    url: `/api/v1/archives/${ids.xqArchiveId}/urgency`,
    payload: { urgency: 'critical', reason: 'x' },
    expect: [404],
  }),
  'POST /api/v1/policy/simulations': () => ({
    method: 'POST',
    url: '/api/v1/policy/simulations',
    payload: { base: { ruleSet: 'legacy-2013' }, proposal: { ruleSet: 'national-2016' }, org: '640104' },
    expect: [404],
  }),
  'POST /api/v1/policy/simulations/export.xlsx': () => ({
    method: 'POST',
    url: '/api/v1/policy/simulations/export.xlsx',
    payload: { base: { ruleSet: 'legacy-2013' }, proposal: { ruleSet: 'national-2016' }, org: '640104' },
    expect: [404],
  }),
  'GET /api/v1/registry/exits': () => ({
    method: 'GET',
    url: '/api/v1/registry/exits?org=640104',
    expect: [404],
  }),
  'GET /api/v1/policy/parameters': () => ({
    method: 'GET',
    url: '/api/v1/policy/parameters?org=640104',
    expect: [404],
  }),
  'POST /api/v1/policy/parameters': () => ({
    method: 'POST',
    url: '/api/v1/policy/parameters',
    payload: { key: 'dibaoMonthly', value: '1', org: '640104', validFrom: '2030-01-01' },
    expect: [404],
  }),
  'GET /api/v1/policy/rule-sets': () => ({
    method: 'GET',
    url: '/api/v1/policy/rule-sets?org=640104',
    expect: [404],
  }),
  'POST /api/v1/policy/rule-sets': () => ({
    method: 'POST',
    url: '/api/v1/policy/rule-sets',
    payload: { ruleSet: 'national-2016', org: '640104', validFrom: '2030-01-01' },
    expect: [404],
  }),
  'GET /api/v1/households/:id': (ids) => ({
    method: 'GET',
    url: `/api/v1/households/${ids.xqHouseholdId}`,
    expect: [404],
  }),
  'POST /api/v1/archives/:id/steps': (ids) => ({
    method: 'POST',
    url: `/api/v1/archives/${ids.xqArchiveId}/steps`,
    payload: { action: 'apply', comment: 'x' },
    expect: [404],
  }),
  'GET /api/v1/archives/:id/objections': (ids) => ({
    method: 'GET',
    url: `/api/v1/archives/${ids.xqArchiveId}/objections`,
    expect: [404],
  }),
  'POST /api/v1/archives/:id/objections': (ids) => ({
    method: 'POST',
    url: `/api/v1/archives/${ids.xqArchiveId}/objections`,
    payload: { content: 'x' },
    expect: [404],
  }),
  'POST /api/v1/objections/:id/resolve': (ids) => ({
    method: 'POST',
    url: `/api/v1/objections/${ids.xqObjectionId}/resolve`,
    payload: { resolution: 'x', upheld: true },
    expect: [404],
  }),
  'GET /api/v1/registry/due': () => ({
    method: 'GET',
    url: '/api/v1/registry/due?kind=visit&until=2099-01-01',
    expect: [200],
  }),
  'GET /api/v1/archives/:id/visits': (ids) => ({
    method: 'GET',
    url: `/api/v1/archives/${ids.xqArchiveId}/visits`,
    expect: [404],
  }),
  'GET /api/v1/people/:id': (ids) => ({
    method: 'GET',
    url: `/api/v1/people/${ids.xqPersonId}?full=true`,
    expect: [404],
  }),
  'GET /api/v1/registry/reports/archive-peaks': () => ({
    method: 'GET',
    url: '/api/v1/registry/reports/archive-peaks?from=2015&to=2015&org=640104',
    expect: [404],
  }),
  'POST /api/v1/visits/:id/record': (ids) => ({
    method: 'POST',
    url: `/api/v1/visits/${ids.xqVisitId}/record`,
    payload: { findings: 'x' },
    expect: [404],
  }),
  'GET /api/v1/registry/duplicates': () => ({
    method: 'GET',
    url: '/api/v1/registry/duplicates',
    expect: [200],
  }),
  'POST /api/v1/registry/duplicates/:id/dismiss': (ids) => ({
    method: 'POST',
    url: `/api/v1/registry/duplicates/${ids.xqCandidateId}/dismiss`,
    payload: { note: 'x' },
    expect: [404],
  }),
  'POST /api/v1/registry/duplicates/:id/merge': (ids) => ({
    method: 'POST',
    url: `/api/v1/registry/duplicates/${ids.xqCandidateId}/merge`,
    payload: { keep: ids.xqPersonId },
    expect: [404],
  }),
  'GET /api/v1/jobs/:id': (ids) => ({ method: 'GET', url: `/api/v1/jobs/${ids.xqJobId}`, expect: [404] }),
  // An upload of one's own is one's own scope; the probe sends a file that is not a workbook.
  'POST /api/v1/imports/survey': () => ({
    method: 'POST',
    url: '/api/v1/imports/survey?filename=probe.xlsx',
    headers: { 'content-type': 'application/octet-stream' },
    payload: Buffer.from('not a workbook'),
    expect: [400],
  }),
  'POST /api/v1/imports/survey/:uploadId/commit': (ids) => ({
    method: 'POST',
    url: `/api/v1/imports/survey/${ids.xqUploadId}/commit`,
    expect: [404],
  }),
  // The outsider's export is its own scope's (empty of 640104: imports.test.ts reads it back).
  'GET /api/v1/exports/households.xlsx': () => ({
    method: 'GET',
    url: '/api/v1/exports/households.xlsx',
    expect: [200],
  }),
  'GET /api/v1/imports/survey/template.xlsx': () => ({
    method: 'GET',
    url: '/api/v1/imports/survey/template.xlsx',
    expect: [200],
  }),
  // Assistance: the outsider's lists and reports are its own scope's (empty of 640104's).
  'GET /api/v1/households/:id/assistance': (ids) => ({
    method: 'GET',
    url: `/api/v1/households/${ids.xqHouseholdId}/assistance?year=2015`,
    expect: [404],
  }),
  'GET /api/v1/assistance/funds': () => ({ method: 'GET', url: '/api/v1/assistance/funds', expect: [200] }),
  'PUT /api/v1/assistance/funds': () => ({
    method: 'PUT',
    url: '/api/v1/assistance/funds',
    payload: { org: '640104', source: 'union_dues', year: 2015, budgetFen: 1 },
    expect: [404],
  }),
  'GET /api/v1/assistance/programs': () => ({
    method: 'GET',
    url: '/api/v1/assistance/programs',
    expect: [200],
  }),
  'POST /api/v1/assistance/programs': () => ({
    method: 'POST',
    url: '/api/v1/assistance/programs',
    payload: {
      org: '640104',
      name: '越权项目',
      aidType: 'festival',
      startsOn: '2015-01-01',
      endsOn: '2015-12-31',
      fundSources: ['union_dues'],
    },
    expect: [404],
  }),
  'GET /api/v1/assistance/programs/:id': (ids) => ({
    method: 'GET',
    url: `/api/v1/assistance/programs/${ids.xqProgramId}`,
    expect: [404],
  }),
  'POST /api/v1/assistance/programs/:id/approve-all': (ids) => ({
    method: 'POST',
    url: `/api/v1/assistance/programs/${ids.xqProgramId}/approve-all`,
    expect: [404],
  }),
  'GET /api/v1/assistance/grants': () => ({ method: 'GET', url: '/api/v1/assistance/grants', expect: [200] }),
  'POST /api/v1/assistance/grants': (ids) => ({
    method: 'POST',
    url: '/api/v1/assistance/grants',
    payload: { programId: ids.xqProgramId, personId: ids.xqPersonId },
    expect: [404],
  }),
  'POST /api/v1/assistance/grants/batch': (ids) => ({
    method: 'POST',
    url: '/api/v1/assistance/grants/batch',
    payload: { programId: ids.xqProgramId, filters: { org: '640104' } },
    expect: [404],
  }),
  'GET /api/v1/assistance/grants/:id': (ids) => ({
    method: 'GET',
    url: `/api/v1/assistance/grants/${ids.xqGrantId}`,
    expect: [404],
  }),
  'PUT /api/v1/assistance/grants/:id/amount': (ids) => ({
    method: 'PUT',
    url: `/api/v1/assistance/grants/${ids.xqGrantId}/amount`,
    payload: { amountFen: 100 },
    expect: [404],
  }),
  'POST /api/v1/assistance/grants/:id/approve': (ids) => ({
    method: 'POST',
    url: `/api/v1/assistance/grants/${ids.xqGrantId}/approve`,
    payload: {},
    expect: [404],
  }),
  'POST /api/v1/assistance/grants/:id/reject': (ids) => ({
    method: 'POST',
    url: `/api/v1/assistance/grants/${ids.xqGrantId}/reject`,
    payload: { reason: '越权' },
    expect: [404],
  }),
  'POST /api/v1/assistance/grants/:id/objection': (ids) => ({
    method: 'POST',
    url: `/api/v1/assistance/grants/${ids.xqGrantId}/objection`,
    payload: { content: '越权' },
    expect: [404],
  }),
  'POST /api/v1/assistance/grants/:id/objection/resolve': (ids) => ({
    method: 'POST',
    url: `/api/v1/assistance/grants/${ids.xqGrantId}/objection/resolve`,
    payload: { upheld: true, resolution: '越权' },
    expect: [404],
  }),
  'POST /api/v1/assistance/grants/:id/pay': (ids) => ({
    method: 'POST',
    url: `/api/v1/assistance/grants/${ids.xqGrantId}/pay`,
    payload: { method: 'cash' },
    expect: [404],
  }),
  'POST /api/v1/assistance/grants/:id/reverse': (ids) => ({
    method: 'POST',
    url: `/api/v1/assistance/grants/${ids.xqGrantId}/reverse`,
    payload: { reason: '越权' },
    expect: [404],
  }),
  'GET /api/v1/assistance/reports/yearly': () => ({
    method: 'GET',
    url: '/api/v1/assistance/reports/yearly?from=2015&to=2015',
    expect: [200],
  }),
  'GET /api/v1/assistance/reports/yearly.xlsx': () => ({
    method: 'GET',
    url: '/api/v1/assistance/reports/yearly.xlsx?from=2015&to=2015',
    expect: [200],
  }),
  'GET /api/v1/assistance/ledger': () => ({ method: 'GET', url: '/api/v1/assistance/ledger', expect: [200] }),
  'POST /api/v1/assistance/ledger/:id/reverse': (ids) => ({
    method: 'POST',
    url: `/api/v1/assistance/ledger/${ids.xqLedgerLineId}/reverse`,
    payload: { reason: '越权' },
    expect: [404],
  }),
  'GET /api/v1/exports/ledger.xlsx': () => ({
    method: 'GET',
    url: '/api/v1/exports/ledger.xlsx',
    expect: [200],
  }),
  'POST /api/v1/imports/ledger': () => ({
    method: 'POST',
    url: '/api/v1/imports/ledger?filename=probe.xlsx',
    headers: { 'content-type': 'application/octet-stream' },
    payload: Buffer.from('not a workbook'),
    expect: [400],
  }),
  'POST /api/v1/imports/ledger/:uploadId/commit': (ids) => ({
    method: 'POST',
    url: `/api/v1/imports/ledger/${ids.xqLedgerUploadId}/commit`,
    expect: [404],
  }),
  'GET /api/v1/imports/ledger/template.xlsx': () => ({
    method: 'GET',
    url: '/api/v1/imports/ledger/template.xlsx',
    expect: [200],
  }),
};

describe('every route declares its access and keeps to the scope', () => {
  it('has a probe for every API route', () => {
    const names = routes.map((r) => `${r.method} ${r.url}`);
    expect(names.length).toBeGreaterThan(15);
    expect(names.filter((n) => !PROBES[n])).toEqual([]);
  });

  it('answers 401 without a session on every non-public route', async () => {
    for (const r of routes.filter((r) => r.access !== 'public')) {
      const { expect: _e, ...probe } = PROBES[`${r.method} ${r.url}`]?.(ids) ?? {
        expect: [],
      };
      const res = await t.app.inject(probe);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('answers 403 to a signed-in user lacking the permission', async () => {
    // For each route, a demo user of 640104 whose role lacks the route's permission.
    const cookies = new Map<string, string>();
    const guarded = routes.filter((r) => r.access.includes(':'));
    expect(guarded.length).toBeGreaterThan(8);
    for (const r of guarded) {
      const role = DEMO_USERS.find((u) => !can([u.role], r.access as Permission));
      if (!role) continue; // every role holds it (org:read): nobody to refuse
      let cookie = cookies.get(role.username);
      if (!cookie) {
        cookie = await t.login(role.username);
        cookies.set(role.username, cookie);
      }
      const { expect: _e, ...probe } = PROBES[`${r.method} ${r.url}`]?.(ids) ?? {
        expect: [],
      };
      const res = await t.app.inject({ ...probe, headers: { ...probe.headers, cookie } });
      expect(res.statusCode, `${r.method} ${r.url} as ${role.username}`).toBe(403);
    }
  });

  it('hides everything of another subtree from a user holding every permission', async () => {
    for (const r of routes) {
      const p = PROBES[`${r.method} ${r.url}`]?.(ids);
      if (!p || p.expect.length === 0) continue;
      const { expect: expected, ...probe } = p;
      const res = await t.app.inject({ ...probe, headers: { ...probe.headers, cookie: outsider } });
      expect(expected, `${r.method} ${r.url} answered ${res.statusCode} ${res.body}`).toContain(
        res.statusCode,
      );
      // Whatever it answers, nothing of 640104 is in it (a 404 only repeats the code it was asked for).
      const shown =
        res.statusCode === 404
          ? res.body.replace(/Organisation \d+ not found/, 'Organisation CODE not found')
          : res.body;
      expect(shown, `${r.method} ${r.url}`).not.toMatch(/640104|兴庆/);
      if (res.statusCode === 404) expect(res.json().error.code).toBe('not_found');
    }
    // And nothing was changed by those attempts.
    const org = await t.app.inject({ url: '/api/v1/orgs/640104001', headers: { cookie: insider } });
    expect(org.json()).toMatchObject({ name: '兴庆区环卫服务中心工会', parentCode: '640104', active: true });
    // The probes' targets exist and are visible inside: the outsider's 404s and empty lists are the scope.
    const due = await t.app.inject({
      url: '/api/v1/registry/due?kind=visit&until=2099-01-01',
      headers: { cookie: insider },
    });
    expect(due.json().items.map((i: { visitId: string }) => i.visitId)).toContain(ids.xqVisitId);
    const reviews = await t.app.inject({
      url: '/api/v1/registry/due?kind=review&until=2099-01-01',
      headers: { cookie: insider },
    });
    expect(reviews.json().items.map((i: { archiveId: string }) => i.archiveId)).toContain(ids.xqArchiveId);
    const outsiderReviews = await t.app.inject({
      url: '/api/v1/registry/due?kind=review&until=2099-01-01',
      headers: { cookie: outsider },
    });
    expect(outsiderReviews.json()).toEqual({ items: [] });
    // The archived household counts for 2015 inside, and not at all outside.
    const peaks = '/api/v1/registry/reports/archive-peaks?from=2015&to=2015';
    const inside = await t.app.inject({ url: peaks, headers: { cookie: insider } });
    expect(inside.json()).toEqual({ rows: [{ year: 2015, peakArchived: 1 }] });
    const outside = await t.app.inject({ url: peaks, headers: { cookie: outsider } });
    expect(outside.json()).toEqual({ rows: [{ year: 2015, peakArchived: 0 }] });
    const person = await t.app.inject({
      url: `/api/v1/people/${ids.xqPersonId}`,
      headers: { cookie: insider },
    });
    expect(person.statusCode, person.body).toBe(200);
    const visits = await t.app.inject({
      url: `/api/v1/archives/${ids.xqArchiveId}/visits`,
      headers: { cookie: insider },
    });
    expect(visits.json().map((v: { id: string }) => v.id)).toContain(ids.xqVisitId);
    const queue = await t.app.inject({ url: '/api/v1/registry/duplicates', headers: { cookie: insider } });
    expect(queue.json().items.map((i: { id: string }) => i.id)).toEqual([ids.xqCandidateId]);
    const outsiderQueue = await t.app.inject({
      url: '/api/v1/registry/duplicates',
      headers: { cookie: outsider },
    });
    expect(outsiderQueue.json()).toEqual({ items: [], total: 0 });
    const candidate = await t.db.kysely
      .selectFrom('duplicate_candidates')
      .select('status')
      .where('id', '=', ids.xqCandidateId)
      .executeTakeFirstOrThrow();
    expect(candidate.status).toBe('open');
    const user = await t.app.inject({ url: `/api/v1/users/${xqUserId}`, headers: { cookie: insider } });
    expect(user.json()).toMatchObject({ displayName: '李帮扶', active: true });
  });

  it('cannot push its own users or organisations into another subtree', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: outsider },
      payload: {
        username: 'xx-second',
        displayName: '西夏二',
        orgCode: '640105001',
        roles: ['auditor'],
        password: 'second-password-1',
      },
    });
    expect(created.statusCode).toBe(201);
    const moveUser = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${created.json().id}`,
      headers: { cookie: outsider },
      payload: { orgCode: '640104' },
    });
    expect(moveUser.statusCode).toBe(404);
    const moveOrg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs/640105001/move',
      headers: { cookie: outsider },
      payload: { parentCode: '640104' },
    });
    expect(moveOrg.statusCode).toBe(404);
    const org = await t.app.inject({ url: '/api/v1/orgs/640105001', headers: { cookie: outsider } });
    expect(org.json().parentCode).toBe('640105');
  });

  it('GET /orgs/{code} answers 200 inside the subtree and the same 404 outside as for a code that does not exist', async () => {
    const inside = await t.app.inject({ url: '/api/v1/orgs/640104001', headers: { cookie: insider } });
    expect(inside.statusCode).toBe(200);
    const sibling = await t.app.inject({ url: '/api/v1/orgs/640105', headers: { cookie: insider } });
    const parent = await t.app.inject({ url: '/api/v1/orgs/640100', headers: { cookie: insider } });
    const nothing = await t.app.inject({ url: '/api/v1/orgs/999999', headers: { cookie: insider } });
    for (const res of [sibling, parent, nothing]) expect(res.statusCode).toBe(404);
    const strip = (b: string) => b.replace(/"requestId":"[^"]+"/, '').replace(/\d{6}/, 'CODE');
    expect(strip(sibling.body)).toBe(strip(nothing.body));
  });

  it('lists only the scope: users, organisations and audit entries', async () => {
    const users = await t.app.inject({ url: '/api/v1/users?pageSize=200', headers: { cookie: outsider } });
    expect(users.json().items.map((u: { username: string }) => u.username)).toEqual([
      'xx-admin',
      'xx-second',
    ]);
    const search = await t.app.inject({
      url: '/api/v1/orgs?q=%E5%B7%A5%E4%BC%9A',
      headers: { cookie: outsider },
    });
    expect(
      search
        .json()
        .items.map((o: { code: string }) => o.code)
        .sort(),
    ).toEqual(['640105', '640105001']);
    const audit = await t.app.inject({ url: '/api/v1/audit?pageSize=200', headers: { cookie: outsider } });
    expect(audit.json().total).toBeGreaterThan(0);
    expect(audit.body).not.toMatch(/640104|xq-/);
  });
});
