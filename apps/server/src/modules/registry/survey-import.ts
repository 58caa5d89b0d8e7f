import { randomUUID } from 'node:crypto';
import type { CreateHousehold } from '@niangjia/contracts';
import { bulkInsert, isUniqueViolation, sql } from '@niangjia/db';
import { maskResidentId, residentIdFacts } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { type AuditEvent, audit, auditMany } from '../audit/service';
import { queueEvaluation } from '../policy/evaluation-job';
import { maskPhone } from './duplicates';
import { queueDuplicateDetection } from './duplicates-job';
import { updateSurveyItems } from './households';
import {
  type CellIssue,
  countRows,
  readWorkbook,
  type SheetIssue,
  SURVEY_HOUSEHOLDS,
  SURVEY_MEMBERS,
  type SurveyHousehold,
  type SurveyMember,
} from './workbook';

export interface ImportError {
  sheet: string;
  row?: number;
  column?: string;
  message: string;
}

/** The report of `niangjia import survey --json`, and of the import page. */
export interface SurveyImportReport {
  households: { imported: number; updated: number; rejected: number };
  members: { imported: number; rejected: number };
  errors: ImportError[];
  warnings: ImportError[];
}

/** How far an import is: the sheet being read, its rows read, and the share of the file's rows done. */
export interface ImportProgress {
  sheet: '家庭' | '家庭成员';
  /** Rows of that sheet read so far. */
  rows: number;
  /** 0 to 1 over the whole import: rows done against the rows of the file's worksheets. */
  fraction: number;
}

/** Runs one unit of work in its own scoped transaction (a request's `run`, or the operator's). */
export type Runner = <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>;

export interface ImportOptions {
  dryRun?: boolean;
  today: string;
  onProgress?: (progress: ImportProgress) => Promise<void> | void;
  /** Rows written per transaction (tests make it small to cross batch borders). */
  batchSize?: number;
}

/** Thrown inside a dry run's transaction so that nothing it wrote is kept. */
class DryRun extends Error {
  constructor(readonly outcome: unknown) {
    super('dry run');
  }
}

/**
 * How an import writes a batch: a unit of work that keeps its writes, or (dry run) only tells what
 * it would have done. A batch that meets a concurrent writer's row (a unique violation) is planned
 * again from scratch, up to three times.
 */
export function batchWriter(run: Runner, dryRun: boolean) {
  return async <T>(fn: (ctx: Ctx) => Promise<T>): Promise<T> => {
    for (let tries = 1; ; tries++) {
      try {
        if (!dryRun) return await run(fn);
        await run(async (ctx) => {
          throw new DryRun(await fn(ctx));
        });
      } catch (err) {
        if (err instanceof DryRun) return err.outcome as T;
        if (isUniqueViolation(err) && tries < 3) continue;
        throw err;
      }
    }
  };
}

/** Why a row is refused: the column it belongs to and the reason, in the readers' words. */
interface Refusal {
  column: string;
  message: string;
}

type HouseholdOutcome = 'imported' | 'updated' | 'unchanged' | Refusal;
type MemberOutcome = 'imported' | 'unchanged' | Refusal;

interface OrgRef {
  id: string;
  code: string;
  name: string;
  path: string;
  active: boolean;
}

/** What the registry knows of a person: who keeps the record, and, when the scope sees it, more. */
interface KnownPerson {
  id: string;
  keeperCode: string;
  keeperName: string;
  /** Only for a record the scope sees. */
  name?: string;
  orgPath?: string;
  /** The open household (not exited or refused) the person heads or belongs to, wherever it is. */
  openHousehold?: { code: string; name: string };
}

const nameDiffers = (id18: string): string => `身份证号 ${maskResidentId(id18)} 在档案中登记的姓名与本行不同`;

const keptElsewhere = (id18: string, p: KnownPerson): string =>
  `身份证号 ${maskResidentId(id18)} 的人员由 ${p.keeperName}（${p.keeperCode}）登记管理，请先与该单位联系`;

/**
 * Everyone of `ids` the registry knows, in a fixed number of statements whatever their count: who
 * keeps each record (also outside the scope: one person, one record), the scope's own view of it,
 * and the open household each belongs to.
 */
async function lookupPeople(ctx: Ctx, ids: string[]): Promise<Map<string, KnownPerson>> {
  const known = new Map<string, KnownPerson>();
  if (ids.length === 0) return known;
  const keepers = await sql<{ id_number: string; person_id: string; org_code: string; org_name: string }>`
    select * from niangjia_person_keepers(${ids}::text[])`.execute(ctx.tx);
  for (const k of keepers.rows)
    known.set(k.id_number, { id: k.person_id, keeperCode: k.org_code, keeperName: k.org_name });
  if (known.size === 0) return known;
  const visible = await sql<{ id_number: string; name: string; path: string }>`
    select p.id_number, p.name, o.path
    from people p
    join orgs o on o.id = p.org_id
    where p.id_number = any(${[...known.keys()]}::text[])`.execute(ctx.tx);
  for (const v of visible.rows) {
    const k = known.get(v.id_number);
    if (k) Object.assign(k, { name: v.name, orgPath: v.path });
  }
  const personIds = [...known.values()].map((k) => k.id);
  const open = await sql<{ person_id: string; org_code: string; org_name: string }>`
    select * from niangjia_open_households_of(${personIds}::uuid[])`.execute(ctx.tx);
  const byId = new Map([...known.values()].map((k) => [k.id, k]));
  for (const o of open.rows) {
    const k = byId.get(o.person_id);
    if (k) k.openHousehold = { code: o.org_code, name: o.org_name };
  }
  return known;
}

/**
 * The person record a row may use for someone the registry already knows, or the refusal: a record
 * kept outside the household's organisation, under another name, or in another open household.
 */
function reuse(
  id18: string,
  name: string,
  p: KnownPerson,
  org: OrgRef,
  nameColumn: string,
  idColumn: string,
) {
  if (!p.orgPath) return { column: idColumn, message: keptElsewhere(id18, p) };
  if (p.name !== name) return { column: nameColumn, message: nameDiffers(id18) };
  if (p.openHousehold)
    return {
      column: idColumn,
      message: `身份证号 ${maskResidentId(id18)} 的人员已在 ${p.openHousehold.name}（${p.openHousehold.code}）的在册家庭中`,
    };
  // The household's organisation must see the person too, not only the importer.
  if (!p.orgPath.startsWith(org.path)) return { column: idColumn, message: keptElsewhere(id18, p) };
  return undefined;
}

function toCreate(v: SurveyHousehold): CreateHousehold {
  return {
    orgCode: v.orgCode,
    head: {
      idNumber: v.headIdNumber,
      name: v.headName,
      phone: v.phone,
      householdRegistration: v.householdRegistration,
      migrantWorker: v.migrantWorker,
    },
    members: [],
    housingType: v.housingType,
    income: {
      wageIncomeFen: v.wageIncomeFen,
      businessIncomeFen: v.businessIncomeFen ?? 0,
      propertyIncomeFen: v.propertyIncomeFen ?? 0,
      transferIncomeFen: v.transferIncomeFen ?? 0,
      otherIncomeFen: v.otherIncomeFen ?? 0,
      medicalCostFen: v.medicalCostFen ?? 0,
      disabilityCostFen: v.disabilityCostFen ?? 0,
      educationCostFen: v.educationCostFen ?? 0,
      housingCostFen: v.housingCostFen ?? 0,
      otherRigidCostFen: v.otherRigidCostFen ?? 0,
      employmentCostFen: v.employmentCostFen ?? 0,
    },
    surveyDate: v.surveyDate,
    surveyor: v.surveyor,
    primaryCause: v.primaryCause,
    secondaryCauses: v.secondaryCauses ?? [],
    urgency: 'normal',
    origin: 'new',
  } as CreateHousehold;
}

/** The organisations of the file, as the scope sees them (an unseen code is not found), cached. */
class Orgs {
  private readonly cache = new Map<string, OrgRef | null>();

  async load(ctx: Ctx, codes: string[]): Promise<void> {
    const missing = [...new Set(codes)].filter((c) => !this.cache.has(c));
    if (missing.length === 0) return;
    const rows = await ctx.tx
      .selectFrom('orgs')
      .select(['id', 'code', 'name', 'path', 'active'])
      .where('code', 'in', missing)
      .execute();
    for (const code of missing) this.cache.set(code, null);
    for (const r of rows) this.cache.set(r.code, r);
  }

  get(code: string): OrgRef | null {
    return this.cache.get(code) ?? null;
  }
}

/**
 * The households of the scope headed by these ID numbers. A batch's list is one array parameter
 * (`= any`, an index lookup per element), never an IN list of 1,000 parameters, which a small
 * table's plan matches row by row against every element. The organisation's code is a scalar
 * subquery, not a join: joined, the scope's organisations (estimated from a setting, so badly)
 * led the plan to scan every household of the scope once per batch.
 */
async function householdsOfHeads(ctx: Ctx, heads: string[]) {
  return ctx.tx
    .selectFrom('people as p')
    .innerJoin('households as h', 'h.head_person_id', 'p.id')
    .where(sql<boolean>`p.id_number = any(${heads}::text[])`)
    .selectAll('h')
    .select([
      sql<string>`(select o.code from orgs o where o.id = h.org_id)`.as('org_code'),
      'p.id_number as head_id_number',
      'p.id as head_id',
      'p.name as head_person_name',
      'p.phone as head_phone',
      'p.household_registration as head_registration',
      'p.migrant_worker as head_migrant',
    ])
    .execute();
}

type ExistingHousehold = Awaited<ReturnType<typeof householdsOfHeads>>[number];

/**
 * A household surveyed again: its survey items (updateSurveyItems, as the API does), its floor
 * area, and what the row says of its head (phone, household registration, migrant worker) follow
 * the new survey, each change audited. Returns whether anything changed.
 */
async function resurvey(ctx: Ctx, h: ExistingHousehold, v: SurveyHousehold): Promise<boolean> {
  let changed = await updateSurveyItems(ctx, h, toCreate(v));
  const area = v.housingAreaCentiM2 ?? null;
  if (h.housing_area_centi_m2 !== area) {
    await ctx.tx
      .updateTable('households')
      .set({ housing_area_centi_m2: area })
      .where('id', '=', h.id)
      .execute();
    await audit(ctx, {
      action: 'update',
      entity: 'household',
      entityId: h.id,
      orgId: h.org_id,
      before: { housingAreaCentiM2: h.housing_area_centi_m2 },
      after: { housingAreaCentiM2: area },
    });
    changed = true;
  }
  const person = {
    phone: [h.head_phone, v.phone ?? null],
    household_registration: [h.head_registration, v.householdRegistration],
    migrant_worker: [h.head_migrant, v.migrantWorker],
  } as const;
  const set = Object.fromEntries(
    Object.entries(person)
      .filter(([, [was, now]]) => was !== now)
      .map(([k, [, now]]) => [k, now]),
  );
  if (Object.keys(set).length === 0) return changed;
  await ctx.tx
    .updateTable('people')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', h.head_id)
    .execute();
  // Phones are personal data: the trail says they changed, masked.
  const shown = (k: string, value: unknown) =>
    k === 'phone' && typeof value === 'string' ? maskPhone(value) : value;
  await audit(ctx, {
    action: 'update',
    entity: 'person',
    entityId: h.head_id,
    orgId: h.org_id,
    before: Object.fromEntries(
      Object.keys(set).map((k) => [k, shown(k, person[k as keyof typeof person][0])]),
    ),
    after: Object.fromEntries(Object.keys(set).map((k) => [k, shown(k, set[k])])),
  });
  return true;
}

// Columns of the batch inserts, with their SQL types (bulkInsert: one JSON parameter per batch).
const HEAD_COLUMNS = {
  id: 'uuid',
  employer_id: 'uuid',
  id_number: 'text',
  name: 'text',
  sex: 'text',
  birth_date: 'date',
  org_id: 'uuid',
  phone: 'text',
  household_registration: 'text',
  migrant_worker: 'boolean',
  source: 'text',
} as const;
const MEMBER_COLUMNS = {
  id: 'uuid',
  id_number: 'text',
  name: 'text',
  sex: 'text',
  birth_date: 'date',
  org_id: 'uuid',
  health: 'text',
  activity: 'text',
  migrant_worker: 'boolean',
  source: 'text',
} as const;
const HOUSEHOLD_COLUMNS = {
  id: 'uuid',
  org_id: 'uuid',
  head_person_id: 'uuid',
  housing_type: 'text',
  housing_area_centi_m2: 'integer',
  wage_income_fen: 'bigint',
  business_income_fen: 'bigint',
  property_income_fen: 'bigint',
  transfer_income_fen: 'bigint',
  other_income_fen: 'bigint',
  medical_cost_fen: 'bigint',
  disability_cost_fen: 'bigint',
  education_cost_fen: 'bigint',
  housing_cost_fen: 'bigint',
  other_rigid_cost_fen: 'bigint',
  employment_cost_fen: 'bigint',
  survey_date: 'date',
  surveyor: 'text',
  org_path: 'text',
  head_name: 'text',
  head_migrant_worker: 'boolean',
  archive_status: 'text',
  archive_category: 'text',
  archive_causes: 'text[]',
  archive_urgency: 'text',
} as const;
const ARCHIVE_COLUMNS = {
  id: 'uuid',
  household_id: 'uuid',
  org_id: 'uuid',
  origin: 'text',
  primary_cause: 'text',
  secondary_causes: 'text[]',
  urgency: 'text',
  status: 'text',
  opened_on: 'date',
} as const;
const STEP_COLUMNS = {
  archive_id: 'uuid',
  action: 'text',
  from_status: 'text',
  to_status: 'text',
  on_date: 'date',
  user_id: 'uuid',
  username: 'text',
  comment: 'text',
} as const;
const MEMBERSHIP_COLUMNS = {
  household_id: 'uuid',
  person_id: 'uuid',
  relation: 'text',
  monthly_income_fen: 'bigint',
  health: 'text',
  activity: 'text',
} as const;

interface HouseholdRowIn {
  row: number;
  v: SurveyHousehold;
}

interface MemberRowIn {
  row: number;
  v: SurveyMember;
}

/**
 * A household this import created: its members' rows need not look it up by its head (its
 * members are still looked up: someone may have added one meanwhile).
 */
interface FreshHousehold {
  id: string;
  org_code: string;
}

/** A household new in a dry run does not exist in the database: its members are checked against this. */
interface PlannedHousehold {
  orgCode: string;
}

/**
 * One batch of household rows in one transaction: a fixed number of statements to look up what the
 * registry has, then one multi-row INSERT per table. Returns the outcome of every row.
 */
async function writeHouseholds(
  ctx: Ctx,
  rows: HouseholdRowIn[],
  orgs: Orgs,
  today: string,
  /** Problems that do not refuse a row (an employer left unlinked), by Excel row. */
  warnings: ({ row: number } & Refusal)[],
  /** Filled with the households this batch creates, by their head's ID number. */
  fresh: Map<string, FreshHousehold>,
): Promise<HouseholdOutcome[]> {
  await orgs.load(
    ctx,
    rows.map((r) => r.v.orgCode),
  );
  const ids = rows.map((r) => r.v.headIdNumber);
  const existing = await householdsOfHeads(ctx, ids);
  const households = new Map(existing.map((h) => [h.head_id_number, h]));
  // A household found by its head is surveyed again; only the others need their head looked up.
  const known = await lookupPeople(
    ctx,
    ids.filter((id) => !households.has(id)),
  );

  const outcomes: HouseholdOutcome[] = [];
  const creating: { index: number; org: OrgRef; personId?: string }[] = [];
  for (const [index, { v }] of rows.entries()) {
    const org = orgs.get(v.orgCode);
    if (!org) {
      outcomes.push({ column: '所属工会', message: '所属工会不存在，或不在您的管理范围内' });
      continue;
    }
    if (!org.active) {
      outcomes.push({ column: '所属工会', message: '所属工会已停用' });
      continue;
    }
    if (v.surveyDate > today) {
      outcomes.push({ column: '调查日期', message: '调查日期晚于今天' });
      continue;
    }
    const household = households.get(v.headIdNumber);
    if (household) {
      if (household.org_code !== v.orgCode) {
        outcomes.push({
          column: '所属工会',
          message: '该户主的家庭登记在另一个工会，不能通过导入改变所属工会',
        });
        continue;
      }
      if (household.head_person_name !== v.headName) {
        outcomes.push({
          column: '户主姓名',
          message: nameDiffers(v.headIdNumber),
        });
        continue;
      }
      outcomes.push((await resurvey(ctx, household, v)) ? 'updated' : 'unchanged');
      continue;
    }
    const person = known.get(v.headIdNumber);
    const refusal = person && reuse(v.headIdNumber, v.headName, person, org, '户主姓名', '户主身份证号');
    if (refusal) {
      outcomes.push(refusal);
      continue;
    }
    outcomes.push('imported');
    creating.push({ index, org, personId: person?.id });
  }
  if (creating.length === 0) return outcomes;

  const newPeople = creating.filter((c) => !c.personId);
  const employerOf = await employers(
    ctx,
    newPeople.map(({ index, org }) => ({ ...(rows[index] as HouseholdRowIn), org })),
  );
  // Every identifier is made here: no insert needs another's RETURNING. The inserts are awaited in
  // turn, never started together (ARCHITECTURE.md, request flow).
  const made = creating.map((c) => ({
    ...c,
    newPerson: !c.personId,
    personId: c.personId ?? randomUUID(),
    householdId: randomUUID(),
    archiveId: randomUUID(),
    v: (rows[c.index] as HouseholdRowIn).v,
  }));
  await bulkInsert(
    ctx.tx,
    'people',
    HEAD_COLUMNS,
    made
      .filter((m) => m.newPerson)
      .map(({ index, org, personId, v }) => {
        const { row } = rows[index] as HouseholdRowIn;
        const id = residentIdFacts(v.headIdNumber);
        const employer = employerOf.get(row);
        if (typeof employer === 'object') warnings.push({ row, ...employer });
        return {
          id: personId,
          employer_id: typeof employer === 'string' ? employer : null,
          id_number: v.headIdNumber,
          name: v.headName,
          sex: id.sex,
          birth_date: id.birthDate,
          org_id: org.id,
          phone: v.phone ?? null,
          household_registration: v.householdRegistration,
          migrant_worker: v.migrantWorker,
          source: 'survey',
        };
      }),
  );
  await bulkInsert(
    ctx.tx,
    'households',
    HOUSEHOLD_COLUMNS,
    made.map(({ org, personId, householdId, v }) => {
      const i = toCreate(v).income;
      return {
        id: householdId,
        org_id: org.id,
        head_person_id: personId,
        housing_type: v.housingType ?? null,
        housing_area_centi_m2: v.housingAreaCentiM2 ?? null,
        wage_income_fen: i.wageIncomeFen,
        business_income_fen: i.businessIncomeFen,
        property_income_fen: i.propertyIncomeFen,
        transfer_income_fen: i.transferIncomeFen,
        other_income_fen: i.otherIncomeFen,
        medical_cost_fen: i.medicalCostFen,
        disability_cost_fen: i.disabilityCostFen,
        education_cost_fen: i.educationCostFen,
        housing_cost_fen: i.housingCostFen,
        other_rigid_cost_fen: i.otherRigidCostFen,
        employment_cost_fen: i.employmentCostFen,
        survey_date: v.surveyDate,
        surveyor: v.surveyor ?? null,
        // The list's copies (migrations 0011, 0012) given right: the triggers rewrite nothing.
        org_path: org.path,
        head_name: v.headName,
        head_migrant_worker: v.migrantWorker,
        archive_status: 'surveyed',
        archive_category: null,
        archive_causes: [v.primaryCause, ...secondaryOf(v)],
        archive_urgency: 'normal',
      };
    }),
  );
  await bulkInsert(
    ctx.tx,
    'archives',
    ARCHIVE_COLUMNS,
    made.map(({ org, householdId, archiveId, v }) => ({
      id: archiveId,
      household_id: householdId,
      org_id: org.id,
      origin: 'new',
      primary_cause: v.primaryCause,
      secondary_causes: secondaryOf(v),
      urgency: 'normal',
      status: 'surveyed',
      opened_on: v.surveyDate,
    })),
  );
  await bulkInsert(
    ctx.tx,
    'archive_steps',
    STEP_COLUMNS,
    made.map(({ archiveId, v }) => ({
      archive_id: archiveId,
      action: 'survey',
      from_status: null,
      to_status: 'surveyed',
      on_date: v.surveyDate,
      user_id: ctx.actor.userId || null,
      username: ctx.actor.username,
      comment: v.surveyor ? `摸底调查（调查人：${v.surveyor}）` : '摸底调查',
    })),
  );
  await auditMany(
    ctx,
    made.map(
      ({ org, personId, householdId, archiveId, v }): AuditEvent => ({
        action: 'create',
        entity: 'household',
        entityId: householdId,
        orgId: org.id,
        after: {
          orgCode: org.code,
          headPersonId: personId,
          memberPersonIds: [],
          primaryCause: v.primaryCause,
          secondaryCauses: v.secondaryCauses ?? [],
          archiveId,
          status: 'surveyed',
          source: 'survey',
        },
      }),
    ),
  );
  for (const { org, householdId, v } of made)
    fresh.set(v.headIdNumber, { id: householdId, org_code: org.code });
  return outcomes;
}

/**
 * The employer of each row that names one (by Excel row): found in the scope by its unified social
 * credit code, or by its name when the row gives no code, or registered with the household's
 * organisation as its keeper. A code kept by an organisation outside the scope cannot be linked:
 * the row is saved without it and says so.
 */
async function employers(
  ctx: Ctx,
  rows: (HouseholdRowIn & { org: OrgRef })[],
): Promise<Map<number, string | Refusal>> {
  const found = new Map<number, string | Refusal>();
  const named = rows.filter(({ v }) => v.employerCreditCode || v.employerName);
  if (named.length === 0) return found;
  const codes = [...new Set(named.flatMap(({ v }) => (v.employerCreditCode ? [v.employerCreditCode] : [])))];
  const names = [
    ...new Set(named.flatMap(({ v }) => (!v.employerCreditCode && v.employerName ? [v.employerName] : []))),
  ];
  const byCode = new Map<string, string>();
  const byName = new Map<string, string>();
  const look = async () => {
    if (codes.length)
      for (const e of await ctx.tx
        .selectFrom('employers')
        .select(['id', 'credit_code'])
        .where(sql<boolean>`credit_code = any(${codes}::text[])`)
        .execute())
        byCode.set(e.credit_code as string, e.id);
    if (names.length)
      for (const e of await ctx.tx
        .selectFrom('employers')
        .select(['id', 'name'])
        .where(sql<boolean>`name = any(${names}::text[])`)
        .orderBy('created_at')
        .execute())
        if (!byName.has(e.name)) byName.set(e.name, e.id);
  };
  // A name has no unique index: two batches (or imports) registering the same new name at once
  // would each insert it. Each name is locked for the transaction, always in the same order.
  if (names.length)
    await sql`select pg_advisory_xact_lock(hashtext('niangjia_employer_name'), hashtext(n))
      from (select n from unnest(${names}::text[]) as n order by n) as sorted`.execute(ctx.tx);
  await look();
  const missing = new Map<string, { credit_code: string | null; name: string; org_id: string }>();
  for (const { v, org } of named) {
    const key = v.employerCreditCode ? `c:${v.employerCreditCode}` : `n:${v.employerName}`;
    const known = v.employerCreditCode
      ? byCode.has(v.employerCreditCode)
      : byName.has(v.employerName as string);
    if (!known && !missing.has(key))
      missing.set(key, {
        credit_code: v.employerCreditCode ?? null,
        name: v.employerName ?? v.employerCreditCode ?? '',
        org_id: org.id,
      });
  }
  if (missing.size) {
    const inserted = await ctx.tx
      .insertInto('employers')
      .values([...missing.values()])
      .onConflict((oc) => oc.column('credit_code').doNothing())
      .returning(['id', 'credit_code', 'name'])
      .execute();
    for (const e of inserted)
      if (e.credit_code) byCode.set(e.credit_code, e.id);
      else byName.set(e.name, e.id);
    // A code met by the insert and not returned: registered meanwhile, or kept outside the scope.
    if (inserted.length < missing.size) await look();
  }
  for (const { row, v } of named) {
    const id = v.employerCreditCode ? byCode.get(v.employerCreditCode) : byName.get(v.employerName as string);
    found.set(
      row,
      id ?? {
        column: '统一社会信用代码',
        message: '该工作单位由其他工会登记，不在您的管理范围内：户主已导入，但未关联工作单位',
      },
    );
  }
  return found;
}

/**
 * One batch of member rows in one transaction, like `writeHouseholds`. `planned` holds the
 * households a dry run has "created": their members are checked as if they existed.
 */
async function writeMembers(
  ctx: Ctx,
  rows: MemberRowIn[],
  orgs: Orgs,
  planned: Map<string, PlannedHousehold>,
  dryRun: boolean,
  /** Households created by this import: known without a lookup. */
  fresh: Map<string, FreshHousehold>,
): Promise<MemberOutcome[]> {
  const heads = [...new Set(rows.map((r) => r.v.headIdNumber))];
  const households = await householdsOfHeads(
    ctx,
    heads.filter((h) => !fresh.has(h)),
  );
  const householdOf = new Map<string, FreshHousehold>(households.map((h) => [h.head_id_number, h]));
  for (const h of heads) {
    const created = fresh.get(h);
    if (created) householdOf.set(h, created);
  }
  // Organisations of planned households were loaded with their rows.
  await orgs.load(
    ctx,
    households.map((h) => h.org_code),
  );
  const ids = [...new Set([...householdOf.values()].map((h) => h.id))];
  const memberships = ids.length
    ? (
        await sql<{ household_id: string; id_number: string }>`
          select m.household_id, p.id_number
          from household_members m
          join people p on p.id = m.person_id
          where m.household_id = any(${ids}::uuid[])`.execute(ctx.tx)
      ).rows
    : [];
  const isMember = new Set(memberships.map((m) => `${m.household_id}:${m.id_number}`));
  // A member already in the row's household changes nothing; only the others need looking up.
  const known = await lookupPeople(
    ctx,
    rows
      .filter(({ v }) => !isMember.has(`${householdOf.get(v.headIdNumber)?.id}:${v.idNumber}`))
      .map(({ v }) => v.idNumber),
  );

  const outcomes: MemberOutcome[] = [];
  const adding: { index: number; org: OrgRef; householdId: string; personId?: string }[] = [];
  for (const [index, { v }] of rows.entries()) {
    const household = householdOf.get(v.headIdNumber);
    const plan = dryRun && !household ? planned.get(v.headIdNumber) : undefined;
    if (!household && !plan) {
      outcomes.push({ column: '户主身份证号', message: '户主不在本表“家庭”页，也不在现有档案中' });
      continue;
    }
    if (v.idNumber === v.headIdNumber) {
      outcomes.push({ column: '身份证号', message: '成员不能是户主本人' });
      continue;
    }
    if (household && isMember.has(`${household.id}:${v.idNumber}`)) {
      outcomes.push('unchanged');
      continue;
    }
    const org = orgs.get(household ? household.org_code : (plan as PlannedHousehold).orgCode) as OrgRef;
    const person = known.get(v.idNumber);
    const refusal = person && reuse(v.idNumber, v.name, person, org, '姓名', '身份证号');
    if (refusal) {
      outcomes.push(refusal);
      continue;
    }
    outcomes.push('imported');
    if (household) adding.push({ index, org, householdId: household.id, personId: person?.id });
  }
  if (adding.length === 0) return outcomes;

  // Identifiers made here, inserts in turn (see writeHouseholds).
  const made = adding.map((a) => ({ ...a, newPerson: !a.personId, personId: a.personId ?? randomUUID() }));
  await bulkInsert(
    ctx.tx,
    'people',
    MEMBER_COLUMNS,
    made
      .filter((m) => m.newPerson)
      .map(({ index, org, personId }) => {
        const { v } = rows[index] as MemberRowIn;
        const id = residentIdFacts(v.idNumber);
        return {
          id: personId,
          id_number: v.idNumber,
          name: v.name,
          sex: id.sex,
          birth_date: id.birthDate,
          org_id: org.id,
          health: v.health ?? null,
          activity: v.activity ?? null,
          migrant_worker: false,
          source: 'survey',
        };
      }),
  );
  await bulkInsert(
    ctx.tx,
    'household_members',
    MEMBERSHIP_COLUMNS,
    made.map(({ index, householdId, personId }) => {
      const { v } = rows[index] as MemberRowIn;
      return {
        household_id: householdId,
        person_id: personId,
        relation: v.relation,
        monthly_income_fen: v.monthlyIncomeFen ?? null,
        health: v.health ?? null,
        activity: v.activity ?? null,
      };
    }),
  );
  await auditMany(
    ctx,
    made.map(({ index, org, householdId, personId }) => ({
      action: 'update',
      entity: 'household',
      entityId: householdId,
      orgId: org.id,
      after: { addedMemberPersonId: personId, relation: (rows[index] as MemberRowIn).v.relation },
    })),
  );
  return outcomes;
}

/** The secondary causes of a row, without the primary one and without repeats. */
function secondaryOf(v: SurveyHousehold): string[] {
  return [...new Set((v.secondaryCauses ?? []).filter((c) => c !== v.primaryCause))];
}

/**
 * Imports a survey workbook (TEMPLATES.md §1): every valid row is saved, every invalid one is
 * reported by sheet, Excel row and column with each reason, and saves nothing. Households are
 * matched by the head's ID number, so a second import of the same file changes nothing. A member
 * whose household row was rejected is rejected too.
 *
 * The file is streamed twice, households first, so the order of the sheets does not matter and no
 * sheet is held in memory; rows are written in batches, one transaction each, with a fixed number
 * of statements per batch (ADR 0013). With `dryRun` every batch runs in a transaction that is rolled
 * back: the report is what an import would do, and nothing is saved.
 */
export async function importSurvey(
  file: string,
  run: Runner,
  { dryRun = false, today, onProgress, batchSize = 1000 }: ImportOptions,
): Promise<SurveyImportReport> {
  const report: SurveyImportReport = {
    households: { imported: 0, updated: 0, rejected: 0 },
    members: { imported: 0, rejected: 0 },
    errors: [],
    warnings: [],
  };
  const noteIssue = (issue: SheetIssue) =>
    (issue.severity === 'error' ? report.errors : report.warnings).push({
      sheet: issue.sheet,
      row: issue.row,
      column: issue.column,
      message: issue.message,
    });
  /** Every person of the file so far (head or member) → where first seen: a second row is refused. */
  const seenPeople = new Map<string, string>();
  const seenAt = (id: string, where: string): string | undefined => {
    const before = seenPeople.get(id);
    if (!before) seenPeople.set(id, where);
    return before;
  };
  /** Head ID numbers whose household row was rejected: their members are rejected too. */
  const rejectedHeads = new Set<string>();
  /** Households a dry run would have created. */
  const planned = new Map<string, PlannedHousehold>();
  /** Households this import created (none in a dry run: its writes are rolled back). */
  const fresh = new Map<string, FreshHousehold>();
  const orgs = new Orgs();

  const attempt = batchWriter(run, dryRun);
  const refuse = (sheet: string, row: number, r: Refusal) =>
    report.errors.push({ sheet, row, column: r.column, message: r.message });

  // Rows of the whole file, for the progress (the header rows count as the work before the first).
  const totalRows = Math.max(1, await countRows(file).catch(() => 1));
  const done = { rows: 0 };

  const flushHouseholds = async (rows: HouseholdRowIn[]) => {
    const notes: ({ row: number } & Refusal)[] = [];
    const created = new Map<string, FreshHousehold>();
    const outcomes = await attempt((ctx) => {
      notes.length = 0;
      created.clear();
      return writeHouseholds(ctx, rows, orgs, today, notes, created);
    });
    // Only what was kept: a dry run's households were rolled back (its members go by `planned`).
    if (!dryRun) for (const [head, household] of created) fresh.set(head, household);
    for (const n of notes)
      report.warnings.push({
        sheet: SURVEY_HOUSEHOLDS.name,
        row: n.row,
        column: n.column,
        message: n.message,
      });
    for (const [i, outcome] of outcomes.entries()) {
      const { row, v } = rows[i] as HouseholdRowIn;
      if (outcome === 'imported') {
        report.households.imported++;
        if (dryRun) planned.set(v.headIdNumber, { orgCode: v.orgCode });
      } else if (outcome === 'updated') report.households.updated++;
      else if (outcome !== 'unchanged') {
        report.households.rejected++;
        rejectedHeads.add(v.headIdNumber);
        refuse(SURVEY_HOUSEHOLDS.name, row, outcome);
      }
    }
  };
  const flushMembers = async (rows: MemberRowIn[]) => {
    const outcomes = await attempt((ctx) => writeMembers(ctx, rows, orgs, planned, dryRun, fresh));
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome === 'imported') report.members.imported++;
      else if (outcome !== 'unchanged') {
        report.members.rejected++;
        refuse(SURVEY_MEMBERS.name, (rows[i] as MemberRowIn).row, outcome);
      }
    }
  };

  // Batches are written while the next is read (the database works in another thread or
  // process), up to two at once: on the server each has its connection and the database works on
  // two cores (86 s for 100,000 households instead of 118 s one at a time). Batches of one sheet
  // never share a person or a household; a new employer's name is locked (`employers`).
  const writing: Promise<void>[] = [];
  const write = async (flush: () => Promise<void>) => {
    if (writing.length >= 2) await writing.shift();
    const batch = flush();
    batch.catch(() => {}); // awaited when a place is needed, or by `written`
    writing.push(batch);
  };
  const written = async () => {
    for (const batch of writing.splice(0)) await batch;
  };
  let households: HouseholdRowIn[] = [];
  let members: MemberRowIn[] = [];
  /** The rows gathered so far go to be written; the next ones start a new batch. */
  const sendHouseholds = () => {
    const batch = households;
    households = [];
    return write(() => flushHouseholds(batch));
  };
  const sendMembers = () => {
    const batch = members;
    members = [];
    return write(() => flushMembers(batch));
  };
  let householdsRead = false;
  let membersFirst = false;

  const onHousehold = (event: {
    row: number;
    sheet: string;
    ok: boolean;
    values: unknown;
    errors: readonly CellIssue[];
  }) => {
    const v = event.values as SurveyHousehold;
    if (!event.ok) {
      report.households.rejected++;
      if (v.headIdNumber) rejectedHeads.add(v.headIdNumber);
      for (const e of event.errors)
        report.errors.push({ sheet: e.sheet, row: e.row, column: e.column, message: e.message });
      return;
    }
    const before = seenAt(v.headIdNumber, `“家庭”第${event.row}行`);
    if (before) {
      report.households.rejected++;
      refuse(event.sheet, event.row, { column: '户主身份证号', message: `此人已在本表${before}出现` });
      return;
    }
    households.push({ row: event.row, v });
  };
  const onMember = (event: {
    row: number;
    sheet: string;
    ok: boolean;
    values: unknown;
    errors: readonly CellIssue[];
  }) => {
    const v = event.values as SurveyMember;
    if (!event.ok) {
      report.members.rejected++;
      for (const e of event.errors)
        report.errors.push({ sheet: e.sheet, row: e.row, column: e.column, message: e.message });
      return;
    }
    const before = seenAt(v.idNumber, `“家庭成员”第${event.row}行`);
    if (before) {
      report.members.rejected++;
      refuse(event.sheet, event.row, { column: '身份证号', message: `此人已在本表${before}出现` });
      return;
    }
    if (rejectedHeads.has(v.headIdNumber)) {
      report.members.rejected++;
      refuse(event.sheet, event.row, {
        column: '户主身份证号',
        message: '所属家庭的行未通过，成员一并不予导入',
      });
      return;
    }
    members.push({ row: event.row, v });
  };
  /** All households written: their outcomes decide their members'. */
  const finishHouseholds = async () => {
    if (households.length) await sendHouseholds();
    await written();
    householdsRead = true;
  };

  // One pass when the households sheet comes first (the template's and every export's order); a
  // file with the members first is read a second time for them.
  const passes = async (pass: 1 | 2) => {
    const sheets = pass === 1 ? [SURVEY_HOUSEHOLDS, SURVEY_MEMBERS] : [SURVEY_MEMBERS];
    const rows = { 家庭: 0, 家庭成员: 0 };
    const progress = async (sheet: ImportProgress['sheet']) => {
      if (onProgress)
        await onProgress({
          sheet,
          rows: rows[sheet],
          fraction: Math.min(0.99, (done.rows + 1) / totalRows),
        });
    };
    for await (const event of readWorkbook(file, sheets, { today })) {
      const sheet = event.sheet === SURVEY_HOUSEHOLDS.name ? '家庭' : '家庭成员';
      if (sheet === '家庭成员' && !householdsRead) {
        // Members before their households: left for the second pass, issues and all.
        membersFirst = true;
        continue;
      }
      if (event.type === 'issue') {
        noteIssue(event);
        continue;
      }
      if (event.type === 'sheetEnd') {
        if (sheet === '家庭') await finishHouseholds();
        continue;
      }
      rows[sheet]++;
      done.rows++;
      if (sheet === '家庭') {
        onHousehold(event);
        if (households.length >= batchSize) {
          await sendHouseholds();
          await progress('家庭');
        }
      } else {
        onMember(event);
        if (members.length >= batchSize) {
          await sendMembers();
          await progress('家庭成员');
        }
      }
    }
    if (!householdsRead) await finishHouseholds(); // no households sheet at all
    if (members.length) await sendMembers();
    await written();
  };
  // The database's clock, which stamps the people this import registers.
  const started = await run(
    async (ctx) => (await sql<{ now: Date }>`select now() as now`.execute(ctx.tx)).rows[0]?.now,
  );
  await passes(1);
  if (membersFirst) await passes(2);
  // Possible duplicates of the people this import registered go to the review queue (ADR 0014)
  // in the background: detection costs more than the import's own writes.
  if (!dryRun && report.households.imported + report.members.imported > 0)
    await run(async (ctx) => {
      const since = new Date(started as Date).toISOString();
      await queueDuplicateDetection(ctx, { since, source: 'survey' });
      // Each household written is evaluated as of its survey's day (issue 4), in the background too.
      await queueEvaluation(ctx, { mode: 'survey', since });
    });
  await onProgress?.({ sheet: '家庭成员', rows: 0, fraction: 1 });
  // Errors in the order of the file: sheet by sheet, row by row (batches report rows late).
  const sheetOrder = (s: string) => (s === SURVEY_HOUSEHOLDS.name ? 0 : s === SURVEY_MEMBERS.name ? 1 : 2);
  report.errors.sort((a, b) => sheetOrder(a.sheet) - sheetOrder(b.sheet) || (a.row ?? 0) - (b.row ?? 0));
  return report;
}
