import type { DuplicateCandidate, DuplicateList, HouseholdDetail, PersonDetail } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import { checkCharacter } from '@niangjia/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../src/http/context';
import { detectDuplicates } from '../src/modules/registry/duplicates';
import { residentId } from './factories';
import { type TestApp, testApp } from './harness';

/**
 * Duplicates (issue 3): possible duplicates found by three rules and queued for review, dismissed
 * or merged (every reference moved, both histories kept, audited); and a closed archive opened
 * again: 返困 after an exit, a new survey after a refusal, the old archive left as it was.
 */
let t: TestApp;
let caseworker: string;
let manager: string;

const get = (url: string, cookie = caseworker) => t.app.inject({ url, headers: { cookie } });
const post = (url: string, payload: object, cookie = caseworker) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

interface P {
  idNumber: string;
  name: string;
  phone?: string;
}
/** Registers a surveyed household through the API; returns its ids. */
async function household(head: P, members: P[] = [], orgCode = '640104001') {
  const res = await post('/api/v1/households', {
    orgCode,
    head: { ...head, householdRegistration: 'urban' },
    members: members.map((m) => ({ ...m, relation: 'child' })),
    income: { wageIncomeFen: 1_200_000 },
    surveyDate: '2015-03-02',
    primaryCause: '6',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; archiveId: string };
}

const detail = async (id: string) => (await get(`/api/v1/households/${id}`)).json() as HouseholdDetail;
const queue = async (cookie = caseworker) =>
  (await get('/api/v1/registry/duplicates', cookie)).json() as DuplicateList;
const pairOf = (list: DuplicateList, a: string, b: string) =>
  list.items.find((i) => [i.a.id, i.b.id].sort().join() === [a, b].sort().join());

async function step(archiveId: string, action: string, extra: object = {}, cookie = caseworker) {
  return post(`/api/v1/archives/${archiveId}/steps`, { action, comment: `${action} 意见`, ...extra }, cookie);
}

/** An archive taken to exited: archived by the database (the way there is tested elsewhere), then exited. */
async function exit(archiveId: string, exitReason = 'income_recovered') {
  await t.db.kysely
    .updateTable('archives')
    .set({ status: 'archived', archived_on: '2015-06-01', next_review_on: '2016-06-01' })
    .where('id', '=', archiveId)
    .execute();
  const res = await step(archiveId, 'exit', { exitReason, onDate: '2016-05-01' }, manager);
  expect(res.statusCode, res.body).toBe(200);
}

async function auditOf(entity: string, entityId: string) {
  return t.db.kysely
    .selectFrom('audit_log')
    .select(['action', 'changes', 'username'])
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
}

beforeAll(async () => {
  t = await testApp();
  caseworker = await t.login('xq-caseworker');
  manager = await t.login('xq-manager');
});
afterAll(() => t?.close());

describe('detection', () => {
  it('queues the same name and birth date, the same phone, and ID numbers one digit apart', async () => {
    // Two records of one woman: the sequence's last digit mistyped, both numbers valid.
    const wang1 = residentId('640104', '1971-02-03', 124);
    const wang2 = residentId('640104', '1971-02-03', 125);
    const a = await household({ idNumber: wang1, name: '王秀兰', phone: '13995001234' });
    const b = await household({ idNumber: wang2, name: '王秀兰' });
    // Another person who gave the same phone: a possible duplicate by phone only.
    const c = await household({
      idNumber: residentId('640104', '1966-09-09', 31),
      name: '王修兰',
      phone: '13995001234',
    });
    // A family sharing one phone is not a duplicate: head and member with one number.
    await household(
      { idNumber: residentId('640104', '1960-01-01', 11), name: '马德福', phone: '13800000001' },
      [{ idNumber: residentId('640104', '1990-01-01', 12), name: '马小军', phone: '13800000001' }],
    );
    const [da, db, dc] = [await detail(a.id), await detail(b.id), await detail(c.id)];
    const list = await queue();
    const ab = pairOf(list, da.head.id, db.head.id);
    expect(ab?.reasons).toEqual(['id_one_digit', 'same_name_birth']);
    expect(pairOf(list, da.head.id, dc.head.id)?.reasons).toEqual(['same_phone']);
    expect(pairOf(list, db.head.id, dc.head.id)).toBeUndefined();
    expect(list.items.some((i) => i.a.name.startsWith('马') || i.b.name.startsWith('马'))).toBe(false);
    // Masked side by side: no whole ID number, no whole phone, the birth year only.
    const side = ab?.a.id === da.head.id ? ab.a : ab?.b;
    expect(side).toMatchObject({
      name: '王秀兰',
      idNumberMasked: `640104********${wang1.slice(-4)}`,
      birthYear: 1971,
      phoneMasked: '139****1234',
      orgCode: '640104001',
      households: [{ householdId: a.id, role: 'head', status: 'surveyed' }],
    });
    expect(JSON.stringify(list)).not.toContain(wang1);
    expect(JSON.stringify(list)).not.toContain('13995001234');
  });

  it('finds the pairs of thousands of people in one call, within the scope, never twice', async () => {
    // 3,000 people of 640104 with distinct names, 40 planted neighbours (one digit apart somewhere
    // in the first 17 characters), one that is not found (another name and another birth date), and
    // a namesake at 640105 the caller cannot see.
    const orgs = await t.db.kysely.selectFrom('orgs').select(['id', 'code']).execute();
    const org = (code: string) => orgs.find((o) => o.code === code)?.id as string;
    const people: { id_number: string; name: string; sex: string; birth_date: string; org_id: string }[] = [];
    const twins: [string, string, string][] = [];
    for (let i = 0; i < 3000; i++) {
      const day = new Date(Date.UTC(1950, 0, 1 + i * 7)).toISOString().slice(0, 10);
      const id = residentId('640104', day, 100 + (i % 800));
      people.push({ id_number: id, name: `批量${i}`, sex: 'male', birth_date: day, org_id: org('640104') });
      if (i % 75 === 0) {
        // One of the first 17 digits changed (each position in turn), the check character recomputed.
        const pos = (i / 75) % 17;
        const digit = String((Number(id[pos]) + 5) % 10);
        const first17 = `${id.slice(0, pos)}${digit}${id.slice(pos + 1, 17)}`;
        // A typo in the division or birth date is found among people of the same name; one in the
        // sequence number whatever the name.
        twins.push([id, `${first17}${checkCharacter(first17)}`, pos < 14 ? `批量${i}` : `另录${i}`]);
      }
    }
    // people[2]'s number with its birth year mistyped (1950 → 1959), under another name.
    const missedFirst17 = `${people[2]?.id_number.slice(0, 9)}9${people[2]?.id_number.slice(10, 17)}`;
    const missed = `${missedFirst17}${checkCharacter(missedFirst17)}`;
    const rows = [
      ...people,
      ...twins.map(([, twin, name]) => ({
        id_number: twin,
        name,
        sex: 'female',
        birth_date: '1960-01-01',
        org_id: org('640104'),
      })),
      {
        ...(people[1] as (typeof people)[number]),
        id_number: residentId('640105', '1950-01-08', 901),
        org_id: org('640105'),
      },
      { ...(people[2] as (typeof people)[number]), id_number: missed, name: '别名' },
    ];
    await t.db.kysely.insertInto('people').values(rows).execute();
    const ids = (
      await t.db.kysely
        .selectFrom('people')
        .select(['id', 'id_number'])
        .where(
          'id_number',
          'in',
          people.map((p) => p.id_number),
        )
        .execute()
    ).map((p) => p.id);
    expect(ids).toHaveLength(3000);
    const xq = await t.db.kysely
      .selectFrom('orgs')
      .select(['id', 'path'])
      .where('code', '=', '640104')
      .executeTakeFirstOrThrow();
    const run = () =>
      t.db.scoped({ userId: '', orgPath: xq.path }, (tx) => {
        const ctx = {
          tx,
          actor: { userId: '', username: 'test', orgId: xq.id, orgPath: xq.path, permissions: [] },
          requestId: 'test',
          clientAddress: null,
        } as unknown as Ctx;
        return detectDuplicates(ctx, ids);
      });
    expect(await run()).toBe(twins.length);
    // Asked again: nothing new.
    expect(await run()).toBe(0);
    const found = await sql<{ a: string; b: string }>`
      select pa.id_number as a, pb.id_number as b from duplicate_candidates c
      join people pa on pa.id = c.person_a join people pb on pb.id = c.person_b
      where c.reason = 'id_one_digit' and (pa.name like '批量%' or pb.name like '批量%')`.execute(
      t.db.kysely,
    );
    expect(found.rows.map((r) => [r.a, r.b].sort().join()).sort()).toEqual(
      twins.map(([a, b]) => [a, b].sort().join()).sort(),
    );
    expect(found.rows.some((r) => r.a === missed || r.b === missed)).toBe(false);
    // The twin at 640105 (same name, same birth date) is outside the caller's scope: not paired.
    const outside = await sql<{ n: number }>`
      select count(*)::int as n from duplicate_candidates c join people p on p.id in (c.person_a, c.person_b)
      where p.id_number = ${residentId('640105', '1950-01-08', 901)}`.execute(t.db.kysely);
    expect(outside.rows[0]?.n).toBe(0);
  });
});

describe('merge and dismiss', () => {
  let kept: string;
  let merged: string;
  let hA: { id: string; archiveId: string };
  let hB: { id: string; archiveId: string };
  let candidate: DuplicateCandidate;

  beforeAll(async () => {
    // The same man registered twice, in two households, an ID digit apart.
    hA = await household({ idNumber: residentId('640104', '1968-04-04', 210), name: '李国强' }, [
      { idNumber: residentId('640104', '1995-05-05', 212), name: '李明' },
    ]);
    hB = await household({ idNumber: residentId('640104', '1968-04-04', 211), name: '李国强' });
    const [a, b] = [await detail(hA.id), await detail(hB.id)];
    kept = a.head.id;
    merged = b.head.id;
    candidate = pairOf(await queue(), kept, merged) as DuplicateCandidate;
    expect(candidate).toBeDefined();
  });

  it('needs registry:approve to merge or dismiss; registry:read to list', async () => {
    expect((await post(`/api/v1/registry/duplicates/${candidate.id}/merge`, { keep: kept })).statusCode).toBe(
      403,
    );
    expect(
      (await post(`/api/v1/registry/duplicates/${candidate.id}/dismiss`, { note: 'x' })).statusCode,
    ).toBe(403);
    expect((await get('/api/v1/registry/duplicates', await t.login('xq-employment'))).statusCode).toBe(200);
  });

  it('refuses to merge while both records are in open households, and says so', async () => {
    const res = await post(`/api/v1/registry/duplicates/${candidate.id}/merge`, { keep: kept }, manager);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.details).toMatchObject({ reason: 'open_households' });
    expect(res.json().error.details.households).toHaveLength(2);
    const keep = await post(`/api/v1/registry/duplicates/${candidate.id}/merge`, { keep: hA.id }, manager);
    expect(keep.statusCode).toBe(400);
  });

  it('merges into the record kept: references moved, the other kept with mergedInto, both histories, audited', async () => {
    // The second registration is refused as a duplicate application: its household is closed.
    expect((await step(hB.archiveId, 'refuse', {}, manager)).statusCode).toBe(200);
    const res = await post(`/api/v1/registry/duplicates/${candidate.id}/merge`, { keep: kept }, manager);
    expect(res.statusCode, res.body).toBe(200);
    // The kept record heads household A: household B (one household per head) stays headed by the
    // merged record, which now points to the kept one.
    expect(res.json()).toEqual({ kept, merged, headOf: [], memberOf: [], stillHeadedByMerged: [hB.id] });

    const old = (await get(`/api/v1/people/${merged}`)).json() as PersonDetail;
    expect(old.mergedInto).toBe(kept);
    const person = (await get(`/api/v1/people/${kept}`)).json() as PersonDetail;
    expect(person.mergedInto).toBeNull();
    expect(person.households.map((h) => h.householdId).sort()).toEqual([hA.id, hB.id].sort());
    // Both histories: the survey of each household and the refusal of the second.
    const steps = person.timeline.filter((e) => e.kind === 'archive.step');
    expect(steps.map((e) => e.link).sort()).toEqual(
      [`/households/${hA.id}`, `/households/${hB.id}`, `/households/${hB.id}`].sort(),
    );
    expect(steps.some((e) => e.tag?.text.zh === '不予认定')).toBe(true);
    // Household B's history is untouched.
    const b = await detail(hB.id);
    expect(b.archive?.steps.map((s) => s.action)).toEqual(['survey', 'refuse']);

    // Out of the queue, and not merged twice.
    expect(pairOf(await queue(), kept, merged)).toBeUndefined();
    const again = await post(`/api/v1/registry/duplicates/${candidate.id}/merge`, { keep: kept }, manager);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details).toMatchObject({ reason: 'candidate_closed', status: 'merged' });

    // Audited with ids before and after, never an ID number.
    const trail = await auditOf('person', merged);
    expect(trail.at(-1)).toMatchObject({
      username: 'xq-manager',
      changes: { mergedInto: { before: null, after: kept } },
    });
    expect((await auditOf('duplicate_candidate', candidate.id)).at(-1)?.changes).toMatchObject({
      status: { before: 'open', after: 'merged' },
      kept: { after: kept },
      merged: { after: merged },
    });
    const all = await t.db.kysely
      .selectFrom('audit_log')
      .select('changes')
      .where('entity', 'in', ['person', 'duplicate_candidate'])
      .execute();
    expect(JSON.stringify(all)).not.toMatch(/\d{17}[\dX]/);
    // A merged record is never proposed again.
    await household({ idNumber: residentId('640104', '1968-04-04', 219), name: '李国强' });
    expect((await queue()).items.some((i) => i.a.id === merged || i.b.id === merged)).toBe(false);
  });

  it('knows every reference to a person that a merge must move', async () => {
    // A table that references people and is not handled by mergeDuplicate fails here first.
    const refs = await sql<{ ref: string }>`
      select c.conrelid::regclass::text || '.' || a.attname as ref
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.confrelid = 'people'::regclass
      order by 1`.execute(t.db.kysely);
    expect(refs.rows.map((r) => r.ref)).toEqual([
      'duplicate_candidates.person_a',
      'duplicate_candidates.person_b',
      'grants.person_id',
      'household_members.person_id',
      'households.head_person_id',
      // Never moved: the ledger is appended to only; the kept person's timeline reads these lines
      // through merged_into (assistance/timeline.ts).
      'ledger_entries.person_id',
      'people.merged_into',
    ]);
  });

  it('moves memberships and heads to the kept record when it has none, in one transaction', async () => {
    // A member recorded twice: once in an exited household, once (typo) heading nothing, member of another.
    const son1 = residentId('640104', '1999-09-09', 331);
    const son2 = residentId('640104', '1999-09-09', 333);
    const closed = await household({ idNumber: residentId('640104', '1970-10-10', 330), name: '周建' }, [
      { idNumber: son1, name: '周小川' },
    ]);
    await exit(closed.archiveId);
    const open = await household({ idNumber: residentId('640104', '1972-10-10', 334), name: '周梅' }, [
      { idNumber: son2, name: '周小川' },
    ]);
    const inClosed = (await detail(closed.id)).members[0]?.id as string;
    const inOpen = (await detail(open.id)).members[0]?.id as string;
    const c = pairOf(await queue(), inClosed, inOpen) as DuplicateCandidate;
    expect(c.reasons).toContain('same_name_birth');
    const res = await post(`/api/v1/registry/duplicates/${c.id}/merge`, { keep: inOpen }, manager);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kept: inOpen, memberOf: [closed.id], stillHeadedByMerged: [] });
    expect((await detail(closed.id)).members.map((m) => m.id)).toEqual([inOpen]);
    const person = (await get(`/api/v1/people/${inOpen}`)).json() as PersonDetail;
    expect(person.households.map((h) => h.householdId).sort()).toEqual([closed.id, open.id].sort());
  });

  it('moves grants to the kept record; the merged record’s ledger lines stay, and show on the kept one', async () => {
    const old = await household({ idNumber: residentId('640104', '1961-06-16', 771), name: '陈立' });
    await exit(old.archiveId);
    const now = await household({ idNumber: residentId('640104', '1961-06-16', 773), name: '陈立' });
    const [merged, kept] = [(await detail(old.id)).head.id, (await detail(now.id)).head.id];
    const xq = await t.db.kysely
      .selectFrom('orgs')
      .select('id')
      .where('code', '=', '640104')
      .executeTakeFirstOrThrow();
    const fund = await t.db.kysely
      .insertInto('funds')
      .values({ org_id: xq.id, source: 'donation', year: 2014, budget_fen: 1_000_000 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const program = await t.db.kysely
      .insertInto('programs')
      .values({
        org_id: xq.id,
        name: '2014年送温暖',
        aid_type: 'festival',
        starts_on: '2014-01-01',
        ends_on: '2014-12-31',
        fund_sources: ['donation'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const grant = await t.db.kysely
      .insertInto('grants')
      .values({
        program_id: program.id,
        org_id: xq.id,
        person_id: merged,
        amount_fen: 30_000,
        basis: '{}',
        fund_id: fund.id,
        approvals_needed: 1,
        proposed_by_name: '马主任',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.kysely
      .insertInto('ledger_entries')
      .values({
        org_id: xq.id,
        person_id: merged,
        aid_type: 'living',
        fund_source: 'donation',
        amount_fen: 80_000,
        paid_on: '2012-05-05',
        program_name: '2012年生活救助',
        origin: 'import',
        content_key: 'merge-test',
      })
      .execute();
    const c = pairOf(await queue(), merged, kept) as DuplicateCandidate;
    const res = await post(`/api/v1/registry/duplicates/${c.id}/merge`, { keep: kept }, manager);
    expect(res.statusCode, res.body).toBe(200);
    const moved = await t.db.kysely
      .selectFrom('grants')
      .select('person_id')
      .where('id', '=', grant.id)
      .executeTakeFirstOrThrow();
    expect(moved.person_id).toBe(kept);
    const line = await t.db.kysely
      .selectFrom('ledger_entries')
      .select('person_id')
      .where('content_key', '=', 'merge-test')
      .executeTakeFirstOrThrow();
    expect(line.person_id).toBe(merged);
    const person = (await get(`/api/v1/people/${kept}`)).json() as PersonDetail;
    expect(person.timeline.filter((e) => e.kind.startsWith('aid.')).map((e) => [e.kind, e.on])).toEqual(
      expect.arrayContaining([
        ['aid.grant', expect.any(String)],
        ['aid.payment', '2012-05-05'],
      ]),
    );
  });

  it('refuses a merge that would leave a grant it cannot see on the merged record', async () => {
    const old = await household({ idNumber: residentId('640104', '1962-02-12', 781), name: '韩梅' });
    await exit(old.archiveId);
    const now = await household({ idNumber: residentId('640104', '1962-02-12', 783), name: '韩梅' });
    const [merged, kept] = [(await detail(old.id)).head.id, (await detail(now.id)).head.id];
    const xq = await t.db.kysely
      .selectFrom('orgs')
      .select('id')
      .where('code', '=', '640104')
      .executeTakeFirstOrThrow();
    const fund = await t.db.kysely
      .insertInto('funds')
      .values({ org_id: xq.id, source: 'donation', year: 2013, budget_fen: 1_000_000 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const program = await t.db.kysely
      .insertInto('programs')
      .values({
        org_id: xq.id,
        name: '2013年送温暖',
        aid_type: 'festival',
        starts_on: '2013-01-01',
        ends_on: '2013-12-31',
        fund_sources: ['donation'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.kysely
      .insertInto('grants')
      .values({
        program_id: program.id,
        org_id: xq.id,
        person_id: merged,
        amount_fen: 30_000,
        basis: '{}',
        fund_id: fund.id,
        approvals_needed: 1,
        proposed_by_name: '马主任',
      })
      .execute();
    // A manager of the union sees both records, not the district's grant.
    const admin = await t.login('admin');
    await post(
      '/api/v1/users',
      {
        username: 'hw-manager',
        displayName: '环卫工会主席',
        orgCode: '640104001',
        roles: ['manager'],
        password: 'union-manager-password',
      },
      admin,
    );
    await t.db.kysely
      .updateTable('users')
      .set({ must_change_password: false })
      .where('username', '=', 'hw-manager')
      .execute();
    const union = await t.login('hw-manager', 'union-manager-password');
    const c = pairOf(await queue(), merged, kept) as DuplicateCandidate;
    const res = await post(`/api/v1/registry/duplicates/${c.id}/merge`, { keep: kept }, union);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.details.reason).toBe('grants_elsewhere');
    // The district can merge them: it sees the grant, which moves.
    expect(
      (await post(`/api/v1/registry/duplicates/${c.id}/merge`, { keep: kept }, manager)).statusCode,
    ).toBe(200);
  });

  it('refuses to put one person twice in a household', async () => {
    // A father recorded twice in his own household: head, and (typo) member.
    const h = await household({ idNumber: residentId('640104', '1955-03-03', 441), name: '杨树' }, [
      { idNumber: residentId('640104', '1955-03-03', 443), name: '杨树' },
    ]);
    const d = await detail(h.id);
    const c = pairOf(await queue(), d.head.id, d.members[0]?.id as string) as DuplicateCandidate;
    const res = await post(`/api/v1/registry/duplicates/${c.id}/merge`, { keep: d.head.id }, manager);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toMatchObject({
      reason: 'same_household',
      households: [{ householdId: h.id }],
    });
    // Nothing moved.
    expect((await detail(h.id)).members.map((m) => m.id)).toEqual([d.members[0]?.id]);
  });

  it('dismisses a pair of two people with a note; it is not proposed again', async () => {
    const a = await household({ idNumber: residentId('640104', '1980-08-08', 551), name: '张伟' });
    const b = await household({ idNumber: residentId('640104', '1980-08-08', 662), name: '张伟' });
    const [da, db] = [await detail(a.id), await detail(b.id)];
    const c = pairOf(await queue(), da.head.id, db.head.id) as DuplicateCandidate;
    expect(c.reasons).toEqual(['same_name_birth']);
    const empty = await post(`/api/v1/registry/duplicates/${c.id}/dismiss`, { note: ' ' }, manager);
    expect(empty.statusCode).toBe(400);
    const res = await post(
      `/api/v1/registry/duplicates/${c.id}/dismiss`,
      { note: '两人同名同生日，非同一人' },
      manager,
    );
    expect(res.statusCode, res.body).toBe(204);
    expect(pairOf(await queue(), da.head.id, db.head.id)).toBeUndefined();
    expect((await auditOf('duplicate_candidate', c.id)).at(-1)?.changes).toMatchObject({
      status: { before: 'open', after: 'dismissed' },
      note: { after: '两人同名同生日，非同一人' },
    });
    // Detected again (a member added, an import): the dismissed pair stays dismissed.
    const xq = await t.db.kysely
      .selectFrom('orgs')
      .select(['id', 'path'])
      .where('code', '=', '640104')
      .executeTakeFirstOrThrow();
    const n = await t.db.scoped({ userId: '', orgPath: xq.path }, (tx) =>
      detectDuplicates({ tx, actor: { userId: '', username: 't', orgPath: xq.path } } as unknown as Ctx, [
        da.head.id,
      ]),
    );
    expect(n).toBe(0);
  });

  it('keeps the queue of 640104 from 西夏区', async () => {
    const root = await t.login('admin');
    const made = await post(
      '/api/v1/users',
      {
        username: 'xx-approver',
        displayName: '西夏',
        orgCode: '640105',
        roles: ['manager'],
        password: 'xx-password-01',
      },
      root,
    );
    expect(made.statusCode, made.body).toBe(201);
    const outsider = await t.login('xx-approver', 'xx-password-01');
    await post(
      '/api/v1/me/password',
      { currentPassword: 'xx-password-01', newPassword: 'xx-password-02' },
      outsider,
    );
    expect((await queue(outsider)).items).toEqual([]);
    expect((await queue()).items.length).toBeGreaterThan(0);
  });
});

describe('a closed archive opened again', () => {
  it('reopens an exited household as 返困: a new archive, the exited one untouched, the history whole', async () => {
    const h = await household({ idNumber: residentId('640104', '1963-12-12', 771), name: '马兰花' }, [
      { idNumber: residentId('640104', '1990-12-12', 772), name: '马小花' },
    ]);
    await exit(h.archiveId);
    const before = await detail(h.id);
    expect(before.archive?.allowedActions).toEqual(['reopen']);
    const exited = await t.db.kysely
      .selectFrom('archives')
      .selectAll()
      .where('id', '=', h.archiveId)
      .executeTakeFirstOrThrow();

    const res = await step(h.archiveId, 'reopen', { comment: '再次患病，返困', onDate: '2018-03-01' });
    expect(res.statusCode, res.body).toBe(200);
    const { status, archiveId } = res.json();
    expect(status).toBe('surveyed');
    expect(archiveId).not.toBe(h.archiveId);

    const after = await detail(h.id);
    expect(after.archive).toMatchObject({
      id: archiveId,
      status: 'surveyed',
      origin: 'relapsed',
      previousArchiveId: h.archiveId,
      openedOn: '2018-03-01',
      primaryCause: '6',
      steps: [
        {
          action: 'reopen',
          fromStatus: null,
          toStatus: 'surveyed',
          comment: '再次患病，返困',
          username: 'xq-caseworker',
        },
      ],
    });
    expect(after.archive?.allowedActions).toContain('apply');
    expect(after.previousArchives).toHaveLength(1);
    expect(after.previousArchives[0]).toMatchObject({
      id: h.archiveId,
      status: 'exited',
      exitReason: 'income_recovered',
    });
    expect(after.previousArchives[0]?.steps.map((s) => s.action)).toEqual(['survey', 'exit']);
    // The exited archive as it was.
    const still = await t.db.kysely
      .selectFrom('archives')
      .selectAll()
      .where('id', '=', h.archiveId)
      .executeTakeFirstOrThrow();
    expect(still).toEqual(exited);
    // The list shows the household once, in its new status.
    const list = await get(`/api/v1/households?q=${encodeURIComponent('马兰花')}`);
    expect(list.json().items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
      [h.id, 'surveyed'],
    ]);
    expect((await auditOf('archive', archiveId))[0]).toMatchObject({
      action: 'create',
      changes: { origin: { after: 'relapsed' }, previousArchiveId: { after: h.archiveId } },
    });
    // Only the current archive leads on: the old one cannot be reopened again.
    const twice = await step(h.archiveId, 'reopen', { onDate: '2018-03-02' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.details).toMatchObject({ code: 'not_current_archive' });
    // And the new one goes on through the life cycle.
    expect((await step(archiveId, 'apply', { onDate: '2018-03-05' })).statusCode).toBe(200);
  });

  it('refuses to reopen while one of its people is in another open household', async () => {
    const child = residentId('640104', '1992-02-02', 882);
    const h = await household({ idNumber: residentId('640104', '1962-02-02', 881), name: '何平' }, [
      { idNumber: child, name: '何小东' },
    ]);
    await exit(h.archiveId);
    // The son has a household of his own now, open.
    await household({ idNumber: residentId('640104', '1993-03-03', 883), name: '何小东之妻' }, [
      { idNumber: child, name: '何小东' },
    ]);
    const res = await step(h.archiveId, 'reopen', {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toMatchObject({
      code: 'person_in_open_household',
      people: [{ name: '何小东', orgCode: '640104001' }],
    });
    expect((await detail(h.id)).archive?.status).toBe('exited');
  });

  it("does not reopen an archive closed by the head's death", async () => {
    const h = await household({ idNumber: residentId('640104', '1940-04-04', 884), name: '韩老' });
    await exit(h.archiveId, 'death');
    expect((await detail(h.id)).archive?.allowedActions).toEqual([]);
    const res = await step(h.archiveId, 'reopen', {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toEqual({ code: 'head_deceased' });
    expect((await detail(h.id)).archive?.status).toBe('exited');
  });

  it('surveys a refused household again in a new archive (新增, not 返困); only with registry:write', async () => {
    const h = await household({ idNumber: residentId('640104', '1964-04-14', 991), name: '丁香' });
    expect((await step(h.archiveId, 'refuse', {}, manager)).statusCode).toBe(200);
    const auditor = await t.login('xq-auditor');
    expect((await step(h.archiveId, 'resurvey', {}, auditor)).statusCode).toBe(403);
    expect((await step(h.archiveId, 'reopen', {})).statusCode).toBe(409);
    const res = await step(h.archiveId, 'resurvey', { comment: '家庭情况变化，重新摸底' });
    expect(res.statusCode, res.body).toBe(200);
    const d = await detail(h.id);
    expect(d.archive).toMatchObject({ origin: 'new', status: 'surveyed', previousArchiveId: h.archiveId });
    expect(d.previousArchives.map((a) => a.status)).toEqual(['refused']);
  });
});
