import { PassThrough } from 'node:stream';
import {
  AssistanceReport,
  AssistanceReportQuery,
  LedgerListQuery,
  LedgerPage,
  LedgerQuery,
  XLSX_MEDIA_TYPE,
} from '@niangjia/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { audit } from '../audit/service';
import { contentDisposition } from '../registry/import-routes';
import { exportLedger, listLedger } from './ledger';
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
