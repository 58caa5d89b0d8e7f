import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from './harness';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('xq-admin');
});
afterAll(() => t?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, cookie = admin) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });

describe('users', () => {
  let id: string;
  it('creates a user at a node of the scope, who must choose a password at first sign-in', async () => {
    const res = await call('POST', '/users', {
      username: 'XQ-Newcomer ',
      displayName: '新干事',
      orgCode: '640104001',
      roles: ['caseworker', 'rights_officer'],
      password: 'first-password-1',
    });
    expect(res.statusCode).toBe(201);
    id = res.json().id;
    expect(res.json()).toMatchObject({
      username: 'xq-newcomer',
      orgCode: '640104001',
      roles: ['caseworker', 'rights_officer'],
      active: true,
      mustChangePassword: true,
    });
    const dup = await call('POST', '/users', {
      username: 'xq-newcomer',
      displayName: 'x',
      orgCode: '640104',
      roles: ['auditor'],
      password: 'first-password-1',
    });
    expect(dup.statusCode).toBe(409);
    const weak = await call('POST', '/users', {
      username: 'xq-weak',
      displayName: 'x',
      orgCode: '640104',
      roles: ['nobody'],
      password: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(
      expect.arrayContaining(['body.roles.0', 'body.password']),
    );
  });

  it('lists with filters and paging', async () => {
    const all = await call('GET', '/users?pageSize=3');
    expect(all.json().total).toBe(8);
    expect(all.json().items).toHaveLength(3);
    const page3 = await call('GET', '/users?pageSize=3&page=3');
    expect(page3.json().items).toHaveLength(2);
    const byOrg = await call('GET', '/users?org=640104001');
    expect(byOrg.json().items.map((u: { username: string }) => u.username)).toEqual(['xq-newcomer']);
    const byRole = await call('GET', '/users?role=rights_officer');
    expect(
      byRole
        .json()
        .items.map((u: { username: string }) => u.username)
        .sort(),
    ).toEqual(['xq-newcomer', 'xq-rights']);
    const byText = await call('GET', `/users?q=${encodeURIComponent('马')}`);
    expect(byText.json().items.map((u: { username: string }) => u.username)).toEqual(['xq-manager']);
  });

  it('edits roles, display name and organisation, audited with before and after', async () => {
    const res = await call('PATCH', `/users/${id}`, {
      roles: ['employment_officer'],
      displayName: '新专员',
      orgCode: '640104',
    });
    expect(res.json()).toMatchObject({
      roles: ['employment_officer'],
      displayName: '新专员',
      orgCode: '640104',
    });
    const audit = await call('GET', `/audit?entity=user&entityId=${id}`);
    expect(audit.json().items[0].changes).toEqual({
      roles: { before: ['caseworker', 'rights_officer'], after: ['employment_officer'] },
      displayName: { before: '新干事', after: '新专员' },
      orgCode: { before: '640104001', after: '640104' },
    });
  });

  it('deactivates a user, who is signed out and can no longer sign in', async () => {
    const session = await t.login('xq-mutualaid');
    const users = await call('GET', '/users?q=xq-mutualaid');
    const uid = users.json().items[0].id;
    expect((await call('POST', `/users/${uid}/deactivate`)).json().active).toBe(false);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: session } })).statusCode).toBe(401);
    await expect(t.login('xq-mutualaid')).rejects.toThrow(/401/);
    expect((await call('POST', `/users/${uid}/activate`)).json().active).toBe(true);
    await expect(t.login('xq-mutualaid')).resolves.toMatch(/niangjia_session=/);
  });

  it('keeps an admin from locking themself out', async () => {
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: admin } });
    const self = me.json().user.id;
    expect((await call('POST', `/users/${self}/deactivate`)).statusCode).toBe(409);
    expect((await call('PATCH', `/users/${self}`, { roles: ['auditor'] })).statusCode).toBe(409);
    expect((await call('POST', `/users/${self}/password`, { password: 'some-password-1' })).statusCode).toBe(
      409,
    );
  });

  it('never shows a password or its hash in the audit trail', async () => {
    await call('POST', `/users/${id}/password`, { password: 'reset-password-9' });
    const audit = await call('GET', '/audit?pageSize=200');
    expect(audit.body).not.toMatch(/argon2|reset-password-9|first-password-1/);
    const reset = audit.json().items.find((e: { action: string }) => e.action === 'password_reset');
    expect(reset.changes.password).toEqual({ before: '[secret]', after: '[secret]' });
  });
});
