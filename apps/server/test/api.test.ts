import { sql } from '@niangjia/db';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

describe('the HTTP surface', () => {
  it('publishes an OpenAPI 3 document that passes a validator', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const result = await validate(structuredClone(doc));
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/orgs/{code}']),
    );
    expect(doc.paths['/api/v1/users'].post.description).toBe('Requires permission `user:write`.');
    expect(doc.components.schemas).toHaveProperty('User');
  });

  it('serves a browsable documentation page', async () => {
    const res = await t.app.inject({ url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });

  it('answers every error in one shape, with the request id of the response header', async () => {
    const res = await t.app.inject({ url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'not_found', message: 'No such route', requestId: res.headers['x-request-id'] },
    });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('bad_request');
  });

  it('keeps a well-formed incoming request id and makes one otherwise', async () => {
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-12345678' } });
    expect(given.headers['x-request-id']).toBe('lb-12345678');
    const hostile = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': '<script>' } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses changes sent from another site, and accepts those from its own pages', async () => {
    const cookie = await t.login('xq-admin');
    const deactivate = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/640104005/deactivate',
        headers: { cookie, host: 'niangjia.example:3000', ...headers },
      });
    for (const headers of [
      { origin: 'http://evil.example' },
      { origin: 'http://niangjia.example:8080' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const res = await deactivate(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error.details).toEqual({ reason: 'cross_site' });
    }
    const org = await t.app.inject({ url: '/api/v1/orgs/640104005', headers: { cookie } });
    expect(org.json().active).toBe(true);
    const own = await deactivate({ origin: 'http://niangjia.example:3000', 'sec-fetch-site': 'same-origin' });
    expect(own.statusCode).toBe(200);
    expect(own.json().active).toBe(false);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('healthz says the process is up; readyz checks the database and its migrations', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', reachable: true, pendingMigrations: [] });
    const last = await t.db.kysely
      .selectFrom('niangjia_migrations')
      .select(['tag', 'hash'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    await sql`delete from niangjia_migrations where tag = ${last.tag}`.execute(t.db.kysely);
    try {
      const notReady = await t.app.inject({ url: '/readyz' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json()).toMatchObject({ status: 'not_ready', pendingMigrations: [last.tag] });
    } finally {
      await t.db.kysely.insertInto('niangjia_migrations').values(last).execute();
    }
  });
});

describe('audit trail', () => {
  it('records sign-ins and failures, searchable by user, entity, action and Shanghai calendar day', async () => {
    const cookie = await t.login('xq-admin');
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'xq-manager', password: 'wrong-password' },
      remoteAddress: '10.9.9.9',
    });
    const failed = await t.app.inject({ url: '/api/v1/audit?action=login_failed', headers: { cookie } });
    expect(failed.json().items[0]).toMatchObject({
      username: 'xq-manager',
      entity: 'user',
      clientAddress: '10.9.9.9',
      orgCode: '640104',
    });
    // Today in Asia/Shanghai.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const byDay = await t.app.inject({
      url: `/api/v1/audit?from=${today}&to=${today}&username=xq-admin`,
      headers: { cookie },
    });
    expect(byDay.json().items.map((e: { action: string }) => e.action)).toContain('login');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const before = await t.app.inject({
      url: `/api/v1/audit?to=${yesterday}&username=xq-admin`,
      headers: { cookie },
    });
    expect(before.json()).toEqual({ items: [], total: 0 });
  });

  it('cannot be changed or deleted, not even by the database owner', async () => {
    await expect(sql`update audit_log set action = 'x'`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
  });
});
