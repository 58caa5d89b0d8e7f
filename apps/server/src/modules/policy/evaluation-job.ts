import type { CalendarDate } from '@niangjia/domain';
import { todayInShanghai } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { enqueue, type JobHandler } from '../../jobs/runner';
import { type BulkEvaluationDetails, evaluateAll } from './evaluations';

export const EVALUATION_JOB = 'policy-evaluate';

export type EvaluationJobInput =
  /** After an import: the households it wrote since the instant, each as of its survey date. */
  | { mode: 'survey'; since: string }
  /** After a policy change: every household of the subtree (default: the queuing user's scope). */
  | { mode: 'policy'; org?: string; asOf: CalendarDate };

/** Queues an evaluation in the background, in the caller's transaction. */
export function queueEvaluation(ctx: Ctx, input: EvaluationJobInput): Promise<string> {
  return enqueue({ kind: EVALUATION_JOB, input, ctx });
}

/**
 * The background evaluation: batch by batch, each decision stored; households without a policy in
 * force on their date are left out and listed, never failing the rest. Its result lists the first
 * changes. Running it again on the same day stores nothing new where facts and policy are unchanged.
 */
export const evaluationJob: JobHandler<EvaluationJobInput, BulkEvaluationDetails> = (job) => {
  const input = job.input;
  const progress = (done: number, total: number) =>
    job.progress(total === 0 ? 1 : Math.min(1, done / total), `${done} / ${total}`);
  const scope =
    input.mode === 'survey'
      ? ({ since: input.since, asOf: { survey: true, today: todayInShanghai() }, reason: 'survey' } as const)
      : // A change of policy concerns households still in the archive or on their way into it.
        ({ org: input.org, asOf: input.asOf, reason: 'bulk', openOnly: true } as const);
  return evaluateAll((fn) => job.run(fn), { ...scope, missing: 'skip', onProgress: progress });
};
