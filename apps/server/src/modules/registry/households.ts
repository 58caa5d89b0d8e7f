import type {
  ArchiveCategory,
  CreateHousehold,
  HardshipCause,
  HouseholdListQuery,
  HouseholdSummary,
  PersonInput,
  Urgency,
} from '@niangjia/contracts';
import { isUniqueViolation, sql } from '@niangjia/db';
import { maskResidentId, parseResidentId, type ResidentId } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { badRequest, conflict } from '../../http/errors';
import { audit } from '../audit/service';
import { findOrg } from '../orgs/service';

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
  orgId: string,
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
      .selectFrom('people')
      .select(['id', 'name'])
      .where('id', '=', kept.person_id)
      .executeTakeFirst();
    if (!own)
      throw conflict(`${maskResidentId(id.id18)} is kept by ${kept.org_name} (${kept.org_code})`, {
        reason: 'person_kept_elsewhere',
        path,
        idNumber: maskResidentId(id.id18),
        orgCode: kept.org_code,
        orgName: kept.org_name,
      });
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
  const org = await findOrg(ctx, input.orgCode);
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
  const headId = await personFor(ctx, org.id, input.head, ids.head, source, ['body', 'head', 'idNumber']);
  const memberIds: string[] = [];
  for (const [i, m] of input.members.entries())
    memberIds.push(
      await personFor(ctx, org.id, m, ids.members[i] as ResidentId, source, [
        'body',
        'members',
        i,
        'idNumber',
      ]),
    );
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
  for (const [i, m] of input.members.entries())
    await ctx.tx
      .insertInto('household_members')
      .values({
        household_id: householdId,
        person_id: memberIds[i] as string,
        relation: m.relation,
        monthly_income_fen: m.monthlyIncomeFen ?? null,
        health: m.health ?? null,
        activity: m.activity ?? null,
      })
      .execute();
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
  return { id: householdId, archiveId: archive.id };
}

/** The household list of the scope, filtered on the server, ID numbers masked. */
export async function listHouseholds(
  ctx: Ctx,
  q: HouseholdListQuery,
): Promise<{ items: HouseholdSummary[]; total: number }> {
  let query = ctx.tx
    .selectFrom('households as h')
    .innerJoin('people as p', 'p.id', 'h.head_person_id')
    .innerJoin('orgs as o', 'o.id', 'h.org_id')
    // The household's current archive: the newest one.
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('archives')
          .select(['status', 'category', 'primary_cause', 'secondary_causes', 'urgency'])
          .whereRef('archives.household_id', '=', 'h.id')
          .orderBy('created_at', 'desc')
          .limit(1)
          .as('a'),
      (join) => join.onTrue(),
    );
  if (q.org) {
    const org = await findOrg(ctx, q.org);
    query = query.where(sql<boolean>`starts_with(o.path, ${org.path})`);
  }
  if (q.status) query = query.where('a.status', '=', q.status);
  if (q.category) query = query.where('a.category', '=', q.category);
  if (q.urgency) query = query.where('a.urgency', '=', q.urgency);
  if (q.cause)
    query = query.where((eb) =>
      eb.or([
        eb('a.primary_cause', '=', q.cause as string),
        eb(sql`${q.cause}`, '=', sql`any(a.secondary_causes)`),
      ]),
    );
  if (q.migrant !== undefined) query = query.where('p.migrant_worker', '=', q.migrant);
  if (q.q) {
    const text = q.q;
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // A fragment of digits searches ID numbers (also those of members); anything else, names.
    query = /^[\dXx]{4,18}$/.test(text)
      ? query.where((eb) =>
          eb.or([
            eb('p.id_number', 'like', like.toUpperCase()),
            eb.exists(
              eb
                .selectFrom('household_members as m')
                .innerJoin('people as mp', 'mp.id', 'm.person_id')
                .whereRef('m.household_id', '=', 'h.id')
                .where('mp.id_number', 'like', like.toUpperCase()),
            ),
          ]),
        )
      : query.where('p.name', 'like', like);
  }
  const { total } = await query
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .select((eb) => [
      'h.id',
      'o.code as org_code',
      'o.name as org_name',
      'p.name as head_name',
      'p.id_number',
      'p.migrant_worker',
      'h.survey_date',
      'a.status',
      'a.category',
      'a.primary_cause',
      'a.urgency',
      eb
        .selectFrom('household_members as m')
        .whereRef('m.household_id', '=', 'h.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('members'),
    ])
    .orderBy('o.path')
    .orderBy('p.name')
    .orderBy('h.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      orgCode: r.org_code,
      orgName: r.org_name,
      headName: r.head_name,
      headIdMasked: maskResidentId(r.id_number),
      size: 1 + Number(r.members ?? 0),
      migrantWorker: r.migrant_worker,
      status: r.status ?? null,
      category: (r.category ?? null) as ArchiveCategory | null,
      primaryCause: (r.primary_cause ?? null) as HardshipCause | null,
      urgency: (r.urgency ?? null) as Urgency | null,
      surveyDate: r.survey_date ?? null,
    })),
  };
}
