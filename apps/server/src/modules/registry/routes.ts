import { CreateHousehold, HouseholdList, HouseholdListQuery } from '@niangjia/contracts';
import { todayInShanghai } from '@niangjia/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createHousehold, listHouseholds } from './households';

export const registryRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['registry'];
  app.get(
    '/households',
    {
      config: { access: 'registry:read' },
      schema: {
        tags,
        summary: 'Households of the scope, filtered and paged (ID numbers masked)',
        querystring: HouseholdListQuery,
        response: { 200: HouseholdList },
      },
    },
    (req) => req.run((ctx) => listHouseholds(ctx, req.query)),
  );
  app.post(
    '/households',
    {
      config: { access: 'registry:write' },
      schema: {
        tags,
        summary: 'Register a surveyed household: people, members, survey items, archive (surveyed)',
        body: CreateHousehold,
        response: { 201: z.object({ id: z.uuid(), archiveId: z.uuid() }) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await req.run((ctx) => createHousehold(ctx, req.body, { today: todayInShanghai() }))),
  );
};
