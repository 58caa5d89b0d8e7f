import { randomUUID } from 'node:crypto';
import type {
  AidType,
  ApproveAllResult,
  BatchProposed,
  GrantList,
  GrantQuery,
  GrantView,
  PayGrant,
  ProposeBatch,
  ProposeGrant,
  ReversePayment,
} from '@niangjia/contracts';
import { bulkInsert, sql } from '@niangjia/db';
import { addWorkingDays, maskResidentId, todayInShanghai } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { AppError, badRequest, conflict, notFound } from '../../http/errors';
import { type AuditEvent, audit, auditMany } from '../audit/service';
import { parameterFor } from '../policy/service';
import { matchingHouseholds } from '../registry/households';
import { maskBankCard } from '../registry/people';
import { type Cap, type CapInputs, type CapTarget, capsFor } from './caps';
import { fundUsage, trainingLimitOf } from './funds';
import { contentKey, insertReversal, LEDGER_LINE_COLUMNS } from './ledger';
import { type ProgramRow, programRow } from './programs';

/**
 * Grants from proposal to payment (issue 5). Every step is one transaction with its audit entry;
 * the steps that could race (two approvals drawing on one fund, two payments of one grant) are
 * decided by a locked or conditionally updated row, so that they happen once.
 */

const refused = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  conflict(message, { code, ...extra });

const ZH_REASON: Record<string, string> = {
  not_eligible: '不符合项目的建档条件',
  already_granted: '本项目已有此人的帮扶记录',
  cap_used: '已达到本年度（或累计）救助上限',
  over_cap: '金额超过救助上限',
  no_cap_parameter: '未设置救助上限参数',
  needs_input: '缺少计算上限所需的信息（自付医疗费用或就读阶段）',
  no_amount: '项目没有标准金额，需填写金额',
  outside_program: '此人所在家庭不属于项目所属工会及其下级',
};

/** The fund a program's grant draws on: its organisation's budget of the source for its year. */
async function fundFor(ctx: Ctx, program: ProgramRow, source: string | undefined) {
  const chosen = source ?? program.fund_sources[0];
  if (!chosen || !program.fund_sources.includes(chosen))
    throw badRequest('The program does not draw on this fund source', [
      { path: ['fundSource'], message: '项目不使用此资金来源' },
    ]);
  const year = Number(program.starts_on.slice(0, 4));
  const fund = await ctx.tx
    .selectFrom('funds')
    .select(['id', 'source', 'year'])
    .where('org_id', '=', program.org_id)
    .where('source', '=', chosen)
    .where('year', '=', year)
    .executeTakeFirst();
  if (!fund)
    throw refused(`No ${year} budget of ${chosen} is set for ${program.org_code}`, 'no_budget', {
      source: chosen,
      year,
    });
  return fund;
}

/** Above this amount a grant needs a second approver (a policy parameter; none: one approver). */
async function approvalsNeeded(ctx: Ctx, program: ProgramRow, amountFen: number): Promise<1 | 2> {
  const threshold = await parameterFor(ctx, program.org_id, 'grantSecondApprovalAbove', program.starts_on);
  return threshold !== undefined && amountFen > threshold.value ? 2 : 1;
}

interface Candidate extends CapTarget {
  archiveStatus: string | null;
  /** The household's organisation path (absent without a household). */
  orgPath?: string;
}

/** Whether a household's archive qualifies for the program ("archive first, then aid"). */
function eligible(program: ProgramRow, c: Candidate): boolean {
  if (program.eligible_statuses.length > 0 && !program.eligible_statuses.includes(c.archiveStatus ?? ''))
    return false;
  if (program.eligible_categories.length > 0 && !program.eligible_categories.includes(c.category ?? ''))
    return false;
  return true;
}

/** The amount a grant is proposed with, or why it cannot be. */
function amountFor(program: ProgramRow, cap: Cap, asked: number | undefined): number | string {
  if (!cap.ok) return cap.reason;
  const amount = asked ?? program.default_amount_fen ?? cap.capFen;
  if (amount === null || amount === undefined) return 'no_amount';
  if (cap.capFen !== null && amount > cap.capFen) return 'over_cap';
  return amount;
}

/** The person's household: the one they head, else the one they belong to; the current archive's. */
async function householdOf(ctx: Ctx, personId: string): Promise<Candidate | undefined> {
  const row = await ctx.tx
    .selectFrom('households as h')
    .select(['h.id', 'h.org_id', 'h.org_path', 'h.archive_status', 'h.archive_category', 'h.head_person_id'])
    .where((eb) =>
      eb.or([
        eb('h.head_person_id', '=', personId),
        eb(
          'h.id',
          'in',
          eb
            .selectFrom('household_members as m')
            .select('m.household_id')
            .where('m.person_id', '=', personId),
        ),
      ]),
    )
    .orderBy(sql`h.head_person_id = ${personId}`, 'desc')
    .orderBy(sql`h.archive_status is null`)
    .executeTakeFirst();
  return row
    ? {
        personId,
        householdId: row.id,
        orgId: row.org_id,
        category: row.archive_category,
        archiveStatus: row.archive_status,
        orgPath: row.org_path,
      }
    : undefined;
}

const GRANT_COLUMNS = {
  id: 'uuid',
  program_id: 'uuid',
  org_id: 'uuid',
  person_id: 'uuid',
  household_id: 'uuid',
  amount_fen: 'bigint',
  cap_fen: 'bigint',
  basis: 'jsonb',
  fund_id: 'uuid',
  approvals_needed: 'integer',
  proposed_by: 'uuid',
  proposed_by_name: 'text',
} as const;

/** Proposes one grant: the person must qualify, have no live grant of the program, and stay within the cap. */
export async function proposeGrant(ctx: Ctx, input: ProposeGrant): Promise<GrantView> {
  const program = await programRow(ctx, input.programId);
  await lockProposals(ctx, program.aid_type);
  const person = await ctx.tx
    .selectFrom('people')
    .select(['id'])
    .where('id', '=', input.personId)
    .executeTakeFirst();
  if (!person) throw notFound('Person');
  const household = await householdOf(ctx, input.personId);
  const candidate: Candidate = household ?? {
    personId: input.personId,
    householdId: null,
    orgId: program.org_id,
    category: null,
    archiveStatus: null,
  };
  if (candidate.orgPath !== undefined && !candidate.orgPath.startsWith(program.org_path))
    throw refused('The household is outside the organisation that runs the program', 'outside_program', {
      zh: '此人所在家庭不属于项目所属工会及其下级',
    });
  if (!eligible(program, candidate))
    throw refused('The person does not qualify for this program', 'not_eligible', {
      zh: ZH_REASON.not_eligible,
      archiveStatus: candidate.archiveStatus,
      category: candidate.category,
    });
  const inputs: CapInputs = { selfPaidFen: input.selfPaidFen, schoolLevel: input.schoolLevel };
  const [cap] = await capsFor(ctx, program.aid_type as AidType, program.starts_on, [candidate], inputs);
  const amount = amountFor(program, cap as Cap, input.amountFen);
  if (typeof amount === 'string')
    throw refused(`The grant cannot be proposed: ${amount}`, amount, {
      zh: ZH_REASON[amount],
      capFen: cap?.ok ? cap.capFen : null,
      basis: cap?.basis,
    });
  const fund = await fundFor(ctx, program, input.fundSource);
  const live = await ctx.tx
    .selectFrom('grants')
    .select('id')
    .where('program_id', '=', program.id)
    .where('person_id', '=', input.personId)
    .where('status', 'not in', ['rejected', 'cancelled'])
    .executeTakeFirst();
  if (live)
    throw refused('The person already has a grant of this program', 'already_granted', { grantId: live.id });
  const id = randomUUID();
  const okCap = cap as Extract<Cap, { ok: true }>;
  await ctx.tx
    .insertInto('grants')
    .values({
      id,
      program_id: program.id,
      org_id: program.org_id,
      person_id: input.personId,
      household_id: candidate.householdId,
      amount_fen: amount,
      cap_fen: okCap.capFen,
      basis: JSON.stringify({ ...okCap.basis, ...inputs }),
      fund_id: fund.id,
      approvals_needed: await approvalsNeeded(ctx, program, amount),
      proposed_by: ctx.actor.userId || null,
      proposed_by_name: ctx.actor.displayName,
    })
    .execute();
  await audit(ctx, {
    action: 'create',
    entity: 'grant',
    entityId: id,
    orgId: program.org_id,
    after: { programId: program.id, amountFen: amount, capFen: okCap.capFen, fund: fund.source },
  });
  return getGrant(ctx, id);
}

/**
 * Proposes the program to the head of every household the list's filters give (every deep-hardship
 * household of 640104, say): set-based, in a fixed number of statements whatever the count. A
 * household is left out, and counted by reason, when it does not qualify, its head already has a
 * grant of the program, or the amount would pass its cap.
 */
export async function proposeBatch(ctx: Ctx, input: ProposeBatch): Promise<BatchProposed> {
  const program = await programRow(ctx, input.programId);
  await lockProposals(ctx, program.aid_type);
  const fund = await fundFor(ctx, program, input.fundSource);
  const { migrant, ...rest } = input.filters;
  const rows = await (
    await matchingHouseholds(ctx, {
      ...rest,
      // The program's own area unless the filters narrow it.
      org: rest.org ?? program.org_code,
      ...(migrant === undefined ? {} : { migrant }),
    } as Parameters<typeof matchingHouseholds>[1])
  )
    // Households of the program's organisation and below only, whatever subtree the filters name.
    .where(sql<boolean>`starts_with(h.org_path, ${program.org_path})`)
    .select(['h.id', 'h.org_id', 'h.head_person_id', 'h.archive_status', 'h.archive_category'])
    .execute();
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const candidates: Candidate[] = [];
  for (const r of rows) {
    const c: Candidate = {
      personId: r.head_person_id,
      householdId: r.id,
      orgId: r.org_id,
      category: r.archive_category,
      archiveStatus: r.archive_status,
    };
    if (eligible(program, c)) candidates.push(c);
    else skip('not_eligible');
  }
  const live = new Set(
    (
      await sql<{ person_id: string }>`
        select person_id from grants
        where program_id = ${program.id} and status not in ('rejected', 'cancelled')
          and person_id = any(${candidates.map((c) => c.personId)}::uuid[])`.execute(ctx.tx)
    ).rows.map((r) => r.person_id),
  );
  const fresh = candidates.filter((c) => {
    if (live.has(c.personId)) skip('already_granted');
    return !live.has(c.personId);
  });
  const caps = await capsFor(ctx, program.aid_type as AidType, program.starts_on, fresh);
  const threshold = await parameterFor(ctx, program.org_id, 'grantSecondApprovalAbove', program.starts_on);
  const grants: Record<keyof typeof GRANT_COLUMNS, unknown>[] = [];
  const events: AuditEvent[] = [];
  let total = 0;
  for (const [i, c] of fresh.entries()) {
    const cap = caps[i] as Cap;
    const amount = amountFor(program, cap, input.amountFen);
    if (typeof amount === 'string') {
      skip(amount);
      continue;
    }
    const okCap = cap as Extract<Cap, { ok: true }>;
    const id = randomUUID();
    total += amount;
    grants.push({
      id,
      program_id: program.id,
      org_id: program.org_id,
      person_id: c.personId,
      household_id: c.householdId,
      amount_fen: amount,
      cap_fen: okCap.capFen,
      basis: okCap.basis,
      fund_id: fund.id,
      approvals_needed: threshold !== undefined && amount > threshold.value ? 2 : 1,
      proposed_by: ctx.actor.userId || null,
      proposed_by_name: ctx.actor.displayName,
    });
    events.push({
      action: 'create',
      entity: 'grant',
      entityId: id,
      orgId: program.org_id,
      after: {
        programId: program.id,
        amountFen: amount,
        capFen: okCap.capFen,
        fund: fund.source,
        batch: true,
      },
    });
  }
  for (let i = 0; i < grants.length; i += 5000) {
    await bulkInsert(ctx.tx, 'grants', GRANT_COLUMNS, grants.slice(i, i + 5000));
    await auditMany(ctx, events.slice(i, i + 5000));
  }
  return { matched: rows.length, proposed: grants.length, amountFen: total, skipped };
}

/** Changes a proposed grant's amount, within its cap; approvals given so far start again. */
export async function changeAmount(ctx: Ctx, id: string, amountFen: number): Promise<GrantView> {
  const g = await lockGrant(ctx, id);
  if (g.status !== 'proposed') throw refused('Only a proposed grant can change its amount', 'not_proposed');
  const program = await programRow(ctx, g.program_id);
  await lockProposals(ctx, program.aid_type);
  // The cap as it stands now, this grant left out: what else was granted since counts.
  const household = g.household_id
    ? await ctx.tx
        .selectFrom('households')
        .select(['org_id', 'archive_category'])
        .where('id', '=', g.household_id)
        .executeTakeFirst()
    : undefined;
  const basis = (typeof g.basis === 'string' ? JSON.parse(g.basis) : g.basis) as CapInputs;
  const [cap] = await capsFor(
    ctx,
    program.aid_type as AidType,
    program.starts_on,
    [
      {
        personId: g.person_id,
        householdId: g.household_id,
        orgId: household?.org_id ?? program.org_id,
        category: household?.archive_category ?? null,
      },
    ],
    { selfPaidFen: basis.selfPaidFen, schoolLevel: basis.schoolLevel },
    id,
  );
  const capFen = cap?.ok ? cap.capFen : 0;
  if (capFen !== null && amountFen > capFen)
    throw refused('The amount is above the cap', 'over_cap', { capFen, zh: ZH_REASON.over_cap });
  await ctx.tx
    .updateTable('grants')
    .set({
      amount_fen: amountFen,
      cap_fen: capFen,
      approvals_needed: await approvalsNeeded(ctx, program, amountFen),
      amount_changed_by: ctx.actor.userId || null,
      first_approved_by: null,
      first_approved_by_name: null,
      first_approved_at: null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  await audit(ctx, {
    action: 'update',
    entity: 'grant',
    entityId: id,
    orgId: g.org_id,
    before: { amountFen: g.amount_fen, capFen: g.cap_fen },
    after: { amountFen, capFen },
  });
  return getGrant(ctx, id);
}

/**
 * Proposals of one type of aid, one transaction at a time: two at once would each find the
 * household's cap unused. Held until the transaction ends (a batch holds it for seconds).
 */
async function lockProposals(ctx: Ctx, aidType: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`niangjia.grants.${aidType}`}))`.execute(ctx.tx);
}

async function lockGrant(ctx: Ctx, id: string) {
  const g = await ctx.tx.selectFrom('grants').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!g) throw notFound('Grant');
  return g;
}

/** Who may approve: never the proposer; the second approver never the first. */
function approvalStep(
  g: {
    status: string;
    approvals_needed: number;
    proposed_by: string | null;
    proposed_by_name: string;
    first_approved_by: string | null;
    amount_changed_by: string | null;
  },
  actorId: string,
): 'first' | 'final' | { code: string; message: string } {
  if (g.status !== 'proposed')
    return { code: 'not_proposed', message: 'The grant is not waiting for approval' };
  const same = (who: string | null) => who !== null && who === actorId;
  if (same(g.proposed_by) || same(g.amount_changed_by))
    return { code: 'own_proposal', message: 'The proposer cannot approve their own grant' };
  if (g.approvals_needed === 2 && g.first_approved_by === null) return 'first';
  if (same(g.first_approved_by))
    return { code: 'same_approver', message: 'The second approval must come from another approver' };
  return 'final';
}

/** The day a grant's publicity ends: approval day plus the program's working days (0: none). */
function publicityEnd(on: string, days: number): string {
  return days === 0 ? on : addWorkingDays(on, days).date;
}

/**
 * Approves a proposed grant: the first of two approvals, or the last, which commits its amount to
 * the fund. The fund's row is locked, so two approvals at once never overspend it; a training grant
 * on central-finance funds must also keep training within its share of that budget.
 */
export async function approveGrant(ctx: Ctx, id: string, note?: string): Promise<GrantView> {
  const g = await lockGrant(ctx, id);
  const step = approvalStep(g, ctx.actor.userId);
  if (typeof step !== 'string') throw refused(step.message, step.code);
  const today = todayInShanghai();
  if (step === 'first') {
    await ctx.tx
      .updateTable('grants')
      .set({
        first_approved_by: ctx.actor.userId || null,
        first_approved_by_name: ctx.actor.displayName,
        first_approved_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
  } else {
    const program = await programRow(ctx, g.program_id);
    await commitToFund(ctx, g.fund_id, program.aid_type, [{ id, amount: g.amount_fen }]);
    await ctx.tx
      .updateTable('grants')
      .set({
        status: 'approved',
        approved_by: ctx.actor.userId || null,
        approved_by_name: ctx.actor.displayName,
        approved_on: today,
        publicity_ends_on: publicityEnd(today, program.publicity_working_days),
        decision_note: note ?? null,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
  }
  await audit(ctx, {
    action: 'update',
    entity: 'grant',
    entityId: id,
    orgId: g.org_id,
    before: { status: g.status },
    after: { status: step === 'final' ? 'approved' : 'proposed', approval: step, note: note ?? null },
  });
  return getGrant(ctx, id);
}

/**
 * Checks that a fund can take these grants, in order, after what it has committed and paid; locks
 * the fund's row until the transaction ends. Returns the ids that fit; throws when `all` is asked
 * and one does not.
 */
async function commitToFund(
  ctx: Ctx,
  fundId: string,
  aidType: string,
  grants: { id: string; amount: number }[],
  all = true,
): Promise<{ fits: string[]; refusedIds: Map<string, string> }> {
  const fund = await ctx.tx
    .selectFrom('funds')
    .selectAll()
    .where('id', '=', fundId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const usage = (await fundUsage(ctx, [fundId])).get(fundId) ?? { committed: 0, paid: 0, training: 0 };
  let used = usage.committed + usage.paid;
  let training = usage.training;
  let trainingLimit: number | null = null;
  if (aidType === 'training' && fund.source === 'central_finance') {
    const limit = await trainingLimitOf(ctx, fund.org_id, fund.year, fund.budget_fen);
    if (limit === undefined)
      throw refused('No share of central-finance funds for training is set', 'no_cap_parameter', {
        missing: 'trainingShareOfCentralFunds',
      });
    trainingLimit = limit;
  }
  const fits: string[] = [];
  const refusedIds = new Map<string, string>();
  for (const g of grants) {
    if (used + g.amount > fund.budget_fen) {
      if (all)
        throw refused('The fund would be overspent', 'fund_overspent', {
          budgetFen: fund.budget_fen,
          usedFen: used,
          zh: '资金预算不足',
        });
      refusedIds.set(g.id, 'fund_overspent');
      continue;
    }
    if (trainingLimit !== null && training + g.amount > trainingLimit) {
      if (all)
        throw refused('Training would pass its share of the central-finance budget', 'training_share', {
          limitFen: trainingLimit,
          trainingFen: training,
          zh: '中央财政资金用于培训的比例将超过上限',
        });
      refusedIds.set(g.id, 'training_share');
      continue;
    }
    used += g.amount;
    if (aidType === 'training') training += g.amount;
    fits.push(g.id);
  }
  return { fits, refusedIds };
}

/**
 * Approves every proposed grant of a program the actor may approve: first approvals, and last ones
 * as far as each fund allows (oldest proposals first); the rest are listed with the reason.
 */
export async function approveAll(ctx: Ctx, programId: string): Promise<ApproveAllResult> {
  const program = await programRow(ctx, programId);
  const pending = await ctx.tx
    .selectFrom('grants')
    .select([
      'id',
      'status',
      'approvals_needed',
      'proposed_by',
      'proposed_by_name',
      'first_approved_by',
      'amount_changed_by',
      'amount_fen',
      'fund_id',
    ])
    .where('program_id', '=', programId)
    .where('status', '=', 'proposed')
    .orderBy('proposed_at')
    .orderBy('id')
    .forUpdate()
    .execute();
  const result: ApproveAllResult = { approved: 0, firstApproved: 0, refused: [] };
  const firsts: string[] = [];
  const finals = new Map<string, { id: string; amount: number }[]>();
  for (const g of pending) {
    const step = approvalStep(g, ctx.actor.userId);
    if (typeof step !== 'string') result.refused.push({ grantId: g.id, reason: step.code });
    else if (step === 'first') firsts.push(g.id);
    else {
      const ofFund = finals.get(g.fund_id) ?? [];
      ofFund.push({ id: g.id, amount: g.amount_fen });
      finals.set(g.fund_id, ofFund);
    }
  }
  const today = todayInShanghai();
  if (firsts.length) {
    await sql`
      update grants set first_approved_by = ${ctx.actor.userId || null}, first_approved_by_name = ${ctx.actor.displayName},
        first_approved_at = now(), updated_at = now()
      where id = any(${firsts}::uuid[])`.execute(ctx.tx);
    result.firstApproved = firsts.length;
  }
  const approved: string[] = [];
  for (const [fundId, grants] of [...finals.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { fits, refusedIds } = await commitToFund(ctx, fundId, program.aid_type, grants, false);
    approved.push(...fits);
    for (const [grantId, reason] of refusedIds) result.refused.push({ grantId, reason });
  }
  if (approved.length) {
    await sql`
      update grants set status = 'approved', approved_by = ${ctx.actor.userId || null}, approved_by_name = ${ctx.actor.displayName},
        approved_on = ${today}::date, publicity_ends_on = ${publicityEnd(today, program.publicity_working_days)}::date,
        updated_at = now()
      where id = any(${approved}::uuid[])`.execute(ctx.tx);
    result.approved = approved.length;
  }
  await auditMany(
    ctx,
    [
      ...firsts.map((id) => ({ id, status: 'proposed', approval: 'first' })),
      ...approved.map((id) => ({ id, status: 'approved', approval: 'final' })),
    ].map((a) => ({
      action: 'update' as const,
      entity: 'grant',
      entityId: a.id,
      orgId: program.org_id,
      before: { status: 'proposed' },
      after: { status: a.status, approval: a.approval },
    })),
  );
  return result;
}

export async function rejectGrant(ctx: Ctx, id: string, reason: string): Promise<GrantView> {
  const g = await lockGrant(ctx, id);
  if (g.status !== 'proposed') throw refused('Only a proposed grant can be rejected', 'not_proposed');
  await ctx.tx
    .updateTable('grants')
    .set({
      status: 'rejected',
      decision_note: reason,
      approved_by: ctx.actor.userId || null,
      approved_by_name: ctx.actor.displayName,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  await audit(ctx, {
    action: 'update',
    entity: 'grant',
    entityId: id,
    orgId: g.org_id,
    before: { status: g.status },
    after: { status: 'rejected', reason },
  });
  return getGrant(ctx, id);
}

/** An objection during publicity holds an approved grant (no payment) until it is resolved. */
export async function raiseObjection(ctx: Ctx, id: string, content: string): Promise<GrantView> {
  const g = await lockGrant(ctx, id);
  const today = todayInShanghai();
  if (g.status !== 'approved' || !g.publicity_ends_on || today > g.publicity_ends_on)
    throw refused('Objections are taken only while an approved grant is publicised', 'not_in_publicity');
  await ctx.tx
    .updateTable('grants')
    .set({ status: 'objected', objection: content, objection_on: today, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  await audit(ctx, {
    action: 'update',
    entity: 'grant',
    entityId: id,
    orgId: g.org_id,
    before: { status: g.status },
    after: { status: 'objected' },
  });
  return getGrant(ctx, id);
}

/** An upheld objection cancels the grant (its commitment is released); otherwise it may be paid. */
export async function resolveObjection(
  ctx: Ctx,
  id: string,
  upheld: boolean,
  resolution: string,
): Promise<GrantView> {
  const g = await lockGrant(ctx, id);
  if (g.status !== 'objected') throw refused('The grant has no objection to resolve', 'no_objection');
  const status = upheld ? 'cancelled' : 'approved';
  await ctx.tx
    .updateTable('grants')
    .set({ status, decision_note: resolution, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  await audit(ctx, {
    action: 'update',
    entity: 'grant',
    entityId: id,
    orgId: g.org_id,
    before: { status: g.status },
    after: { status, upheld, resolution },
  });
  return getGrant(ctx, id);
}

/**
 * Pays an approved grant whose publicity is over: the grant becomes paid by one conditional UPDATE
 * (status approved → paid), so of two attempts at once (two tabs, a retried request) exactly one
 * pays and the other is refused; the payment lands in the ledger in the same transaction.
 */
export async function payGrant(ctx: Ctx, id: string, input: PayGrant): Promise<GrantView> {
  const paidOn = input.paidOn ?? todayInShanghai();
  if (paidOn > todayInShanghai())
    throw badRequest('A payment cannot be dated in the future', [
      { path: ['paidOn'], message: '发放日期不能晚于今天' },
    ]);
  const g = await ctx.tx
    .selectFrom('grants as g')
    .innerJoin('programs as p', 'p.id', 'g.program_id')
    .innerJoin('funds as f', 'f.id', 'g.fund_id')
    .innerJoin('people as pe', 'pe.id', 'g.person_id')
    .innerJoin('orgs as o', 'o.id', 'g.org_id')
    .select([
      'g.id',
      'g.status',
      'g.org_id',
      'g.person_id',
      'g.amount_fen',
      'g.publicity_ends_on',
      'g.approved_on',
      'p.name as program_name',
      'p.aid_type',
      'p.publicity_working_days',
      'f.source',
      'pe.id_number',
      'pe.bank_card',
      'o.code as org_code',
    ])
    .where('g.id', '=', id)
    .executeTakeFirst();
  if (!g) throw notFound('Grant');
  if (g.status === 'paid')
    throw refused('The grant is paid already', 'already_paid', { zh: '该笔帮扶已发放，不能重复发放' });
  if (g.status !== 'approved') throw refused('Only an approved grant can be paid', 'not_approved');
  if (g.publicity_working_days > 0 && g.publicity_ends_on && paidOn <= g.publicity_ends_on)
    throw refused(`The publicity runs until ${g.publicity_ends_on}`, 'in_publicity', {
      publicityEndsOn: g.publicity_ends_on,
      zh: `公示期至 ${g.publicity_ends_on}，期满后方可发放`,
    });
  if (g.approved_on && paidOn < g.approved_on)
    throw refused('A payment cannot precede the approval', 'before_approval');
  if (input.method === 'bank_card' && !g.bank_card)
    throw refused('The person has no bank card on record', 'no_bank_card', {
      zh: '此人没有登记银行卡，请先登记或改用现金、实物发放',
    });
  const paid = await ctx.tx
    .updateTable('grants')
    .set({ status: 'paid', paid_on: paidOn, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .returning('id')
    .executeTakeFirst();
  // Another payment of this grant committed first (its row lock made this one wait and re-check).
  if (!paid)
    throw refused('The grant is paid already', 'already_paid', { zh: '该笔帮扶已发放，不能重复发放' });
  const lineId = randomUUID();
  const content = {
    idNumber: g.id_number,
    aidType: g.aid_type,
    amountFen: g.amount_fen,
    paidOn,
    fundSource: g.source,
    programName: g.program_name,
    orgCode: g.org_code,
  };
  await bulkInsert(
    ctx.tx,
    'ledger_entries',
    { ...LEDGER_LINE_COLUMNS, method: 'text', grant_id: 'uuid', in_kind_items: 'text' },
    [
      {
        id: lineId,
        org_id: g.org_id,
        person_id: g.person_id,
        aid_type: g.aid_type,
        fund_source: g.source,
        amount_fen: g.amount_fen,
        paid_on: paidOn,
        program_name: g.program_name,
        paid_by: ctx.actor.displayName,
        origin: 'grant',
        content_key: contentKey(content),
        created_by: ctx.actor.userId || null,
        method: input.method,
        grant_id: id,
        in_kind_items: input.inKindItems ?? null,
      },
    ],
  );
  await audit(ctx, {
    action: 'update',
    entity: 'grant',
    entityId: id,
    orgId: g.org_id,
    before: { status: 'approved' },
    after: { status: 'paid', paidOn, method: input.method, ledgerEntryId: lineId },
  });
  return getGrant(ctx, id);
}

/**
 * Reverses a grant's payment by a reversing ledger line with the reason (the payment itself is never
 * changed): the grant may then be paid again, or is cancelled with it.
 */
export async function reversePayment(ctx: Ctx, id: string, input: ReversePayment): Promise<GrantView> {
  const g = await lockGrant(ctx, id);
  if (g.status !== 'paid') throw refused('Only a paid grant can have its payment reversed', 'not_paid');
  const payment = await ctx.tx
    .selectFrom('ledger_entries as l')
    .selectAll('l')
    .where('l.grant_id', '=', id)
    .where('l.kind', '=', 'payment')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('ledger_entries as r').select('r.id').whereRef('r.reverses', '=', 'l.id'))),
    )
    .executeTakeFirst();
  if (!payment) throw new AppError('internal', 'A paid grant without its payment line');
  const lineId = await insertReversal(ctx, payment, input.reason);
  const status = input.cancel ? 'cancelled' : 'approved';
  await ctx.tx
    .updateTable('grants')
    .set({ status, paid_on: null, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  await audit(ctx, {
    action: 'update',
    entity: 'grant',
    entityId: id,
    orgId: g.org_id,
    before: { status: 'paid' },
    after: { status, reversal: lineId, reason: input.reason },
  });
  return getGrant(ctx, id);
}

function grantRows(ctx: Ctx) {
  return ctx.tx
    .selectFrom('grants as g')
    .innerJoin('programs as p', 'p.id', 'g.program_id')
    .innerJoin('funds as f', 'f.id', 'g.fund_id')
    .innerJoin('people as pe', 'pe.id', 'g.person_id')
    .innerJoin('orgs as o', 'o.id', 'g.org_id')
    .leftJoin('households as h', 'h.id', 'g.household_id')
    .leftJoin('orgs as ho', 'ho.id', 'h.org_id')
    .leftJoin('ledger_entries as l', (join) =>
      join
        .onRef('l.grant_id', '=', 'g.id')
        .on('l.kind', '=', 'payment')
        .on(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('ledger_entries as r').select('r.id').whereRef('r.reverses', '=', 'l.id'))),
        ),
    )
    .selectAll('g')
    .select([
      'p.name as program_name',
      'p.aid_type',
      'f.source as fund_source',
      'f.year as fund_year',
      'pe.name as person_name',
      'pe.id_number',
      'pe.bank_card',
      'o.code as org_code',
      'o.name as org_name',
      'ho.code as household_org_code',
      'ho.name as household_org_name',
      'l.id as line_id',
      'l.method as line_method',
      'l.paid_by as line_paid_by',
      'l.paid_on as line_paid_on',
      'l.in_kind_items as line_in_kind_items',
    ]);
}

type GrantRow = Awaited<ReturnType<ReturnType<typeof grantRows>['executeTakeFirstOrThrow']>>;

function view(r: GrantRow): GrantView {
  return {
    id: r.id,
    programId: r.program_id,
    programName: r.program_name,
    aidType: r.aid_type as GrantView['aidType'],
    org: r.org_code,
    orgName: r.org_name,
    personId: r.person_id,
    personName: r.person_name,
    idNumberMasked: maskResidentId(r.id_number),
    householdId: r.household_id,
    householdOrg: r.household_org_code,
    householdOrgName: r.household_org_name,
    amountFen: r.amount_fen,
    capFen: r.cap_fen,
    basis: (typeof r.basis === 'string' ? JSON.parse(r.basis) : r.basis) as Record<string, unknown>,
    fundSource: r.fund_source as GrantView['fundSource'],
    fundYear: r.fund_year,
    status: r.status as GrantView['status'],
    approvalsNeeded: r.approvals_needed,
    proposedBy: r.proposed_by_name,
    proposedAt: r.proposed_at.toISOString(),
    firstApprovedBy: r.first_approved_by_name,
    approvedBy: r.approved_by_name,
    approvedOn: r.approved_on,
    publicityEndsOn: r.publicity_ends_on,
    decisionNote: r.decision_note,
    objection: r.objection,
    paidOn: r.paid_on,
    payment:
      r.line_id && r.line_paid_on
        ? {
            ledgerEntryId: r.line_id,
            method: r.line_method as 'bank_card' | 'cash' | 'in_kind' | null,
            paidBy: r.line_paid_by,
            paidOn: r.line_paid_on,
            bankCardMasked: r.line_method === 'bank_card' && r.bank_card ? maskBankCard(r.bank_card) : null,
            inKindItems: r.line_in_kind_items,
          }
        : null,
  };
}

export async function getGrant(ctx: Ctx, id: string): Promise<GrantView> {
  const row = await grantRows(ctx).where('g.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Grant');
  return view(row);
}

export async function listGrants(ctx: Ctx, q: GrantQuery): Promise<GrantList> {
  let query = grantRows(ctx);
  let count = ctx.tx.selectFrom('grants as g');
  if (q.programId) {
    query = query.where('g.program_id', '=', q.programId);
    count = count.where('g.program_id', '=', q.programId);
  }
  if (q.status) {
    query = query.where('g.status', '=', q.status);
    count = count.where('g.status', '=', q.status);
  }
  if (q.personId) {
    query = query.where('g.person_id', '=', q.personId);
    count = count.where('g.person_id', '=', q.personId);
  }
  const rows = await query
    .orderBy('o.code')
    .orderBy('pe.name')
    .orderBy('g.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const total = await count.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return { items: rows.map(view), total: Number(total.n) };
}
