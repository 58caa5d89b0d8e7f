/**
 * What-if simulation (issue 4): a base policy and a proposal, each a rule set with parameter
 * overrides and options, evaluated side by side over a population. Pure: the caller streams the
 * households and the parameters in force; nothing is written.
 */
import type { ParameterKey, PolicyOptions, RuleSet } from '@niangjia/contracts';
import type { CalendarDate } from '../dates';
import type { Evaluation, ParameterVersion, Policy, PolicyParameters } from './evaluate';

/** A policy as a policy file states it: parameters not named come from the stored values in force. */
export interface PolicyProposal {
  ruleSet: RuleSet;
  /** Overrides, in stored units (fen, ten-thousandths, counts). */
  parameters: Partial<Record<ParameterKey, number>>;
  options: PolicyOptions;
}

/** The organisation code a decision names for a value the proposal gave. */
export const PROPOSED = 'proposal';

/** The proposal applied over the parameters in force: each override is a version of its own. */
export function policyWith(inForce: PolicyParameters, proposal: PolicyProposal, asOf: CalendarDate): Policy {
  const parameters: PolicyParameters = { ...inForce };
  for (const [key, value] of Object.entries(proposal.parameters) as [ParameterKey, number][]) {
    parameters[key] = { key, value, orgCode: PROPOSED, validFrom: asOf, validTo: null, source: null };
  }
  return { ruleSet: proposal.ruleSet, options: proposal.options, parameters };
}

/**
 * The yearly living aid a decision implies, in fen (issue 4: livingAidMonths × 低保 per
 * household): deep hardship `livingAidMonthsDeep` months, every other category
 * `livingAidMonthsRelative`, none when not eligible. Undefined when a parameter it needs is missing.
 */
export function livingAidFen(e: Evaluation, parameters: PolicyParameters): number | undefined {
  if (!e.eligible) return 0;
  const months: ParameterVersion | undefined =
    e.category === 'deep' ? parameters.livingAidMonthsDeep : parameters.livingAidMonthsRelative;
  const dibao = parameters.dibaoMonthly;
  if (!months || !dibao) return undefined;
  return months.value * dibao.value;
}

export interface SimulationSide {
  eligible: number;
  byCategory: Record<string, number>;
  costFen: number;
}

/** A household as the breakdowns see it. */
export interface SimulatedHousehold {
  id: string;
  headName: string;
  orgCode: string;
  migrant: boolean;
  primaryCause: string | null;
}

export type Breakdown = Record<string, { entering: number; leaving: number }>;

export interface SimulationResult {
  population: number;
  base: SimulationSide;
  proposal: SimulationSide;
  entering: number;
  leaving: number;
  /** Entering and leaving households by category (the proposal's for those entering, the base's for those leaving), primary cause, organisation and migrant status. */
  breakdown: { category: Breakdown; cause: Breakdown; org: Breakdown; migrant: Breakdown };
  /** Households whose decision differs (eligibility or category), up to the kept number. */
  changed: { household: SimulatedHousehold; base: Evaluation; proposal: Evaluation }[];
  /** How many decisions differ in all (entering, leaving, or another category). */
  changedCount: number;
  /** Every household whose decision differs, in brief, up to the kept number (for an export). */
  rows: { household: SimulatedHousehold; base: string; proposal: string }[];
}

const outcome = (e: Evaluation) => e.category ?? 'ineligible';

/** Adds up a simulation household by household. */
export class SimulationTally {
  private readonly result: SimulationResult = {
    population: 0,
    base: { eligible: 0, byCategory: {}, costFen: 0 },
    proposal: { eligible: 0, byCategory: {}, costFen: 0 },
    entering: 0,
    leaving: 0,
    breakdown: { category: {}, cause: {}, org: {}, migrant: {} },
    changed: [],
    changedCount: 0,
    rows: [],
  };

  constructor(
    private readonly keepChanged = 200,
    private readonly keepRows = 0,
  ) {}

  add(
    household: SimulatedHousehold,
    base: { evaluation: Evaluation; costFen: number },
    proposal: { evaluation: Evaluation; costFen: number },
  ): void {
    const r = this.result;
    r.population++;
    for (const [side, e] of [
      [r.base, base],
      [r.proposal, proposal],
    ] as const) {
      const key = outcome(e.evaluation);
      side.byCategory[key] = (side.byCategory[key] ?? 0) + 1;
      if (e.evaluation.eligible) side.eligible++;
      side.costFen += e.costFen;
    }
    const b = base.evaluation;
    const p = proposal.evaluation;
    const move = !b.eligible && p.eligible ? 'entering' : b.eligible && !p.eligible ? 'leaving' : null;
    if (move) {
      r[move]++;
      const count = (table: Breakdown, key: string) => {
        const row = table[key] ?? { entering: 0, leaving: 0 };
        row[move]++;
        table[key] = row;
      };
      count(r.breakdown.category, outcome(move === 'entering' ? p : b));
      count(r.breakdown.cause, household.primaryCause ?? 'none');
      count(r.breakdown.org, household.orgCode);
      count(r.breakdown.migrant, household.migrant ? 'migrant' : 'local');
    }
    if (outcome(b) !== outcome(p)) {
      r.changedCount++;
      if (r.changed.length < this.keepChanged) r.changed.push({ household, base: b, proposal: p });
      if (r.rows.length < this.keepRows) r.rows.push({ household, base: outcome(b), proposal: outcome(p) });
    }
  }

  total(): SimulationResult {
    return this.result;
  }
}
