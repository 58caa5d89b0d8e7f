import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { permissionsOf, XLSX_MEDIA_TYPE } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Ctx } from '../src/http/context';
import { jobHandlers } from '../src/jobs/handlers';
import { JobRunner } from '../src/jobs/runner';
import { exportLedger } from '../src/modules/assistance/ledger';
import { importLedger } from '../src/modules/assistance/ledger-import';
import { LEDGER_PAYMENTS } from '../src/modules/assistance/ledger-sheet';
import { assistanceReport } from '../src/modules/assistance/reports';
import { readAll } from '../src/modules/registry/workbook';
import { buildXlsx, excelDate, scratchDir } from '../src/modules/registry/workbook/test-workbooks';
import { asOperator } from '../src/operator';
import { residentId } from './factories';
import { type TestApp, testApp } from './harness';

let t: TestApp;
let dir: Awaited<ReturnType<typeof scratchDir>>;
beforeAll(async () => {
  t = await testApp();
  dir = await scratchDir();
});
afterAll(async () => {
  await dir?.remove();
  await t?.close();
});

const today = '2026-11-29';
const HEADERS = [
  '身份证号',
  '姓名',
  '帮扶类型',
  '金额(元)',
  '发放日期',
  '资金来源',
  '项目',
  '经办人',
  '所属工会',
];
const run = <T>(fn: (ctx: Ctx) => Promise<T>) => asOperator(t.db, fn);

/** A runner acting in one organisation's scope, as a manager there would. */
async function runnerAt(code: string) {
  const org = await run((ctx) =>
    ctx.tx.selectFrom('orgs').selectAll().where('code', '=', code).executeTakeFirstOrThrow(),
  );
  const actor: Actor = {
    userId: '',
    username: `test-${code}`,
    displayName: 'test',
    orgId: org.id,
    orgCode: org.code,
    orgName: org.name,
    orgLevel: org.level as Actor['orgLevel'],
    orgPath: org.path,
    roles: ['manager'],
    permissions: permissionsOf(['manager']),
    mustChangePassword: false,
    sessionTokenHash: '',
  };
  return <T>(fn: (ctx: Ctx) => Promise<T>) =>
    t.db.scoped({ userId: '', orgPath: org.path }, (tx) =>
      fn({ tx, actor, requestId: 'test', clientAddress: null }),
    );
}

const a = residentId('640104', '1968-02-03', 201);
const b = residentId('640104', '1975-06-07', 202);
const c = residentId('640105', '1980-01-01', 203);
const badCheck = `${a.slice(0, 17)}${a.endsWith('0') ? '1' : '0'}`;

const ledger = (name: string, rows: unknown[][]) =>
  buildXlsx(dir.path(name), [{ name: '发放记录', rows: [HEADERS, ...rows] as never }]);

async function payments(where = sql`true`) {
  return run(
    async (ctx) =>
      (
        await sql<{ n: number; fen: string }>`
        select count(*)::int as n, coalesce(sum(amount_fen), 0)::text as fen from ledger_entries where ${where}`.execute(
          ctx.tx,
        )
      ).rows[0],
  );
}

describe('ledger import', () => {
  it('saves the valid rows, registers unknown people from them, and reports each bad row by row and column; a second import changes nothing', async () => {
    const file = await ledger('first.xlsx', [
      [a, '张三', '生活救助', 500, '2014-01-10', '中央财政', '2014年春节送温暖', '马主任', '640104001'],
      [a, '张三', 'medical', '1,234.56', '2014/3/5', '地方财政', undefined, undefined, '640104001'],
      [a, '张叁', '生活救助', 100, '2014-04-01', '工会经费', undefined, undefined, '640104001'],
      [badCheck, '李四', '生活救助', 100, '2014-04-01', '工会经费', undefined, undefined, '640104001'],
      [b, '王五', '慰问金', 100, '2014-04-01', '工会经费', undefined, undefined, '640104001'],
      [b, '王五', '生活救助', 0, '2014-04-01', '工会经费', undefined, undefined, '640104001'],
      [b, '王五', '生活救助', 100, '2030-01-01', '工会经费', undefined, undefined, '640104001'],
      [b, '王五', '生活救助', 100, '2014-04-01', '工会经费', undefined, undefined, '999999'],
      // The same payment as row 2 a second time: two payments, both kept.
      [a, '张三', '生活救助', 500, '2014-01-10', '中央财政', '2014年春节送温暖', '马主任', '640104001'],
      [b, '王五', '助学救助', 300, '2014-09-01', '社会捐助', undefined, undefined, undefined],
      [b, '王五', '助学救助', 3000, excelDate(41883), '社会捐助', undefined, undefined, '640104002'],
    ]);
    // Batches of two: the repeated payment and the person it registered cross batch borders.
    const first = await importLedger(file, run, { today, batchSize: 2 });
    expect(first).toMatchObject({ imported: 4, unchanged: 0, rejected: 7, peopleCreated: 2 });
    expect(first.errors.map((e) => [e.row, e.column])).toEqual([
      [4, '姓名'],
      [5, '身份证号'],
      [6, '帮扶类型'],
      [7, '金额'],
      [8, '发放日期'],
      [9, '所属工会'],
      [11, '所属工会'],
    ]);
    expect(first.errors[0]?.message).toContain('张三');
    // Never a whole ID number in a message.
    expect(JSON.stringify(first.errors)).not.toContain(a);
    expect(await payments()).toEqual({ n: 4, fen: String(50000 + 123456 + 50000 + 300000) });
    const people = await run((ctx) =>
      ctx.tx
        .selectFrom('people')
        .select(['name', 'source', 'sex', 'birth_date'])
        .where('id_number', 'in', [a, b])
        .orderBy('name')
        .execute(),
    );
    expect(people).toEqual([
      { name: '张三', source: 'ledger', sex: 'male', birth_date: '1968-02-03' },
      { name: '王五', source: 'ledger', sex: 'female', birth_date: '1975-06-07' },
    ]);

    const second = await importLedger(file, run, { today, batchSize: 3 });
    expect(second).toMatchObject({ imported: 0, unchanged: 4, rejected: 7, peopleCreated: 0 });
    expect(await payments()).toEqual({ n: 4, fen: '523456' });

    // The same payment a third time in another file: the first two are there, the third is new.
    const third = await importLedger(
      await ledger('third.xlsx', [
        [
          a,
          '张三',
          '生活救助',
          '500.00',
          '2014-01-10',
          '中央财政',
          '2014年春节送温暖',
          '李帮扶',
          '640104001',
        ],
        [a, '张三', '生活救助', 500, '2014-01-10', '中央财政', '2014年春节送温暖', undefined, '640104001'],
        [a, '张三', '生活救助', 500, '2014-01-10', '中央财政', '2014年春节送温暖', undefined, '640104001'],
      ]),
      run,
      { today },
    );
    expect(third).toMatchObject({ imported: 1, unchanged: 2, rejected: 0 });
  });

  it('names the paying organisation for the whole file with --org, and a dry run saves nothing', async () => {
    const before = await payments();
    const file = await ledger('org.xlsx', [
      [b, '王五', '应急救助', 800, '2013-07-01', '地方财政', undefined, undefined, undefined],
      [c, '赵六', '送温暖', 200, '2013-02-01', '工会经费', undefined, undefined, undefined],
      [c, '赵六', '送温暖', 200, '2013-02-02', '工会经费', undefined, undefined, undefined],
      [c, '赵七', '送温暖', 200, '2013-02-03', '工会经费', undefined, undefined, undefined],
    ]);
    const dry = await importLedger(file, run, { today, org: '640104003', dryRun: true, batchSize: 1 });
    expect(dry).toMatchObject({ imported: 3, unchanged: 0, rejected: 1, peopleCreated: 1 });
    expect(dry.errors).toEqual([expect.objectContaining({ row: 5, column: '姓名' })]);
    expect(await payments()).toEqual(before);
    expect(
      await run((ctx) => ctx.tx.selectFrom('people').select('id').where('id_number', '=', c).execute()),
    ).toEqual([]);
    const real = await importLedger(file, run, { today, org: '640104003' });
    expect(real).toMatchObject({ imported: 3, rejected: 1, peopleCreated: 1 });
    const org = await run((ctx) =>
      ctx.tx
        .selectFrom('ledger_entries as l')
        .innerJoin('orgs as o', 'o.id', 'l.org_id')
        .innerJoin('people as p', 'p.id', 'l.person_id')
        .select(['o.code'])
        .where('p.id_number', '=', c)
        .execute(),
    );
    expect(org.map((o) => o.code)).toEqual(['640104003', '640104003']);
  });

  it('refuses people and organisations outside the scope of whoever imports', async () => {
    const xixia = await runnerAt('640105');
    const file = await ledger('scope.xlsx', [
      [a, '张三', '生活救助', 100, '2014-05-01', '工会经费', undefined, undefined, '640105'],
      [
        residentId('640105', '1990-09-09', 204),
        '孙八',
        '生活救助',
        100,
        '2014-05-01',
        '工会经费',
        undefined,
        undefined,
        '640104',
      ],
      [
        residentId('640105', '1990-09-09', 204),
        '孙八',
        '生活救助',
        100,
        '2014-05-01',
        '工会经费',
        undefined,
        undefined,
        '640105',
      ],
    ]);
    const report = await importLedger(file, xixia, { today });
    expect(report).toMatchObject({ imported: 1, rejected: 2 });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [2, '身份证号'],
      [3, '所属工会'],
    ]);
    expect(report.errors[0]?.message).toContain('兴庆区环卫服务中心工会');
  });

  it('exports the payments standing with the import headers, and the export imports again as nothing new', async () => {
    const file = dir.path('export.xlsx');
    const counts = await exportLedger(file, run, { org: '640104' });
    const standing = await payments(
      sql`org_id in (select id from orgs where starts_with(path, '/000000/640000/640100/640104/'))`,
    );
    expect(counts.payments).toBe(standing?.n);
    const read = await readAll(file, [LEDGER_PAYMENTS], { today });
    expect(read.issues).toEqual([]);
    expect(read.rows.every((r) => r.ok)).toBe(true);
    expect(read.rows.reduce((s, r) => s + (r.values.amountFen ?? 0), 0)).toBe(Number(standing?.fen));
    const again = await importLedger(file, run, { today });
    expect(again).toMatchObject({ imported: 0, unchanged: counts.payments, rejected: 0 });
    // Filters: only the education aid.
    const education = await exportLedger(dir.path('education.xlsx'), run, { aidType: 'education' });
    expect(education.payments).toBe(1);
  });
});

describe('the import page', () => {
  it('uploads a workbook, previews it as a job that saves nothing, then imports it for real', async () => {
    const runner = new JobRunner(t.db, jobHandlers);
    const manager = await t.login('xq-manager');
    const file = await ledger('upload.xlsx', [
      [
        residentId('640104', '1983-03-03', 205),
        '钱九',
        '送温暖',
        400,
        '2015-01-20',
        '工会经费',
        '2015年元旦春节送温暖',
        undefined,
        undefined,
      ],
      [
        residentId('640104', '1983-03-03', 205),
        '钱九',
        '送温暖',
        'abc',
        '2015-01-21',
        '工会经费',
        undefined,
        undefined,
        undefined,
      ],
    ]);
    const before = await payments();
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/ledger?filename=upload.xlsx&org=640104005',
      headers: { cookie: manager, 'content-type': XLSX_MEDIA_TYPE },
      payload: await readFile(file),
    });
    expect(up.statusCode, up.body).toBe(202);
    const job = async (id: string) => {
      while (await runner.runOnce()) {}
      return (await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: { cookie: manager } })).json();
    };
    const preview = await job(up.json().jobId);
    expect(preview.status).toBe('succeeded');
    expect(preview.result).toMatchObject({
      dryRun: true,
      imported: 1,
      unchanged: 0,
      rejected: 1,
      filename: 'upload.xlsx',
    });
    expect(preview.result.errors).toEqual([expect.objectContaining({ row: 3, column: '金额' })]);
    expect(await payments()).toEqual(before);
    const commit = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/ledger/${up.json().uploadId}/commit?org=640104005`,
      headers: { cookie: manager },
    });
    expect(commit.statusCode, commit.body).toBe(202);
    const done = await job(commit.json().jobId);
    expect(done.result).toMatchObject({ dryRun: false, imported: 1, rejected: 1, peopleCreated: 1 });
    expect((await payments())?.n).toBe((before?.n ?? 0) + 1);
    // A caseworker may not pay, so may not import payments either.
    const caseworker = await t.login('xq-caseworker');
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/ledger?filename=upload.xlsx',
      headers: { cookie: caseworker, 'content-type': XLSX_MEDIA_TYPE },
      payload: await readFile(file),
    });
    expect(refused.statusCode).toBe(403);
    const template = await t.app.inject({
      url: '/api/v1/imports/ledger/template.xlsx',
      headers: { cookie: manager },
    });
    expect(template.statusCode).toBe(200);
  });
});

describe('the ledger', () => {
  it('is appended to, never changed: the application can neither update nor delete a line, nor write the totals', async () => {
    for (const statement of [
      sql`update ledger_entries set amount_fen = 1`,
      sql`delete from ledger_entries`,
      sql`update ledger_totals set amount_fen = 1`,
      sql`insert into ledger_totals values ((select id from orgs limit 1), 2000, 'living', 'donation', 1, 1)`,
    ])
      await expect(run((ctx) => statement.execute(ctx.tx))).rejects.toThrow(/permission denied/);
  });

  it('keeps totals equal to the sum of its lines', async () => {
    const [totals, lines] = await run(async (ctx) => [
      (
        await sql<{ k: string }>`
          select string_agg(format('%s|%s|%s|%s|%s|%s', org_id, year, aid_type, fund_source, person_times, amount_fen), ',' order by 1) as k
          from (select org_id, year, aid_type, fund_source, person_times, amount_fen from ledger_totals order by 1, 2, 3, 4) t`.execute(
          ctx.tx,
        )
      ).rows[0]?.k,
      (
        await sql<{ k: string }>`
          select string_agg(format('%s|%s|%s|%s|%s|%s', org_id, year, aid_type, fund_source, n, fen), ',' order by 1) as k
          from (select org_id, extract(year from paid_on)::int as year, aid_type, fund_source,
                       sum(case kind when 'payment' then 1 else -1 end) as n, sum(amount_fen) as fen
                from ledger_entries group by 1, 2, 3, 4 order by 1, 2, 3, 4) l`.execute(ctx.tx)
      ).rows[0]?.k,
    ]);
    expect(totals).toBeTruthy();
    expect(totals).toBe(lines);
  });
});

describe('the yearly assistance report', () => {
  it('counts person-times and sums amounts per year, type and fund, as computed by hand', async () => {
    const report = await run((ctx) => assistanceReport(ctx, { from: 2012, to: 2014, org: '640104' }));
    // 2013: 王五 800 (应急, 地方财政), 赵六 200 + 200 (送温暖, 工会经费).
    // 2014: 张三 500 × 3 (生活, 中央财政) + 1,234.56 (医疗, 地方财政); 王五 3,000 (助学, 社会捐助).
    expect(report.rows).toEqual([
      { year: 2012, personTimes: 0, amountFen: 0 },
      { year: 2013, personTimes: 3, amountFen: 120000 },
      { year: 2014, personTimes: 5, amountFen: 150000 + 123456 + 300000 },
    ]);
    expect(report.total).toEqual({ personTimes: 8, amountFen: 120000 + 573456 });
    expect(report.growth).toEqual({ personTimes: null, amount: null });
    expect(report.byType.filter((r) => r.year === 2014)).toEqual([
      { year: 2014, code: 'education', personTimes: 1, amountFen: 300000 },
      { year: 2014, code: 'living', personTimes: 3, amountFen: 150000 },
      { year: 2014, code: 'medical', personTimes: 1, amountFen: 123456 },
    ]);
    expect(report.byFund.filter((r) => r.year === 2013)).toEqual([
      { year: 2013, code: 'local_finance', personTimes: 1, amountFen: 80000 },
      { year: 2013, code: 'union_dues', personTimes: 2, amountFen: 40000 },
    ]);
    // Growth of the last year against the first, to three decimals: 5 against 3 person-times.
    const two = await run((ctx) => assistanceReport(ctx, { from: 2013, to: 2014, org: '640104' }));
    expect(two.growth).toEqual({
      personTimes: 0.667,
      amount: Math.round((573456 / 120000 - 1) * 1000) / 1000,
    });
    // A subtree: 640104003 paid only the 2013 lines imported with --org.
    const sub = await run((ctx) => assistanceReport(ctx, { from: 2013, to: 2013, org: '640104003' }));
    expect(sub.rows).toEqual([{ year: 2013, personTimes: 3, amountFen: 120000 }]);
    // Another district's scope sees its own payment only.
    const xixia = await runnerAt('640105');
    const theirs = await xixia((ctx) => assistanceReport(ctx, { from: 2014, to: 2014 }));
    expect(theirs.rows).toEqual([{ year: 2014, personTimes: 1, amountFen: 10000 }]);
  });

  it('answers over HTTP, as JSON and as a workbook, to whoever may read assistance', async () => {
    const cookie = await t.login('xq-manager');
    const res = await t.app.inject({
      url: '/api/v1/assistance/reports/yearly?from=2013&to=2014',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toEqual({ personTimes: 8, amountFen: 693456 });
    const xlsx = await t.app.inject({
      url: '/api/v1/assistance/reports/yearly.xlsx?from=2013&to=2014',
      headers: { cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.readUInt32LE(0)).toBe(0x04034b50);
    const page = await t.app.inject({ url: '/api/v1/assistance/ledger?limit=3', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.json().lines).toHaveLength(3);
    expect(page.json().lines[0].idNumberMasked).not.toContain(a.slice(6, 14));
    const next = await t.app.inject({
      url: `/api/v1/assistance/ledger?limit=100&after=${encodeURIComponent(page.json().next)}`,
      headers: { cookie },
    });
    // 640104's nine lines: eight imported above, one through the import page.
    expect(next.json().lines).toHaveLength(6);
    expect(next.json().next).toBeNull();
    const bad = await t.app.inject({
      url: '/api/v1/assistance/reports/yearly?from=2015&to=2014',
      headers: { cookie },
    });
    expect(bad.statusCode).toBe(400);
    const mutual = await t.login('xq-mutualaid');
    const refused = await t.app.inject({
      url: '/api/v1/assistance/reports/yearly?from=2013&to=2014',
      headers: { cookie: mutual },
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('a ledger written by another program', () => {
  it('reads a workbook from openpyxl (sheets before the workbook part, floating-point amounts, date cells)', async () => {
    const file = join(import.meta.dirname, 'fixtures/ledger-openpyxl.xlsx');
    const report = await importLedger(file, run, { today });
    expect(report).toMatchObject({ imported: 4, unchanged: 0, rejected: 0, peopleCreated: 2 });
    // The extra column 序号 is reported once, as a warning.
    expect(report.warnings).toEqual([expect.objectContaining({ column: '序号' })]);
    const years = await run((ctx) => assistanceReport(ctx, { from: 2009, to: 2010, org: '640104' }));
    expect(years.rows).toEqual([
      { year: 2009, personTimes: 2, amountFen: 46_390 + 123_456 },
      { year: 2010, personTimes: 2, amountFen: 20_000 + 10 },
    ]);
    expect((await importLedger(file, run, { today })).unchanged).toBe(4);
  });
});

describe('a refused row and its twin', () => {
  it('counts only valid rows: a misspelt twin of a payment never makes it look new again', async () => {
    const d = residentId('640104', '1977-07-07', 207);
    // 孙七 is known to the registry (here from an earlier ledger).
    await importLedger(
      await ledger('known.xlsx', [
        [d, '孙七', '其他', 50, '2011-01-05', '工会经费', undefined, undefined, '640104001'],
      ]),
      run,
      { today },
    );
    const file = await ledger('twin.xlsx', [
      [d, '孙柒', '生活救助', 700, '2011-06-01', '工会经费', undefined, undefined, '640104001'],
      [d, '孙七', '生活救助', 700, '2011-06-01', '工会经费', undefined, undefined, '640104001'],
    ]);
    expect(await importLedger(file, run, { today })).toMatchObject({
      imported: 1,
      unchanged: 0,
      rejected: 1,
    });
    expect(await importLedger(file, run, { today })).toMatchObject({
      imported: 0,
      unchanged: 1,
      rejected: 1,
    });
    expect(await importLedger(file, run, { today, batchSize: 1 })).toMatchObject({
      imported: 0,
      unchanged: 1,
    });
  });
});

describe('reversing imported history', () => {
  it('adds a reversing line with the reason, once; Table 1 of that year drops the payment', async () => {
    const manager = await t.login('xq-manager');
    const year = async () =>
      (await run((ctx) => assistanceReport(ctx, { from: 2011, to: 2011, org: '640104' }))).rows[0];
    const before = await year();
    const line = await run((ctx) =>
      ctx.tx
        .selectFrom('ledger_entries')
        .select(['id', 'amount_fen'])
        .where('paid_on', '=', '2011-06-01')
        .executeTakeFirstOrThrow(),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/assistance/ledger/${line.id}/reverse`,
      headers: { cookie: manager },
      payload: { reason: '金额录入错误' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: line.id, reversedBy: expect.any(String) });
    expect(await year()).toEqual({
      year: 2011,
      personTimes: (before?.personTimes ?? 0) - 1,
      amountFen: (before?.amountFen ?? 0) - line.amount_fen,
    });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/assistance/ledger/${line.id}/reverse`,
      headers: { cookie: manager },
      payload: { reason: '再次冲正' },
    });
    expect(again.json().error.details.code).toBe('already_reversed');
  });
});
