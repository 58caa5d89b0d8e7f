import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LedgerImportJobResult, MAX_REPORTED_PROBLEMS } from '@niangjia/contracts';
import { todayInShanghai } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { notFound } from '../../http/errors';
import { enqueue, type JobHandler } from '../../jobs/runner';
import { findOrg } from '../orgs/service';
import { copyUpload, keepUpload } from '../registry/survey-jobs';
import { countRows } from '../registry/workbook';
import { importLedger } from './ledger-import';

export const LEDGER_IMPORT_JOB = 'ledger-import';

export interface LedgerImportJobInput {
  uploadId: string;
  dryRun: boolean;
  /** The paying organisation of rows without 所属工会. */
  org?: string;
}

/** Keeps an uploaded ledger workbook in the uploader's scope and queues its preview (a dry run). */
export async function startLedgerImport(
  ctx: Ctx,
  file: Buffer,
  filename: string,
  org: string | undefined,
): Promise<{ uploadId: string; jobId: string }> {
  // An organisation outside the scope is refused now, not after the upload's preview.
  if (org) await findOrg(ctx, org);
  const uploadId = await keepUpload(ctx, file, filename, 'ledger');
  const jobId = await queueLedgerImport(ctx, uploadId, true, org);
  return { uploadId, jobId };
}

/** Queues the import of a ledger upload of the scope: a preview or the real one. */
export async function queueLedgerImport(
  ctx: Ctx,
  uploadId: string,
  dryRun: boolean,
  org: string | undefined,
): Promise<string> {
  const upload = await ctx.tx
    .selectFrom('uploads')
    .select(['id', 'kind'])
    .where('id', '=', uploadId)
    .executeTakeFirst();
  if (upload?.kind !== 'ledger') throw notFound('Upload');
  if (org) await findOrg(ctx, org);
  // An import is idempotent (a second run changes nothing), so a run cut short may run again.
  return enqueue({
    kind: LEDGER_IMPORT_JOB,
    input: { uploadId, dryRun, ...(org ? { org } : {}) } satisfies LedgerImportJobInput,
    ctx,
  });
}

/** The background job: copies the upload to a temporary file and imports it, reporting progress. */
export const ledgerImportJob: JobHandler<LedgerImportJobInput, LedgerImportJobResult> = async (job) => {
  const file = join(tmpdir(), `niangjia-ledger-${job.jobId}.xlsx`);
  try {
    const filename = await copyUpload(job.run, job.input.uploadId, file);
    const total = Math.max(1, await countRows(file).catch(() => 1));
    const report = await importLedger(file, job.run, {
      dryRun: job.input.dryRun,
      today: todayInShanghai(),
      org: job.input.org,
      onProgress: (rows) => job.progress(Math.min(0.99, rows / total), `发放记录: ${rows}`),
    });
    return {
      uploadId: job.input.uploadId,
      filename,
      dryRun: job.input.dryRun,
      ...report,
      errors: report.errors.slice(0, MAX_REPORTED_PROBLEMS),
      errorsNotListed: Math.max(0, report.errors.length - MAX_REPORTED_PROBLEMS),
    };
  } finally {
    await rm(file, { force: true });
  }
};
