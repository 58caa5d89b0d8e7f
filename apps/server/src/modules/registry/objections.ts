import type { Objection, RaiseObjection, ResolveObjection } from '@niangjia/contracts';
import type { Ctx } from '../../http/context';
import { badRequest, conflict, notFound } from '../../http/errors';
import { audit } from '../audit/service';

type Row = {
  id: string;
  raised_on: string;
  raised_by: string | null;
  content: string;
  resolved_on: string | null;
  resolution: string | null;
  upheld: boolean | null;
};

function toObjection(r: Row): Objection {
  return {
    id: r.id,
    raisedOn: r.raised_on,
    raisedBy: r.raised_by,
    content: r.content,
    resolvedOn: r.resolved_on,
    resolution: r.resolution,
    upheld: r.upheld,
  };
}

export async function listObjections(ctx: Ctx, archiveId: string): Promise<Objection[]> {
  const archive = await ctx.tx
    .selectFrom('archives')
    .select('id')
    .where('id', '=', archiveId)
    .executeTakeFirst();
  if (!archive) throw notFound('Archive');
  const rows = await ctx.tx
    .selectFrom('publicity_objections')
    .selectAll()
    .where('archive_id', '=', archiveId)
    .orderBy('raised_on')
    .orderBy('created_at')
    .execute();
  return rows.map(toObjection);
}

/** An objection to a household's archive, raised during its publicity (公示). */
export async function raiseObjection(ctx: Ctx, archiveId: string, input: RaiseObjection, today: string) {
  const a = await ctx.tx
    .selectFrom('archives')
    .select(['id', 'status', 'org_id', 'publicity_started_on'])
    .where('id', '=', archiveId)
    .forUpdate()
    .executeTakeFirst();
  if (!a) throw notFound('Archive');
  if (a.status !== 'publicity')
    throw conflict('Objections are raised while the archive is in publicity', { status: a.status });
  const raisedOn = input.raisedOn ?? today;
  if (raisedOn > today || (a.publicity_started_on && raisedOn < a.publicity_started_on))
    throw badRequest('The objection is dated outside the publicity', [
      { path: ['body', 'raisedOn'], message: '日期须在公示开始之后、今天之前' },
    ]);
  const row = await ctx.tx
    .insertInto('publicity_objections')
    .values({
      archive_id: archiveId,
      raised_on: raisedOn,
      raised_by: input.raisedBy ?? null,
      content: input.content,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(ctx, {
    action: 'create',
    entity: 'objection',
    entityId: row.id,
    orgId: a.org_id,
    after: { archiveId, raisedOn },
  });
  return toObjection(row);
}

/** Records how an objection was settled; archiving waits until none is open. */
export async function resolveObjection(
  ctx: Ctx,
  objectionId: string,
  input: ResolveObjection,
  today: string,
) {
  const o = await ctx.tx
    .selectFrom('publicity_objections as po')
    .innerJoin('archives as a', 'a.id', 'po.archive_id')
    .select(['po.id', 'po.raised_on', 'po.resolved_on', 'a.org_id'])
    .where('po.id', '=', objectionId)
    .forUpdate(['po'])
    .executeTakeFirst();
  if (!o) throw notFound('Objection');
  if (o.resolved_on) throw conflict('This objection is resolved already');
  const resolvedOn = input.resolvedOn ?? today;
  if (resolvedOn > today || resolvedOn < o.raised_on)
    throw badRequest('The resolution is dated before the objection or in the future', [
      { path: ['body', 'resolvedOn'], message: '日期须在提出异议之后、今天之前' },
    ]);
  const row = await ctx.tx
    .updateTable('publicity_objections')
    .set({ resolved_on: resolvedOn, resolution: input.resolution, upheld: input.upheld })
    .where('id', '=', objectionId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(ctx, {
    action: 'update',
    entity: 'objection',
    entityId: objectionId,
    orgId: o.org_id,
    before: { resolvedOn: null },
    after: { resolvedOn, upheld: input.upheld },
  });
  return toObjection(row);
}
