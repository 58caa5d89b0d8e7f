import { SetParameter } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../src/http/context';
import { jobHandlers } from '../src/jobs/handlers';
import { JobRunner } from '../src/jobs/runner';
import { evaluateAll, evaluateOne, householdEvaluations } from '../src/modules/policy/evaluations';
import { setParameter } from '../src/modules/policy/service';
import { asOperator } from '../src/operator';
import { householdInput } from './factories';
import { type TestApp, testApp } from './harness';

/**
 * Households evaluated under the demo's policy (legacy-2013 until 2015, national-2016 from 2016,
 * 低保 300 at 640100): each decision stored with what it used, so that a parameter changed later
 * never changes it; a whole subtree evaluated again in bulk, telling what changed.
 */
let t: TestApp;
let manager: string;
const asRoot = <T>(fn: (ctx: Ctx) => Promise<T>) => asOperator(t.db, fn);

/** The founding report's family of three: 1,800 yuan of wages a month, `housing` yuan of rent a year. */
async function family(orgCode: string, housingYuan = 0): Promise<string> {
  const input = householdInput(orgCode, { size: 3 });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/households',
    headers: { cookie: manager },
    payload: {
      ...input,
      income: { wageIncomeFen: 180_000 * 12, housingCostFen: housingYuan * 100 },
      primaryCause: '3',
      secondaryCauses: [],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

beforeAll(async () => {
  t = await testApp();
  manager = await t.login('xq-manager');
});
afterAll(() => t?.close());

describe('one household', () => {
  it('is refused by the 2013 rule and relative hardship under the national rule (the founding report)', async () => {
    const id = await family('640104001', 3_600);
    const legacy = await asRoot((ctx) => evaluateOne(ctx, id, '2015-06-30', 'demand'));
    expect(legacy.evaluation).toMatchObject({ ruleSet: 'legacy-2013', eligible: false, category: null });
    expect(legacy.explanation.zh.summary).toContain('不符合困难职工认定条件（人均月收入600.00元）');
    const national = await asRoot((ctx) => evaluateOne(ctx, id, '2016-06-30', 'demand'));
    expect(national.evaluation).toMatchObject({
      ruleSet: 'national-2016',
      eligible: true,
      category: 'relative',
      perCapita: { monthlyIncomeFen: 60_000, monthlyNetIncomeFen: 50_000 },
    });
    expect(national.changed).toBe(true);
    // The parameters it read, each from the organisation that set it.
    expect(national.evaluation.parameters.map((p) => [p.key, p.value, p.orgCode])).toEqual([
      ['dibaoMonthly', 30_000, '640100'],
      ['relativeMultiplier', 20_000, '640000'],
      ['accidentCostShare', 8_000, '640000'],
    ]);
    const history = await asRoot((ctx) => householdEvaluations(ctx, id));
    // The first decision was made when the household was surveyed (2015-03-02, the 2013 rule).
    expect(history.map((h) => [h.asOf, h.reason, h.evaluation.category])).toEqual([
      ['2016-06-30', 'demand', 'relative'],
      ['2015-06-30', 'demand', null],
      ['2015-03-02', 'survey', null],
    ]);
    const audited = await t.db.kysely
      .selectFrom('audit_log')
      .select(['entity_id'])
      .where('entity', '=', 'evaluation')
      .where(
        'entity_id',
        'in',
        history.map((h) => h.id),
      )
      .execute();
    expect(audited).toHaveLength(3);
  });

  it('keeps a stored decision as it was when a parameter changes later', async () => {
    const id = await family('640104002');
    const before = await asRoot((ctx) => evaluateOne(ctx, id, '2016-06-30', 'demand'));
    expect(before.evaluation.category).toBe(null); // 600 a month is not under 2 × 300
    const stored = await t.db.kysely
      .selectFrom('evaluations')
      .selectAll()
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    // The district raises its own line for 2016: 600 yuan.
    await asRoot((ctx) =>
      setParameter(
        ctx,
        SetParameter.parse({
          key: 'dibaoMonthly',
          value: '600',
          org: '640104',
          validFrom: '2016-01-01',
          validTo: '2016-12-31',
        }),
      ),
    );
    const after = await asRoot((ctx) => evaluateOne(ctx, id, '2016-06-30', 'review'));
    expect(after.evaluation.category).toBe('deep');
    expect(after.evaluation.parameters[0]).toMatchObject({
      key: 'dibaoMonthly',
      value: 60_000,
      orgCode: '640104',
    });
    expect(after.changed).toBe(true);
    expect(
      await t.db.kysely
        .selectFrom('evaluations')
        .selectAll()
        .where('id', '=', before.id)
        .executeTakeFirstOrThrow(),
    ).toEqual(stored);
    // A policy snapshot is stored only by the database's own function, fingerprinted by its content.
    await expect(
      asRoot((ctx) =>
        ctx.tx
          .insertInto('evaluation_policies')
          .values({
            fingerprint: 'forged',
            rule_set: 'national-2016',
            rules_version: 1,
            options: '{}',
            parameters: '[]',
          })
          .execute(),
      ),
    ).rejects.toThrow(/permission denied|row-level security/);
    // Decisions are history: the application's role can neither change nor delete one.
    await expect(
      asRoot((ctx) =>
        ctx.tx.updateTable('evaluations').set({ category: 'deep' }).where('id', '=', before.id).execute(),
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it('says what is missing when no rule set is in force', async () => {
    const id = await family('640104003');
    await expect(asRoot((ctx) => evaluateOne(ctx, id, '2012-12-31', 'demand'))).rejects.toMatchObject({
      code: 'conflict',
      message:
        'No rule set is in force for 640104003 on 2012-12-31: choose one first (niangjia policy rule-set)',
    });
    // Only the decision made when it was surveyed.
    expect(
      await t.db.kysely.selectFrom('evaluations').select('as_of').where('household_id', '=', id).execute(),
    ).toEqual([{ as_of: '2015-03-02' }]);
  });
});

describe('a subtree evaluated again', () => {
  it('stores a decision for every household, counts the changes; a second run finds them stored, another day stores again', async () => {
    const ids = [
      await family('640104004'),
      await family('640104004', 3_600),
      await family('640104004', 12_000),
    ];
    const first = await evaluateAll((fn) => asRoot(fn), { org: '640104004', asOf: '2017-06-30' });
    // Rent of 0, 3,600 and 12,000 yuan: net 600, 500, 266.67 a person and month; lines 300 and 600.
    // When surveyed (2015, the 2013 rule, income only) none of them was eligible.
    expect(first).toMatchObject({
      evaluated: 3,
      changed: 2,
      byCategory: { ineligible: 1, relative: 1, deep: 1 },
    });
    expect(first.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ householdId: ids[1], before: 'ineligible', after: 'relative' }),
        expect.objectContaining({ householdId: ids[2], before: 'ineligible', after: 'deep' }),
      ]),
    );
    const reasons = async () =>
      (
        await t.db.kysely
          .selectFrom('evaluations')
          .select(['household_id', 'reason'])
          .where('household_id', 'in', ids)
          .execute()
      )
        .map((s) => s.reason)
        .sort();
    // The same facts, policy and date: evaluated, nothing new to store.
    const again = await evaluateAll((fn) => asRoot(fn), { org: '640104004', asOf: '2017-06-30' });
    expect(again).toMatchObject({ evaluated: 3, changed: 0, changes: [], skipped: 0 });
    expect(await reasons()).toEqual(['bulk', 'bulk', 'bulk', 'survey', 'survey', 'survey']);
    // Another day is another decision, as is the same day after the facts changed.
    await evaluateAll((fn) => asRoot(fn), { org: '640104004', asOf: '2017-07-01' });
    expect(await reasons()).toHaveLength(9);
    await t.db.system((tx) =>
      sql`UPDATE households SET housing_cost_fen = housing_cost_fen + 100 WHERE id = ${ids[0]}`.execute(tx),
    );
    await evaluateAll((fn) => asRoot(fn), { org: '640104004', asOf: '2017-07-01' });
    expect(await reasons()).toHaveLength(10);
    // Each bulk decision names the version of the facts it read, and that version stays: the
    // decision made before the change still reads the rent it was made on.
    const housing = (e: { evaluation: { factors: { key: string; value: unknown }[] } }) =>
      e.evaluation.factors.find((f) => f.key === 'housingCost')?.value;
    const decisions = (await asRoot((ctx) => householdEvaluations(ctx, ids[0] as string))).filter(
      (e) => e.asOf === '2017-07-01',
    );
    expect(decisions).toHaveLength(2);
    const [newer, older] = decisions.map((e) => Number(housing(e)));
    expect(Number.isInteger(older)).toBe(true);
    expect((newer as number) - (older as number)).toBe(100);
    const stored = await t.db.system(
      async (tx) =>
        (
          await sql<{ inputs: unknown; facts_md5: string | null; kept: number }>`
            SELECT e.inputs, e.facts_md5,
                   (SELECT count(*)::integer FROM household_rule_facts f WHERE f.household_id = e.household_id) AS kept
            FROM evaluations e WHERE e.household_id = ${ids[0]} AND e.reason = 'bulk' ORDER BY e.created_at`.execute(
            tx,
          )
        ).rows,
    );
    expect(stored.map((e) => [e.inputs, typeof e.facts_md5])).toEqual([
      [null, 'string'],
      [null, 'string'],
      [null, 'string'],
    ]);
    expect(new Set(stored.map((e) => e.facts_md5)).size).toBe(2);
    expect(stored[0]?.kept).toBe(2);
  });
});

describe('over HTTP', () => {
  it('evaluates a household on demand and lists its decisions, explained; the policy as its users see it', async () => {
    const id = await family('640104005', 3_600);
    const worker = await t.login('xq-caseworker');
    const made = await t.app.inject({
      method: 'POST',
      url: `/api/v1/households/${id}/evaluations`,
      headers: { cookie: worker },
      payload: { asOf: '2017-06-30' },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({
      reason: 'demand',
      changed: true,
      evaluation: { category: 'relative' },
    });
    const list = await t.app.inject({
      url: `/api/v1/households/${id}/evaluations`,
      headers: { cookie: worker },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()[0].explanation.zh.lines).toContain(
      '相对困难：收入减刚性支出和就业成本 18,000.00元 < 2倍 × 低保300.00元 × 12个月 × 3人 = 21,600.00元？是（据此认定）',
    );
    const parameters = await t.app.inject({
      url: '/api/v1/policy/parameters?org=640104001&key=dibaoMonthly',
      headers: { cookie: worker },
    });
    expect(parameters.statusCode, parameters.body).toBe(200);
    expect(parameters.json().map((v: { org: string; valueText: string }) => [v.org, v.valueText])).toEqual([
      ['640104', '600'],
      ['640100', '300'],
    ]);
    // A caseworker reads the policy but does not set it.
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy/parameters',
      headers: { cookie: worker },
      payload: { key: 'dibaoMonthly', value: '1', org: '640104', validFrom: '2030-01-01' },
    });
    expect(refused.statusCode).toBe(403);
    const set = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy/parameters',
      headers: { cookie: manager },
      payload: { key: 'dibaoMonthly', value: '650', org: '640104', validFrom: '2030-01-01', source: '测试' },
    });
    expect(set.statusCode, set.body).toBe(201);
    // The district's households are evaluated again in the background.
    const job = await t.app.inject({
      url: `/api/v1/jobs/${set.json().evaluationJobId}`,
      headers: { cookie: manager },
    });
    expect(job.json()).toMatchObject({ kind: 'policy-evaluate', status: 'queued' });
    const runner = new JobRunner(t.db, jobHandlers);
    expect(await runner.runOnce()).toBe(true);
    const done = (
      await t.app.inject({ url: `/api/v1/jobs/${set.json().evaluationJobId}`, headers: { cookie: manager } })
    ).json();
    // Every household of 640104 so far (seven families), as of today.
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: { fraction: 1 },
      result: { evaluated: 7, skipped: 0 },
    });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy/parameters',
      headers: { cookie: manager },
      payload: { key: 'dibaoMonthly', value: '六百', org: '640104', validFrom: '2031-01-01' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      expect.objectContaining({
        path: ['body', 'value'],
        message: expect.stringContaining('an amount in yuan'),
      }),
    ]);
  });
});
