import type { HardshipCause } from '@niangjia/contracts';
import { addDays, ageOn, type CalendarDate, checkCharacter } from '@niangjia/domain';
import type { Random } from './random';

/**
 * Made-up people of Xingqing District: Chinese names (Hui surnames are common in Ningxia), valid
 * GB 11643 numbers of Ningxia divisions, ages, health and work that fit the household's causes of
 * hardship. Nothing here is a real person.
 */

export type Sex = 'male' | 'female';
export type Health = 'healthy' | 'chronic' | 'serious' | 'disabled';
export type Activity = 'employed' | 'unemployed' | 'unable' | 'student' | 'preschool' | 'retired';
export type Relation = 'spouse' | 'child' | 'parent';

export interface DemoPerson {
  idNumber: string;
  name: string;
  sex: Sex;
  birthDate: CalendarDate;
  ethnicity: string;
  phone: string | null;
  householdRegistration: 'urban' | 'rural';
  health: Health;
  activity: Activity;
  migrantWorker: boolean;
}

export interface DemoMember {
  person: DemoPerson;
  relation: Relation;
  /** Set for members who earn: their share of the household's wage income. */
  monthlyIncomeFen: number | null;
}

export interface Composition {
  head: DemoPerson;
  members: DemoMember[];
  primaryCause: HardshipCause;
  secondaryCauses: HardshipCause[];
}

// Surnames by rough frequency in Yinchuan; the Hui ones (马, 丁, 海, 纳, 白, 哈, 金) are frequent here.
const SURNAMES: readonly (readonly [string, number])[] = [
  ['马', 14],
  ['王', 10],
  ['李', 9],
  ['张', 8],
  ['刘', 6],
  ['杨', 5],
  ['陈', 3],
  ['赵', 3],
  ['田', 2],
  ['丁', 2],
  ['黄', 2],
  ['周', 2],
  ['吴', 2],
  ['徐', 2],
  ['孙', 2],
  ['朱', 1],
  ['胡', 2],
  ['郭', 2],
  ['何', 1],
  ['高', 2],
  ['罗', 1],
  ['白', 2],
  ['海', 1],
  ['纳', 1],
  ['哈', 1],
  ['金', 1],
  ['苏', 1],
  ['冯', 1],
  ['韩', 1],
  ['虎', 1],
];
const HUI_SURNAMES = new Set(['马', '丁', '海', '纳', '白', '哈', '金', '虎', '苏']);

const MALE_CHARS = '建国军明强伟平东志海春生文华林勇刚忠德福成宝利学斌新亮峰磊超兵祥龙彦俊宏';
const FEMALE_CHARS = '秀英兰芳玲霞梅丽红娟燕静萍花琴莉敏婷雪慧丹月桂玉珍凤翠香云';
const YOUNG_CHARS = '子涵浩宇轩欣怡佳琪梓睿博一雨萱晨瑞泽思嘉明悦';

/** Where people of the district come from: Yinchuan itself, and for migrant workers the south. */
const URBAN_DIVISIONS: readonly (readonly [string, number])[] = [
  ['640104', 70],
  ['640105', 6],
  ['640106', 6],
  ['640121', 4],
  ['640122', 4],
  ['640181', 3],
  ['640202', 2],
  ['640302', 3],
  ['640502', 2],
];
const RURAL_DIVISIONS: readonly (readonly [string, number])[] = [
  ['640422', 14], // 西吉
  ['640522', 12], // 海原
  ['640324', 12], // 同心
  ['640402', 10], // 原州
  ['640425', 7], // 彭阳
  ['640423', 5], // 隆德
  ['640424', 5], // 泾源
  ['640303', 8], // 红寺堡
  ['640323', 5], // 盐池
  ['640521', 5], // 中宁
  ['640121', 6], // 永宁
  ['640122', 6], // 贺兰
];

const PHONE_PREFIXES = [
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '158',
  '159',
  '180',
  '181',
  '186',
  '187',
  '189',
  '177',
  '195',
];

/** Primary causes in proportions that look like an urban district's archive (DOMAIN.md codes). */
const PRIMARY_CAUSES: readonly (readonly [HardshipCause, number])[] = [
  ['6', 30], // serious illness
  ['3', 14], // laid off
  ['1', 11], // unable to work (disability)
  ['9', 13], // children's schooling
  ['2', 9], // able but unemployed
  ['5', 6], // insurance benefits not paid
  ['4', 5], // no social insurance
  ['8', 5], // accident
  ['7', 1], // natural disaster
  ['10', 6], // other (low wages)
];
const SECONDARY_CAUSES: readonly (readonly [HardshipCause, number])[] = [
  ['9', 30],
  ['6', 18],
  ['4', 12],
  ['2', 10],
  ['3', 8],
  ['5', 8],
  ['1', 6],
  ['10', 6],
  ['8', 2],
];

/** Household sizes 1 to 5 (head included). */
const SIZES: readonly (readonly [number, number])[] = [
  [1, 9],
  [2, 21],
  [3, 41],
  [4, 20],
  [5, 9],
];

export class PeopleFactory {
  private readonly taken: Set<string>;

  constructor(
    private readonly rng: Random,
    /** ID numbers already in use (in the database or drawn before): never drawn again. */
    taken: Iterable<string> = [],
  ) {
    this.taken = new Set(taken);
  }

  /**
   * A valid 18-character number: division, birth date, a sequence code whose last digit is odd for
   * men and even for women (GB 11643), the check character. Sequence codes start at 100: the
   * low ones are left to hand-written tests.
   */
  idNumber(division: string, birthDate: CalendarDate, sex: Sex): string {
    for (;;) {
      const seq = this.rng.int(50, 499) * 2 + (sex === 'male' ? 1 : 0);
      const first17 = `${division}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
      const id = `${first17}${checkCharacter(first17)}`;
      if (!this.taken.has(id)) {
        this.taken.add(id);
        return id;
      }
    }
  }

  private givenName(sex: Sex, young: boolean): string {
    const chars = young ? YOUNG_CHARS : sex === 'male' ? MALE_CHARS : FEMALE_CHARS;
    const one = () => chars[this.rng.int(0, chars.length - 1)] as string;
    return this.rng.chance(young ? 0.8 : 0.6) ? `${one()}${one()}` : one();
  }

  private birthDate(on: CalendarDate, minAge: number, maxAge: number): CalendarDate {
    // At least a month old on the day of reference.
    return addDays(on, -this.rng.int(Math.round(minAge * 365.25) + 30, Math.round(maxAge * 365.25)));
  }

  private phone(): string {
    return `${this.rng.pick(PHONE_PREFIXES)}${String(this.rng.int(0, 99_999_999)).padStart(8, '0')}`;
  }

  private person(p: {
    surname: string;
    sex: Sex;
    on: CalendarDate;
    minAge: number;
    maxAge: number;
    migrant: boolean;
    hui: boolean;
    health: Health;
    activity: Activity;
    phone: boolean;
  }): DemoPerson {
    const birthDate = this.birthDate(p.on, p.minAge, p.maxAge);
    const division = this.rng.weighted(p.migrant ? RURAL_DIVISIONS : URBAN_DIVISIONS);
    const young = birthDate >= '1995-01-01';
    return {
      idNumber: this.idNumber(division, birthDate, p.sex),
      name: `${p.surname}${this.givenName(p.sex, young)}`,
      sex: p.sex,
      birthDate,
      ethnicity: p.hui
        ? '回族'
        : this.rng.chance(0.03)
          ? this.rng.pick(['满族', '蒙古族', '东乡族'])
          : '汉族',
      phone: p.phone ? this.phone() : null,
      householdRegistration: p.migrant ? 'rural' : this.rng.chance(0.08) ? 'rural' : 'urban',
      health: p.health,
      activity: p.activity,
      migrantWorker: p.migrant && (p.activity === 'employed' || p.activity === 'unemployed'),
    };
  }

  /**
   * A household as a caseworker would find it on `on` (the first survey): a head who is a worker,
   * members, and causes of hardship that agree with their health and work.
   */
  household(on: CalendarDate, { migrant }: { migrant: boolean }): Composition {
    const rng = this.rng;
    const size = rng.weighted(SIZES);
    const primaryCause = rng.weighted(PRIMARY_CAUSES);
    const headSex: Sex = rng.chance(primaryCause === '9' ? 0.45 : 0.58) ? 'male' : 'female';
    const headSurname = rng.weighted(SURNAMES);
    const hui = (s: string) => (HUI_SURNAMES.has(s) ? rng.chance(0.7) : rng.chance(0.06));
    const headHui = hui(headSurname);
    const headHealth: Health =
      primaryCause === '1'
        ? 'disabled'
        : primaryCause === '6' && rng.chance(0.5)
          ? 'serious'
          : primaryCause === '8' && rng.chance(0.6)
            ? 'disabled'
            : rng.chance(0.2)
              ? 'chronic'
              : 'healthy';
    const headActivity: Activity =
      headHealth === 'disabled' || headHealth === 'serious'
        ? rng.chance(0.6)
          ? 'unable'
          : 'employed'
        : primaryCause === '3' || primaryCause === '2'
          ? 'unemployed'
          : 'employed';
    const head = this.person({
      surname: headSurname,
      sex: headSex,
      on,
      minAge: 26,
      maxAge: 58,
      migrant,
      hui: headHui,
      health: headHealth,
      activity: headActivity,
      phone: true,
    });
    const headAge = ageOn(head.birthDate, on);
    const members: DemoMember[] = [];
    let slots = size - 1;
    // Most heads of two or more live with a spouse; the others are single parents.
    const married = slots > 0 && rng.chance(size === 2 ? 0.55 : 0.85);
    let spouseSurname = headSurname;
    if (married) {
      spouseSurname = headHui && rng.chance(0.8) ? rng.pick([...HUI_SURNAMES]) : rng.weighted(SURNAMES);
      const sick = primaryCause === '6' && headHealth !== 'serious';
      const spouseHealth: Health =
        sick && rng.chance(0.6) ? 'serious' : rng.chance(0.15) ? 'chronic' : 'healthy';
      const spouseActivity: Activity =
        spouseHealth === 'serious' ? 'unable' : rng.chance(0.45) ? 'employed' : 'unemployed';
      members.push({
        person: this.person({
          surname: spouseSurname,
          sex: headSex === 'male' ? 'female' : 'male',
          on,
          minAge: Math.max(24, headAge - 6),
          maxAge: Math.min(60, headAge + 4),
          migrant,
          hui: headHui,
          health: spouseHealth,
          activity: spouseActivity,
          phone: rng.chance(0.5),
        }),
        relation: 'spouse',
        monthlyIncomeFen: null,
      });
      slots--;
    }
    // An elderly parent in a few larger households; the rest are children.
    const withParent = slots >= 2 && rng.chance(0.3);
    const children = slots - (withParent ? 1 : 0);
    const childSurname = headSex === 'male' || !married ? headSurname : spouseSurname;
    for (let i = 0; i < children; i++) {
      const maxAge = Math.max(1, Math.min(26, headAge - 20));
      const sex: Sex = rng.chance(0.52) ? 'male' : 'female';
      const person = this.person({
        surname: childSurname,
        sex,
        on,
        minAge: 0,
        maxAge,
        migrant,
        hui: headHui,
        health:
          primaryCause === '6' && members.every((m) => m.person.health !== 'serious') && rng.chance(0.2)
            ? 'serious'
            : rng.chance(0.04)
              ? 'disabled'
              : 'healthy',
        activity: 'student',
        phone: false,
      });
      const age = ageOn(person.birthDate, on);
      person.activity =
        age < 6
          ? 'preschool'
          : age < 19 || (age < 23 && rng.chance(0.5))
            ? 'student'
            : rng.chance(0.6)
              ? 'employed'
              : 'unemployed';
      if (person.health === 'disabled' && age >= 16) person.activity = 'unable';
      members.push({ person, relation: 'child', monthlyIncomeFen: null });
    }
    if (withParent) {
      const sex: Sex = rng.chance(0.4) ? 'male' : 'female';
      members.push({
        person: this.person({
          surname: sex === 'male' ? headSurname : rng.weighted(SURNAMES),
          sex,
          on,
          minAge: Math.max(headAge + 20, 55),
          maxAge: Math.min(headAge + 38, 88),
          migrant,
          hui: headHui,
          health: rng.chance(0.6) ? 'chronic' : rng.chance(0.3) ? 'serious' : 'healthy',
          activity: rng.chance(0.5) ? 'retired' : 'unable',
          phone: false,
        }),
        relation: 'parent',
        monthlyIncomeFen: null,
      });
    }
    // Schooling as the cause needs someone at school; without one the household is one of low wages.
    const cause: HardshipCause =
      primaryCause === '9' && !members.some((m) => m.person.activity === 'student') ? '10' : primaryCause;
    return { head, members, primaryCause: cause, secondaryCauses: this.secondaryCauses(cause, members) };
  }

  private secondaryCauses(primary: HardshipCause, members: DemoMember[]): HardshipCause[] {
    const n = this.rng.weighted([
      [0, 25],
      [1, 40],
      [2, 25],
      [3, 10],
    ] as const);
    const students = members.some((m) => m.person.activity === 'student');
    const out: HardshipCause[] = [];
    for (let tries = 0; out.length < n && tries < 20; tries++) {
      const c = this.rng.weighted(SECONDARY_CAUSES);
      if (c === primary || out.includes(c) || (c === '9' && !students)) continue;
      out.push(c);
    }
    return out;
  }
}
