import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DEMO_PASSWORD, type TestApp, testApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

const login = (username: string, password: string, remoteAddress = '10.1.1.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });

describe('sign-in', () => {
  it('sets an httpOnly session cookie and answers with the user', async () => {
    const res = await login('xq-caseworker', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'niangjia_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(res.json()).toMatchObject({
      user: { username: 'xq-caseworker', displayName: '李帮扶' },
      organisation: { code: '640104', name: '兴庆区总工会', level: 'district' },
      roles: ['caseworker'],
    });
    expect(res.json().permissions).toContain('registry:write');
    expect(res.json().permissions).not.toContain('user:write');
  });

  it('answers 401 to a wrong password and to an unknown user, with the same message', async () => {
    const wrong = await login('xq-manager', 'not-the-password', '10.1.1.2');
    const unknown = await login('nobody-here', 'not-the-password', '10.1.1.3');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('unauthenticated');
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('throttles a username after 5 failures within 15 minutes, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await login('xq-rights', 'wrong-password', `10.2.0.${i + 1}`);
      expect(res.statusCode).toBe(401);
    }
    const sixth = await login('xq-rights', DEMO_PASSWORD, '10.2.0.99');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().error.code).toBe('too_many_requests');
    const retry = Number(sixth.headers['retry-after']);
    expect(retry).toBeGreaterThan(14 * 60);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // Another user is not affected.
    expect((await login('xq-employment', DEMO_PASSWORD, '10.2.0.98')).statusCode).toBe(200);
  });

  it('throttles an address after 5 failures within 15 minutes, whatever the usernames', async () => {
    for (let i = 0; i < 5; i++)
      expect((await login(`guess-${i}`, 'wrong-password', '10.3.0.1')).statusCode).toBe(401);
    expect((await login('xq-auditor', DEMO_PASSWORD, '10.3.0.1')).statusCode).toBe(429);
    expect((await login('xq-auditor', DEMO_PASSWORD, '10.3.0.2')).statusCode).toBe(200);
  });

  it('forgets the failures older than 15 minutes', async () => {
    for (let i = 0; i < 5; i++) await login('xq-mutualaid', 'wrong-password', `10.4.0.${i + 1}`);
    expect((await login('xq-mutualaid', DEMO_PASSWORD, '10.4.0.50')).statusCode).toBe(429);
    await t.db.system((tx) =>
      tx
        .updateTable('login_failures')
        .set({ at: new Date(Date.now() - 16 * 60_000) })
        .where('username', '=', 'xq-mutualaid')
        .execute(),
    );
    expect((await login('xq-mutualaid', DEMO_PASSWORD, '10.4.0.50')).statusCode).toBe(200);
  });

  it('counts parallel attempts: of 20 at once, only 5 reach the password check', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login('xq-caseworker', 'wrong-password', `10.6.0.${i + 1}`)),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(15);
  });

  it('shows failed sign-ins of unknown usernames to the root scope', async () => {
    await login('ghost-user', 'wrong-password', '10.7.0.1');
    const root = await t.login('admin');
    const res = await t.app.inject({
      url: '/api/v1/audit?action=login_failed&username=ghost-user',
      headers: { cookie: root },
    });
    expect(res.json().items).toEqual([
      expect.objectContaining({ username: 'ghost-user', orgCode: '000000', entityId: null }),
    ]);
  });

  it('refuses an invalid body with the field issues', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: ['body', 'password'] })]),
    );
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
  });
});

describe('session', () => {
  it('GET /me needs a session and shows user, organisation, roles and permissions', async () => {
    expect((await t.app.inject({ url: '/api/v1/me' })).statusCode).toBe(401);
    const cookie = await t.login('admin');
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { username: 'admin' },
      organisation: { code: '000000' },
      roles: ['admin'],
    });
  });

  it('refuses a forged or unsigned cookie', async () => {
    const cookie = await t.login('xq-manager');
    const value = cookie.split('=')[1] as string;
    const unsigned = value.split('.')[0];
    for (const bad of [
      `niangjia_session=${unsigned}`,
      `niangjia_session=${value}x`,
      'niangjia_session=abc.def',
    ])
      expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: bad } })).statusCode).toBe(401);
  });

  it('logout ends the session', async () => {
    const cookie = await t.login('xq-manager');
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('expires a session idle too long, and one past its absolute limit', async () => {
    const idle = await t.login('xq-manager');
    const absolute = await t.login('xq-manager');
    const hashOf = async (cookie: string) => {
      const { hashToken } = await import('../src/modules/identity/sessions');
      const signed = decodeURIComponent(cookie.split('=')[1] as string);
      return hashToken(signed.slice(0, signed.lastIndexOf('.')));
    };
    await t.db.system(async (tx) => {
      await tx
        .updateTable('sessions')
        .set({ last_seen_at: new Date(Date.now() - (t.config.sessionIdleMinutes + 1) * 60_000) })
        .where('token_hash', '=', await hashOf(idle))
        .execute();
      await tx
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('token_hash', '=', await hashOf(absolute))
        .execute();
    });
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: idle } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: absolute } })).statusCode).toBe(401);
  });

  it('changes the own password: the old one stops working, other sessions end, this one stays', async () => {
    const other = await t.login('xq-employment');
    const cookie = await t.login('xq-employment');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie },
      payload: { currentPassword: 'wrong-one-here', newPassword: 'a-brand-new-password' },
    });
    expect(bad.statusCode).toBe(400);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie },
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'a-brand-new-password' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: other } })).statusCode).toBe(401);
    expect((await login('xq-employment', DEMO_PASSWORD, '10.5.0.1')).statusCode).toBe(401);
    expect((await login('xq-employment', 'a-brand-new-password', '10.5.0.2')).statusCode).toBe(200);
  });

  it('throttles guessing the current password with a stolen session', async () => {
    const cookie = await t.login('xq-manager');
    const change = (currentPassword: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: { cookie },
        payload: { currentPassword, newPassword: 'never-accepted-password' },
        remoteAddress: '10.8.0.1',
      });
    for (let i = 0; i < 5; i++) expect((await change(`guess-number-${i}`)).statusCode).toBe(400);
    expect((await change(DEMO_PASSWORD)).statusCode).toBe(429);
  });

  it('a reset password must be changed before anything else', async () => {
    const admin = await t.login('xq-admin');
    const users = await t.app.inject({ url: '/api/v1/users?q=xq-auditor', headers: { cookie: admin } });
    const id = users.json().items[0].id;
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${id}/password`,
      headers: { cookie: admin },
      payload: { password: 'temporary-password-1' },
    });
    expect(reset.statusCode).toBe(204);
    const cookie = await t.login('xq-auditor', 'temporary-password-1');
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie } });
    expect(me.json().user.mustChangePassword).toBe(true);
    const blocked = await t.app.inject({ url: '/api/v1/orgs', headers: { cookie } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.details).toEqual({ reason: 'password_change_required' });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie },
      payload: { currentPassword: 'temporary-password-1', newPassword: 'my-own-password-now' },
    });
    expect((await t.app.inject({ url: '/api/v1/orgs', headers: { cookie } })).statusCode).toBe(200);
  });

  it('stores passwords as argon2id hashes', async () => {
    const row = await t.db.kysely
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(ADMIN_PASSWORD);
  });
});
