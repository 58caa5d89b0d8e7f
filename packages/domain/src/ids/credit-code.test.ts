import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_ALPHABET,
  type CreditCodeResult,
  creditCodeCheckCharacter,
  parseCreditCode,
} from './credit-code';

// Codes here are constructed: authority, type and division chosen, organisation part made up.

function make(first17: string): string {
  return first17 + creditCodeCheckCharacter(first17);
}

function codes(result: CreditCodeResult): string[] {
  return result.ok ? [] : result.errors.map((e) => e.code);
}

/** An independent reading of GB 32100-2015: weight 3^i mod 31 for index i from 0. */
function referenceCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i] as string) * (3 ** i % 31);
  const c = 31 - (sum % 31);
  return CREDIT_CODE_ALPHABET[c === 31 ? 0 : c] as string;
}

const alphabetChar = fc.constantFrom(...CREDIT_CODE_ALPHABET);
const first17 = fc.array(alphabetChar, { minLength: 17, maxLength: 17 }).map((a) => a.join(''));
const digit = fc.constantFrom(...'0123456789');
const validCode = fc
  .tuple(
    alphabetChar,
    alphabetChar,
    fc.array(digit, { minLength: 6, maxLength: 6 }),
    fc.array(alphabetChar, { minLength: 9, maxLength: 9 }),
  )
  .map(([authority, type, division, organisation]) =>
    make(`${authority}${type}${division.join('')}${organisation.join('')}`),
  );

describe('credit code alphabet and check character', () => {
  it('has 31 characters, without I, O, Z, S and V', () => {
    expect(CREDIT_CODE_ALPHABET).toHaveLength(31);
    expect(new Set(CREDIT_CODE_ALPHABET).size).toBe(31);
    expect(CREDIT_CODE_ALPHABET).not.toMatch(/[IOZSV]/);
  });

  it('matches a commonly quoted example of GB 32100-2015', () => {
    // Quoted from memory, not checked against the standard's text; a random code would pass 1 in 31.
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('matches an independent reading of the standard', () => {
    fc.assert(
      fc.property(first17, (text) => {
        expect(creditCodeCheckCharacter(text)).toBe(referenceCheck(text));
      }),
      { numRuns: 500 },
    );
  });

  it('writes 31 as 0', () => {
    // Find a code whose sum is a multiple of 31: C18 would be 31, written 0.
    let found: string | undefined;
    for (let n = 0; n < 1000 && !found; n++) {
      const text = `9164010400000${String(n).padStart(4, '0')}`;
      if (creditCodeCheckCharacter(text) === '0') found = text;
    }
    expect(found).toBeDefined();
    expect(parseCreditCode(`${found}0`).ok).toBe(true);
  });

  it('refuses anything but 17 characters of the alphabet', () => {
    expect(() => creditCodeCheckCharacter('91640104MA000000')).toThrow(RangeError);
    expect(() => creditCodeCheckCharacter('91640104MA00000001')).toThrow(RangeError);
    expect(() => creditCodeCheckCharacter('91640104MA000000I')).toThrow(RangeError);
    expect(() => creditCodeCheckCharacter('91640104ma0000001')).toThrow(RangeError);
  });

  it('changes with every single-character change in the first 17 (verified exhaustively)', () => {
    // The check depends on the sum mod 31 only, and a change of value a to b at position i moves
    // the sum by w_i·(b−a) whatever the rest: so every position and pair is tried once.
    const zeros = '0'.repeat(17);
    for (let i = 0; i < 17; i++) {
      const seen = new Set<string>();
      for (const c of CREDIT_CODE_ALPHABET) {
        seen.add(creditCodeCheckCharacter(`${zeros.slice(0, i)}${c}${zeros.slice(i + 1)}`));
      }
      expect(seen.size).toBe(31);
    }
  });
});

describe('parseCreditCode', () => {
  it('reads a constructed code', () => {
    const code = make('81640104MA0000001'); // 8: trade union, 1: grassroots union, 兴庆区
    expect(parseCreditCode(code)).toEqual({
      ok: true,
      value: {
        code,
        registrationAuthority: '8',
        entityType: '1',
        divisionCode: '640104',
        division: { code: '640104', name: '兴庆区', current: true },
        organisationCode: 'MA0000001',
      },
    });
  });

  it('accepts the commonly quoted example', () => {
    const result = parseCreditCode('91350100M000100Y43');
    expect(result.ok && result.value.division?.name).toBe('福州市');
  });

  it('trims and upper-cases', () => {
    const code = make('91640104MA0000001');
    const result = parseCreditCode(`  ${code.toLowerCase()} `);
    expect(result.ok && result.value.code).toBe(code);
  });

  it('leaves the division undefined for a code the datasets lack, without refusing it', () => {
    const result = parseCreditCode(make('91990000MA0000001'));
    expect(result.ok).toBe(true);
    expect(result.ok && result.value.division).toBeUndefined();
  });

  it('reports a wrong length', () => {
    expect(codes(parseCreditCode('91640104MA000000'))).toEqual(['length']);
    expect(codes(parseCreditCode(''))).toEqual(['length']);
    expect(codes(parseCreditCode('91640104MA0000001AB'))).toEqual(['length']);
  });

  it('names the characters the alphabet lacks, with their positions', () => {
    const code = make('91640104MA0000001');
    const withO = `${code.slice(0, 9)}O${code.slice(10)}`;
    const result = parseCreditCode(withO);
    expect(codes(result)).toEqual(['characters']);
    expect(result.ok ? '' : result.errors[0]?.message).toContain('O (10)');
    expect(result.ok ? '' : result.errors[0]?.messageZh).toContain('O (10)');
    expect(codes(parseCreditCode('9164-0104'))).toEqual(['length', 'characters']);
    for (const c of 'IOZSV') {
      expect(codes(parseCreditCode(`${code.slice(0, 17)}${c}`))).toEqual(['characters']);
    }
  });

  it('requires digits for the division code', () => {
    const code = make('916401A4MA0000001');
    expect(codes(parseCreditCode(code))).toEqual(['division_code']);
  });

  it('names the expected check character', () => {
    const code = make('91640104MA0000001');
    const wrong = `${code.slice(0, 17)}${code.endsWith('0') ? '1' : '0'}`;
    const result = parseCreditCode(wrong);
    expect(codes(result)).toEqual(['check_character']);
    expect(result.ok ? '' : result.errors[0]?.message).toContain(`require ${code.slice(17)}`);
    expect(result.ok ? '' : result.errors[0]?.messageZh).toContain(`校验码应为${code.slice(17)}`);
  });

  it('reports every problem at once', () => {
    const first = '916401A4MA0000001';
    const wrong = `${first}${creditCodeCheckCharacter(first) === '0' ? '1' : '0'}`;
    expect(codes(parseCreditCode(wrong))).toEqual(['division_code', 'check_character']);
  });
});

describe('credit code properties', () => {
  it('parses every valid code', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        const result = parseCreditCode(code);
        expect(result.ok).toBe(true);
        expect(result.ok && result.value.divisionCode).toBe(code.slice(2, 8));
        expect(result.ok && result.value.organisationCode).toBe(code.slice(8, 17));
      }),
      { numRuns: 500 },
    );
  });

  it('detects any single changed character', () => {
    fc.assert(
      fc.property(validCode, fc.integer({ min: 0, max: 17 }), alphabetChar, (code, position, c) => {
        fc.pre(code[position] !== c);
        const changed = code.slice(0, position) + c + code.slice(position + 1);
        expect(parseCreditCode(changed).ok).toBe(false);
        if (position < 17) expect(creditCodeCheckCharacter(changed.slice(0, 17))).not.toBe(code[17]);
      }),
      { numRuns: 1000 },
    );
  });
});
