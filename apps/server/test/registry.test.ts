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
    expect((await list('', outsider)).json()).toEqual({ items: [], total: 0 });
    expect((await list('?org=640104', outsider)).statusCode).toBe(404);
    const kept = householdInput('640104005');
    await post(kept);
    const res = await post(
      { ...householdInput('640105001'), head: { ...kept.members[0], migrantWorker: false } },
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
