import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from './harness';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('xq-admin');
});
afterAll(() => t?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: admin }, ...(payload ? { payload } : {}) });

describe('organisation tree', () => {
  it("starts at the user's own node and lists children", async () => {
    const own = await call('GET', '/orgs');
    expect(own.json().items).toEqual([
      expect.objectContaining({ code: '640104', level: 'district', parentCode: null, childCount: 5 }),
    ]);
    const children = await call('GET', '/orgs?parent=640104');
    expect(children.json().items.map((o: { code: string }) => o.code)).toEqual([
      '640104001',
      '640104002',
      '640104003',
      '640104004',
      '640104005',
    ]);
  });

  it('adds a node under a parent, at a lower level only, with a unique code', async () => {
    const created = await call('POST', '/orgs', {
      code: '640104006',
      name: '兴庆区家政服务业工会',
      level: 'grassroots',
      parentCode: '640104',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      code: '640104006',
      parentCode: '640104',
      active: true,
      childCount: 0,
    });
    const sameLevel = await call('POST', '/orgs', {
      code: 'X1',
      name: 'x',
      level: 'district',
      parentCode: '640104',
    });
    expect(sameLevel.statusCode).toBe(400);
    const taken = await call('POST', '/orgs', {
      code: '640104006',
      name: 'x',
      level: 'grassroots',
      parentCode: '640104',
    });
    expect(taken.statusCode).toBe(409);
    // Unique in the whole system, also against codes outside the scope.
    const elsewhere = await call('POST', '/orgs', {
      code: '640105001',
      name: 'x',
      level: 'grassroots',
      parentCode: '640104',
    });
    expect(elsewhere.statusCode).toBe(409);
    const badCode = await call('POST', '/orgs', {
      code: '64 01',
      name: 'x',
      level: 'grassroots',
      parentCode: '640104',
    });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.details[0].path).toEqual(['body', 'code']);
  });

  it('renames a node', async () => {
    const res = await call('PATCH', '/orgs/640104006', { name: '兴庆区家政服务行业工会' });
    expect(res.json().name).toBe('兴庆区家政服务行业工会');
  });

  it('moves a node with its whole subtree, and refuses cycles and its own root', async () => {
    const root = await t.login('admin');
    const asRoot = (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { cookie: root },
        ...(payload ? { payload } : {}),
      });
    // A street union between the district and its grassroots unions is not a level of its own here:
    // move 640104001 under 640105 (another district) and back.
    const moved = await asRoot('POST', '/orgs/640104001/move', { parentCode: '640105' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().parentCode).toBe('640105');
    // The district admin no longer sees it; the root admin sees it under 640105.
    expect((await call('GET', '/orgs/640104001')).statusCode).toBe(404);
    const detail = await asRoot('GET', '/orgs/640104001');
    expect(detail.json().ancestors.map((a: { code: string }) => a.code)).toEqual([
      '000000',
      '640000',
      '640100',
      '640105',
    ]);
    const back = await asRoot('POST', '/orgs/640104001/move', { parentCode: '640104' });
    expect(back.json().parentCode).toBe('640104');
    // The subtree moves with the node: a city moved under a region keeps its districts under it.
    await asRoot('POST', '/orgs', {
      code: '650000',
      name: '新疆维吾尔自治区总工会',
      level: 'region',
      parentCode: '000000',
    });
    await asRoot('POST', '/orgs/640100/move', { parentCode: '650000' });
    const district = await asRoot('GET', '/orgs/640104001');
    expect(district.json().ancestors.map((a: { code: string }) => a.code)).toEqual([
      '000000',
      '650000',
      '640100',
      '640104',
    ]);
    const cycle = await asRoot('POST', '/orgs/650000/move', { parentCode: '640104' });
    expect(cycle.statusCode).toBe(409);
    await asRoot('POST', '/orgs/640100/move', { parentCode: '640000' });
    const own = await call('POST', '/orgs/640104/move', { parentCode: '640104001' });
    expect(own.statusCode).toBe(409);
    expect(own.json().error.message).toBe('You cannot move your own organisation');
  });

  it('deactivates a node without active children, hides it by default, and reactivates it', async () => {
    expect((await call('POST', '/orgs/640104/deactivate')).statusCode).toBe(409);
    const off = await call('POST', '/orgs/640104006/deactivate');
    expect(off.json().active).toBe(false);
    const list = await call('GET', '/orgs?parent=640104');
    expect(list.json().items.map((o: { code: string }) => o.code)).not.toContain('640104006');
    const all = await call('GET', '/orgs?parent=640104&includeInactive=true');
    expect(all.json().items.map((o: { code: string }) => o.code)).toContain('640104006');
    const child = await call('POST', '/orgs', {
      code: 'Z1',
      name: 'x',
      level: 'grassroots',
      parentCode: '640104006',
    });
    expect(child.statusCode).toBe(409);
    expect((await call('POST', '/orgs/640104006/activate')).json().active).toBe(true);
  });

  it('finds nodes by code or name in the scope', async () => {
    const res = await call('GET', `/orgs?q=${encodeURIComponent('快递')}`);
    expect(res.json().items.map((o: { code: string }) => o.code)).toEqual(['640104004']);
  });

  it('records every change in the audit trail with before and after', async () => {
    const res = await call('GET', '/audit?entity=org&entityId=640104006');
    const actions = res.json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['activate', 'deactivate', 'update', 'create']);
    const rename = res.json().items[2];
    expect(rename.changes).toEqual({
      name: { before: '兴庆区家政服务业工会', after: '兴庆区家政服务行业工会' },
    });
    expect(rename.username).toBe('xq-admin');
    expect(rename.orgCode).toBe('640104006');
  });
});
