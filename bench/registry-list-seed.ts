// The data of the registry-list benchmark: N households over the demo organisation tree, made
// set-based (insert … select … from generate_series) on a PostgreSQL server, deterministic (a
// hash of the row number and a salt stands in for a random generator, so the same N gives the
// same data).
//
// People have 18-character resident ID numbers with real Ningxia division codes and real birth
// dates (the check character is arbitrary: the list never validates stored numbers); names are
// drawn from Chinese surnames and given-name characters in rough proportion to their frequency
// (马 is common in Ningxia); households have 0–3 members; each has a current archive with the
// status, category, causes and urgency spread a registry of some years would have, and 8% an
// older exited archive (返困).
import type pg from 'pg';

/** District (GB/T 2260) → share of the households, and how many grassroots unions it has. */
export const DISTRICTS = [
  { code: '640104', name: '兴庆区', share: 0.25 },
  { code: '640105', name: '西夏区', share: 0.18 },
  { code: '640106', name: '金凤区', share: 0.2 },
  { code: '640121', name: '永宁县', share: 0.12 },
  { code: '640122', name: '贺兰县', share: 0.12 },
  { code: '640181', name: '灵武市', share: 0.13 },
] as const;
export const UNIONS_PER_DISTRICT = 20;

/** Weighted choices as arrays in which each value appears in proportion to its weight. */
function weighted(entries: readonly (readonly [string | null, number])[]): (string | null)[] {
  return entries.flatMap(([value, weight]) => Array.from({ length: weight }, () => value));
}

const SURNAMES = weighted([
  ['马', 11],
  ['王', 8],
  ['李', 8],
  ['张', 7],
  ['刘', 6],
  ['杨', 4],
  ['陈', 3],
  ['赵', 3],
  ['周', 2],
  ['吴', 2],
  ['徐', 2],
  ['孙', 2],
  ['胡', 2],
  ['朱', 2],
  ['高', 2],
  ['何', 2],
  ['郭', 2],
  ['罗', 1],
  ['丁', 2],
  ['田', 1],
  ['冯', 1],
  ['韩', 1],
  ['白', 1],
  ['金', 1],
  ['苏', 1],
  ['海', 1],
  ['纳', 1],
  ['哈', 1],
  ['沙', 1],
  ['拜', 1],
  ['冶', 1],
  ['于', 1],
  ['蒋', 1],
  ['曹', 1],
  ['许', 1],
  ['邓', 1],
  ['谢', 1],
  ['宋', 1],
  ['郑', 1],
  ['梁', 1],
  ['闫', 1],
  ['贾', 1],
  ['常', 1],
  ['任', 1],
  ['魏', 1],
  ['姚', 1],
  ['薛', 1],
  ['萧', 1],
  ['司马', 1],
  ['欧阳', 1],
]);

const GIVEN = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅鑫波斌宇浩凯健俊帆帅旭宁',
  ...'海燕鹏辉雪琳晨欣文建国庆春生福贵德龙虎凤莲花云飞忠义仁礼智信和顺安祥荣成学',
  ...'志林峰亮晶慧丹婷倩颖佳琪子涵梓萱一诺子轩浩然雨欣思彤嘉怡梦瑶晓东小红永红军红卫',
];

const STATUSES = weighted([
  ['surveyed', 8],
  ['applied', 4],
  ['first_review', 3],
  ['home_visit', 3],
  ['finances_verified', 2],
  ['publicity', 2],
  ['archived', 45],
  ['exited', 25],
  ['returned', 3],
  ['refused', 5],
]);
const CATEGORIES = weighted([
  ['deep', 25],
  ['relative', 45],
  ['accident', 10],
  ['legacy_general', 12],
  ['legacy_dibao', 5],
  ['legacy_dibao_edge', 3],
]);
const CAUSES = weighted([
  ['6', 35],
  ['1', 15],
  ['3', 10],
  ['2', 8],
  ['9', 10],
  ['8', 5],
  ['7', 2],
  ['4', 5],
  ['5', 3],
  ['10', 7],
]);
const URGENCIES = weighted([
  ['normal', 85],
  ['urgent', 12],
  ['critical', 3],
]);
const EXIT_REASONS = ['income_recovered', 'time_limit', 'government_support', 'death', 'moved_away'];
/** Where migrant workers' ID numbers come from: Ningxia's south and neighbouring provinces. */
const MIGRANT_DIVISIONS = ['642221', '642222', '642223', '640323', '640324', '640522', '620102', '622701'];

const arr = (values: readonly (string | null)[]) =>
  `array[${values.map((v) => (v === null ? 'null' : `'${v}'`)).join(',')}]::text[]`;

export interface SeedCounts {
  households: number;
  people: number;
  members: number;
  archives: number;
  orgs: number;
}

/**
 * Fills the registry tables of a migrated database (with its organisations) with `households`
 * households. Runs as the schema owner; triggers are off during the load (as pg_restore does),
 * and the household list's derived columns are then computed by the migration's own function.
 */
export async function seedRegistry(
  client: pg.Client,
  households: number,
  log: (line: string) => void,
): Promise<SeedCounts & { ms: Record<string, number> }> {
  const ms: Record<string, number> = {};
  const step = async (name: string, text: string) => {
    const t0 = performance.now();
    await client.query(text);
    ms[name] = Math.round(performance.now() - t0);
    log(`  seed: ${name} ${(ms[name] / 1000).toFixed(1)} s`);
  };
  // r(i, salt): a deterministic number in [0, 1).
  await client.query(`create or replace function pg_temp.r(i bigint, salt int) returns float8
    language sql immutable parallel safe as
    $$ select (hashint8(i * 7919 + salt) & 2147483647)::float8 / 2147483648 $$`);
  await client.query(`create or replace function pg_temp.pick(a text[], x float8) returns text
    language sql immutable parallel safe as $$ select a[1 + floor(x * cardinality(a))::int] $$`);
  await client.query('set session_replication_role = replica');

  // The organisations households belong to: each district's unions (95%) and the district itself.
  // A slot array per district gives the weights: a few big unions, many small ones.
  await step(
    'organisations',
    `create temp table seed_orgs as
     with d(code, share) as (values ${DISTRICTS.map((d) => `('${d.code}', ${d.share})`).join(',')}),
     o as (
       select d.code as district, d.share, o.id, o.code,
              case when o.code = d.code then 5
                   else 1 + (hashint4(o.code::int) & 7) end as weight
       from d join orgs o on o.code = d.code or (o.level = 'grassroots' and left(o.code, 6) = d.code)
     )
     select district, share, array_agg(id order by code) as ids,
            array_agg(weight order by code) as weights
     from o group by district, share`,
  );
  await step(
    'organisation slots',
    `create temp table seed_slots as
     select array_agg(id::text) as slots from (
       select o.id
       from seed_orgs s
       cross join lateral unnest(s.ids, s.weights) as o(id, weight)
       cross join lateral generate_series(1, round(s.share * 1000 * o.weight / (select sum(w) from unnest(s.weights) w))::int)
     ) x`,
  );

  await step(
    'households (working table)',
    `create temp table seed_h as
     select i,
            gen_random_uuid() as household_id,
            gen_random_uuid() as head_id,
            pg_temp.pick(s.slots, pg_temp.r(i, 1))::uuid as org_id,
            pg_temp.r(i, 2) < 0.25 as migrant,
            (case when pg_temp.r(i, 3) < 0.45 then 0 when pg_temp.r(i, 3) < 0.7 then 1
                  when pg_temp.r(i, 3) < 0.9 then 2 else 3 end) as members
     from generate_series(1, ${households}) as i, seed_slots s`,
  );
  await client.query('alter table seed_h add primary key (i)');

  // One ID number per person: division, birth date, sequence (its parity is the sex), check.
  // Unique by construction: (birth day, sequence) is a permutation of the person's number n
  // (n × 7919 mod 16,000,000, 7919 being prime to it), so numbers never repeat below 16 million.
  const mixed = (n: string) => `((${n})::bigint * 7919 % 16000000)`;
  const idNumber = (n: string, division: string) =>
    `${division} || to_char(date '1950-01-01' + (${mixed(n)} % 16000)::int, 'YYYYMMDD')
      || lpad((${mixed(n)} / 16000)::text, 3, '0')
      || substr('10X98765432', 1 + ((${n} * 7) % 11)::int, 1)`;
  const birth = (n: string) => `date '1950-01-01' + (${mixed(n)} % 16000)::int`;
  const sex = (n: string) => `case when (${mixed(n)} / 16000) % 2 = 1 then 'male' else 'female' end`;
  const name = (n: string) =>
    `pg_temp.pick(${arr(SURNAMES)}, pg_temp.r(${n}, 11))
      || pg_temp.pick(${arr(GIVEN)}, pg_temp.r(${n}, 12))
      || case when pg_temp.r(${n}, 13) < 0.7 then pg_temp.pick(${arr(GIVEN)}, pg_temp.r(${n}, 14)) else '' end`;
  const division = (n: string) =>
    `case when h.migrant and pg_temp.r(${n}, 15) < 0.6
          then pg_temp.pick(${arr(MIGRANT_DIVISIONS)}, pg_temp.r(${n}, 16))
          else left(o.code, 6) end`;

  await step(
    'people: heads',
    `insert into people (id, id_number, name, sex, birth_date, org_id, phone, household_registration,
                         health, activity, migrant_worker, union_member, source)
     select h.head_id, ${idNumber('h.i', division('h.i'))}, ${name('h.i')}, ${sex('h.i')}, ${birth('h.i')},
            h.org_id, '139' || lpad((h.i % 100000000)::text, 8, '0'),
            case when h.migrant or pg_temp.r(h.i, 17) < 0.3 then 'rural' else 'urban' end,
            pg_temp.pick(array['healthy','healthy','chronic','serious','disabled']::text[], pg_temp.r(h.i, 18)),
            pg_temp.pick(array['employed','employed','unemployed','unable']::text[], pg_temp.r(h.i, 19)),
            h.migrant, true, 'survey'
     from seed_h h join orgs o on o.id = h.org_id`,
  );
  await step(
    'households',
    `insert into households (id, org_id, head_person_id, housing_type, wage_income_fen, transfer_income_fen,
                             medical_cost_fen, education_cost_fen, survey_date, surveyor)
     select h.household_id, h.org_id, h.head_id,
            pg_temp.pick(array['owned','rented','public_rental','lodging']::text[], pg_temp.r(h.i, 21)),
            (pg_temp.r(h.i, 22) * 4000000)::bigint, (pg_temp.r(h.i, 23) * 600000)::bigint,
            (pg_temp.r(h.i, 24) * 3000000)::bigint, (pg_temp.r(h.i, 25) * 800000)::bigint,
            date '2009-01-01' + (pg_temp.r(h.i, 26) * 6500)::int, '调查员' || (h.i % 97)
     from seed_h h`,
  );
  // Members: their own people (numbered after the heads), then the membership rows.
  await step(
    'people: members',
    `create temp table seed_m as
     select h.household_id, h.org_id, h.migrant, j,
            ${households} + (h.i - 1) * 3 + j as n, gen_random_uuid() as person_id
     from seed_h h cross join lateral generate_series(1, h.members) as j;
     insert into people (id, id_number, name, sex, birth_date, org_id, migrant_worker, source)
     select m.person_id, ${idNumber('m.n', `case when m.migrant and pg_temp.r(m.n, 15) < 0.6 then pg_temp.pick(${arr(MIGRANT_DIVISIONS)}, pg_temp.r(m.n, 16)) else left(o.code, 6) end`)},
            ${name('m.n')}, ${sex('m.n')}, ${birth('m.n')}, m.org_id, false, 'survey'
     from seed_m m join orgs o on o.id = m.org_id`,
  );
  await step(
    'household members',
    `insert into household_members (household_id, person_id, relation, monthly_income_fen, health, activity)
     select household_id, person_id,
            case when j = 1 then 'spouse' when j = 2 then 'child' else pg_temp.pick(array['child','parent','sibling']::text[], pg_temp.r(n, 31)) end,
            (pg_temp.r(n, 32) * 300000)::bigint,
            pg_temp.pick(array['healthy','healthy','healthy','chronic','serious']::text[], pg_temp.r(n, 33)),
            pg_temp.pick(array['employed','student','unemployed','retired','preschool']::text[], pg_temp.r(n, 34))
     from seed_m`,
  );
  // Archives: 8% of the households went back into hardship (返困): an older exited archive first.
  const opened = (i: string) => `date '2009-01-01' + (pg_temp.r(${i}, 61) * 6000)::int`;
  await step(
    'archives: earlier, exited',
    `insert into archives (household_id, org_id, category, origin, primary_cause, urgency, status, opened_on,
                           archived_on, exited_on, exit_reason, created_at, updated_at)
     select h.household_id, h.org_id, pg_temp.pick(${arr(CATEGORIES)}, pg_temp.r(h.i, 41)), 'existing',
            pg_temp.pick(${arr(CAUSES)}, pg_temp.r(h.i, 42)), 'normal', 'exited', d - 1500, d - 1460, d - 100,
            pg_temp.pick(${arr(EXIT_REASONS)}, pg_temp.r(h.i, 43)), (d - 1500)::timestamptz, (d - 100)::timestamptz
     from seed_h h cross join lateral (select ${opened('h.i')} as d) x
     where pg_temp.r(h.i, 40) < 0.08`,
  );
  await step(
    'archives: current',
    `insert into archives (household_id, org_id, category, origin, primary_cause, secondary_causes, urgency,
                           status, opened_on, archived_on, exited_on, exit_reason, next_review_on,
                           created_at, updated_at)
     select h.household_id, h.org_id,
            case when s.status in ('surveyed', 'applied') then null
                 else pg_temp.pick(${arr(CATEGORIES)}, pg_temp.r(h.i, 51)) end,
            case when pg_temp.r(h.i, 40) < 0.08 then 'relapsed'
                 when pg_temp.r(h.i, 52) < 0.4 then 'existing' else 'new' end,
            s.cause,
            array(select distinct x from unnest(array[
                    case when pg_temp.r(h.i, 53) < 0.5 then pg_temp.pick(${arr(CAUSES)}, pg_temp.r(h.i, 54)) end,
                    case when pg_temp.r(h.i, 55) < 0.2 then pg_temp.pick(${arr(CAUSES)}, pg_temp.r(h.i, 56)) end
                  ]) x where x is not null and x <> s.cause),
            pg_temp.pick(${arr(URGENCIES)}, pg_temp.r(h.i, 57)), s.status, d,
            case when s.status in ('archived', 'exited') then d + 40 end,
            case when s.status = 'exited' then d + 800 end,
            case when s.status = 'exited' then pg_temp.pick(${arr(EXIT_REASONS)}, pg_temp.r(h.i, 58)) end,
            case when s.status = 'archived' then d + 405 end,
            d::timestamptz, d::timestamptz
     from seed_h h
     cross join lateral (select pg_temp.pick(${arr(STATUSES)}, pg_temp.r(h.i, 50)) as status,
                                pg_temp.pick(${arr(CAUSES)}, pg_temp.r(h.i, 60)) as cause,
                                ${opened('h.i')} as d) s`,
  );
  // The list's copies (migration 0011), computed set-based by the migration's own function: the
  // triggers that keep them row by row are off during the load.
  const refresh = await client.query<{ f: string | null }>(
    `select to_regproc('niangjia_refresh_household_list')::text as f`,
  );
  if (refresh.rows[0]?.f)
    await step(
      'household list copies (niangjia_refresh_household_list)',
      'select niangjia_refresh_household_list(null)',
    );
  // What the identification rules read (migration 0028), from the copies just made.
  const ruleInputs = await client.query<{ f: string | null }>(
    `select to_regproc('niangjia_refresh_rule_inputs')::text as f`,
  );
  if (ruleInputs.rows[0]?.f)
    await step('rule inputs (niangjia_refresh_rule_inputs)', 'select niangjia_refresh_rule_inputs(null)');
  await client.query('set session_replication_role = origin');
  await client.query('drop table seed_h, seed_m, seed_orgs, seed_slots');
  await step('vacuum analyze', 'vacuum analyze');

  const count = async (table: string) =>
    Number((await client.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]?.n);
  return {
    households: await count('households'),
    people: await count('people'),
    members: await count('household_members'),
    archives: await count('archives'),
    orgs: await count('orgs'),
    ms,
  };
}
