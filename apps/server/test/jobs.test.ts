import { sql } from '@niangjia/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, JobRunner } from '../src/jobs/runner';
import { asOperator } from '../src/operator';
import { type TestApp, testApp } from './harness';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('xq-admin');
});
afterAll(() => t?.close());

/** Queues a job as xq-admin would, through the scoped context of an API request. */
async function queue(kind: string, input: unknown, maxAttempts?: number): Promise<string> {
  const user = await t.db.kysely
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'xq-admin')
    .executeTakeFirstOrThrow();
  const org = await t.db.kysely
    .selectFrom('orgs')
    .select(['id', 'path'])
    .where('code', '=', '640104')
    .executeTakeFirstOrThrow();
  return asOperator(t.db, async (ctx) =>
    enqueue({
      kind,
      input,
      maxAttempts,
      ctx: { ...ctx, actor: { ...ctx.actor, userId: user.id, orgId: org.id } },
    }),
  );
}

const job = async (id: string) =>
  (await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: { cookie: admin } })).json();

describe('background jobs', () => {
  it('runs a job in the scope of the user who queued it, with progress and result', async () => {
    const seen: string[] = [];
    const runner = new JobRunner(t.db, {
      count_orgs: async (j) => {
        await j.progress(0.5, 'counting');
        const n = await j.run(async (ctx) => {
          seen.push(ctx.actor.username);
          return (
            await ctx.tx
              .selectFrom('orgs')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n;
        });
        return { orgs: n };
      },
    });
    const id = await queue('count_orgs', { why: 'test' });
    expect((await job(id)).status).toBe('queued');
    expect(await runner.runOnce()).toBe(true);
    expect(await runner.runOnce()).toBe(false);
    // 640104 and its five grassroots unions: the scope of xq-admin, not the whole tree.
    expect(await job(id)).toMatchObject({
      status: 'succeeded',
      result: { orgs: 6 },
      progress: { fraction: 1 },
      attempts: 1,
      error: null,
    });
    expect(seen).toEqual(['xq-admin']);
  });

  it('retries a failing job with backoff, then gives up', async () => {
    let calls = 0;
    const runner = new JobRunner(t.db, {
      flaky: async () => {
        calls++;
        throw new Error(`attempt ${calls} failed`);
      },
    });
    const id = await queue('flaky', {}, 2);
    await runner.runOnce();
    expect(await job(id)).toMatchObject({ status: 'queued', attempts: 1, error: 'attempt 1 failed' });
    // Not before its backoff has passed.
    expect(await runner.runOnce()).toBe(false);
    await sql`update jobs set run_after = now() where id = ${id}`.execute(t.db.kysely);
    await runner.runOnce();
    expect(await job(id)).toMatchObject({ status: 'failed', attempts: 2, error: 'attempt 2 failed' });
    expect(calls).toBe(2);
  });

  it('takes over a job whose runner died (its claim lapsed)', async () => {
    const id = await queue('resume', {});
    await sql`update jobs set status = 'running', locked_by = 'dead-process', locked_until = now() - interval '1 second', attempts = 1 where id = ${id}`.execute(
      t.db.kysely,
    );
    const runner = new JobRunner(t.db, { resume: async () => 'done' });
    expect(await runner.runOnce()).toBe(true);
    expect(await job(id)).toMatchObject({ status: 'succeeded', result: 'done', attempts: 2 });
  });

  it('never lets two runners take the same job', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map((i) => queue('once', { i })));
    const ran: number[] = [];
    const handler = { once: async (j: { input: { i: number } }) => void ran.push(j.input.i) };
    const a = new JobRunner(t.db, handler);
    const b = new JobRunner(t.db, handler);
    await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    expect(ran.sort()).toEqual([1, 2, 3, 4]);
    for (const id of ids) expect((await job(id)).status).toBe('succeeded');
  });

  it('runs on its own once started, and stops cleanly', async () => {
    const runner = new JobRunner(t.db, { auto: async () => 'ok' }, undefined, 50);
    runner.start();
    const id = await queue('auto', {});
    await expect.poll(async () => (await job(id)).status, { timeout: 5000 }).toBe('succeeded');
    await runner.stop();
  });
});
