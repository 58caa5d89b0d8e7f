import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ColumnSpec,
  defineSheet,
  normaliseHeader,
  SURVEY_HOUSEHOLDS,
  SURVEY_MEMBERS,
} from './sheet-spec';
import { excelSerialToDate, formatCell, numberText, parseCell } from './values';

const column = (key: string) =>
  [...SURVEY_HOUSEHOLDS.columns, ...SURVEY_MEMBERS.columns].find((c) => c.key === key) as ColumnSpec;

describe('the survey sheets', () => {
  it('have exactly the headers and required columns of TEMPLATES.md §1', () => {
    expect(SURVEY_HOUSEHOLDS.columns.map((c) => `${c.header}${c.required ? '*' : ''}`).join(' ')).toBe(
      '户主姓名* 户主身份证号* 联系电话 所属工会* 工作单位 统一社会信用代码 户口类型* 是否农民工* 住房类型 住房面积 ' +
        '工资性收入* 经营净收入 财产净收入 转移净收入 其他收入 医疗支出 残疾支出 教育支出 住房支出 其他刚性支出 ' +
        '就业必要支出 主要致困原因* 次要致困原因 调查日期* 调查人',
    );
    expect(SURVEY_MEMBERS.columns.map((c) => `${c.header}${c.required ? '*' : ''}`).join(' ')).toBe(
      '户主身份证号* 姓名* 身份证号* 与户主关系* 健康状况 就业就学状况 月收入',
    );
  });

  it('refuse a spec with a column twice', () => {
    expect(() =>
      defineSheet('x', [
        { header: '甲', key: 'a', required: true, kind: 'text' },
        { header: '甲', key: 'b', required: true, kind: 'text' },
      ]),
    ).toThrow(/twice/);
  });
});

describe('normaliseHeader', () => {
  it.each([
    [' 工资性收入（元/年） ', '工资性收入'],
    ['工资性收入(元/年)', '工资性收入'],
    ['住房面积 (m²)', '住房面积'],
    ['月收入\n（元/月）', '月收入'],
    ['　户主姓名　', '户主姓名'],
    ['户主(姓名)身份证号', '户主(姓名)身份证号'],
  ])('%j → %j', (header, expected) => {
    expect(normaliseHeader(header)).toBe(expected);
  });
});

describe('excelSerialToDate', () => {
  it.each([
    [1, '1900-01-01'],
    [59, '1900-02-28'],
    [61, '1900-03-01'],
    [41912, '2014-09-30'],
    [41912.999, '2014-09-30'],
    // Excel rounds times to the millisecond: this is midnight of the next day.
    [41912.99999999999, '2014-10-01'],
    [2958465, '9999-12-31'],
  ])('%d → %s', (serial, date) => {
    expect(excelSerialToDate(serial)).toBe(date);
  });

  it('has no 1900-02-29 (Lotus bug), nothing before day 1 and nothing past 9999', () => {
    expect(excelSerialToDate(60)).toBeUndefined();
    expect(excelSerialToDate(0)).toBeUndefined();
    expect(excelSerialToDate(-5)).toBeUndefined();
    expect(excelSerialToDate(2958466)).toBeUndefined();
    expect(excelSerialToDate(Number.NaN)).toBeUndefined();
  });

  it('counts from 1904-01-01 in a 1904 workbook', () => {
    expect(excelSerialToDate(0, true)).toBe('1904-01-01');
    expect(excelSerialToDate(41912 - 1462, true)).toBe('2014-09-30');
  });
});

describe('numberText', () => {
  it('shows what Excel shows: 15 significant digits', () => {
    expect(numberText(53.58)).toBe('53.58');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(1.005 * 1000)).toBe('1005');
    expect(numberText(13812345678)).toBe('13812345678');
  });
});

describe('parseCell and formatCell', () => {
  it('read money exactly whatever the binary double', () => {
    const wage = column('wageIncomeFen');
    for (const [input, fen] of [
      [53.58, 5358],
      [1.1, 110],
      [19.99, 1999],
      ['0.07', 7],
      [0, 0],
      ['-0', 0],
    ] as const) {
      expect(parseCell(wage, input)).toEqual({ ok: true, value: fen });
    }
  });

  it('write every amount so that it reads back the same (fen → yuan number → fen)', () => {
    const net = column('businessIncomeFen');
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }), (fen) => {
        const out = formatCell(net, fen);
        // Excel and exceljs store the number as JavaScript prints it, and read it with parseFloat.
        const stored = Number.parseFloat(String(out?.value));
        expect(parseCell(net, stored)).toEqual({ ok: true, value: fen === 0 ? 0 : fen });
      }),
      { numRuns: 20_000 },
    );
  });

  it('write areas so that they read back the same', () => {
    const area = column('housingAreaCentiM2');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (hundredths) => {
        const stored = Number.parseFloat(String(formatCell(area, hundredths)?.value));
        expect(parseCell(area, stored)).toEqual({ ok: true, value: hundredths });
      }),
    );
  });

  it('write codes as labels and read labels as codes', () => {
    expect(formatCell(column('primaryCause'), '9')).toEqual({ value: '子女上学' });
    expect(formatCell(column('secondaryCauses'), ['6', '9'])).toEqual({ value: '患重特大疾病、子女上学' });
    expect(formatCell(column('secondaryCauses'), [])).toBeUndefined();
    expect(parseCell(column('secondaryCauses'), '患重特大疾病、子女上学')).toEqual({
      ok: true,
      value: ['6', '9'],
    });
  });

  it('write booleans, dates and text as the reader takes them', () => {
    expect(formatCell(column('migrantWorker'), true)).toEqual({ value: '是' });
    expect(formatCell(column('migrantWorker'), false)).toEqual({ value: '否' });
    expect(formatCell(column('surveyDate'), '2014-09-30')).toEqual({ value: '2014-09-30' });
    expect(formatCell(column('wageIncomeFen'), 5358)).toEqual({ value: 53.58, numFmt: '#,##0.00' });
    expect(formatCell(column('surveyor'), '')).toBeUndefined();
    expect(formatCell(column('surveyor'), null)).toBeUndefined();
  });

  it('refuse to write what would not import again', () => {
    expect(() => formatCell(column('wageIncomeFen'), 12.5)).toThrow(/wageIncomeFen \(工资性收入\)/);
    expect(() => formatCell(column('wageIncomeFen'), -1)).toThrow(/non-negative/);
    expect(() => formatCell(column('wageIncomeFen'), '100')).toThrow(TypeError);
    expect(() => formatCell(column('primaryCause'), '11')).toThrow(/a code of/);
    expect(() => formatCell(column('secondaryCauses'), ['1', '2', '3', '4'])).toThrow(/at most 3/);
    expect(() => formatCell(column('secondaryCauses'), ['1', '1'])).toThrow(/distinct/);
    expect(() => formatCell(column('surveyDate'), '2014-02-30')).toThrow(/date/);
    expect(() => formatCell(column('migrantWorker'), '是')).toThrow(/boolean/);
    expect(() => formatCell(column('housingAreaCentiM2'), -100)).toThrow(/non-negative/);
  });
});
