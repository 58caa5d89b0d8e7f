import type { CreateProgram, ProgramView } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import type { Ctx } from '../../http/context';
import { notFound } from '../../http/errors';
import { audit } from '../audit/service';
import { findOrg } from '../orgs/service';

export interface ProgramRow {
  id: string;
  org_id: string;
  org_code: string;
  org_name: string;
  org_path: string;
  name: string;
  aid_type: string;
  starts_on: string;
  ends_on: string;
  fund_sources: string[];
  eligible_statuses: string[];
  eligible_categories: string[];
  default_amount_fen: number | null;
  publicity_working_days: number;
}

function programs(ctx: Ctx) {
  return ctx.tx
    .selectFrom('programs as p')
    .innerJoin('orgs as o', 'o.id', 'p.org_id')
    .select([
      'p.id',
      'p.org_id',
      'o.code as org_code',
      'o.name as org_name',
      'o.path as org_path',
      'p.name',
      'p.aid_type',
      'p.starts_on',
      'p.ends_on',
      'p.fund_sources',
      'p.eligible_statuses',
      'p.eligible_categories',
      'p.default_amount_fen',
      'p.publicity_working_days',
    ]);
}

export async function programRow(ctx: Ctx, id: string): Promise<ProgramRow> {
  const row = await programs(ctx).where('p.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Program');
  return row;
}

async function views(ctx: Ctx, rows: ProgramRow[]): Promise<ProgramView[]> {
  const ids = rows.map((r) => r.id);
  const { rows: tallies } = await sql<{ program_id: string; status: string; n: number; fen: string }>`
    select program_id, status, count(*)::int as n, sum(amount_fen)::text as fen
    from grants where program_id = any(${ids}::uuid[]) group by program_id, status`.execute(ctx.tx);
  return rows.map((r) => {
    const mine = tallies.filter((t) => t.program_id === r.id);
    return {
      id: r.id,
      org: r.org_code,
      orgName: r.org_name,
      name: r.name,
      aidType: r.aid_type as ProgramView['aidType'],
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      fundSources: r.fund_sources as ProgramView['fundSources'],
      eligibleStatuses: r.eligible_statuses,
      eligibleCategories: r.eligible_categories,
      defaultAmountFen: r.default_amount_fen,
      publicityWorkingDays: r.publicity_working_days,
      counts: Object.fromEntries(mine.map((t) => [t.status, Number(t.n)])),
      amounts: Object.fromEntries(mine.map((t) => [t.status, Number(t.fen)])),
    };
  });
}

export async function getProgram(ctx: Ctx, id: string): Promise<ProgramView> {
  return (await views(ctx, [await programRow(ctx, id)]))[0] as ProgramView;
}

export async function listPrograms(ctx: Ctx, q: { org?: string; year?: number }): Promise<ProgramView[]> {
  let query = programs(ctx);
  if (q.org) query = query.where(sql<boolean>`starts_with(o.path, ${(await findOrg(ctx, q.org)).path})`);
  if (q.year) query = query.where(sql<boolean>`extract(year from p.starts_on) = ${q.year}`);
  return views(ctx, await query.orderBy('p.starts_on', 'desc').orderBy('p.name').limit(500).execute());
}

export async function createProgram(ctx: Ctx, input: CreateProgram): Promise<ProgramView> {
  const org = await findOrg(ctx, input.org);
  const created = await ctx.tx
    .insertInto('programs')
    .values({
      org_id: org.id,
      name: input.name,
      aid_type: input.aidType,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      fund_sources: [...new Set(input.fundSources)],
      eligible_statuses: input.eligibleStatuses,
      eligible_categories: input.eligibleCategories,
      default_amount_fen: input.defaultAmountFen ?? null,
      publicity_working_days: input.publicityWorkingDays,
      created_by: ctx.actor.userId || null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, {
    action: 'create',
    entity: 'program',
    entityId: created.id,
    orgId: org.id,
    after: { ...input },
  });
  return getProgram(ctx, created.id);
}
