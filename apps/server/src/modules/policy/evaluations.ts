/**
 * Households evaluated under the policy in force for their organisation on a date (issue 4): when
 * surveyed, at review, on demand, or all of a subtree again after a parameter or rule set changed.
 * Each evaluation is stored with everything it used (ADR 0015), so a past decision never changes.
 * Work is set-based by batches: one query reads a batch's facts, the policy is looked up once per
 * organisation, one statement stores the batch's decisions and one its audit entries.
 */
import type {
  ArchiveCategory,
  Exclusion,
  HardshipCause,
  HouseholdEvaluation,
  PolicyOptions,
  RuleSet,
} from '@niangjia/contracts';
import { bulkInsert, sql } from '@niangjia/db';
import {
  type CalendarDate,
  describeEvaluation,
  type Evaluation,
  evaluateHousehold,
  type HouseholdFacts,
  MissingParameterError,
  type Policy,
} from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { AppError, notFound } from '../../http/errors';
import { auditMany } from '../audit/service';
import { parametersInForce, ruleSetInForce } from './service';

export type EvaluationReason = 'survey' | 'review' | 'demand' | 'bulk';

interface FactsRow {
  id: string;
  org_id: string;
  org_code: string;
  head_migrant_worker: boolean;
  archive_id: string | null;
  survey_date: string | null;
  primary_cause: string | null;
  secondary_causes: string[] | null;
  exclusions: string[];
  wage_income_fen: number;
  business_income_fen: number;
  property_income_fen: number;
  transfer_income_fen: number;
  other_income_fen: number;
  medical_cost_fen: number;
  disability_cost_fen: number;
  education_cost_fen: number;
  housing_cost_fen: number;
  other_rigid_cost_fen: number;
  employment_cost_fen: number;
  /** The head first, then the members in the order they were added. */
  people: { role: 'head' | 'member'; birthDate: string; health: string | null; activity: string | null }[];
}

export interface HouseholdToEvaluate {
  id: string;
  orgId: string;
  orgCode: string;
  migrant: boolean;
  archiveId: string | null;
  surveyDate: CalendarDate | null;
  facts: HouseholdFacts;
}

/** The facts of a batch of households, as the rule sets read them, in one query. */
export async function loadFacts(ctx: Ctx, ids: readonly string[]): Promise<HouseholdToEvaluate[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<FactsRow>`
    SELECT h.id, h.org_id, o.code AS org_code, h.head_migrant_worker, a.id AS archive_id, h.survey_date, a.primary_cause, a.secondary_causes,
           h.exclusions, h.wage_income_fen, h.business_income_fen, h.property_income_fen,
           h.transfer_income_fen, h.other_income_fen, h.medical_cost_fen, h.disability_cost_fen,
           h.education_cost_fen, h.housing_cost_fen, h.other_rigid_cost_fen, h.employment_cost_fen,
           json_build_array(json_build_object('role', 'head', 'birthDate', hp.birth_date,
                                              'health', hp.health, 'activity', hp.activity))::jsonb
           || coalesce((SELECT jsonb_agg(jsonb_build_object('role', 'member', 'birthDate', p.birth_date,
                                        'health', coalesce(m.health, p.health),
                                        'activity', coalesce(m.activity, p.activity))
                                        ORDER BY m.created_at, m.id)
                        FROM household_members m JOIN people p ON p.id = m.person_id
                        WHERE m.household_id = h.id), '[]'::jsonb) AS people
    FROM households h
    JOIN orgs o ON o.id = h.org_id
    JOIN people hp ON hp.id = h.head_person_id
    LEFT JOIN LATERAL niangjia_current_archive(h.id) a ON true
    WHERE h.id = ANY(${ids as string[]}::uuid[])`.execute(ctx.tx);
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    orgCode: r.org_code,
    migrant: r.head_migrant_worker,
    archiveId: r.archive_id,
    surveyDate: r.survey_date,
    facts: {
      income: {
        wage: Number(r.wage_income_fen),
        business: Number(r.business_income_fen),
        property: Number(r.property_income_fen),
        transfer: Number(r.transfer_income_fen),
        other: Number(r.other_income_fen),
      },
      costs: {
        medical: Number(r.medical_cost_fen),
        disability: Number(r.disability_cost_fen),
        education: Number(r.education_cost_fen),
        housing: Number(r.housing_cost_fen),
        otherRigid: Number(r.other_rigid_cost_fen),
        employment: Number(r.employment_cost_fen),
      },
      people: r.people,
      causes: {
        primary: (r.primary_cause as HardshipCause | null) ?? null,
        secondary: (r.secondary_causes ?? []) as HardshipCause[],
      },
      exclusions: r.exclusions as Exclusion[],
    },
  }));
}

/** A policy that cannot be had for an organisation on a date, and why. */
interface Unavailable {
  unavailable: string;
}

/** The policy in force for an organisation on a date, or why there is none (a 409 naming it). */
async function policyOf(ctx: Ctx, orgId: string, orgCode: string, asOf: CalendarDate): Promise<Policy> {
  const ruleSet = await ruleSetInForce(ctx, orgId, asOf);
  if (!ruleSet)
    throw new AppError(
      'conflict',
      `No rule set is in force for ${orgCode} on ${asOf}: choose one first (niangjia policy rule-set)`,
    );
  return {
    ruleSet: ruleSet.ruleSet as RuleSet,
    options: ruleSet.options as PolicyOptions,
    parameters: await parametersInForce(ctx, orgId, asOf),
  };
}

export interface StoredEvaluation {
  id: string;
  householdId: string;
  archiveId: string | null;
  reason: EvaluationReason;
  evaluation: Evaluation;
  /** The category of the household's previous evaluation (undefined: none before). */
  previous: { eligible: boolean; category: ArchiveCategory | null } | undefined;
}

const EVALUATION_COLUMNS = {
  id: 'uuid',
  household_id: 'uuid',
  archive_id: 'uuid',
  org_id: 'uuid',
  as_of: 'date',
  reason: 'text',
  rule_set: 'text',
  eligible: 'boolean',
  category: 'text',
  monthly_income_fen: 'bigint',
  decision: 'jsonb',
  inputs: 'jsonb',
} as const;

/** Why a household could not be evaluated: no rule set, or a parameter, in force on its date. */
export interface Unevaluated {
  householdId: string;
  asOf: CalendarDate;
  message: string;
}

/**
 * Evaluates households (all in the caller's scope) and stores each decision, in the caller's
 * transaction. The date is one for all, or `survey` (each household's survey date, else `today`).
 * Without a policy in force for a household, `missing: 'throw'` refuses the whole batch (409) and
 * `'skip'` leaves that household out and says why. `policies` caches each organisation's policy on
 * each date across batches.
 */
export async function evaluateHouseholds(
  ctx: Ctx,
  ids: readonly string[],
  options: {
    asOf: CalendarDate | { survey: true; today: CalendarDate };
    reason: EvaluationReason;
    policies?: Map<string, Policy | Unavailable>;
    missing?: 'throw' | 'skip';
  },
): Promise<StoredEvaluation[] & { skipped?: Unevaluated[] }> {
  const households = await loadFacts(ctx, ids);
  const policies = options.policies ?? new Map<string, Policy | Unavailable>();
  const previous = await latestEvaluations(
    ctx,
    households.map((h) => h.id),
  );
  const stored: StoredEvaluation[] & { skipped?: Unevaluated[] } = [];
  const skipped: Unevaluated[] = [];
  const dates = new Map<string, CalendarDate>();
  for (const h of households) {
    const asOf = typeof options.asOf === 'string' ? options.asOf : (h.surveyDate ?? options.asOf.today);
    const key = `${h.orgId}|${asOf}`;
    let policy = policies.get(key);
    if (!policy) {
      policy = await policyOf(ctx, h.orgId, h.orgCode, asOf).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'conflict') return { unavailable: err.message };
        throw err;
      });
      policies.set(key, policy);
    }
    let evaluation: Evaluation | undefined;
    let problem: string | undefined;
    if ('unavailable' in policy) problem = policy.unavailable;
    else {
      try {
        evaluation = evaluateHousehold(h.facts, policy, asOf);
      } catch (err) {
        if (!(err instanceof MissingParameterError)) throw err;
        problem = `No value of ${err.keys.join(', ')} is in force for ${h.orgCode} on ${asOf} (rule set ${err.ruleSet}): set it first (niangjia policy set)`;
      }
    }
    if (!evaluation) {
      if (options.missing !== 'skip') throw new AppError('conflict', problem as string);
      skipped.push({ householdId: h.id, asOf, message: problem as string });
      continue;
    }
    dates.set(h.id, asOf);
    stored.push({
      id: crypto.randomUUID(),
      householdId: h.id,
      archiveId: h.archiveId,
      reason: options.reason,
      evaluation,
      previous: previous.get(h.id),
    });
  }
  stored.skipped = skipped;
  const byId = new Map(households.map((h) => [h.id, h]));
  await bulkInsert(
    ctx.tx,
    'evaluations',
    EVALUATION_COLUMNS,
    stored.map((s) => {
      const h = byId.get(s.householdId) as HouseholdToEvaluate;
      return {
        id: s.id,
        household_id: s.householdId,
        archive_id: s.archiveId,
        org_id: h.orgId,
        as_of: dates.get(s.householdId) as CalendarDate,
        reason: s.reason,
        rule_set: s.evaluation.ruleSet,
        eligible: s.evaluation.eligible,
        category: s.evaluation.category,
        monthly_income_fen: s.evaluation.perCapita.monthlyIncomeFen,
        decision: s.evaluation,
        inputs: h.facts,
      };
    }),
  );
  await auditMany(
    ctx,
    stored.map((s) => ({
      action: 'create',
      entity: 'evaluation',
      entityId: s.id,
      orgId: (byId.get(s.householdId) as HouseholdToEvaluate).orgId,
      after: {
        householdId: s.householdId,
        asOf: dates.get(s.householdId),
        reason: s.reason,
        ruleSet: s.evaluation.ruleSet,
        eligible: s.evaluation.eligible,
        category: s.evaluation.category,
      },
    })),
  );
  return stored;
}

/** The newest stored decision of each household, for telling what a new evaluation changed. */
async function latestEvaluations(ctx: Ctx, ids: readonly string[]) {
  const out = new Map<string, { eligible: boolean; category: ArchiveCategory | null }>();
  if (ids.length === 0) return out;
  const { rows } = await sql<{ household_id: string; eligible: boolean; category: string | null }>`
    SELECT DISTINCT ON (household_id) household_id, eligible, category
    FROM evaluations
    WHERE household_id = ANY(${ids as string[]}::uuid[])
    ORDER BY household_id, created_at DESC, id DESC`.execute(ctx.tx);
  for (const r of rows)
    out.set(r.household_id, { eligible: r.eligible, category: r.category as ArchiveCategory | null });
  return out;
}

/** Whether a new decision differs from the household's previous one (a first decision is a change). */
export const changed = (s: StoredEvaluation) =>
  s.previous === undefined ||
  s.previous.eligible !== s.evaluation.eligible ||
  s.previous.category !== s.evaluation.category;

/** A household of the caller's scope, or a 404 as for one that does not exist. */
async function requireHousehold(ctx: Ctx, householdId: string): Promise<void> {
  const visible = await ctx.tx
    .selectFrom('households')
    .select('id')
    .where('id', '=', householdId)
    .executeTakeFirst();
  if (!visible) throw notFound('Household');
}

/** One household evaluated now, stored, and explained in both languages. */
export async function evaluateOne(
  ctx: Ctx,
  householdId: string,
  asOf: CalendarDate,
  reason: EvaluationReason,
): Promise<HouseholdEvaluation & { changed: boolean }> {
  await requireHousehold(ctx, householdId);
  const [stored] = await evaluateHouseholds(ctx, [householdId], { asOf, reason });
  const s = stored as StoredEvaluation;
  return {
    id: s.id,
    asOf,
    reason,
    evaluatedAt: new Date().toISOString(),
    evaluation: s.evaluation,
    explanation: { zh: describeEvaluation(s.evaluation, 'zh'), en: describeEvaluation(s.evaluation, 'en') },
    changed: changed(s),
  };
}

/** A household's stored decisions, newest first, each with its explanation. */
export async function householdEvaluations(ctx: Ctx, householdId: string): Promise<HouseholdEvaluation[]> {
  await requireHousehold(ctx, householdId);
  const rows = await ctx.tx
    .selectFrom('evaluations')
    .select(['id', 'as_of', 'reason', 'decision', 'created_at'])
    .where('household_id', '=', householdId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => {
    const evaluation = r.decision as Evaluation;
    return {
      id: r.id,
      asOf: r.as_of,
      reason: r.reason as EvaluationReason,
      evaluatedAt: r.created_at.toISOString(),
      evaluation,
      explanation: { zh: describeEvaluation(evaluation, 'zh'), en: describeEvaluation(evaluation, 'en') },
    };
  });
}

export interface BulkEvaluationReport {
  evaluated: number;
  changed: number;
  /** New decisions by category; `ineligible` counts the households no category fits. */
  byCategory: Record<string, number>;
}

/** What a background evaluation tells besides its counts: the first changes and the households left out. */
export interface BulkEvaluationDetails extends BulkEvaluationReport {
  skipped: number;
  /** The first `CHANGES_KEPT` households whose decision changed, with before and after. */
  changes: { householdId: string; before: string | null; after: string }[];
  /** The first `CHANGES_KEPT` households left out, and why. */
  unevaluated: Unevaluated[];
}

const BATCH = 1_000;
export const CHANGES_KEPT = 200;
const outcome = (e: { eligible: boolean; category: string | null }) => e.category ?? 'ineligible';

/**
 * Households evaluated again and stored, batch by batch, each batch one transaction: every
 * household of a subtree (the runner's whole scope without `org`), or only those an import wrote
 * `since` an instant. The policy of each organisation is looked up once per date for the run.
 */
export async function evaluateAll(
  run: <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>,
  options: {
    org?: string;
    since?: string;
    asOf: CalendarDate | { survey: true; today: CalendarDate };
    reason?: EvaluationReason;
    missing?: 'throw' | 'skip';
    onProgress?: (done: number, total: number) => void | Promise<void>;
  },
): Promise<BulkEvaluationDetails> {
  const since = options.since === undefined ? undefined : new Date(options.since);
  const scope = await run(async (ctx) => {
    let path: string | undefined;
    if (options.org) {
      const org = await ctx.tx
        .selectFrom('orgs')
        .select('path')
        .where('code', '=', options.org)
        .executeTakeFirst();
      if (!org) throw notFound(`Organisation ${options.org}`);
      path = org.path;
    }
    const total = await ctx.tx
      .selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .$if(path !== undefined, (q) => q.where(sql<boolean>`starts_with(org_path, ${path})`))
      .$if(since !== undefined, (q) => q.where('updated_at', '>=', since as Date))
      .executeTakeFirstOrThrow();
    return { path, total: Number(total.n) };
  });
  const report: BulkEvaluationDetails = {
    evaluated: 0,
    changed: 0,
    byCategory: {},
    skipped: 0,
    changes: [],
    unevaluated: [],
  };
  const policies = new Map<string, Policy | Unavailable>();
  let after: string | undefined;
  for (;;) {
    const batch = await run(async (ctx) => {
      const ids = await ctx.tx
        .selectFrom('households')
        .select('id')
        .$if(scope.path !== undefined, (q) => q.where(sql<boolean>`starts_with(org_path, ${scope.path})`))
        .$if(since !== undefined, (q) => q.where('updated_at', '>=', since as Date))
        .$if(after !== undefined, (q) => q.where('id', '>', after as string))
        .orderBy('id')
        .limit(BATCH)
        .execute();
      const stored = await evaluateHouseholds(
        ctx,
        ids.map((r) => r.id),
        {
          asOf: options.asOf,
          reason: options.reason ?? 'bulk',
          policies,
          missing: options.missing ?? 'throw',
        },
      );
      return { last: ids.at(-1)?.id, read: ids.length, stored };
    });
    for (const s of batch.stored) {
      report.evaluated++;
      const now = outcome(s.evaluation);
      if (changed(s)) {
        report.changed++;
        if (report.changes.length < CHANGES_KEPT)
          report.changes.push({
            householdId: s.householdId,
            before: s.previous ? outcome(s.previous) : null,
            after: now,
          });
      }
      report.byCategory[now] = (report.byCategory[now] ?? 0) + 1;
    }
    for (const u of batch.stored.skipped ?? []) {
      report.skipped++;
      if (report.unevaluated.length < CHANGES_KEPT) report.unevaluated.push(u);
    }
    await options.onProgress?.(report.evaluated + report.skipped, scope.total);
    if (batch.last === undefined || batch.read < BATCH) break;
    after = batch.last;
  }
  return report;
}
