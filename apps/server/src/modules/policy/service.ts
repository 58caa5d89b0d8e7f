/**
 * Policy parameters and rule sets as dated, regional data (issue 4): versions are set with their
 * source, never deleted, and the value in force for an organisation on a date is its own version
 * or the nearest ancestor's. A new version that starts inside an open-ended one closes it the day
 * before (a new 低保 line from 1 July ends the old one on 30 June), and when the new one has an
 * end, the old value comes back the day after it; any other overlap is refused.
 */
import {
  type ParameterKey,
  type ParameterVersionView,
  type PolicyOptions,
  parameterValueOf,
  parameterValueText,
  policyOptionsSchema,
  type RuleSet,
  type RuleSetVersionView,
  type SetParameter,
  type SetRuleSet,
} from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import { addDays, type CalendarDate, type ParameterVersion, type PolicyParameters } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { AppError, conflict, notFound } from '../../http/errors';
import { audit } from '../audit/service';

/** An organisation of the caller's scope, by code. */
export async function orgByCode(ctx: Ctx, code: string) {
  const org = await ctx.tx
    .selectFrom('orgs')
    .select(['id', 'code', 'name', 'path'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!org) throw notFound(`Organisation ${code}`);
  return org;
}

interface ParameterRow {
  id: string;
  key: string;
  value: number;
  org_code: string;
  org_name: string;
  depth: number;
  valid_from: string;
  valid_to: string | null;
  source: string | null;
}

const parameterView = (r: ParameterRow): ParameterVersionView => ({
  id: r.id,
  key: r.key as ParameterKey,
  value: Number(r.value),
  valueText: parameterValueText(r.key as ParameterKey, Number(r.value)),
  org: r.org_code,
  orgName: r.org_name,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  source: r.source,
});

/** Whether two periods (valid_to null = open) share a day. */
const overlaps = (aFrom: string, aTo: string | null, bFrom: string, bTo: string | null) =>
  (aTo === null || bFrom <= aTo) && (bTo === null || aFrom <= bTo);

interface Versioned {
  id: string;
  valid_from: string;
  valid_to: string | null;
}

/**
 * Where a new version [from, to] goes among the existing ones of the same thing: the open-ended
 * version it starts inside is closed the day before; a version starting the same day, or any
 * other overlap, is refused, naming it.
 */
function placeVersion<V extends Versioned>(
  existing: V[],
  from: CalendarDate,
  to: CalendarDate | null,
  what: string,
): { close?: V } {
  const open = existing.find((v) => v.valid_to === null && v.valid_from < from);
  for (const v of existing) {
    // Closed the day before the new one starts, it no longer overlaps.
    if (v === open) continue;
    if (overlaps(v.valid_from, v.valid_to, from, to)) {
      throw conflict(
        `${what} already has a version from ${v.valid_from}${v.valid_to ? ` to ${v.valid_to}` : ''} that overlaps ${from}${to ? ` to ${to}` : ''}`,
        { overlapping: { id: v.id, validFrom: v.valid_from, validTo: v.valid_to } },
      );
    }
  }
  return open ? { close: open } : {};
}

/** Closes the open-ended version a new one starts inside on the day before it (audited). */
async function closeVersion(
  ctx: Ctx,
  table: 'policy_parameters' | 'policy_rule_sets',
  orgId: string,
  id: string,
  newFrom: CalendarDate,
): Promise<void> {
  const closedTo = addDays(newFrom, -1);
  await ctx.tx
    .updateTable(table)
    .set({ valid_to: closedTo, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  await audit(ctx, {
    action: 'update',
    entity: table === 'policy_parameters' ? 'policy_parameter' : 'policy_rule_set',
    entityId: id,
    orgId,
    before: { validTo: null },
    after: { validTo: closedTo },
  });
}

/** Serialises the writers of one parameter (or rule set) of one organisation. */
const lockVersions = (ctx: Ctx, name: string) =>
  sql`SELECT pg_advisory_xact_lock(hashtextextended(${name}, 0))`.execute(ctx.tx);

export async function setParameter(ctx: Ctx, input: SetParameter): Promise<ParameterVersionView> {
  const value = parameterValueOf(input.key, input.value);
  if (value === undefined)
    throw new AppError('validation_failed', `Not a value of ${input.key}: ${input.value}`);
  const org = await orgByCode(ctx, input.org);
  await lockVersions(ctx, `policy_parameters:${org.id}:${input.key}`);
  const existing = await ctx.tx
    .selectFrom('policy_parameters')
    .select(['id', 'valid_from', 'valid_to', 'value', 'source'])
    .where('org_id', '=', org.id)
    .where('key', '=', input.key)
    .execute();
  const to = input.validTo ?? null;
  const { close } = placeVersion(existing, input.validFrom, to, `${input.key} of ${org.code}`);
  if (close) await closeVersion(ctx, 'policy_parameters', org.id, close.id, input.validFrom);
  const row = await ctx.tx
    .insertInto('policy_parameters')
    .values({
      org_id: org.id,
      key: input.key,
      value,
      valid_from: input.validFrom,
      valid_to: to,
      source: input.source ?? null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const after = {
    key: input.key,
    value,
    validFrom: input.validFrom,
    validTo: to,
    source: input.source ?? null,
  };
  await audit(ctx, { action: 'create', entity: 'policy_parameter', entityId: row.id, orgId: org.id, after });
  // A version for a period inside an open-ended one interrupts it: the old value comes back the
  // day after (a 2016-only line, then the line of before again).
  if (close && to !== null) {
    const resumed = await ctx.tx
      .insertInto('policy_parameters')
      .values({
        org_id: org.id,
        key: input.key,
        value: close.value,
        valid_from: addDays(to, 1),
        valid_to: null,
        source: close.source,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: 'create',
      entity: 'policy_parameter',
      entityId: resumed.id,
      orgId: org.id,
      after: {
        key: input.key,
        value: close.value,
        validFrom: addDays(to, 1),
        validTo: null,
        source: close.source,
        resumes: close.id,
      },
    });
  }
  return {
    id: row.id,
    key: input.key,
    value,
    valueText: parameterValueText(input.key, value),
    org: org.code,
    orgName: org.name,
    validFrom: input.validFrom,
    validTo: to,
    source: input.source ?? null,
  };
}

/** Every version of the organisation's parameters and of its ancestors', nearest first, newest first. */
async function parameterRows(ctx: Ctx, orgId: string, key?: ParameterKey): Promise<ParameterRow[]> {
  const rows = await sql<ParameterRow>`
    SELECT id, key, value, org_code, org_name, depth, valid_from, valid_to, source
    FROM niangjia_policy_parameter_versions(${orgId})
    WHERE ${key === undefined ? sql`true` : sql`key = ${key}`}
    ORDER BY key, depth DESC, valid_from DESC`.execute(ctx.tx);
  return rows.rows;
}

const inForce = <R extends { valid_from: string; valid_to: string | null }>(r: R, on: CalendarDate) =>
  r.valid_from <= on && (r.valid_to === null || r.valid_to >= on);

/** The history of one parameter as it applies to an organisation: its own versions and its ancestors'. */
export async function parameterHistory(ctx: Ctx, orgCode: string, key?: ParameterKey) {
  const org = await orgByCode(ctx, orgCode);
  return (await parameterRows(ctx, org.id, key)).map(parameterView);
}

/** The version of a parameter in force for an organisation on a date: its own, else the nearest ancestor's. */
export async function parameterInForce(
  ctx: Ctx,
  input: { key: ParameterKey; org: string; asOf: CalendarDate },
): Promise<ParameterVersionView> {
  const org = await orgByCode(ctx, input.org);
  const found = (await parameterRows(ctx, org.id, input.key)).find((r) => inForce(r, input.asOf));
  if (!found)
    throw new AppError('not_found', `No value of ${input.key} is in force for ${org.code} on ${input.asOf}`);
  return parameterView(found);
}

/** A stored row as the rule sets read a version. */
const versionOf = (r: ParameterRow): ParameterVersion => ({
  id: r.id,
  key: r.key as ParameterKey,
  value: Number(r.value),
  orgCode: r.org_code,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  source: r.source,
});

/** Every version of one parameter that applies to an organisation (by id), nearest organisation first. */
export async function parameterVersions(
  ctx: Ctx,
  orgId: string,
  key: ParameterKey,
): Promise<ParameterVersion[]> {
  return (await parameterRows(ctx, orgId, key)).map(versionOf);
}

/** The version in force on a day among an organisation's versions (nearest organisation first). */
export const versionOn = (
  versions: readonly ParameterVersion[],
  on: CalendarDate,
): ParameterVersion | undefined =>
  versions.find((v) => v.validFrom <= on && (v.validTo === null || v.validTo >= on));

/** One parameter's version in force for an organisation (by id) on a date, if any. */
export async function parameterFor(
  ctx: Ctx,
  orgId: string,
  key: ParameterKey,
  on: CalendarDate,
): Promise<ParameterVersion | undefined> {
  return versionOn(await parameterVersions(ctx, orgId, key), on);
}

/** Every parameter in force for an organisation on a date, as the rule sets read them. */
export async function parametersInForce(
  ctx: Ctx,
  orgId: string,
  asOf: CalendarDate,
): Promise<PolicyParameters> {
  const parameters: PolicyParameters = {};
  // Rows come nearest organisation first: the first in force for a key is the one.
  for (const r of await parameterRows(ctx, orgId)) {
    const key = r.key as ParameterKey;
    if (parameters[key] || !inForce(r, asOf)) continue;
    parameters[key] = versionOf(r);
  }
  return parameters;
}

/** Every parameter in force on a date for each of many organisations, in one round trip. */
export async function parametersInForceForOrgs(
  ctx: Ctx,
  orgIds: readonly string[],
  asOf: CalendarDate,
): Promise<Map<string, PolicyParameters>> {
  const { rows } = await sql<ParameterRow & { for_org: string }>`
    SELECT x.id AS for_org, v.id, v.key, v.value, v.org_code, v.org_name, v.depth, v.valid_from, v.valid_to, v.source
    FROM unnest(${orgIds as string[]}::uuid[]) AS x(id)
    CROSS JOIN LATERAL niangjia_policy_parameter_versions(x.id) v
    ORDER BY x.id, v.key, v.depth DESC, v.valid_from DESC`.execute(ctx.tx);
  const found = new Map<string, PolicyParameters>(orgIds.map((id) => [id, {}]));
  for (const r of rows) {
    const parameters = found.get(r.for_org) as PolicyParameters;
    const key = r.key as ParameterKey;
    if (!parameters[key] && inForce(r, asOf)) parameters[key] = versionOf(r);
  }
  return found;
}

interface RuleSetRow {
  id: string;
  rule_set: string;
  options: unknown;
  org_code: string;
  org_name: string;
  depth: number;
  valid_from: string;
  valid_to: string | null;
  source: string | null;
}

const ruleSetView = (r: RuleSetRow): RuleSetVersionView => ({
  id: r.id,
  ruleSet: r.rule_set as RuleSet,
  options: policyOptionsSchema.parse(r.options ?? {}),
  org: r.org_code,
  orgName: r.org_name,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  source: r.source,
});

export async function setRuleSet(ctx: Ctx, input: SetRuleSet): Promise<RuleSetVersionView> {
  const org = await orgByCode(ctx, input.org);
  await lockVersions(ctx, `policy_rule_sets:${org.id}`);
  const existing = await ctx.tx
    .selectFrom('policy_rule_sets')
    .select(['id', 'valid_from', 'valid_to', 'rule_set', 'options', 'source'])
    .where('org_id', '=', org.id)
    .execute();
  const to = input.validTo ?? null;
  const { close } = placeVersion(existing, input.validFrom, to, `The rule set of ${org.code}`);
  if (close) await closeVersion(ctx, 'policy_rule_sets', org.id, close.id, input.validFrom);
  const options: PolicyOptions = input.options;
  const row = await ctx.tx
    .insertInto('policy_rule_sets')
    .values({
      org_id: org.id,
      rule_set: input.ruleSet,
      options: JSON.stringify(options),
      valid_from: input.validFrom,
      valid_to: to,
      source: input.source ?? null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const after = {
    ruleSet: input.ruleSet,
    options,
    validFrom: input.validFrom,
    validTo: to,
    source: input.source ?? null,
  };
  await audit(ctx, { action: 'create', entity: 'policy_rule_set', entityId: row.id, orgId: org.id, after });
  if (close && to !== null) {
    const resumed = await ctx.tx
      .insertInto('policy_rule_sets')
      .values({
        org_id: org.id,
        rule_set: close.rule_set,
        options: JSON.stringify(close.options),
        valid_from: addDays(to, 1),
        valid_to: null,
        source: close.source,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: 'create',
      entity: 'policy_rule_set',
      entityId: resumed.id,
      orgId: org.id,
      after: {
        ruleSet: close.rule_set,
        options: close.options,
        validFrom: addDays(to, 1),
        validTo: null,
        resumes: close.id,
      },
    });
  }
  return {
    id: row.id,
    ruleSet: input.ruleSet,
    options,
    org: org.code,
    orgName: org.name,
    validFrom: input.validFrom,
    validTo: to,
    source: input.source ?? null,
  };
}

async function ruleSetRows(ctx: Ctx, orgId: string): Promise<RuleSetRow[]> {
  const rows = await sql<RuleSetRow>`
    SELECT id, rule_set, options, org_code, org_name, depth, valid_from, valid_to, source
    FROM niangjia_policy_rule_set_versions(${orgId})
    ORDER BY depth DESC, valid_from DESC`.execute(ctx.tx);
  return rows.rows;
}

/** The rule set in force for an organisation on a date (its own choice, else the nearest ancestor's). */
export async function ruleSetInForce(
  ctx: Ctx,
  orgId: string,
  asOf: CalendarDate,
): Promise<RuleSetVersionView | undefined> {
  const found = (await ruleSetRows(ctx, orgId)).find((r) => inForce(r, asOf));
  return found ? ruleSetView(found) : undefined;
}

export async function ruleSetHistory(ctx: Ctx, orgCode: string): Promise<RuleSetVersionView[]> {
  const org = await orgByCode(ctx, orgCode);
  return (await ruleSetRows(ctx, org.id)).map(ruleSetView);
}
