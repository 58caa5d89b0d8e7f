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
    private readonly keepChangedCount = 200,
    private readonly keepRowsCount = 0,
  ) {}

  /**
   * Adds `n` households alike in what the breakdowns read, by their outcomes alone (a category,
   * null when not eligible) and each one's yearly cost: a simulation counted in the database.
   */
  count(
    household: Omit<SimulatedHousehold, 'id' | 'headName'>,
    base: { category: string | null; costFen: number },
    proposal: { category: string | null; costFen: number },
    n = 1,
  ): void {
    const r = this.result;
    r.population += n;
    for (const [side, e] of [
      [r.base, base],
      [r.proposal, proposal],
    ] as const) {
      const key = e.category ?? 'ineligible';
      side.byCategory[key] = (side.byCategory[key] ?? 0) + n;
      if (e.category !== null) side.eligible += n;
      side.costFen += e.costFen * n;
    }
    const b = base.category;
    const p = proposal.category;
    const move = b === null && p !== null ? 'entering' : b !== null && p === null ? 'leaving' : null;
    if (move) {
      r[move] += n;
      const add = (table: Breakdown, key: string) => {
        const row = table[key] ?? { entering: 0, leaving: 0 };
        row[move] += n;
        table[key] = row;
      };
      add(r.breakdown.category, (move === 'entering' ? p : b) ?? 'ineligible');
      add(r.breakdown.cause, household.primaryCause ?? 'none');
      add(r.breakdown.org, household.orgCode);
      add(r.breakdown.migrant, household.migrant ? 'migrant' : 'local');
    }
    if (b !== p) r.changedCount += n;
  }

  /** Keeps a changed household with both decisions, up to the number kept. */
  keepChanged(household: SimulatedHousehold, base: Evaluation, proposal: Evaluation): void {
    if (this.result.changed.length < this.keepChangedCount)
      this.result.changed.push({ household, base, proposal });
  }

  /** Keeps a changed household in brief, up to the number kept. */
  keepRow(household: SimulatedHousehold, base: string | null, proposal: string | null): void {
    if (this.result.rows.length < this.keepRowsCount)
      this.result.rows.push({ household, base: base ?? 'ineligible', proposal: proposal ?? 'ineligible' });
  }

  /** Adds one household with both decisions. */
  add(
    household: SimulatedHousehold,
    base: { evaluation: Evaluation; costFen: number },
    proposal: { evaluation: Evaluation; costFen: number },
  ): void {
    const b = base.evaluation;
    const p = proposal.evaluation;
    this.count(
      household,
      { category: b.category, costFen: base.costFen },
      { category: p.category, costFen: proposal.costFen },
    );
    if (b.category !== p.category) {
      this.keepChanged(household, b, p);
      this.keepRow(household, b.category, p.category);
    }
  }

  total(): SimulationResult {
    return this.result;
  }
}
