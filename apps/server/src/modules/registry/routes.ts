import {
  ArchivePeaks,
  ArchivePeaksQuery,
  ArchiveStatusCode,
  ArchiveStepInput,
  CreateHousehold,
  DismissDuplicate,
  DueItem,
  DueQuery,
  DuplicateList,
  DuplicateListQuery,
  HouseholdDetail,
  HouseholdList,
  HouseholdListQuery,
  MergeDuplicate,
  MergeResult,
  Objection,
  PersonDetail,
  RaiseObjection,
  RecordVisit,
  ResolveObjection,
  Visit,
} from '@niangjia/contracts';
import { todayInShanghai } from '@niangjia/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getHousehold, takeArchiveStep } from './archives';
import { listDue, listVisits, recordVisit } from './due';
import { dismissDuplicate, listDuplicates, mergeDuplicate } from './duplicates';
import { createHousehold, listHouseholds } from './households';
import { listObjections, raiseObjection, resolveObjection } from './objections';
import { getPerson } from './people';
import { archivePeaks } from './reports';

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
  app.get(
    '/households/:id',
    {
      config: { access: 'registry:read' },
      schema: {
        tags,
        summary: 'One household: people, survey figures, archive and its history, next actions',
        description:
          'With `full=true` (permission person:read_full) the ID numbers are shown whole and each person shown is recorded in the audit trail as a read.',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ full: z.stringbool().default(false) }),
        response: { 200: HouseholdDetail },
      },
    },
    (req) => req.run((ctx) => getHousehold(ctx, req.params.id, { full: req.query.full })),
  );
  app.post(
    '/archives/:id/steps',
    {
      config: { access: 'registry:write' },
      schema: {
        tags,
        summary: 'Take one step of the archive life cycle (legal transitions only)',
        params: z.object({ id: z.uuid() }),
        description:
          'A step that opens a new archive (reopen: 返困 after an exit; resurvey: after a refusal) leaves this one as it is and answers with the new archive as `archiveId`.',
        body: ArchiveStepInput,
        response: {
          200: z.object({
            status: ArchiveStatusCode,
            archiveId: z.uuid().optional().meta({ description: 'The new archive, when the step opened one' }),
          }),
        },
      },
    },
    (req) => req.run((ctx) => takeArchiveStep(ctx, req.params.id, req.body, todayInShanghai())),
  );
  const ArchiveId = z.object({ id: z.uuid() });
  app.get(
    '/archives/:id/objections',
    {
      config: { access: 'registry:read' },
      schema: {
        tags,
        summary: 'Objections raised during publicity',
        params: ArchiveId,
        response: { 200: z.array(Objection) },
      },
    },
    (req) => req.run((ctx) => listObjections(ctx, req.params.id)),
  );
  app.post(
    '/archives/:id/objections',
    {
      config: { access: 'registry:write' },
      schema: {
        tags,
        summary: 'Record an objection raised during publicity (archiving waits until it is resolved)',
        params: ArchiveId,
        body: RaiseObjection,
        response: { 201: Objection },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await req.run((ctx) => raiseObjection(ctx, req.params.id, req.body, todayInShanghai()))),
  );
  app.post(
    '/objections/:id/resolve',
    {
      config: { access: 'registry:approve' },
      schema: {
        tags,
        summary: 'Record how an objection was settled',
        params: z.object({ id: z.uuid() }),
        body: ResolveObjection,
        response: { 200: Objection },
      },
    },
    (req) => req.run((ctx) => resolveObjection(ctx, req.params.id, req.body, todayInShanghai())),
  );
  app.get(
    '/registry/due',
    {
      config: { access: 'registry:read' },
      schema: {
        tags,
        summary: 'Yearly reviews and follow-up visits due in the scope, overdue first',
        querystring: DueQuery,
        response: { 200: z.object({ items: z.array(DueItem) }) },
      },
    },
    (req) => req.run((ctx) => listDue(ctx, req.query, todayInShanghai())),
  );
  app.get(
    '/archives/:id/visits',
    {
      config: { access: 'registry:read' },
      schema: {
        tags,
        summary: 'Follow-up visits of an archive: the one due, then those made with their findings',
        params: ArchiveId,
        response: { 200: z.array(Visit) },
      },
    },
    (req) => req.run((ctx) => listVisits(ctx, req.params.id, todayInShanghai())),
  );
  app.get(
    '/people/:id',
    {
      config: { access: 'registry:read' },
      schema: {
        tags,
        summary: 'One person: their record, households and timeline (ID number masked)',
        description:
          'With `full=true` (permission person:read_full) the ID number and birth date are shown whole and the read is recorded in the audit trail. The bank card is always masked.',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ full: z.stringbool().default(false) }),
        response: { 200: PersonDetail },
      },
    },
    (req) =>
      req.run((ctx) => getPerson(ctx, req.params.id, { full: req.query.full, today: todayInShanghai() })),
  );
  app.get(
    '/registry/reports/archive-peaks',
    {
      config: { access: 'registry:read' },
      schema: {
        tags,
        summary: 'Peak number of archived households per year (Table 3 of the founding report)',
        description:
          'For each year, the largest number of households archived on one day of it, computed from the archives’ history: an archive counts on day d when archived_on ≤ d and it has not exited on or before d.',
        querystring: ArchivePeaksQuery,
        response: { 200: ArchivePeaks },
      },
    },
    (req) => req.run((ctx) => archivePeaks(ctx, req.query)),
  );
  app.get(
    '/registry/duplicates',
    {
      config: { access: 'registry:read' },
      schema: {
        tags,
        summary: 'Possible duplicate people of the scope waiting for review, side by side (masked)',
        querystring: DuplicateListQuery,
        response: { 200: DuplicateList },
      },
    },
    (req) => req.run((ctx) => listDuplicates(ctx, req.query)),
  );
  app.post(
    '/registry/duplicates/:id/dismiss',
    {
      config: { access: 'registry:approve' },
      schema: {
        tags,
        summary: 'Not the same person: the pair leaves the queue for good (the note is audited)',
        params: z.object({ id: z.uuid() }),
        body: DismissDuplicate,
        response: { 204: z.undefined().describe('Done') },
      },
    },
    async (req, reply) => {
      await req.run((ctx) => dismissDuplicate(ctx, req.params.id, req.body));
      return reply.code(204).send();
    },
  );
  app.post(
    '/registry/duplicates/:id/merge',
    {
      config: { access: 'registry:approve' },
      schema: {
        tags,
        summary: 'One person: merge the pair into the record kept; both histories stay',
        description:
          'Moves every reference to the other record (household head, memberships) to the kept one in one transaction; the other record stays with `mergedInto`. Refused (409) when the person would be twice in one household or in two open households.',
        params: z.object({ id: z.uuid() }),
        body: MergeDuplicate,
        response: { 200: MergeResult },
      },
    },
    (req) => req.run((ctx) => mergeDuplicate(ctx, req.params.id, req.body)),
  );
  app.post(
    '/visits/:id/record',
    {
      config: { access: 'registry:write' },
      schema: {
        tags,
        summary: 'Record a follow-up visit with its findings; the next one is scheduled',
        params: z.object({ id: z.uuid() }),
        body: RecordVisit,
        response: { 200: z.object({ nextDueOn: z.iso.date().nullable() }) },
      },
    },
    (req) => req.run((ctx) => recordVisit(ctx, req.params.id, req.body, todayInShanghai())),
  );
};
