/**
 * Exit candidates (issue 4; DOMAIN.md "Exit"; the founding report's time-limited exit): archived
 * households that the rules say may be ready to leave the archive. Exiting stays a human decision:
 * this only lists them, each with its reason.
 *
 * - `time_limit`: no objective cause (1, 6, 7, 8, or a disabled member) for longer than
 *   `exitYearsWithoutObjectiveCause` years since archiving.
 * - `income_above_dibao`: the recorded monthly per-capita income above the 低保 line in force at
 *   each record for `exitMonthsAboveDibao` consecutive months: from the first record of the
 *   unbroken run above the line that the latest record ends, to the date, at least that many months.
 */
import { OBJECTIVE_CAUSES } from '@niangjia/contracts';
import { addYears, type CalendarDate } from '../dates';

/** A record of the household's income: the survey, a visit or a review. */
export interface IncomeRecord {
  on: CalendarDate;
  /** The household's monthly income in all, in fen. */
  monthlyIncomeFen: number;
  /** The household's size on that day. */
  size: number;
  /** The 低保 line per person and month in force that day for the household, in fen. */
  dibaoMonthlyFen: number;
}

export interface ExitFacts {
  archivedOn: CalendarDate;
  causes: readonly string[];
  /** Whether the head or a member lives with a disability. */
  disabledMember: boolean;
  incomes: readonly IncomeRecord[];
}

export interface ExitRules {
  exitYearsWithoutObjectiveCause: number;
  exitMonthsAboveDibao: number;
}

export type ExitCandidacy =
  | { reason: 'time_limit'; since: CalendarDate; dueOn: CalendarDate }
  | { reason: 'income_above_dibao'; since: CalendarDate; months: number };

/** Whole months from one day to another (31 January to 28 February is not yet a month). */
export function monthsBetween(from: CalendarDate, to: CalendarDate): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  let months = (ty - fy) * 12 + (tm - fm);
  if (td < fd) months--;
  return months;
}

/** Above the line: monthly income > 低保 × size, compared in fen without dividing. */
const above = (r: IncomeRecord) => r.monthlyIncomeFen > r.dibaoMonthlyFen * r.size;

/** Why an archived household is an exit candidate on a date; empty when it is not. */
export function exitCandidacy(facts: ExitFacts, rules: ExitRules, asOf: CalendarDate): ExitCandidacy[] {
  const out: ExitCandidacy[] = [];
  const objective =
    facts.disabledMember || facts.causes.some((c) => (OBJECTIVE_CAUSES as readonly string[]).includes(c));
  if (!objective) {
    const dueOn = addYears(facts.archivedOn, rules.exitYearsWithoutObjectiveCause);
    // "Longer than" the limit: the day after the anniversary.
    if (asOf > dueOn) out.push({ reason: 'time_limit', since: facts.archivedOn, dueOn });
  }
  const known = facts.incomes
    .filter((r) => r.on <= asOf)
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  let start: IncomeRecord | undefined;
  for (let i = known.length - 1; i >= 0 && above(known[i] as IncomeRecord); i--) start = known[i];
  if (start) {
    const months = monthsBetween(start.on, asOf);
    if (months >= rules.exitMonthsAboveDibao)
      out.push({ reason: 'income_above_dibao', since: start.on, months });
  }
  return out;
}
