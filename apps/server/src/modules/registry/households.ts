import type {
  ArchiveCategory,
  CreateHousehold,
  HardshipCause,
  HouseholdFilters,
  HouseholdList,
  HouseholdListQuery,
  MemberInput,
  PersonInput,
  Urgency,
} from '@niangjia/contracts';
import { HOUSEHOLD_LIST_COUNT_CAP } from '@niangjia/contracts';
import { containsPattern, isUniqueViolation, sql } from '@niangjia/db';
import { maskResidentId, parseResidentId, type ResidentId } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { AppError, badRequest, conflict } from '../../http/errors';
import { audit } from '../audit/service';
import { findOrg } from '../orgs/service';
import { evaluateHouseholds } from '../policy/evaluations';
import { detectDuplicates } from './duplicates';

interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** GB 11643 in full for every person of the input; every problem is reported with its field. */
function checkIds(input: CreateHousehold, today: string): { head: ResidentId; members: ResidentId[] } {
  const issues: FieldIssue[] = [];
  const parse = (idNumber: string, path: (string | number)[]) => {
    const result = parseResidentId(idNumber, { today });
    if (!result.ok) {
      for (const e of result.errors)
        issues.push({ path: ['body', ...path, 'idNumber'], message: e.messageZh });
      return undefined;
    }
    return result.value;
  };
  const head = parse(input.head.idNumber, ['head']);
  const members = input.members.map((m, i) => parse(m.idNumber, ['members', i]));
  const seen = new Map<string, string>();
  [head, ...members].forEach((id, i) => {
    if (!id) return;
    const where = i === 0 ? '户主' : `第 ${i} 位成员`;
    const before = seen.get(id.id18);
    if (before)
      issues.push({
        path: ['body', ...(i === 0 ? ['head'] : ['members', i - 1]), 'idNumber'],
        message: `身份证号与${before}重复`,
      });
    else seen.set(id.id18, where);
  });
  if (issues.length || !head) throw badRequest('The household is not valid', issues);
  return { head, members: members as ResidentId[] };
}

/**
 * The person of an ID number: the existing record (kept in the scope, same name) or a new one.
 * A record kept by another organisation, or under another name, is a conflict to resolve first.
 */
async function personFor(
  ctx: Ctx,
  { id: orgId, path: orgPath }: { id: string; path: string },
  input: PersonInput,
  id: ResidentId,
  source: string,
  /** Where the person is in the request body, so that a conflict lands on its field. */
  path: (string | number)[],
) {
  const keeper = await sql<{ person_id: string; org_code: string; org_name: string }>`
    select * from niangjia_person_keeper(${id.id18})`.execute(ctx.tx);
  const kept = keeper.rows[0];
  if (kept) {
    const own = await ctx.tx
      .selectFrom('people as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select(['p.id', 'p.name', 'o.path'])
      .where('p.id', '=', kept.person_id)
      .executeTakeFirst();
    const keptElsewhere = () =>
      conflict(`${maskResidentId(id.id18)} is kept by ${kept.org_name} (${kept.org_code})`, {
        reason: 'person_kept_elsewhere',
        path,
        idNumber: maskResidentId(id.id18),
        orgCode: kept.org_code,
        orgName: kept.org_name,
      });
    if (!own) throw keptElsewhere();
    if (own.name !== input.name)
      throw conflict(`${maskResidentId(id.id18)} belongs to ${own.name} in the registry, not ${input.name}`, {
        reason: 'name_mismatch',
        path,
        idNumber: maskResidentId(id.id18),
      });
    const open = await sql<{ org_code: string; org_name: string }>`
      select org_code, org_name from niangjia_open_household_of(${own.id})`.execute(ctx.tx);
    if (open.rows[0])
      throw conflict(`${input.name} already belongs to an open household of ${open.rows[0].org_name}`, {
        reason: 'person_in_open_household',
        path,
        idNumber: maskResidentId(id.id18),
        orgCode: open.rows[0].org_code,
        orgName: open.rows[0].org_name,
      });
    // Visible is not enough: the household's own organisation must be able to see the person too.
    if (!own.path.startsWith(orgPath)) throw keptElsewhere();
    return own.id;
  }
  const row = await ctx.tx
    .insertInto('people')
    .values({
      id_number: id.id18,
      name: input.name,
      sex: id.sex,
      birth_date: id.birthDate,
      org_id: orgId,
      phone: input.phone ?? null,
      household_registration: input.householdRegistration ?? null,
      health: input.health ?? null,
      activity: input.activity ?? null,
      migrant_worker: input.migrantWorker,
      source,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Registers a surveyed household: its people (one record each, system-wide), the household with
 * the survey's items, its members, and its archive in the life cycle's first status, `surveyed`.
 * One transaction; the audit trail records it without ID numbers.
 */
export async function createHousehold(
  ctx: Ctx,
  input: CreateHousehold,
  { today, source = 'manual' }: { today: string; source?: string },
): Promise<{ id: string; archiveId: string }> {
  const org = await findOrg(ctx, input.orgCode).catch((err) => {
    throw err instanceof AppError && err.code === 'not_found'
      ? new AppError('not_found', err.message, { reason: 'org_not_found', path: ['body', 'orgCode'] })
      : err;
  });
  if (!org.active)
    throw conflict(`Organisation ${org.code} is deactivated`, {
      reason: 'org_inactive',
      path: ['body', 'orgCode'],
    });
  if (input.surveyDate > today)
    throw badRequest('The survey date is in the future', [
      { path: ['body', 'surveyDate'], message: '调查日期晚于今天' },
    ]);
  const ids = checkIds(input, today);
  const headId = await personFor(ctx, org, input.head, ids.head, source, ['body', 'head', 'idNumber']);
  let householdId: string;
  try {
    const i = input.income;
    ({ id: householdId } = await ctx.tx
      .insertInto('households')
      .values({
        org_id: org.id,
        head_person_id: headId,
        housing_type: input.housingType ?? null,
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
        survey_date: input.surveyDate,
        surveyor: input.surveyor ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict(`${input.head.name} already heads a household`, { reason: 'head_has_household' });
    throw err;
  }
  const memberIds: string[] = [];
  for (const [i, m] of input.members.entries()) {
    const household = { id: householdId, org_id: org.id, head_person_id: headId };
    memberIds.push(
      await insertMember(ctx, household, m, ids.members[i] as ResidentId, source, [
        'body',
        'members',
        i,
        'idNumber',
      ]),
    );
  }
  const archive = await ctx.tx
    .insertInto('archives')
    .values({
      household_id: householdId,
      org_id: org.id,
      origin: input.origin,
      primary_cause: input.primaryCause,
      secondary_causes: [...new Set(input.secondaryCauses.filter((c) => c !== input.primaryCause))],
      urgency: input.urgency,
      status: 'surveyed',
      opened_on: input.surveyDate,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.tx
    .insertInto('archive_steps')
    .values({
      archive_id: archive.id,
      action: 'survey',
      from_status: null,
      to_status: 'surveyed',
      on_date: input.surveyDate,
      user_id: ctx.actor.userId || null,
      username: ctx.actor.username,
      comment: input.surveyor ? `摸底调查（调查人：${input.surveyor}）` : '摸底调查',
    })
    .execute();
  await audit(ctx, {
    action: 'create',
    entity: 'household',
    entityId: householdId,
    orgId: org.id,
    after: {
      orgCode: org.code,
      headPersonId: headId,
      memberPersonIds: memberIds,
      primaryCause: input.primaryCause,
      secondaryCauses: input.secondaryCauses,
      archiveId: archive.id,
      status: 'surveyed',
    },
  });
  await detectDuplicates(ctx, [headId, ...memberIds]);
  // Evaluated when surveyed (issue 4), as of the survey's day; without a policy in force that day
  // the household is registered all the same, undecided until evaluated.
  await evaluateHouseholds(ctx, [householdId], {
    asOf: { survey: true, today },
    reason: 'survey',
    missing: 'skip',
  });
  return { id: householdId, archiveId: archive.id };
}

/** The end of the subtree range that begins at `path` ('/…/640104/' → '/…/6401040'), in "C" order. */
function subtreeEnd(path: string): string {
  return `${path.slice(0, -1)}0`;
}

/** The first string after all those that begin with `prefix` (a fragment of an ID number). */
function prefixEnd(prefix: string): string {
  return `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
}

/**
 * The pieces of a name fragment looked up in household_name_grams (migration 0011): its
 * two-character pieces, at most three of them (LIKE checks the whole fragment afterwards).
 */
function nameGrams(fragment: string): string[] {
  const chars = [...fragment];
  const grams = [...new Set(chars.slice(0, -1).map((c, i) => `${c}${chars[i + 1]}`))];
  return grams.length <= 3
    ? grams
    : ([grams[0], grams[Math.floor(grams.length / 2)], grams.at(-1)] as string[]);
}

/**
 * The household list of the scope, filtered on the server, ID numbers masked. At a million
 * households (ADR 0012): filters and order read the household's own copies (org_path, head_name,
 * archive_*) through households_list_idx; a name fragment is found by its two-character pieces,
 * an ID number by a range of an index (its start, or its end through id_number_reversed); the
 * count stops at HOUSEHOLD_LIST_COUNT_CAP. Row-level security applies to every table read.
 */
/**
 * The households of the scope matching the list's filters, as a query on `households as h` to
 * select from (the list pages it; the export walks it in batches).
 */
export async function matchingHouseholds(ctx: Ctx, q: HouseholdFilters) {
  // The subtree as a range of the list's index (the policy still decides what is visible in it).
  const path = q.org ? (await findOrg(ctx, q.org)).path : ctx.actor.orgPath;
  let matching = ctx.tx
    .selectFrom('households as h')
    .where('h.org_path', '>=', path)
    .where('h.org_path', '<', subtreeEnd(path));
  if (q.status) matching = matching.where('h.archive_status', '=', q.status);
  if (q.category) matching = matching.where('h.archive_category', '=', q.category);
  if (q.urgency) matching = matching.where('h.archive_urgency', '=', q.urgency);
  if (q.cause) matching = matching.where(sql<boolean>`${q.cause} = any(h.archive_causes)`);
  if (q.migrant !== undefined) matching = matching.where('h.head_migrant_worker', '=', q.migrant);
  if (q.q) {
    const text = q.q;
    if (/^[\dXx]{4,18}$/.test(text)) {
      // ID numbers (heads' and members'). Without the full view, a fragment could be probed digit
      // by digit to rebuild the hidden part: only a whole number or the last four characters
      // (those a masked number shows) may be searched. With it: the number's end, or its start
      // from the birth year on (a shorter start matches a whole district).
      const id = text.toUpperCase();
      const fullView = ctx.actor.permissions.includes('person:read_full');
      if (id.length !== 18 && id.length !== 4 && !fullView)
        throw badRequest('Search by the whole ID number or its last four characters', [
          { path: ['querystring', 'q'], message: '请输入完整身份证号，或其后四位' },
        ]);
      const reversed = [...id].reverse().join('');
      const people = ctx.tx
        .selectFrom('people as p')
        .select('p.id')
        .where((eb) =>
          id.length === 18
            ? eb('p.id_number', '=', id)
            : eb.or([
                eb.and([
                  eb('p.id_number_reversed', '>=', reversed),
                  eb('p.id_number_reversed', '<', prefixEnd(reversed)),
                  eb(eb.fn('starts_with', ['p.id_number_reversed', eb.val(reversed)]), '=', true),
                ]),
                ...(fullView && id.length >= 10
                  ? [
                      eb.and([
                        eb('p.id_number', '>=', id),
                        eb('p.id_number', '<', prefixEnd(id)),
                        eb(eb.fn('starts_with', ['p.id_number', eb.val(id)]), '=', true),
                      ]),
                    ]
                  : []),
              ]),
        );
      matching = matching.where('h.id', 'in', (eb) =>
        eb
          .selectFrom('households as hh')
          .select('hh.id')
          .where('hh.head_person_id', 'in', people)
          .unionAll(
            eb
              .selectFrom('household_members as m')
              .select('m.household_id as id')
              .where('m.person_id', 'in', people),
          ),
      );
    } else {
      // A name: LIKE cannot use an index under row-level security (it is not leakproof), = can:
      // the households holding each two-character piece, then LIKE on those few.
      for (const gram of nameGrams(text))
        matching = matching.where('h.id', 'in', (eb) =>
          eb.selectFrom('household_name_grams as g').select('g.household_id').where('g.gram', '=', gram),
        );
      matching = matching.where('h.head_name', 'like', containsPattern(text));
    }
  }
  return matching;
}

export async function listHouseholds(ctx: Ctx, q: HouseholdListQuery): Promise<HouseholdList> {
  const matching = await matchingHouseholds(ctx, q);
  const { n } = await ctx.tx
    .selectFrom(
      matching
        .select(sql<number>`1`.as('one'))
        .limit(HOUSEHOLD_LIST_COUNT_CAP + 1)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  // The page's ids in the list's order (one index), then what is shown of those rows only.
  const page = matching
    .select('h.id')
    .orderBy('h.org_path')
    .orderBy('h.head_name')
    .orderBy('h.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const rows = await ctx.tx
    .selectFrom(page.as('pg'))
    .innerJoin('households as h', 'h.id', 'pg.id')
    .innerJoin('people as p', 'p.id', 'h.head_person_id')
    .innerJoin('orgs as o', 'o.id', 'h.org_id')
    .select((eb) => [
      'h.id',
      'o.code as org_code',
      'o.name as org_name',
      'h.head_name',
      'p.id_number',
      'h.head_migrant_worker',
      'h.survey_date',
      'h.archive_status',
      'h.archive_category',
      'h.archive_causes',
      'h.archive_urgency',
      eb
        .selectFrom('household_members as m')
        .whereRef('m.household_id', '=', 'h.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('members'),
    ])
    .orderBy('h.org_path')
    .orderBy('h.head_name')
    .orderBy('h.id')
    .execute();
  return {
    total: Math.min(n, HOUSEHOLD_LIST_COUNT_CAP),
    totalIsLowerBound: n > HOUSEHOLD_LIST_COUNT_CAP,
    items: rows.map((r) => ({
      id: r.id,
      orgCode: r.org_code,
      orgName: r.org_name,
      headName: r.head_name,
      headIdMasked: maskResidentId(r.id_number),
      size: 1 + Number(r.members ?? 0),
      migrantWorker: r.head_migrant_worker,
      status: r.archive_status,
      category: r.archive_category as ArchiveCategory | null,
      primaryCause: (r.archive_causes[0] ?? null) as HardshipCause | null,
      urgency: r.archive_urgency as Urgency | null,
      surveyDate: r.survey_date ?? null,
    })),
  };
}

interface HouseholdRef {
  id: string;
  org_id: string;
  head_person_id: string;
}

async function insertMember(
  ctx: Ctx,
  household: HouseholdRef,
  m: MemberInput,
  id: ResidentId,
  source: string,
  path: (string | number)[],
): Promise<string> {
  const org = await ctx.tx
    .selectFrom('orgs')
    .select(['id', 'path'])
    .where('id', '=', household.org_id)
    .executeTakeFirstOrThrow();
  const personId = await personFor(ctx, org, m, id, source, path);
  await ctx.tx
    .insertInto('household_members')
    .values({
      household_id: household.id,
      person_id: personId,
      relation: m.relation,
      monthly_income_fen: m.monthlyIncomeFen ?? null,
      health: m.health ?? null,
      activity: m.activity ?? null,
    })
    .execute();
  return personId;
}

/** The household the person of this ID number heads, in the scope. */
export async function findHouseholdOfHead(ctx: Ctx, id18: string) {
  return ctx.tx
    .selectFrom('households as h')
    .innerJoin('people as p', 'p.id', 'h.head_person_id')
    .innerJoin('orgs as o', 'o.id', 'h.org_id')
    .selectAll('h')
    .select(['o.code as org_code'])
    .where('p.id_number', '=', id18)
    .executeTakeFirst();
}

type HouseholdRow = NonNullable<Awaited<ReturnType<typeof findHouseholdOfHead>>>;

const ITEM_COLUMNS = {
  wageIncomeFen: 'wage_income_fen',
  businessIncomeFen: 'business_income_fen',
  propertyIncomeFen: 'property_income_fen',
  transferIncomeFen: 'transfer_income_fen',
  otherIncomeFen: 'other_income_fen',
  medicalCostFen: 'medical_cost_fen',
  disabilityCostFen: 'disability_cost_fen',
  educationCostFen: 'education_cost_fen',
  housingCostFen: 'housing_cost_fen',
  otherRigidCostFen: 'other_rigid_cost_fen',
  employmentCostFen: 'employment_cost_fen',
} as const;

/**
 * A new survey of a registered household: its items, housing, date and surveyor replace the old
 * ones (audited with before and after). Returns whether anything changed.
 */
export async function updateSurveyItems(ctx: Ctx, h: HouseholdRow, input: CreateHousehold): Promise<boolean> {
  if (h.org_code !== input.orgCode)
    throw conflict(`This household is registered at ${h.org_code}, not ${input.orgCode}`, {
      reason: 'household_elsewhere',
      path: ['body', 'orgCode'],
    });
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const set: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(ITEM_COLUMNS)) {
    const next = input.income[key as keyof typeof ITEM_COLUMNS];
    if (h[column] !== next) {
      before[key] = h[column];
      after[key] = next;
      set[column] = next;
    }
  }
  const plain = [
    ['housingType', 'housing_type', input.housingType ?? null],
    ['surveyDate', 'survey_date', input.surveyDate],
    ['surveyor', 'surveyor', input.surveyor ?? null],
  ] as const;
  for (const [key, column, next] of plain)
    if (h[column] !== next) {
      before[key] = h[column];
      after[key] = next;
      set[column] = next;
    }
  if (Object.keys(set).length === 0) return false;
  await ctx.tx
    .updateTable('households')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', h.id)
    .execute();
  await audit(ctx, { action: 'update', entity: 'household', entityId: h.id, orgId: h.org_id, before, after });
  return true;
}

/**
 * Adds a member to a household (or, with no household, checks the person alone: a dry run of a
 * household not yet saved). Returns false when the person is already a member: adding again
 * changes nothing.
 */
export async function addMember(
  ctx: Ctx,
  household: HouseholdRef | null,
  m: MemberInput,
  id: ResidentId,
  source: string,
): Promise<boolean> {
  if (household) {
    const head = await ctx.tx
      .selectFrom('people')
      .select('id_number')
      .where('id', '=', household.head_person_id)
      .executeTakeFirstOrThrow();
    if (head.id_number === id.id18)
      throw badRequest('成员不能是户主本人', [{ path: ['body', 'idNumber'], message: '成员不能是户主本人' }]);
    const already = await ctx.tx
      .selectFrom('household_members as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .select('m.id')
      .where('m.household_id', '=', household.id)
      .where('p.id_number', '=', id.id18)
      .executeTakeFirst();
    if (already) return false;
    const personId = await insertMember(ctx, household, m, id, source, ['body', 'idNumber']);
    await audit(ctx, {
      action: 'update',
      entity: 'household',
      entityId: household.id,
      orgId: household.org_id,
      after: { addedMemberPersonId: personId, relation: m.relation },
    });
    await detectDuplicates(ctx, [personId]);
    return true;
  }
  await personFor(ctx, { id: ctx.actor.orgId, path: ctx.actor.orgPath }, m, id, source, ['body', 'idNumber']);
  return true;
}
