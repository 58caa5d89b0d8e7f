/**
 * What-if simulation over the population in scope (issue 4): every household whose archive is
 * not exited, evaluated under a base policy and a proposal as of a date, side by side. Nothing is
 * written. Households are read in batches, each in its own read transaction; the parameters in
 * force are looked up once per organisation.
 */
import type { PolicyFile } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import {
  type CalendarDate,
  evaluateHousehold,
  livingAidFen,
  MissingParameterError,
  type Policy,
  type PolicyParameters,
  policyWith,
  type SimulationResult,
  SimulationTally,
} from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { AppError } from '../../http/errors';
import { loadFacts } from './evaluations';
import { orgByCode, parametersInForce } from './service';

const BATCH = 2_000;

export interface SimulationOptions {
  base: PolicyFile;
  proposal: PolicyFile;
  /** Only this organisation's subtree (default: the whole scope). */
  org?: string;
  asOf: CalendarDate;
  /** How many changed households to keep with both decisions (default 200). */
  keepChanged?: number;
  /** How many changed households to keep in brief (default none): for an export. */
  keepRows?: number;
}

export async function simulate(
  run: <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>,
  options: SimulationOptions,
): Promise<SimulationResult> {
  const org = options.org;
  const path = org ? await run(async (ctx) => (await orgByCode(ctx, org)).path) : undefined;
  const tally = new SimulationTally(options.keepChanged ?? 200, options.keepRows ?? 0);
  const inForce = new Map<string, PolicyParameters>();
  let after: string | undefined;
  for (;;) {
    const batch = await run(async (ctx) => {
      const ids = await ctx.tx
        .selectFrom('households')
        .select('id')
        .$if(path !== undefined, (q) => q.where(sql<boolean>`starts_with(org_path, ${path})`))
        .$if(after !== undefined, (q) => q.where('id', '>', after as string))
        .orderBy('id')
        .limit(BATCH)
        .execute();
      // Surveyed, in process, archived, returned or refused: every archive but an exited one. The
      // batch is read in the primary key's order and filtered here: a filter on the status in the
      // query made the planner read every household of that status for each batch.
      const households = (
        await loadFacts(
          ctx,
          ids.map((r) => r.id),
        )
      ).filter((h) => h.archiveStatus !== null && h.archiveStatus !== 'exited');
      for (const h of households) {
        if (!inForce.has(h.orgId)) inForce.set(h.orgId, await parametersInForce(ctx, h.orgId, options.asOf));
      }
      return { households, read: ids.length, last: ids.at(-1)?.id };
    });
    for (const h of batch.households) {
      const parameters = inForce.get(h.orgId) as PolicyParameters;
      const side = (file: PolicyFile, name: 'base' | 'proposal') => {
        const policy: Policy = policyWith(parameters, file, options.asOf);
        try {
          const evaluation = evaluateHousehold(h.facts, policy, options.asOf);
          const costFen = livingAidFen(evaluation, policy.parameters);
          if (costFen === undefined)
            throw new AppError(
              'conflict',
              `The ${name} policy has no value of livingAidMonthsDeep, livingAidMonthsRelative or dibaoMonthly for ${h.orgCode} on ${options.asOf}: name it in the policy file or set it`,
            );
          return { evaluation, costFen };
        } catch (err) {
          if (err instanceof MissingParameterError)
            throw new AppError(
              'conflict',
              `The ${name} policy has no value of ${err.keys.join(', ')} for ${h.orgCode} on ${options.asOf}: name it in the policy file or set it`,
            );
          throw err;
        }
      };
      tally.add(
        {
          id: h.id,
          headName: h.headName,
          orgCode: h.orgCode,
          migrant: h.migrant,
          primaryCause: h.facts.causes.primary,
        },
        side(options.base, 'base'),
        side(options.proposal, 'proposal'),
      );
    }
    if (batch.last === undefined || batch.read < BATCH) break;
    after = batch.last;
  }
  return tally.total();
}
