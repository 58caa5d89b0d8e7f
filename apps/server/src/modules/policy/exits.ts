/**
 * The income history a visit or a review records, and the exit candidates it and the archives'
 * causes give (issue 4; domain: policy/exits.ts). Listing a candidate changes nothing: exiting is
 * a step a person takes, with its reason.
 */

import { sql } from '@niangjia/db';
import {
  type CalendarDate,
  type ExitCandidacy,
  exitCandidacy,
  type IncomeRecord,
  maskResidentId,
  type ParameterVersion,
} from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { audit } from '../audit/service';
import { orgByCode, parameterFor, parameterVersions, versionOn } from './service';

/** Records the household's monthly income as found at a visit or a review; its size is counted now. */
export async function recordIncome(
  ctx: Ctx,
  r: {
    householdId: string;
    orgId: string;
    onDate: CalendarDate;
    monthlyIncomeFen: number;
    source: 'visit' | 'review';
  },
): Promise<void> {
  const members = await ctx.tx
    .selectFrom('household_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('household_id', '=', r.householdId)
    .executeTakeFirstOrThrow();
  const size = 1 + Number(members.n);
  const row = await ctx.tx
    .insertInto('income_records')
    .values({
      household_id: r.householdId,
      org_id: r.orgId,
      on_date: r.onDate,
      monthly_income_fen: r.monthlyIncomeFen,
      size,
      source: r.source,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, {
    action: 'create',
    entity: 'income_record',
    entityId: row.id,
    orgId: r.orgId,
    after: {
      householdId: r.householdId,
      onDate: r.onDate,
      monthlyIncomeFen: r.monthlyIncomeFen,
      size,
      source: r.source,
    },
  });
}

export interface ExitCandidate {
  householdId: string;
  archiveId: string;
  headName: string;
  /** Masked (lists never show a whole ID number). */
  headIdNumber: string;
  org: string;
  orgName: string;
  archivedOn: CalendarDate;
  reasons: ExitCandidacy[];
}

interface ArchivedRow {
  household_id: string;
  archive_id: string;
  head_name: string;
  id_number: string;
  org_id: string;
  org_code: string;
  org_name: string;
  archived_on: string;
  causes: string[];
  disabled: boolean;
  size: number;
  incomes: { on: string; monthlyIncomeFen: number; size: number }[];
}

const BATCH = 2_000;

/**
 * Archived households of the scope (or of `org`'s subtree) that are exit candidates on a date,
 * each with every reason. The income history is what visits and reviews found (the survey's
 * figures are a year's, gross of the costs the rules deduct: they would list a relative-hardship
 * household months later on no new evidence); each record is compared with the 低保 line in force
 * on its day. An organisation without the rules' values is left out and named in `unavailable`.
 */
export async function exitCandidates(
  run: <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>,
  options: { asOf: CalendarDate; org?: string },
): Promise<{ items: ExitCandidate[]; unavailable: { org: string; message: string }[] }> {
  const org = options.org;
  const path = org ? await run(async (ctx) => (await orgByCode(ctx, org)).path) : undefined;
  const out: ExitCandidate[] = [];
  /** Each organisation's versions of the 低保 line, read once: each record is compared with the line of its day. */
  const lines = new Map<string, ParameterVersion[]>();
  const rules = new Map<
    string,
    { exitYearsWithoutObjectiveCause: number; exitMonthsAboveDibao: number } | null
  >();
  const unavailable = new Map<string, string>();
  let after: string | undefined;
  for (;;) {
    const batch = await run(async (ctx) => {
      const { rows } = await sql<ArchivedRow>`
        SELECT h.id AS household_id, a.id AS archive_id, h.head_name, hp.id_number, h.org_id,
               o.code AS org_code, o.name AS org_name, a.archived_on,
               a.primary_cause || a.secondary_causes AS causes,
               (hp.health = 'disabled' OR hp.disability IS NOT NULL OR EXISTS (
                  SELECT 1 FROM household_members m JOIN people p ON p.id = m.person_id
                  WHERE m.household_id = h.id
                    AND (coalesce(m.health, p.health) = 'disabled' OR p.disability IS NOT NULL))) AS disabled,
               1 + (SELECT count(*) FROM household_members m WHERE m.household_id = h.id)::int AS size,
               coalesce((SELECT json_agg(json_build_object('on', r.on_date, 'monthlyIncomeFen', r.monthly_income_fen,
                                                           'size', r.size) ORDER BY r.on_date)
                         FROM income_records r WHERE r.household_id = h.id), '[]') AS incomes
        FROM households h
        JOIN LATERAL niangjia_current_archive(h.id) a ON true
        JOIN people hp ON hp.id = h.head_person_id
        JOIN orgs o ON o.id = h.org_id
        WHERE h.archive_status = 'archived' AND a.archived_on IS NOT NULL
          AND ${path === undefined ? sql`true` : sql`starts_with(h.org_path, ${path})`}
          AND ${after === undefined ? sql`true` : sql`h.id > ${after}`}
        ORDER BY h.id
        LIMIT ${BATCH}`.execute(ctx.tx);
      // The lines and rules each row needs, looked up once per organisation and day.
      for (const r of rows) {
        if (!lines.has(r.org_id)) lines.set(r.org_id, await parameterVersions(ctx, r.org_id, 'dibaoMonthly'));
        if (!rules.has(r.org_id)) {
          const years = await parameterFor(ctx, r.org_id, 'exitYearsWithoutObjectiveCause', options.asOf);
          const months = await parameterFor(ctx, r.org_id, 'exitMonthsAboveDibao', options.asOf);
          const lacking = [
            !years && 'exitYearsWithoutObjectiveCause',
            !months && 'exitMonthsAboveDibao',
          ].filter(Boolean);
          // An organisation without the rules' values is left out and named, never failing the rest.
          if (!years || !months)
            unavailable.set(
              r.org_code,
              `No value of ${lacking.join(', ')} is in force for ${r.org_code} on ${options.asOf}: its households are not reviewed (niangjia policy set)`,
            );
          rules.set(
            r.org_id,
            years && months
              ? { exitYearsWithoutObjectiveCause: years.value, exitMonthsAboveDibao: months.value }
              : null,
          );
        }
      }
      return rows;
    });
    for (const r of batch) {
      const line = (day: string) => versionOn(lines.get(r.org_id) ?? [], day)?.value ?? null;
      const history: IncomeRecord[] = [];
      for (const i of r.incomes) {
        const dibao = line(i.on);
        // A record on a day without a 低保 line cannot be compared: it ends the run.
        history.push({
          on: i.on,
          monthlyIncomeFen: Number(i.monthlyIncomeFen),
          size: i.size,
          dibaoMonthlyFen: dibao ?? Number.MAX_SAFE_INTEGER,
        });
      }
      const orgRules = rules.get(r.org_id);
      if (!orgRules) continue;
      const reasons = exitCandidacy(
        { archivedOn: r.archived_on, causes: r.causes ?? [], disabledMember: r.disabled, incomes: history },
        orgRules,
        options.asOf,
      );

      if (reasons.length === 0) continue;
      out.push({
        householdId: r.household_id,
        archiveId: r.archive_id,
        headName: r.head_name,
        headIdNumber: maskResidentId(r.id_number),
        org: r.org_code,
        orgName: r.org_name,
        archivedOn: r.archived_on,
        reasons,
      });
    }
    if (batch.length < BATCH) break;
    after = (batch.at(-1) as ArchivedRow).household_id;
  }
  return { items: out, unavailable: [...unavailable].map(([org, message]) => ({ org, message })) };
}
