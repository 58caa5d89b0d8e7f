import { PassThrough } from 'node:stream';
import {
  AssistanceReport,
  AssistanceReportQuery,
  ImportStarted,
  LedgerListQuery,
  LedgerPage,
  LedgerQuery,
  LedgerUploadQuery,
  MAX_UPLOAD_BYTES,
  XLSX_MEDIA_TYPE,
} from '@niangjia/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from '../../http/errors';
import { audit } from '../audit/service';
import { contentDisposition } from '../registry/import-routes';
import { writeWorkbook } from '../registry/workbook';
import { exportLedger, listLedger } from './ledger';
import { queueLedgerImport, startLedgerImport } from './ledger-jobs';
import { LEDGER_WORKBOOK } from './ledger-sheet';
import { writeAssistanceReport } from './report-workbook';
import { assistanceReport } from './reports';

export const assistanceRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['assistance'];

  app.get(
    '/assistance/reports/yearly',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags,
        summary: 'Assistance per year: person-times and amounts (Table 1 of the founding report)',
        description:
          'Computed from the ledger: person-times are payments less reversals, amounts net of reversals, per calendar year of the payment day; with the total, the growth of the last year against the first (a fraction to three decimals), and the same per type of aid and per fund source.',
        querystring: AssistanceReportQuery,
        response: { 200: AssistanceReport },
      },
    },
    (req) => req.run((ctx) => assistanceReport(ctx, req.query)),
  );

  app.get(
    '/assistance/reports/yearly.xlsx',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags,
        summary: 'The yearly assistance report as a workbook',
        querystring: AssistanceReportQuery,
      },
    },
    async (req, reply) => {
      const report = await req.run((ctx) => assistanceReport(ctx, req.query));
      const { from, to, org } = req.query;
      const title = `帮扶救助情况（${from}—${to}${org ? `，${org}` : ''}）`;
      const out = new PassThrough();
      void writeAssistanceReport(out, report, title).catch((err) => out.destroy(err as Error));
      return reply
        .type(XLSX_MEDIA_TYPE)
        .header('content-disposition', contentDisposition(`帮扶救助统计${from}-${to}.xlsx`))
        .send(out);
    },
  );

  app.get(
    '/assistance/ledger',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags,
        summary: 'The assistance ledger, newest first (ID numbers masked)',
        querystring: LedgerListQuery,
        response: { 200: LedgerPage },
      },
    },
    (req) => req.run((ctx) => listLedger(ctx, req.query)),
  );

  // The browser sends the file itself as the body (no multipart form): read whole, up to the limit.
  app.addContentTypeParser(
    [XLSX_MEDIA_TYPE, 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/imports/ledger',
    {
      config: { access: 'assistance:pay' },
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags,
        summary:
          'Upload an assistance ledger workbook (the file as the body) and queue its preview, a dry run',
        description:
          'The body is the .xlsx file. Follow the job (GET /jobs/{id}): its result counts the rows that would be imported, are already in the ledger (unchanged) or are rejected, each problem by sheet, row and column; nothing is saved until POST /imports/ledger/{uploadId}/commit.',
        querystring: LedgerUploadQuery,
        response: { 202: ImportStarted },
      },
    },
    async (req, reply) => {
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw badRequest('No file received', [{ path: ['body'], message: '没有收到文件' }]);
      if (body.length < 4 || body.readUInt32LE(0) !== 0x04034b50)
        throw badRequest('Not an .xlsx workbook', [
          { path: ['body'], message: '文件不是 .xlsx 工作簿（请在表格软件中另存为 .xlsx 格式）' },
        ]);
      const started = await req.run((ctx) => startLedgerImport(ctx, body, req.query.filename, req.query.org));
      return reply.code(202).send(started);
    },
  );

  app.post(
    '/imports/ledger/:uploadId/commit',
    {
      config: { access: 'assistance:pay' },
      schema: {
        tags,
        summary: 'Import an uploaded ledger workbook for real: valid rows are saved, bad rows reported',
        params: z.object({ uploadId: z.uuid() }),
        querystring: LedgerUploadQuery.pick({ org: true }),
        response: { 202: z.object({ jobId: z.uuid() }) },
      },
    },
    async (req, reply) =>
      reply.code(202).send({
        jobId: await req.run((ctx) => queueLedgerImport(ctx, req.params.uploadId, false, req.query.org)),
      }),
  );

  app.get(
    '/imports/ledger/template.xlsx',
    {
      config: { access: 'assistance:read' },
      schema: { tags, summary: 'An empty ledger workbook with exactly the import headers' },
    },
    async (_req, reply) => {
      const out = new PassThrough();
      void writeWorkbook(
        out,
        LEDGER_WORKBOOK.map((spec) => ({ spec, rows: [] })),
      ).catch((err) => out.destroy(err));
      return reply
        .type(XLSX_MEDIA_TYPE)
        .header('content-disposition', contentDisposition('帮扶救助发放台账.xlsx'))
        .send(out);
    },
  );

  app.get(
    '/exports/ledger.xlsx',
    {
      // The workbook holds whole ID numbers: a full view of everyone in it.
      config: { access: 'person:read_full' },
      schema: {
        tags,
        summary: 'The ledger (same filters) as a ledger workbook that imports again unchanged',
        description:
          'Payments standing (a reversed payment is left out with its reversal), oldest first, with the headers of TEMPLATES.md §2.',
        querystring: LedgerQuery,
      },
    },
    async (req, reply) => {
      await req.run((ctx) =>
        audit(ctx, {
          action: 'read',
          entity: 'ledger_export',
          entityId: null,
          orgId: ctx.actor.orgId,
          after: { filters: req.query },
        }),
      );
      const out = new PassThrough();
      void exportLedger(out, (fn) => req.run(fn), req.query).catch((err) => {
        req.log.error({ err: { message: (err as Error).message } }, 'ledger export failed');
        out.destroy(err as Error);
      });
      return reply
        .type(XLSX_MEDIA_TYPE)
        .header('content-disposition', contentDisposition('帮扶救助发放台账.xlsx'))
        .send(out);
    },
  );
};
