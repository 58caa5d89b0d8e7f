/**
 * 公民身份号码, GB 11643-1999: six digits of the division code (GB/T 2260), the birth date
 * YYYYMMDD, a three-digit sequence (odd for men, even for women) and a check character.
 * Numbers issued before 1999 have 15 digits: no century (always 19) and no check character.
 */
import { type CalendarDate, isCalendarDate, todayInShanghai } from '../dates';
import { type Division, isPlausibleDivisionCode, lookupDivision } from './divisions';

export type Sex = 'male' | 'female';

export type ResidentIdErrorCode =
  | 'length'
  | 'characters'
  | 'check_character'
  | 'birth_date_invalid'
  | 'birth_date_future'
  | 'division_unknown';

/** One problem of a number, in English and Chinese, for the form and the import report. */
export interface IdProblem<C extends string> {
  code: C;
  message: string;
  messageZh: string;
}

export type ResidentIdProblem = IdProblem<ResidentIdErrorCode>;

export interface ResidentId {
  /** The 18-character number, also when a 15-digit one was given. */
  id18: string;
  divisionCode: string;
  /**
   * The division when the datasets know the code; undefined for a code that is accepted only as
   * plausible, because it may have been abolished before 2002 or created after early 2021
   * (./divisions.ts): such a code could not be verified.
   */
  division?: Division;
  birthDate: CalendarDate;
  sex: Sex;
  convertedFrom15: boolean;
}

export type ResidentIdResult = { ok: true; value: ResidentId } | { ok: false; errors: ResidentIdProblem[] };

/**
 * GB 11643-1999 校验码, ISO 7064 MOD 11-2: the weight of position i (from 1, left) is 2^(18−i) mod 11.
 * Every weight is non-zero mod the prime 11, so changing any one digit changes the check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** The check character for each value of S mod 11. */
const CHECK = '10X98765432';

/**
 * Nobody born earlier was alive in 1984, when the first resident ID numbers were issued: the
 * longest verified human life is 122 years. An earlier year is a typing error, not a person.
 */
const EARLIEST_BIRTH_YEAR = 1860;

/** The check character of the first 17 digits (GB 11643-1999 校验码). */
export function checkCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('not 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

/**
 * A 15-digit number (GB 11643-1989, before the 1999 revision) becomes 18 characters with the century
 * "19" before its two-digit year and the check character after its sequence.
 */
export function convert15To18(id15: string): string {
  const id = id15.trim();
  if (!/^\d{15}$/.test(id)) throw new RangeError('not a 15-digit resident ID number');
  const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
  return first17 + checkCharacter(first17);
}

/** Trimmed, with a trailing x upper-cased: people type the check character X in either case. */
function normalise(input: string): string {
  const id = input.trim();
  return id.endsWith('x') ? `${id.slice(0, -1)}X` : id;
}

function problem(code: ResidentIdErrorCode, message: string, messageZh: string): ResidentIdProblem {
  return { code, message, messageZh };
}

/** Problems of the birth date digits YYYYMMDD, or none. */
function birthDateProblems(yyyymmdd: string, today: CalendarDate): ResidentIdProblem[] {
  const date = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  if (!isCalendarDate(date) || Number(yyyymmdd.slice(0, 4)) < EARLIEST_BIRTH_YEAR) {
    return [
      problem(
        'birth_date_invalid',
        `The birth date ${date} in the number is not a possible date of birth.`,
        `号码中的出生日期${date}不是可能的出生日期。`,
      ),
    ];
  }
  if (date > today) {
    return [
      problem(
        'birth_date_future',
        `The birth date ${date} in the number is after today (${today}).`,
        `号码中的出生日期${date}晚于今天（${today}）。`,
      ),
    ];
  }
  return [];
}

function divisionProblems(code: string): ResidentIdProblem[] {
  if (isPlausibleDivisionCode(code)) return [];
  return [
    problem(
      'division_unknown',
      `The address code ${code} is not a division code of GB/T 2260, current or past.`,
      `地址码${code}不是现行或曾用的GB/T 2260行政区划代码。`,
    ),
  ];
}

function characterProblem(old: boolean): ResidentIdProblem {
  return old
    ? problem(
        'characters',
        'A 15-digit resident ID number has digits only.',
        '15位公民身份号码只能由数字组成。',
      )
    : problem(
        'characters',
        'A resident ID number has digits only, except a last check character X.',
        '公民身份号码只能由数字组成，最后一位校验码可以是X。',
      );
}

/**
 * Checks a resident ID number of 18 characters, or of 15 digits (then converted), and reports every
 * problem found, not just the first. `today` (a Shanghai calendar date) defaults to today.
 */
export function parseResidentId(input: string, opts: { today?: CalendarDate } = {}): ResidentIdResult {
  const today = opts.today ?? todayInShanghai();
  if (!isCalendarDate(today)) throw new RangeError(`today is not a date: ${today}`);
  const id = normalise(input);
  const errors: ResidentIdProblem[] = [];

  if (id.length !== 18 && id.length !== 15) {
    errors.push(
      problem(
        'length',
        `A resident ID number has 18 characters (15 digits for the old kind); this one has ${id.length}.`,
        `公民身份号码应为18位（旧号码为15位），此号码为${id.length}位。`,
      ),
    );
    if (!/^\d*X?$/.test(id)) errors.push(characterProblem(false));
    return { ok: false, errors };
  }

  const old = id.length === 15;
  const wellFormed = old ? /^\d{15}$/.test(id) : /^\d{17}[\dX]$/.test(id);
  if (!wellFormed) errors.push(characterProblem(old));

  // Each field is checked when its own characters are digits, so that one typo does not hide another.
  const divisionCode = id.slice(0, 6);
  if (/^\d{6}$/.test(divisionCode)) errors.push(...divisionProblems(divisionCode));

  const birthDigits = old ? `19${id.slice(6, 12)}` : id.slice(6, 14);
  if (/^\d{8}$/.test(birthDigits)) errors.push(...birthDateProblems(birthDigits, today));

  if (!old && /^\d{17}$/.test(id.slice(0, 17)) && /^[\dX]$/.test(id.slice(17))) {
    const expected = checkCharacter(id.slice(0, 17));
    const given = id.slice(17);
    if (given !== expected) {
      errors.push(
        problem(
          'check_character',
          `The check character is ${given}, but the first 17 digits require ${expected}: a digit is probably mistyped.`,
          `校验码应为${expected}，实为${given}：可能有数字输错。`,
        ),
      );
    }
  }

  if (errors.length > 0) return { ok: false, errors };

  const id18 = old ? convert15To18(id) : id;
  return {
    ok: true,
    value: {
      id18,
      divisionCode,
      division: lookupDivision(divisionCode),
      ...residentIdFacts(id18),
      convertedFrom15: old,
    },
  };
}

/**
 * What an 18-character number says of its holder (GB 11643): the birth date (characters 7–14) and
 * the sex (the 17th: odd for men). Takes a number `parseResidentId` accepted; checks nothing.
 */
export function residentIdFacts(id18: string): { birthDate: CalendarDate; sex: Sex } {
  return {
    birthDate: `${id18.slice(6, 10)}-${id18.slice(10, 12)}-${id18.slice(12, 14)}`,
    sex: Number(id18[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/**
 * For display and logs: the division code and the last four characters, never the birth date.
 * `640104********1234`. A 15-digit number keeps the same ends (`640104*****1234`); anything else
 * is masked whole, so a mistyped number never leaks either.
 */
export function maskResidentId(id18: string): string {
  const id = normalise(id18);
  if (id.length === 18) return `${id.slice(0, 6)}********${id.slice(14)}`;
  if (id.length === 15) return `${id.slice(0, 6)}*****${id.slice(11)}`;
  return '*'.repeat(id.length);
}

export type ResidentIdContradiction =
  | { fact: 'sex'; inNumber: Sex; given: Sex }
  | { fact: 'birthDate'; inNumber: CalendarDate; given: CalendarDate };

/**
 * The given facts that the number contradicts; the registry refuses a record with any. Expects a
 * number that `parseResidentId` accepted (its `id18`); throws RangeError for a malformed one or a
 * given birth date that is not a date.
 */
export function residentIdContradictions(
  id18: string,
  facts: { sex?: Sex; birthDate?: CalendarDate },
): ResidentIdContradiction[] {
  const id = normalise(id18);
  const { birthDate, sex } = residentIdFacts(id);
  if (!/^\d{17}[\dX]$/.test(id) || !isCalendarDate(birthDate)) {
    throw new RangeError('not an 18-character resident ID number');
  }
  const contradictions: ResidentIdContradiction[] = [];
  if (facts.sex !== undefined && facts.sex !== sex) {
    contradictions.push({ fact: 'sex', inNumber: sex, given: facts.sex });
  }
  if (facts.birthDate !== undefined) {
    if (!isCalendarDate(facts.birthDate)) throw new RangeError(`not a date: ${facts.birthDate}`);
    if (facts.birthDate !== birthDate) {
      contradictions.push({ fact: 'birthDate', inNumber: birthDate, given: facts.birthDate });
    }
  }
  return contradictions;
}
