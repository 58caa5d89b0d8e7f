import type { FundQuery, FundView, SetFund } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import type { Ctx } from '../../http/context';
import { conflict } from '../../http/errors';
import { audit } from '../audit/service';
import { findOrg } from '../orgs/service';
import { parameterFor } from '../policy/service';

/** What a fund's grants use: approved and held grants commit their amount, paid ones spent it. */
export async function fundUsage(ctx: Ctx, fundIds: readonly string[]) {
  const { rows } = await sql<{ fund_id: string; committed: string; paid: string; training: string }>`
    select g.fund_id,
           coalesce(sum(g.amount_fen) filter (where g.status in ('approved', 'objected')), 0)::text as committed,
           coalesce(sum(g.amount_fen) filter (where g.status = 'paid'), 0)::text as paid,
           coalesce(sum(g.amount_fen) filter (where p.aid_type = 'training'), 0)::text as training
    from grants g join programs p on p.id = g.program_id
    where g.fund_id = any(${fundIds as string[]}::uuid[]) and g.status in ('approved', 'objected', 'paid')
    group by g.fund_id`.execute(ctx.tx);
  return new Map(
    rows.map((r) => [
      r.fund_id,
      { committed: Number(r.committed), paid: Number(r.paid), training: Number(r.training) },
    ]),
  );
}

/**
 * What a central-finance budget may spend on training: its trainingShareOfCentralFunds (a ratio in
 * ten-thousandths) in force for the organisation on the year's first day; undefined without one.
 */
export async function trainingLimitOf(
  ctx: Ctx,
  orgId: string,
  year: number,
  budgetFen: number,
): Promise<number | undefined> {
  const share = await parameterFor(ctx, orgId, 'trainingShareOfCentralFunds', `${year}-01-01`);
  return share ? Math.floor((budgetFen * share.value) / 10_000) : undefined;
}

export async function listFunds(ctx: Ctx, q: FundQuery): Promise<FundView[]> {
  let query = ctx.tx
    .selectFrom('funds as f')
    .innerJoin('orgs as o', 'o.id', 'f.org_id')
    .select(['f.id', 'o.code', 'o.name', 'f.source', 'f.year', 'f.budget_fen', 'f.note']);
  if (q.org) {
    const org = await findOrg(ctx, q.org);
    query = query.where(sql<boolean>`starts_with(o.path, ${org.path})`);
  }
  if (q.year) query = query.where('f.year', '=', q.year);
  const rows = await query.orderBy('f.year', 'desc').orderBy('o.code').orderBy('f.source').execute();
  const usage = await fundUsage(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const u = usage.get(r.id) ?? { committed: 0, paid: 0, training: 0 };
    return {
      id: r.id,
      org: r.code,
      orgName: r.name,
      source: r.source as FundView['source'],
      year: r.year,
      budgetFen: r.budget_fen,
      committedFen: u.committed,
      paidFen: u.paid,
      availableFen: r.budget_fen - u.committed - u.paid,
      trainingFen: u.training,
      note: r.note,
    };
  });
}

/**
 * Sets a fund's budget for a year (created the first time). A budget below what its grants have
 * committed and paid is refused: it would leave the fund overspent. The fund's row is locked, as an
 * approval locks it, so the check and the change are one.
 */
export async function setFund(ctx: Ctx, input: SetFund): Promise<FundView> {
  const org = await findOrg(ctx, input.org);
  const existing = await ctx.tx
    .selectFrom('funds')
    .selectAll()
    .where('org_id', '=', org.id)
    .where('source', '=', input.source)
    .where('year', '=', input.year)
    .forUpdate()
    .executeTakeFirst();
  if (existing) {
    const u = (await fundUsage(ctx, [existing.id])).get(existing.id);
    const used = (u?.committed ?? 0) + (u?.paid ?? 0);
    if (input.budgetFen < used)
      throw conflict('The budget would be below what its grants have committed and paid', {
        code: 'budget_below_use',
        usedFen: used,
      });
    // Central-finance funds: training may keep at most its share of the new budget too.
    if (input.source === 'central_finance' && (u?.training ?? 0) > 0) {
      const limit = (await trainingLimitOf(ctx, org.id, input.year, input.budgetFen)) ?? 0;
      if ((u?.training ?? 0) > limit)
        throw conflict('Training would pass its share of the smaller budget', {
          code: 'training_share',
          limitFen: limit,
          trainingFen: u?.training ?? 0,
          zh: '调整后中央财政资金用于培训的比例将超过上限',
        });
    }
    await ctx.tx
      .updateTable('funds')
      .set({ budget_fen: input.budgetFen, note: input.note ?? existing.note, updated_at: new Date() })
      .where('id', '=', existing.id)
      .execute();
    await audit(ctx, {
      action: 'update',
      entity: 'fund',
      entityId: existing.id,
      orgId: org.id,
      before: { budgetFen: existing.budget_fen },
      after: { budgetFen: input.budgetFen },
    });
  } else {
    const created = await ctx.tx
      .insertInto('funds')
      .values({
        org_id: org.id,
        source: input.source,
        year: input.year,
        budget_fen: input.budgetFen,
        note: input.note ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: 'create',
      entity: 'fund',
      entityId: created.id,
      orgId: org.id,
      after: { source: input.source, year: input.year, budgetFen: input.budgetFen },
    });
  }
  const [view] = (await listFunds(ctx, { org: input.org, year: input.year })).filter(
    (f) => f.org === input.org && f.source === input.source,
  );
  return view as FundView;
}
