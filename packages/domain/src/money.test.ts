import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenInCapitals } from './money';

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const PLACES: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };

/** Reads capitals back to fen (for amounts below 万亿), to check the writing against the number. */
function readCapitals(text: string): number {
  const negative = text.startsWith('负');
  const body = text.replace(/^负/, '').replace(/整$/, '');
  const [integer, decimals] = body.includes('元') ? (body.split('元') as [string, string]) : ['', body];
  let yi = 0;
  let wan = 0;
  let section = 0;
  let digit = 0;
  for (const ch of integer) {
    const d = DIGITS.indexOf(ch);
    if (d >= 0) digit = d;
    else if (PLACES[ch]) {
      section += digit * (PLACES[ch] as number);
      digit = 0;
    } else if (ch === '万') {
      wan = section + digit;
      section = digit = 0;
    } else if (ch === '亿') {
      yi = wan * 10_000 + section + digit;
      wan = section = digit = 0;
    } else throw new Error(`unexpected ${ch} in ${text}`);
  }
  const yuan = yi * 100_000_000 + wan * 10_000 + section + digit;
  const jiao = /([壹贰叁肆伍陆柒捌玖])角/.exec(decimals)?.[1];
  const fen = /([壹贰叁肆伍陆柒捌玖])分/.exec(decimals)?.[1];
  const total = yuan * 100 + (jiao ? DIGITS.indexOf(jiao) * 10 : 0) + (fen ? DIGITS.indexOf(fen) : 0);
  return negative ? -total : total;
}

describe('amounts in Chinese capital numerals (大写)', () => {
  it('writes the examples of 《支付结算办法》 and a receipt’s usual amounts', () => {
    expect(fenInCapitals(0)).toBe('零元整');
    expect(fenInCapitals(50_000)).toBe('伍佰元整');
    expect(fenInCapitals(1_000)).toBe('壹拾元整');
    expect(fenInCapitals(1_500)).toBe('壹拾伍元整');
    expect(fenInCapitals(1_640_902)).toBe('壹万陆仟肆佰零玖元零贰分');
    expect(fenInCapitals(168_032)).toBe('壹仟陆佰捌拾元叁角贰分');
    expect(fenInCapitals(10_700_053)).toBe('壹拾万零柒仟元伍角叁分');
    expect(fenInCapitals(32_504)).toBe('叁佰贰拾伍元零肆分');
    expect(fenInCapitals(100_010_000)).toBe('壹佰万零壹佰元整');
    expect(fenInCapitals(10_000_000_100)).toBe('壹亿零壹元整');
    expect(fenInCapitals(10_001_000_000)).toBe('壹亿零壹万元整');
    expect(fenInCapitals(1_001_000)).toBe('壹万零壹拾元整');
    expect(fenInCapitals(50)).toBe('伍角');
    expect(fenInCapitals(5)).toBe('伍分');
    expect(fenInCapitals(240_050)).toBe('贰仟肆佰元伍角');
    expect(fenInCapitals(-50_000)).toBe('负伍佰元整');
    expect(() => fenInCapitals(1.5)).toThrow(RangeError);
  });

  it('reads back as the same amount, with 壹 before every 拾 and never two zeros together', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9_000_000_000_000, max: 9_000_000_000_000 }), (fen) => {
        const text = fenInCapitals(fen);
        expect(readCapitals(text)).toBe(fen);
        if (fen !== 0) expect(text).not.toMatch(/零零|零[元万亿角]|^负?零[^元]|(^|[^壹贰叁肆伍陆柒捌玖])拾/);
        expect(text.endsWith('整')).toBe(fen % 100 === 0);
      }),
    );
  });
});
