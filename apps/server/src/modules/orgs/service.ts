import {
  type CreateOrg,
  levelRank,
  type Org,
  type OrgDetail,
  type OrgLevel,
  type OrgListQuery,
} from '@niangjia/contracts';
import { containsPattern, isUniqueViolation, sql } from '@niangjia/db';
import type { Ctx } from '../../http/context';
import { AppError, conflict, notFound } from '../../http/errors';
import { audit } from '../audit/service';

function orgQuery(ctx: Ctx, includeInactiveChildren = true) {
  return ctx.tx
    .selectFrom('orgs as o')
    .leftJoin('orgs as p', 'p.id', 'o.parent_id')
    .select((eb) => [
      'o.id',
      'o.code',
      'o.name',
      'o.level',
      'o.path',
      'o.active',
      'o.created_at',
      'p.code as parent_code',
      eb
        .selectFrom('orgs as c')
        .whereRef('c.parent_id', '=', 'o.id')
        .$if(!includeInactiveChildren, (q) => q.where('c.active', '=', true))
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('child_count'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof orgQuery>['executeTakeFirstOrThrow']>>;

function toOrg(r: Row): Org {
  return {
    code: r.code,
    name: r.name,
    level: r.level as OrgLevel,
    // The parent of the user's own root is outside the scope: the user sees no parent.
    parentCode: r.parent_code ?? null,
    active: r.active,
    childCount: Number(r.child_count ?? 0),
    createdAt: r.created_at.toISOString(),
  };
}

/** An organisation of the actor's scope, or 404: outside the scope a code does not exist. */
export async function findOrg(ctx: Ctx, code: string): Promise<Row> {
  const row = await orgQuery(ctx).where('o.code', '=', code).executeTakeFirst();
  if (!row) throw notFound(`Organisation ${code}`);
  return row;
}

export async function getOrg(ctx: Ctx, code: string): Promise<OrgDetail> {
  const row = await findOrg(ctx, code);
  const ancestorCodes = row.path.split('/').filter(Boolean).slice(0, -1);
  // Row-level security drops the ancestors above the actor's own organisation.
  const ancestors = ancestorCodes.length
    ? await ctx.tx
        .selectFrom('orgs')
        .select(['code', 'name', 'level', 'path'])
        .where('code', 'in', ancestorCodes)
        .orderBy('path')
        .execute()
    : [];
  return {
    ...toOrg(row),
    ancestors: ancestors.map((a) => ({ code: a.code, name: a.name, level: a.level as OrgLevel })),
  };
}

export async function listOrgs(ctx: Ctx, q: OrgListQuery): Promise<{ items: Org[] }> {
  let query = orgQuery(ctx, q.includeInactive);
  if (!q.includeInactive) query = query.where('o.active', '=', true);
  if (q.q) {
    const like = containsPattern(q.q);
    query = query.where((eb) => eb.or([eb('o.code', 'ilike', like), eb('o.name', 'ilike', like)])).limit(100);
    if (q.parent) {
      const parent = await findOrg(ctx, q.parent);
      query = query.where(sql<boolean>`starts_with(o.path, ${parent.path})`);
    }
  } else if (q.parent) {
    const parent = await findOrg(ctx, q.parent);
    query = query.where('o.parent_id', '=', parent.id);
  } else {
    query = query.where('o.id', '=', ctx.actor.orgId);
  }
  const rows = await query.orderBy('o.path').execute();
  return { items: rows.map(toOrg) };
}

function checkLevel(child: OrgLevel, parent: OrgLevel) {
  if (levelRank(child) <= levelRank(parent))
    throw new AppError(
      'validation_failed',
      `A ${child} organisation cannot be placed under a ${parent} one`,
      [{ path: ['level'], message: `must be below ${parent}` }],
    );
}

function snapshot(r: {
  code: string;
  name: string;
  level: string;
  parent_code?: string | null;
  active: boolean;
}) {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code ?? null, active: r.active };
}

export async function createOrg(ctx: Ctx, input: CreateOrg): Promise<Org> {
  const parent = await findOrg(ctx, input.parentCode);
  if (!parent.active) throw conflict(`Organisation ${parent.code} is deactivated`);
  checkLevel(input.level, parent.level as OrgLevel);
  // The code is unique in the whole system, also outside the actor's scope.
  const taken = await ctx.tx
    .selectNoFrom(sql<boolean>`niangjia_org_code_taken(${input.code})`.as('taken'))
    .executeTakeFirstOrThrow();
  if (taken.taken) throw conflict(`The code ${input.code} is already in use`);
  try {
    await ctx.tx
      .insertInto('orgs')
      .values({
        code: input.code,
        name: input.name,
        level: input.level,
        parent_id: parent.id,
        path: `${parent.path}${input.code}/`,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`The code ${input.code} is already in use`);
    throw err;
  }
  const row = await findOrg(ctx, input.code);
  await audit(ctx, {
    action: 'create',
    entity: 'org',
    entityId: row.code,
    orgId: row.id,
    after: snapshot(row),
  });
  return toOrg(row);
}

export async function renameOrg(ctx: Ctx, code: string, name: string): Promise<Org> {
  const before = await findOrg(ctx, code);
  if (before.name === name) return toOrg(before);
  await ctx.tx
    .updateTable('orgs')
    .set({ name, updated_at: new Date() })
    .where('id', '=', before.id)
    .execute();
  const after = await findOrg(ctx, code);
  await audit(ctx, {
    action: 'update',
    entity: 'org',
    entityId: code,
    orgId: after.id,
    before: snapshot(before),
    after: snapshot(after),
  });
  return toOrg(after);
}

// Moves rewrite paths of whole subtrees: one at a time in the whole tree, or two crossing moves
// could each rewrite paths the other just read.
const MOVE_LOCK = 7_364_201_507;

export async function moveOrg(ctx: Ctx, code: string, parentCode: string): Promise<Org> {
  await sql`select pg_advisory_xact_lock(${MOVE_LOCK})`.execute(ctx.tx);
  const node = await findOrg(ctx, code);
  if (node.id === ctx.actor.orgId) throw conflict('You cannot move your own organisation');
  const parent = await findOrg(ctx, parentCode);
  if (parent.path.startsWith(node.path))
    throw conflict('An organisation cannot move under itself or its own subtree');
  if (!parent.active) throw conflict(`Organisation ${parent.code} is deactivated`);
  checkLevel(node.level as OrgLevel, parent.level as OrgLevel);
  if (node.parent_code === parentCode) return toOrg(node);
  const newPath = `${parent.path}${node.code}/`;
  // The node and its whole subtree take the new prefix in one statement.
  await ctx.tx
    .updateTable('orgs')
    .set({
      path: sql`${newPath} || substr(path, ${node.path.length + 1})`,
      updated_at: new Date(),
    })
    .where(sql<boolean>`starts_with(path, ${node.path})`)
    .execute();
  await ctx.tx.updateTable('orgs').set({ parent_id: parent.id }).where('id', '=', node.id).execute();
  const after = await findOrg(ctx, code);
  await audit(ctx, {
    action: 'move',
    entity: 'org',
    entityId: code,
    orgId: after.id,
    before: snapshot(node),
    after: snapshot(after),
  });
  return toOrg(after);
}

export async function setOrgActive(ctx: Ctx, code: string, active: boolean): Promise<Org> {
  const before = await findOrg(ctx, code);
  if (before.id === ctx.actor.orgId)
    throw conflict('You cannot deactivate or reactivate your own organisation');
  if (before.active === active) return toOrg(before);
  if (!active) {
    const child = await ctx.tx
      .selectFrom('orgs')
      .select('code')
      .where('parent_id', '=', before.id)
      .where('active', '=', true)
      .executeTakeFirst();
    if (child) throw conflict(`Deactivate its active sub-organisations first (for example ${child.code})`);
  } else {
    const parent = await ctx.tx
      .selectFrom('orgs')
      .select('active')
      .where('code', '=', before.parent_code ?? '')
      .executeTakeFirst();
    if (parent && !parent.active) throw conflict(`Reactivate its parent ${before.parent_code} first`);
  }
  await ctx.tx
    .updateTable('orgs')
    .set({ active, updated_at: new Date() })
    .where('id', '=', before.id)
    .execute();
  const after = await findOrg(ctx, code);
  await audit(ctx, {
    action: active ? 'activate' : 'deactivate',
    entity: 'org',
    entityId: code,
    orgId: after.id,
    before: { active: before.active },
    after: { active },
  });
  return toOrg(after);
}
