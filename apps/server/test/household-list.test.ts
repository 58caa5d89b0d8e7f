// The household list as it is built for a million households (ADR 0012): its copies of the
// head, the organisation and the current archive follow their sources; names are found by their
// two-character pieces, ID numbers by their end or start; the count stops at a cap and says so;
// row-level security still decides every row.
import { HOUSEHOLD_LIST_COUNT_CAP } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdInput } from './factories';
import { type TestApp, testApp } from './harness';

let t: TestApp;
let caseworker: string;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  caseworker = await t.login('xq-caseworker');
  admin = await t.login('admin');
});
afterAll(() => t?.close());

interface Listed {
  items: { id: string; headName: string; orgCode: string; status: string; migrantWorker: boolean }[];
  total: number;
  totalIsLowerBound: boolean;
}
const list = async (query: string, cookie = caseworker): Promise<Listed> => {
  const res = await t.app.inject({ url: `/api/v1/households?${query}`, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const names = async (query: string, cookie = caseworker) =>
  (await list(query, cookie)).items.map((i) => i.headName);
const register = async (input: ReturnType<typeof householdInput>, cookie = caseworker) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/households',
    headers: { cookie },
    payload: input,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; archiveId: string };
};
const q = (text: string) => `q=${encodeURIComponent(text)}`;

describe('name search', () => {
  it('finds a head by any fragment of the name, and nothing else', async () => {
    const input = householdInput('640104001');
    await register({ ...input, head: { ...input.head, name: '欧阳建国' } });
    const other = householdInput('640104001');
    await register({ ...other, head: { ...other.head, name: '阳光' } });
    expect(await names(q('阳建'))).toEqual(['欧阳建国']);
    expect(await names(q('欧阳建国'))).toEqual(['欧阳建国']);
    expect(await names(q('欧阳建'))).toEqual(['欧阳建国']);
    expect((await names(q('阳'))).sort()).toEqual(['欧阳建国', '阳光']);
    // Every piece present, but not in this order: not a fragment of the name.
    expect(await names(q('建欧阳'))).toEqual([]);
    expect(await names(q('国欧'))).toEqual([]);
    // LIKE's wildcards are taken literally.
    expect(await names(q('欧%'))).toEqual([]);
    expect(await names(q('欧_建'))).toEqual([]);
  });
});

describe('ID number search', () => {
  it('finds heads and members by the whole number, its end, or (full view) its start', async () => {
    const input = householdInput('640104002', { size: 2 });
    await register({ ...input, head: { ...input.head, name: '证号户' } });
    const head = input.head.idNumber;
    const member = input.members[0]?.idNumber as string;
    expect(await names(q(head))).toEqual(['证号户']);
    expect(await names(q(member))).toEqual(['证号户']);
    expect(await names(q(head.slice(-4)))).toContain('证号户');
    expect(await names(q(member.slice(-6)))).toContain('证号户');
    expect(await names(q(head.slice(0, 12)))).toContain('证号户');
    // The middle of a number is neither its start nor its end.
    expect((await list(q(head.slice(6, 14)))).items.map((i) => i.headName)).not.toContain('证号户');
    // Without the full view: the whole number or the last four only (a masked number shows those).
    const employment = await t.login('xq-employment');
    expect(await names(q(head.slice(-4)), employment)).toContain('证号户');
    const refused = await t.app.inject({
      url: `/api/v1/households?${q(head.slice(0, 12))}`,
      headers: { cookie: employment },
    });
    expect(refused.statusCode).toBe(400);
  });
});

describe("the list's copies of the head, the archive and the organisation", () => {
  it('follow a renamed head, a changed migrant flag, a life-cycle step and a moved organisation', async () => {
    const org = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie: admin },
      payload: { code: '640104090', name: '兴庆区搬迁测试工会', level: 'grassroots', parentCode: '640104' },
    });
    expect(org.statusCode, org.body).toBe(201);
    const input = householdInput('640104090');
    const { id, archiveId } = await register({ ...input, head: { ...input.head, name: '原名户主' } });

    await t.db.system((tx) =>
      sql`update people set name = '新名户主', migrant_worker = true where id_number = ${input.head.idNumber}`.execute(
        tx,
      ),
    );
    expect(await names(q('原名'))).toEqual([]);
    expect(await names(q('新名'))).toEqual(['新名户主']);
    expect((await list('migrant=true&org=640104090')).items.map((i) => i.id)).toEqual([id]);

    const manager = await t.login('xq-manager');
    const step = await t.app.inject({
      method: 'POST',
      url: `/api/v1/archives/${archiveId}/steps`,
      headers: { cookie: manager },
      payload: { action: 'apply', comment: '申请', onDate: '2015-03-10' },
    });
    expect(step.statusCode, step.body).toBe(200);
    expect((await list('org=640104090&status=applied')).total).toBe(1);
    expect((await list('org=640104090&status=surveyed')).total).toBe(0);

    const moved = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs/640104090/move',
      headers: { cookie: admin },
      payload: { parentCode: '640105' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await names(q('新名'))).toEqual([]);
    expect((await list(`org=640105&${q('新名')}`, admin)).items).toEqual([
      expect.objectContaining({ id, orgCode: '640104090', status: 'applied', migrantWorker: true }),
    ]);
  });

  it('are what the migration function computes from the sources', async () => {
    const copies = () =>
      t.db.system(
        async (tx) =>
          (
            await sql<Record<string, unknown>>`
              select h.id, h.org_path, h.head_name, h.head_migrant_worker, h.archive_status,
                     h.archive_category, h.archive_causes, h.archive_urgency,
                     array(select g.gram || g.org_id::text from household_name_grams g
                           where g.household_id = h.id order by 1) as grams
              from households h order by h.id`.execute(tx)
          ).rows,
      );
    const kept = await copies();
    expect(kept.length).toBeGreaterThan(3);
    await t.db.system((tx) => sql`select niangjia_refresh_household_list(null)`.execute(tx));
    expect(await copies()).toEqual(kept);
  });
});

describe('name pieces', () => {
  it('are the distinct two-character pieces of a name, or a one-character name itself', async () => {
    const pieces = async (name: string | null) =>
      (
        await t.db.system((tx) =>
          sql<{ g: string[] }>`select niangjia_name_grams(${name}::text) as g`.execute(tx),
        )
      ).rows[0]?.g;
    expect(await pieces(null)).toEqual([]);
    expect(await pieces('')).toEqual([]);
    expect(await pieces('王')).toEqual(['王']);
    expect(await pieces('王伟')).toEqual(['王伟']);
    expect(await pieces('欧阳娜娜')).toEqual(['欧阳', '阳娜', '娜娜']);
    expect(await pieces('哈哈哈哈')).toEqual(['哈哈']);
    expect(await pieces('阿卜杜拉·买买提')).toEqual(['阿卜', '卜杜', '杜拉', '拉·', '·买', '买买', '买提']);
  });

  it('go with a deleted household (they have no foreign key: a trigger deletes them)', async () => {
    const input = householdInput('640104001', { size: 1 });
    const { id } = await register({ ...input, head: { ...input.head, name: '删除测试' } });
    const count = () =>
      t.db.system(
        async (tx) =>
          (
            await sql<{
              n: number;
            }>`select count(*)::int as n from household_name_grams where household_id = ${id}`.execute(tx)
          ).rows[0]?.n,
      );
    expect(await count()).toBe(3);
    await t.db.system(async (tx) => {
      await sql`delete from archive_steps where archive_id in (select id from archives where household_id = ${id})`.execute(
        tx,
      );
      await sql`delete from current_evaluations where household_id = ${id}`.execute(tx);
      await sql`delete from evaluations where household_id = ${id}`.execute(tx);
      await sql`delete from archives where household_id = ${id}`.execute(tx);
      await sql`delete from households where id = ${id}`.execute(tx);
    });
    expect(await count()).toBe(0);
  });
});

describe('scope', () => {
  it("keeps 兴庆区's households and name pieces from 西夏区, and the pieces from being written", async () => {
    const input = householdInput('640104003');
    await register({ ...input, head: { ...input.head, name: '范围测试' } });
    const outsider = await t.db.system(
      async (tx) =>
        (await sql<{ path: string }>`select path from orgs where code = '640105'`.execute(tx)).rows[0]
          ?.path as string,
    );
    const seen = await t.db.scoped(
      { userId: '00000000-0000-0000-0000-000000000000', orgPath: outsider },
      (tx) =>
        sql<{ n: number }>`select count(*)::int as n from household_name_grams where gram = '范围'`.execute(
          tx,
        ),
    );
    expect(seen.rows[0]?.n).toBe(0);
    const own = await t.db.system(
      async (tx) =>
        (await sql<{ path: string }>`select path from orgs where code = '640104'`.execute(tx)).rows[0]
          ?.path as string,
    );
    await expect(
      t.db.scoped({ userId: '00000000-0000-0000-0000-000000000000', orgPath: own }, (tx) =>
        sql`insert into household_name_grams (gram, org_id, household_id)
            select '伪造', org_id, id from households limit 1`.execute(tx),
      ),
    ).rejects.toThrow(/permission denied/);
  });
});

describe('count and pages', () => {
  it(`counts up to ${HOUSEHOLD_LIST_COUNT_CAP} and then says "at least"; pages stop there`, async () => {
    const org = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie: admin },
      payload: { code: '640104091', name: '兴庆区大户数测试工会', level: 'grassroots', parentCode: '640104' },
    });
    expect(org.statusCode, org.body).toBe(201);
    const n = HOUSEHOLD_LIST_COUNT_CAP + 1;
    // Set-based, through the triggers that keep the list's copies.
    await t.db.system(async (tx) => {
      await sql`
        insert into people (id_number, name, sex, birth_date, org_id, migrant_worker)
        select '640104' || lpad(i::text, 12, '0'), '批量' || i, 'male', date '1980-01-01', o.id, i % 2 = 0
        from generate_series(1, ${n}) i, orgs o where o.code = '640104091'`.execute(tx);
      await sql`
        insert into households (org_id, head_person_id)
        select p.org_id, p.id from people p join orgs o on o.id = p.org_id where o.code = '640104091'`.execute(
        tx,
      );
      await sql`
        insert into archives (household_id, org_id, origin, primary_cause, urgency, status, opened_on)
        select h.id, h.org_id, 'new', '3', case when p.name in ('批量7', '批量70', '批量700') then 'critical' else 'normal' end,
               'surveyed', date '2020-01-01'
        from households h join people p on p.id = h.head_person_id
        join orgs o on o.id = h.org_id where o.code = '640104091'`.execute(tx);
    });
    const all = await list('org=640104091');
    expect(all).toMatchObject({ total: HOUSEHOLD_LIST_COUNT_CAP, totalIsLowerBound: true });
    expect(all.items).toHaveLength(20);
    // Ordered by name within the organisation, with the id to break ties.
    expect(all.items.map((i) => i.headName)).toEqual([...all.items.map((i) => i.headName)].sort());
    expect(await list('org=640104091&urgency=critical')).toMatchObject({
      total: 3,
      totalIsLowerBound: false,
    });
    expect((await list('org=640104091&cause=3&migrant=true')).total).toBe(Math.floor(n / 2));
    const last = await list(`org=640104091&pageSize=20&page=${HOUSEHOLD_LIST_COUNT_CAP / 20}`);
    expect(last.items).toHaveLength(20);
    const beyond = await t.app.inject({
      url: `/api/v1/households?org=640104091&pageSize=20&page=${HOUSEHOLD_LIST_COUNT_CAP / 20 + 1}`,
      headers: { cookie: caseworker },
    });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().error.details).toEqual([expect.objectContaining({ path: ['querystring', 'page'] })]);
  }, 120_000);
});
