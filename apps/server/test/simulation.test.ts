import { PolicyFile } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAll } from '../src/modules/policy/evaluations';
import { simulate } from '../src/modules/policy/simulation';
import { asOperator } from '../src/operator';
import { householdInput } from './factories';
import { type TestApp, testApp } from './harness';

/**
 * What-if simulation under the demo's policy (低保 300 at 640100; multipliers 1.5 and 2; living
 * aid 12 months for deep hardship, 8 for the rest): four families of three in 640104002, one of
 * them exited. Every figure below is worked out by hand from the rules as DOMAIN.md writes them.
 */
let t: TestApp;
const ids: Record<string, string> = {};
const run = <T>(fn: Parameters<typeof asOperator<T>>[1]) => asOperator(t.db, fn);
const legacy = PolicyFile.parse({ ruleSet: 'legacy-2013' });
const national = PolicyFile.parse({ ruleSet: 'national-2016' });

async function family(name: string, wageYuanMonthly: number, rentYuanYearly: number, migrant = false) {
  const manager = await t.login('xq-manager');
  const input = householdInput('640104002', { size: 3, migrant });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/households',
    headers: { cookie: manager },
    payload: {
      ...input,
      income: { wageIncomeFen: wageYuanMonthly * 100 * 12, housingCostFen: rentYuanYearly * 100 },
      primaryCause: '3',
      secondaryCauses: [],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  ids[name] = res.json().id;
}

beforeAll(async () => {
  t = await testApp();
  // Per person and month: income 600, net 500 (the founding report's family).
  await family('rent', 1_800, 3_600, true);
  // Income 333.33: under 1.5 × 300 = 450; net 333.33 > 300 but < 600.
  await family('low', 1_000, 0);
  // Income 1,000: nobody's.
  await family('high', 3_000, 0);
  // Income 200, but its archive is closed: not in the population.
  await family('exited', 600, 0);
  await t.db.system((tx) =>
    sql`update archives set status = 'exited', exited_on = '2016-01-01', exit_reason = 'other' where household_id = ${ids.exited}`.execute(
      tx,
    ),
  );
});
afterAll(() => t?.close());

describe('simulate', () => {
  it('compares the 2013 rule with the national rule household by household, with costs and who enters', async () => {
    const r = await simulate(run, { base: legacy, proposal: national, org: '640104002', asOf: '2017-06-30' });
    expect(r.population).toBe(3);
    // 2013 rule: only 'low' (333.33 ≤ 450); 8 months × 300 yuan.
    expect(r.base).toEqual({
      eligible: 1,
      byCategory: { legacy_general: 1, ineligible: 2 },
      costFen: 8 * 30_000,
    });
    // National rule: 'rent' (500 < 600) and 'low' (333.33 < 600) relative; 8 months × 300 each.
    expect(r.proposal).toEqual({
      eligible: 2,
      byCategory: { relative: 2, ineligible: 1 },
      costFen: 2 * 8 * 30_000,
    });
    expect([r.entering, r.leaving, r.changedCount]).toEqual([1, 0, 2]);
    expect(r.breakdown).toEqual({
      category: { relative: { entering: 1, leaving: 0 } },
      cause: { '3': { entering: 1, leaving: 0 } },
      org: { '640104002': { entering: 1, leaving: 0 } },
      migrant: { migrant: { entering: 1, leaving: 0 } },
    });
    const changed = new Map(r.changed.map((c) => [c.household.id, [c.base.category, c.proposal.category]]));
    expect(changed).toEqual(
      new Map([
        [ids.rent, [null, 'relative']],
        [ids.low, ['legacy_general', 'relative']],
      ]),
    );
    // Nothing was written: no decision of these dates.
    const stored = await t.db.kysely
      .selectFrom('evaluations')
      .select('as_of')
      .where('as_of', '=', '2017-06-30')
      .execute();
    expect(stored).toEqual([]);
  });

  it('takes parameters from the proposal over the values in force, and options', async () => {
    const raised = PolicyFile.parse({ ruleSet: 'national-2016', parameters: { dibaoMonthly: 600 } });
    const r = await simulate(run, { base: national, proposal: raised, org: '640104002', asOf: '2017-06-30' });
    // With 低保 600: net 500 and 333.33 are deep (≤ 600); 1,000 is relative (< 2 × 600).
    expect(r.proposal.byCategory).toEqual({ deep: 2, relative: 1 });
    // 12 months × 600 for each deep one, 8 × 600 for the relative one.
    expect(r.proposal.costFen).toBe(2 * 12 * 60_000 + 8 * 60_000);
    const decision = r.changed.find((c) => c.household.id === ids.rent)?.proposal;
    expect(decision?.parameters[0]).toMatchObject({
      key: 'dibaoMonthly',
      value: 60_000,
      orgCode: 'proposal',
    });
  });

  it('refuses a policy file that is not one, saying where', () => {
    const bad = PolicyFile.safeParse({
      ruleSet: 'national-2016',
      parameters: { dibaoMonthly: 'three hundred', nope: 1 },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['parameters', 'Unrecognized key: "nope"'],
      [
        'parameters.dibaoMonthly',
        'dibaoMonthly takes an amount in yuan with at most two decimals, e.g. 300 or 312.50',
      ],
    ]);
    const value = PolicyFile.safeParse({
      ruleSet: 'national-2016',
      parameters: { relativeMultiplier: 0.1 + 0.2 },
    });
    expect(value.error?.issues).toEqual([
      expect.objectContaining({
        path: ['parameters', 'relativeMultiplier'],
        message: expect.stringContaining('four decimals'),
      }),
    ]);
    expect(PolicyFile.safeParse({ ruleSet: 'national-2020' }).success).toBe(false);
  });

  it('answers over HTTP to whoever reads the policy, with both decisions of each changed household', async () => {
    const worker = await t.login('xq-caseworker');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy/simulations',
      headers: { cookie: worker },
      payload: {
        base: { ruleSet: 'legacy-2013' },
        proposal: { ruleSet: 'national-2016' },
        org: '640104002',
        asOf: '2017-06-30',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      asOf: '2017-06-30',
      population: 3,
      entering: 1,
      leaving: 0,
      changedCount: 2,
    });
    const rent = body.changed.find((c: { household: { id: string } }) => c.household.id === ids.rent);
    expect([rent.base.category, rent.proposal.category]).toEqual([null, 'relative']);
    expect(rent.proposal.tests.find((x: { decisive: boolean }) => x.decisive).code).toBe('relative');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy/simulations',
      headers: { cookie: worker },
      payload: {
        base: { ruleSet: 'legacy-2013' },
        proposal: { ruleSet: 'national-2016', parameters: { dibaoMonthly: 'x' } },
      },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('exports the same what-if as a workbook: the summary and the households whose decision differs', async () => {
    const worker = await t.login('xq-caseworker');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy/simulations/export.xlsx',
      headers: { cookie: worker },
      payload: {
        base: { ruleSet: 'legacy-2013' },
        proposal: { ruleSet: 'national-2016' },
        org: '640104002',
        asOf: '2017-06-30',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['汇总', '结论变化的家庭']);
    const summary = workbook.getWorksheet('汇总') as ExcelJS.Worksheet;
    const row = (label: string) =>
      (summary.getSheetValues() as unknown[][]).find((r) => Array.isArray(r) && r[1] === label)?.slice(2, 4);
    expect(row('符合认定条件（户）')).toEqual([1, 2]);
    expect(row('年度生活救助估算（元）')).toEqual([2_400, 4_800]);
    const changed = workbook.getWorksheet('结论变化的家庭') as ExcelJS.Worksheet;
    expect(changed.rowCount).toBe(3);
    expect(changed.getRow(1).values).toEqual([
      undefined,
      '户主',
      '所属工会',
      '农民工',
      '主要致困原因',
      '现行办法结论',
      '调整方案结论',
    ]);
    const outcomes = [2, 3].map((i) => (changed.getRow(i).values as unknown[]).slice(5, 7));
    expect(outcomes).toEqual(
      expect.arrayContaining([
        ['不符合认定条件', '相对困难'],
        ['困难职工（2013年标准）', '相对困难'],
      ]),
    );
  });

  it('leaves closed archives out of a re-evaluation after a policy change', async () => {
    const open = await evaluateAll(run, { org: '640104002', asOf: '2017-06-30', openOnly: true });
    expect(open.evaluated).toBe(3);
    const all = await evaluateAll(run, { org: '640104002', asOf: '2017-06-30' });
    expect(all.evaluated).toBe(4);
  });
});
