/**
 * The identification policy's vocabulary (issue 4; DOMAIN.md "Identification standards"): the
 * parameters a rule set reads, the rule sets, the options an organisation may switch on and the
 * exclusions a household may carry. Values are stored as integers in the unit of their kind, so
 * that every comparison is exact: money in fen, ratios in ten-thousandths, counts as they are.
 */
import { z } from 'zod';

/** How a parameter's value is written and stored. */
export type ParameterKind =
  /** Yuan with at most two decimals, stored in fen: 300 → 30000. */
  | 'yuan'
  /** A decimal with at most four decimals, stored in ten-thousandths: 1.5 → 15000. */
  | 'ratio'
  /** A whole number of years, months, working days or years of age. */
  | 'count';

export interface ParameterDefinition {
  key: string;
  kind: ParameterKind;
  /** For a count: what it counts (shown after the value). */
  unit?: { zh: string; en: string };
  zh: string;
  en: string;
}

function definitions<const T extends readonly ParameterDefinition[]>(entries: T) {
  return entries;
}

/**
 * Every parameter a rule or a deadline reads. None has a value in code: each is dated, regional
 * data (`policy_parameters`), set with its source document.
 */
export const POLICY_PARAMETERS = definitions([
  {
    key: 'dibaoMonthly',
    kind: 'yuan',
    zh: '城市低保标准（元/人·月）',
    en: 'Urban minimum living standard (yuan per person per month)',
  },
  { key: 'minWageMonthly', kind: 'yuan', zh: '最低工资标准（元/月）', en: 'Minimum wage (yuan per month)' },
  {
    key: 'legacyMultiplier',
    kind: 'ratio',
    zh: '2013年标准：低保倍数',
    en: '2013 rule: multiple of the minimum living standard',
  },
  {
    key: 'relativeMultiplier',
    kind: 'ratio',
    zh: '相对困难：低保倍数',
    en: 'Relative hardship: multiple of the minimum living standard',
  },
  {
    key: 'accidentCostShare',
    kind: 'ratio',
    zh: '意外致困：刚性支出占收入比例',
    en: 'Hardship by accident: share of income spent on hardship costs',
  },
  {
    key: 'exitYearsWithoutObjectiveCause',
    kind: 'count',
    unit: { zh: '年', en: 'years' },
    zh: '无客观致困原因的建档年限',
    en: 'Years in the archive without an objective cause',
  },
  {
    key: 'exitMonthsAboveDibao',
    kind: 'count',
    unit: { zh: '个月', en: 'months' },
    zh: '人均收入连续高于低保的月数（脱困）',
    en: 'Consecutive months of per-capita income above the minimum living standard (exit)',
  },
  {
    key: 'publicityWorkingDays',
    kind: 'count',
    unit: { zh: '个工作日', en: 'working days' },
    zh: '公示期',
    en: 'Publicity period',
  },
  {
    key: 'livingAidMonthsDeep',
    kind: 'count',
    unit: { zh: '个月', en: 'months' },
    zh: '深度困难生活救助月数',
    en: 'Months of living aid, deep hardship',
  },
  {
    key: 'livingAidMonthsRelative',
    kind: 'count',
    unit: { zh: '个月', en: 'months' },
    zh: '相对困难生活救助月数',
    en: 'Months of living aid, relative hardship',
  },
  // Assistance (issue 5): the caps of the aid rules and the approval practice, DOMAIN.md.
  {
    key: 'medicalAidShareRelative',
    kind: 'ratio',
    zh: '相对困难医疗救助：自付部分的比例上限',
    en: 'Medical aid, relative hardship: share of the self-paid costs at most',
  },
  {
    key: 'medicalAidCumulativeCap',
    kind: 'yuan',
    zh: '医疗救助累计上限（元）',
    en: 'Medical aid, cumulative cap (yuan)',
  },
  {
    key: 'educationAidCapBasic',
    kind: 'yuan',
    zh: '助学救助上限：学前及义务教育（元/人·年）',
    en: 'Education aid cap, kindergarten and compulsory school (yuan per student and year)',
  },
  {
    key: 'educationAidCapHigher',
    kind: 'yuan',
    zh: '助学救助上限：高中及以上（元/人·年）',
    en: 'Education aid cap, high school and above (yuan per student and year)',
  },
  {
    key: 'trainingSubsidyCap',
    kind: 'yuan',
    zh: '培训补贴上限（元/人·年）',
    en: 'Training subsidy cap (yuan per person and year)',
  },
  {
    key: 'emergencyAidCap',
    kind: 'yuan',
    zh: '应急救助上限（元/户·年）',
    en: 'Emergency aid cap (yuan per household and year)',
  },
  {
    key: 'trainingShareOfCentralFunds',
    kind: 'ratio',
    zh: '中央财政帮扶资金用于培训的比例上限',
    en: 'Share of central-finance assistance funds that may pay for training, at most',
  },
  {
    key: 'grantSecondApprovalAbove',
    kind: 'yuan',
    zh: '帮扶金额超过此数需二级审批（元）',
    en: 'Grants above this amount need a second approver (yuan)',
  },
  {
    key: 'workingAgeFrom',
    kind: 'count',
    unit: { zh: '周岁', en: 'years of age' },
    zh: '劳动年龄下限（计入最低工资）',
    en: 'Working age from (minimum-wage imputation)',
  },
  {
    key: 'workingAgeTo',
    kind: 'count',
    unit: { zh: '周岁', en: 'years of age' },
    zh: '劳动年龄上限（不含）',
    en: 'Working age up to (not included)',
  },
]);
export type ParameterKey = (typeof POLICY_PARAMETERS)[number]['key'];
export const PARAMETER_KEYS = POLICY_PARAMETERS.map((p) => p.key) as [ParameterKey, ...ParameterKey[]];

export function parameterDefinition(key: ParameterKey): ParameterDefinition {
  return POLICY_PARAMETERS.find((p) => p.key === key) as ParameterDefinition;
}

/** The rule sets an organisation may choose (DOMAIN.md, generations 1 and 2). */
export const RULE_SETS = [
  {
    code: 'legacy-2013',
    zh: '2013年宁夏标准（宁工办发[2013]39号）',
    en: 'Ningxia 2013 rule (宁工办发[2013]39号)',
  },
  { code: 'national-2016', zh: '全国解困脱困标准（2016年起）', en: 'National rule of the 2016-2020 period' },
] as const;
export type RuleSet = (typeof RULE_SETS)[number]['code'];
export const ruleSetSchema = z.enum(['legacy-2013', 'national-2016']);

/**
 * Exclusions seen in local rules (DOMAIN.md): a household that has one is refused whatever its
 * income, where its organisation applies them.
 */
export const EXCLUSIONS = [
  {
    code: 'car',
    zh: '拥有或经常使用机动车（残疾人代步车除外）',
    en: 'Owns or regularly uses a car (not a disability aid)',
  },
  { code: 'homes', zh: '拥有两套及以上住房', en: 'Owns two or more homes' },
  { code: 'shareholder', zh: '企业控股股东', en: 'Controlling shareholder of a company' },
  {
    code: 'school',
    zh: '子女就读高收费私立学校或自费出国留学',
    en: 'Children at a high-fee private school or abroad at own expense',
  },
  { code: 'refused_verification', zh: '拒绝配合家庭经济状况核查', en: 'Refused verification of finances' },
  { code: 'falsified_income', zh: '隐瞒或虚报收入', en: 'Hid or falsified income' },
] as const;
export type Exclusion = (typeof EXCLUSIONS)[number]['code'];
export const exclusionSchema = z.enum([
  'car',
  'homes',
  'shareholder',
  'school',
  'refused_verification',
  'falsified_income',
]);

/** What an organisation may switch on, with its rule set. */
export const policyOptionsSchema = z
  .object({
    /** Count `minWageMonthly` × 12 as the income of each healthy, unemployed member of working age not in school. */
    imputeMinWage: z.boolean().default(false),
    /** Refuse a household with an exclusion whatever its income. */
    applyExclusions: z.boolean().default(false),
  })
  .strict();
export type PolicyOptions = z.infer<typeof policyOptionsSchema>;

const YUAN_TEXT = /^\d{1,9}(?:\.\d{1,2})?$/;
const RATIO_TEXT = /^\d{1,3}(?:\.\d{1,4})?$/;
const COUNT_TEXT = /^\d{1,4}$/;

/**
 * A parameter's value as written by a person ('300', '1.5', '5') to its stored integer, exactly:
 * yuan to fen, a ratio to ten-thousandths. Undefined when the text is not a value of that kind.
 */
export function parameterValueOf(key: ParameterKey, text: string): number | undefined {
  const t = text.trim();
  const kind = parameterDefinition(key).kind;
  const scaled = (whole: string, fraction: string | undefined, digits: number) =>
    Number(whole) * 10 ** digits + Number((fraction ?? '').padEnd(digits, '0'));
  if (kind === 'yuan' && YUAN_TEXT.test(t)) {
    const [w, f] = t.split('.');
    return scaled(w as string, f, 2);
  }
  if (kind === 'ratio' && RATIO_TEXT.test(t)) {
    const [w, f] = t.split('.');
    return scaled(w as string, f, 4);
  }
  if (kind === 'count' && COUNT_TEXT.test(t)) return Number(t);
  return undefined;
}

/** The stored integer back as a person writes it: 30000 (yuan) → '300', 15000 (ratio) → '1.5'. */
export function parameterValueText(key: ParameterKey, value: number): string {
  const kind = parameterDefinition(key).kind;
  const digits = kind === 'yuan' ? 2 : kind === 'ratio' ? 4 : 0;
  if (digits === 0) return String(value);
  const whole = Math.trunc(value / 10 ** digits);
  const fraction = String(value % 10 ** digits)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

const VALUE_HINT: Record<ParameterKind, string> = {
  yuan: 'an amount in yuan with at most two decimals, e.g. 300 or 312.50',
  ratio: 'a decimal with at most four decimals, e.g. 1.5 or 0.8',
  count: 'a whole number, e.g. 5',
};

export const ParameterKeySchema = z.enum(PARAMETER_KEYS);

/** A new version of a parameter: its value in force from a date (until another, or `validTo`). */
export const SetParameter = z
  .object({
    key: ParameterKeySchema,
    value: z.string().min(1),
    org: z.string().regex(/^[A-Za-z0-9-]{1,32}$/),
    validFrom: z.iso.date(),
    validTo: z.iso.date().optional(),
    source: z.string().trim().min(1).max(500).optional(),
  })
  .superRefine((v, ctx) => {
    if (parameterValueOf(v.key, v.value) === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${v.key} takes ${VALUE_HINT[parameterDefinition(v.key).kind]}`,
      });
    if (v.validTo !== undefined && v.validTo < v.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'validTo is before validFrom' });
  });
export type SetParameter = z.infer<typeof SetParameter>;

/** One stored version, with the organisation that set it. */
export const ParameterVersionView = z.object({
  id: z.uuid(),
  key: ParameterKeySchema,
  /** Stored integer (fen, ten-thousandths or a count). */
  value: z.number().int(),
  /** As a person writes it: '300', '1.5'. */
  valueText: z.string(),
  org: z.string(),
  orgName: z.string(),
  validFrom: z.iso.date(),
  validTo: z.iso.date().nullable(),
  source: z.string().nullable(),
});
export type ParameterVersionView = z.infer<typeof ParameterVersionView>;

/** A rule set chosen by an organisation from a date, with its options. */
export const SetRuleSet = z
  .object({
    ruleSet: ruleSetSchema,
    options: policyOptionsSchema.default({ imputeMinWage: false, applyExclusions: false }),
    org: z.string().regex(/^[A-Za-z0-9-]{1,32}$/),
    validFrom: z.iso.date(),
    validTo: z.iso.date().optional(),
    source: z.string().trim().min(1).max(500).optional(),
  })
  .refine((v) => v.validTo === undefined || v.validTo >= v.validFrom, {
    path: ['validTo'],
    message: 'validTo is before validFrom',
  });
export type SetRuleSet = z.infer<typeof SetRuleSet>;

export const RuleSetVersionView = z.object({
  id: z.uuid(),
  ruleSet: ruleSetSchema,
  options: policyOptionsSchema,
  org: z.string(),
  orgName: z.string(),
  validFrom: z.iso.date(),
  validTo: z.iso.date().nullable(),
  source: z.string().nullable(),
});
export type RuleSetVersionView = z.infer<typeof RuleSetVersionView>;

const ArchiveCategoryCode = z.enum([
  'deep',
  'relative',
  'accident',
  'legacy_general',
  'legacy_dibao',
  'legacy_dibao_edge',
]);

/** A parameter version as a decision used it (domain: ParameterVersion). */
export const ParameterVersionUsed = z.object({
  key: ParameterKeySchema,
  value: z.number().int(),
  orgCode: z.string(),
  validFrom: z.iso.date(),
  validTo: z.iso.date().nullable(),
  source: z.string().nullable(),
  id: z.uuid().optional(),
});

/** A decision with its trace (domain: Evaluation): amounts in fen, as exact decimal strings in the tests. */
export const EvaluationDecision = z
  .object({
    ruleSet: ruleSetSchema,
    asOf: z.iso.date(),
    eligible: z.boolean(),
    category: ArchiveCategoryCode.nullable(),
    perCapita: z.object({ monthlyIncomeFen: z.number().int(), monthlyNetIncomeFen: z.number().int() }),
    factors: z.array(z.object({ key: z.string(), value: z.number(), unit: z.enum(['fen', 'people']) })),
    parameters: z.array(ParameterVersionUsed),
    options: policyOptionsSchema,
    exclusions: z.array(exclusionSchema),
    tests: z.array(
      z.object({
        code: z.enum(['exclusion', 'legacy', 'deep', 'relative', 'accident_cause', 'accident_costs']),
        category: ArchiveCategoryCode.nullable(),
        left: z.string(),
        op: z.enum(['<=', '<', '>', 'none', 'any']),
        right: z.string(),
        result: z.boolean(),
        decisive: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'EvaluationDecision' });

const Explanation = z.object({ summary: z.string(), lines: z.array(z.string()) });

export const EVALUATION_REASONS = ['survey', 'review', 'demand', 'bulk'] as const;

/** A stored decision of a household, explained in both languages. */
export const HouseholdEvaluation = z
  .object({
    id: z.uuid(),
    asOf: z.iso.date(),
    reason: z.enum(EVALUATION_REASONS),
    evaluatedAt: z.iso.datetime(),
    evaluation: EvaluationDecision,
    explanation: z.object({ zh: Explanation, en: Explanation }),
  })
  .meta({ id: 'HouseholdEvaluation' });
export type HouseholdEvaluation = z.infer<typeof HouseholdEvaluation>;

export const EvaluateHousehold = z.object({
  /** Default: today in Shanghai. */
  asOf: z.iso.date().optional(),
});

export const PolicyVersionsQuery = z.object({
  org: z.string().regex(/^[A-Za-z0-9-]{1,32}$/),
  key: ParameterKeySchema.optional(),
});

/**
 * A policy file for a what-if simulation: a rule set, parameter values as people write them
 * (300, 1.5, "312.50"), and options. Parameters not named come from the values in force; options
 * not named are off. The values come out in stored units.
 */
export const PolicyFile = z
  .object({
    ruleSet: ruleSetSchema,
    parameters: z.partialRecord(ParameterKeySchema, z.union([z.number(), z.string()])).default({}),
    options: policyOptionsSchema.partial().default({}),
  })
  .strict()
  .transform((v, ctx) => {
    const parameters: Partial<Record<ParameterKey, number>> = {};
    for (const [key, raw] of Object.entries(v.parameters) as [ParameterKey, number | string][]) {
      const value = parameterValueOf(key, String(raw));
      if (value === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['parameters', key],
          message: `${key} takes ${VALUE_HINT[parameterDefinition(key).kind]}`,
        });
        continue;
      }
      parameters[key] = value;
    }
    return {
      ruleSet: v.ruleSet,
      parameters,
      options: { imputeMinWage: false, applyExclusions: false, ...v.options },
    };
  });
export type PolicyFile = z.output<typeof PolicyFile>;

/** Why a household is an exit candidate (domain: policy/exits.ts). */
export const ExitReasonFound = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('time_limit'), since: z.iso.date(), dueOn: z.iso.date() }),
  z.object({ reason: z.literal('income_above_dibao'), since: z.iso.date(), months: z.number().int() }),
]);

export const ExitCandidate = z
  .object({
    householdId: z.uuid(),
    archiveId: z.uuid(),
    headName: z.string(),
    headIdNumber: z.string().meta({ description: 'Masked' }),
    org: z.string(),
    orgName: z.string(),
    archivedOn: z.iso.date(),
    reasons: z.array(ExitReasonFound).min(1),
  })
  .meta({ id: 'ExitCandidate' });
export type ExitCandidate = z.infer<typeof ExitCandidate>;

export const ExitCandidatesQuery = z.object({
  /** Default: today in Shanghai. */
  asOf: z.iso.date().optional(),
  org: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,32}$/)
    .optional(),
});

/** A what-if simulation asked over HTTP: two policy files, the scope and the date. */
export const SimulationRequest = z.object({
  base: PolicyFile,
  proposal: PolicyFile,
  org: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,32}$/)
    .optional(),
  /** Default: today in Shanghai. */
  asOf: z.iso.date().optional(),
});

const SimulationSide = z.object({
  eligible: z.number().int(),
  byCategory: z.record(z.string(), z.number().int()),
  costFen: z.number().int(),
});
const Breakdown = z.record(z.string(), z.object({ entering: z.number().int(), leaving: z.number().int() }));

export const SimulationResultView = z
  .object({
    asOf: z.iso.date(),
    population: z.number().int(),
    base: SimulationSide,
    proposal: SimulationSide,
    entering: z.number().int(),
    leaving: z.number().int(),
    breakdown: z.object({ category: Breakdown, cause: Breakdown, org: Breakdown, migrant: Breakdown }),
    changedCount: z.number().int(),
    /** The first households whose decision differs, each with both decisions and their traces. */
    changed: z.array(
      z.object({
        household: z.object({
          id: z.uuid(),
          headName: z.string(),
          orgCode: z.string(),
          migrant: z.boolean(),
          primaryCause: z.string().nullable(),
        }),
        base: EvaluationDecision,
        proposal: EvaluationDecision,
      }),
    ),
  })
  .meta({ id: 'SimulationResult' });
