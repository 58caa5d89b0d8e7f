import { sql, type Tx } from '@niangjia/db';

/** 5 failed sign-ins for one username or from one address within 15 minutes: the next is refused. */
export const MAX_FAILURES = 5;
export const WINDOW_MINUTES = 15;

/**
 * Seconds until another attempt is allowed, or 0 when it is allowed now. The username and the
 * address are counted apart: either reaching the limit throttles, until the oldest of its last
 * MAX_FAILURES failures leaves the window.
 */
export async function throttledFor(tx: Tx, username: string, clientAddress: string | null): Promise<number> {
  const rows = await sql<{ retry: number | null }>`
    with failures as (
      select 'user' as key, at from login_failures where username = ${username}
      union all
      select 'addr' as key, at from login_failures where client_address = ${clientAddress}::inet
    ),
    recent as (
      select key, at, row_number() over (partition by key order by at desc) as n
      from failures where at > now() - make_interval(mins => ${WINDOW_MINUTES})
    )
    select max(ceil(extract(epoch from (at + make_interval(mins => ${WINDOW_MINUTES}) - now()))))::int as retry
    from recent where n = ${MAX_FAILURES}`.execute(tx);
  return Math.max(0, rows.rows[0]?.retry ?? 0);
}

export async function recordFailure(tx: Tx, username: string, clientAddress: string | null): Promise<number> {
  const row = await tx
    .insertInto('login_failures')
    .values({ username, client_address: clientAddress })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Counts an attempt as failed before its password is checked, so that parallel attempts cannot
 * all pass the count while their checks run: under a lock per username and per address, either
 * refuses (seconds to wait) or records the attempt (its failure id, to forget if it succeeds).
 */
export async function admitAttempt(
  tx: Tx,
  username: string,
  clientAddress: string | null,
): Promise<{ retryAfter: number } | { failureId: number }> {
  // Always in this order (username, then address), so two attempts cannot deadlock.
  await sql`select pg_advisory_xact_lock(hashtext(${`login-user:${username}`}))`.execute(tx);
  if (clientAddress)
    await sql`select pg_advisory_xact_lock(hashtext(${`login-addr:${clientAddress}`}))`.execute(tx);
  const retryAfter = await throttledFor(tx, username, clientAddress);
  if (retryAfter > 0) return { retryAfter };
  return { failureId: await recordFailure(tx, username, clientAddress) };
}

export async function clearFailures(tx: Tx, username: string): Promise<void> {
  await tx.deleteFrom('login_failures').where('username', '=', username).execute();
}
