import type { CreateUser, Role, UpdateUser, User, UserListQuery } from '@niangjia/contracts';
import { containsPattern, isUniqueViolation, sql } from '@niangjia/db';
import type { Ctx } from '../../http/context';
import { AppError, conflict, notFound } from '../../http/errors';
import { audit } from '../audit/service';
import { findOrg } from '../orgs/service';

function userQuery(ctx: Ctx) {
  return ctx.tx
    .selectFrom('users as u')
    .innerJoin('orgs as o', 'o.id', 'u.org_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.roles',
      'u.active',
      'u.must_change_password',
      'u.last_login_at',
      'u.created_at',
      'u.org_id',
      'o.code as org_code',
      'o.name as org_name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof userQuery>['executeTakeFirstOrThrow']>>;

function toUser(r: Row): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    orgCode: r.org_code,
    orgName: r.org_name,
    roles: r.roles as Role[],
    active: r.active,
    mustChangePassword: r.must_change_password,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/** The audited fields of a user. */
function snapshot(r: Row) {
  return {
    username: r.username,
    displayName: r.display_name,
    orgCode: r.org_code,
    roles: r.roles,
    active: r.active,
  };
}

async function load(ctx: Ctx, id: string): Promise<Row> {
  const row = await userQuery(ctx).where('u.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('User');
  return row;
}

export async function getUser(ctx: Ctx, id: string): Promise<User> {
  return toUser(await load(ctx, id));
}

export async function listUsers(ctx: Ctx, q: UserListQuery): Promise<{ items: User[]; total: number }> {
  let query = userQuery(ctx);
  if (q.org) {
    const org = await findOrg(ctx, q.org);
    query = query.where(sql<boolean>`starts_with(o.path, ${org.path})`);
  }
  if (q.q) {
    const like = containsPattern(q.q);
    query = query.where((eb) =>
      eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]),
    );
  }
  if (q.role) query = query.where(sql<boolean>`${q.role} = any(u.roles)`);
  if (q.active !== undefined) query = query.where('u.active', '=', q.active);
  const { total } = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .orderBy('o.path')
    .orderBy('u.username')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items: rows.map(toUser), total };
}

export async function createUser(
  ctx: Ctx,
  input: CreateUser,
  passwordHash: string,
  // Whoever set the password knows it: by default the user chooses their own at first sign-in.
  { mustChangePassword = true } = {},
): Promise<User> {
  const org = await findOrg(ctx, input.orgCode);
  if (!org.active) throw conflict(`Organisation ${org.code} is deactivated`);
  let id: string;
  try {
    ({ id } = await ctx.tx
      .insertInto('users')
      .values({
        username: input.username,
        display_name: input.displayName,
        org_id: org.id,
        roles: [...new Set(input.roles)],
        password_hash: passwordHash,
        must_change_password: mustChangePassword,
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Username ${input.username} is taken`);
    throw err;
  }
  const row = await load(ctx, id);
  await audit(ctx, { action: 'create', entity: 'user', entityId: id, orgId: org.id, after: snapshot(row) });
  return toUser(row);
}

export async function updateUser(ctx: Ctx, id: string, input: UpdateUser): Promise<User> {
  const before = await load(ctx, id);
  const set: { display_name?: string; roles?: string[]; org_id?: string; updated_at: Date } = {
    updated_at: new Date(),
  };
  if (input.displayName !== undefined) set.display_name = input.displayName;
  if (input.roles !== undefined) {
    if (id === ctx.actor.userId && !input.roles.includes('admin') && before.roles.includes('admin'))
      throw conflict('You cannot remove your own admin role');
    set.roles = [...new Set(input.roles)];
  }
  if (input.orgCode !== undefined && input.orgCode !== before.org_code) {
    if (id === ctx.actor.userId) throw conflict('You cannot move yourself to another organisation');
    const org = await findOrg(ctx, input.orgCode);
    if (!org.active) throw conflict(`Organisation ${org.code} is deactivated`);
    set.org_id = org.id;
  }
  await ctx.tx.updateTable('users').set(set).where('id', '=', id).execute();
  const after = await load(ctx, id);
  await audit(ctx, {
    action: 'update',
    entity: 'user',
    entityId: id,
    orgId: after.org_id,
    before: snapshot(before),
    after: snapshot(after),
  });
  return toUser(after);
}

export async function setUserActive(ctx: Ctx, id: string, active: boolean): Promise<User> {
  const before = await load(ctx, id);
  if (id === ctx.actor.userId && !active) throw conflict('You cannot deactivate yourself');
  if (before.active === active) return toUser(before);
  await ctx.tx.updateTable('users').set({ active, updated_at: new Date() }).where('id', '=', id).execute();
  // A deactivated user is signed out everywhere at once.
  if (!active) await ctx.tx.deleteFrom('sessions').where('user_id', '=', id).execute();
  const after = await load(ctx, id);
  await audit(ctx, {
    action: active ? 'activate' : 'deactivate',
    entity: 'user',
    entityId: id,
    orgId: after.org_id,
    before: { active: before.active },
    after: { active },
  });
  return toUser(after);
}

export async function resetPassword(ctx: Ctx, id: string, passwordHash: string): Promise<void> {
  const user = await load(ctx, id);
  if (id === ctx.actor.userId)
    throw new AppError(
      'conflict',
      'Change your own password from your user menu, with your current password',
    );
  await ctx.tx
    .updateTable('users')
    .set({ password_hash: passwordHash, must_change_password: true, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  await ctx.tx.deleteFrom('sessions').where('user_id', '=', id).execute();
  await audit(ctx, {
    action: 'password_reset',
    entity: 'user',
    entityId: id,
    orgId: user.org_id,
    before: { password: 'old', mustChangePassword: user.must_change_password },
    after: { password: 'new', mustChangePassword: true },
  });
}
