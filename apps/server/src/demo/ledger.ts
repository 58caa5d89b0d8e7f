import type { AidType, FundSource } from '@niangjia/contracts';
import { addDays, type CalendarDate, workingDay } from '@niangjia/domain';
import { Random } from './random';

/**
 * The demo's assistance ledger of Xingqing District, 2009-2014: individual payments to the heads of
 * the demo's archived households, made while their archive was in force (archive first, then aid),
 * such that the yearly report gives the founding report's Table 1 exactly, by construction: each
 * year has exactly the table's number of payments, and their amounts (whole tens of yuan, drawn per
 * type of aid) are scaled to the year's sum and the rounding is then settled ten yuan at a time.
 */

/** Table 1 of the founding report: person-times and the amount (fen) of assistance per year. */
export const TABLE_1: readonly { year: number; personTimes: number; amountFen: number }[] = [
  { year: 2009, personTimes: 1155, amountFen: 53_580_000 },
  { year: 2010, personTimes: 609, amountFen: 36_440_000 },
  { year: 2011, personTimes: 2235, amountFen: 83_950_000 },
  { year: 2012, personTimes: 3307, amountFen: 93_990_000 },
  { year: 2013, personTimes: 2355, amountFen: 80_190_000 },
  { year: 2014, personTimes: 2671, amountFen: 80_530_000 },
];

/** An archive as the ledger needs it: who heads the household, where, and when it was in force. */
export interface LedgerArchive {
  idNumber: string;
  name: string;
  orgCode: string;
  archivedOn: CalendarDate;
  exitedOn: CalendarDate | null;
}

export interface DemoPayment {
  idNumber: string;
  name: string;
  orgCode: string;
  aidType: AidType;
  fundSource: FundSource;
  amountFen: number;
  paidOn: CalendarDate;
  programName: string;
  paidBy: string;
}

interface TypeProfile {
  weight: number;
  /** Whole tens of yuan drawn in [min, max]. */
  yuan: readonly [number, number];
  /** The days of the year it is paid on: [first month-day, last month-day]. */
  season: readonly [string, string];
  program: (year: number) => string;
  /** Where no archive is in force in the season (early 2009, before the first archives). */
  fallback?: { season: readonly [string, string]; program: (year: number) => string };
}

// The share of each type and its usual amount, as a district's ledger shows them: the Spring
// Festival campaign reaches most, medical aid pays most per person. Illustrative.
const PROFILES: Partial<Record<AidType, TypeProfile>> = {
  festival: {
    weight: 45,
    yuan: [200, 500],
    season: ['01-05', '02-10'],
    program: (y) => `${y}年元旦春节送温暖`,
    fallback: { season: ['09-01', '09-30'], program: (y) => `${y}年中秋送温暖` },
  },
  living: {
    weight: 24,
    yuan: [300, 800],
    season: ['03-01', '12-20'],
    program: (y) => `${y}年困难职工生活救助`,
  },
  medical: {
    weight: 12,
    yuan: [500, 2000],
    season: ['03-01', '12-20'],
    program: (y) => `${y}年困难职工医疗救助`,
  },
  education: { weight: 12, yuan: [500, 1500], season: ['08-10', '09-20'], program: (y) => `${y}年金秋助学` },
  emergency: { weight: 5, yuan: [300, 1000], season: ['02-15', '12-20'], program: (y) => `${y}年应急救助` },
  other: { weight: 2, yuan: [100, 300], season: ['05-01', '10-31'], program: (y) => `${y}年“五一”慰问` },
};

const FUNDS: readonly (readonly [FundSource, number])[] = [
  ['central_finance', 30],
  ['local_finance', 30],
  ['union_dues', 32],
  ['donation', 8],
];

const CLERKS = ['李帮扶', '马主任'];

/** A working day of the Chinese calendar between two days of a year, both included. */
function payDay(rand: Random, year: number, season: readonly [string, string]): CalendarDate {
  const first = `${year}-${season[0]}` as CalendarDate;
  const last = `${year}-${season[1]}` as CalendarDate;
  const span = Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000);
  for (;;) {
    const day = addDays(first, rand.int(0, span));
    if (workingDay(day).working) return day;
  }
}

const inForce = (a: LedgerArchive, day: CalendarDate) =>
  a.archivedOn <= day && (a.exitedOn === null || day < a.exitedOn);

/**
 * The payments of every year of Table 1, in date order. `archives` must hold, on every payment day,
 * some archive in force; a day without one is drawn again. Throws when the archives cannot carry a
 * year at all.
 */
export function generateLedger(archives: readonly LedgerArchive[], seed: number): DemoPayment[] {
  const rand = new Random(seed);
  const sorted = [...archives].sort((a, b) => (a.idNumber < b.idNumber ? -1 : 1));
  const types = Object.entries(PROFILES) as [AidType, TypeProfile][];
  const out: DemoPayment[] = [];
  for (const { year, personTimes, amountFen } of TABLE_1) {
    const yearly: DemoPayment[] = [];
    for (let i = 0; i < personTimes; i++) {
      const aidType = rand.weighted(types.map(([t, p]) => [t, p.weight] as const));
      const profile = PROFILES[aidType] as TypeProfile;
      let paidOn: CalendarDate | undefined;
      let program = profile.program;
      let open: LedgerArchive[] = [];
      for (let tries = 0; open.length === 0; tries++) {
        if (tries === 50) throw new Error(`demo ledger: no archive in force for ${aidType} in ${year}`);
        const late = tries >= 10 && profile.fallback;
        if (late) program = late.program;
        paidOn = payDay(rand, year, late ? late.season : profile.season);
        const day = paidOn;
        open = sorted.filter((a) => inForce(a, day));
      }
      const who = rand.pick(open);
      yearly.push({
        idNumber: who.idNumber,
        name: who.name,
        orgCode: who.orgCode,
        aidType,
        fundSource: rand.weighted(FUNDS),
        amountFen: rand.int(profile.yuan[0] / 10, profile.yuan[1] / 10) * 1000,
        paidOn: paidOn as CalendarDate,
        programName: program(year),
        paidBy: rand.pick(CLERKS),
      });
    }
    settle(rand, yearly, amountFen);
    out.push(...yearly.sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0)));
  }
  return out;
}

/**
 * Scales the year's amounts to its sum, in whole tens of yuan, then settles the rounding ten yuan at
 * a time on random payments (never below ten yuan). Table 1's sums are whole hundreds of yuan.
 */
function settle(rand: Random, payments: DemoPayment[], target: number): void {
  const STEP = 1000; // ten yuan, in fen
  if (target % STEP !== 0) throw new Error(`demo ledger: ${target} fen is not whole tens of yuan`);
  const drawn = payments.reduce((s, p) => s + p.amountFen, 0);
  for (const p of payments)
    p.amountFen = Math.max(STEP, Math.round((p.amountFen * target) / drawn / STEP) * STEP);
  let rest = target - payments.reduce((s, p) => s + p.amountFen, 0);
  while (rest !== 0) {
    const p = rand.pick(payments);
    if (rest > 0) {
      p.amountFen += STEP;
      rest -= STEP;
    } else if (p.amountFen > STEP) {
      p.amountFen -= STEP;
      rest += STEP;
    }
  }
}
