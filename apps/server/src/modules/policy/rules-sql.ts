/**
 * The rule sets of the domain package (packages/domain/src/policy/evaluate.ts) once more, as SQL
 * over `household_rule_inputs` (ADR 0017): a what-if simulation or a bulk re-evaluation of a
 * million households is one scan in the database instead of a million rows sent to Node. The
 * TypeScript stays the reference and gives every trace; this gives outcomes only, and a property
 * test (apps/server/test/rules-sql.test.ts) keeps the two equal household by household.
 *
 * Same arithmetic: annual totals in fen as bigint, ratios in ten-thousandths, the first category
 * that holds wins, an exclusion (where applied) refuses first. Ages compare birth days as yyyymmdd
 * numbers, which count whole years exactly as `ageOn` does.
 */
import type { ParameterKey, RuleSet } from '@niangjia/contracts';
import { type RawBuilder, sql } from '@niangjia/db';
import {
  addDays,
  type CalendarDate,
  FRESH_DISASTER_DAYS,
  MissingParameterError,
  type ParameterVersion,
  type Policy,
  parametersNeeded,
  RATIO_SCALE,
  RECENT_RELAPSE_DAYS,
} from '@niangjia/domain';
import type { Ctx } from '../../http/context';

/** A policy as the SQL reads it for one organisation, values in stored units (fen, ten-thousandths). */
export interface PolicyColumns {
  org_id: string;
  rule_set: RuleSet;
  impute: boolean;
  exclusions: boolean;
  dibao: number;
  legacy: number | null;
  relative: number | null;
  share: number | null;
  min_wage: number | null;
  /** People born after `lo` and on or before `hi` (day numbers) are of working age on the date. */
  lo: number | null;
  hi: number | null;
  /** The stored snapshot a decision names (re-evaluation only). */
  policy_id?: string;
}

const COLUMN_TYPES =
  'org_id uuid, rule_set text, impute boolean, exclusions boolean, dibao bigint, legacy bigint, relative bigint, ' +
  'share bigint, min_wage bigint, lo integer, hi integer, policy_id uuid';

/** A calendar date as the number yyyymmdd (migration 0028: niangjia_day_number). */
export const dayNumber = (d: CalendarDate) => Number(d.replaceAll('-', ''));

/**
 * An organisation's policy as columns. Throws MissingParameterError, as the rule set itself would,
 * when a value the rule set reads with these options has no version.
 */
export function policyColumns(orgId: string, policy: Policy, asOf: CalendarDate): PolicyColumns {
  const needs = parametersNeeded(policy.ruleSet, policy.options);
  const missing = needs.filter((k) => policy.parameters[k] === undefined);
  if (missing.length > 0) throw new MissingParameterError(missing, policy.ruleSet);
  const value = (k: ParameterKey) => (policy.parameters[k] as ParameterVersion | undefined)?.value ?? null;
  const impute = policy.options.imputeMinWage === true;
  const day = dayNumber(asOf);
  return {
    org_id: orgId,
    rule_set: policy.ruleSet,
    impute,
    exclusions: policy.options.applyExclusions === true,
    dibao: value('dibaoMonthly') as number,
    legacy: value('legacyMultiplier'),
    relative: value('relativeMultiplier'),
    share: value('accidentCostShare'),
    min_wage: impute ? value('minWageMonthly') : null,
    lo: impute ? day - (value('workingAgeTo') as number) * 10_000 : null,
    hi: impute ? day - (value('workingAgeFrom') as number) * 10_000 : null,
  };
}

/** The policies of the organisations as a table named `alias`, to join on `org_id`. */
export const policyTable = (rows: readonly PolicyColumns[], alias: string): RawBuilder<unknown> =>
  sql`json_to_recordset(${JSON.stringify(rows)}::json) AS ${sql.raw(alias)}(${sql.raw(COLUMN_TYPES)})`;

/**
 * The household's income under the policy `x` (its own plus the minimum wage of each person of
 * working age, healthy and unemployed, where imputed), as a LATERAL subquery with one column `income`
 * over the rule inputs `r`.
 */
export const incomeLateral = (x: string): RawBuilder<unknown> =>
  sql.raw(`(SELECT r.income_fen + CASE WHEN ${x}.impute AND cardinality(r.idle_births) > 0
    THEN 12 * ${x}.min_wage * (SELECT count(*) FROM unnest(r.idle_births) AS d(n) WHERE d.n > ${x}.lo AND d.n <= ${x}.hi)
    ELSE 0 END AS income)`);

/**
 * The category the policy `x` gives the rule inputs `r` with the income of `i` (incomeLateral), NULL
 * when none: legacy-2013 or national-2016 as the organisation's row says.
 */
export function categorySql(x: string, i: string): RawBuilder<string | null> {
  const scale = RATIO_SCALE;
  const line = `(${x}.dibao * 12 * r.size)`;
  return sql.raw(`CASE
    WHEN ${x}.exclusions AND r.excluded THEN NULL
    WHEN ${x}.rule_set = 'legacy-2013' THEN
      CASE WHEN ${i}.income * ${scale} <= ${x}.legacy * ${line} THEN 'legacy_general' END
    WHEN ${i}.income - r.deductions_fen <= ${line} THEN 'deep'
    WHEN (${i}.income - r.deductions_fen - r.employment_fen) * ${scale} < ${x}.relative * ${line} THEN 'relative'
    WHEN r.causes && ARRAY['6', '7', '8'] AND r.hardship_fen * ${scale} > ${x}.share * ${i}.income THEN 'accident'
  END`);
}

/**
 * The monthly income per person, rounded to the fen half away from zero, as the domain's
 * `perCapita.monthlyIncomeFen` (for reading; decisions use the annual totals).
 */
export const monthlyIncomeSql = (i: string): RawBuilder<number> =>
  sql.raw(`CASE WHEN ${i}.income >= 0 THEN (2 * ${i}.income + 12 * r.size) / (24 * r.size)
    ELSE -((-2 * ${i}.income + 12 * r.size) / (24 * r.size)) END`);

/**
 * The urgency rules (domain: policy/urgency.ts, deriveUrgency) as of `today`, over SQL expressions
 * for the category, the causes, whether anyone is seriously ill, and the archive's opening day and
 * origin: `ARRAY[urgency, reason]`.
 */
export function urgencySql(
  today: CalendarDate,
  f: { category: string; causes: string; seriouslyIll: string; openedOn: string; origin: string },
): RawBuilder<string[]> {
  return sql<string[]>`CASE
    WHEN ${sql.raw(f.causes)} && ARRAY['7', '8'] AND ${sql.raw(f.openedOn)} > ${addDays(today, -FRESH_DISASTER_DAYS)}::date
      THEN ARRAY['critical', 'fresh_disaster']
    WHEN ${sql.raw(f.category)} = 'deep' AND ${sql.raw(f.seriouslyIll)} THEN ARRAY['critical', 'deep_and_seriously_ill']
    WHEN ${sql.raw(f.category)} = 'deep' THEN ARRAY['urgent', 'deep']
    WHEN ${sql.raw(f.category)} = 'accident' THEN ARRAY['urgent', 'accident']
    WHEN ${sql.raw(f.causes)} @> ARRAY['6'] AND ${sql.raw(f.seriouslyIll)} THEN ARRAY['urgent', 'seriously_ill']
    WHEN ${sql.raw(f.origin)} = 'relapsed' AND ${sql.raw(f.openedOn)} > ${addDays(today, -RECENT_RELAPSE_DAYS)}::date
      THEN ARRAY['urgent', 'relapsed']
    ELSE ARRAY['normal', 'none'] END`;
}

/**
 * Brings the rule inputs of the households changed since up to date (migration 0035), in a
 * transaction of its own: bulk work calls it first.
 */
export async function refreshStaleRuleInputs(
  run: <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>,
): Promise<number> {
  return run(
    async (ctx) =>
      (await sql<{ n: number }>`SELECT niangjia_refresh_stale_rule_inputs() AS n`.execute(ctx.tx)).rows[0]
        ?.n ?? 0,
  );
}
