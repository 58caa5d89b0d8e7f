import type {
  DismissDuplicate,
  DuplicateList,
  DuplicateListQuery,
  DuplicatePerson,
  DuplicateReason,
  MergeDuplicate,
  MergeResult,
  PersonHousehold,
} from '@niangjia/contracts';
import { isUniqueViolation, sql } from '@niangjia/db';
import { maskResidentId } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { badRequest, conflict, notFound } from '../../http/errors';
import { audit } from '../audit/service';

/**
 * Possible duplicate people (issue 3; ADR 0014): detection, the review queue, dismissal and merge.
 *
 * Detection is set-based, for one person or an import's batch of thousands, and every rule is an
 * equality or a range that an index of `people` answers under row-level security (only leakproof
 * operators such as = and < reach an index there):
 * - same name and birth date: `people_name_birth_idx`;
 * - same phone: `people_phone_idx` (not within one household: a family often gives one number);
 * - ID numbers one digit apart (a typo; both numbers passed GB 11643 when they were stored):
 *   compared within two blocks an index finds, the same name (a typo anywhere in the number of
 *   someone written twice) and the same first 14 characters, division and birth date (a typo in
 *   the sequence number, whatever the name: a range of the unique index on id_number). Not found:
 *   a different name together with a typo in the division or the birth date. Probing all 153 valid
 *   numbers one digit away by the unique index finds that too, but costs 153 index probes per
 *   person: measured 1.5–2.6 s for 3,000 people on either backend, too slow for an import's
 *   batches (ADR 0014).
 * Found pairs are stored in order (person_a < person_b), once per pair and reason; a pair already
 * merged or dismissed is not proposed again. Only people of the caller's scope are compared.
 */

/**
 * At most this many matches per person and rule: a number shared by a whole office (a switchboard
 * given as everyone's phone) must not flood the queue; it is a data problem, not a duplicate.
 */
const CAP = sql.lit(20);

/**
 * Finds possible duplicates of `personIds` in the scope and queues them for review. Returns how
 * many new candidates were queued. One statement whatever the number of people: call it once per
 * batch (the survey import: with the ids of the batch's heads and members).
 */
export async function detectDuplicates(ctx: Ctx, personIds: readonly string[]): Promise<number> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return 0;
  // Whether s and q are in one household (head and member, or two members).
  const sameHousehold = sql`
    select 1 from household_members m1 join household_members m2 on m2.household_id = m1.household_id
    where m1.person_id = s.id and m2.person_id = q.id
    union all
    select 1 from households h join household_members m on m.household_id = h.id
    where (h.head_person_id = s.id and m.person_id = q.id) or (h.head_person_id = q.id and m.person_id = s.id)`;
  const result = await sql<{ id: string }>`
    -- Materialised, with the bounds of each number's range computed here: under row-level
    -- security a condition reaches an index only when every function in it is leakproof (= and <
    -- are, left() and || are not).
    with src as materialized (
      select p.id, p.name, p.birth_date, nullif(p.phone, '') as phone, p.id_number,
        left(p.id_number, 14) as first14, left(p.id_number, 14) || 'Y' as after14
      from people p
      where p.id = any(${ids}::uuid[]) and p.merged_into is null
    ),
    -- Each block is a lateral lookup in the order of the index that answers it, with a cap: the
    -- planner then walks that index even when the table's statistics are stale (the embedded
    -- database has no autovacuum), instead of reading the whole scope through people_org_idx.
    found as (
      select s.id as a, q.id as b, 'same_name_birth' as reason
      from src s cross join lateral (
        select q.id from people q
        where q.name = s.name and q.birth_date = s.birth_date and q.id <> s.id and q.merged_into is null
        order by q.name, q.birth_date limit ${CAP}
      ) q
      union all
      select s.id, q.id, 'same_phone'
      from src s cross join lateral (
        select q.id from people q
        where q.phone = s.phone and q.id <> s.id and q.merged_into is null
        order by q.phone limit ${CAP}
      ) q
      where not exists (${sameHousehold})
      union all
      -- One digit apart, among people of the same name (people_name_birth_idx leads with name):
      -- a typo anywhere in the number of someone written twice.
      select s.id, q.id, 'id_one_digit'
      from src s cross join lateral (
        select q.id, q.id_number from people q
        where q.name = s.name and q.id <> s.id and q.merged_into is null
        order by q.name limit ${CAP}
      ) q
      where (select count(*) from generate_series(1, 17) i
             where substr(s.id_number, i, 1) <> substr(q.id_number, i, 1)) = 1
      union all
      -- One digit apart in the sequence number, whatever the name: the same division and birth
      -- date, a range of the unique index on id_number ('Y' sorts after every digit and X in any
      -- collation). Twins of one household are not duplicates.
      select s.id, q.id, 'id_one_digit'
      from src s cross join lateral (
        select q.id, q.id_number from people q
        where q.id_number > s.first14 and q.id_number < s.after14 and q.id <> s.id and q.merged_into is null
        order by q.id_number limit ${CAP}
      ) q
      where starts_with(q.id_number, s.first14)
        and (select count(*) from generate_series(15, 17) i
             where substr(s.id_number, i, 1) <> substr(q.id_number, i, 1)) = 1
        and not exists (${sameHousehold})
    ),
    pairs as (
      select distinct least(f.a, f.b) as a, greatest(f.a, f.b) as b, f.reason from found f
    )
    insert into duplicate_candidates (person_a, person_b, reason, org_id)
    select x.a, x.b, x.reason,
      -- The pair's nearest common organisation: the keepers of both people see it.
      (select o.id from orgs o
       where starts_with(oa.path, o.path) and starts_with(ob.path, o.path)
       order by length(o.path) desc limit 1)
    from pairs x
    join people pa on pa.id = x.a join orgs oa on oa.id = pa.org_id
    join people pb on pb.id = x.b join orgs ob on ob.id = pb.org_id
    on conflict (person_a, person_b, reason) do nothing
    returning id`.execute(ctx.tx);
  return result.rows.length;
}

/** A phone number shows its first three and last four digits (PIPL: lists are masked). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length >= 8) return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
  return `${'*'.repeat(Math.max(digits.length - 2, 0))}${digits.slice(-2)}`;
}

/** The households each of `personIds` heads or belongs to (in the scope), with their current status. */
async function householdsOf(ctx: Ctx, personIds: string[]): Promise<Map<string, PersonHousehold[]>> {
  const byPerson = new Map<string, PersonHousehold[]>(personIds.map((id) => [id, []]));
  if (personIds.length === 0) return byPerson;
  const rows = await sql<{
    person_id: string;
    household_id: string;
    role: 'head' | 'member';
    relation: string | null;
    head_name: string;
    org_code: string;
    org_name: string;
    status: string | null;
  }>`
    select x.person_id, h.id as household_id, x.role, x.relation, hp.name as head_name,
      o.code as org_code, o.name as org_name,
      (select a.status from archives a where a.household_id = h.id
       order by a.created_at desc, a.id desc limit 1) as status
    from (
      select h.head_person_id as person_id, h.id as household_id, 'head' as role, null as relation
      from households h where h.head_person_id = any(${personIds}::uuid[])
      union all
      select m.person_id, m.household_id, 'member', m.relation
      from household_members m where m.person_id = any(${personIds}::uuid[])
    ) x
    join households h on h.id = x.household_id
    join people hp on hp.id = h.head_person_id
    join orgs o on o.id = h.org_id
    order by x.role, h.created_at`.execute(ctx.tx);
  for (const r of rows.rows)
    byPerson.get(r.person_id)?.push({
      householdId: r.household_id,
      role: r.role,
      relation: r.relation,
      headName: r.head_name,
      orgCode: r.org_code,
      orgName: r.org_name,
      status: r.status,
    });
  return byPerson;
}

/**
 * The review queue: open candidates of the scope, one line per pair with all its reasons, newest
 * first; both people masked side by side with their households. A pair one of whose people was
 * merged meanwhile is no longer a question and is left out.
 */
export async function listDuplicates(ctx: Ctx, q: DuplicateListQuery): Promise<DuplicateList> {
  let pairs = ctx.tx
    .selectFrom('duplicate_candidates as c')
    .innerJoin('people as pa', 'pa.id', 'c.person_a')
    .innerJoin('people as pb', 'pb.id', 'c.person_b')
    .where('c.status', '=', 'open')
    .where('pa.merged_into', 'is', null)
    .where('pb.merged_into', 'is', null)
    .groupBy(['c.person_a', 'c.person_b']);
  if (q.reason) pairs = pairs.having(sql<boolean>`bool_or(c.reason = ${q.reason})`);
  const { n } = await ctx.tx
    .selectFrom(pairs.select('c.person_a').as('x'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const page = await pairs
    .select([
      'c.person_a',
      'c.person_b',
      sql<string>`(array_agg(c.id order by c.created_at, c.reason))[1]`.as('id'),
      sql<DuplicateReason[]>`array_agg(c.reason order by c.reason)`.as('reasons'),
      sql<Date>`max(c.created_at)`.as('found_at'),
    ])
    .orderBy(sql`max(c.created_at)`, 'desc')
    .orderBy('c.person_a')
    .orderBy('c.person_b')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const personIds = [...new Set(page.flatMap((p) => [p.person_a, p.person_b]))];
  const people = personIds.length
    ? await ctx.tx
        .selectFrom('people as p')
        .innerJoin('orgs as o', 'o.id', 'p.org_id')
        .select([
          'p.id',
          'p.name',
          'p.id_number',
          'p.sex',
          'p.birth_date',
          'p.phone',
          'p.source',
          'p.created_at',
          'o.code',
          'o.name as org_name',
        ])
        .where('p.id', 'in', personIds)
        .execute()
    : [];
  const households = await householdsOf(ctx, personIds);
  const view = new Map<string, DuplicatePerson>(
    people.map((p) => [
      p.id,
      {
        id: p.id,
        name: p.name,
        idNumberMasked: maskResidentId(p.id_number),
        sex: p.sex as DuplicatePerson['sex'],
        birthYear: Number(p.birth_date.slice(0, 4)),
        phoneMasked: p.phone ? maskPhone(p.phone) : null,
        orgCode: p.code,
        orgName: p.org_name,
        source: p.source,
        createdAt: p.created_at.toISOString(),
        households: households.get(p.id) ?? [],
      },
    ]),
  );
  return {
    total: n,
    items: page.map((p) => ({
      id: p.id,
      reasons: p.reasons,
      foundAt: new Date(p.found_at).toISOString(),
      a: view.get(p.person_a) as DuplicatePerson,
      b: view.get(p.person_b) as DuplicatePerson,
    })),
  };
}

/** The open candidate `id`, locked, with every open reason of its pair. */
async function openCandidate(ctx: Ctx, id: string) {
  const c = await ctx.tx
    .selectFrom('duplicate_candidates')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!c) throw notFound('Duplicate candidate');
  if (c.status !== 'open')
    throw conflict(`This pair was already ${c.status}`, { reason: 'candidate_closed', status: c.status });
  return c;
}

/** Closes every open reason of the pair (a, b) with `status`. */
async function closePair(ctx: Ctx, a: string, b: string, status: 'merged' | 'dismissed') {
  return ctx.tx
    .updateTable('duplicate_candidates')
    .set({ status, resolved_by: ctx.actor.userId || null, resolved_at: new Date() })
    .where('person_a', '=', a)
    .where('person_b', '=', b)
    .where('status', '=', 'open')
    .returning(['id', 'reason'])
    .execute();
}

/** Two records of two people after all: the pair leaves the queue for good, with the reviewer's note. */
export async function dismissDuplicate(ctx: Ctx, id: string, input: DismissDuplicate): Promise<void> {
  const c = await openCandidate(ctx, id);
  const closed = await closePair(ctx, c.person_a, c.person_b, 'dismissed');
  await audit(ctx, {
    action: 'update',
    entity: 'duplicate_candidate',
    entityId: c.id,
    orgId: c.org_id,
    before: { status: 'open' },
    after: {
      status: 'dismissed',
      personA: c.person_a,
      personB: c.person_b,
      reasons: closed.map((r) => r.reason),
      note: input.note,
    },
  });
}

/**
 * The people merged into `personId` (directly or through a record merged into one of them). Found
 * through the merged candidates, whose pair index answers it, then checked against `merged_into`.
 */
export async function recordsMergedInto(ctx: Ctx, personId: string): Promise<string[]> {
  const found = new Set<string>();
  let frontier = [personId];
  while (frontier.length > 0) {
    const pairs = await ctx.tx
      .selectFrom('duplicate_candidates')
      .select(['person_a', 'person_b'])
      .where('status', '=', 'merged')
      .where((eb) => eb.or([eb('person_a', 'in', frontier), eb('person_b', 'in', frontier)]))
      .execute();
    const others = [...new Set(pairs.flatMap((p) => [p.person_a, p.person_b]))].filter(
      (id) => id !== personId && !found.has(id) && !frontier.includes(id),
    );
    if (others.length === 0) break;
    const merged = await ctx.tx
      .selectFrom('people')
      .select('id')
      .where('id', 'in', others)
      .where('merged_into', 'is not', null)
      .execute();
    frontier = merged.map((m) => m.id);
    for (const id of frontier) found.add(id);
  }
  if (found.size === 0) return [];
  const direct = await ctx.tx
    .selectFrom('people')
    .select('id')
    .where('id', 'in', [...found])
    .where('merged_into', '=', personId)
    .execute();
  return direct.map((d) => d.id);
}

/**
 * Merges the pair of candidate `id` into the record `keep`: every reference the scope holds to the
 * other record moves to it in this one transaction (household head, memberships, other candidates),
 * the other record is kept with `merged_into` (never deleted: both histories stay), the pair is
 * marked merged, and the audit trail records the ids before and after (no ID numbers).
 *
 * Refused, with the conflict explained, when the person would be twice in one household, or in two
 * open households. A household stays headed by the merged record when the kept one already heads
 * a household (one household per head: the schema's unique head): it is the kept person's through
 * `merged_into` (ADR 0014).
 */
export async function mergeDuplicate(ctx: Ctx, id: string, { keep }: MergeDuplicate): Promise<MergeResult> {
  const c = await openCandidate(ctx, id);
  if (keep !== c.person_a && keep !== c.person_b)
    throw badRequest('Keep one of the two records of the pair', [
      { path: ['body', 'keep'], message: '请选择这两条记录中的一条保留' },
    ]);
  const mergedId = keep === c.person_a ? c.person_b : c.person_a;
  // Both records locked, in a fixed order (two merges of one person at once must not both pass).
  const people = await ctx.tx
    .selectFrom('people')
    .select(['id', 'name', 'org_id', 'merged_into'])
    .where('id', 'in', [c.person_a, c.person_b])
    .orderBy('id')
    .forUpdate()
    .execute();
  const kept = people.find((p) => p.id === keep);
  const merged = people.find((p) => p.id === mergedId);
  if (!kept || !merged) throw notFound('Person');
  if (kept.merged_into || merged.merged_into)
    throw conflict('One of the two records was already merged', { reason: 'already_merged' });

  const households = await householdsOf(ctx, [keep, mergedId]);
  const ofKept = households.get(keep) ?? [];
  const ofMerged = households.get(mergedId) ?? [];
  const shared = ofMerged.filter((h) => ofKept.some((k) => k.householdId === h.householdId));
  if (shared.length > 0)
    throw conflict(
      `${kept.name} and ${merged.name} are both in the household of ${shared[0]?.headName}: one person cannot be in it twice`,
      {
        reason: 'same_household',
        households: shared.map((h) => ({
          householdId: h.householdId,
          headName: h.headName,
          orgCode: h.orgCode,
        })),
      },
    );
  // Open households of either record, in the whole system (a household outside the scope counts).
  const open = await sql<{ person_id: string; org_code: string; org_name: string }>`
    select * from niangjia_open_households_of(${[keep, mergedId]}::uuid[])`.execute(ctx.tx);
  if (open.rows.length > 1)
    throw conflict(
      'Both records belong to open households: one person can be in one open household only. Close one (refuse or exit its archive) or remove the person from it first.',
      {
        reason: 'open_households',
        households: open.rows.map((r) => ({
          personId: r.person_id,
          orgCode: r.org_code,
          orgName: r.org_name,
        })),
      },
    );

  const keptHeads = ofKept.filter((h) => h.role === 'head').map((h) => h.householdId);
  let headOf: string[] = [];
  if (keptHeads.length === 0) {
    try {
      headOf = (
        await ctx.tx
          .updateTable('households')
          .set({ head_person_id: keep, updated_at: new Date() })
          .where('head_person_id', '=', mergedId)
          .returning('id')
          .execute()
      ).map((h) => h.id);
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict(`${kept.name} already heads a household outside your scope`, {
          reason: 'kept_heads_household_elsewhere',
        });
      throw err;
    }
  }
  const stillHeadedByMerged = ofMerged
    .filter((h) => h.role === 'head' && !headOf.includes(h.householdId))
    .map((h) => h.householdId);
  const memberOf = (
    await ctx.tx
      .updateTable('household_members')
      .set({ person_id: keep })
      .where('person_id', '=', mergedId)
      .returning('household_id')
      .execute()
  ).map((m) => m.household_id);

  // Live grants of the merged record that this scope cannot move (another organisation's program).
  const everywhere = (
    await sql<{ n: number }>`select niangjia_live_grants_of(${mergedId}::uuid) as n`.execute(ctx.tx)
  ).rows[0]?.n;
  const seen = await ctx.tx
    .selectFrom('grants')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('person_id', '=', mergedId)
    .where('status', 'not in', ['rejected', 'cancelled'])
    .executeTakeFirstOrThrow();
  if (Number(everywhere) > Number(seen.n))
    throw conflict('The merged record holds grants of a program outside your scope: merge it there', {
      reason: 'grants_elsewhere',
    });
  // Grants follow the person (one live grant per person and program: two of one program are a real
  // double grant, to be cancelled first). Ledger lines are never changed: they stay on the merged
  // record, and the kept person's timeline reads them through merged_into.
  let grantsMoved: string[];
  try {
    grantsMoved = (
      await ctx.tx
        .updateTable('grants')
        .set({ person_id: keep, updated_at: new Date() })
        .where('person_id', '=', mergedId)
        .returning('id')
        .execute()
    ).map((g) => g.id);
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict('Both records have a live grant of the same program: cancel one of them first', {
        reason: 'same_program_grants',
      });
    throw err;
  }

  // Records merged into the merged one now point to the kept one: merged_into is never a chain.
  const earlier = await recordsMergedInto(ctx, mergedId);
  await ctx.tx
    .updateTable('people')
    .set({ merged_into: keep, updated_at: new Date() })
    .where('id', 'in', [mergedId, ...earlier])
    .execute();

  const closed = await closePair(ctx, c.person_a, c.person_b, 'merged');
  // The merged record's other open pairs become the kept one's (unless the kept one has that pair
  // already: then the question is asked once, by that pair, and this one is closed with the merge).
  await sql`
    update duplicate_candidates c
    set person_a = least(${keep}::uuid, x.other), person_b = greatest(${keep}::uuid, x.other)
    from (
      select d.id, case when d.person_a = ${mergedId}::uuid then d.person_b else d.person_a end as other
      from duplicate_candidates d
      where d.status = 'open' and (d.person_a = ${mergedId}::uuid or d.person_b = ${mergedId}::uuid)
    ) x
    where c.id = x.id and x.other <> ${keep}::uuid
      and not exists (
        select 1 from duplicate_candidates e
        where e.person_a = least(${keep}::uuid, x.other) and e.person_b = greatest(${keep}::uuid, x.other)
          and e.reason = c.reason
      )`.execute(ctx.tx);
  await ctx.tx
    .updateTable('duplicate_candidates')
    .set({ status: 'merged', resolved_by: ctx.actor.userId || null, resolved_at: new Date() })
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('person_a', '=', mergedId), eb('person_b', '=', mergedId)]))
    .execute();

  const ids = (list: PersonHousehold[], role: 'head' | 'member') =>
    list.filter((h) => h.role === role).map((h) => h.householdId);
  await audit(ctx, {
    action: 'update',
    entity: 'person',
    entityId: mergedId,
    orgId: merged.org_id,
    before: { mergedInto: null, headOf: ids(ofMerged, 'head'), memberOf: ids(ofMerged, 'member') },
    after: { mergedInto: keep, headOf: stillHeadedByMerged, memberOf: [] },
  });
  await audit(ctx, {
    action: 'update',
    entity: 'person',
    entityId: keep,
    orgId: kept.org_id,
    before: { headOf: keptHeads, memberOf: ids(ofKept, 'member'), absorbed: [], grants: [] },
    after: {
      headOf: [...keptHeads, ...headOf],
      memberOf: [...ids(ofKept, 'member'), ...memberOf],
      absorbed: [mergedId, ...earlier],
      grants: grantsMoved,
    },
  });
  await audit(ctx, {
    action: 'update',
    entity: 'duplicate_candidate',
    entityId: c.id,
    orgId: c.org_id,
    before: { status: 'open' },
    after: { status: 'merged', kept: keep, merged: mergedId, reasons: closed.map((r) => r.reason) },
  });
  return { kept: keep, merged: mergedId, headOf, memberOf, stillHeadedByMerged };
}
