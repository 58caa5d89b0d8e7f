import { createHash } from 'node:crypto';
import {
  type ArchiveActionCode,
  type ArchiveStatus,
  type ExitReason,
  permissionsOf,
} from '@niangjia/contracts';
import { type Database, sql } from '@niangjia/db';
import { addDays, addYears, parseResidentId, takeStep, todayInShanghai } from '@niangjia/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, runDemo } from '../src/demo';
import { generateHistory } from '../src/demo/history';
import { generateLedger, TABLE_1 } from '../src/demo/ledger';
import { householdInput } from './factories';
import { backend, freshDatabase, type TestApp, testApp, testConfig } from './harness';

/** Table 3 of the founding report: the peak number of archived households per year. */
const TABLE_3 = [
  { year: 2009, peakArchived: 1090 },
  { year: 2010, peakArchived: 830 },
  { year: 2011, peakArchived: 780 },
  { year: 2012, peakArchived: 630 },
  { year: 2013, peakArchived: 481 },
  { year: 2014, peakArchived: 407 },
];

/** The day both demo databases are made as of: one day, even if the test runs over midnight. */
const asOf = todayInShanghai();
const quietly = async <T>(fn: () => Promise<T>): Promise<T> => {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
};

/**
 * Everything the demo wrote, by natural keys (ID numbers, dates), without generated UUIDs and
 * timestamps: what must be the same for the same seed and day.
 */
async function demoDigest(db: Database): Promise<{ hash: string; rows: number }> {
  const tables = [
    sql`select p.id_number, p.name, p.sex, p.birth_date, o.code, p.ethnicity, p.phone, p.household_registration,
          p.health, p.activity, p.migrant_worker
        from people p join orgs o on o.id = p.org_id where p.source = 'demo' order by p.id_number`,
    sql`select hp.id_number, o.code, h.housing_type, h.housing_area_centi_m2, h.wage_income_fen, h.business_income_fen,
          h.property_income_fen, h.transfer_income_fen, h.other_income_fen, h.medical_cost_fen, h.disability_cost_fen,
          h.education_cost_fen, h.housing_cost_fen, h.other_rigid_cost_fen, h.employment_cost_fen, h.survey_date, h.surveyor
        from households h join people hp on hp.id = h.head_person_id join orgs o on o.id = h.org_id
        where hp.source = 'demo' order by hp.id_number`,
    sql`select hp.id_number as head, mp.id_number, m.relation, m.monthly_income_fen, m.health, m.activity
        from household_members m join households h on h.id = m.household_id
        join people hp on hp.id = h.head_person_id join people mp on mp.id = m.person_id
        where hp.source = 'demo' order by hp.id_number, mp.id_number`,
    sql`select hp.id_number, a.opened_on, o.code, a.category, a.origin, a.primary_cause, a.secondary_causes, a.urgency,
          a.status, a.publicity_started_on, a.archived_on, a.exited_on, a.exit_reason, a.next_review_on,
          a.visit_interval_days, pa.opened_on as previous_opened_on
        from archives a join households h on h.id = a.household_id join people hp on hp.id = h.head_person_id
        join orgs o on o.id = a.org_id left join archives pa on pa.id = a.previous_archive_id
        where hp.source = 'demo' order by hp.id_number, a.opened_on`,
    sql`select p.id_number, l.paid_on, l.aid_type, l.fund_source, l.amount_fen, l.program_name, l.paid_by, o.code
        from ledger_entries l join people p on p.id = l.person_id join orgs o on o.id = l.org_id
        where p.source = 'demo' order by p.id_number, l.paid_on, l.content_key`,
    sql`select hp.id_number, a.opened_on, s.action, s.from_status, s.to_status, s.on_date, s.username, s.comment, s.data
        from archive_steps s join archives a on a.id = s.archive_id join households h on h.id = a.household_id
        join people hp on hp.id = h.head_person_id
        where hp.source = 'demo' order by hp.id_number, a.opened_on, s.id`,
    sql`select hp.id_number, a.opened_on, v.due_on, v.visited_on, v.findings, u.username
        from visits v join archives a on a.id = v.archive_id join households h on h.id = a.household_id
        join people hp on hp.id = h.head_person_id left join users u on u.id = v.caseworker_id
        where hp.source = 'demo' order by hp.id_number, a.opened_on, v.due_on`,
  ];
  const hash = createHash('sha256');
  let rows = 0;
  for (const q of tables) {
    const result = await q.execute(db.kysely);
    rows += result.rows.length;
    for (const row of result.rows) hash.update(`${JSON.stringify(row)}\n`);
    hash.update('--\n');
  }
  return { hash: hash.digest('hex'), rows };
}

/**
 * The peaks counted the slow, obvious way, independent of the report's SQL and the generator:
 * each archive adds one to every day from its archiving to the day before its exit.
 */
function countedDayByDay(
  archives: { archivedOn: string | null; exitedOn: string | null }[],
  from: number,
  to: number,
): { year: number; peakArchived: number }[] {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const first = day(`${from}-01-01`);
  const last = day(`${to}-12-31`);
  const count = new Int32Array(last - first + 1);
  for (const a of archives) {
    if (!a.archivedOn) continue;
    const end = Math.min(a.exitedOn ? day(a.exitedOn) - 1 : last, last);
    for (let d = Math.max(day(a.archivedOn), first); d <= end; d++)
      count[d - first] = (count[d - first] ?? 0) + 1;
  }
  const out = [];
  for (let year = from; year <= to; year++) {
    let peak = 0;
    for (let d = day(`${year}-01-01`); d <= day(`${year}-12-31`); d++)
      peak = Math.max(peak, count[d - first] ?? 0);
    out.push({ year, peakArchived: peak });
  }
  return out;
}

describe(`the demo district on ${backend}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({}, { asOf });
  }, 180_000);
  afterAll(() => t?.close());

  it('reproduces Table 3 of the founding report from the archives’ history', async () => {
    const manager = await t.login('xq-manager');
    const res = await t.app.inject({
      url: '/api/v1/registry/reports/archive-peaks?from=2009&to=2014',
      headers: { cookie: manager },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ rows: TABLE_3 });
    // The same for the district's subtree named explicitly; a grassroots union has a part of it.
    const district = await t.app.inject({
      url: '/api/v1/registry/reports/archive-peaks?from=2009&to=2014&org=640104',
      headers: { cookie: manager },
    });
    expect(district.json()).toEqual({ rows: TABLE_3 });
    const union = await t.app.inject({
      url: '/api/v1/registry/reports/archive-peaks?from=2009&to=2014&org=640104001',
      headers: { cookie: manager },
    });
    const unionRows: { peakArchived: number }[] = union.json().rows;
    unionRows.forEach((r, i) => {
      expect(r.peakArchived).toBeGreaterThan(0);
      expect(r.peakArchived).toBeLessThan(TABLE_3[i]?.peakArchived as number);
    });
  });

  it('reproduces Table 1 of the founding report from payments to heads of households archived on the day', async () => {
    const manager = await t.login('xq-manager');
    const res = await t.app.inject({
      url: '/api/v1/assistance/reports/yearly?from=2009&to=2014&org=640104',
      headers: { cookie: manager },
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.rows).toEqual(TABLE_1);
    expect(report.total).toEqual({ personTimes: 12_332, amountFen: 428_680_000 });
    expect(report.growth).toEqual({ personTimes: 1.313, amount: 0.503 });
    // Each line, counted from the lines themselves: paid to the head of a household of the district
    // whose archive was in force that day, by the archive's union, in whole tens of yuan.
    const check = await t.db.kysely
      .selectNoFrom([
        sql<number>`(select count(*) from ledger_entries)::int`.as('lines'),
        sql<number>`(select count(*) from ledger_entries l where exists (
          select 1 from archives a join households h on h.id = a.household_id
          where h.head_person_id = l.person_id and a.org_id = l.org_id
            and a.archived_on <= l.paid_on and (a.exited_on is null or l.paid_on < a.exited_on)))::int`.as(
          'inForce',
        ),
        sql<number>`(select count(*) from ledger_entries where amount_fen % 1000 <> 0 or amount_fen <= 0)::int`.as(
          'odd',
        ),
        sql<number>`(select count(distinct person_id) from ledger_entries)::int`.as('people'),
        sql<string>`(select string_agg(y::text || ':' || n::text || ':' || s::text, ',' order by y) from (
          select extract(year from paid_on)::int as y, count(*) as n, sum(amount_fen) as s from ledger_entries group by 1) x)`.as(
          'byYear',
        ),
      ])
      .executeTakeFirstOrThrow();
    expect(check).toMatchObject({ lines: 12_332, inForce: 12_332, odd: 0 });
    expect(check.people).toBeGreaterThan(1000);
    expect(check.byYear).toBe(TABLE_1.map((r) => `${r.year}:${r.personTimes}:${r.amountFen}`).join(','));
  });

  it('spreads believable households over the district’s unions, with valid resident ID numbers', async () => {
    const people = await t.db.kysely
      .selectFrom('people')
      .select(['id_number', 'sex', 'birth_date', 'migrant_worker', 'household_registration'])
      .where('source', '=', 'demo')
      .execute();
    expect(people.length).toBeGreaterThan(4000);
    for (const p of people) {
      const parsed = parseResidentId(p.id_number, { today: asOf });
      expect(parsed.ok, p.id_number).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.value.id18).toBe(p.id_number);
      expect(parsed.value.divisionCode.slice(0, 2)).toBe('64'); // Ningxia
      expect(parsed.value.sex).toBe(p.sex);
      expect(parsed.value.birthDate).toBe(p.birth_date);
    }
    expect(new Set(people.map((p) => p.id_number)).size).toBe(people.length);

    const households = await sql<{ code: string; size: number; migrant: boolean; cause: string }>`
      select o.code, 1 + (select count(*) from household_members m where m.household_id = h.id)::int as size,
        hp.migrant_worker as migrant,
        (select a.primary_cause from archives a where a.household_id = h.id order by a.created_at desc limit 1) as cause
      from households h join orgs o on o.id = h.org_id join people hp on hp.id = h.head_person_id
      where hp.source = 'demo'`.execute(t.db.kysely);
    const count = <K extends string | number | boolean>(key: (r: (typeof households.rows)[number]) => K) => {
      const m = new Map<K, number>();
      for (const r of households.rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
      return m;
    };
    const n = households.rows.length;
    const orgs = count((r) => r.code);
    for (const code of ['640104', '640104001', '640104002', '640104003', '640104004', '640104005'])
      expect(orgs.get(code) ?? 0, code).toBeGreaterThan(n * 0.03);
    expect([...orgs.keys()].every((c) => c.startsWith('640104'))).toBe(true);
    const sizes = count((r) => Number(r.size));
    expect([...sizes.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(sizes.get(3)).toBe(Math.max(...sizes.values())); // three people is the common household
    const migrants = (count((r) => r.migrant).get(true) ?? 0) / n;
    expect(migrants).toBeGreaterThan(0.1);
    expect(migrants).toBeLessThan(0.4);
    const causes = count((r) => r.cause);
    expect(causes.size).toBeGreaterThanOrEqual(8);
    expect(causes.get('6')).toBe(Math.max(...causes.values())); // serious illness leads, as in practice
    // Money in whole fen, never negative; costs where the survey found them.
    const money = await sql<{ bad: number; medical: number }>`
      select count(*) filter (where wage_income_fen < 0 or transfer_income_fen < 0 or medical_cost_fen < 0)::int as bad,
        count(*) filter (where medical_cost_fen > 0)::int as medical
      from households`.execute(t.db.kysely);
    expect(money.rows[0]?.bad).toBe(0);
    expect(money.rows[0]?.medical).toBeGreaterThan(n * 0.2);
  });

  it('takes only legal, dated steps, by users allowed to take them, and keeps each archive’s dates', async () => {
    const roles = new Map(DEMO_USERS.map((u) => [u.username, permissionsOf([u.role])]));
    const archives = await t.db.kysely
      .selectFrom('archives as a')
      .innerJoin('households as h', 'h.id', 'a.household_id')
      .innerJoin('people as hp', 'hp.id', 'h.head_person_id')
      .leftJoin('archives as pa', 'pa.id', 'a.previous_archive_id')
      .select([
        'a.id',
        'a.status',
        'a.origin',
        'a.opened_on',
        'a.publicity_started_on',
        'a.archived_on',
        'a.exited_on',
        'a.exit_reason',
        'a.next_review_on',
        'pa.status as previous_status',
        'pa.exited_on as previous_exited_on',
      ])
      .where('hp.source', '=', 'demo')
      .execute();
    const steps = await t.db.kysely
      .selectFrom('archive_steps as s')
      .innerJoin('archives as a', 'a.id', 's.archive_id')
      .innerJoin('households as h', 'h.id', 'a.household_id')
      .innerJoin('people as hp', 'hp.id', 'h.head_person_id')
      .select([
        's.archive_id',
        's.action',
        's.from_status',
        's.to_status',
        's.on_date',
        's.username',
        's.comment',
        's.data',
      ])
      .where('hp.source', '=', 'demo')
      .orderBy('s.id')
      .execute();
    const byArchive = new Map<string, typeof steps>();
    for (const s of steps) byArchive.set(s.archive_id, [...(byArchive.get(s.archive_id) ?? []), s]);
    const statuses = new Map<string, number>();
    let checked = 0;
    for (const a of archives) {
      const own = byArchive.get(a.id) ?? [];
      const [first, ...rest] = own;
      expect(first).toMatchObject({
        action: 'survey',
        from_status: null,
        to_status: 'surveyed',
        on_date: a.opened_on,
      });
      let status: ArchiveStatus = 'surveyed';
      let day = a.opened_on;
      let publicityStartedOn: string | undefined;
      let lastReview: string | undefined;
      for (const s of rest) {
        expect(s.from_status).toBe(status);
        expect(s.on_date >= day, `${s.action} on ${s.on_date} after ${day}`).toBe(true);
        expect(s.on_date <= asOf).toBe(true);
        expect(s.comment.length).toBeGreaterThan(0);
        const exitReason = (s.data as { exitReason?: ExitReason } | null)?.exitReason;
        const result = takeStep(status, s.action as ArchiveActionCode, roles.get(s.username) ?? [], {
          today: s.on_date,
          publicityStartedOn,
          publicityWorkingDays: 5,
          exitReason,
        });
        expect(result, `${s.action} from ${status} on ${s.on_date} by ${s.username}`).toEqual({
          ok: true,
          to: s.to_status,
        });
        if (s.action === 'publicise') publicityStartedOn = s.on_date;
        if (s.action === 'archive' || s.action === 'review') lastReview = s.on_date;
        if (s.action === 'archive') expect(s.on_date).toBe(a.archived_on);
        if (s.action === 'exit') {
          expect(s.on_date).toBe(a.exited_on);
          expect(exitReason).toBe(a.exit_reason);
        }
        status = s.to_status as ArchiveStatus;
        day = s.on_date;
        checked++;
      }
      expect(a.status).toBe(status);
      expect(a.publicity_started_on).toBe(publicityStartedOn ?? null);
      expect(a.next_review_on).toBe(status === 'archived' && lastReview ? addYears(lastReview, 1) : null);
      if (a.origin === 'relapsed') {
        // 返困: the household's exited archive is kept, and the new one opened after it closed.
        expect(a.previous_status).toBe('exited');
        expect(a.opened_on > (a.previous_exited_on as string)).toBe(true);
      } else expect(a.previous_status).toBeNull();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect(checked).toBeGreaterThan(10_000);
    // History as the report describes it: most have left, some are archived, some refused, a few under way.
    for (const s of ['archived', 'exited', 'refused'] as const)
      expect(statuses.get(s) ?? 0, s).toBeGreaterThan(0);
    expect(archives.filter((a) => a.origin === 'relapsed').length).toBeGreaterThan(0);
    expect(archives.filter((a) => a.origin === 'existing').length).toBeGreaterThan(0);
  });

  it('has yearly reviews and visits due for the demo caseworker, some of them overdue', async () => {
    const caseworker = await t.login('xq-caseworker');
    const until = addDays(asOf, 90);
    const reviews = await t.app.inject({
      url: `/api/v1/registry/due?kind=review&until=${until}&limit=500`,
      headers: { cookie: caseworker },
    });
    expect(reviews.statusCode).toBe(200);
    const r: { overdue: boolean; dueOn: string; orgCode: string }[] = reviews.json().items;
    expect(r.some((i) => i.overdue)).toBe(true);
    expect(r.some((i) => !i.overdue)).toBe(true);
    expect(r.every((i) => i.overdue === i.dueOn < asOf)).toBe(true);
    const visits = await t.app.inject({
      url: `/api/v1/registry/due?kind=visit&caseworker=xq-caseworker&until=${until}&limit=500`,
      headers: { cookie: caseworker },
    });
    const v: { overdue: boolean; caseworker: string }[] = visits.json().items;
    expect(v.some((i) => i.overdue)).toBe(true);
    expect(v.some((i) => !i.overdue)).toBe(true);
    expect(v.every((i) => i.caseworker === 'xq-caseworker')).toBe(true);
    // Overdue first, as the list promises.
    expect(v.findIndex((i) => !i.overdue)).toBeGreaterThan(v.findLastIndex((i) => i.overdue));
    // Each archived household has one visit scheduled; visits made fall between archiving and today.
    const check = await sql<{
      archived_without: number;
      pending_twice: number;
      misdated: number;
      elsewhere: number;
    }>`
      select
        (select count(*) from archives a where a.status = 'archived'
           and not exists (select 1 from visits v where v.archive_id = a.id and v.visited_on is null))::int as archived_without,
        (select count(*) from (select archive_id from visits where visited_on is null
           group by archive_id having count(*) > 1) x)::int as pending_twice,
        (select count(*) from visits v join archives a on a.id = v.archive_id
           where v.visited_on < a.archived_on or v.visited_on > ${asOf}::date or v.due_on < a.archived_on)::int as misdated,
        (select count(*) from visits v join archives a on a.id = v.archive_id
           where v.visited_on is null and a.status <> 'archived')::int as elsewhere`.execute(t.db.kysely);
    expect(check.rows[0]).toEqual({ archived_without: 0, pending_twice: 0, misdated: 0, elsewhere: 0 });
  });

  it('gives the same rows for the same seed and day, and adds nothing when run again', async () => {
    const mine = await demoDigest(t.db);
    const other = await freshDatabase();
    try {
      const config = testConfig();
      const result = await quietly(async () => {
        const { bootstrap } = await import('../src/operator');
        await bootstrap(other, config);
        return runDemo(other, config, undefined, { asOf });
      });
      expect(result.households).toBeGreaterThan(1000);
      const theirs = await demoDigest(other);
      expect(theirs.rows).toBe(mine.rows);
      expect(theirs.hash).toBe(mine.hash);
    } finally {
      await other.close();
    }
    const again = await quietly(() => runDemo(t.db, t.config, undefined, { asOf }));
    expect(again).toEqual({ orgsCreated: 0, usersCreated: 0, households: null });
    expect((await demoDigest(t.db)).hash).toBe(mine.hash);
  }, 180_000);

  it('agrees with a day-by-day count of the generated history, every year since 2009', async () => {
    const res = await t.app.inject({
      url: `/api/v1/registry/reports/archive-peaks?from=2009&to=${asOf.slice(0, 4)}`,
      headers: { cookie: await t.login('xq-auditor') },
    });
    const history = generateHistory({ asOf });
    const expected = countedDayByDay(
      history.households.flatMap((h) => h.archives),
      2009,
      Number(asOf.slice(0, 4)),
    );
    expect(res.json().rows).toEqual(expected);
  }, 120_000);
});

describe('the demo generator', () => {
  it('reproduces Table 3 with any seed, and another seed gives other households', () => {
    const a = generateHistory({ seed: 1, asOf: '2020-06-30' });
    const b = generateHistory({ seed: 2, asOf: '2020-06-30' });
    for (const h of [a, b]) {
      const archives = h.households.flatMap((x) => x.archives);
      expect(countedDayByDay(archives, 2009, 2014), `seed ${h.seed}`).toEqual(TABLE_3);
      expect(archives.every((x) => x.steps.every((s) => s.onDate <= '2020-06-30'))).toBe(true);
    }
    expect(a.households[0]?.head.idNumber).not.toBe(b.households[0]?.head.idNumber);
  }, 60_000);

  it('reproduces Table 1 with any seed, paying only archives in force', () => {
    const history = generateHistory({ seed: 5, asOf: '2016-03-31' });
    const archives = history.households.flatMap((h) =>
      h.archives
        .filter((a) => a.archivedOn)
        .map((a) => ({
          idNumber: h.head.idNumber,
          name: h.head.name,
          orgCode: a.orgCode,
          archivedOn: a.archivedOn as string,
          exitedOn: a.exitedOn,
        })),
    );
    for (const seed of [1, 2]) {
      const payments = generateLedger(archives, seed);
      const years = TABLE_1.map(({ year }) => {
        const mine = payments.filter((p) => p.paidOn.startsWith(`${year}-`));
        return { year, personTimes: mine.length, amountFen: mine.reduce((s, p) => s + p.amountFen, 0) };
      });
      expect(years, `seed ${seed}`).toEqual(TABLE_1);
      const inForce = (p: (typeof payments)[number]) =>
        archives.some(
          (a) =>
            a.idNumber === p.idNumber &&
            a.orgCode === p.orgCode &&
            a.archivedOn <= p.paidOn &&
            (a.exitedOn === null || p.paidOn < a.exitedOn),
        );
      expect(payments.filter((p) => !inForce(p))).toEqual([]);
    }
    expect(generateLedger(archives, 1)).not.toEqual(generateLedger(archives, 2));
  }, 60_000);

  it('never draws an ID number already taken', () => {
    const first = generateHistory({ seed: 3, asOf: '2016-01-31' });
    const taken = first.households
      .slice(0, 200)
      .flatMap((h) => [h.head.idNumber, ...h.members.map((m) => m.person.idNumber)]);
    const second = generateHistory({ seed: 3, asOf: '2016-01-31', taken });
    const ids = new Set(
      second.households.flatMap((h) => [h.head.idNumber, ...h.members.map((m) => m.person.idNumber)]),
    );
    expect(taken.filter((id) => ids.has(id))).toEqual([]);
  }, 60_000);
});

describe(`the archive-peaks report on ${backend}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t?.close());

  /** A household of `orgCode` whose archive was archived on `archivedOn` and exited on `exitedOn`. */
  async function archive(
    cookie: string,
    orgCode: string,
    archivedOn: string | null,
    exitedOn: string | null = null,
  ) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/households',
      headers: { cookie },
      payload: householdInput(orgCode),
    });
    expect(res.statusCode, res.body).toBe(201);
    await t.db.kysely
      .updateTable('archives')
      .set({
        status: exitedOn ? 'exited' : archivedOn ? 'archived' : 'refused',
        archived_on: archivedOn,
        exited_on: exitedOn,
        exit_reason: exitedOn ? 'income_recovered' : null,
      })
      .where('id', '=', res.json().archiveId)
      .execute();
  }

  it('counts an archive from the day it is archived until the day before it exits, peaks per year', async () => {
    const admin = await t.login('admin');
    await archive(admin, '640105001', '2010-03-01', '2010-06-01'); // A
    await archive(admin, '640105001', '2010-06-01', '2012-02-01'); // B: archived the day A exits
    await archive(admin, '640105001', '2010-04-01'); // C: still archived
    await archive(admin, '640105001', '2011-08-01', '2011-09-01'); // D
    await archive(admin, '640105001', '2012-12-31', '2013-01-01'); // E: one day, across the new year
    await archive(admin, '640105001', null); // F: refused, never archived
    await archive(admin, '640104001', '2011-01-10'); // elsewhere: another district
    const expected = [
      { year: 2009, peakArchived: 0 },
      { year: 2010, peakArchived: 2 }, // A and C; on 1 June A leaves as B comes: still 2
      { year: 2011, peakArchived: 3 }, // B, C, and D in August
      { year: 2012, peakArchived: 2 }, // B and C on 1 January (carried over), C and E on 31 December
      { year: 2013, peakArchived: 1 }, // E left on 1 January
      { year: 2014, peakArchived: 1 },
    ];
    const ask = async (cookie: string, query: string) => {
      const res = await t.app.inject({
        url: `/api/v1/registry/reports/archive-peaks?${query}`,
        headers: { cookie },
      });
      return { status: res.statusCode, body: res.json() };
    };
    expect(await ask(admin, 'from=2009&to=2014&org=640105')).toEqual({
      status: 200,
      body: { rows: expected },
    });
    // The whole tree has the other district's archive on top from 2011.
    const all = await ask(admin, 'from=2009&to=2014');
    expect(all.body.rows.map((r: { peakArchived: number }) => r.peakArchived)).toEqual([0, 2, 4, 3, 2, 2]);
    // A user of 兴庆区 sees only its own; the other district is not there for it.
    const xq = await t.login('xq-manager');
    expect((await ask(xq, 'from=2010&to=2011')).body).toEqual({
      rows: [
        { year: 2010, peakArchived: 0 },
        { year: 2011, peakArchived: 1 },
      ],
    });
    expect((await ask(xq, 'from=2010&to=2011&org=640105')).status).toBe(404);
    expect((await ask(xq, 'from=2014&to=2010')).status).toBe(400);
    expect((await ask(xq, 'from=2009')).status).toBe(400);
  });
});
