import { Job } from '@niangjia/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../http/errors';

/** Progress of background work, for the page that started it (imports, bulk evaluation). */
export const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/jobs/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['jobs'],
        summary: 'One background job of the scope: status, progress, result',
        params: z.object({ id: z.uuid() }),
        response: { 200: Job },
      },
    },
    (req) =>
      req.run(async (ctx) => {
        const row = await ctx.tx
          .selectFrom('jobs')
          .selectAll()
          .where('id', '=', req.params.id)
          .executeTakeFirst();
        if (!row) throw notFound('Job');
        return {
          id: row.id,
          kind: row.kind,
          status: row.status as Job['status'],
          progress: (row.progress ?? null) as Job['progress'],
          result: row.result ?? null,
          error: row.error,
          attempts: row.attempts,
          createdAt: row.created_at.toISOString(),
          startedAt: row.started_at?.toISOString() ?? null,
          finishedAt: row.finished_at?.toISOString() ?? null,
        };
      }),
  );
};
