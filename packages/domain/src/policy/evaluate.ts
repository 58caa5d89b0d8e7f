/**
 * The identification rule sets (DOMAIN.md "Identification standards"; issue 4) as pure functions:
 * a household's facts and a policy (rule set, the parameter versions in force, options) in, a
 * decision with its whole trace out. No I/O: the caller looks the parameters up.
 *
 * Every comparison is exact, on annual totals in fen: `income − deductions ≤ dibaoMonthly × 12 ×
 * size` is compared as integers (BigInt, ratios scaled by 10,000), never on a rounded monthly
 * per-capita figure. The per-capita figures are for reading only.
 */
import type {
  ArchiveCategory,
  Exclusion,
  HardshipCause,
  ParameterKey,
  PolicyOptions,
  RuleSet,
} from '@niangjia/contracts';
import { ageOn, type CalendarDate } from '../dates';
import type { Fen } from '../money';

/**
 * The version of the rule sets' code. Raised whenever a rule set's logic changes, so that a stored
 * decision tells which code made it (its trace is always recomputed by the code of the day).
 */
export const RULES_VERSION = 1;

/** Ratios are stored in ten-thousandths (contracts: ParameterKind 'ratio'). */
export const RATIO_SCALE = 10_000;

/** One dated value of a parameter, as found for the household's organisation on the date. */
export interface ParameterVersion {
  key: ParameterKey;
  /** In the unit of the parameter's kind: fen, ten-thousandths or a count. */
  value: number;
  /** The organisation whose value it is (the household's own or an ancestor). */
  orgCode: string;
  validFrom: CalendarDate;
  validTo: CalendarDate | null;
  source: string | null;
  /** The stored version's id, so that a decision names exactly what it used. */
  id?: string;
}

export type PolicyParameters = Partial<Record<ParameterKey, ParameterVersion>>;

export interface Policy {
  ruleSet: RuleSet;
  options: PolicyOptions;
  parameters: PolicyParameters;
}

/** A person of the household as the rules see them (the head is one of them). */
export interface PersonFacts {
  role: 'head' | 'member';
  name?: string;
  birthDate: CalendarDate;
  /** contracts HEALTH_STATES code, or null when not recorded. */
  health: string | null;
  /** contracts ACTIVITY_STATES code, or null when not recorded. */
  activity: string | null;
}

/** The survey's yearly figures (TEMPLATES.md §1), in fen. */
export interface HouseholdFacts {
  income: { wage: Fen; business: Fen; property: Fen; transfer: Fen; other: Fen };
  costs: {
    medical: Fen;
    disability: Fen;
    /** Schooling other than compulsory education. */
    education: Fen;
    housing: Fen;
    otherRigid: Fen;
    /** Necessary costs of going to work: deducted for relative hardship only. */
    employment: Fen;
  };
  /** The head and every member: the household's size is their number. */
  people: PersonFacts[];
  causes: { primary: HardshipCause | null; secondary: readonly HardshipCause[] };
  exclusions: readonly Exclusion[];
}

export type FactorKey =
  | 'wageIncome'
  | 'businessIncome'
  | 'propertyIncome'
  | 'transferIncome'
  | 'otherIncome'
  | 'imputedIncome'
  | 'income'
  | 'medicalCost'
  | 'disabilityCost'
  | 'educationCost'
  | 'housingCost'
  | 'otherRigidCost'
  | 'deductions'
  | 'employmentCost'
  | 'hardshipCosts'
  | 'size'
  | 'imputedPeople';

/** A figure the tests read: money in fen, or a number of people. */
export interface Factor {
  key: FactorKey;
  value: number;
  unit: 'fen' | 'people';
}

export type TestCode = 'exclusion' | 'legacy' | 'deep' | 'relative' | 'accident_cause' | 'accident_costs';

/**
 * One comparison of the trace. Amounts are exact decimal strings of fen ('1620000' or
 * '1234.5678'): a ratio times an amount need not be a whole number of fen.
 */
export interface Test {
  code: TestCode;
  /** The category a passing test gives, if it decides one. */
  category: ArchiveCategory | null;
  left: string;
  op: '<=' | '<' | '>' | 'none' | 'any';
  right: string;
  result: boolean;
  /** Whether this test decided the outcome (the first that gave a category, or an exclusion). */
  decisive: boolean;
}

export interface Evaluation {
  ruleSet: RuleSet;
  asOf: CalendarDate;
  eligible: boolean;
  category: ArchiveCategory | null;
  /** For reading only, rounded to the fen (half up); the decision used the exact annual totals. */
  perCapita: {
    /** Income ÷ size ÷ 12. */
    monthlyIncomeFen: Fen;
    /** (Income − deductions) ÷ size ÷ 12: the national rule's measure. */
    monthlyNetIncomeFen: Fen;
  };
  factors: Factor[];
  /** The parameter versions the rule set read, in the order it read them. */
  parameters: ParameterVersion[];
  options: PolicyOptions;
  exclusions: Exclusion[];
  tests: Test[];
}

/** A rule set needs a value that has none in force for the household's organisation on the date. */
export class MissingParameterError extends Error {
  constructor(
    readonly keys: ParameterKey[],
    readonly ruleSet: RuleSet,
  ) {
    super(`no value in force for ${keys.join(', ')} (rule set ${ruleSet})`);
    this.name = 'MissingParameterError';
  }
}

/** Causes that make a household's hardship an accident's (DOMAIN.md: 6, 7, 8). */
export const ACCIDENT_CAUSES: readonly HardshipCause[] = ['6', '7', '8'];

const sum = (...values: Fen[]) => values.reduce((a, b) => a + b, 0);

/** Exact decimal text of `n / scale` for a positive power-of-ten scale. */
function decimal(n: bigint, scale: bigint): string {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const whole = abs / scale;
  const rest = abs % scale;
  const digits = scale.toString().length - 1;
  const fraction = rest === 0n ? '' : `.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** a ÷ b rounded half up (away from zero), for the per-capita figures shown. */
function roundedDivision(a: number, b: number): number {
  const q = Math.abs(a) / b;
  const r = Math.floor(q + 0.5);
  return a < 0 ? -r : r;
}

/** Whether a person's income is imputed at the minimum wage: of working age, healthy, unemployed, not in school. */
function imputable(person: PersonFacts, asOf: CalendarDate, from: number, to: number): boolean {
  const age = ageOn(person.birthDate, asOf);
  return age >= from && age < to && person.health === 'healthy' && person.activity === 'unemployed';
}

const NEEDS: Record<RuleSet, ParameterKey[]> = {
  'legacy-2013': ['dibaoMonthly', 'legacyMultiplier'],
  'national-2016': ['dibaoMonthly', 'relativeMultiplier', 'accidentCostShare'],
};
const IMPUTATION_NEEDS: ParameterKey[] = ['minWageMonthly', 'workingAgeFrom', 'workingAgeTo'];

/** The parameters a rule set reads with these options, in the order it reads them. */
export const parametersNeeded = (ruleSet: RuleSet, options: PolicyOptions): ParameterKey[] => [
  ...NEEDS[ruleSet],
  ...(options.imputeMinWage ? IMPUTATION_NEEDS : []),
];

/**
 * Evaluates a household under a policy on a date. Every test of the rule set is run and kept in
 * the trace; the first that gives a category decides (an exclusion, where applied, refuses first).
 * Throws MissingParameterError when a parameter the rule set reads has no version.
 */
export function evaluateHousehold(facts: HouseholdFacts, policy: Policy, asOf: CalendarDate): Evaluation {
  const { ruleSet, options } = policy;
  const needs = parametersNeeded(ruleSet, options);
  const missing = needs.filter((k) => policy.parameters[k] === undefined);
  if (missing.length > 0) throw new MissingParameterError(missing, ruleSet);
  const used = needs.map((k) => policy.parameters[k] as ParameterVersion);
  const param = (k: ParameterKey) => BigInt((policy.parameters[k] as ParameterVersion).value);

  const size = facts.people.length;
  if (size < 1) throw new RangeError('a household has at least its head');
  const imputedPeople = options.imputeMinWage
    ? facts.people.filter((p) =>
        imputable(
          p,
          asOf,
          (policy.parameters.workingAgeFrom as ParameterVersion).value,
          (policy.parameters.workingAgeTo as ParameterVersion).value,
        ),
      ).length
    : 0;
  const imputedIncome = options.imputeMinWage
    ? imputedPeople * 12 * (policy.parameters.minWageMonthly as ParameterVersion).value
    : 0;
  const { income: i, costs: c } = facts;
  const income = sum(i.wage, i.business, i.property, i.transfer, i.other, imputedIncome);
  const deductions = sum(c.medical, c.disability, c.education, c.housing, c.otherRigid);
  const hardshipCosts = sum(c.medical, c.disability, c.otherRigid);

  const factors: Factor[] = [
    { key: 'wageIncome', value: i.wage, unit: 'fen' },
    { key: 'businessIncome', value: i.business, unit: 'fen' },
    { key: 'propertyIncome', value: i.property, unit: 'fen' },
    { key: 'transferIncome', value: i.transfer, unit: 'fen' },
    { key: 'otherIncome', value: i.other, unit: 'fen' },
    ...(options.imputeMinWage
      ? ([
          { key: 'imputedPeople', value: imputedPeople, unit: 'people' },
          { key: 'imputedIncome', value: imputedIncome, unit: 'fen' },
        ] as const)
      : []),
    { key: 'income', value: income, unit: 'fen' },
  ];
  if (ruleSet === 'national-2016') {
    factors.push(
      { key: 'medicalCost', value: c.medical, unit: 'fen' },
      { key: 'disabilityCost', value: c.disability, unit: 'fen' },
      { key: 'educationCost', value: c.education, unit: 'fen' },
      { key: 'housingCost', value: c.housing, unit: 'fen' },
      { key: 'otherRigidCost', value: c.otherRigid, unit: 'fen' },
      { key: 'deductions', value: deductions, unit: 'fen' },
      { key: 'employmentCost', value: c.employment, unit: 'fen' },
      { key: 'hardshipCosts', value: hardshipCosts, unit: 'fen' },
    );
  }
  factors.push({ key: 'size', value: size, unit: 'people' });

  const tests: Test[] = [];
  const exclusions = options.applyExclusions ? [...new Set(facts.exclusions)] : [];
  if (options.applyExclusions) {
    tests.push({
      code: 'exclusion',
      category: null,
      left: exclusions.join(','),
      op: 'none',
      right: '',
      result: exclusions.length === 0,
      decisive: false,
    });
  }
  // The poverty line of the household for a year, in fen: 低保 × 12 × size.
  const line = param('dibaoMonthly') * 12n * BigInt(size);
  const scale = BigInt(RATIO_SCALE);
  const fen = (n: number | bigint) => decimal(BigInt(n), 1n);
  if (ruleSet === 'legacy-2013') {
    const limit = param('legacyMultiplier') * line; // × 10,000
    tests.push({
      code: 'legacy',
      category: 'legacy_general',
      left: fen(income),
      op: '<=',
      right: decimal(limit, scale),
      result: BigInt(income) * scale <= limit,
      decisive: false,
    });
  } else {
    const net = BigInt(income - deductions);
    tests.push({
      code: 'deep',
      category: 'deep',
      left: fen(net),
      op: '<=',
      right: fen(line),
      result: net <= line,
      decisive: false,
    });
    const netOfWork = net - BigInt(c.employment);
    const relativeLimit = param('relativeMultiplier') * line; // × 10,000
    tests.push({
      code: 'relative',
      category: 'relative',
      left: fen(netOfWork),
      op: '<',
      right: decimal(relativeLimit, scale),
      result: netOfWork * scale < relativeLimit,
      decisive: false,
    });
    const causes = [facts.causes.primary, ...facts.causes.secondary].filter(
      (x): x is HardshipCause => x !== null,
    );
    const accidentCauses = causes.filter((x) => ACCIDENT_CAUSES.includes(x));
    tests.push({
      code: 'accident_cause',
      category: null,
      left: accidentCauses.join(','),
      op: 'any',
      right: ACCIDENT_CAUSES.join(','),
      result: accidentCauses.length > 0,
      decisive: false,
    });
    const costLimit = param('accidentCostShare') * BigInt(income); // × 10,000
    tests.push({
      code: 'accident_costs',
      // Given only with the cause test passed too (`gives`).
      category: 'accident',
      left: fen(hardshipCosts),
      op: '>',
      right: decimal(costLimit, scale),
      result: BigInt(hardshipCosts) * scale > costLimit,
      decisive: false,
    });
  }

  const causeFound = tests.some((t) => t.code === 'accident_cause' && t.result);
  const gives = (t: Test) => t.result && t.category !== null && (t.code !== 'accident_costs' || causeFound);
  const excluded = exclusions.length > 0;
  let category: ArchiveCategory | null = null;
  if (excluded) {
    (tests[0] as Test).decisive = true;
  } else {
    const first = tests.find(gives);
    if (first) {
      first.decisive = true;
      category = first.category;
    }
  }

  const months = 12 * size;
  return {
    ruleSet,
    asOf,
    eligible: category !== null,
    category,
    perCapita: {
      monthlyIncomeFen: roundedDivision(income, months),
      monthlyNetIncomeFen: roundedDivision(income - deductions, months),
    },
    factors,
    parameters: used,
    options,
    exclusions,
    tests,
  };
}
