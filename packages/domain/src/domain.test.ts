import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFen, isCalendarDate, shanghaiDate, yuanToFen } from './index';

describe('Shanghai calendar dates', () => {
  it('takes the date in Asia/Shanghai, not UTC', () => {
    expect(shanghaiDate(new Date('2014-09-30T15:59:59Z'))).toBe('2014-09-30');
    expect(shanghaiDate(new Date('2014-09-30T16:00:00Z'))).toBe('2014-10-01');
  });

  it('knows real dates', () => {
    expect(isCalendarDate('2016-02-29')).toBe(true);
    expect(isCalendarDate('2015-02-29')).toBe(false);
    expect(isCalendarDate('2014-13-01')).toBe(false);
    expect(isCalendarDate('2014-9-30')).toBe(false);
  });
});

describe('money in fen', () => {
  it('parses yuan exactly', () => {
    expect(yuanToFen('4286800')).toBe(428680000);
    expect(yuanToFen('53.58')).toBe(5358);
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('1,234.56')).toBe(123456);
    expect(yuanToFen('-3.05')).toBe(-305);
    expect(() => yuanToFen('1.234')).toThrow(RangeError);
    expect(() => yuanToFen('abc')).toThrow(RangeError);
  });

  it('formats in both languages', () => {
    expect(formatFen(123456)).toBe('1,234.56元');
    expect(formatFen(123456, 'en')).toBe('¥1,234.56');
    expect(formatFen(-5, 'en')).toBe('-¥0.05');
  });

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (fen) => {
        const text = formatFen(fen, 'en').replace('¥', '');
        expect(yuanToFen(text)).toBe(fen);
      }),
    );
  });
});
