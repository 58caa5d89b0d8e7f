import { z } from 'zod';

/** The largest workbook an upload may carry (a 100,000-household survey is about 15 MiB). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** The media type of an .xlsx workbook, as browsers send it. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One problem of an import, where it is in the workbook (`row` is the Excel row; the header is 1). */
export const ImportProblem = z
  .object({
    sheet: z.string(),
    row: z.number().int().optional(),
    column: z.string().optional(),
    message: z.string(),
  })
  .meta({ id: 'ImportProblem' });
export type ImportProblem = z.infer<typeof ImportProblem>;

/**
 * What a survey import did (or, as a preview, would do): the report of `niangjia import survey
 * --json`, plus the warnings and, for a very bad file, how many problems were left out.
 */
export const SurveyImportResult = z
  .object({
    uploadId: z.uuid(),
    filename: z.string(),
    dryRun: z.boolean(),
    households: z.object({
      imported: z.number().int(),
      updated: z.number().int(),
      rejected: z.number().int(),
    }),
    members: z.object({ imported: z.number().int(), rejected: z.number().int() }),
    errors: z.array(ImportProblem),
    warnings: z.array(ImportProblem),
    /** Problems beyond the first MAX_REPORTED_PROBLEMS, counted but not listed. */
    errorsNotListed: z.number().int(),
  })
  .meta({ id: 'SurveyImportResult' });
export type SurveyImportResult = z.infer<typeof SurveyImportResult>;

/** Problems listed in a job's result; a file with more is reported by count beyond these. */
export const MAX_REPORTED_PROBLEMS = 10_000;

/** An upload received and its preview (a dry run) queued. */
export const ImportStarted = z.object({ uploadId: z.uuid(), jobId: z.uuid() }).meta({ id: 'ImportStarted' });
export type ImportStarted = z.infer<typeof ImportStarted>;

export const UploadQuery = z.object({
  /** The file's name as the user chose it, shown back in the report. */
  filename: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((name) => name.toLowerCase().endsWith('.xlsx'), { message: '请上传 .xlsx 格式的工作簿' }),
});
