import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, CALENDAR_YEARS, workingDay, workingDaysBetween } from './calendar';

describe('the Chinese working-day calendar', () => {
  it('knows holidays and make-up working days', () => {
    // 2024 Spring Festival: 10–17 February off, Sunday 4 and Sunday 18 February worked (国办发明电〔2023〕7号).
    expect(workingDay('2024-02-04')).toEqual({ working: true, provisional: false });
    expect(workingDay('2024-02-12')).toEqual({ working: false, provisional: false });
    expect(workingDay('2024-02-18')).toEqual({ working: true, provisional: false });
    expect(workingDay('2024-02-19')).toEqual({ working: true, provisional: false });
    expect(workingDay('2014-10-01').working).toBe(false);
    expect(workingDay('2014-09-30').working).toBe(true);
  });

  it('covers the years of the founding report and today', () => {
    expect(CALENDAR_YEARS.from).toBeLessThanOrEqual(2009);
    expect(CALENDAR_YEARS.to).toBeGreaterThanOrEqual(2026);
  });

  it('counts weekends only, and says so, for a year not yet published', () => {
    const year = CALENDAR_YEARS.to + 1;
    const day = workingDay(`${year}-01-01`);
    expect(day.provisional).toBe(true);
  });

  it('adds working days from the day after the start, skipping holidays', () => {
    // Publicity posted on Friday 2014-09-26: Sunday 28 September (a make-up working day), 29 and
    // 30 September, then the National Day week (1–7 October off), then 8 and 9 October.
    expect(workingDaysBetween('2014-09-26', '2014-10-09')).toBe(5);
    expect(addWorkingDays('2014-09-26', 5)).toEqual({ date: '2014-10-09', provisional: false });
    expect(addWorkingDays('2014-09-26', 3)).toEqual({ date: '2014-09-30', provisional: false });
    expect(addWorkingDays('2014-09-30', 1)).toEqual({ date: '2014-10-08', provisional: false });
    // An ordinary week: Monday + 5 working days is the next Monday.
    expect(addWorkingDays('2015-03-02', 5)).toEqual({ date: '2015-03-09', provisional: false });
  });

  it('never ends before the start plus n calendar days, and ends on a working day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2005-01-01'), max: new Date('2026-06-30'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 30 }),
        (d, n) => {
          const start = d.toISOString().slice(0, 10);
          const { date } = addWorkingDays(start, n);
          const days = (Date.parse(date) - Date.parse(start)) / 86_400_000;
          expect(days).toBeGreaterThanOrEqual(n);
          expect(workingDay(date).working).toBe(true);
          expect(workingDaysBetween(start, date)).toBe(n);
        },
      ),
      { numRuns: 200 },
    );
  });
});
