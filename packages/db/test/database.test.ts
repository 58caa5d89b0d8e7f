import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, freshDatabase } from '../../../apps/server/test/harness';
import type { Database } from '../src/database';
import { listMigrations, migrate, pendingMigrations } from '../src/migrate';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
  await db.system(async (tx) => {
    await sql`create table t (id int primary key, v text)`.execute(tx);
  });
});
afterAll(() => db?.close());

describe(`database on ${backend}`, () => {
  it('commits a transaction whole', async () => {
    await db.system(async (tx) => {
      await sql`insert into t values (1, 'a')`.execute(tx);
      await sql`insert into t values (2, 'b')`.execute(tx);
    });
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(db.kysely);
    expect(rows[0]?.n).toBe(2);
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      db.system(async (tx) => {
        await sql`insert into t values (3, 'c')`.execute(tx);
        await sql`insert into t values (1, 'duplicate')`.execute(tx);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const { rows } = await sql<{ id: number }>`select id from t order by id`.execute(db.kysely);
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('keeps a transaction invisible to other callers until it commits', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const didInsert = new Promise<void>((r) => (inserted = r));
    const writer = db.system(async (tx) => {
      await sql`insert into t values (10, 'pending')`.execute(tx);
      inserted();
      await gate;
    });
    await didInsert;
    // On the embedded database this read waits for the writer (one session, the transaction holds
    // it); on a server it runs at once and must not see the uncommitted row.
    const reader = sql<{ n: number }>`select count(*) as n from t where id = 10`.execute(db.kysely);
    const early = await Promise.race([
      reader.then((r) => r.rows[0]?.n),
      new Promise((r) => setTimeout(() => r('waiting'), 200)),
    ]);
    expect(early === 'waiting' || early === 0).toBe(true);
    release();
    await writer;
    expect((await reader).rows[0]?.n).toBe(backend === 'pglite' ? 1 : 0);
    const after = await sql<{ n: number }>`select count(*) as n from t where id = 10`.execute(db.kysely);
    expect(after.rows[0]?.n).toBe(1);
  });

  it('returns int8 as a number, dates as calendar strings, numeric exactly', async () => {
    const { rows } = await sql<{
      big: number;
      day: string;
      exact: string;
      at: Date;
    }>`select 9007199254740991::int8 as big, '2014-09-30'::date as day, 0.1::numeric + 0.2::numeric as exact, now() as at`.execute(
      db.kysely,
    );
    expect(rows[0]).toMatchObject({ big: 9007199254740991, day: '2014-09-30', exact: '0.3' });
    expect(rows[0]?.at).toBeInstanceOf(Date);
    await expect(sql`select 9007199254740993::int8 as n`.execute(db.kysely)).rejects.toThrow(/safe integer/);
  });

  it('migrates idempotently and refuses an edited migration', async () => {
    expect(await migrate(db)).toEqual([]);
    expect(await pendingMigrations(db)).toEqual([]);
    const tags = listMigrations().map((m) => m.tag);
    expect(tags.slice(0, 3)).toEqual(['0000_foundation', '0001_security', '0002_hardening']);
    expect(tags).toEqual([...tags].sort());
    await sql`update niangjia_migrations set hash = 'edited' where tag = '0000_foundation'`.execute(
      db.kysely,
    );
    await expect(migrate(db)).rejects.toThrow(/changed after it was applied/);
    const real = listMigrations()[0]?.hash as string;
    await sql`update niangjia_migrations set hash = ${real} where tag = '0000_foundation'`.execute(db.kysely);
  });

  it('enables row-level security on every table of the application', async () => {
    const { rows } = await sql<{ relname: string; relrowsecurity: boolean }>`
      select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 't'`.execute(db.kysely);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    expect(rows.filter((r) => !r.relrowsecurity).map((r) => r.relname)).toEqual([]);
  });

  it('shows a scoped transaction nothing of tables without a policy, and nothing at all without a scope', async () => {
    await db.system(async (tx) => {
      await tx.insertInto('settings').values({ key: 'probe', value: 'secret' }).execute();
    });
    const seen = await db.scoped({ userId: '', orgPath: '/' }, (tx) =>
      tx.selectFrom('settings').selectAll().execute(),
    );
    expect(seen).toEqual([]);
    const orgs = await db.scoped({ userId: '', orgPath: '' }, (tx) =>
      tx.selectFrom('orgs').selectAll().execute(),
    );
    expect(orgs).toEqual([]);
  });
});
