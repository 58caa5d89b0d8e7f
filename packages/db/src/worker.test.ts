import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from './database';
import { PgliteWorkerClient } from './worker-client';

// The embedded database's worker protocol, on a throw-away in-memory PGlite.
let db: Database;
beforeAll(async () => {
  db = await Database.open({ dataDir: 'memory://', command: 'test', txIdleTimeoutMs: 300 });
});
afterAll(() => db?.close());

describe('the PGlite worker', () => {
  it('lets a transaction run a statement longer than the idle timeout', async () => {
    const n = await db.system(async (tx) => {
      await sql`select pg_sleep(0.6)`.execute(tx);
      return (await sql<{ n: number }>`select 1 as n`.execute(tx)).rows[0]?.n;
    });
    expect(n).toBe(1);
  });

  it('rolls back a transaction left idle, and frees the database for others', async () => {
    await sql`create table idle_t (id int)`.execute(db.kysely);
    await expect(
      db.system(async (tx) => {
        await sql`insert into idle_t values (1)`.execute(tx);
        await new Promise((r) => setTimeout(r, 700));
        await sql`insert into idle_t values (2)`.execute(tx);
      }),
    ).rejects.toThrow(/not open/);
    const { rows } = await sql<{ n: number }>`select count(*) as n from idle_t`.execute(db.kysely);
    expect(rows[0]?.n).toBe(0);
  });

  it('reports an error inside a transaction and still rolls it back', async () => {
    const client = new PgliteWorkerClient({ dataDir: 'memory://' });
    await client.ready;
    // Two transactions from one connection are fine; a failed query inside one is reported.
    const { tx } = await client.call<{ tx: number }>({ op: 'begin' });
    await expect(client.query('select * from no_such_table', [], tx)).rejects.toThrow(/no_such_table/);
    await client.call({ op: 'rollback', tx });
    await client.close();
  });

  it('fails every call at once when the worker dies, instead of hanging', async () => {
    const client = new PgliteWorkerClient({ dataDir: 'memory://' });
    await client.ready;
    const pending = client.query('select pg_sleep(5)', []);
    await (client as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(pending).rejects.toThrow(/exited/);
    const started = Date.now();
    await expect(client.query('select 1', [])).rejects.toThrow(/exited/);
    expect(Date.now() - started).toBeLessThan(100);
    await client.close();
  });
});
