import {
  type ArchiveCategory,
  type ArchiveOrigin,
  type ArchiveStatus,
  type ExitReason,
  type HardshipCause,
  OBJECTIVE_CAUSES,
  type Urgency,
} from '@niangjia/contracts';
import { addDays, addYears, type CalendarDate, publicityEndsOn, workingDay } from '@niangjia/domain';
import { type Composition, type DemoMember, type DemoPerson, PeopleFactory } from './people';
import { Random } from './random';

/**
 * The demo's history of Xingqing District's hardship archive, from the first archives of 2009 to
 * the day it is made: households, each archive's dated life-cycle steps, yearly reviews, exits,
 * returns to hardship (返困), follow-up visits.
 *
 * The founding report's Table 3 is reproduced by construction, not by luck: for each year a target
 * peak P and an end-of-year level E are fixed, and the year's archivings and exits are arranged in
 * dated batches so that the number of archived households climbs to exactly P on the peak day and
 * never exceeds P during the year (see `arrange`). The generator checks the result itself, and the
 * tests check it again through the SQL report.
 */

/** Table 3 of the founding report: the peak number of archived households per year. */
export const TABLE_3: readonly { year: number; peak: number }[] = [
  { year: 2009, peak: 1090 },
  { year: 2010, peak: 830 },
  { year: 2011, peak: 780 },
  { year: 2012, peak: 630 },
  { year: 2013, peak: 481 },
  { year: 2014, peak: 407 },
];
const FIRST_YEAR = 2009;
export const DEMO_SEED = 20150930;

export const CASEWORKER = 'xq-caseworker';
export const MANAGER = 'xq-manager';
const SURVEYOR = '李帮扶';
/** Publicity lasts at least this many working days (the life cycle's default). */
const PUBLICITY_WORKING_DAYS = 5;
/** Visits older than this are not kept in the demo (the rows would only weigh). */
const VISIT_HISTORY_DAYS = 730;

export interface DemoStep {
  action: string;
  fromStatus: ArchiveStatus | null;
  toStatus: ArchiveStatus;
  onDate: CalendarDate;
  username: string;
  comment: string;
  exitReason?: ExitReason;
}

export interface DemoVisit {
  dueOn: CalendarDate;
  visitedOn: CalendarDate | null;
  findings: string | null;
  /** Who made it, or whose it is: the one who recorded the visit before (the first is nobody's yet). */
  caseworker: string | null;
}

export interface DemoArchive {
  orgCode: string;
  category: ArchiveCategory;
  origin: ArchiveOrigin;
  primaryCause: HardshipCause;
  secondaryCauses: HardshipCause[];
  urgency: Urgency;
  visitIntervalDays: number;
  previous: DemoArchive | null;
  /** The steps up to the day the demo is made, in order. */
  steps: DemoStep[];
  status: ArchiveStatus;
  openedOn: CalendarDate;
  publicityStartedOn: CalendarDate | null;
  archivedOn: CalendarDate | null;
  exitedOn: CalendarDate | null;
  exitReason: ExitReason | null;
  nextReviewOn: CalendarDate | null;
  visits: DemoVisit[];
}

export interface DemoIncome {
  wageIncomeFen: number;
  businessIncomeFen: number;
  propertyIncomeFen: number;
  transferIncomeFen: number;
  otherIncomeFen: number;
  medicalCostFen: number;
  disabilityCostFen: number;
  educationCostFen: number;
  housingCostFen: number;
  otherRigidCostFen: number;
  employmentCostFen: number;
}

export interface DemoHousehold {
  orgCode: string;
  head: DemoPerson;
  members: DemoMember[];
  housingType: 'owned' | 'rented' | 'public_rental' | 'lodging' | 'other';
  housingAreaCentiM2: number;
  /** The figures of the latest survey (that of the newest archive). */
  income: DemoIncome;
  surveyDate: CalendarDate;
  surveyor: string;
  /** Oldest first: a household that fell back into hardship has a 返困 archive after its exited one. */
  archives: DemoArchive[];
}

export interface DemoHistory {
  seed: number;
  asOf: CalendarDate;
  households: DemoHousehold[];
}

export interface HistoryOptions {
  seed?: number;
  /** The day the demo is made (Asia/Shanghai): nothing happens after it. At least 2015-01-01. */
  asOf: CalendarDate;
  /** ID numbers already taken: never generated. */
  taken?: Iterable<string>;
}

// ---------------------------------------------------------------------------------------------
// Working days (the Chinese calendar of the domain package), cached: the plan asks often.

const workingCache = new Map<CalendarDate, boolean>();
function isWorking(d: CalendarDate): boolean {
  let w = workingCache.get(d);
  if (w === undefined) {
    w = workingDay(d).working;
    workingCache.set(d, w);
  }
  return w;
}
function workingOnOrBefore(d: CalendarDate): CalendarDate {
  let day = d;
  while (!isWorking(day)) day = addDays(day, -1);
  return day;
}
function workingOnOrAfter(d: CalendarDate): CalendarDate {
  let day = d;
  while (!isWorking(day)) day = addDays(day, 1);
  return day;
}
function workingDaysIn(from: CalendarDate, to: CalendarDate): CalendarDate[] {
  const out: CalendarDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isWorking(d)) out.push(d);
  return out;
}
/**
 * The latest working day on which publicity may start for archiving on `day`: its last working
 * day must fall before `day` (the domain's `publicityEndsOn`). The working days before `day` are
 * counted back, and the start is the working day before them.
 */
function latestPublicityStart(day: CalendarDate): CalendarDate {
  let d = addDays(day, -1);
  for (let counted = 0; counted < PUBLICITY_WORKING_DAYS; d = addDays(d, -1)) if (isWorking(d)) counted++;
  const start = workingOnOrBefore(d);
  if (publicityEndsOn(start, PUBLICITY_WORKING_DAYS).date >= day)
    throw new Error(`demo: publicity from ${start} does not end before ${day}`);
  return start;
}

function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The peak number of archived households per year, as the report defines it: an archive counts
 * on day d when archivedOn ≤ d and (exitedOn is null or d < exitedOn). The same rule as the SQL
 * report, in memory, for the generator's own check.
 */
export function yearlyPeaks(
  archives: readonly { archivedOn: CalendarDate | null; exitedOn: CalendarDate | null }[],
  from: number,
  to: number,
): { year: number; peak: number }[] {
  const delta = new Map<CalendarDate, number>();
  for (const a of archives) {
    if (!a.archivedOn) continue;
    delta.set(a.archivedOn, (delta.get(a.archivedOn) ?? 0) + 1);
    if (a.exitedOn) delta.set(a.exitedOn, (delta.get(a.exitedOn) ?? 0) - 1);
  }
  const days = [...delta.keys()].sort();
  const peaks = new Map<number, number>();
  let level = 0;
  let i = 0;
  for (let year = from; year <= to; year++) {
    for (; i < days.length && (days[i] as string) < `${year}-01-01`; i++)
      level += delta.get(days[i] as string) ?? 0;
    let peak = level; // carried over into 1 January
    for (; i < days.length && (days[i] as string) <= `${year}-12-31`; i++) {
      level += delta.get(days[i] as string) ?? 0;
      peak = Math.max(peak, level);
    }
    peaks.set(year, peak);
  }
  return [...peaks].map(([year, peak]) => ({ year, peak }));
}

// ---------------------------------------------------------------------------------------------

interface Planned {
  household: PlannedHousehold;
  archive: Omit<
    DemoArchive,
    | 'steps'
    | 'status'
    | 'openedOn'
    | 'publicityStartedOn'
    | 'archivedOn'
    | 'exitedOn'
    | 'exitReason'
    | 'nextReviewOn'
    | 'visits'
  >;
  steps: DemoStep[];
  archivedOn: CalendarDate | null;
  exitedOn: CalendarDate | null;
}

interface PlannedHousehold {
  orgCode: string;
  composition: Composition;
  migrant: boolean;
  housingType: DemoHousehold['housingType'];
  housingAreaCentiM2: number;
  plans: Planned[];
}

interface Batch {
  kind: 'in' | 'out';
  size: number;
}

const ORGS_LOCAL: readonly (readonly [string, number])[] = [
  ['640104001', 28], // 环卫 sanitation
  ['640104003', 25], // 商贸 trade
  ['640104005', 15], // 餐饮 catering
  ['640104002', 12], // 建筑 construction
  ['640104004', 8], // 快递物流 express
  ['640104', 12], // the district union's own
];
const ORGS_MIGRANT: readonly (readonly [string, number])[] = [
  ['640104002', 35],
  ['640104005', 30],
  ['640104004', 20],
  ['640104003', 10],
  ['640104001', 5],
];

const EXIT_COMMENTS: Record<ExitReason, string> = {
  income_recovered: '年度审核：家庭人均收入连续六个月高于当地低保标准，脱困退出',
  time_limit: '建档满三年且无客观致困原因，按时限退出',
  government_support: '已纳入政府兜底保障（特困供养），退出工会档案',
  death: '户主因病去世，家庭成员另行申请，本档案退出',
  reidentified: '重新认定：家庭经济状况已不符合困难职工认定条件',
  excluded: '入户核查发现隐瞒收入，按规定取消档案',
  moved_away: '全家迁出本地，档案转出',
  other: '本人申请退出档案',
};
const REVIEW_COMMENTS = [
  '年度审核：家庭情况无明显变化，继续保留档案',
  '年度审核：收入略有增加，仍低于认定标准，继续帮扶',
  '年度审核：已核对收入与医疗支出，继续保留档案',
  '年度审核：子女仍在读，家庭负担重，继续保留档案',
];
const VISIT_FINDINGS = [
  '入户回访：家庭生活基本稳定，已转达帮扶政策',
  '电话回访：户主身体状况好转，已恢复部分工作',
  '入户回访：医疗费用负担仍重，建议申请医疗救助',
  '入户回访：子女学习正常，已告知助学救助申请时间',
  '回访：户主求职中，已推荐参加职业技能培训',
  '入户回访：住房条件差，已登记困难情况上报',
];

class Planner {
  readonly rng: Random;
  private readonly people: PeopleFactory;
  readonly households: PlannedHousehold[] = [];
  /** Archived and not exited, in the order they were archived. */
  private pool: Planned[] = [];
  /** Households out of hardship that will fall back into it, and from when. */
  private relapses: { household: PlannedHousehold; previous: Planned; readyOn: CalendarDate }[] = [];

  constructor(
    seed: number,
    private readonly asOf: CalendarDate,
    taken: Iterable<string>,
  ) {
    this.rng = new Random(seed);
    this.people = new PeopleFactory(this.rng, taken);
  }

  /** Targets: Table 3 up to 2014, then a believable course (the 2016–2020 drive out of hardship). */
  targets(lastYear: number): Map<number, number> {
    const t = new Map(TABLE_3.map((r) => [r.year, r.peak]));
    let peak = (TABLE_3[TABLE_3.length - 1] as { peak: number }).peak;
    for (let year = 2015; year <= lastYear + 1; year++) {
      const f =
        year === 2015
          ? this.rng.between(0.96, 1.05)
          : year <= 2020
            ? this.rng.between(0.74, 0.88)
            : this.rng.between(0.96, 1.08);
      peak = Math.max(80, Math.round(peak * f));
      t.set(year, peak);
    }
    return t;
  }

  plan(): void {
    // Far enough past the day the demo is made that applications are under way on that day.
    const lastYear = Number(addDays(this.asOf, 120).slice(0, 4));
    const targets = this.targets(lastYear);
    for (let year = FIRST_YEAR; year <= lastYear; year++) {
      const peak = targets.get(year) as number;
      const next = targets.get(year + 1) as number;
      this.planYear(year, peak, Math.min(peak, next) - this.rng.int(15, 45));
    }
    // Those never leaving are reviewed up to the day the demo is made.
    for (const p of this.pool) this.review(p, addDays(this.asOf, 1));
  }

  /**
   * One year: from the level S it starts with, archivings and exits up to the peak day bring the
   * level to exactly `peak` (the last batch, an archiving, lands on the peak day); after it, more
   * of both bring it to `end`. `arrange` orders each phase so that no day exceeds `peak`.
   */
  private planYear(year: number, peak: number, end: number): void {
    const rng = this.rng;
    const start = this.pool.length;
    const firstDay = year === FIRST_YEAR ? '2009-03-02' : `${year}-01-06`;
    const peakDay = rng.pick(
      workingDaysIn(year === FIRST_YEAR ? '2009-05-11' : `${year}-04-15`, `${year}-09-25`),
    );
    const x1 = year === FIRST_YEAR ? 0 : Math.round(start * rng.between(0.03, 0.1));
    const a1 = peak - start + x1;
    const a2 = Math.max(1, Math.round(peak * rng.between(0.05, 0.12)));
    const x2 = peak + a2 - end;
    if (a1 < 1 || x2 < 0) throw new Error(`demo plan ${year}: no way from ${start} to ${peak} to ${end}`);

    const days1 = workingDaysIn(firstDay, addDays(peakDay, -1));
    const budget1 = Math.floor(days1.length / 2);
    const phase1 = this.arrange(
      start,
      peak,
      this.batches(a1, year === FIRST_YEAR ? 60 : 10, budget1),
      this.batches(x1, 12, budget1),
      { lastArrival: true, exitBias: 3 },
    );
    const dates1 = [...rng.sample(days1, phase1.length - 1).sort(), peakDay];

    const days2 = workingDaysIn(addDays(peakDay, 1), `${year}-12-28`);
    const budget = Math.floor(days2.length / 2);
    const phase2 = this.arrange(peak, peak, this.batches(a2, 6, budget), this.batches(x2, 14, budget), {
      lastArrival: false,
      exitBias: 1,
    });
    const dates2 = rng.sample(days2, phase2.length).sort();

    [
      ...phase1.map((b, i) => [b, dates1[i]] as const),
      ...phase2.map((b, i) => [b, dates2[i]] as const),
    ].forEach(([b, day]) => {
      if (b.kind === 'in') for (let k = 0; k < b.size; k++) this.archive(day as string, year);
      else this.exit(day as string, b.size);
    });
    // Applications refused on the way: about one in twenty.
    const refused = Math.round((a1 + a2) * 0.05);
    const refusedDays = workingDaysIn(year === FIRST_YEAR ? '2009-02-02' : `${year}-01-06`, `${year}-12-15`);
    for (let k = 0; k < refused; k++) this.refuse(rng.pick(refusedDays));
  }

  /** `total` in batches of about `average` (at most `max` batches, at least one if total > 0). */
  private batches(total: number, average: number, max: number): number[] {
    if (total === 0) return [];
    const k = Math.max(1, Math.min(total, max, Math.round(total / average)));
    return this.rng.split(total, k);
  }

  /**
   * Orders the batches of one phase so that the level, starting at `start`, never exceeds `cap`:
   * an archiving that would go over waits until exits have made room. When only archivings are
   * left they fit, since all of them together end at or below the cap (the phase's end level).
   * With `lastArrival` the last archiving batch is kept for the end (the peak day).
   */
  private arrange(
    start: number,
    cap: number,
    arrivals: number[],
    exits: number[],
    { lastArrival, exitBias }: { lastArrival: boolean; exitBias: number },
  ): Batch[] {
    const ins = [...arrivals];
    const outs = [...exits];
    const last = lastArrival ? ins.pop() : undefined;
    const out: Batch[] = [];
    let level = start;
    while (ins.length || outs.length) {
      const nextIn = ins[0];
      const nextOut = outs[0];
      const wantIn =
        nextIn !== undefined &&
        (nextOut === undefined || this.rng.chance(ins.length / (ins.length + exitBias * outs.length)));
      if (wantIn && level + nextIn <= cap) {
        level += nextIn;
        out.push({ kind: 'in', size: ins.shift() as number });
      } else if (nextOut !== undefined && level - nextOut >= 0) {
        level -= nextOut;
        out.push({ kind: 'out', size: outs.shift() as number });
      } else if (nextIn !== undefined && level + nextIn <= cap) {
        level += nextIn;
        out.push({ kind: 'in', size: ins.shift() as number });
      } else throw new Error('demo plan: batches that cannot be arranged under the cap');
    }
    if (last !== undefined) {
      level += last;
      out.push({ kind: 'in', size: last });
      if (level !== cap) throw new Error(`demo plan: phase ends at ${level}, not ${cap}`);
    }
    return out;
  }

  private newHousehold(firstSurvey: CalendarDate): PlannedHousehold {
    const rng = this.rng;
    const year = Number(firstSurvey.slice(0, 4));
    const migrant = rng.chance(0.22);
    const orgs = migrant
      ? ORGS_MIGRANT.map(([c, w]) => [c, c === '640104004' && year < 2012 ? 3 : w] as const)
      : ORGS_LOCAL;
    const housingType = rng.weighted<DemoHousehold['housingType']>(
      migrant
        ? [
            ['rented', 60],
            ['lodging', 20],
            ['public_rental', 15],
            ['other', 5],
          ]
        : [
            ['owned', 40],
            ['rented', 25],
            ['public_rental', 25],
            ['lodging', 7],
            ['other', 3],
          ],
    );
    const area =
      housingType === 'owned'
        ? rng.int(40, 90)
        : housingType === 'lodging'
          ? rng.int(12, 30)
          : rng.int(18, 60);
    const household: PlannedHousehold = {
      orgCode: rng.weighted(orgs),
      composition: this.people.household(firstSurvey, { migrant }),
      migrant,
      housingType,
      housingAreaCentiM2: area * 100 + rng.int(0, 99),
      plans: [],
    };
    this.households.push(household);
    return household;
  }

  /** A new archive of the household; the filing steps, and with them its category, come next. */
  private newPlan(household: PlannedHousehold, origin: ArchiveOrigin): Planned {
    const rng = this.rng;
    const c = household.composition;
    // Falling back into hardship, a household may have a new main cause.
    const primaryCause =
      origin === 'relapsed' && rng.chance(0.4) ? (c.secondaryCauses[0] ?? c.primaryCause) : c.primaryCause;
    const secondaryCauses = [c.primaryCause, ...c.secondaryCauses]
      .filter((x) => x !== primaryCause)
      .slice(0, 3);
    const severe = ['6', '7', '8'].includes(primaryCause);
    const urgency = rng.weighted<Urgency>([
      ['normal', severe ? 70 : 86],
      ['urgent', severe ? 22 : 12],
      ['critical', severe ? 8 : 2],
    ]);
    const plan: Planned = {
      household,
      archive: {
        orgCode: household.orgCode,
        category: 'legacy_general',
        origin,
        primaryCause,
        secondaryCauses,
        urgency,
        visitIntervalDays: urgency === 'critical' ? 30 : urgency === 'urgent' ? 60 : 90,
        previous: null,
      },
      steps: [],
      archivedOn: null,
      exitedOn: null,
    };
    household.plans.push(plan);
    return plan;
  }

  /** Before the national rule of 2016 archives were filed under the older local standards. */
  private category(plan: Planned): ArchiveCategory {
    const opened = (plan.steps[0] as DemoStep).onDate;
    const cause = plan.archive.primaryCause;
    if (opened < '2016-01-01')
      return this.rng.weighted<ArchiveCategory>([
        ['legacy_general', 80],
        ['legacy_dibao', 10],
        ['legacy_dibao_edge', 10],
      ]);
    if (cause === '7' || cause === '8') return 'accident';
    return this.rng.chance(0.4) ? 'deep' : 'relative';
  }

  /**
   * The filing steps that end with archiving on `day`, dated backwards: publicity started early
   * enough to have lasted its working days, and each step before it a few days earlier. One
   * application in twenty was returned once for correction on the way.
   */
  private filingSteps(day: CalendarDate, origin: ArchiveOrigin, floor: CalendarDate): DemoStep[] {
    const rng = this.rng;
    const returned = rng.chance(0.05);
    const chain: { action: string; from: ArchiveStatus | null; to: ArchiveStatus; gap: [number, number] }[] =
      [
        { action: 'survey', from: null, to: 'surveyed', gap: [1, 20] },
        { action: 'apply', from: 'surveyed', to: 'applied', gap: [2, 10] },
        { action: 'first_review', from: 'applied', to: 'first_review', gap: [2, 12] },
        ...(returned
          ? [
              { action: 'home_visit', from: 'first_review', to: 'home_visit', gap: [3, 12] },
              { action: 'return', from: 'home_visit', to: 'returned', gap: [3, 15] },
              { action: 'apply', from: 'returned', to: 'applied', gap: [2, 8] },
              { action: 'first_review', from: 'applied', to: 'first_review', gap: [2, 12] },
            ]
          : []),
        { action: 'home_visit', from: 'first_review', to: 'home_visit', gap: [3, 15] },
        { action: 'verify_finances', from: 'home_visit', to: 'finances_verified', gap: [1, 10] },
      ] as const as {
        action: string;
        from: ArchiveStatus | null;
        to: ArchiveStatus;
        gap: [number, number];
      }[];
    for (let scale = 1; ; scale /= 2) {
      // Publicity starts on a working day, late enough that archiving on `day` is its first
      // chance or a little after: the last of its working days falls before `day`.
      let publicity = latestPublicityStart(day);
      for (let back = scale < 1 ? 0 : rng.int(0, 3); back > 0; back--)
        publicity = workingOnOrBefore(addDays(publicity, -1));
      const dates: CalendarDate[] = [];
      let next = publicity;
      for (let i = chain.length - 1; i >= 0; i--) {
        const [lo, hi] = (chain[i] as { gap: [number, number] }).gap;
        next = workingOnOrBefore(addDays(next, -Math.max(1, Math.round(rng.int(lo, hi) * scale))));
        dates.unshift(next);
      }
      if ((dates[0] as string) < floor && scale > 0.01) continue;
      const steps: DemoStep[] = chain.map((s, i) => ({
        action: s.action,
        fromStatus: s.from,
        toStatus: s.to,
        onDate: dates[i] as string,
        username: ['first_review'].includes(s.action) ? MANAGER : CASEWORKER,
        comment: stepComment(s.action, origin),
      }));
      steps.push(
        {
          action: 'publicise',
          fromStatus: 'finances_verified',
          toStatus: 'publicity',
          onDate: publicity,
          username: MANAGER,
          comment: '在单位和社区公示栏公示，公示期五个工作日',
        },
        {
          action: 'archive',
          fromStatus: 'publicity',
          toStatus: 'archived',
          onDate: day,
          username: MANAGER,
          comment: origin === 'relapsed' ? '公示期满无异议，返困重新建档' : '公示期满无异议，予以建档',
        },
      );
      return steps;
    }
  }

  /** A household archived on `day`: one that fell back into hardship, or a new one. */
  private archive(day: CalendarDate, year: number): void {
    const rng = this.rng;
    const ready = this.relapses.findIndex((r) => r.readyOn <= day);
    let plan: Planned;
    if (ready >= 0 && rng.chance(0.5)) {
      const [r] = this.relapses.splice(ready, 1);
      const { household, previous } = r as (typeof this.relapses)[number];
      plan = this.newPlan(household, 'relapsed');
      plan.steps = this.filingSteps(day, 'relapsed', addDays(previous.exitedOn as string, 30));
    } else {
      const origin: ArchiveOrigin = year === FIRST_YEAR && day < '2009-04-30' ? 'existing' : 'new';
      const household = this.newHousehold(addDays(day, -90));
      plan = this.newPlan(household, origin);
      plan.steps = this.filingSteps(day, origin, year === FIRST_YEAR ? '2009-01-05' : '1900-01-01');
    }
    plan.archive.category = this.category(plan);
    plan.archivedOn = day;
    this.pool.push(plan);
  }

  /** `size` archived households leave on `day`: mostly long-standing ones without objective causes. */
  private exit(day: CalendarDate, size: number): void {
    const rng = this.rng;
    const settled = addDays(day, -120);
    let candidates = this.pool.filter((p) => (p.archivedOn as string) <= settled);
    if (candidates.length < size) candidates = this.pool.filter((p) => (p.archivedOn as string) < day);
    const left = candidates.map(
      (p) => [p, (isObjective(p) ? 0.5 : 1) * (1 + daysBetween(p.archivedOn as string, day) / 730)] as const,
    );
    const chosen = new Set<Planned>();
    for (let k = 0; k < size; k++) {
      const pick = rng.weighted(left);
      chosen.add(pick);
      left.splice(
        left.findIndex(([p]) => p === pick),
        1,
      );
    }
    this.pool = this.pool.filter((p) => !chosen.has(p));
    for (const p of chosen) this.close(p, day);
  }

  /** Yearly reviews from archiving up to `until` (excluded); the latest may not be done yet. */
  private review(p: Planned, until: CalendarDate): void {
    const rng = this.rng;
    let base = p.archivedOn as string;
    for (;;) {
      const due = addYears(base, 1);
      const day = workingOnOrAfter(addDays(due, rng.int(-25, 15)));
      if (day >= until || day <= base) return;
      // Some reviews of the months before the demo's day have not been done yet: overdue.
      if (due >= addDays(this.asOf, -150) && due <= this.asOf && rng.chance(0.3)) return;
      p.steps.push({
        action: 'review',
        fromStatus: 'archived',
        toStatus: 'archived',
        onDate: day,
        username: CASEWORKER,
        comment: rng.pick(REVIEW_COMMENTS),
      });
      base = day;
    }
  }

  private close(p: Planned, day: CalendarDate): void {
    const rng = this.rng;
    this.review(p, day);
    const years = daysBetween(p.archivedOn as string, day) / 365.25;
    const objective = isObjective(p);
    const sick = [p.household.composition.head, ...p.household.composition.members.map((m) => m.person)].some(
      (x) => x.health === 'serious',
    );
    const reason = rng.weighted<ExitReason>([
      ['income_recovered', objective ? 30 : 60],
      ['reidentified', 14],
      ['time_limit', !objective && day >= '2016-01-01' && years >= 3 ? 40 : 0],
      ['government_support', objective ? 14 : 1],
      ['death', sick ? 8 : 1],
      ['moved_away', p.household.migrant ? 10 : 3],
      ['excluded', 3],
      ['other', 2],
    ]);
    p.steps.push({
      action: 'exit',
      fromStatus: 'archived',
      toStatus: 'exited',
      onDate: day,
      username: MANAGER,
      comment: EXIT_COMMENTS[reason],
      exitReason: reason,
    });
    p.exitedOn = day;
    if (['income_recovered', 'reidentified', 'time_limit', 'other'].includes(reason) && rng.chance(0.1))
      this.relapses.push({ household: p.household, previous: p, readyOn: addDays(day, rng.int(200, 900)) });
  }

  /** An application refused on the way (at the first review, or after the finances were checked). */
  private refuse(surveyDay: CalendarDate): void {
    const rng = this.rng;
    const household = this.newHousehold(surveyDay);
    const plan = this.newPlan(household, 'new');
    const early = rng.chance(0.3);
    const chain: [string, ArchiveStatus | null, ArchiveStatus][] = early
      ? [
          ['survey', null, 'surveyed'],
          ['apply', 'surveyed', 'applied'],
          ['refuse', 'applied', 'refused'],
        ]
      : [
          ['survey', null, 'surveyed'],
          ['apply', 'surveyed', 'applied'],
          ['first_review', 'applied', 'first_review'],
          ['home_visit', 'first_review', 'home_visit'],
          ['verify_finances', 'home_visit', 'finances_verified'],
          ['refuse', 'finances_verified', 'refused'],
        ];
    let day = surveyDay;
    plan.steps = chain.map(([action, from, to], i) => {
      if (i > 0) day = workingOnOrAfter(addDays(day, rng.int(2, 12)));
      return {
        action,
        fromStatus: from,
        toStatus: to,
        onDate: day,
        username: ['first_review', 'refuse'].includes(action) ? MANAGER : CASEWORKER,
        comment:
          action === 'refuse'
            ? early
              ? '初审：申报材料显示家庭有经营性收入，不符合条件，不予认定'
              : '经济状况核对：家庭人均收入高于认定标准，不予认定'
            : stepComment(action, 'new'),
      };
    });
    plan.archive.category = this.category(plan);
  }
}

function isObjective(p: Planned): boolean {
  return (
    OBJECTIVE_CAUSES.includes(p.archive.primaryCause) || p.household.composition.head.health === 'disabled'
  );
}

function stepComment(action: string, origin: ArchiveOrigin): string {
  switch (action) {
    case 'survey':
      return origin === 'existing' ? '存量档案录入（原纸质档案）' : `摸底调查（调查人：${SURVEYOR}）`;
    case 'apply':
      return '职工本人提交书面申请及家庭收入情况说明';
    case 'first_review':
      return '基层工会初审通过，材料齐全';
    case 'home_visit':
      return '入户核查：实际情况与申报一致，已签署申请书和经济状况核对授权书';
    case 'verify_finances':
      return '经民政部门核对家庭经济状况，符合认定条件';
    case 'return':
      return '材料不全，退回补充收入证明和医疗费用票据';
    default:
      return action;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Ends the plan on the day the demo is made: steps after it have not happened (an application in
 * progress stays at its last step), nor has archiving whose publicity ends in a year the holiday
 * calendar does not know yet. Derives each archive's dates, next review and visits.
 */
function finish(
  plan: Planned,
  asOf: CalendarDate,
  rng: Random,
  previous: DemoArchive | null,
): DemoArchive | null {
  const steps: DemoStep[] = [];
  let publicityStartedOn: CalendarDate | null = null;
  for (const s of plan.steps) {
    if (s.onDate > asOf) break;
    if (
      s.action === 'archive' &&
      publicityEndsOn(publicityStartedOn as string, PUBLICITY_WORKING_DAYS).provisional
    )
      break;
    if (s.action === 'publicise') publicityStartedOn = s.onDate;
    steps.push(s);
  }
  const last = steps[steps.length - 1];
  if (!last) return null;
  const archived = steps.find((s) => s.action === 'archive');
  const exited = steps.find((s) => s.action === 'exit');
  const status = last.toStatus;
  const lastReview = [...steps].reverse().find((s) => s.action === 'review' || s.action === 'archive');
  const archive: DemoArchive = {
    ...plan.archive,
    previous,
    steps,
    status,
    openedOn: (steps[0] as DemoStep).onDate,
    publicityStartedOn,
    archivedOn: archived?.onDate ?? null,
    exitedOn: exited?.onDate ?? null,
    exitReason: exited?.exitReason ?? null,
    nextReviewOn: status === 'archived' && lastReview ? addYears(lastReview.onDate, 1) : null,
    visits: [],
  };
  if (status === 'archived' && archived) archive.visits = visitsOf(archive, archived.onDate, asOf, rng);
  return archive;
}

/**
 * Follow-up visits of an archive still archived: every `visitIntervalDays` from archiving, each
 * made a little before or after it was due, the next scheduled from the day of the last one (as
 * recording a visit does). The latest may be overdue; older visits than two years are left out.
 */
function visitsOf(a: DemoArchive, archivedOn: CalendarDate, asOf: CalendarDate, rng: Random): DemoVisit[] {
  const out: DemoVisit[] = [];
  let base = archivedOn;
  // As recording a visit does: the next one is the recorder's; the first after archiving is nobody's.
  let caseworker: string | null = null;
  for (;;) {
    const due = addDays(base, a.visitIntervalDays);
    if (due > asOf) {
      out.push({ dueOn: due, visitedOn: null, findings: null, caseworker });
      return out;
    }
    const visited = workingOnOrAfter(addDays(due, rng.int(-7, 12)));
    const missed = due >= addDays(asOf, -45) && rng.chance(0.3);
    if (missed || visited > asOf || visited <= base) {
      out.push({ dueOn: due, visitedOn: null, findings: null, caseworker });
      return out;
    }
    caseworker = CASEWORKER;
    if (due >= addDays(asOf, -VISIT_HISTORY_DAYS))
      out.push({ dueOn: due, visitedOn: visited, findings: rng.pick(VISIT_FINDINGS), caseworker });
    base = visited;
  }
}

/** The local minimum living standard (低保) in fen a month, roughly as it rose in Yinchuan. */
function dibaoFen(year: number): number {
  return Math.round(23_000 * 1.07 ** (year - FIRST_YEAR));
}

/** The survey's twelve months of income and costs, for a household surveyed on `on`. */
function incomeOf(h: PlannedHousehold, on: CalendarDate, rng: Random): DemoIncome {
  const c = h.composition;
  const people = [c.head, ...c.members.map((m) => m.person)];
  const yuan = (fen: number) => Math.round(fen / 100) * 100;
  const annual = dibaoFen(Number(on.slice(0, 4))) * rng.between(0.45, 1.55) * people.length * 12;
  const earners = people.filter((p) => p.activity === 'employed');
  const dependants = people.some((p) => p.activity === 'retired' || p.activity === 'unable');
  const transfer =
    annual * (earners.length === 0 || dependants ? rng.between(0.2, 0.6) : rng.between(0, 0.1));
  const wage = earners.length ? (annual - transfer) * rng.between(0.85, 1) : 0;
  const business = earners.length === 0 && rng.chance(0.1) ? (annual - transfer) * 0.5 : 0;
  const other = Math.max(0, annual - transfer - wage - business);
  const members = c.members;
  for (const m of members)
    m.monthlyIncomeFen =
      m.person.activity === 'employed'
        ? yuan(wage / earners.length / 12)
        : m.person.activity === 'retired'
          ? yuan(transfer / 12 / 2)
          : null;
  const cost = (lo: number, hi: number) => rng.int(lo, hi) * 100;
  const ages = people.map((p) => Number(on.slice(0, 4)) - Number(p.birthDate.slice(0, 4)));
  return {
    wageIncomeFen: yuan(wage),
    businessIncomeFen: yuan(business),
    propertyIncomeFen: 0,
    transferIncomeFen: yuan(transfer),
    otherIncomeFen: yuan(other),
    medicalCostFen: people.reduce(
      (sum, p) =>
        sum +
        (p.health === 'serious' ? cost(12_000, 80_000) : p.health === 'chronic' ? cost(1_500, 6_000) : 0),
      0,
    ),
    disabilityCostFen: people.reduce((sum, p) => sum + (p.health === 'disabled' ? cost(2_000, 8_000) : 0), 0),
    // Compulsory schooling costs nothing to count; high school and college do.
    educationCostFen: people.reduce(
      (sum, p, i) => sum + (p.activity === 'student' && (ages[i] as number) >= 15 ? cost(3_000, 12_000) : 0),
      0,
    ),
    housingCostFen:
      h.housingType === 'rented'
        ? cost(4_800, 14_400)
        : h.housingType === 'public_rental'
          ? cost(2_400, 4_800)
          : 0,
    otherRigidCostFen: rng.chance(0.1) ? cost(500, 3_000) : 0,
    employmentCostFen: earners.length ? cost(600, 2_400) : 0,
  };
}

/**
 * Generates the demo district's history as of a day. Pure: the same seed and day give the same
 * history; the database is written elsewhere (demo/write.ts).
 */
export function generateHistory({ seed = DEMO_SEED, asOf, taken = [] }: HistoryOptions): DemoHistory {
  if (asOf < '2015-01-01')
    throw new RangeError(`the demo's history needs whole years to 2014: as of ${asOf}`);
  const planner = new Planner(seed, asOf, taken);
  planner.plan();
  const households: DemoHousehold[] = [];
  for (const h of planner.households) {
    const archives: DemoArchive[] = [];
    for (const plan of h.plans) {
      const a = finish(plan, asOf, planner.rng, archives[archives.length - 1] ?? null);
      if (a) archives.push(a);
    }
    const latest = archives[archives.length - 1];
    if (!latest) continue;
    households.push({
      orgCode: h.orgCode,
      head: h.composition.head,
      members: h.composition.members,
      housingType: h.housingType,
      housingAreaCentiM2: h.housingAreaCentiM2,
      income: incomeOf(h, latest.openedOn, planner.rng),
      surveyDate: latest.openedOn,
      surveyor: SURVEYOR,
      archives,
    });
  }
  // The plan's own check: Table 3, exactly.
  const peaks = yearlyPeaks(
    households.flatMap((h) => h.archives),
    TABLE_3[0]?.year as number,
    TABLE_3[TABLE_3.length - 1]?.year as number,
  );
  for (const [i, row] of TABLE_3.entries())
    if (peaks[i]?.peak !== row.peak)
      throw new Error(`demo history: ${row.year} peaks at ${peaks[i]?.peak}, not ${row.peak} (seed ${seed})`);
  return { seed, asOf, households };
}
