import { PassThrough } from 'node:stream';
import {
  ApproveAllResult,
  AssistanceReport,
  AssistanceReportQuery,
  BatchProposed,
  ChangeGrantAmount,
  CreateProgram,
  Decide,
  FundQuery,
  FundView,
  GrantList,
  GrantQuery,
  GrantView,
  HouseholdAssistance,
  ImportStarted,
  LedgerLine,
  LedgerListQuery,
  LedgerPage,
  LedgerQuery,
  LedgerUploadQuery,
  MAX_UPLOAD_BYTES,
  PayGrant,
  ProgramQuery,
  ProgramView,
  ProposeBatch,
  ProposeGrant,
  RaiseGrantObjection,
  Reject,
  ResolveGrantObjection,
  ReversePayment,
  SetFund,
  XLSX_MEDIA_TYPE,
} from '@niangjia/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from '../../http/errors';
import { audit } from '../audit/service';
import { contentDisposition, isZip } from '../registry/import-routes';
import { writeWorkbook } from '../registry/workbook';
import { listFunds, setFund } from './funds';
import {
  approveAll,
  approveGrant,
  changeAmount,
  getGrant,
  listGrants,
  payGrant,
  proposeBatch,
  proposeGrant,
  raiseObjection,
  rejectGrant,
  resolveObjection,
  reversePayment,
} from './grants';
import { exportLedger, listLedger, reverseLedgerLine } from './ledger';
import { queueLedgerImport, startLedgerImport } from './ledger-jobs';
import { LEDGER_WORKBOOK } from './ledger-sheet';
import { createProgram, getProgram, listPrograms } from './programs';
import { writeAssistanceReport } from './report-workbook';
import { assistanceReport } from './reports';
import { householdAssistance } from './timeline';

export const assistanceRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['assistance'];

  const Id = z.object({ id: z.uuid() });

  app.get(
    '/households/:id/assistance',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags,
        summary: "A household's assistance in a year, per type, against the caps that apply to it",
        params: Id,
        querystring: z.object({ year: z.coerce.number().int().min(1990).max(2100) }),
        response: { 200: HouseholdAssistance },
      },
    },
    (req) => req.run((ctx) => householdAssistance(ctx, req.params.id, req.query.year)),
  );
  app.get(
    '/assistance/funds',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags,
        summary: 'Fund budgets with what their grants committed and paid',
        querystring: FundQuery,
        response: { 200: z.array(FundView) },
      },
    },
    (req) => req.run((ctx) => listFunds(ctx, req.query)),
  );
  app.put(
    '/assistance/funds',
    {
      config: { access: 'assistance:approve' },
      schema: {
        tags,
        summary: "Set a fund source's budget for a year at an organisation",
        body: SetFund,
        response: { 200: FundView },
      },
    },
    (req) => req.run((ctx) => setFund(ctx, req.body)),
  );
  app.get(
    '/assistance/programs',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags,
        summary: 'Programs and campaigns, with their grants counted by status',
        querystring: ProgramQuery,
        response: { 200: z.array(ProgramView) },
      },
    },
    (req) => req.run((ctx) => listPrograms(ctx, req.query)),
  );
  app.post(
    '/assistance/programs',
    {
      config: { access: 'assistance:approve' },
      schema: {
        tags,
        summary: 'Create a program or campaign',
        body: CreateProgram,
        response: { 201: ProgramView },
      },
    },
    async (req, reply) => reply.code(201).send(await req.run((ctx) => createProgram(ctx, req.body))),
  );
  app.get(
    '/assistance/programs/:id',
    {
      config: { access: 'assistance:read' },
      schema: { tags, summary: 'One program', params: Id, response: { 200: ProgramView } },
    },
    (req) => req.run((ctx) => getProgram(ctx, req.params.id)),
  );
  app.post(
    '/assistance/programs/:id/approve-all',
    {
      config: { access: 'assistance:approve' },
      schema: {
        tags,
        summary:
          'Approve every proposed grant of the program the caller may approve, as far as the funds allow',
        params: Id,
        response: { 200: ApproveAllResult },
      },
    },
    (req) => req.run((ctx) => approveAll(ctx, req.params.id)),
  );
  app.get(
    '/assistance/grants',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags,
        summary: 'Grants (ID numbers masked)',
        querystring: GrantQuery,
        response: { 200: GrantList },
      },
    },
    (req) => req.run((ctx) => listGrants(ctx, req.query)),
  );
  app.post(
    '/assistance/grants',
    {
      config: { access: 'assistance:propose' },
      schema: {
        tags,
        summary: "Propose one grant: the amount is the program's, or the cap, and may not pass the cap",
        body: ProposeGrant,
        response: { 201: GrantView },
      },
    },
    async (req, reply) => reply.code(201).send(await req.run((ctx) => proposeGrant(ctx, req.body))),
  );
  app.post(
    '/assistance/grants/batch',
    {
      config: { access: 'assistance:propose' },
      schema: {
        tags,
        summary: "Propose the program to the head of every household the list's filters give",
        body: ProposeBatch,
        response: { 200: BatchProposed },
      },
    },
    (req) => req.run((ctx) => proposeBatch(ctx, req.body)),
  );
  app.get(
    '/assistance/grants/:id',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags,
        summary: 'One grant, with its payment (the receipt)',
        params: Id,
        response: { 200: GrantView },
      },
    },
    (req) => req.run((ctx) => getGrant(ctx, req.params.id)),
  );
  app.put(
    '/assistance/grants/:id/amount',
    {
      config: { access: 'assistance:propose' },
      schema: {
        tags,
        summary: 'Change a proposed grant’s amount within its cap',
        params: Id,
        body: ChangeGrantAmount,
        response: { 200: GrantView },
      },
    },
    (req) => req.run((ctx) => changeAmount(ctx, req.params.id, req.body.amountFen)),
  );
  app.post(
    '/assistance/grants/:id/approve',
    {
      config: { access: 'assistance:approve' },
      schema: {
        tags,
        summary: 'Approve a grant (the first of two approvals, or the last), never one’s own proposal',
        params: Id,
        body: Decide,
        response: { 200: GrantView },
      },
    },
    (req) => req.run((ctx) => approveGrant(ctx, req.params.id, req.body.note)),
  );
  app.post(
    '/assistance/grants/:id/reject',
    {
      config: { access: 'assistance:approve' },
      schema: {
        tags,
        summary: 'Reject a proposed grant',
        params: Id,
        body: Reject,
        response: { 200: GrantView },
      },
    },
    (req) => req.run((ctx) => rejectGrant(ctx, req.params.id, req.body.reason)),
  );
  app.post(
    '/assistance/grants/:id/objection',
    {
      config: { access: 'assistance:propose' },
      schema: {
        tags,
        summary: 'Record an objection raised during publicity: the grant is held',
        params: Id,
        body: RaiseGrantObjection,
        response: { 200: GrantView },
      },
    },
    (req) => req.run((ctx) => raiseObjection(ctx, req.params.id, req.body.content)),
  );
  app.post(
    '/assistance/grants/:id/objection/resolve',
    {
      config: { access: 'assistance:approve' },
      schema: {
        tags,
        summary: 'Resolve an objection: upheld cancels the grant',
        params: Id,
        body: ResolveGrantObjection,
        response: { 200: GrantView },
      },
    },
    (req) => req.run((ctx) => resolveObjection(ctx, req.params.id, req.body.upheld, req.body.resolution)),
  );
  app.post(
    '/assistance/grants/:id/pay',
    {
      config: { access: 'assistance:pay' },
      schema: {
        tags,
        summary:
          'Record the payment of an approved grant after its publicity; a paid grant is never paid again',
        params: Id,
        body: PayGrant,
        response: { 200: GrantView },
      },
    },
    (req) => req.run((ctx) => payGrant(ctx, req.params.id, req.body)),
  );
  app.post(
    '/assistance/grants/:id/reverse',
    {
      config: { access: 'assistance:approve' },
      schema: {
        tags,
        summary: 'Reverse a payment by a reversing ledger line with the reason',
        params: Id,
        body: ReversePayment,
        response: { 200: GrantView },
      },
    },
    (req) => req.run((ctx) => reversePayment(ctx, req.params.id, req.body)),
  );

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
      if (!isZip(body))
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

  app.post(
    '/assistance/ledger/:id/reverse',
    {
      config: { access: 'assistance:approve' },
      schema: {
        tags,
        summary: 'Reverse a payment of imported history by a reversing line with the reason',
        description:
          "The payment is never changed: a reversing line (its amount negated, on the payment's day) is added. A grant's payment is reversed through the grant (POST /assistance/grants/{id}/reverse).",
        params: Id,
        body: Reject,
        response: { 200: LedgerLine },
      },
    },
    (req) => req.run((ctx) => reverseLedgerLine(ctx, req.params.id, req.body.reason)),
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
