/**
 * The exclusions of local rules found for a household (DOMAIN.md: a car, two homes, a controlling
 * shareholder, a high-fee school, refused verification, falsified income): set by a caseworker with
 * the reason, audited, and the household evaluated again at once, since they refuse it wherever its
 * union applies them (issue 4).
 */
import type { Exclusion, SetExclusions } from '@niangjia/contracts';
import type { CalendarDate } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { notFound } from '../../http/errors';
import { audit } from '../audit/service';
import { evaluateHouseholds } from './evaluations';

export async function setExclusions(
  ctx: Ctx,
  householdId: string,
  input: SetExclusions,
  today: CalendarDate,
): Promise<{ exclusions: Exclusion[] }> {
  const h = await ctx.tx
    .selectFrom('households')
    .select(['id', 'org_id', 'exclusions'])
    .where('id', '=', householdId)
    .forUpdate()
    .executeTakeFirst();
  if (!h) throw notFound('Household');
  const exclusions = [...new Set(input.exclusions)].sort();
  await ctx.tx
    .updateTable('households')
    .set({ exclusions, updated_at: new Date() })
    .where('id', '=', householdId)
    .execute();
  await audit(ctx, {
    action: 'update',
    entity: 'household',
    entityId: householdId,
    orgId: h.org_id,
    before: { exclusions: h.exclusions },
    after: { exclusions, exclusionsReason: input.reason },
  });
  await evaluateHouseholds(ctx, [householdId], { asOf: today, reason: 'demand', missing: 'skip' });
  return { exclusions: exclusions as Exclusion[] };
}
