import type { HardshipCause, ParameterKey, PolicyOptions, RuleSet } from '@niangjia/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeEvaluation, formatFenText } from './describe';
import {
  evaluateHousehold,
  type HouseholdFacts,
  MissingParameterError,
  type ParameterVersion,
  type PersonFacts,
  type Policy,
} from './evaluate';

const ASOF = '2015-06-30';

const version = (key: ParameterKey, value: number): ParameterVersion => ({
  key,
  value,
  orgCode: '640104',
  validFrom: '2015-01-01',
  validTo: null,
  source: '示例',
});

/** The founding report's values: 低保 300 yuan, the multipliers of the rules as written. */
const PARAMETERS = {
  dibaoMonthly: version('dibaoMonthly', 30_000),
  minWageMonthly: version('minWageMonthly', 110_000),
  legacyMultiplier: version('legacyMultiplier', 15_000),
  relativeMultiplier: version('relativeMultiplier', 20_000),
  accidentCostShare: version('accidentCostShare', 8_000),
  workingAgeFrom: version('workingAgeFrom', 16),
  workingAgeTo: version('workingAgeTo', 60),
};

const policy = (ruleSet: RuleSet, options: Partial<PolicyOptions> = {}, parameters = {}): Policy => ({
  ruleSet,
  options: { imputeMinWage: false, applyExclusions: false, ...options },
  parameters: { ...PARAMETERS, ...parameters },
});

const person = (
  role: PersonFacts['role'],
  birthDate: string,
  more: Partial<PersonFacts> = {},
): PersonFacts => ({
  role,
  birthDate,
  health: 'healthy',
  activity: 'employed',
  ...more,
});

function household(
  more: Partial<Omit<HouseholdFacts, 'income' | 'costs'>> & {
    income?: Partial<HouseholdFacts['income']>;
    costs?: Partial<HouseholdFacts['costs']>;
  } = {},
): HouseholdFacts {
  return {
    people: more.people ?? [person('head', '1975-03-01')],
    causes: more.causes ?? { primary: '3', secondary: [] },
    exclusions: more.exclusions ?? [],
    income: { wage: 0, business: 0, property: 0, transfer: 0, other: 0, ...more.income },
    costs: {
      medical: 0,
      disability: 0,
      education: 0,
      housing: 0,
      otherRigid: 0,
      employment: 0,
      ...more.costs,
    },
  };
}

/** The founding report's family: husband, wife and child; 1,800 yuan a month of wages. */
const family = (costs: Partial<HouseholdFacts['costs']> = {}) =>
  household({
    people: [
      person('head', '1975-03-01'),
      person('member', '1977-05-05', { activity: 'unable', health: 'chronic' }),
      person('member', '2005-09-09', { activity: 'student' }),
    ],
    income: { wage: 180_000 * 12 },
    costs,
  });

describe('the founding report’s worked example', () => {
  it('is refused by the 2013 rule: 600 yuan a person and month is more than 1.5 × 300', () => {
    const e = evaluateHousehold(family(), policy('legacy-2013'), ASOF);
    expect(e).toMatchObject({ eligible: false, category: null, perCapita: { monthlyIncomeFen: 60_000 } });
    expect(e.tests).toEqual([
      {
        code: 'legacy',
        category: 'legacy_general',
        left: '2160000',
        op: '<=',
        right: '1620000',
        result: false,
        decisive: false,
      },
    ]);
  });

  it('is relative hardship under the national rule with 3,600 yuan of rent a year: 500 < 2 × 300', () => {
    const e = evaluateHousehold(family({ housing: 360_000 }), policy('national-2016'), ASOF);
    expect(e).toMatchObject({
      eligible: true,
      category: 'relative',
      perCapita: { monthlyIncomeFen: 60_000, monthlyNetIncomeFen: 50_000 },
    });
    expect(e.tests.map((t) => [t.code, t.left, t.op, t.right, t.result, t.decisive])).toEqual([
      ['deep', '1800000', '<=', '1080000', false, false],
      ['relative', '1800000', '<', '2160000', true, true],
      ['accident_cause', '', 'any', '6,7,8', false, false],
      ['accident_costs', '0', '>', '1728000', false, false],
    ]);
    expect(e.parameters.map((p) => p.key)).toEqual([
      'dibaoMonthly',
      'relativeMultiplier',
      'accidentCostShare',
    ]);
  });

  it('reads in plain Chinese and English', () => {
    const e = evaluateHousehold(family({ housing: 360_000 }), policy('national-2016'), ASOF);
    const zh = describeEvaluation(e, 'zh');
    expect(zh.summary).toBe(
      '按全国解困脱困标准（2016年起），截至2015-06-30：认定为相对困难（人均月收入600.00元）。',
    );
    expect(zh.lines).toContain(
      '相对困难：收入减刚性支出和就业成本 18,000.00元 < 2倍 × 低保300.00元 × 12个月 × 3人 = 21,600.00元？是（据此认定）',
    );
    expect(zh.lines).toContain('城市低保标准（元/人·月）：300.00元（640104，2015-01-01起，依据：示例）');
    const en = describeEvaluation(e, 'en');
    expect(en.summary).toContain('relative hardship');
    expect(en.lines).toContain('Housing costs: ¥3,600.00');
  });
});

describe('the rules’ comparisons are exact, on annual totals', () => {
  const one = (net: number, rule: RuleSet = 'national-2016', parameters = {}) =>
    evaluateHousehold(household({ income: { wage: net } }), policy(rule, {}, parameters), ASOF);

  it('deep hardship includes its line; relative hardship excludes its own', () => {
    // One person: the deep line is 300 × 12 = 3,600 yuan, the relative one 7,200.
    expect(one(360_000).category).toBe('deep');
    expect(one(360_001).category).toBe('relative');
    expect(one(719_999).category).toBe('relative');
    expect(one(720_000).category).toBe(null);
  });

  it('compares a multiple that is not a whole number of fen without rounding it', () => {
    // 低保 300.01 yuan: 360,012 fen a year for one person; × 1.2345 = 444,434.814 fen.
    const parameters = {
      legacyMultiplier: version('legacyMultiplier', 12_345),
      dibaoMonthly: version('dibaoMonthly', 30_001),
    };
    const legacy = (wage: number) =>
      evaluateHousehold(household({ income: { wage } }), policy('legacy-2013', {}, parameters), ASOF);
    expect(legacy(444_434).tests[0]).toMatchObject({ right: '444434.814', result: true });
    expect(legacy(444_435).tests[0]).toMatchObject({ result: false });
    expect(formatFenText('444434.814')).toBe('4,444.34814元');
  });

  it('counts negative business income as it is', () => {
    const e = evaluateHousehold(
      household({ income: { wage: 500_000, business: -200_000 } }),
      policy('national-2016'),
      ASOF,
    );
    expect(e.factors.find((f) => f.key === 'income')?.value).toBe(300_000);
    expect(e.category).toBe('deep');
  });
});

describe('hardship by accident', () => {
  const accident = (causes: HouseholdFacts['causes'], medical: number) =>
    evaluateHousehold(
      household({ causes, income: { wage: 5_000_000 }, costs: { medical } }),
      policy('national-2016'),
      ASOF,
    );

  it('needs a cause of illness, disaster or accident and costs over the share of income', () => {
    // Income 50,000 yuan; its 80 % is 40,000; costs deducted leave 10,000 (deep, first) unless small.
    expect(accident({ primary: '6', secondary: [] }, 4_000_001).category).toBe('accident');
    expect(accident({ primary: '3', secondary: ['8'] }, 4_000_001).category).toBe('accident');
    expect(accident({ primary: '3', secondary: [] }, 4_000_001).category).toBe(null);
    expect(accident({ primary: '6', secondary: [] }, 4_000_000).category).toBe(null);
  });

  it('comes after deep and relative hardship: the first category that matches wins', () => {
    const e = accident({ primary: '7', secondary: [] }, 4_900_000);
    expect(e.category).toBe('deep');
    expect(e.tests.filter((t) => t.result).map((t) => t.code)).toEqual([
      'deep',
      'relative',
      'accident_cause',
      'accident_costs',
    ]);
    expect(e.tests.filter((t) => t.decisive).map((t) => t.code)).toEqual(['deep']);
  });
});

describe('options', () => {
  it('refuses a household with an exclusion whatever its income, only where exclusions apply', () => {
    const poor = household({ exclusions: ['car'] });
    expect(evaluateHousehold(poor, policy('national-2016'), ASOF).category).toBe('deep');
    const e = evaluateHousehold(poor, policy('national-2016', { applyExclusions: true }), ASOF);
    expect(e).toMatchObject({ eligible: false, category: null, exclusions: ['car'] });
    expect(e.tests[0]).toMatchObject({ code: 'exclusion', result: false, decisive: true });
    expect(describeEvaluation(e).lines).toContain(
      '排除情形：拥有或经常使用机动车（残疾人代步车除外）。符合条件？否（据此认定）',
    );
  });

  it('counts the minimum wage for each healthy, unemployed member of working age not in school', () => {
    const people = [
      person('head', '1975-03-01', { activity: 'unemployed' }), // 40: counted
      person('member', '1999-07-01', { activity: 'unemployed' }), // 16 on the day: counted
      person('member', '1999-07-02', { activity: 'unemployed' }), // 15: not
      person('member', '1955-07-01', { activity: 'unemployed' }), // 60: not
      person('member', '1990-01-01', { activity: 'unemployed', health: 'chronic' }), // ill: not
      person('member', '1996-01-01', { activity: 'student' }), // in school: not
      person('member', '1980-01-01', { activity: 'unemployed', health: null }), // unknown: not
    ];
    const facts = household({ people, income: { wage: 100_000 } });
    const plain = evaluateHousehold(facts, policy('national-2016'), ASOF);
    expect(plain.factors.find((f) => f.key === 'income')?.value).toBe(100_000);
    const imputed = evaluateHousehold(facts, policy('national-2016', { imputeMinWage: true }), ASOF);
    expect(imputed.factors.filter((f) => f.key.startsWith('imputed') || f.key === 'income')).toEqual([
      { key: 'imputedPeople', value: 2, unit: 'people' },
      { key: 'imputedIncome', value: 2 * 12 * 110_000, unit: 'fen' },
      { key: 'income', value: 100_000 + 2 * 12 * 110_000, unit: 'fen' },
    ]);
    expect(imputed.parameters.map((p) => p.key)).toContain('minWageMonthly');
  });

  it('names every parameter it lacks', () => {
    const bare: Policy = {
      ruleSet: 'national-2016',
      options: { imputeMinWage: true, applyExclusions: false },
      parameters: { dibaoMonthly: PARAMETERS.dibaoMonthly },
    };
    expect(() => evaluateHousehold(household(), bare, ASOF)).toThrow(MissingParameterError);
    try {
      evaluateHousehold(household(), bare, ASOF);
    } catch (err) {
      expect((err as MissingParameterError).keys).toEqual([
        'relativeMultiplier',
        'accidentCostShare',
        'minWageMonthly',
        'workingAgeFrom',
        'workingAgeTo',
      ]);
    }
  });
});

describe('against the rules as DOMAIN.md writes them (per person and month)', () => {
  /** An independent reading: per-capita monthly figures as exact fractions, compared to 低保. */
  function reference(f: HouseholdFacts, dibao: number, relative: number, share: number) {
    const size = BigInt(f.people.length);
    const income = Object.values(f.income).reduce((a, b) => a + BigInt(b), 0n);
    const { medical, disability, education, housing, otherRigid, employment } = f.costs;
    const net = income - BigInt(medical + disability + education + housing + otherRigid);
    // net / size / 12 ≤ dibao  ⇔  net ≤ dibao · size · 12 (size, 12 > 0)
    if (net <= BigInt(dibao) * size * 12n) return 'deep';
    // (net − employment) / size / 12 < relative/10⁴ · dibao
    if ((net - BigInt(employment)) * 10_000n < BigInt(relative) * BigInt(dibao) * size * 12n)
      return 'relative';
    const causes = [f.causes.primary, ...f.causes.secondary];
    const costs = BigInt(medical + disability + otherRigid);
    if (causes.some((c) => c === '6' || c === '7' || c === '8') && costs * 10_000n > BigInt(share) * income)
      return 'accident';
    return null;
  }

  const fen = fc.integer({ min: 0, max: 20_000_000 });
  const facts = fc.record({
    size: fc.integer({ min: 1, max: 8 }),
    income: fc.record({
      wage: fen,
      business: fc.integer({ min: -2_000_000, max: 5_000_000 }),
      property: fen,
      transfer: fen,
      other: fen,
    }),
    costs: fc.record({
      medical: fen,
      disability: fen,
      education: fen,
      housing: fen,
      otherRigid: fen,
      employment: fen,
    }),
    causes: fc.record({
      primary: fc.constantFrom<HardshipCause>('1', '2', '3', '6', '7', '8', '10'),
      secondary: fc.uniqueArray(fc.constantFrom<HardshipCause>('4', '5', '6', '8', '9'), { maxLength: 3 }),
    }),
  });

  it('gives the same category for any household and parameters', () => {
    fc.assert(
      fc.property(
        facts,
        fc.integer({ min: 10_000, max: 200_000 }),
        fc.integer({ min: 10_000, max: 40_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (f, dibao, relative, share) => {
          const h = household({
            people: Array.from({ length: f.size }, (_, i) =>
              person(i === 0 ? 'head' : 'member', '1980-01-01'),
            ),
            income: f.income,
            costs: f.costs,
            causes: f.causes,
          });
          const e = evaluateHousehold(
            h,
            policy(
              'national-2016',
              {},
              {
                dibaoMonthly: version('dibaoMonthly', dibao),
                relativeMultiplier: version('relativeMultiplier', relative),
                accidentCostShare: version('accidentCostShare', share),
              },
            ),
            ASOF,
          );
          expect(e.category).toBe(reference(h, dibao, relative, share));
          expect(e.eligible).toBe(e.category !== null);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
