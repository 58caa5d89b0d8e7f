import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_REPORTED_PROBLEMS, type SurveyImportResult } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import { todayInShanghai } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { notFound } from '../../http/errors';
import { enqueue, type JobHandler } from '../../jobs/runner';
import { audit } from '../audit/service';
import { importSurvey } from './survey-import';

export const SURVEY_IMPORT_JOB = 'survey-import';

export interface SurveyImportJobInput {
  uploadId: string;
  dryRun: boolean;
}

/** Keeps an uploaded survey workbook in the scope of the uploader's organisation and queues its preview. */
export async function startSurveyImport(
  ctx: Ctx,
  file: Buffer,
  filename: string,
): Promise<{ uploadId: string; jobId: string }> {
  const uploadId = await keepUpload(ctx, file, filename, 'survey');
  const jobId = await queueSurveyImport(ctx, uploadId, true);
  return { uploadId, jobId };
}

/** Keeps an uploaded file in the scope of the uploader's organisation, audited; returns its id. */
export async function keepUpload(
  ctx: Ctx,
  file: Buffer,
  filename: string,
  kind: 'survey' | 'ledger',
): Promise<string> {
  const sha256 = createHash('sha256').update(file).digest('hex');
  const upload = await ctx.tx
    .insertInto('uploads')
    .values({
      org_id: ctx.actor.orgId,
      created_by: ctx.actor.userId || null,
      kind,
      filename,
      size_bytes: file.length,
      sha256,
      content: file,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, {
    action: 'create',
    entity: 'upload',
    entityId: upload.id,
    orgId: ctx.actor.orgId,
    after: { kind, filename, sizeBytes: file.length, sha256 },
  });
  return upload.id;
}

/** Queues the import of an upload of the scope: a preview (dry run) or the real one. */
export async function queueSurveyImport(ctx: Ctx, uploadId: string, dryRun: boolean): Promise<string> {
  const upload = await ctx.tx
    .selectFrom('uploads')
    .select(['id', 'kind'])
    .where('id', '=', uploadId)
    .executeTakeFirst();
  if (upload?.kind !== 'survey') throw notFound('Upload');
  // An import is idempotent (a second run changes nothing), so a run cut short may run again.
  return enqueue({
    kind: SURVEY_IMPORT_JOB,
    input: { uploadId, dryRun } satisfies SurveyImportJobInput,
    ctx,
  });
}

const CHUNK = 1024 * 1024;

/** Copies an upload out of the database to a file, a mebibyte at a time (never whole in memory). */
export async function copyUpload(
  run: <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>,
  uploadId: string,
  file: string,
) {
  const meta = await run((ctx) =>
    ctx.tx
      .selectFrom('uploads')
      .select(['filename', 'size_bytes'])
      .where('id', '=', uploadId)
      .executeTakeFirst(),
  );
  if (!meta) throw new Error(`upload ${uploadId} is gone`);
  const out = await open(file, 'w');
  try {
    for (let offset = 0; offset < meta.size_bytes; offset += CHUNK) {
      const chunk = await run(async (ctx) => {
        const { rows } = await sql<{ part: Buffer }>`
          select substring(content from ${offset + 1} for ${CHUNK}) as part from uploads where id = ${uploadId}`.execute(
          ctx.tx,
        );
        return rows[0]?.part;
      });
      if (!chunk) throw new Error(`upload ${uploadId} is gone`);
      await out.write(Buffer.from(chunk));
    }
  } finally {
    await out.close();
  }
  return meta.filename;
}

/** The background job: copies the upload to a temporary file and imports it, reporting progress. */
export const surveyImportJob: JobHandler<SurveyImportJobInput, SurveyImportResult> = async (job) => {
  const file = join(tmpdir(), `niangjia-import-${job.jobId}.xlsx`);
  try {
    const filename = await copyUpload(job.run, job.input.uploadId, file);
    const report = await importSurvey(file, job.run, {
      dryRun: job.input.dryRun,
      today: todayInShanghai(),
      onProgress: (p) => job.progress(p.fraction, `${p.sheet}: ${p.rows}`),
    });
    const errorsNotListed = Math.max(0, report.errors.length - MAX_REPORTED_PROBLEMS);
    return {
      uploadId: job.input.uploadId,
      filename,
      dryRun: job.input.dryRun,
      households: report.households,
      members: report.members,
      errors: report.errors.slice(0, MAX_REPORTED_PROBLEMS),
      warnings: report.warnings,
      errorsNotListed,
    };
  } finally {
    await rm(file, { force: true });
  }
};
