import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { permissionsOf, type Role } from '@niangjia/contracts';
import { type Database, sql } from '@niangjia/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor, Ctx } from '../http/context';

/** What a job handler gets: the job's input, a way to report progress, and a scoped runner. */
export interface JobContext<I> {
  jobId: string;
  input: I;
  /** Records how far the job is (0 to 1) and what it is doing; also keeps the job's claim alive. */
  progress(fraction: number, message?: string): Promise<void>;
  /** Runs `fn` in one transaction scoped to the job's organisation, as the user who queued it. */
  run<T>(fn: (ctx: Ctx) => Promise<T>): Promise<T>;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers of different inputs live in one table.
export type JobHandler<I = any, R = unknown> = (job: JobContext<I>) => Promise<R>;

export interface Enqueue {
  kind: string;
  input: unknown;
  /** The queuing user's context: the job acts in its scope. */
  ctx: Ctx;
  maxAttempts?: number;
}

/** Queues a job in the caller's transaction: it exists only if the caller's work commits. */
export async function enqueue({ kind, input, ctx, maxAttempts }: Enqueue): Promise<string> {
  const row = await ctx.tx
    .insertInto('jobs')
    .values({
      kind,
      input: JSON.stringify(input),
      org_id: ctx.actor.orgId,
      created_by: ctx.actor.userId || null,
      ...(maxAttempts ? { max_attempts: maxAttempts } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const CLAIM_SECONDS = 60;

interface ClaimedJob {
  id: string;
  kind: string;
  input: unknown;
  org_id: string;
  created_by: string | null;
  attempts: number;
  max_attempts: number;
}

/**
 * Runs queued jobs, one at a time per process, from any server process: a job is claimed for a
 * minute (renewed by each progress report); a claim that lapses (a crashed process) makes the
 * job runnable again; a failure is retried with backoff up to max_attempts.
 */
export class JobRunner {
  private readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly handlers: Record<string, JobHandler>,
    private readonly log?: FastifyBaseLogger,
    private readonly pollMs = 1000,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.runOnce().catch((err) =>
        this.log?.error({ err: { message: (err as Error).message } }, 'job runner failed'),
      );
      const ran = await this.running;
      // Straight on while there is work; otherwise look again after the polling interval.
      if (!this.stopped) this.timer = setTimeout(tick, ran === true ? 0 : this.pollMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops taking jobs and waits for the one running, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Claims and runs one job; returns whether there was one. */
  async runOnce(): Promise<boolean> {
    const kinds = Object.keys(this.handlers);
    if (kinds.length === 0) return false;
    const job = await this.db.system(async (tx) => {
      const { rows } = await sql<ClaimedJob>`
        update jobs set status = 'running', attempts = attempts + 1, locked_by = ${this.id},
          locked_until = now() + make_interval(secs => ${CLAIM_SECONDS}), started_at = coalesce(started_at, now())
        where id = (
          select id from jobs
          where kind = any(${kinds}) and run_after <= now()
            and (status = 'queued' or (status = 'running' and locked_until < now()))
          order by run_after, created_at
          limit 1
          for update skip locked
        )
        returning id, kind, input, org_id, created_by, attempts, max_attempts`.execute(tx);
      return rows[0];
    });
    if (!job) return false;
    const handler = this.handlers[job.kind] as JobHandler;
    const actor = await this.actorOf(job.org_id, job.created_by);
    const context: JobContext<unknown> = {
      jobId: job.id,
      input: job.input,
      progress: async (fraction, message) => {
        await this.db.kysely
          .updateTable('jobs')
          .set({
            progress: JSON.stringify({
              fraction: Math.max(0, Math.min(1, fraction)),
              message: message ?? null,
            }),
            locked_until: sql<Date>`now() + make_interval(secs => ${CLAIM_SECONDS})`,
          })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.id)
          .execute();
      },
      run: (fn) =>
        this.db.scoped({ userId: actor.userId, orgPath: actor.orgPath }, (tx) =>
          fn({ tx, actor, requestId: `job-${job.id}`, clientAddress: null }),
        ),
    };
    try {
      const result = await handler(context);
      await this.settle(job.id, 'succeeded', {
        result: JSON.stringify(result ?? null),
        progress: JSON.stringify({ fraction: 1, message: null }),
      });
    } catch (err) {
      const retry = job.attempts < job.max_attempts;
      this.log?.warn({ job: job.id, kind: job.kind, attempt: job.attempts, retry }, 'job failed');
      // Backoff before the next attempt: 5 s, 25 s, 125 s, ...
      await this.settle(job.id, retry ? 'queued' : 'failed', {
        error: (err as Error).message ?? String(err),
        ...(retry ? { run_after: sql<Date>`now() + make_interval(secs => ${5 ** job.attempts})` } : {}),
      });
    }
    return true;
  }

  private async settle(
    id: string,
    status: 'succeeded' | 'failed' | 'queued',
    set: { result?: string; progress?: string; error?: string; run_after?: ReturnType<typeof sql<Date>> },
  ) {
    await this.db.kysely
      .updateTable('jobs')
      .set({
        ...set,
        status,
        locked_by: null,
        locked_until: null,
        ...(status === 'queued' ? {} : { finished_at: sql<Date>`now()` }),
      })
      .where('id', '=', id)
      .where('locked_by', '=', this.id)
      .execute();
  }

  /** The user who queued the job, acting in the job's organisation (or the system, for its own jobs). */
  private async actorOf(orgId: string, userId: string | null): Promise<Actor> {
    const org = await this.db.kysely
      .selectFrom('orgs')
      .select(['id', 'code', 'name', 'level', 'path'])
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow();
    const user = userId
      ? await this.db.kysely
          .selectFrom('users')
          .select(['id', 'username', 'display_name', 'roles'])
          .where('id', '=', userId)
          .executeTakeFirst()
      : undefined;
    const roles = (user?.roles ?? ['admin']) as Role[];
    return {
      userId: user?.id ?? '',
      username: user?.username ?? 'system',
      displayName: user?.display_name ?? 'system',
      orgId: org.id,
      orgCode: org.code,
      orgName: org.name,
      orgLevel: org.level,
      orgPath: org.path,
      roles,
      permissions: permissionsOf(roles),
      mustChangePassword: false,
      sessionTokenHash: '',
    };
  }
}
