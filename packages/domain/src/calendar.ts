import chineseDays from 'chinese-days';
import { addDays, type CalendarDate, isCalendarDate } from './dates';

/**
 * Working days of the Chinese calendar: weekends off, public holidays off, and the make-up
 * working days (调休) on. The holidays come from the `chinese-days` package, which follows the
 * State Council's yearly notice; a year it does not cover yet (the notice comes out in November
 * for the next year) is counted by weekends alone and marked provisional.
 */
const { isWorkday, getHolidaysInRange } = chineseDays as unknown as {
  isWorkday(date: string): boolean;
  getHolidaysInRange(start: string, end: string, includeWeekends: boolean): string[];
};

/** The years whose holidays are known: those the dataset gives at least one weekday holiday. */
export const CALENDAR_YEARS: { from: number; to: number } = (() => {
  const known: number[] = [];
  for (let year = 1990; year <= 2100; year++)
    if (getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0) known.push(year);
  if (known.length === 0) throw new Error('chinese-days: no holiday data found');
  return { from: Math.min(...known), to: Math.max(...known) };
})();

function weekday(date: CalendarDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

const nextDay = (date: CalendarDate) => addDays(date, 1);

export interface WorkingDay {
  working: boolean;
  /** The year's holidays are not published yet: only weekends were considered. */
  provisional: boolean;
}

export function workingDay(date: CalendarDate): WorkingDay {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  const year = Number(date.slice(0, 4));
  if (year < CALENDAR_YEARS.from || year > CALENDAR_YEARS.to) {
    const day = weekday(date);
    return { working: day !== 0 && day !== 6, provisional: true };
  }
  return { working: isWorkday(date), provisional: false };
}

/**
 * The date `n` working days after `start`, counting from the day after it (a period "of 5
 * working days" that starts on a Friday ends on the next Thursday, holidays skipped).
 */
export function addWorkingDays(start: CalendarDate, n: number): { date: CalendarDate; provisional: boolean } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a positive whole number of working days: ${n}`);
  let date = start;
  let provisional = false;
  for (let counted = 0; counted < n; ) {
    date = nextDay(date);
    const day = workingDay(date);
    provisional ||= day.provisional;
    if (day.working) counted++;
  }
  return { date, provisional };
}

/** Working days in (from, to]: after `from`, up to and including `to`. */
export function workingDaysBetween(from: CalendarDate, to: CalendarDate): number {
  let count = 0;
  for (let date = nextDay(from); date <= to; date = nextDay(date)) if (workingDay(date).working) count++;
  return count;
}
