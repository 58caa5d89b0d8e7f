import { type Database, pendingMigrations, sql } from '@niangjia/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Health = z.object({ status: z.literal('ok') });
const Ready = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['embedded', 'server']),
  reachable: z.boolean(),
  pendingMigrations: z.array(z.string()),
});

export const systemRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: { tags: ['system'], summary: 'The process is up', response: { 200: Health } },
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'The database is reachable and its migrations are current',
        response: { 200: Ready, 503: Ready },
      },
      logLevel: 'warn',
    },
    async (_req, reply) => {
      let reachable = true;
      let pending: string[] = [];
      try {
        await sql`select 1`.execute(db.kysely);
        pending = await pendingMigrations(db);
      } catch {
        reachable = false;
      }
      const ready = reachable && pending.length === 0;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        database: db.kind,
        reachable,
        pendingMigrations: pending,
      });
    },
  );
};
