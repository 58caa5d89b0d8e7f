import type { DueItem, DueQuery, Visit } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import { addDays, maskResidentId } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { badRequest, conflict, notFound } from '../../http/errors';
import { audit } from '../audit/service';
import { recordIncome } from '../policy/exits';

/**
 * What is due in the scope up to a horizon: yearly reviews of archived households, and follow-up
 * visits not yet made, overdue first; visits can be limited to one caseworker's.
 */
export async function listDue(ctx: Ctx, q: DueQuery, today: string): Promise<{ items: DueItem[] }> {
  const horizon = q.until ?? addDays(today, 30);
  const base = ctx.tx
    .selectFrom('archives as a')
    .innerJoin('households as h', 'h.id', 'a.household_id')
    .innerJoin('people as p', 'p.id', 'h.head_person_id')
    .innerJoin('orgs as o', 'o.id', 'a.org_id');
  if (q.kind === 'review') {
    const rows = await base
      .select([
        'a.id as archive_id',
        'h.id as household_id',
        'p.name',
        'p.id_number',
        'o.code',
        'a.next_review_on as due_on',
      ])
      .where('a.status', '=', 'archived')
      .where('a.next_review_on', '<=', horizon)
      .orderBy('a.next_review_on')
      .limit(q.limit)
      .execute();
    return {
      items: rows.map((r) => ({
        kind: 'review' as const,
        archiveId: r.archive_id,
        householdId: r.household_id,
        visitId: null,
        headName: r.name,
        headIdMasked: maskResidentId(r.id_number),
        orgCode: r.code,
        dueOn: r.due_on as string,
        overdue: (r.due_on as string) < today,
        caseworker: null,
      })),
    };
  }
  let visits = base
    .innerJoin('visits as v', 'v.archive_id', 'a.id')
    .leftJoin('users as u', 'u.id', 'v.caseworker_id')
    .select([
      'a.id as archive_id',
      'h.id as household_id',
      'v.id as visit_id',
      'p.name',
      'p.id_number',
      'o.code',
      'v.due_on',
      'u.username',
    ])
    .where('v.visited_on', 'is', null)
    .where('a.status', '=', 'archived')
    .where('v.due_on', '<=', horizon);
  if (q.caseworker) visits = visits.where('u.username', '=', q.caseworker);
  const rows = await visits.orderBy('v.due_on').limit(q.limit).execute();
  return {
    items: rows.map((r) => ({
      kind: 'visit' as const,
      archiveId: r.archive_id,
      householdId: r.household_id,
      visitId: r.visit_id,
      headName: r.name,
      headIdMasked: maskResidentId(r.id_number),
      orgCode: r.code,
      dueOn: r.due_on,
      overdue: r.due_on < today,
      caseworker: r.username ?? null,
    })),
  };
}

/** Records a follow-up visit (回访) with its findings, and schedules the next one. */
export async function recordVisit(
  ctx: Ctx,
  visitId: string,
  input: { visitedOn?: string; findings: string; monthlyIncomeFen?: number },
  today: string,
): Promise<{ nextDueOn: string | null }> {
  const v = await ctx.tx
    .selectFrom('visits as v')
    .innerJoin('archives as a', 'a.id', 'v.archive_id')
    .select([
      'v.id',
      'v.visited_on',
      'v.archive_id',
      'a.household_id',
      'a.org_id',
      'a.status',
      'a.visit_interval_days',
      'a.archived_on',
    ])
    .where('v.id', '=', visitId)
    .forUpdate(['v'])
    .executeTakeFirst();
  if (!v) throw notFound('Visit');
  if (v.visited_on) throw conflict('This visit is recorded already');
  const visitedOn = input.visitedOn ?? today;
  if (visitedOn > today || (v.archived_on && visitedOn < v.archived_on))
    throw badRequest('The visit is dated in the future or before the archive', [
      { path: ['body', 'visitedOn'], message: '日期须在建档之后、今天之前' },
    ]);
  await ctx.tx
    .updateTable('visits')
    .set({ visited_on: visitedOn, findings: input.findings, caseworker_id: ctx.actor.userId || null })
    .where('id', '=', visitId)
    .execute();
  let nextDueOn: string | null = null;
  if (v.status === 'archived') {
    nextDueOn = addDays(visitedOn, v.visit_interval_days);
    await ctx.tx
      .insertInto('visits')
      .values({
        archive_id: v.archive_id,
        org_id: v.org_id,
        due_on: nextDueOn,
        caseworker_id: ctx.actor.userId || null,
      })
      .execute();
  }
  if (input.monthlyIncomeFen !== undefined)
    await recordIncome(ctx, {
      householdId: v.household_id,
      orgId: v.org_id,
      onDate: visitedOn,
      monthlyIncomeFen: input.monthlyIncomeFen,
      source: 'visit',
    });
  await audit(ctx, {
    action: 'update',
    entity: 'visit',
    entityId: visitId,
    orgId: v.org_id,
    before: { visitedOn: null },
    after: {
      visitedOn,
      nextDueOn,
      ...(input.monthlyIncomeFen !== undefined ? { monthlyIncomeFen: input.monthlyIncomeFen } : {}),
    },
  });
  return { nextDueOn };
}

/** The follow-up visits of an archive, the next one due first, then those made, newest first. */
export async function listVisits(ctx: Ctx, archiveId: string, today: string): Promise<Visit[]> {
  const archive = await ctx.tx
    .selectFrom('archives')
    .select('status')
    .where('id', '=', archiveId)
    .executeTakeFirst();
  if (!archive) throw notFound('Archive');
  const rows = await ctx.tx
    .selectFrom('visits as v')
    .leftJoin('users as u', 'u.id', 'v.caseworker_id')
    .select(['v.id', 'v.due_on', 'v.visited_on', 'v.findings', 'u.username'])
    .where('v.archive_id', '=', archiveId)
    .orderBy(sql`v.visited_on is null`, 'desc')
    .orderBy(sql`coalesce(v.visited_on, v.due_on)`, 'desc')
    .orderBy('v.created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    dueOn: r.due_on,
    visitedOn: r.visited_on,
    findings: r.findings,
    caseworker: r.username ?? null,
    // Only an archived household's visits fall due (as in the due lists).
    overdue: r.visited_on === null && archive.status === 'archived' && r.due_on < today,
  }));
}
