import { PassThrough } from 'node:stream';
import {
  HouseholdFilters,
  ImportStarted,
  MAX_UPLOAD_BYTES,
  UploadQuery,
  XLSX_MEDIA_TYPE,
} from '@niangjia/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from '../../http/errors';
import { audit } from '../audit/service';
import { exportSurvey } from './survey-export';
import { queueSurveyImport, startSurveyImport } from './survey-jobs';
import { SURVEY_WORKBOOK, writeWorkbook } from './workbook';

/** An .xlsx file is a zip archive: it starts with a local file header. */
export const isZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;

/** The survey workbook from the browser: upload → preview (a dry-run job) → import (a job), its template, and the export of a filtered list. */
export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['registry'];
  // The browser sends the file itself as the body (no multipart form): read whole, up to the limit.
  app.addContentTypeParser(
    [XLSX_MEDIA_TYPE, 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/imports/survey',
    {
      config: { access: 'registry:write' },
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags,
        summary: 'Upload a survey workbook (the file as the body) and queue its preview, a dry run',
        description:
          'The body is the .xlsx file (Content-Type ' +
          `${XLSX_MEDIA_TYPE} or application/octet-stream). Follow the job (GET /jobs/{id}): ` +
          'its result lists every problem by sheet, row and column; nothing is saved until ' +
          'POST /imports/survey/{uploadId}/commit.',
        querystring: UploadQuery,
        response: { 202: ImportStarted },
      },
    },
    async (req, reply) => {
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw badRequest('No file received', [{ path: ['body'], message: '没有收到文件' }]);
      if (!isZip(body))
        throw badRequest('Not an .xlsx workbook', [
          { path: ['body'], message: '文件不是 .xlsx 工作簿（请在表格软件中另存为 .xlsx 格式）' },
        ]);
      const started = await req.run((ctx) => startSurveyImport(ctx, body, req.query.filename));
      return reply.code(202).send(started);
    },
  );

  app.post(
    '/imports/survey/:uploadId/commit',
    {
      config: { access: 'registry:write' },
      schema: {
        tags,
        summary: 'Import an uploaded survey workbook for real: valid rows are saved, bad rows reported',
        params: z.object({ uploadId: z.uuid() }),
        response: { 202: z.object({ jobId: z.uuid() }) },
      },
    },
    async (req, reply) =>
      reply
        .code(202)
        .send({ jobId: await req.run((ctx) => queueSurveyImport(ctx, req.params.uploadId, false)) }),
  );

  app.get(
    '/imports/survey/template.xlsx',
    {
      config: { access: 'registry:read' },
      schema: { tags, summary: 'An empty survey workbook with exactly the import headers' },
    },
    async (_req, reply) => {
      const out = new PassThrough();
      void writeWorkbook(
        out,
        SURVEY_WORKBOOK.map((spec) => ({ spec, rows: [] })),
      ).catch((err) => out.destroy(err));
      return reply
        .type(XLSX_MEDIA_TYPE)
        .header('content-disposition', contentDisposition('困难职工摸底调查表.xlsx'))
        .send(out);
    },
  );

  app.get(
    '/exports/households.xlsx',
    {
      // The workbook holds whole ID numbers: a full view of everyone in it.
      config: { access: 'person:read_full' },
      schema: {
        tags,
        summary: "The list's households (same filters) as a survey workbook that imports again unchanged",
        querystring: HouseholdFilters,
      },
    },
    async (req, reply) => {
      // Recorded before a byte leaves: the export is a full view of everyone in it.
      await req.run((ctx) =>
        audit(ctx, {
          action: 'read',
          entity: 'household_export',
          entityId: null,
          orgId: ctx.actor.orgId,
          after: { filters: req.query },
        }),
      );
      const out = new PassThrough();
      // Streamed while it is written; each batch is read in its own scoped transaction.
      void exportSurvey(out, (fn) => req.run(fn), req.query).catch((err) => {
        req.log.error({ err: { message: (err as Error).message } }, 'household export failed');
        out.destroy(err as Error);
      });
      return reply
        .type(XLSX_MEDIA_TYPE)
        .header('content-disposition', contentDisposition('困难职工家庭.xlsx'))
        .send(out);
    },
  );
};

/** RFC 6266 with a UTF-8 filename (Chinese), and an ASCII fallback. */
export function contentDisposition(name: string): string {
  return `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
