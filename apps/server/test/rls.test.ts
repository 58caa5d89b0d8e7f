import { sql } from '@niangjia/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from './harness';

/**
 * The row-level security policies themselves, below the services: a transaction scoped to 西夏区
 * (640105) can neither read 兴庆区's (640104) rows nor write rows that land there.
 */
let t: TestApp;
let xx: { path: string; id: string };
let xq: { path: string; id: string };
let xqUser: string;
beforeAll(async () => {
  t = await testApp();
  const org = (code: string) =>
    t.db.kysely.selectFrom('orgs').select(['id', 'path']).where('code', '=', code).executeTakeFirstOrThrow();
  xx = await org('640105');
  xq = await org('640104');
  xqUser = (
    await t.db.kysely
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'xq-caseworker')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => t?.close());

const asXixia = <T>(fn: Parameters<TestApp['db']['scoped']>[1]) =>
  t.db.scoped({ userId: '', orgPath: xx.path }, fn) as Promise<T>;
const RLS = /row-level security|violates/;

describe('row-level security', () => {
  it('hides rows of another subtree', async () => {
    const orgs = await asXixia<{ code: string }[]>((tx) =>
      tx.selectFrom('orgs').select('code').orderBy('code').execute(),
    );
    expect(orgs.map((o) => o.code)).toEqual(['640105', '640105001']);
    const users = await asXixia<unknown[]>((tx) =>
      tx.selectFrom('users').selectAll().where('id', '=', xqUser).execute(),
    );
    expect(users).toEqual([]);
    const audit = await asXixia<unknown[]>((tx) =>
      tx.selectFrom('audit_log').selectAll().where('org_id', '=', xq.id).execute(),
    );
    expect(audit).toEqual([]);
  });

  it('refuses to write rows into another subtree', async () => {
    await expect(
      asXixia((tx) =>
        tx
          .insertInto('users')
          .values({
            username: 'planted',
            display_name: 'x',
            org_id: xq.id,
            roles: ['admin'],
            password_hash: 'x',
          })
          .execute(),
      ),
    ).rejects.toThrow(RLS);
    await expect(
      asXixia((tx) =>
        tx
          .insertInto('orgs')
          .values({
            code: 'PLANT',
            name: 'x',
            level: 'grassroots',
            parent_id: xq.id,
            path: `${xq.path}PLANT/`,
          })
          .execute(),
      ),
    ).rejects.toThrow(RLS);
    await expect(
      asXixia((tx) =>
        tx.insertInto('audit_log').values({ action: 'create', entity: 'x', org_id: xq.id }).execute(),
      ),
    ).rejects.toThrow(RLS);
  });

  it('refuses to move its own rows out of its subtree', async () => {
    await expect(
      asXixia((tx) =>
        tx
          .updateTable('orgs')
          .set({ path: sql`${xq.path} || code || '/'`, parent_id: xq.id })
          .where('code', '=', '640105001')
          .execute(),
      ),
    ).rejects.toThrow(RLS);
    await expect(
      asXixia(async (tx) => {
        const own = await tx
          .insertInto('users')
          .values({
            username: 'xx-temp',
            display_name: 'x',
            org_id: xx.id,
            roles: ['auditor'],
            password_hash: 'x',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx.updateTable('users').set({ org_id: xq.id }).where('id', '=', own.id).execute();
      }),
    ).rejects.toThrow(RLS);
  });

  it('changes nothing it cannot see', async () => {
    await t.login('xq-caseworker');
    const res = await asXixia<{ numUpdatedRows: bigint }>((tx) =>
      tx
        .updateTable('users')
        .set({ display_name: 'hijacked' })
        .where('id', '=', xqUser)
        .executeTakeFirstOrThrow(),
    );
    expect(res.numUpdatedRows).toBe(0n);
    const deleted = await asXixia<{ numDeletedRows: bigint }>((tx) =>
      tx.deleteFrom('sessions').executeTakeFirstOrThrow(),
    );
    expect(deleted.numDeletedRows).toBe(0n);
    const sessions = await t.db.kysely
      .selectFrom('sessions')
      .select('user_id')
      .where('user_id', '=', xqUser)
      .execute();
    expect(sessions.length).toBeGreaterThan(0);
  });
});
