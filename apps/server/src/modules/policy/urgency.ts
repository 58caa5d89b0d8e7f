/**
 * A caseworker's urgency for an archive (issue 4): set with a reason, after which the rules leave
 * it alone, or given back to the rules, which derive it again at once (an evaluation on demand).
 */
import type { SetUrgency, Urgency } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import type { CalendarDate } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { conflict, notFound } from '../../http/errors';
import { audit } from '../audit/service';
import { evaluateHouseholds } from './evaluations';

export async function setUrgency(
  ctx: Ctx,
  archiveId: string,
  input: SetUrgency,
  today: CalendarDate,
): Promise<{ urgency: Urgency; urgencyManual: boolean; urgencyReason: string | null }> {
  const a = await ctx.tx
    .selectFrom('archives')
    .select(['id', 'household_id', 'org_id', 'status', 'urgency', 'urgency_manual', 'urgency_reason'])
    .where('id', '=', archiveId)
    .forUpdate()
    .executeTakeFirst();
  if (!a) throw notFound('Archive');
  if (a.status === 'exited' || a.status === 'refused') throw conflict('A closed archive keeps its urgency');
  const current = await sql<{
    id: string;
  }>`SELECT id FROM niangjia_current_archive(${a.household_id})`.execute(ctx.tx);
  if (current.rows[0]?.id !== archiveId)
    throw conflict("Only the household's current archive has an urgency to change");
  const manual = input.urgency !== 'derived';
  await ctx.tx
    .updateTable('archives')
    .set({
      ...(manual ? { urgency: input.urgency } : {}),
      urgency_manual: manual,
      // Given back to the rules, the reason is theirs again (derived at once, below).
      urgency_reason: manual ? input.reason : null,
      updated_at: new Date(),
    })
    .where('id', '=', archiveId)
    .execute();
  await audit(ctx, {
    action: 'update',
    entity: 'archive',
    entityId: archiveId,
    orgId: a.org_id,
    before: { urgency: a.urgency, urgencyManual: a.urgency_manual, urgencyReason: a.urgency_reason },
    after: {
      urgency: manual ? input.urgency : a.urgency,
      urgencyManual: manual,
      urgencyReason: input.reason,
    },
  });
  // Back to the rules: they give it again now, from a decision made today.
  if (!manual)
    await evaluateHouseholds(ctx, [a.household_id], { asOf: today, reason: 'demand', missing: 'skip' });
  const after = await ctx.tx
    .selectFrom('archives')
    .select(['urgency', 'urgency_manual', 'urgency_reason'])
    .where('id', '=', archiveId)
    .executeTakeFirstOrThrow();
  return {
    urgency: after.urgency as Urgency,
    urgencyManual: after.urgency_manual,
    urgencyReason: after.urgency_reason,
  };
}
