import {
  type ArchiveCategory,
  type ArchiveOrigin,
  type PolicyFile,
  PolicyFile as PolicyFileSchema,
  type RuleSet,
  SetParameter,
} from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import {
  type CalendarDate,
  deriveUrgency,
  evaluateHousehold,
  type HouseholdFacts,
  MissingParameterError,
  type Policy,
  policyWith,
  todayInShanghai,
} from '@niangjia/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../src/http/context';
import { evaluateAll, loadFacts, policyOf } from '../src/modules/policy/evaluations';
import {
  categorySql,
  incomeLateral,
  monthlyIncomeSql,
  policyColumns,
  policyTable,
  refreshStaleRuleInputs,
} from '../src/modules/policy/rules-sql';
import { parametersInForce, setParameter } from '../src/modules/policy/service';
import { asOperator } from '../src/operator';
import { residentId } from './factories';
import { type TestApp, testApp } from './harness';

/**
 * The rule sets in SQL (rules-sql.ts over household_rule_inputs) against the domain's TypeScript,
 * household by household: households of every shape made through the API (incomes on and beside
 * the thresholds, members of every age, health and activity, causes, exclusions), then many
 * policies drawn at random. Also: the rule inputs the triggers keep are the facts the TypeScript
 * loader reads, after every kind of change to their sources.
 */
let t: TestApp;
const run = <T>(fn: (ctx: Ctx) => Promise<T>) => asOperator(t.db, fn);
const ORG = '640104002';
const HOUSEHOLDS = 120;

/** Monthly per-person amounts (fen) on and beside the lines the policies below draw. */
const PER_PERSON = [0, 20_000, 25_000, 30_000, 37_500, 45_000, 50_000, 60_000, 75_000, 90_000];
const HEALTH = ['healthy', 'chronic', 'serious', 'disabled'] as const;
const ACTIVITY = ['employed', 'unemployed', 'unable', 'student', 'preschool', 'retired'] as const;

const person = fc.record({
  // Birthdays around the working-age bounds of the dates drawn below, 29 February included.
  birth: fc.constantFrom(
    '1956-06-30',
    '1956-07-01',
    '1960-02-29',
    '1966-06-30',
    '1975-05-05',
    '2000-02-29',
    '2000-03-01',
    '2001-06-30',
    '2002-07-01',
    '2010-01-01',
  ),
  health: fc.option(fc.constantFrom(...HEALTH), { nil: undefined }),
  activity: fc.option(fc.constantFrom(...ACTIVITY), { nil: undefined }),
});

const household = fc.record({
  head: person,
  members: fc.array(person, { maxLength: 4 }),
  perPerson: fc.constantFrom(...PER_PERSON),
  /** A fen more or less a year than the round figure, or none. */
  nudge: fc.constantFrom(-1, 0, 0, 1),
  loss: fc.boolean(),
  rent: fc.constantFrom(0, 0, 360_000, 720_000),
  medical: fc.constantFrom(0, 0, 500_000, 2_000_000),
  employment: fc.constantFrom(0, 0, 120_000),
  primary: fc.constantFrom('1', '3', '6', '7', '8', '9'),
  secondary: fc.subarray(['2', '6', '8', '10'], { maxLength: 2 }),
  exclusions: fc.constantFrom([], [], [], ['car'], ['car', 'homes']),
  migrant: fc.boolean(),
});

let seq = 0;
type Shape = typeof household extends fc.Arbitrary<infer T> ? T : never;

async function create(h: Shape) {
  const size = 1 + h.members.length;
  const wage = h.perPerson * 12 * size + h.nudge;
  const personInput = (p: typeof h.head, name: string) => {
    seq++;
    return {
      idNumber: residentId('640104', p.birth, seq % 1000),
      name,
      ...(p.health ? { health: p.health } : {}),
      ...(p.activity ? { activity: p.activity } : {}),
    };
  };
  const manager = await t.login('xq-manager');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/households',
    headers: { cookie: manager },
    payload: {
      orgCode: ORG,
      head: {
        ...personInput(h.head, `规则户${seq}`),
        migrantWorker: h.migrant,
        householdRegistration: 'urban',
      },
      members: h.members.map((m, i) => ({ ...personInput(m, `规则成员${seq}-${i}`), relation: 'child' })),
      income: {
        wageIncomeFen: Math.max(wage, 0),
        businessIncomeFen: h.loss ? -50_000 : 0,
        housingCostFen: h.rent,
        medicalCostFen: h.medical,
        employmentCostFen: h.employment,
      },
      surveyDate: '2016-03-02',
      primaryCause: h.primary,
      secondaryCauses: h.secondary.filter((c) => c !== h.primary),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  if (h.exclusions.length > 0) {
    const x = await t.app.inject({
      method: 'POST',
      url: `/api/v1/households/${id}/exclusions`,
      headers: { cookie: manager },
      payload: { exclusions: h.exclusions, reason: '核查发现' },
    });
    expect(x.statusCode, x.body).toBe(200);
  }
  return id;
}

/** Every household of the organisation: the rule inputs' facts, and the loader's. */
async function bothFacts() {
  // Marked stale by the triggers, brought up to date as bulk work does first.
  await refreshStaleRuleInputs(run);
  return run(async (ctx) => {
    const { rows } = await sql<{ household_id: string; facts: HouseholdFacts }>`
      SELECT r.household_id, f.facts FROM household_rule_inputs r
      JOIN household_rule_facts f ON f.household_id = r.household_id AND f.facts_md5 = r.facts_md5
      JOIN orgs o ON o.id = r.org_id
      WHERE o.code = ${ORG} ORDER BY r.household_id`.execute(ctx.tx);
    const loaded = await loadFacts(
      ctx,
      rows.map((r) => r.household_id),
    );
    const byId = new Map(loaded.map((h) => [h.id, h.facts]));
    return rows.map((r) => ({ id: r.household_id, kept: r.facts, loaded: byId.get(r.household_id) }));
  });
}

beforeAll(async () => {
  t = await testApp();
  const shapes = fc.sample(household, { numRuns: HOUSEHOLDS, seed: 20161 });
  for (const h of shapes) await create(h);
}, 240_000);
afterAll(() => t?.close());

describe('household_rule_inputs', () => {
  it('holds, for each household, exactly the facts the loader reads', async () => {
    const both = await bothFacts();
    expect(both.length).toBeGreaterThanOrEqual(HOUSEHOLDS);
    for (const b of both) expect(b.kept, b.id).toEqual(b.loaded);
  });

  it('follows every change of its sources: people, memberships, figures, exclusions, archives', async () => {
    const changed = await t.db.system(async (tx) => {
      // Two households with members (for the memberships' changes), four others.
      const pick = async (members: boolean, n: number) =>
        (
          await sql<{ id: string }>`SELECT h.id FROM households h JOIN orgs o ON o.id = h.org_id
            WHERE o.code = ${ORG} AND archive_status = 'surveyed'
              AND EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id) = ${members}
            ORDER BY h.id LIMIT ${n}`.execute(tx)
        ).rows.map((r) => r.id);
      const [b, c] = (await pick(true, 2)) as [string, string];
      const [a, d, e, f] = (await pick(false, 4)) as [string, string, string, string];
      await sql`UPDATE people SET health = 'serious', activity = 'unemployed', birth_date = '1990-02-28'
        WHERE id = (SELECT head_person_id FROM households WHERE id = ${a})`.execute(tx);
      await sql`UPDATE household_members SET health = 'healthy', activity = 'unemployed'
        WHERE household_id = ${b}`.execute(tx);
      await sql`DELETE FROM household_members WHERE id = (
        SELECT id FROM household_members WHERE household_id = ${c} ORDER BY created_at LIMIT 1)`.execute(tx);
      await sql`UPDATE households SET wage_income_fen = wage_income_fen + 1, exclusions = '{refused_verification}'
        WHERE id = ${d}`.execute(tx);
      await sql`UPDATE archives SET status = 'exited', exited_on = '2017-01-01', exit_reason = 'other',
        secondary_causes = '{7}' WHERE household_id = ${e}`.execute(tx);
      await sql`UPDATE people SET migrant_worker = NOT migrant_worker
        WHERE id = (SELECT head_person_id FROM households WHERE id = ${f})`.execute(tx);
      return [a, b, c, d, e, f].sort();
    });
    // Each change marks its household stale; bulk work rebuilds those first.
    const marked = await t.db.system(async (tx) =>
      (
        await sql<{ household_id: string }>`
          SELECT household_id FROM household_rule_inputs_stale ORDER BY household_id`.execute(tx)
      ).rows.map((r) => r.household_id),
    );
    expect(marked).toEqual(changed);
    const both = await bothFacts();
    for (const b of both) expect(b.kept, b.id).toEqual(b.loaded);
    // The copies the simulation filters and groups on follow too.
    const stale = await t.db.system(
      async (tx) =>
        (
          await sql<{ n: number }>`SELECT count(*)::integer AS n FROM household_rule_inputs r
            JOIN households h ON h.id = r.household_id
            WHERE (r.org_id, r.org_path, r.archive_status, r.migrant, r.causes, r.excluded)
              IS DISTINCT FROM (h.org_id, h.org_path, h.archive_status, h.head_migrant_worker, h.archive_causes,
                                cardinality(h.exclusions) > 0)`.execute(tx)
        ).rows[0]?.n,
    );
    expect(stale).toBe(0);
  });
});

const ratio = fc.integer({ min: 10_000, max: 30_000 });
const policyFile = fc
  .record({
    ruleSet: fc.constantFrom<RuleSet>('legacy-2013', 'national-2016'),
    dibao: fc.constantFrom('250', '300', '375', '500'),
    legacy: fc.oneof(fc.constant(15_000), ratio),
    relative: fc.oneof(fc.constant(20_000), ratio),
    share: fc.oneof(fc.constant(8_000), fc.integer({ min: 0, max: 10_000 })),
    impute: fc.boolean(),
    exclusions: fc.boolean(),
    minWage: fc.constantFrom('900', '1100', '1650'),
    from: fc.constantFrom(16, 18),
    to: fc.constantFrom(55, 60, 65),
  })
  .map((p) =>
    PolicyFileSchema.parse({
      ruleSet: p.ruleSet,
      parameters: {
        dibaoMonthly: p.dibao,
        legacyMultiplier: String(p.legacy / 10_000),
        relativeMultiplier: String(p.relative / 10_000),
        accidentCostShare: String(p.share / 10_000),
        minWageMonthly: p.minWage,
        workingAgeFrom: p.from,
        workingAgeTo: p.to,
      },
      options: { imputeMinWage: p.impute, applyExclusions: p.exclusions },
    }),
  );
const asOf = fc.constantFrom<CalendarDate>(
  '2016-06-30',
  '2016-07-01',
  '2017-02-28',
  '2017-03-01',
  '2020-06-30',
);

/** Each household's category and monthly income per person, by the SQL. */
async function inSql(ctx: Ctx, file: PolicyFile, on: CalendarDate) {
  const org = await ctx.tx.selectFrom('orgs').select('id').where('code', '=', ORG).executeTakeFirstOrThrow();
  const policy: Policy = policyWith(await parametersInForce(ctx, org.id, on), file, on);
  const { rows } = await sql<{ id: string; category: string | null; monthly: string }>`
    SELECT r.household_id AS id, ${categorySql('x', 'i')} AS category, ${monthlyIncomeSql('i')} AS monthly
    FROM household_rule_inputs r
    JOIN ${policyTable([policyColumns(org.id, policy, on)], 'x')} ON x.org_id = r.org_id
    CROSS JOIN LATERAL ${incomeLateral('x')} i
    ORDER BY r.household_id`.execute(ctx.tx);
  return { policy, rows };
}

describe('the rule sets in SQL', () => {
  it('give every household the category and per-person income the TypeScript gives it', async () => {
    const facts = new Map((await bothFacts()).map((b) => [b.id, b.loaded as HouseholdFacts]));
    let compared = 0;
    const categories = new Set<string>();
    await fc.assert(
      fc.asyncProperty(policyFile, asOf, async (file, on) => {
        await run(async (ctx) => {
          const { policy, rows } = await inSql(ctx, file, on);
          for (const r of rows) {
            const e = evaluateHousehold(facts.get(r.id) as HouseholdFacts, policy, on);
            expect({ id: r.id, category: r.category, monthly: Number(r.monthly) }).toEqual({
              id: r.id,
              category: e.category,
              monthly: e.perCapita.monthlyIncomeFen,
            });
            categories.add(e.category ?? 'none');
            compared++;
          }
        });
      }),
      { numRuns: 60, seed: 2016 },
    );
    expect(compared).toBeGreaterThanOrEqual(60 * HOUSEHOLDS);
    // The draw reaches every outcome.
    expect([...categories].sort()).toEqual(['accident', 'deep', 'legacy_general', 'none', 'relative']);
  }, 120_000);

  it('refuses a policy without a value the rule set reads, as the TypeScript does', () => {
    const policy: Policy = {
      ruleSet: 'national-2016',
      options: { imputeMinWage: true, applyExclusions: false },
      parameters: {},
    };
    expect(() => policyColumns('x', policy, '2016-06-30')).toThrow(MissingParameterError);
  });
});

describe('a re-evaluation on one date, in the database', () => {
  it('stores what the TypeScript decides, and derives the urgency its rules give', async () => {
    const outcomes = () =>
      run(async (ctx) => {
        const { rows } = await sql<{ household_id: string; category: string | null }>`
          SELECT ce.household_id, ce.category FROM current_evaluations ce JOIN orgs o ON o.id = ce.org_id
          WHERE o.code = ${ORG}`.execute(ctx.tx);
        return new Map(rows.map((r) => [r.household_id, r.category]));
      });
    const before = await outcomes();
    // A higher line from 2020 moves many households into deep hardship.
    await run((ctx) =>
      setParameter(
        ctx,
        SetParameter.parse({ key: 'dibaoMonthly', value: '500', org: ORG, validFrom: '2020-01-01' }),
      ),
    );
    const report = await evaluateAll(run, { org: ORG, asOf: '2020-06-30' });
    expect(report.evaluated).toBeGreaterThanOrEqual(HOUSEHOLDS);
    const after = await outcomes();
    const moved = [...after].filter(([id, category]) => before.get(id) !== category);
    expect(report.changed).toBe(moved.length);
    expect(moved.length).toBeGreaterThan(10);
    await run(async (ctx) => {
      const facts = new Map((await loadFacts(ctx, [...after.keys()])).map((h) => [h.id, h]));
      // Each stored decision is the TypeScript's on its own facts and policy.
      const org = await ctx.tx
        .selectFrom('orgs')
        .select('id')
        .where('code', '=', ORG)
        .executeTakeFirstOrThrow();
      const policy = await policyOf(ctx, org.id, ORG, '2020-06-30');
      const { rows: decisions } = await sql<{
        household_id: string;
        category: string | null;
        inputs: HouseholdFacts;
      }>`
        SELECT DISTINCT ON (e.household_id) e.household_id, e.category, coalesce(e.inputs, f.facts) AS inputs
        FROM evaluations e
        LEFT JOIN household_rule_facts f ON f.household_id = e.household_id AND f.facts_md5 = e.facts_md5
        WHERE e.org_id = ${org.id} AND e.as_of = '2020-06-30'
        ORDER BY e.household_id, e.created_at DESC`.execute(ctx.tx);
      expect(decisions.length).toBe(report.evaluated);
      for (const d of decisions) {
        expect(d.inputs, d.household_id).toEqual(facts.get(d.household_id)?.facts);
        expect(d.category, d.household_id).toBe(evaluateHousehold(d.inputs, policy, '2020-06-30').category);
      }
      let derived = 0;
      // Every household a decision was stored for (a new policy: all of them), its outcome changed or not.
      for (const [id, category] of after) {
        const h = facts.get(id);
        if (
          !h?.archive ||
          h.archive.urgencyManual ||
          h.archiveStatus === 'exited' ||
          h.archiveStatus === 'refused'
        )
          continue;
        const expected = deriveUrgency(
          {
            category: category as ArchiveCategory | null,
            causes: [h.facts.causes.primary ?? '', ...h.facts.causes.secondary],
            origin: h.archive.origin as ArchiveOrigin,
            openedOn: h.archive.openedOn,
            health: h.facts.people.map((p) => p.health),
          },
          todayInShanghai(),
        );
        expect({ id, urgency: h.archive.urgency, reason: h.archive.urgencyReason }).toEqual({
          id,
          urgency: expected.urgency,
          reason: expected.reason,
        });
        derived++;
      }
      expect(derived).toBeGreaterThan(10);
    });
  }, 60_000);
});
