/**
 * 统一社会信用代码, GB 32100-2015: 18 characters. Position 1 the registration authority, 2 the
 * type of entity, 3–8 the division code of the registering office (GB/T 2260), 9–17 the
 * organisation code (GB 11714), 18 the check character.
 */
import { type Division, lookupDivision } from './divisions';
import type { IdProblem } from './resident-id';

/** GB 32100-2015: digits and capitals without I, O, Z, S and V, which look like 1, 0, 2, 5 and U. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * GB 32100-2015 check character: weight of position i (from 1) is 3^(i−1) mod 31. Every weight is
 * non-zero mod the prime 31, so changing any one character changes the check character.
 */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type CreditCodeErrorCode = 'length' | 'characters' | 'division_code' | 'check_character';

export type CreditCodeProblem = IdProblem<CreditCodeErrorCode>;

export interface CreditCode {
  code: string;
  /** Position 1, 登记管理部门代码 (e.g. 9 market regulation, 5 civil affairs). */
  registrationAuthority: string;
  /** Position 2, 机构类别代码 under that authority. */
  entityType: string;
  /** Positions 3–8. */
  divisionCode: string;
  /** The division when the datasets know the code (./divisions.ts); never a reason to refuse. */
  division?: Division;
  /** Positions 9–17, 主体标识码 (the organisation code of GB 11714). */
  organisationCode: string;
}

export type CreditCodeResult = { ok: true; value: CreditCode } | { ok: false; errors: CreditCodeProblem[] };

const VALUE = new Map([...CREDIT_CODE_ALPHABET].map((c, i) => [c, i]));

/** The check character of the first 17 characters: C18 = 31 − (Σ mod 31), where 31 stands for 0. */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('not 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = VALUE.get(first17[i] as string);
    if (value === undefined) throw new RangeError('not a character of the credit code alphabet');
    sum += value * (WEIGHTS[i] as number);
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31] as string;
}

function problem(code: CreditCodeErrorCode, message: string, messageZh: string): CreditCodeProblem {
  return { code, message, messageZh };
}

/** Checks a unified social credit code (trimmed, upper-cased) and reports every problem found. */
export function parseCreditCode(input: string): CreditCodeResult {
  const code = input.trim().toUpperCase();
  const errors: CreditCodeProblem[] = [];
  if (code.length !== 18) {
    errors.push(
      problem(
        'length',
        `A unified social credit code has 18 characters; this one has ${code.length}.`,
        `统一社会信用代码应为18位，此代码为${code.length}位。`,
      ),
    );
  }
  const bad = [...code].flatMap((c, i) => (VALUE.has(c) ? [] : [`${c} (${i + 1})`]));
  if (bad.length > 0) {
    const list = bad.join(', ');
    errors.push(
      problem(
        'characters',
        `Characters not used in credit codes, with their positions: ${list}. The code uses digits and capitals without I, O, Z, S and V.`,
        `代码含有不可使用的字符（括号内为位置）：${list}。统一社会信用代码由数字和除I、O、Z、S、V以外的大写字母组成。`,
      ),
    );
  }
  if (code.length !== 18) return { ok: false, errors };

  const divisionCode = code.slice(2, 8);
  if (!/^\d{6}$/.test(divisionCode)) {
    errors.push(
      problem(
        'division_code',
        `Positions 3 to 8 hold a division code of six digits, not ${divisionCode}.`,
        `第3至8位应为6位数字的行政区划码，实为${divisionCode}。`,
      ),
    );
  }
  if (bad.length === 0) {
    const expected = creditCodeCheckCharacter(code.slice(0, 17));
    const given = code.slice(17);
    if (given !== expected) {
      errors.push(
        problem(
          'check_character',
          `The check character is ${given}, but the first 17 characters require ${expected}: a character is probably mistyped.`,
          `校验码应为${expected}，实为${given}：可能有字符输错。`,
        ),
      );
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  return {
    ok: true,
    value: {
      code,
      registrationAuthority: code.slice(0, 1),
      entityType: code.slice(1, 2),
      divisionCode,
      division: lookupDivision(divisionCode),
      organisationCode: code.slice(8, 17),
    },
  };
}
