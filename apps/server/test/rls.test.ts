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

describe('row-level security of the registry', () => {
  it("keeps 兴庆区's households, people, members, archives and their steps from 西夏区", async () => {
    const { archiveId, head } = await t.db.system(async (tx) => {
      const person = (id: string, name: string, sex: string, birth: string) =>
        tx
          .insertInto('people')
          .values({ id_number: id, name, sex, birth_date: birth, org_id: xq.id })
          .returning('id')
          .executeTakeFirstOrThrow();
      // Made-up numbers: the registry's services validate them; the policies do not care.
      const head = await person('640104197001010011', '测试户主', 'male', '1970-01-01');
      const child = await person('640104200001010022', '测试子女', 'female', '2000-01-01');
      const household = await tx
        .insertInto('households')
        .values({ org_id: xq.id, head_person_id: head.id, wage_income_fen: 2_160_000 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('household_members')
        .values({ household_id: household.id, person_id: child.id, relation: 'child' })
        .execute();
      const archive = await tx
        .insertInto('archives')
        .values({
          household_id: household.id,
          org_id: xq.id,
          origin: 'new',
          primary_cause: '6',
          opened_on: '2015-03-02',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('archive_steps')
        .values({
          archive_id: archive.id,
          action: 'survey',
          to_status: 'surveyed',
          on_date: '2015-03-02',
          username: 'test',
          comment: '摸底',
        })
        .execute();
      return { archiveId: archive.id, head: head.id };
    });
    for (const table of ['people', 'households', 'household_members', 'archives', 'archive_steps'] as const) {
      const rows = await asXixia<unknown[]>((tx) => tx.selectFrom(table).selectAll().execute());
      expect(rows, table).toEqual([]);
    }
    const own = await t.db.scoped({ userId: '', orgPath: xq.path }, (tx) =>
      tx.selectFrom('household_members').selectAll().execute(),
    );
    expect(own).toHaveLength(1);
    // History is appended, never rewritten, even in the scope.
    await expect(
      t.db.scoped({ userId: '', orgPath: xq.path }, (tx) =>
        tx
          .updateTable('archive_steps')
          .set({ comment: 'rewritten' })
          .where('archive_id', '=', archiveId)
          .execute(),
      ),
    ).rejects.toThrow(/permission denied/);
    // The conflict check tells 西夏区 that the person is in an open household elsewhere, and where.
    const conflict = await asXixia<{ rows: { org_code: string }[] }>((tx) =>
      sql<{ org_code: string }>`select org_code from niangjia_open_household_of(${head})`.execute(tx),
    );
    expect(conflict.rows).toEqual([{ org_code: '640104' }]);
  });
});
