/**
 * A bulk re-evaluation on one date, done by the database (ADR 0017): every household of a subtree
 * evaluated under its organisation's policy in force, each decision stored naming the version of
 * the facts it read and its policy snapshot, the outcomes made current, and the urgency the rules
 * derive written where it differs, all by one statement per chunk of households over the rule
 * inputs. The
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
  urgencySql,
} from './rules-sql';
import { orgByCode } from './service';

/**
 * Households per transaction, in steps of STEP: a chunk starts at one step and doubles while a
 * chunk takes under its budget, up to 50,000 households on the embedded database (whose one
 * connection the web's requests share: a chunk stays near a second there) and 100,000 on a server
 * (where larger chunks cost more a household with the default shared buffers). The largest keeps
 * an audit entry (which lists the urgencies changed) to a few megabytes.
 */
const STEP = 5_000;
const MAX_STEPS_EMBEDDED = 10;
const MAX_STEPS_SERVER = 20;

/** The UUID at the share `f` (0 < f < 1) of the key space, in PostgreSQL's order of uuid values. */
function keyAt(f: number): string {
  const hex = ((2n ** 128n * BigInt(Math.floor(f * 2 ** 40))) / 2n ** 40n).toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The first 20 hex digits of a chunk's decision ids, the last 12 being the decision's number in the
 * chunk: the layout of a UUID version 7 (RFC 9562), the time in milliseconds first, then random
 * bits. A chunk's decisions then sit together at the end of the primary key's index instead of on
 * pages all over it, and cost no call of the random generator each (2.5 µs a row).
 */
function idPrefix(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  const random = crypto.getRandomValues(new Uint8Array(4));
  const hex = [...random.subarray(0, 3)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const variant = (8 + ((random[3] as number) & 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex.slice(0, 3)}-${variant}${hex.slice(3, 6)}-`;
}

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

/** The rule inputs `r` of the subtree at `path` (every household when absent), open archives only if asked. */
const inScope = (path: string | undefined, openOnly: boolean | undefined) =>
  sql`${path === undefined ? sql`true` : sql`starts_with(r.org_path, ${path})`}${
    openOnly
      ? sql` AND r.archive_status IS NOT NULL AND r.archive_status NOT IN ('exited', 'refused')`
      : sql``
  }`;

/**
 * Urgencies out of date, derived again as of today from the household's current outcome (else its
 * archive's category), over the subtree at `path`: those a time-limited rule gave (a fresh
 * disaster, a recent relapse) whose time is up, and those no rule gave to a household with an
 * outcome (a reopened archive's, copied from the one it reopens; one given back to the rules on a
 * day no policy was in force). A re-evaluation derives urgency only where an outcome or the facts
 * changed, and would otherwise leave these as they were. One statement and one audit entry.
 */
async function deriveUrgenciesOutOfDate(
  run: <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>,
  path: string | undefined,
  today: CalendarDate,
): Promise<number> {
  return run(async (ctx) => {
    const { rows } = await sql<{ n: number; changes: unknown[] | null }>`
      WITH derived AS (
        SELECT a.id, a.urgency AS before, u.urgency, u.reason
        FROM archives a
        JOIN household_rule_inputs r ON r.household_id = a.household_id
        LEFT JOIN current_evaluations ce ON ce.household_id = a.household_id
        CROSS JOIN LATERAL (SELECT ${urgencySql(today, {
          category: 'CASE WHEN ce.household_id IS NULL THEN a.category ELSE ce.category END',
          causes: 'r.causes',
          seriouslyIll: 'r.seriously_ill',
          openedOn: 'a.opened_on',
          origin: 'a.origin',
        })} AS v) w
        CROSS JOIN LATERAL (SELECT w.v[1] AS urgency, w.v[2] AS reason) u
        WHERE a.status NOT IN ('exited', 'refused') AND NOT a.urgency_manual
          AND (a.urgency_reason IN ('fresh_disaster', 'relapsed') OR a.urgency_reason IS NULL)
          AND ((a.urgency_reason = 'fresh_disaster' AND a.opened_on <= ${addDays(today, -FRESH_DISASTER_DAYS)}::date)
            OR (a.urgency_reason = 'relapsed' AND a.opened_on <= ${addDays(today, -RECENT_RELAPSE_DAYS)}::date)
            OR (a.urgency_reason IS NULL AND ce.household_id IS NOT NULL))
          AND ${inScope(path, false)}
          AND (a.urgency, a.urgency_reason) IS DISTINCT FROM (u.urgency, u.reason)
      ), written AS (
        UPDATE archives a SET urgency = u.urgency, urgency_reason = u.reason, updated_at = now()
        FROM derived u WHERE a.id = u.id AND NOT a.urgency_manual
        RETURNING a.id
      )
      SELECT (SELECT count(*)::integer FROM written) AS n,
             (SELECT json_agg(json_build_object('archiveId', u.id, 'before', u.before, 'after', u.urgency,
                                                'reason', u.reason)) FROM derived u) AS changes`.execute(
      ctx.tx,
    );
    const n = rows[0]?.n ?? 0;
    if (n > 0)
      await audit(ctx, {
        action: 'update',
        entity: 'urgency_batch',
        entityId: crypto.randomUUID(),
        orgId: ctx.actor.orgId || null,
        after: { reason: 'out_of_date', asOf: today, count: n, urgencies: rows[0]?.changes ?? [] },
      });
    return n;
  });
}

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
    const total = await sql<{ n: number }>`
      SELECT count(*)::integer AS n FROM household_rule_inputs r WHERE ${inScope(path, options.openOnly)}`.execute(
      ctx.tx,
    );
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
  const scope = inScope(setup.path, options.openOnly);
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
  await deriveUrgenciesOutOfDate(run, setup.path, today);
  const policies = policyTable(setup.columns, 'x');
  const embedded = await run(async (ctx) =>
    (await sql<{ v: string }>`SELECT version() AS v`.execute(ctx.tx)).rows[0]?.v.includes('emscripten'),
  );
  // The embedded database's one connection is shared with the web's requests: a chunk stays near a
  // second there. A server's other connections go on meanwhile, and fewer, larger chunks read each
  // table in fewer passes (a chunk's households are spread over all of the rule inputs' pages).
  const budgetMs = embedded ? 1_000 : 4_000;
  const maxSteps = embedded ? MAX_STEPS_EMBEDDED : MAX_STEPS_SERVER;
  let read = report.skipped;
  let steps = 1;
  // Chunk after chunk, each a range of the primary key (a LIMIT over the joins made the planner join
  // every household, then sort, for each chunk): households' ids are random (version 4), so a share
  // of the key space holds about that share of any subtree's households.
  let position = 0;
  let from: string | null = null;
  for (let last = false; !last; ) {
    position += (steps * STEP) / Math.max(setup.total, 1);
    last = position >= 1;
    const to = last ? null : keyAt(position);
    const started = performance.now();
    const within = (column: string) =>
      sql`${from === null ? sql`true` : sql`${sql.ref(column)} > ${from}::uuid`} AND ${
        to === null ? sql`true` : sql`${sql.ref(column)} <= ${to}::uuid`
      }`;
    const range = within('r.household_id');
    const ids = idPrefix();
    const chunk = await run(async (ctx) => {
      // Compiling the statement's expressions cost more than it saved (about 0.1 s a chunk); the
      // chunk's rows are held and sorted in memory, not in temporary files.
      await sql`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`.execute(ctx.tx);
      const statement = sql<ChunkRow & { changes: ChangeRow[] | null }>`
        -- The range's current outcomes read once, in key order, and hashed (looked up one by one, at
        -- a few microseconds each, they were a third of the time it takes to read a chunk).
        WITH cur AS MATERIALIZED (
          SELECT * FROM current_evaluations ce
          WHERE ${within('ce.household_id')}${
            // A subtree's households only (for a union, a chunk spans the whole key space); over the
            // whole registry, every one (checking that read the rule inputs a second time).
            setup.path === undefined && !options.openOnly
              ? sql``
              : sql` AND ce.household_id IN (SELECT r.household_id FROM household_rule_inputs r WHERE ${range} AND ${scope})`
          }
        ), batch AS MATERIALIZED (
          SELECT r.household_id, r.org_id, x.policy_id, x.rule_set, r.causes, r.seriously_ill,
                 ${categorySql('x', 'i')} AS category, ${monthlyIncomeSql('i')} AS monthly,
                 ce.household_id IS NOT NULL AS had, ce.evaluation_id AS was_id, ce.eligible AS was_eligible,
                 ce.category AS was, ce.as_of AS was_as_of, ce.latest_facts_md5 AS was_md5,
                 ce.latest_as_of AS was_latest_as_of,
                 (${ids} || lpad(to_hex(row_number() OVER ()), 12, '0'))::uuid AS id,
                 -- The same facts, policy and date as the latest stored decision: nothing new to store.
                 -- (and the household still of the organisation its current outcome names).
                 ce.latest_policy_id IS NOT DISTINCT FROM x.policy_id AND ce.latest_as_of IS NOT DISTINCT FROM ${asOf}::date
                   AND ce.latest_facts_md5 IS NOT DISTINCT FROM r.facts_md5 AND ce.org_id = r.org_id AS same,
                 r.facts_md5
          FROM household_rule_inputs r
          JOIN ${policies} ON x.org_id = r.org_id
          CROSS JOIN LATERAL ${incomeLateral('x')} i
          LEFT JOIN cur ce ON ce.household_id = r.household_id
          WHERE ${range} AND ${scope}
        ), decided AS MATERIALIZED (
          SELECT b.*,
            NOT b.had OR b.was_eligible IS DISTINCT FROM (b.category IS NOT NULL) OR b.was IS DISTINCT FROM b.category
              AS changed,
            NOT b.had OR ${asOf}::date >= b.was_as_of AS becomes_current
          FROM batch b
        ), stored AS (
          -- The decision names the version of the facts it read (household_rule_facts), kept for good.
          INSERT INTO evaluations (id, household_id, org_id, policy_id, as_of, reason, rule_set, eligible, category,
                                   monthly_income_fen, facts_md5, username)
          SELECT d.id, d.household_id, d.org_id, d.policy_id, ${asOf}::date, ${options.reason}, d.rule_set,
                 d.category IS NOT NULL, d.category, d.monthly, d.facts_md5, ${ctx.actor.username}
          FROM decided d
          WHERE NOT d.same
          ORDER BY d.household_id
        ), made_current AS (
          -- Every new decision becomes the latest; one that changed the outcome (about this day or a
          -- later one than the current outcome's) gives the current outcome too. An UPDATE where the
          -- household has an outcome (in place: the table leaves half of each page free, migration
          -- 0037), an INSERT where it has none yet.
          UPDATE current_evaluations c
          SET org_id = d.org_id,
              evaluation_id = CASE WHEN d.changed AND d.becomes_current THEN d.id ELSE c.evaluation_id END,
              eligible = CASE WHEN d.changed AND d.becomes_current THEN d.category IS NOT NULL ELSE c.eligible END,
              category = CASE WHEN d.changed AND d.becomes_current THEN d.category ELSE c.category END,
              as_of = CASE WHEN d.changed AND d.becomes_current THEN ${asOf}::date ELSE c.as_of END,
              latest_policy_id = d.policy_id, latest_as_of = ${asOf}::date, latest_facts_md5 = d.facts_md5
          FROM decided d
          WHERE c.household_id = d.household_id AND d.had AND NOT d.same
        ), first_current AS (
          INSERT INTO current_evaluations (household_id, org_id, evaluation_id, eligible, category, as_of,
                                           latest_policy_id, latest_as_of, latest_facts_md5)
          SELECT d.household_id, d.org_id, d.id, d.category IS NOT NULL, d.category, ${asOf}::date,
                 d.policy_id, ${asOf}::date, d.facts_md5
          FROM decided d WHERE NOT d.had
          ORDER BY d.household_id
          -- (one made meanwhile by an evaluation of that household: this decision is the latest)
          ON CONFLICT (household_id) DO UPDATE
            SET org_id = excluded.org_id, evaluation_id = excluded.evaluation_id, eligible = excluded.eligible,
                category = excluded.category, as_of = excluded.as_of, latest_policy_id = excluded.latest_policy_id,
                latest_as_of = excluded.latest_as_of, latest_facts_md5 = excluded.latest_facts_md5
        ), derived AS (
          -- The urgency rules (domain: policy/urgency.ts), as of today, on the archives no caseworker
          -- set by hand, where what they read may have changed: a first outcome, another outcome, other
          -- facts. (An urgency whose time-limited rule has lapsed is derived again before the chunks.)
          -- The open archive, when there is one, is the household's current archive (a household has
          -- at most one, and a new archive opens only once the one before it is closed).
          SELECT a.id, a.urgency AS before, u.urgency, u.reason
          FROM decided d
          JOIN archives a ON a.household_id = d.household_id AND a.status NOT IN ('exited', 'refused')
          CROSS JOIN LATERAL (SELECT ${urgencySql(today, {
            category: 'd.category',
            causes: 'd.causes',
            seriouslyIll: 'd.seriously_ill',
            openedOn: 'a.opened_on',
            origin: 'a.origin',
          })} AS v) w
          CROSS JOIN LATERAL (SELECT w.v[1] AS urgency, w.v[2] AS reason) u
          -- (The latest decision's facts are those the urgency was derived from, unless that decision
          -- was about an earlier day than the current outcome's and derived nothing.)
          WHERE NOT d.same AND d.becomes_current
            AND (NOT d.had OR d.changed OR d.was_md5 IS DISTINCT FROM d.facts_md5 OR d.was_latest_as_of < d.was_as_of)
            AND NOT a.urgency_manual
            AND (a.urgency, a.urgency_reason) IS DISTINCT FROM (u.urgency, u.reason)
        ), urgencies AS (
          UPDATE archives a SET urgency = u.urgency, urgency_reason = u.reason, updated_at = now()
          FROM derived u WHERE a.id = u.id AND NOT a.urgency_manual
          RETURNING a.id
        )
        SELECT d.category, d.changed, count(*)::integer AS n, count(*) FILTER (WHERE NOT d.same)::integer AS stored,
               (SELECT json_agg(c) FROM (
                  SELECT c.household_id, h.head_name, c.was, c.had, c.category
                  FROM (SELECT * FROM decided WHERE changed ORDER BY household_id LIMIT ${CHANGES_KEPT}) c
                  JOIN households h ON h.id = c.household_id ORDER BY c.household_id) c) AS changes,
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
    from = to;
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
    if (took < budgetMs && steps < maxSteps) steps = Math.min(maxSteps, steps * 2);
    else if (took > 2 * budgetMs && steps > 1) steps = Math.max(1, Math.floor(steps / 2));
  }
  return report;
}
