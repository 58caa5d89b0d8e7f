/**
 * Households evaluated under the policy in force for their organisation on a date (issue 4): when
 * surveyed, at review, on demand, or all of a subtree again after a parameter or rule set changed.
 * A decision keeps what it used (ADR 0015): the policy, as a snapshot shared by the households that
 * read the same values, and the household's facts; its trace is the rule set run again on exactly
 * these. Work is set-based by batches: one query reads a batch's facts with each household's
 * current outcome, one statement stores the decisions, one the outcomes that changed, and the
 * audit trail gets one entry per decision (one per batch for a bulk re-evaluation).
 */
import { createHash } from 'node:crypto';
import type {
  ArchiveCategory,
  ArchiveOrigin,
  Exclusion,
  HardshipCause,
  HouseholdEvaluation,
  PolicyOptions,
  RuleSet,
} from '@niangjia/contracts';
import { bulkInsert, sql } from '@niangjia/db';
import {
  type CalendarDate,
  deriveUrgency,
  describeEvaluation,
  type Evaluation,
  evaluateHousehold,
  type HouseholdFacts,
  MissingParameterError,
  type ParameterVersion,
  type Policy,
  RULES_VERSION,
  todayInShanghai,
} from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { AppError, notFound } from '../../http/errors';
import { audit, auditMany } from '../audit/service';
import { evaluateAllInDatabase } from './evaluate-in-database';
import { orgByCode, parametersInForce, ruleSetInForce } from './service';

export type EvaluationReason = 'survey' | 'review' | 'demand' | 'bulk';

type Outcome = { eligible: boolean; category: ArchiveCategory | null };
/** A household's current outcome and the day of the decision that gave it. */
type Current = Outcome & { asOf: CalendarDate };

interface FactsRow {
  id: string;
  org_id: string;
  org_code: string;
  head_migrant_worker: boolean;
  head_name: string;
  archive_status: string | null;
  survey_date: string | null;
  causes: string[];
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
  head: [string, string | null, string | null];
  /** Each member: birth date, health, activity (the membership's, else the person's). */
  members: [string, string | null, string | null][] | null;
  current_eligible: boolean | null;
  current_category: string | null;
  current_as_of: string | null;
  archive_id: string | null;
  archive_origin: string | null;
  archive_opened_on: string | null;
  archive_urgency: string | null;
  archive_urgency_manual: boolean | null;
  archive_urgency_reason: string | null;
}

export interface HouseholdToEvaluate {
  id: string;
  orgId: string;
  orgCode: string;
  migrant: boolean;
  headName: string;
  /** The status of its current archive (null: none). */
  archiveStatus: string | null;
  surveyDate: CalendarDate | null;
  facts: HouseholdFacts;
  /** Its current outcome, if it has one. */
  current: Current | undefined;
  /** Its current archive, for the urgency the rules derive (none when set by hand or closed). */
  archive: {
    id: string;
    origin: ArchiveOrigin;
    openedOn: CalendarDate;
    urgency: string;
    urgencyManual: boolean;
    urgencyReason: string | null;
  } | null;
}

/**
 * The facts of a batch of households, as the rule sets read them, with each one's current outcome,
 * in one query. The causes come from the household's copy of its current archive's (primary first).
 */
export async function loadFacts(ctx: Ctx, ids: readonly string[]): Promise<HouseholdToEvaluate[]> {
  if (ids.length === 0) return [];
  // Driven by the ids (unnest): one index lookup per household and per member, whatever the
  // statistics say; an ANY(array) filter was planned as sequential scans of whole tables.
  const { rows } = await sql<FactsRow>`
    SELECT h.id, h.org_id, o.code AS org_code, h.head_migrant_worker, h.head_name, h.archive_status, h.survey_date,
           h.archive_causes AS causes, h.exclusions, h.wage_income_fen, h.business_income_fen,
           h.property_income_fen, h.transfer_income_fen, h.other_income_fen, h.medical_cost_fen,
           h.disability_cost_fen, h.education_cost_fen, h.housing_cost_fen, h.other_rigid_cost_fen,
           h.employment_cost_fen, json_build_array(hp.birth_date, hp.health, hp.activity) AS head,
           mm.members, ce.eligible AS current_eligible, ce.category AS current_category, ce.as_of AS current_as_of,
           a.id AS archive_id, a.origin AS archive_origin, a.opened_on AS archive_opened_on, a.urgency AS archive_urgency,
           a.urgency_manual AS archive_urgency_manual, a.urgency_reason AS archive_urgency_reason
    FROM unnest(${ids as string[]}::uuid[]) AS b(id)
    JOIN households h ON h.id = b.id
    JOIN orgs o ON o.id = h.org_id
    JOIN people hp ON hp.id = h.head_person_id
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_array(p.birth_date, coalesce(m.health, p.health), coalesce(m.activity, p.activity))
                      ORDER BY m.created_at, m.id) AS members
      FROM household_members m JOIN people p ON p.id = m.person_id
      WHERE m.household_id = h.id
    ) mm ON true
    LEFT JOIN current_evaluations ce ON ce.household_id = h.id
    LEFT JOIN LATERAL niangjia_current_archive(h.id) a ON true`.execute(ctx.tx);
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    orgCode: r.org_code,
    migrant: r.head_migrant_worker,
    headName: r.head_name,
    archiveStatus: r.archive_status,
    surveyDate: r.survey_date,
    archive:
      r.archive_id === null
        ? null
        : {
            id: r.archive_id,
            origin: r.archive_origin as ArchiveOrigin,
            openedOn: r.archive_opened_on as string,
            urgency: r.archive_urgency as string,
            urgencyManual: r.archive_urgency_manual === true,
            urgencyReason: r.archive_urgency_reason,
          },
    current:
      r.current_eligible === null
        ? undefined
        : {
            eligible: r.current_eligible,
            category: r.current_category as ArchiveCategory | null,
            asOf: r.current_as_of as CalendarDate,
          },
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
      people: [
        { role: 'head', birthDate: r.head[0], health: r.head[1], activity: r.head[2] },
        ...(r.members ?? []).map(([birthDate, health, activity]) => ({
          role: 'member' as const,
          birthDate,
          health,
          activity,
        })),
      ],
      causes: {
        primary: (r.causes[0] as HardshipCause | undefined) ?? null,
        secondary: r.causes.slice(1) as HardshipCause[],
      },
      exclusions: r.exclusions as Exclusion[],
    },
  }));
}

/** A policy that cannot be had for an organisation on a date, and why. */
interface Unavailable {
  unavailable: string;
}

/** A policy in force, with its snapshot once a decision has used it (the content, not a row id: the
 * cache outlives a batch's transaction, which may roll back). */
export type PolicyInForce = Policy & { snapshot?: Snapshot };

/** The policy in force for an organisation on a date, or why there is none (a 409 naming it). */
export async function policyOf(
  ctx: Ctx,
  orgId: string,
  orgCode: string,
  asOf: CalendarDate,
): Promise<PolicyInForce> {
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

/** The snapshot of a policy as decisions use it: the parameters the rule set read, in key order. */
export function snapshotOf(policy: Policy, used: readonly ParameterVersion[]) {
  const parameters = [...used].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const content = {
    ruleSet: policy.ruleSet,
    rulesVersion: RULES_VERSION,
    options: policy.options,
    parameters,
  };
  return { ...content, fingerprint: createHash('sha256').update(JSON.stringify(content)).digest('hex') };
}

type Snapshot = ReturnType<typeof snapshotOf>;

/** The stored ids of a batch's snapshots, by their fingerprint here: one statement, whatever their number. */
export async function snapshotIds(ctx: Ctx, snapshots: readonly Snapshot[]): Promise<Map<string, string>> {
  if (snapshots.length === 0) return new Map();
  // The database computes each snapshot's own fingerprint and stores it when new (migration 0026):
  // the application cannot attach a decision to a snapshot whose content it did not read.
  const { rows } = await sql<{ key: string; id: string }>`
    SELECT key, id FROM niangjia_evaluation_policy_ids(${JSON.stringify(
      snapshots.map((x) => ({
        key: x.fingerprint,
        ruleSet: x.ruleSet,
        rulesVersion: x.rulesVersion,
        options: x.options,
        parameters: x.parameters,
      })),
    )}::jsonb)`.execute(ctx.tx);
  return new Map(rows.map((r) => [r.key, r.id]));
}

export interface StoredEvaluation {
  id: string;
  householdId: string;
  headName: string;
  reason: EvaluationReason;
  evaluation: Evaluation;
  /** The household's current outcome before this decision (undefined: none before). */
  previous: Current | undefined;
}

const EVALUATION_COLUMNS = {
  id: 'uuid',
  household_id: 'uuid',
  org_id: 'uuid',
  policy_id: 'uuid',
  as_of: 'date',
  reason: 'text',
  rule_set: 'text',
  eligible: 'boolean',
  category: 'text',
  monthly_income_fen: 'bigint',
  inputs: 'jsonb',
  username: 'text',
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
    policies?: Map<string, PolicyInForce | Unavailable>;
    missing?: 'throw' | 'skip';
    /** Leave out households whose archive is closed (exited, refused) or that have none. */
    openOnly?: boolean;
  },
): Promise<StoredEvaluation[] & { skipped?: Unevaluated[] }> {
  const households = await loadFacts(ctx, ids);
  const byHousehold = new Map(households.map((h) => [h.id, h]));
  const policies = options.policies ?? new Map<string, PolicyInForce | Unavailable>();
  const stored: StoredEvaluation[] & { skipped?: Unevaluated[] } = [];
  const skipped: Unevaluated[] = [];
  const rows: Record<keyof typeof EVALUATION_COLUMNS, unknown>[] = [];
  /** The snapshots this batch's decisions use; each row names its snapshot's fingerprint until stored. */
  const batchSnapshots = new Map<string, Snapshot>();
  for (const h of households) {
    if (
      options.openOnly &&
      (h.archiveStatus === null || h.archiveStatus === 'exited' || h.archiveStatus === 'refused')
    )
      continue;
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
    if (!evaluation || 'unavailable' in policy) {
      if (options.missing !== 'skip') throw new AppError('conflict', problem as string);
      skipped.push({ householdId: h.id, asOf, message: problem as string });
      continue;
    }
    // The rule set reads the same parameters for every household of a policy: one snapshot each.
    policy.snapshot ??= snapshotOf(policy, evaluation.parameters);
    batchSnapshots.set(policy.snapshot.fingerprint, policy.snapshot);
    const id = crypto.randomUUID();
    stored.push({
      id,
      householdId: h.id,
      headName: h.headName,
      reason: options.reason,
      evaluation,
      previous: h.current,
    });
    rows.push({
      id,
      household_id: h.id,
      org_id: h.orgId,
      policy_id: policy.snapshot.fingerprint,
      as_of: asOf,
      reason: options.reason,
      rule_set: evaluation.ruleSet,
      eligible: evaluation.eligible,
      category: evaluation.category,
      monthly_income_fen: evaluation.perCapita.monthlyIncomeFen,
      inputs: h.facts,
      username: ctx.actor.username,
    });
  }
  stored.skipped = skipped;
  const snapshots = await snapshotIds(ctx, [...batchSnapshots.values()]);
  for (const r of rows) r.policy_id = snapshots.get(r.policy_id as string);
  await bulkInsert(ctx.tx, 'evaluations', EVALUATION_COLUMNS, rows);
  // The outcomes that changed become the households' current ones.
  // A decision about an earlier day than the current one's is history, not the current outcome.
  const becomesCurrent = (i: number) => {
    const current = (stored[i] as StoredEvaluation).previous as Current | undefined;
    return current === undefined || (rows[i]?.as_of as CalendarDate) >= current.asOf;
  };
  const moved = rows.filter((_, i) => changed(stored[i] as StoredEvaluation) && becomesCurrent(i));
  if (moved.length > 0)
    await sql`
      INSERT INTO current_evaluations (household_id, org_id, evaluation_id, eligible, category, as_of)
      SELECT x.household_id, x.org_id, x.id, x.eligible, x.category, x.as_of
      FROM json_to_recordset(${JSON.stringify(moved)}::json)
        AS x(id uuid, household_id uuid, org_id uuid, eligible boolean, category text, as_of date)
      ON CONFLICT (household_id) DO UPDATE
        SET org_id = excluded.org_id, evaluation_id = excluded.evaluation_id, eligible = excluded.eligible,
            category = excluded.category, as_of = excluded.as_of`.execute(ctx.tx);
  // Each household's latest decision, which a bulk re-evaluation compares with (ADR 0017).
  if (rows.length > 0)
    await sql`
      UPDATE current_evaluations c
      SET org_id = x.org_id, latest_policy_id = x.policy_id, latest_as_of = x.as_of,
          latest_facts_md5 = md5(x.inputs::text)
      FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS x(household_id uuid, org_id uuid, policy_id uuid, as_of date, inputs jsonb)
      WHERE c.household_id = x.household_id`.execute(ctx.tx);
  // The urgency the rules derive, where no caseworker has set it (issue 4): written when it differs.
  const urgencies: { id: string; orgId: string; before: string; urgency: string; reason: string }[] = [];
  for (const [i, s] of stored.entries()) {
    const h = byHousehold.get(s.householdId) as HouseholdToEvaluate;
    const closed = h.archiveStatus === 'exited' || h.archiveStatus === 'refused';
    if (!h.archive || h.archive.urgencyManual || closed || !becomesCurrent(i)) continue;
    const derived = deriveUrgency(
      {
        category: s.evaluation.category,
        causes: [h.facts.causes.primary ?? '', ...h.facts.causes.secondary],
        origin: h.archive.origin,
        openedOn: h.archive.openedOn,
        health: h.facts.people.map((p) => p.health),
      },
      // Recent events are recent from today, whatever day the decision is about.
      todayInShanghai(),
    );
    if (derived.urgency !== h.archive.urgency || derived.reason !== h.archive.urgencyReason)
      urgencies.push({
        id: h.archive.id,
        orgId: h.orgId,
        before: h.archive.urgency,
        urgency: derived.urgency,
        reason: derived.reason,
      });
  }
  if (urgencies.length > 0)
    await sql`
      UPDATE archives a SET urgency = x.urgency, urgency_reason = x.reason, updated_at = now()
      FROM json_to_recordset(${JSON.stringify(urgencies)}::json) AS x(id uuid, urgency text, reason text)
      WHERE a.id = x.id AND NOT a.urgency_manual`.execute(ctx.tx);
  if (options.reason === 'bulk') {
    // A re-evaluation writes thousands of decisions, each a row that names who and when: one entry
    // per batch names them all.
    if (stored.length > 0)
      await audit(ctx, {
        action: 'create',
        entity: 'evaluation_batch',
        entityId: (stored[0] as StoredEvaluation).id,
        orgId: ctx.actor.orgId || null,
        after: {
          reason: options.reason,
          asOf: typeof options.asOf === 'string' ? options.asOf : 'survey',
          count: stored.length,
          evaluations: stored.map((s) => s.id),
          urgencies: urgencies.map((u) => ({
            archiveId: u.id,
            before: u.before,
            after: u.urgency,
            reason: u.reason,
          })),
        },
      });
  } else {
    await auditMany(ctx, [
      ...urgencies.map((u) => ({
        action: 'update' as const,
        entity: 'archive',
        entityId: u.id,
        orgId: u.orgId,
        before: { urgency: u.before },
        after: { urgency: u.urgency, urgencyReason: u.reason },
      })),
      ...rows.map((r) => ({
        action: 'create' as const,
        entity: 'evaluation',
        entityId: r.id as string,
        orgId: r.org_id as string,
        after: {
          householdId: r.household_id,
          asOf: r.as_of,
          reason: r.reason,
          ruleSet: r.rule_set,
          eligible: r.eligible,
          category: r.category,
        },
      })),
    ]);
  }
  return stored;
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
  // A household whose head's record is outside the caller's scope (kept by another organisation)
  // is not read: say so rather than fail.
  if (!stored)
    throw new AppError(
      'conflict',
      "The household's head is kept by another organisation: it cannot be evaluated here",
    );
  const s = stored;
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

/**
 * A household's stored decisions, newest first, each explained: the rule set run again on the
 * decision's own facts and policy snapshot. A decision made by an older version of the rules' code
 * is shown with the outcome it had; its trace is today's code's reading, and says so.
 */
export async function householdEvaluations(ctx: Ctx, householdId: string): Promise<HouseholdEvaluation[]> {
  await requireHousehold(ctx, householdId);
  const rows = await ctx.tx
    .selectFrom('evaluations as e')
    .innerJoin('evaluation_policies as p', 'p.id', 'e.policy_id')
    // A bulk re-evaluation's decision names the version of the household's facts it read.
    .leftJoin('household_rule_facts as f', (j) =>
      j.onRef('f.household_id', '=', 'e.household_id').onRef('f.facts_md5', '=', 'e.facts_md5'),
    )
    .select([
      'e.id',
      'e.as_of',
      'e.reason',
      'e.eligible',
      'e.category',
      sql<HouseholdFacts | null>`coalesce(e.inputs, f.facts)`.as('inputs'),
      'e.monthly_income_fen',
      'e.created_at',
      'p.rule_set',
      'p.rules_version',
      'p.options',
      'p.parameters',
    ])
    .where('e.household_id', '=', householdId)
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .execute();
  return rows.map((r) => {
    const parameters = Object.fromEntries((r.parameters as ParameterVersion[]).map((v) => [v.key, v]));
    let evaluation: Evaluation;
    try {
      evaluation = evaluateHousehold(
        r.inputs as HouseholdFacts,
        { ruleSet: r.rule_set as RuleSet, options: r.options as PolicyOptions, parameters },
        r.as_of,
      );
    } catch {
      // Today's rules cannot read this decision again (a later version needs a value it did not
      // record): the decision stands as stored, without a trace.
      evaluation = {
        ruleSet: r.rule_set as RuleSet,
        asOf: r.as_of,
        eligible: r.eligible,
        category: r.category as ArchiveCategory | null,
        perCapita: {
          monthlyIncomeFen: Number(r.monthly_income_fen),
          monthlyNetIncomeFen: Number(r.monthly_income_fen),
        },
        factors: [],
        parameters: r.parameters as ParameterVersion[],
        options: r.options as PolicyOptions,
        exclusions: [],
        tests: [],
      };
    }
    const explanation = {
      zh: describeEvaluation(evaluation, 'zh'),
      en: describeEvaluation(evaluation, 'en'),
    };
    if (r.rules_version !== RULES_VERSION || evaluation.category !== r.category) {
      explanation.zh.lines.push(
        `此决定由第${r.rules_version}版规则作出，结论为：${r.category ?? '不符合认定条件'}；以上依据按现行规则重新计算。`,
      );
      explanation.en.lines.push(
        `This decision was made by version ${r.rules_version} of the rules, with the outcome ${r.category ?? 'not eligible'}; the basis above is today's rules' reading.`,
      );
    }
    return {
      id: r.id,
      asOf: r.as_of,
      reason: r.reason as EvaluationReason,
      evaluatedAt: r.created_at.toISOString(),
      evaluation: { ...evaluation, eligible: r.eligible, category: r.category as ArchiveCategory | null },
      explanation,
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
  changes: { householdId: string; headName: string; before: string | null; after: string }[];
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
    /** Leave out households whose archive is closed (a policy change does not concern them). */
    openOnly?: boolean;
    onProgress?: (done: number, total: number) => void | Promise<void>;
  },
): Promise<BulkEvaluationDetails> {
  // On one date, the database evaluates (ADR 0017); households each on their survey date, or only
  // those an import wrote, are read and evaluated here.
  if (typeof options.asOf === 'string' && options.since === undefined)
    return evaluateAllInDatabase(run, {
      org: options.org,
      asOf: options.asOf,
      reason: options.reason ?? 'bulk',
      missing: options.missing ?? 'throw',
      openOnly: options.openOnly,
      onProgress: options.onProgress,
    });
  const since = options.since === undefined ? undefined : new Date(options.since);
  const scope = await run(async (ctx) => {
    const path = options.org ? (await orgByCode(ctx, options.org)).path : undefined;
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
  /** Households read so far (evaluated, skipped, or left out as closed): the progress. */
  let read = 0;
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
          openOnly: options.openOnly,
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
            headName: s.headName,
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
    read += batch.read;
    await options.onProgress?.(Math.min(read, scope.total), scope.total);
    if (batch.last === undefined || batch.read < BATCH) break;
    after = batch.last;
  }
  return report;
}
