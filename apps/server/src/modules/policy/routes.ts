import { PassThrough } from 'node:stream';
import {
  EvaluateHousehold,
  ExitCandidate,
  ExitCandidatesQuery,
  exclusionSchema,
  HouseholdEvaluation,
  ParameterVersionView,
  PolicyVersionsQuery,
  RuleSetVersionView,
  SetExclusions,
  SetParameter,
  SetRuleSet,
  SetUrgency,
  SimulationRequest,
  SimulationResultView,
  URGENCIES,
  XLSX_MEDIA_TYPE,
} from '@niangjia/contracts';
import { todayInShanghai } from '@niangjia/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../http/context';
import { badRequest } from '../../http/errors';
import { audit } from '../audit/service';
import { queueEvaluation } from './evaluation-job';
import { evaluateOne, householdEvaluations } from './evaluations';
import { setExclusions } from './exclusions';
import { exitCandidates } from './exits';
import { parameterHistory, ruleSetHistory, setParameter, setRuleSet } from './service';
import { simulate } from './simulation';
import { EXPORT_ROWS, writeSimulationWorkbook } from './simulation-export';
import { setUrgency } from './urgency';

const CHANGED =
  'Every household of the organisation’s subtree is then evaluated again as of today, in the background: `evaluationJobId` is the job (GET /api/v1/jobs/{id}), whose result counts the decisions by category and lists the first that changed.';

/** After a policy change, the subtree's households evaluated again as of today, in the background. */
const reevaluate = (ctx: Ctx, org: string) =>
  queueEvaluation(ctx, { mode: 'policy', org, asOf: todayInShanghai() });

export const policyRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['policy'];
  const HouseholdId = z.object({ id: z.uuid() });
  app.get(
    '/households/:id/evaluations',
    {
      config: { access: 'registry:read' },
      schema: {
        tags,
        summary: "A household's stored identification decisions, newest first, explained",
        params: HouseholdId,
        response: { 200: z.array(HouseholdEvaluation) },
      },
    },
    (req) => req.run((ctx) => householdEvaluations(ctx, req.params.id)),
  );
  app.post(
    '/households/:id/evaluations',
    {
      config: { access: 'registry:write' },
      schema: {
        tags,
        summary:
          'Evaluate a household now under the policy in force for its organisation, and store the decision',
        params: HouseholdId,
        body: EvaluateHousehold,
        response: { 201: HouseholdEvaluation.extend({ changed: z.boolean() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await req.run((ctx) => {
          const today = todayInShanghai();
          const asOf = req.body.asOf ?? today;
          if (asOf > today)
            throw badRequest('A household is evaluated as of today or an earlier day', [
              { path: ['body', 'asOf'], message: '评估日期不能晚于今天' },
            ]);
          return evaluateOne(ctx, req.params.id, asOf, 'demand');
        }),
      ),
  );
  app.post(
    '/households/:id/exclusions',
    {
      config: { access: 'registry:write' },
      schema: {
        tags,
        summary: 'Set the exclusions found for a household, with the reason; it is evaluated again at once',
        description:
          'Exclusions refuse a household whatever its income where its union applies them (the rule set option applyExclusions).',
        params: HouseholdId,
        body: SetExclusions,
        response: { 200: z.object({ exclusions: z.array(exclusionSchema) }) },
      },
    },
    (req) => req.run((ctx) => setExclusions(ctx, req.params.id, req.body, todayInShanghai())),
  );
  app.post(
    '/archives/:id/urgency',
    {
      config: { access: 'registry:write' },
      schema: {
        tags,
        summary:
          "Set an archive's urgency with a reason (the rules then leave it alone), or give it back to the rules",
        params: z.object({ id: z.uuid() }),
        body: SetUrgency,
        response: {
          200: z.object({
            urgency: z.enum(URGENCIES.map((u) => u.code) as ['normal', 'urgent', 'critical']),
            urgencyManual: z.boolean(),
            urgencyReason: z.string().nullable(),
          }),
        },
      },
    },
    (req) => req.run((ctx) => setUrgency(ctx, req.params.id, req.body, todayInShanghai())),
  );
  app.get(
    '/registry/exits',
    {
      config: { access: 'registry:read' },
      schema: {
        tags,
        summary: 'Archived households the exit rules point at on a date, each with its reasons',
        description:
          'Without an objective cause (1, 6, 7, 8 or a disabled member) for longer than exitYearsWithoutObjectiveCause years since archiving; or with the recorded monthly income per person above 低保 for exitMonthsAboveDibao consecutive months. Exiting stays a step a person takes.',
        querystring: ExitCandidatesQuery,
        response: {
          200: z.object({
            asOf: z.iso.date(),
            items: z.array(ExitCandidate),
            /** Organisations left out for want of the rules' values. */
            unavailable: z.array(z.object({ org: z.string(), message: z.string() })),
          }),
        },
      },
    },
    async (req) => {
      const asOf = req.query.asOf ?? todayInShanghai();
      // Batches of the list each in a transaction of the request's scope.
      const { items, unavailable } = await exitCandidates((fn) => req.run(fn), { asOf, org: req.query.org });
      return { asOf, items, unavailable };
    },
  );
  app.get(
    '/policy/parameters',
    {
      config: { access: 'policy:read' },
      schema: {
        tags,
        summary: "Every version of the parameters that apply to an organisation (its own and its ancestors')",
        querystring: PolicyVersionsQuery,
        response: { 200: z.array(ParameterVersionView) },
      },
    },
    (req) => req.run((ctx) => parameterHistory(ctx, req.query.org, req.query.key)),
  );
  app.post(
    '/policy/parameters',
    {
      config: { access: 'policy:write' },
      schema: {
        tags,
        summary:
          'Set a parameter of an organisation from a date (an open-ended earlier version ends the day before)',
        description: CHANGED,
        body: SetParameter,
        response: { 201: ParameterVersionView.extend({ evaluationJobId: z.uuid() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await req.run(async (ctx) => ({
          ...(await setParameter(ctx, req.body)),
          evaluationJobId: await reevaluate(ctx, req.body.org),
        })),
      ),
  );
  app.post(
    '/policy/simulations',
    {
      config: { access: 'policy:read' },
      schema: {
        tags,
        summary:
          'What-if: every household not exited, evaluated under a base policy and a proposal; nothing is written',
        description:
          'Parameters a policy file does not name come from the values in force for each household’s organisation on the date. The answer counts both sides by category with their yearly living-aid cost, who enters and who leaves by category, cause, organisation and migrant status, and lists the first 200 households whose decision differs with both traces.',
        body: SimulationRequest,
        response: { 200: SimulationResultView },
      },
    },
    async (req) => {
      const asOf = req.body.asOf ?? todayInShanghai();
      const result = await simulate((fn) => req.run(fn), { ...req.body, asOf });
      return { asOf, ...result };
    },
  );
  app.post(
    '/policy/simulations/export.xlsx',
    {
      config: { access: 'policy:read' },
      schema: {
        tags,
        summary:
          'The same what-if as a workbook: the summary with its breakdowns, and the households whose decision differs',
        body: SimulationRequest,
      },
    },
    async (req, reply) => {
      const asOf = req.body.asOf ?? todayInShanghai();
      // Worked out before a byte is sent: a policy that cannot be applied is a JSON error.
      const result = await simulate((fn) => req.run(fn), {
        ...req.body,
        asOf,
        keepChanged: 0,
        keepRows: EXPORT_ROWS,
      });
      const org = req.body.org ?? req.actor?.orgCode ?? '';
      // The workbook names the households whose decision differs: recorded as a read of them.
      await req.run((ctx) =>
        audit(ctx, {
          action: 'read',
          entity: 'simulation_export',
          entityId: null,
          orgId: ctx.actor.orgId,
          after: { org, asOf, changed: result.changedCount },
        }),
      );
      const out = new PassThrough();
      void writeSimulationWorkbook(out, result, {
        base: req.body.base,
        proposal: req.body.proposal,
        asOf,
        org,
      }).catch((err) => {
        req.log.error({ err: { message: (err as Error).message } }, 'simulation export failed');
        out.destroy(err as Error);
      });
      return reply
        .type(XLSX_MEDIA_TYPE)
        .header(
          'content-disposition',
          `attachment; filename="simulation.xlsx"; filename*=UTF-8''${encodeURIComponent(`标准测算-${asOf}.xlsx`)}`,
        )
        .send(out);
    },
  );
  app.get(
    '/policy/rule-sets',
    {
      config: { access: 'policy:read' },
      schema: {
        tags,
        summary: 'The rule sets chosen for an organisation and its ancestors, dated',
        querystring: PolicyVersionsQuery.pick({ org: true }),
        response: { 200: z.array(RuleSetVersionView) },
      },
    },
    (req) => req.run((ctx) => ruleSetHistory(ctx, req.query.org)),
  );
  app.post(
    '/policy/rule-sets',
    {
      config: { access: 'policy:write' },
      schema: {
        tags,
        summary: 'Choose the rule set and options an organisation applies from a date',
        description: CHANGED,
        body: SetRuleSet,
        response: { 201: RuleSetVersionView.extend({ evaluationJobId: z.uuid() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await req.run(async (ctx) => ({
          ...(await setRuleSet(ctx, req.body)),
          evaluationJobId: await reevaluate(ctx, req.body.org),
        })),
      ),
  );
};
