import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knownDivisionCodes } from './divisions';
import {
  checkCharacter,
  convert15To18,
  maskResidentId,
  parseResidentId,
  type ResidentIdResult,
  residentIdContradictions,
} from './resident-id';

// Numbers here are made up: sequences 001/002 and round birth dates, check characters computed.
const TODAY = '2025-06-30';

/** An 18-character number with the right check character. */
function make(division: string, birth: string, sequence: string): string {
  const first17 = `${division}${birth}${sequence}`;
  return first17 + checkCharacter(first17);
}

/** A sequence whose check character is X, for the case tests. */
function sequenceWithX(division: string, birth: string): string {
  for (let s = 0; s < 1000; s++) {
    const sequence = String(s).padStart(3, '0');
    if (checkCharacter(`${division}${birth}${sequence}`) === 'X') return sequence;
  }
  throw new Error('no sequence gives X');
}

function codes(result: ResidentIdResult): string[] {
  return result.ok ? [] : result.errors.map((e) => e.code);
}

/** An independent reading of the standard: weight 2^(17−i) mod 11 for index i from 0. */
function referenceCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  return '10X98765432'[sum % 11] as string;
}

describe('GB 11643 check character', () => {
  it('matches the example of the standard', () => {
    // The example number printed in GB 11643-1999: 北京市朝阳区, 1949-12-31, sequence 002.
    expect(checkCharacter('11010519491231002')).toBe('X');
  });

  it('matches an independent reading of ISO 7064 MOD 11-2', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
        expect(checkCharacter(first17)).toBe(referenceCheck(first17));
      }),
    );
  });

  it('refuses anything but 17 digits', () => {
    expect(() => checkCharacter('1234567890123456')).toThrow(RangeError);
    expect(() => checkCharacter('1234567890123456X')).toThrow(RangeError);
    expect(() => checkCharacter('123456789012345678')).toThrow(RangeError);
  });

  it('changes with every single-digit change in the first 17 digits (verified exhaustively)', () => {
    // The check depends on S mod 11 only, and a change of digit a to b at position i moves S by
    // w_i·(b−a), whatever the other digits: so it suffices to try every position and pair once.
    const zeros = '0'.repeat(17);
    for (let i = 0; i < 17; i++) {
      for (let a = 0; a < 10; a++) {
        for (let b = 0; b < 10; b++) {
          if (a === b) continue;
          const withA = `${zeros.slice(0, i)}${a}${zeros.slice(i + 1)}`;
          const withB = `${zeros.slice(0, i)}${b}${zeros.slice(i + 1)}`;
          expect(checkCharacter(withA)).not.toBe(checkCharacter(withB));
        }
      }
    }
  });
});

describe('parseResidentId', () => {
  it('reads an 18-character number', () => {
    const id = make('640104', '19700101', '001');
    expect(parseResidentId(id, { today: TODAY })).toEqual({
      ok: true,
      value: {
        id18: id,
        divisionCode: '640104',
        division: { code: '640104', name: '兴庆区', current: true },
        birthDate: '1970-01-01',
        sex: 'male',
        convertedFrom15: false,
      },
    });
  });

  it('reads the sex from the parity of the sequence', () => {
    const female = parseResidentId(make('640104', '19700101', '002'), { today: TODAY });
    expect(female.ok && female.value.sex).toBe('female');
    const male = parseResidentId(make('640104', '19700101', '999'), { today: TODAY });
    expect(male.ok && male.value.sex).toBe('male');
  });

  it('trims and upper-cases a trailing x', () => {
    const sequence = sequenceWithX('640104', '19700101');
    const id = make('640104', '19700101', sequence);
    expect(id.endsWith('X')).toBe(true);
    const result = parseResidentId(`  ${id.slice(0, 17)}x\t`, { today: TODAY });
    expect(result.ok && result.value.id18).toBe(id);
  });

  it('accepts the example of the standard', () => {
    const result = parseResidentId('11010519491231002X', { today: TODAY });
    expect(result.ok && result.value).toMatchObject({ birthDate: '1949-12-31', sex: 'female' });
  });

  it('accepts a division abolished since, as past', () => {
    // 崇文区 (Beijing) existed from 1952 to 2010: people born there keep its code.
    const result = parseResidentId(make('110103', '19700101', '002'), { today: TODAY });
    expect(result.ok && result.value.division).toEqual({ code: '110103', name: '崇文区', current: false });
  });

  it('accepts a plausible code the datasets miss, without a division', () => {
    // 银川市城区, 640102, was abolished in 2002, before the oldest revision in the datasets.
    const result = parseResidentId(make('640102', '19700101', '001'), { today: TODAY });
    expect(result.ok).toBe(true);
    expect(result.ok && result.value.division).toBeUndefined();
    expect(result.ok && result.value.divisionCode).toBe('640102');
  });

  it('accepts residence permits of Hong Kong, Macao and Taiwan residents', () => {
    for (const code of ['810000', '820000', '830000']) {
      expect(parseResidentId(make(code, '19900101', '001'), { today: TODAY }).ok).toBe(true);
    }
  });

  it('converts a 15-digit number', () => {
    // 640104 (兴庆区) was created in 2002, so a 1985 number could not carry it; 110103 could.
    const result = parseResidentId('110103700101001', { today: TODAY });
    expect(result).toEqual({
      ok: true,
      value: {
        id18: make('110103', '19700101', '001'),
        divisionCode: '110103',
        division: { code: '110103', name: '崇文区', current: false },
        birthDate: '1970-01-01',
        sex: 'male',
        convertedFrom15: true,
      },
    });
    expect(convert15To18('110103700101001')).toBe(`11010319700101001${checkCharacter('11010319700101001')}`);
    expect(convert15To18('640104700101002')).toBe(make('640104', '19700101', '002'));
  });

  it('refuses to convert what is not 15 digits', () => {
    expect(() => convert15To18('64010470010100')).toThrow(RangeError);
    expect(() => convert15To18('64010470010100X')).toThrow(RangeError);
  });

  it('reports a wrong length', () => {
    expect(codes(parseResidentId('64010419700101001', { today: TODAY }))).toEqual(['length']);
    expect(codes(parseResidentId('', { today: TODAY }))).toEqual(['length']);
    expect(codes(parseResidentId('abc', { today: TODAY }))).toEqual(['length', 'characters']);
    expect(codes(parseResidentId('6401041970010100123', { today: TODAY }))).toEqual(['length']);
  });

  it('reports characters other than digits and a final X', () => {
    const id = make('640104', '19700101', '001');
    expect(codes(parseResidentId(`${id.slice(0, 16)}A${id.slice(17)}`, { today: TODAY }))).toEqual([
      'characters',
    ]);
    expect(codes(parseResidentId(`X${id.slice(1)}`, { today: TODAY }))).toEqual(['characters']);
    expect(codes(parseResidentId('11010370010100X', { today: TODAY }))).toEqual(['characters']);
    // Full-width digits are not digits.
    expect(codes(parseResidentId(`６${id.slice(1)}`, { today: TODAY }))).toEqual(['characters']);
  });

  it('names the expected check character', () => {
    const id = make('640104', '19700101', '001');
    const wrong = id.endsWith('0') ? `${id.slice(0, 17)}1` : `${id.slice(0, 17)}0`;
    const result = parseResidentId(wrong, { today: TODAY });
    expect(codes(result)).toEqual(['check_character']);
    expect(result.ok ? '' : result.errors[0]?.message).toContain(`require ${id.slice(17)}`);
    expect(result.ok ? '' : result.errors[0]?.messageZh).toContain(`校验码应为${id.slice(17)}`);
  });

  it('reports impossible birth dates', () => {
    expect(codes(parseResidentId(make('640104', '19700230', '001'), { today: TODAY }))).toEqual([
      'birth_date_invalid',
    ]);
    expect(codes(parseResidentId(make('640104', '19701301', '001'), { today: TODAY }))).toEqual([
      'birth_date_invalid',
    ]);
    expect(codes(parseResidentId(make('640104', '18500101', '001'), { today: TODAY }))).toEqual([
      'birth_date_invalid',
    ]);
    expect(codes(parseResidentId('640104700230001', { today: TODAY }))).toEqual(['birth_date_invalid']);
    expect(parseResidentId(make('640104', '20000229', '001'), { today: TODAY }).ok).toBe(true);
  });

  it('reports a birth date after today, in Shanghai', () => {
    const id = make('640104', '20250630', '001');
    expect(parseResidentId(id, { today: '2025-06-30' }).ok).toBe(true);
    expect(codes(parseResidentId(id, { today: '2025-06-29' }))).toEqual(['birth_date_future']);
    // Without a date given, today is taken in Shanghai: a number born in 2999 is always in the future.
    expect(codes(parseResidentId(make('640104', '29990101', '001')))).toEqual(['birth_date_future']);
  });

  it('refuses a today that is not a date', () => {
    expect(() => parseResidentId(make('640104', '19700101', '001'), { today: '2025-02-30' })).toThrow(
      RangeError,
    );
  });

  it('reports unknown division codes', () => {
    expect(codes(parseResidentId(make('990101', '19700101', '001'), { today: TODAY }))).toEqual([
      'division_unknown',
    ]);
    expect(codes(parseResidentId(make('640001', '19700101', '001'), { today: TODAY }))).toEqual([
      'division_unknown',
    ]);
    expect(codes(parseResidentId('990101700101001', { today: TODAY }))).toEqual(['division_unknown']);
  });

  it('reports every problem at once', () => {
    const result = parseResidentId('99010119700230001Y', { today: TODAY });
    expect(codes(result)).toEqual(['characters', 'division_unknown', 'birth_date_invalid']);
    const first17 = '99010120300101001';
    const wrong = checkCharacter(first17) === '0' ? `${first17}1` : `${first17}0`;
    expect(codes(parseResidentId(wrong, { today: TODAY }))).toEqual([
      'division_unknown',
      'birth_date_future',
      'check_character',
    ]);
  });

  it('explains each problem in English and Chinese', () => {
    const result = parseResidentId('99010119700230001Y', { today: TODAY });
    expect(result.ok).toBe(false);
    for (const error of result.ok ? [] : result.errors) {
      expect(error.message).toMatch(/^[A-Z].*\.$/);
      expect(error.messageZh).toMatch(/[\u4e00-\u9fff]/);
      expect(error.messageZh).toMatch(/。$/);
    }
  });
});

const DAY = 86_400_000;
const knownCodes = knownDivisionCodes();

function dateBetween(from: string, to: string) {
  return fc
    .integer({ min: Date.parse(from) / DAY, max: Date.parse(to) / DAY })
    .map((day) => new Date(day * DAY).toISOString().slice(0, 10));
}
const sequence = fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0'));
const validId = fc
  .tuple(fc.constantFrom(...knownCodes), dateBetween('1900-01-01', TODAY), sequence)
  .map(([division, date, seq]) => make(division, date.replaceAll('-', ''), seq));

describe('resident ID properties', () => {
  it('parses every valid number', () => {
    fc.assert(
      fc.property(validId, (id) => {
        const result = parseResidentId(id, { today: TODAY });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.value.id18).toBe(id);
        expect(result.value.birthDate.replaceAll('-', '')).toBe(id.slice(6, 14));
        expect(result.value.sex).toBe(Number(id[16]) % 2 === 1 ? 'male' : 'female');
        expect(result.value.division?.code).toBe(id.slice(0, 6));
      }),
      { numRuns: 500 },
    );
  });

  it('detects any single changed character', () => {
    fc.assert(
      fc.property(
        validId,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...'0123456789X'),
        (id, position, replacement) => {
          fc.pre(id[position] !== replacement);
          const changed = id.slice(0, position) + replacement + id.slice(position + 1);
          expect(parseResidentId(changed, { today: TODAY }).ok).toBe(false);
          if (position < 17 && replacement !== 'X') {
            expect(checkCharacter(changed.slice(0, 17))).not.toBe(id[17]);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('round-trips birth date and sex through the 15 to 18 conversion', () => {
    const valid15 = fc
      .tuple(fc.constantFrom(...knownCodes), dateBetween('1900-01-01', '1999-12-31'), sequence)
      .map(([division, date, seq]) => `${division}${date.slice(2).replaceAll('-', '')}${seq}`);
    fc.assert(
      fc.property(valid15, (id15) => {
        const old = parseResidentId(id15, { today: TODAY });
        expect(old.ok).toBe(true);
        if (!old.ok) return;
        expect(old.value.convertedFrom15).toBe(true);
        expect(old.value.birthDate).toBe(`19${id15.slice(6, 8)}-${id15.slice(8, 10)}-${id15.slice(10, 12)}`);
        expect(old.value.sex).toBe(Number(id15[14]) % 2 === 1 ? 'male' : 'female');
        const id18 = convert15To18(id15);
        expect(id18).toBe(old.value.id18);
        expect(id18.slice(0, 6) + id18.slice(8, 17)).toBe(id15);
        const fresh = parseResidentId(id18, { today: TODAY });
        expect(fresh.ok && { ...fresh.value, convertedFrom15: true }).toEqual(old.value);
      }),
      { numRuns: 500 },
    );
  });
});

describe('maskResidentId', () => {
  it('shows the division code and the last four characters only', () => {
    const id = make('640104', '19700101', '001');
    expect(maskResidentId(id)).toBe(`640104********${id.slice(14)}`);
    expect(maskResidentId('640104700101001')).toBe('640104*****1001');
    expect(maskResidentId('  11010519491231002x ')).toBe('110105********002X');
  });

  it('masks whole anything that is not a number', () => {
    expect(maskResidentId('6401041970')).toBe('**********');
    expect(maskResidentId('')).toBe('');
  });

  it('never reveals more than 10 characters, nor the birth date', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const masked = maskResidentId(text);
        expect(masked.replaceAll('*', '').length).toBeLessThanOrEqual(10);
      }),
    );
    fc.assert(
      fc.property(validId, (id) => {
        expect(maskResidentId(id)).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      }),
    );
  });
});

describe('residentIdContradictions', () => {
  const id = make('640104', '19700101', '001');

  it('finds none when the facts agree', () => {
    expect(residentIdContradictions(id, {})).toEqual([]);
    expect(residentIdContradictions(id, { sex: 'male', birthDate: '1970-01-01' })).toEqual([]);
  });

  it('names each contradicted fact', () => {
    expect(residentIdContradictions(id, { sex: 'female' })).toEqual([
      { fact: 'sex', inNumber: 'male', given: 'female' },
    ]);
    expect(residentIdContradictions(id, { sex: 'female', birthDate: '1970-01-02' })).toEqual([
      { fact: 'sex', inNumber: 'male', given: 'female' },
      { fact: 'birthDate', inNumber: '1970-01-01', given: '1970-01-02' },
    ]);
  });

  it('refuses a malformed number or date', () => {
    expect(() => residentIdContradictions('640104700101001', { sex: 'male' })).toThrow(RangeError);
    expect(() => residentIdContradictions(make('640104', '19700230', '001'), {})).toThrow(RangeError);
    expect(() => residentIdContradictions(id, { birthDate: '1970-1-1' })).toThrow(RangeError);
  });
});
