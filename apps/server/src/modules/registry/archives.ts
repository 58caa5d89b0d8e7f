import type {
  ArchiveActionCode,
  ArchiveOrigin,
  ArchiveStatus,
  ArchiveStepInput,
  ExitReason,
  HouseholdDetail,
} from '@niangjia/contracts';
import { isUniqueViolation, sql } from '@niangjia/db';
import {
  addDays,
  addYears,
  allowedActions,
  type CalendarDate,
  maskResidentId,
  publicityEndsOn,
  takeStep,
} from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { AppError, badRequest, conflict, notFound } from '../../http/errors';
import { audit, auditRead } from '../audit/service';
import { evaluateHouseholds } from '../policy/evaluations';
import { recordIncome } from '../policy/exits';
import { parameterFor } from '../policy/service';

type ArchiveView = NonNullable<HouseholdDetail['archive']>;
type Person = HouseholdDetail['head'];

/**
 * Publicity lasts at least 5 working days (the filing steps, DOMAIN.md): longer where the
 * organisation's `publicityWorkingDays` in force on the first day says so, never shorter.
 */
const MIN_PUBLICITY_WORKING_DAYS = 5;
async function publicityWorkingDays(ctx: Ctx, orgId: string, startedOn: CalendarDate): Promise<number> {
  const p = await parameterFor(ctx, orgId, 'publicityWorkingDays', startedOn);
  return Math.max(MIN_PUBLICITY_WORKING_DAYS, p?.value ?? MIN_PUBLICITY_WORKING_DAYS);
}

/** The current archive of a household is its newest (as niangjia_current_archive in migration 0011). */
async function currentArchiveId(ctx: Ctx, householdId: string): Promise<string | undefined> {
  const row = await ctx.tx
    .selectFrom('archives')
    .select('id')
    .where('household_id', '=', householdId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Every archive of a household, newest first: the current one, then its history. */
function archivesOf(ctx: Ctx, householdId: string) {
  return ctx.tx
    .selectFrom('archives')
    .selectAll()
    .where('household_id', '=', householdId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
type ArchiveRow = Awaited<ReturnType<typeof archivesOf>>[number];

/**
 * A household with its people, survey figures and current archive. ID numbers are masked unless
 * `full` is asked for by a holder of person:read_full: then each person shown is an audited read.
 */
export async function getHousehold(ctx: Ctx, id: string, { full = false } = {}): Promise<HouseholdDetail> {
  if (full && !ctx.actor.permissions.includes('person:read_full'))
    throw new AppError('forbidden', 'Seeing full ID numbers needs the permission person:read_full');
  const h = await ctx.tx
    .selectFrom('households as h')
    .innerJoin('orgs as o', 'o.id', 'h.org_id')
    .selectAll('h')
    .select(['o.code as org_code', 'o.name as org_name'])
    .where('h.id', '=', id)
    .executeTakeFirst();
  if (!h) throw notFound('Household');
  const personCols = [
    'p.id',
    'p.name',
    'p.id_number',
    'p.sex',
    'p.birth_date',
    'p.phone',
    'p.migrant_worker',
    'p.household_registration',
    'p.health',
    'p.activity',
  ] as const;
  const head = await ctx.tx
    .selectFrom('people as p')
    .select(personCols)
    .where('p.id', '=', h.head_person_id)
    .executeTakeFirstOrThrow();
  const members = await ctx.tx
    .selectFrom('household_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select([...personCols, 'm.relation', 'm.monthly_income_fen'])
    .where('m.household_id', '=', id)
    .orderBy('m.created_at')
    .execute();
  const view = (p: typeof head) => ({
    id: p.id,
    name: p.name,
    idNumber: full ? p.id_number : maskResidentId(p.id_number),
    sex: p.sex as 'male' | 'female',
    birthDate: full ? p.birth_date : null,
    birthYear: Number(p.birth_date.slice(0, 4)),
    phone: p.phone,
    migrantWorker: p.migrant_worker,
    householdRegistration: p.household_registration as Person['householdRegistration'],
    health: p.health as Person['health'],
    activity: p.activity as Person['activity'],
  });
  if (full) for (const p of [head, ...members]) await auditRead(ctx, 'person', p.id, h.org_id);

  const income = {
    wageIncomeFen: h.wage_income_fen,
    businessIncomeFen: h.business_income_fen,
    propertyIncomeFen: h.property_income_fen,
    transferIncomeFen: h.transfer_income_fen,
    otherIncomeFen: h.other_income_fen,
    medicalCostFen: h.medical_cost_fen,
    disabilityCostFen: h.disability_cost_fen,
    educationCostFen: h.education_cost_fen,
    housingCostFen: h.housing_cost_fen,
    otherRigidCostFen: h.other_rigid_cost_fen,
    employmentCostFen: h.employment_cost_fen,
  };
  const size = 1 + members.length;
  const incomeFen =
    income.wageIncomeFen +
    income.businessIncomeFen +
    income.propertyIncomeFen +
    income.transferIncomeFen +
    income.otherIncomeFen;
  const deductionsFen =
    income.medicalCostFen +
    income.disabilityCostFen +
    income.educationCostFen +
    income.housingCostFen +
    income.otherRigidCostFen;
  const archives = await archivesOf(ctx, id);
  const steps = archives.length
    ? await ctx.tx
        .selectFrom('archive_steps')
        .selectAll()
        .where(
          'archive_id',
          'in',
          archives.map((x) => x.id),
        )
        .orderBy('id')
        .execute()
    : [];
  const [a, ...previous] = archives;
  const archiveView = (x: ArchiveRow) => ({
    id: x.id,
    status: x.status as ArchiveStatus,
    category: x.category as ArchiveView['category'],
    origin: x.origin as ArchiveView['origin'],
    primaryCause: x.primary_cause as ArchiveView['primaryCause'],
    secondaryCauses: x.secondary_causes as ArchiveView['secondaryCauses'],
    urgency: x.urgency as ArchiveView['urgency'],
    urgencyManual: x.urgency_manual,
    urgencyReason: x.urgency_reason,
    openedOn: x.opened_on,
    publicityStartedOn: x.publicity_started_on,
    archivedOn: x.archived_on,
    exitedOn: x.exited_on,
    exitReason: x.exit_reason as ExitReason | null,
    previousArchiveId: x.previous_archive_id,
    steps: steps
      .filter((s) => s.archive_id === x.id)
      .map((s) => ({
        action: s.action,
        fromStatus: s.from_status as ArchiveStatus | null,
        toStatus: s.to_status as ArchiveStatus,
        onDate: s.on_date,
        at: s.at.toISOString(),
        username: s.username,
        comment: s.comment,
      })),
  });
  return {
    id: h.id,
    orgCode: h.org_code,
    orgName: h.org_name,
    head: view(head),
    members: members.map((m) => ({
      ...view(m),
      relation: m.relation as HouseholdDetail['members'][number]['relation'],
      monthlyIncomeFen: m.monthly_income_fen,
    })),
    housingType: (h.housing_type ?? null) as HouseholdDetail['housingType'],
    income,
    // Shown rounded down to the fen; the policy rules compare exact yearly totals instead.
    figures: {
      size,
      incomeFen,
      deductionsFen,
      perCapitaMonthlyIncomeFen: Math.floor(incomeFen / size / 12),
      perCapitaMonthlyNetFen: Math.floor((incomeFen - deductionsFen) / size / 12),
    },
    surveyDate: h.survey_date,
    exclusions: h.exclusions as HouseholdDetail['exclusions'],
    surveyor: h.surveyor,
    fullView: full,
    archive: a
      ? {
          ...archiveView(a),
          publicityEndsOn: a.publicity_started_on
            ? publicityEndsOn(
                a.publicity_started_on,
                await publicityWorkingDays(ctx, a.org_id, a.publicity_started_on),
              ).date
            : null,
          nextReviewOn: a.next_review_on,
          allowedActions: allowedActions(
            a.status as ArchiveStatus,
            ctx.actor.permissions,
            a.exit_reason as ExitReason | null,
          ),
        }
      : null,
    previousArchives: previous.map(archiveView),
  };
}

/**
 * Takes one step of an archive's life cycle: legal transitions only (the domain's table), dated,
 * by the user, with a comment; archiving waits for the end of publicity without open objections.
 */
export async function takeArchiveStep(
  ctx: Ctx,
  archiveId: string,
  input: ArchiveStepInput,
  today: string,
): Promise<{ status: ArchiveStatus; archiveId?: string }> {
  // Locked: two steps on one archive at once must not both pass (two archivings, two first visits).
  const a = await ctx.tx
    .selectFrom('archives')
    .selectAll()
    .where('id', '=', archiveId)
    .forUpdate()
    .executeTakeFirst();
  if (!a) throw notFound('Archive');
  if (input.monthlyIncomeFen !== undefined && input.action !== 'review')
    throw badRequest('The income is recorded at a yearly review only', [
      { path: ['body', 'monthlyIncomeFen'], message: '只有年度审核时记录家庭月收入' },
    ]);
  const onDate = input.onDate ?? today;
  if (onDate > today)
    throw badRequest('The step is dated in the future', [
      { path: ['body', 'onDate'], message: '日期晚于今天' },
    ]);
  const last = await ctx.tx
    .selectFrom('archive_steps')
    .select('on_date')
    .where('archive_id', '=', archiveId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (last && onDate < last.on_date)
    throw badRequest('The step is dated before the previous one', [
      { path: ['body', 'onDate'], message: `日期早于上一步（${last.on_date}）` },
    ]);
  const objections = await ctx.tx
    .selectFrom('publicity_objections')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('resolved_on', 'is', null).as('open'),
      eb.fn.countAll<number>().filterWhere('upheld', '=', true).as('upheld'),
    ])
    .where('archive_id', '=', archiveId)
    // Only this publicity's: an archive returned and publicised again starts afresh.
    .where('raised_on', '>=', a.publicity_started_on ?? '0001-01-01')
    .executeTakeFirstOrThrow();
  const from = a.status as ArchiveStatus;
  const result = takeStep(from, input.action as ArchiveActionCode, ctx.actor.permissions, {
    today: onDate,
    publicityStartedOn: a.publicity_started_on ?? undefined,
    publicityWorkingDays: a.publicity_started_on
      ? await publicityWorkingDays(ctx, a.org_id, a.publicity_started_on)
      : MIN_PUBLICITY_WORKING_DAYS,
    openObjections: objections.open,
    upheldObjections: objections.upheld,
    exitReason: input.exitReason,
    closedFor: a.exit_reason as ExitReason | null,
  });
  if (!result.ok) {
    if (result.refusal.code === 'not_permitted')
      throw new AppError(
        'forbidden',
        `This step needs the permission ${result.refusal.permission}`,
        result.refusal,
      );
    throw conflict(`The step ${input.action} cannot be taken now (${result.refusal.code})`, result.refusal);
  }
  const to = result.to;
  if (result.opens) return openNextArchive(ctx, a, input, { to, origin: result.opens, onDate });
  const set: Record<string, unknown> = { status: to, updated_at: new Date() };
  if (input.action === 'publicise') set.publicity_started_on = onDate;
  if (input.action === 'archive') {
    set.archived_on = onDate;
    // Each archived household is reviewed once a year.
    set.next_review_on = addYears(onDate, 1);
  }
  if (input.action === 'review') set.next_review_on = addYears(onDate, 1);
  if (input.action === 'exit') {
    set.exited_on = onDate;
    set.exit_reason = input.exitReason;
    set.next_review_on = null;
  }
  await ctx.tx.updateTable('archives').set(set).where('id', '=', archiveId).execute();
  if (input.action === 'archive') {
    // The first follow-up visit falls to whoever made the home visit (they know the family), if
    // they are still an active user; otherwise to no one yet.
    const visitor = await ctx.tx
      .selectFrom('archive_steps as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select('s.user_id')
      .where('s.archive_id', '=', archiveId)
      .where('s.action', '=', 'home_visit')
      .where('u.active', '=', true)
      .orderBy('s.id', 'desc')
      .executeTakeFirst();
    await ctx.tx
      .insertInto('visits')
      .values({
        archive_id: archiveId,
        org_id: a.org_id,
        due_on: addDays(onDate, a.visit_interval_days),
        caseworker_id: visitor?.user_id ?? null,
      })
      .execute();
  }
  await ctx.tx
    .insertInto('archive_steps')
    .values({
      archive_id: archiveId,
      action: input.action,
      from_status: from,
      to_status: to,
      on_date: onDate,
      user_id: ctx.actor.userId || null,
      username: ctx.actor.username,
      comment: input.comment,
      data: input.exitReason ? JSON.stringify({ exitReason: input.exitReason }) : null,
    })
    .execute();
  await audit(ctx, {
    action: 'update',
    entity: 'archive',
    entityId: archiveId,
    orgId: a.org_id,
    before: { status: from },
    after: {
      status: to,
      step: input.action,
      onDate,
      ...(input.exitReason ? { exitReason: input.exitReason } : {}),
    },
  });
  // The yearly review evaluates the household again under the policy in force that day (issue 4);
  // without a policy in force the review still stands, undecided.
  if (input.action === 'review') {
    if (input.monthlyIncomeFen !== undefined)
      await recordIncome(ctx, {
        householdId: a.household_id,
        orgId: a.org_id,
        onDate,
        monthlyIncomeFen: input.monthlyIncomeFen,
        source: 'review',
      });
    await evaluateHouseholds(ctx, [a.household_id], { asOf: onDate, reason: 'review', missing: 'skip' });
  }
  return { status: to };
}

/**
 * A closed archive's household starts again (返困 after an exit, a new survey after a refusal): a
 * new archive in `to`, pointing to the closed one, which stays exactly as it was (ADR 0014). Its
 * first step is this one, so the history reads on from the old archive's last step.
 */
async function openNextArchive(
  ctx: Ctx,
  closed: ArchiveRow,
  input: ArchiveStepInput,
  { to, origin, onDate }: { to: ArchiveStatus; origin: ArchiveOrigin; onDate: string },
): Promise<{ status: ArchiveStatus; archiveId: string }> {
  // An older closed archive is history: only the household's current one leads on.
  if ((await currentArchiveId(ctx, closed.household_id)) !== closed.id)
    throw conflict('Only the current archive of the household can be reopened', {
      code: 'not_current_archive',
    });
  // Its people may belong to another open household by now: one open household per person (issue 3).
  const h = await ctx.tx
    .selectFrom('households')
    .select('head_person_id')
    .where('id', '=', closed.household_id)
    .executeTakeFirstOrThrow();
  const members = await ctx.tx
    .selectFrom('household_members')
    .select('person_id')
    .where('household_id', '=', closed.household_id)
    .execute();
  const personIds = [h.head_person_id, ...members.map((m) => m.person_id)];
  const open = await sql<{ person_id: string; org_code: string; org_name: string }>`
    select * from niangjia_open_households_of(${personIds}::uuid[])`.execute(ctx.tx);
  if (open.rows.length > 0) {
    const names = await ctx.tx
      .selectFrom('people')
      .select(['id', 'name'])
      .where(
        'id',
        'in',
        open.rows.map((r) => r.person_id),
      )
      .execute();
    const nameOf = new Map(names.map((p) => [p.id, p.name]));
    const people = open.rows.map((r) => ({
      personId: r.person_id,
      name: nameOf.get(r.person_id) ?? '',
      orgCode: r.org_code,
      orgName: r.org_name,
    }));
    throw conflict(
      `${people.map((p) => `${p.name} (${p.orgName})`).join(', ')} already belong to another open household`,
      { code: 'person_in_open_household', people },
    );
  }
  let archiveId: string;
  try {
    ({ id: archiveId } = await ctx.tx
      .insertInto('archives')
      .values({
        household_id: closed.household_id,
        org_id: closed.org_id,
        origin,
        primary_cause: closed.primary_cause,
        secondary_causes: closed.secondary_causes,
        urgency: closed.urgency,
        status: to,
        opened_on: onDate,
        visit_interval_days: closed.visit_interval_days,
        previous_archive_id: closed.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  } catch (err) {
    // Two reopenings at once: the partial unique index lets one open archive per household.
    if (isUniqueViolation(err))
      throw conflict('The household already has an open archive', { code: 'household_has_open_archive' });
    throw err;
  }
  await ctx.tx
    .insertInto('archive_steps')
    .values({
      archive_id: archiveId,
      action: input.action,
      from_status: null,
      to_status: to,
      on_date: onDate,
      user_id: ctx.actor.userId || null,
      username: ctx.actor.username,
      comment: input.comment,
      data: JSON.stringify({ previousArchiveId: closed.id }),
    })
    .execute();
  await audit(ctx, {
    action: 'create',
    entity: 'archive',
    entityId: archiveId,
    orgId: closed.org_id,
    after: {
      householdId: closed.household_id,
      origin,
      previousArchiveId: closed.id,
      status: to,
      step: input.action,
      onDate,
    },
  });
  return { status: to, archiveId };
}
