import { describe, expect, it } from 'vitest';
import { type ExitFacts, exitCandidacy, type IncomeRecord, monthsBetween } from './exits';

const RULES = { exitYearsWithoutObjectiveCause: 5, exitMonthsAboveDibao: 6 };
/** A family of three; 低保 300 yuan: the line is 900 yuan a month for the household. */
const income = (on: string, yuan: number): IncomeRecord => ({
  on,
  monthlyIncomeFen: yuan * 100,
  size: 3,
  dibaoMonthlyFen: 30_000,
});
const facts = (more: Partial<ExitFacts> = {}): ExitFacts => ({
  archivedOn: '2015-06-30',
  causes: ['3'],
  disabledMember: false,
  incomes: [],
  ...more,
});

describe('monthsBetween', () => {
  it('counts whole months', () => {
    expect(monthsBetween('2015-01-31', '2015-02-28')).toBe(0);
    expect(monthsBetween('2015-01-31', '2015-03-01')).toBe(1);
    expect(monthsBetween('2015-01-15', '2015-07-15')).toBe(6);
    expect(monthsBetween('2015-01-15', '2015-07-14')).toBe(5);
  });
});

describe('exit candidates', () => {
  it('lists a household without an objective cause once the time limit is passed', () => {
    expect(exitCandidacy(facts(), RULES, '2020-06-30')).toEqual([]);
    expect(exitCandidacy(facts(), RULES, '2020-07-01')).toEqual([
      { reason: 'time_limit', since: '2015-06-30', dueOn: '2020-06-30' },
    ]);
  });

  it('never for an objective cause or a disabled member', () => {
    for (const cause of ['1', '6', '7', '8'])
      expect(exitCandidacy(facts({ causes: ['3', cause] }), RULES, '2030-01-01')).toEqual([]);
    expect(exitCandidacy(facts({ disabledMember: true }), RULES, '2030-01-01')).toEqual([]);
  });

  it('lists a household whose income has stayed above 低保 for six consecutive months', () => {
    const incomes = [income('2019-01-10', 800), income('2019-03-01', 950), income('2019-06-01', 1_000)];
    const f = facts({ causes: ['6'], incomes });
    expect(exitCandidacy(f, RULES, '2019-08-31')).toEqual([]);
    expect(exitCandidacy(f, RULES, '2019-09-01')).toEqual([
      { reason: 'income_above_dibao', since: '2019-03-01', months: 6 },
    ]);
    // Exactly the line is not above it; a record below breaks the run.
    expect(exitCandidacy(facts({ incomes: [income('2019-01-01', 900)] }), RULES, '2020-01-01')).toEqual([]);
    const broken = facts({ causes: ['6'], incomes: [...incomes, income('2019-08-01', 850)] });
    expect(exitCandidacy(broken, RULES, '2020-01-01')).toEqual([]);
    // A record after the date does not count yet.
    expect(
      exitCandidacy(facts({ causes: ['6'], incomes: [income('2021-01-01', 2_000)] }), RULES, '2020-12-31'),
    ).toEqual([]);
  });

  it('gives both reasons when both hold', () => {
    const f = facts({ incomes: [income('2019-01-01', 2_000)] });
    expect(exitCandidacy(f, RULES, '2021-01-01').map((c) => c.reason)).toEqual([
      'time_limit',
      'income_above_dibao',
    ]);
  });
});
