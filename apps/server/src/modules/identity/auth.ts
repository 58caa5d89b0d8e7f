import type { Me } from '@niangjia/contracts';
import type { Database } from '@niangjia/db';
import type { Actor, Ctx } from '../../http/context';
import { AppError, badRequest } from '../../http/errors';
import { audit, recordAudit } from '../audit/service';
import { hashPassword, verifyNothing, verifyPassword } from './passwords';
import { createSession, type SessionPolicy } from './sessions';
import { admitAttempt, clearFailures } from './throttle';

export function meOf(actor: Actor): Me {
  return {
    user: {
      id: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      mustChangePassword: actor.mustChangePassword,
    },
    organisation: {
      code: actor.orgCode,
      name: actor.orgName,
      level: actor.orgLevel as Me['organisation']['level'],
    },
    roles: actor.roles,
    permissions: actor.permissions,
  };
}

const WRONG = 'Wrong username or password';

/**
 * Signs a user in and returns a new session token. Runs before any scope exists, so it uses the
 * unscoped database: the only module that does, besides the operator's CLI.
 */
export async function login(
  db: Database,
  input: { username: string; password: string },
  meta: { requestId: string; clientAddress: string | null; policy: SessionPolicy },
): Promise<{ token: string; userId: string }> {
  const { username, password } = input;
  const who = { userId: null, username, requestId: meta.requestId, clientAddress: meta.clientAddress };
  const admitted = await db.system((tx) => admitAttempt(tx, username, meta.clientAddress));
  if ('retryAfter' in admitted) throw tooManyAttempts(admitted.retryAfter);
  const user = await db.kysely
    .selectFrom('users as u')
    .innerJoin('orgs as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.password_hash', 'u.active', 'u.org_id', 'o.active as org_active'])
    .where('u.username', '=', username)
    .executeTakeFirst();
  // Hashing runs outside any transaction: a transaction on the embedded database holds it whole.
  const ok = user ? await verifyPassword(user.password_hash, password) : await verifyNothing(password);
  if (!user || !ok || !user.active || !user.org_active) {
    await db.system(async (tx) => {
      // An unknown username belongs to no organisation: the root's scope sees it (password spraying).
      const orgId =
        user?.org_id ??
        (await tx.selectFrom('orgs').select('id').where('parent_id', 'is', null).executeTakeFirst())?.id ??
        null;
      await recordAudit(
        tx,
        { ...who, userId: user?.id ?? null },
        { action: 'login_failed', entity: 'user', entityId: user?.id ?? null, orgId },
      );
    });
    throw new AppError('unauthenticated', WRONG);
  }
  const token = await db.system(async (tx) => {
    // The attempt was counted as failed up front; it succeeded, so the username's count starts over.
    await clearFailures(tx, username);
    await tx.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', user.id).execute();
    await recordAudit(
      tx,
      { ...who, userId: user.id },
      { action: 'login', entity: 'user', entityId: user.id, orgId: user.org_id },
    );
    return createSession(tx, user.id, meta.policy, meta.clientAddress);
  });
  return { token, userId: user.id };
}

function tooManyAttempts(retry: number): AppError {
  return new AppError(
    'too_many_requests',
    'Too many failed attempts: try again later',
    { retryAfterSeconds: retry },
    { 'retry-after': String(retry) },
  );
}

export async function logout(ctx: Ctx): Promise<void> {
  await ctx.tx.deleteFrom('sessions').where('token_hash', '=', ctx.actor.sessionTokenHash).execute();
  await audit(ctx, { action: 'logout', entity: 'user', entityId: ctx.actor.userId, orgId: ctx.actor.orgId });
}

/** The user's own password change; other sessions of the user end, this one stays. */
export async function changeOwnPassword(
  db: Database,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  clientAddress: string | null,
  run: <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>,
): Promise<void> {
  // A stolen session must not become a way to guess the password: the sign-in throttle applies.
  const admitted = await db.system((tx) => admitAttempt(tx, actor.username, clientAddress));
  if ('retryAfter' in admitted) throw tooManyAttempts(admitted.retryAfter);
  const row = await db.kysely
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, input.currentPassword)))
    throw badRequest('The current password is wrong', [
      { path: ['currentPassword'], message: 'The current password is wrong' },
    ]);
  await db.system((tx) => clearFailures(tx, actor.username));
  if (input.currentPassword === input.newPassword)
    throw badRequest('The new password must differ from the current one', [
      { path: ['newPassword'], message: 'The new password must differ from the current one' },
    ]);
  const passwordHash = await hashPassword(input.newPassword);
  await run(async (ctx) => {
    await ctx.tx
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: false, updated_at: new Date() })
      .where('id', '=', actor.userId)
      .execute();
    await ctx.tx
      .deleteFrom('sessions')
      .where('user_id', '=', actor.userId)
      .where('token_hash', '<>', actor.sessionTokenHash)
      .execute();
    await audit(ctx, {
      action: 'password_change',
      entity: 'user',
      entityId: actor.userId,
      orgId: actor.orgId,
      before: { password: 'old', mustChangePassword: actor.mustChangePassword },
      after: { password: 'new', mustChangePassword: false },
    });
  });
}
