import type { Ctx } from '../../http/context';
import { enqueue, type JobHandler } from '../../jobs/runner';
import { detectDuplicates } from './duplicates';

export const DUPLICATE_DETECTION_JOB = 'registry-duplicates';

export interface DuplicateDetectionInput {
  /** People registered at or after this instant… */
  since: string;
  /** …by this kind of work ('survey': an import). */
  source: string;
}

const BATCH = 1000;

/** Queues the search for possible duplicates of the people some bulk work has just registered. */
export function queueDuplicateDetection(ctx: Ctx, input: DuplicateDetectionInput): Promise<string> {
  return enqueue({ kind: DUPLICATE_DETECTION_JOB, input, ctx });
}

/**
 * The background job: the scope's people registered since the given instant by the given source,
 * a batch at a time, each batch's possible duplicates queued for review. Running it again finds
 * nothing new (a pair is queued once), so a retried job is harmless.
 */
export const duplicateDetectionJob: JobHandler<
  DuplicateDetectionInput,
  { people: number; queued: number }
> = async (job) => {
  let after = '00000000-0000-0000-0000-000000000000';
  let people = 0;
  let queued = 0;
  for (;;) {
    const ids = await job.run(async (ctx) => {
      const rows = await ctx.tx
        .selectFrom('people')
        .select('id')
        .where('source', '=', job.input.source)
        .where('created_at', '>=', new Date(job.input.since))
        .where('merged_into', 'is', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      const batch = rows.map((r) => r.id);
      queued += await detectDuplicates(ctx, batch);
      return batch;
    });
    people += ids.length;
    await job.progress(0, `${people}`);
    if (ids.length < BATCH) return { people, queued };
    after = ids[ids.length - 1] as string;
  }
};
