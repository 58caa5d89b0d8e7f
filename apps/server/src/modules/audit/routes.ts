import { AuditList, AuditQuery } from '@niangjia/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listAudit } from './service';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit trail of the scope (newest first)',
        querystring: AuditQuery,
        response: { 200: AuditList },
      },
    },
    (req) => req.run((ctx) => listAudit(ctx, req.query)),
  );
};
