/**
 * A bulk re-evaluation on one date, done by the database (ADR 0017): every household of a subtree
 * evaluated under its organisation's policy in force, each decision stored with the facts it read
 * and its policy snapshot, the outcomes that changed made current, and the urgency the rules derive
 * written where it differs, all by one statement per chunk of households over the rule inputs. The
 * rule sets and the urgency rules run as SQL (rules-sql.ts), which a property test keeps equal to
 * the domain's TypeScript. The same decisions as evaluateHouseholds stores one by one, at a
 * million households in seconds instead of minutes.
 */
import { sql } from '@niangjia/db';
import {
  addDays,
  type CalendarDate,
  FRESH_DISASTER_DAYS,
  MissingParameterError,
  type ParameterVersion,
  parametersNeeded,
  RECENT_RELAPSE_DAYS,
  todayInShanghai,
} from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { AppError } from '../../http/errors';
import { audit } from '../audit/service';
import {
  type BulkEvaluationDetails,
  CHANGES_KEPT,
  type EvaluationReason,
  policyOf,
  snapshotIds,
  snapshotOf,
} from './evaluations';
import {
  categorySql,
  incomeLateral,
  monthlyIncomeSql,
  type PolicyColumns,
  policyColumns,
  policyTable,
  refreshStaleRuleInputs,
} from './rules-sql';
import { orgByCode } from './service';

/**
 * Households per transaction, in steps of STEP: a chunk starts at one step and doubles while a
 * chunk takes under a second, up to MAX_STEPS (50,000 households). On the server the chunks are
 * soon large enough for set-based work; on the embedded database, whose one connection the web's
 * requests share, a chunk stays near a second. The largest keeps an audit entry (which lists the
 * urgencies changed) to a few megabytes.
 */
const STEP = 5_000;
const MAX_STEPS = 10;

interface ChunkRow {
  category: string | null;
  changed: boolean;
  n: number;
  /** Decisions stored (the rest were already, on the same facts, policy and date). */
  stored: number;
}

interface ChangeRow {
  household_id: string;
  head_name: string;
  was: string | null;
  had: boolean;
  category: string | null;
}

const outcome = (category: string | null) => category ?? 'ineligible';

export async function evaluateAllInDatabase(
  run: <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>,
  options: {
    org?: string;
    asOf: CalendarDate;
    reason: EvaluationReason;
    missing: 'throw' | 'skip';
    openOnly?: boolean;
    onProgress?: (done: number, total: number) => void | Promise<void>;
  },
): Promise<BulkEvaluationDetails> {
  const { asOf } = options;
  const today = todayInShanghai();
  await refreshStaleRuleInputs(run);
  // The policy of each organisation of the subtree, once for the run; its snapshot stored.
  const setup = await run(async (ctx) => {
    const path = options.org ? (await orgByCode(ctx, options.org)).path : undefined;
    const orgs = await ctx.tx
      .selectFrom('orgs')
      .select(['id', 'code'])
      .$if(path !== undefined, (q) => q.where(sql<boolean>`starts_with(path, ${path})`))
      .execute();
    const columns: PolicyColumns[] = [];
    const unavailable = new Map<string, string>();
    const snapshots = [];
    for (const o of orgs) {
      try {
        const policy = await policyOf(ctx, o.id, o.code, asOf);
        const cols = policyColumns(o.id, policy, asOf);
        const used = parametersNeeded(policy.ruleSet, policy.options).map(
          (k) => policy.parameters[k] as ParameterVersion,
        );
        const snapshot = snapshotOf(policy, used);
        snapshots.push(snapshot);
        columns.push({ ...cols, policy_id: snapshot.fingerprint });
      } catch (err) {
        if (err instanceof MissingParameterError)
          unavailable.set(
            o.id,
            `No value of ${err.keys.join(', ')} is in force for ${o.code} on ${asOf} (rule set ${err.ruleSet}): set it first (niangjia policy set)`,
          );
        else if (err instanceof AppError && err.code === 'conflict') unavailable.set(o.id, err.message);
        else throw err;
      }
    }
    const ids = await snapshotIds(ctx, snapshots);
    for (const c of columns) c.policy_id = ids.get(c.policy_id as string);
    const scope = sql`${path === undefined ? sql`true` : sql`starts_with(r.org_path, ${path})`}${
      options.openOnly
        ? sql` AND r.archive_status IS NOT NULL AND r.archive_status NOT IN ('exited', 'refused')`
        : sql``
    }`;
    const total = await sql<{ n: number }>`
      SELECT count(*)::integer AS n FROM household_rule_inputs r WHERE ${scope}`.execute(ctx.tx);
    return { path, columns, unavailable, total: total.rows[0]?.n ?? 0 };
  });
  const report: BulkEvaluationDetails = {
    evaluated: 0,
    changed: 0,
    byCategory: {},
    skipped: 0,
    changes: [],
    unevaluated: [],
  };
  const scope = sql`${setup.path === undefined ? sql`true` : sql`starts_with(r.org_path, ${setup.path})`}${
    options.openOnly
      ? sql` AND r.archive_status IS NOT NULL AND r.archive_status NOT IN ('exited', 'refused')`
      : sql``
  }`;
  // Households of an organisation without a policy: refused (409) or left out and listed.
  if (setup.unavailable.size > 0) {
    const { left, count } = await run(async (ctx) => {
      const lacking = sql`r.org_id = ANY (${[...setup.unavailable.keys()]}::uuid[]) AND ${scope}`;
      const first = await sql<{ household_id: string; org_id: string }>`
        SELECT r.household_id, r.org_id FROM household_rule_inputs r WHERE ${lacking}
        ORDER BY r.household_id LIMIT ${CHANGES_KEPT}`.execute(ctx.tx);
      const all = await sql<{ n: number }>`
        SELECT count(*)::integer AS n FROM household_rule_inputs r WHERE ${lacking}`.execute(ctx.tx);
      return { left: first.rows, count: all.rows[0]?.n ?? 0 };
    });
    if (left.length > 0 && options.missing === 'throw')
      throw new AppError('conflict', setup.unavailable.get((left[0] as { org_id: string }).org_id) as string);
    report.skipped = count;
    report.unevaluated = left.map((l) => ({
      householdId: l.household_id,
      asOf,
      message: setup.unavailable.get(l.org_id) as string,
    }));
  }
  const policies = policyTable(setup.columns, 'x');
  // The steps' bounds, so that each chunk reads its range of the primary key and no more (a LIMIT
  // over the joins made the planner join every household, then sort, for each chunk).
  const bounds = await run(async (ctx) =>
    (
      await sql<{ id: string }>`
          SELECT household_id AS id FROM (
            SELECT r.household_id, row_number() OVER (ORDER BY r.household_id) AS n
            FROM household_rule_inputs r WHERE ${scope}) s
          WHERE n % ${STEP} = 0 ORDER BY household_id`.execute(ctx.tx)
    ).rows.map((r) => r.id),
  );
  let read = report.skipped;
  let steps = 1;
  // Chunk after chunk: the households after bound k − 1 up to bound k + steps − 1 (the last, to the end).
  for (let k = 0; k <= bounds.length; ) {
    const from = k === 0 ? null : (bounds[k - 1] as string);
    const to = k + steps - 1 >= bounds.length ? null : (bounds[k + steps - 1] as string);
    k += steps;
    const started = performance.now();
    const range = sql`${from === null ? sql`true` : sql`r.household_id > ${from}::uuid`} AND ${
      to === null ? sql`true` : sql`r.household_id <= ${to}::uuid`
    }`;
    const chunk = await run(async (ctx) => {
      const statement = sql<ChunkRow & { changes: ChangeRow[] | null }>`
        WITH batch AS MATERIALIZED (
          SELECT r.household_id, r.org_id, x.policy_id, x.rule_set, r.causes, r.seriously_ill,
                 ${categorySql('x', 'i')} AS category, ${monthlyIncomeSql('i')} AS monthly,
                 ce.household_id IS NOT NULL AS had, ce.evaluation_id AS was_id, ce.eligible AS was_eligible,
                 ce.category AS was, ce.as_of AS was_as_of, gen_random_uuid() AS id,
                 -- The same facts, policy and date as the latest stored decision: nothing new to store.
                 -- (and the household still of the organisation its current outcome names).
                 ce.latest_policy_id IS NOT DISTINCT FROM x.policy_id AND ce.latest_as_of IS NOT DISTINCT FROM ${asOf}::date
                   AND ce.latest_facts_md5 IS NOT DISTINCT FROM f.facts_md5 AND ce.org_id = r.org_id AS same,
                 f.facts_md5
          FROM household_rule_inputs r
          JOIN ${policies} ON x.org_id = r.org_id
          JOIN household_rule_facts f ON f.household_id = r.household_id
          CROSS JOIN LATERAL ${incomeLateral('x')} i
          LEFT JOIN current_evaluations ce ON ce.household_id = r.household_id
          WHERE ${range} AND ${scope}
        ), decided AS MATERIALIZED (
          SELECT b.*,
            NOT b.had OR b.was_eligible IS DISTINCT FROM (b.category IS NOT NULL) OR b.was IS DISTINCT FROM b.category
              AS changed,
            NOT b.had OR ${asOf}::date >= b.was_as_of AS becomes_current
          FROM batch b
        ), stored AS (
          INSERT INTO evaluations (id, household_id, org_id, policy_id, as_of, reason, rule_set, eligible, category,
                                   monthly_income_fen, inputs, username)
          SELECT d.id, d.household_id, d.org_id, d.policy_id, ${asOf}::date, ${options.reason}, d.rule_set,
                 d.category IS NOT NULL, d.category, d.monthly, f.facts, ${ctx.actor.username}
          FROM decided d JOIN household_rule_facts f ON f.household_id = d.household_id
          WHERE NOT d.same
        ), made_current AS (
          -- Every new decision becomes the latest; one that changed the outcome (about this day or a
          -- later one than the current outcome's) gives the current outcome too.
          INSERT INTO current_evaluations (household_id, org_id, evaluation_id, eligible, category, as_of,
                                           latest_policy_id, latest_as_of, latest_facts_md5)
          SELECT d.household_id, d.org_id,
                 CASE WHEN d.changed AND d.becomes_current THEN d.id ELSE d.was_id END,
                 CASE WHEN d.changed AND d.becomes_current THEN d.category IS NOT NULL ELSE d.was_eligible END,
                 CASE WHEN d.changed AND d.becomes_current THEN d.category ELSE d.was END,
                 CASE WHEN d.changed AND d.becomes_current THEN ${asOf}::date ELSE d.was_as_of END,
                 d.policy_id, ${asOf}::date, d.facts_md5
          FROM decided d WHERE NOT d.same
          ON CONFLICT (household_id) DO UPDATE
            SET org_id = excluded.org_id, evaluation_id = excluded.evaluation_id, eligible = excluded.eligible,
                category = excluded.category, as_of = excluded.as_of, latest_policy_id = excluded.latest_policy_id,
                latest_as_of = excluded.latest_as_of, latest_facts_md5 = excluded.latest_facts_md5
        ), derived AS (
          -- The urgency rules (domain: policy/urgency.ts), as of today, on the archives no caseworker set by hand.
          SELECT a.id, a.urgency AS before, u.urgency, u.reason
          FROM decided d
          CROSS JOIN LATERAL niangjia_current_archive(d.household_id) a
          CROSS JOIN LATERAL (SELECT CASE
              WHEN d.causes && ARRAY['7', '8'] AND a.opened_on > ${addDays(today, -FRESH_DISASTER_DAYS)}::date
                THEN ARRAY['critical', 'fresh_disaster']
              WHEN d.category = 'deep' AND d.seriously_ill THEN ARRAY['critical', 'deep_and_seriously_ill']
              WHEN d.category = 'deep' THEN ARRAY['urgent', 'deep']
              WHEN d.category = 'accident' THEN ARRAY['urgent', 'accident']
              WHEN d.causes @> ARRAY['6'] AND d.seriously_ill THEN ARRAY['urgent', 'seriously_ill']
              WHEN a.origin = 'relapsed' AND a.opened_on > ${addDays(today, -RECENT_RELAPSE_DAYS)}::date
                THEN ARRAY['urgent', 'relapsed']
              ELSE ARRAY['normal', 'none'] END AS v) w
          CROSS JOIN LATERAL (SELECT w.v[1] AS urgency, w.v[2] AS reason) u
          WHERE NOT d.same AND d.becomes_current AND NOT a.urgency_manual AND a.status NOT IN ('exited', 'refused')
            AND (a.urgency, a.urgency_reason) IS DISTINCT FROM (u.urgency, u.reason)
        ), urgencies AS (
          UPDATE archives a SET urgency = u.urgency, urgency_reason = u.reason, updated_at = now()
          FROM derived u WHERE a.id = u.id
          RETURNING a.id
        )
        SELECT d.category, d.changed, count(*)::integer AS n, count(*) FILTER (WHERE NOT d.same)::integer AS stored,
               (SELECT json_agg(c) FROM (
                  SELECT c.household_id, h.head_name, c.was, c.had, c.category
                  FROM decided c JOIN households h ON h.id = c.household_id
                  WHERE c.changed ORDER BY c.household_id LIMIT ${CHANGES_KEPT}) c) AS changes,
               (SELECT count(*)::integer FROM urgencies) AS urgencies,
               (SELECT json_agg(json_build_object('archiveId', u.id, 'before', u.before, 'after', u.urgency,
                                                  'reason', u.reason)) FROM derived u) AS urgency_changes
        FROM decided d GROUP BY d.category, d.changed`;
      const { rows } = await statement.execute(ctx.tx);
      const first = rows[0] as (ChunkRow & { urgency_changes?: unknown }) | undefined;
      const stored = rows.reduce((n, r) => n + r.stored, 0);
      if (stored > 0)
        // One audit entry per chunk that stored decisions: which (this transaction's, by the actor) and why.
        await audit(ctx, {
          action: 'create',
          entity: 'evaluation_batch',
          entityId: crypto.randomUUID(),
          orgId: ctx.actor.orgId || null,
          after: {
            reason: options.reason,
            asOf,
            count: stored,
            households: { after: from, upTo: to },
            urgencies: first?.urgency_changes ?? [],
          },
        });
      return rows;
    });
    let count = 0;
    for (const r of chunk) {
      count += r.n;
      report.evaluated += r.n;
      report.byCategory[outcome(r.category)] = (report.byCategory[outcome(r.category)] ?? 0) + r.n;
      if (r.changed) report.changed += r.n;
    }
    for (const c of (chunk[0]?.changes ?? []).slice(0, CHANGES_KEPT - report.changes.length))
      report.changes.push({
        householdId: c.household_id,
        headName: c.head_name,
        before: c.had ? outcome(c.was) : null,
        after: outcome(c.category),
      });
    read += count;
    await options.onProgress?.(Math.min(read, setup.total), setup.total);
    const took = performance.now() - started;
    if (took < 1_000 && steps < MAX_STEPS) steps = Math.min(MAX_STEPS, steps * 2);
    else if (took > 2_000 && steps > 1) steps = Math.max(1, Math.floor(steps / 2));
  }
  return report;
}
