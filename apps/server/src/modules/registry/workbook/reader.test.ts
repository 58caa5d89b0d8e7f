import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { convert15To18 } from '@niangjia/domain';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCode, residentId, sampleHousehold } from './generate';
import { type CellIssue, readAll, readWorkbook, type SheetIssue } from './reader';
import { sheetNamesOf } from './sheet-names';
import {
  defineSheet,
  normaliseHeader,
  SURVEY_HOUSEHOLDS,
  SURVEY_MEMBERS,
  SURVEY_WORKBOOK,
} from './sheet-spec';
import { buildXlsx, excelDate, type Formatted, formatted, scratchDir } from './test-workbooks';
import { writeWorkbook } from './writer';

const TODAY = '2026-01-01';
const HEAD_ID = residentId('640104', '19800101', 11);
const COMPANY = creditCode(12345);

type Cell = ExcelJS.CellValue | Formatted;

/** A valid household, by header. */
const BASE: Record<string, Cell> = {
  户主姓名: '张三',
  户主身份证号: HEAD_ID,
  联系电话: '13812345678',
  所属工会: '640104',
  工作单位: '银川市某某有限公司',
  统一社会信用代码: COMPANY,
  户口类型: '城镇',
  是否农民工: '否',
  住房类型: '租赁',
  住房面积: 45.5,
  工资性收入: '36000',
  经营净收入: -1200.5,
  转移净收入: '1,200',
  主要致困原因: '6',
  次要致困原因: '子女上学、3',
  调查日期: '2025-03-01',
  调查人: '王五',
};

const BASE_VALUES = {
  headName: '张三',
  headIdNumber: HEAD_ID,
  phone: '13812345678',
  orgCode: '640104',
  employerName: '银川市某某有限公司',
  employerCreditCode: COMPANY,
  householdRegistration: 'urban',
  migrantWorker: false,
  housingType: 'rented',
  housingAreaCentiM2: 4550,
  wageIncomeFen: 3_600_000,
  businessIncomeFen: -120_050,
  transferIncomeFen: 120_000,
  primaryCause: '6',
  secondaryCauses: ['9', '3'],
  surveyDate: '2025-03-01',
  surveyor: '王五',
};

const HEADERS = SURVEY_HOUSEHOLDS.columns.map((c) => c.header);
const MEMBER_HEADERS = SURVEY_MEMBERS.columns.map((c) => c.header);

/** A household row for the given header row, the base values changed by `changes` (by header). */
function household(changes: Record<string, Cell> = {}, headers: readonly string[] = HEADERS): Cell[] {
  const cells: Record<string, Cell> = { ...BASE, ...changes };
  return headers.map((h) => cells[normaliseHeader(h)] ?? null);
}

const member = (id: string): Cell[] => [HEAD_ID, '李四', id, '配偶', '健康', '在职', 2500];

let scratch: Awaited<ReturnType<typeof scratchDir>>;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(async () => {
  await scratch.remove();
});

let fileNo = 0;
async function survey(households: (Cell[] | undefined)[], headers: readonly string[] = HEADERS) {
  const file = scratch.path(`survey-${++fileNo}.xlsx`);
  await buildXlsx(file, [
    { name: '家庭', rows: [headers as Cell[], ...households] },
    { name: '家庭成员', rows: [MEMBER_HEADERS, member(residentId('640105', '19820202', 22))] },
  ]);
  return file;
}

const read = (file: string) => readAll(file, SURVEY_WORKBOOK, { today: TODAY });

describe('readWorkbook: headers', () => {
  it('matches headers in any order, with units in brackets and spaces, and warns once of unknown columns', async () => {
    const headers = [
      '序号',
      ...[...HEADERS]
        .reverse()
        .map((h, i) =>
          h === '工资性收入'
            ? ' 工资性收入（元/年） '
            : h === '住房面积'
              ? '住房面积(m²)'
              : h === '医疗支出'
                ? '医疗支出\n(元/年)'
                : i % 2 === 0
                  ? ` ${h}　`
                  : h,
        ),
      '备注',
    ];
    const file = await survey(
      [
        household({ 序号: 1, 备注: '低保户' }, headers),
        household({ 序号: 2, 户主姓名: '赵六' }, headers),
        undefined,
        household({ 序号: 3 }, headers).map((_, i) => (i === 0 ? 3 : null)),
        household({ 序号: 4 }, headers).map((c, i) => (i === 0 ? null : typeof c === 'string' ? '  ' : null)),
        household({ 序号: 5, 户主姓名: '孙七' }, headers),
      ],
      headers,
    );
    const { rows, issues, ends } = await read(file);

    expect(issues).toEqual<SheetIssue[]>([
      {
        type: 'issue',
        severity: 'warning',
        code: 'unknown_column',
        sheet: '家庭',
        row: 1,
        column: '序号',
        message: '未知的列“序号”，已忽略',
      },
      {
        type: 'issue',
        severity: 'warning',
        code: 'unknown_column',
        sheet: '家庭',
        row: 1,
        column: '备注',
        message: '未知的列“备注”，已忽略',
      },
    ]);
    const households = rows.filter((r) => r.sheet === '家庭');
    // Rows 4 (empty), 5 (only 序号) and 6 (only spaces) are skipped silently.
    expect(households.map((r) => r.row)).toEqual([2, 3, 7]);
    expect(households.every((r) => r.ok)).toBe(true);
    expect(households[0]?.values).toEqual(BASE_VALUES);
    expect(households.map((r) => (r.values as { headName: string }).headName)).toEqual([
      '张三',
      '赵六',
      '孙七',
    ]);
    expect(ends).toEqual([
      { type: 'sheetEnd', sheet: '家庭', rows: 3, rejected: false },
      { type: 'sheetEnd', sheet: '家庭成员', rows: 1, rejected: false },
    ]);
  });

  it('reports a missing required column once at row 1 and reads none of that sheet', async () => {
    const headers = HEADERS.filter((h) => h !== '户主姓名' && h !== '调查日期' && h !== '调查人');
    const file = await survey([household({}, headers), household({}, headers), undefined], headers);
    const { rows, issues, ends } = await read(file);

    expect(issues).toEqual([
      {
        type: 'issue',
        severity: 'error',
        code: 'missing_column',
        sheet: '家庭',
        row: 1,
        column: '户主姓名',
        message: '缺少必填列“户主姓名”（表头须在第1行）：本表未导入',
      },
      {
        type: 'issue',
        severity: 'error',
        code: 'missing_column',
        sheet: '家庭',
        row: 1,
        column: '调查日期',
        message: '缺少必填列“调查日期”（表头须在第1行）：本表未导入',
      },
    ]);
    // A missing optional column (调查人) is no problem; the other sheet is read as usual.
    expect(rows.map((r) => r.sheet)).toEqual(['家庭成员']);
    expect(ends[0]).toEqual({ type: 'sheetEnd', sheet: '家庭', rows: 2, rejected: true });
  });

  it('refuses a sheet with a known column twice', async () => {
    const headers = [...HEADERS, '工资性收入(元)'];
    const file = await survey([household({}, headers)], headers);
    const { rows, issues } = await read(file);
    expect(issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'duplicate_column',
        row: 1,
        column: '工资性收入',
        message: '列“工资性收入”出现了两次（第K列和第Z列），无法确定用哪一列：本表未导入',
      }),
    ]);
    expect(rows.filter((r) => r.sheet === '家庭')).toEqual([]);
  });

  it('reports a header that is not on row 1 as missing columns', async () => {
    const file = scratch.path('title-row.xlsx');
    await buildXlsx(file, [
      { name: '家庭', rows: [['困难职工摸底调查表'], HEADERS, household()] },
      { name: '家庭成员', rows: [MEMBER_HEADERS] },
    ]);
    const { rows, issues } = await read(file);
    expect(rows).toEqual([]);
    expect(issues.filter((i) => i.code === 'missing_column')).toHaveLength(
      SURVEY_HOUSEHOLDS.columns.filter((c) => c.required).length,
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'unknown_column', column: '困难职工摸底调查表' }),
    );
  });

  it('reports a missing sheet once, at the end, and ignores sheets no spec names', async () => {
    const file = scratch.path('one-sheet.xlsx');
    await buildXlsx(file, [
      { name: '填表说明', rows: [['请按说明填写']] },
      { name: ' 家庭 ', rows: [HEADERS, household()] },
    ]);
    const { rows, issues } = await read(file);
    expect(rows.map((r) => [r.sheet, r.row, r.ok])).toEqual([['家庭', 2, true]]);
    expect(issues).toEqual([
      {
        type: 'issue',
        severity: 'error',
        code: 'missing_sheet',
        sheet: '家庭成员',
        message: '工作簿中没有名为“家庭成员”的工作表',
      },
    ]);
  });

  it('reads a sheet with a header and no rows as empty, and a blank sheet as one without its header', async () => {
    const file = scratch.path('empty.xlsx');
    await buildXlsx(file, [
      { name: '家庭', rows: [HEADERS] },
      { name: '家庭成员', rows: [] },
    ]);
    const { rows, issues, ends } = await read(file);
    expect(rows).toEqual([]);
    expect(ends.map((e) => [e.sheet, e.rows, e.rejected])).toEqual([
      ['家庭', 0, false],
      ['家庭成员', 0, true],
    ]);
    expect(issues.map((i) => [i.code, i.sheet, i.column])).toEqual([
      ['missing_column', '家庭成员', '户主身份证号'],
      ['missing_column', '家庭成员', '姓名'],
      ['missing_column', '家庭成员', '身份证号'],
      ['missing_column', '家庭成员', '与户主关系'],
    ]);
  });
});

describe('readWorkbook: cells', () => {
  const wrongCheck = `${HEAD_ID.slice(0, 17)}${HEAD_ID.endsWith('1') ? '2' : '1'}`;
  const cases: [header: string, cell: Cell, message: string | RegExp][] = [
    [
      '户主身份证号',
      wrongCheck,
      `身份证号“${wrongCheck.slice(0, 6)}********${wrongCheck.slice(-4)}”有误：校验码应为${HEAD_ID[17]}，实为${wrongCheck[17]}：可能有数字输错。`,
    ],
    [
      '户主身份证号',
      '64010419800101',
      '身份证号“640104****0101”有误：公民身份号码应为18位（旧号码为15位），此号码为14位。',
    ],
    // What Excel keeps of an 18-digit number typed into a General cell.
    [
      '户主身份证号',
      Number('640104198001010011'),
      /身份证号被Excel存成了数字（640104\*{8}0000）.*“文本”格式/,
    ],
    ['户主身份证号', '640104208001010011', /号码中的出生日期2080-01-01晚于今天/],
    ['调查日期', '2014-02-30', '“2014-02-30”不是实际存在的日期'],
    ['调查日期', '30/09/2014', /^“30\/09\/2014”不是日期：应为2014-09-30这样的日期/],
    ['调查日期', 20140930, /^“20140930”不是日期/],
    ['工资性收入', '12.345', '“12.345”的小数超过两位：金额（元）最多保留两位小数'],
    ['工资性收入', 12.345, '“12.345”的小数超过两位：金额（元）最多保留两位小数'],
    ['工资性收入', '-100', '金额（元）不能为负数，实为-100'],
    ['工资性收入', '一万', '“一万”不是金额（元）：应为数字，最多两位小数，如1234.56'],
    ['主要致困原因', '11', /^“11”不是主要致困原因的可选项：可填1 无劳动能力、2 有劳动能力未就业、.*10 其他$/],
    ['次要致困原因', '1、2、3、4', '最多填3项，实为4项'],
    ['次要致困原因', '1、火灾、水灾', /^“火灾”、“水灾”不是次要致困原因的可选项/],
    ['次要致困原因', '3,下岗失业', '下岗失业重复填写'],
    ['是否农民工', '事', '应填“是”或“否”，实为“事”'],
    ['是否农民工', true, '应填“是”或“否”，实为“TRUE”'],
    ['户主姓名', null, '必填'],
    ['户主姓名', '  ', '必填'],
    ['户主姓名', '名'.repeat(51), '超过50个字（实为51个）'],
    ['联系电话', '1381234567', /^“1381234567”不是有效的电话号码/],
    ['统一社会信用代码', `${COMPANY.slice(0, 17)}${COMPANY.endsWith('0') ? '1' : '0'}`, /有误：校验码应为/],
    ['所属工会', '640 104', '“640 104”不是组织代码：应为1至32位字母、数字或“-”，如640104'],
    ['住房面积', '45.555', '“45.555”的小数超过两位：面积（平方米）最多保留两位小数'],
    ['住房面积', -3, '面积（平方米）不能为负数，实为-3'],
    ['户口类型', '城市', '“城市”不是户口类型的可选项：可填城镇、农村'],
    ['调查日期', { formula: 'TODAY()' } as ExcelJS.CellFormulaValue, /^公式没有保存计算结果/],
    ['工资性收入', { error: '#N/A' } as ExcelJS.CellErrorValue, '单元格是错误值#N/A'],
  ];

  it('reports each bad cell at its row and header, with a clear Chinese message', async () => {
    const file = await survey(cases.map(([header, cell]) => household({ [header]: cell })));
    const { rows } = await read(file);
    const households = rows.filter((r) => r.sheet === '家庭');
    expect(households).toHaveLength(cases.length);
    cases.forEach(([header, , message], i) => {
      const row = households[i];
      expect(row?.row).toBe(i + 2);
      expect(row?.ok).toBe(false);
      expect(row?.errors).toHaveLength(1);
      const error = row?.errors[0] as CellIssue;
      expect(error).toMatchObject({ sheet: '家庭', row: i + 2, column: header });
      if (typeof message === 'string') expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
      // The other cells are still read.
      const key = SURVEY_HOUSEHOLDS.columns.find((c) => c.header === header)?.key as string;
      expect(row?.values).toEqual(Object.fromEntries(Object.entries(BASE_VALUES).filter(([k]) => k !== key)));
    });
  });

  it('reports every problem of a row, in the order of the template', async () => {
    const file = await survey([
      household({
        调查日期: '昨天',
        户主姓名: null,
        是否农民工: 'Y',
        工资性收入: '1.001',
        次要致困原因: '99',
      }),
    ]);
    const { rows } = await read(file);
    const row = rows[0];
    expect(row?.ok).toBe(false);
    expect(row?.errors.map((e) => [e.row, e.column, e.key])).toEqual([
      [2, '户主姓名', 'headName'],
      [2, '是否农民工', 'migrantWorker'],
      [2, '工资性收入', 'wageIncomeFen'],
      [2, '次要致困原因', 'secondaryCauses'],
      [2, '调查日期', 'surveyDate'],
    ]);
    expect(row?.values).toMatchObject({ headIdNumber: HEAD_ID, primaryCause: '6' });
    expect(row?.values).not.toHaveProperty('headName');
  });

  const id15 = '640104800101001';
  const withX = (() => {
    for (let seq = 0; ; seq++) {
      const id = residentId('640104', '19750505', seq);
      if (id.endsWith('X')) return id;
    }
  })();
  const accepted: [header: string, cell: Cell, key: string, value: unknown][] = [
    ['户主身份证号', id15, 'headIdNumber', convert15To18(id15)],
    ['户主身份证号', Number(id15), 'headIdNumber', convert15To18(id15)],
    ['户主身份证号', ` ${withX.slice(0, 17)}x `, 'headIdNumber', withX],
    ['调查日期', '2014/9/30', 'surveyDate', '2014-09-30'],
    ['调查日期', '2014.9.30', 'surveyDate', '2014-09-30'],
    ['调查日期', ' 2014-9-30 ', 'surveyDate', '2014-09-30'],
    ['调查日期', excelDate(41912), 'surveyDate', '2014-09-30'],
    // 18:00 on that day: still that day, whatever the time zone.
    ['调查日期', formatted(41912.75, 'yyyy-mm-dd hh:mm'), 'surveyDate', '2014-09-30'],
    ['调查日期', new Date(Date.UTC(2014, 8, 30)), 'surveyDate', '2014-09-30'],
    ['调查日期', excelDate(61), 'surveyDate', '1900-03-01'],
    ['工资性收入', 53.58, 'wageIncomeFen', 5358],
    ['工资性收入', 0.1 + 0.2, 'wageIncomeFen', 30],
    ['工资性收入', formatted(1234, '#,##0.00'), 'wageIncomeFen', 123_400],
    ['工资性收入', '¥1,234.50', 'wageIncomeFen', 123_450],
    ['工资性收入', '100元', 'wageIncomeFen', 10_000],
    ['工资性收入', 9_999_999_999_999.99, 'wageIncomeFen', 999_999_999_999_999],
    ['工资性收入', { formula: 'B2*2', result: 107.16 } as ExcelJS.CellFormulaValue, 'wageIncomeFen', 10_716],
    ['经营净收入', '-0.5', 'businessIncomeFen', -50],
    ['住房面积', '60㎡', 'housingAreaCentiM2', 6000],
    ['联系电话', '0951-1234567', 'phone', '0951-1234567'],
    ['联系电话', '+86 138 1234 5678', 'phone', '13812345678'],
    ['联系电话', 13812345678, 'phone', '13812345678'],
    ['所属工会', 640105, 'orgCode', '640105'],
    ['统一社会信用代码', COMPANY.toLowerCase(), 'employerCreditCode', COMPANY],
    ['次要致困原因', '1,2，3', 'secondaryCauses', ['1', '2', '3']],
    ['次要致困原因', 7, 'secondaryCauses', ['7']],
    ['主要致困原因', '下岗失业', 'primaryCause', '3'],
    ['户口类型', 'rural', 'householdRegistration', 'rural'],
    ['是否农民工', ' 是 ', 'migrantWorker', true],
    [
      '户主姓名',
      { richText: [{ text: '欧阳', font: { bold: true } }, { text: '娜娜' }] } as ExcelJS.CellRichTextValue,
      'headName',
      '欧阳娜娜',
    ],
    ['户主姓名', { formula: 'A1&"x"', result: ' 王五 ' } as ExcelJS.CellFormulaValue, 'headName', '王五'],
    ['户主姓名', 'A&amp;B <公司> &lt;', 'headName', 'A&amp;B <公司> &lt;'],
  ];

  it('reads every form a valid cell takes', async () => {
    const file = await survey(accepted.map(([header, cell]) => household({ [header]: cell })));
    const { rows } = await read(file);
    accepted.forEach(([header, cell, key, value], i) => {
      const row = rows[i];
      expect(row?.errors, `${header} ${JSON.stringify(cell)}`).toEqual([]);
      const values = (row?.values ?? {}) as Record<string, unknown>;
      expect(values[key], `${header} ${JSON.stringify(cell)}`).toEqual(value);
    });
  });

  it('reads dates of a workbook that counts from 1904', async () => {
    const file = scratch.path('1904.xlsx');
    await buildXlsx(
      file,
      [
        { name: '家庭', rows: [HEADERS, household({ 调查日期: excelDate(41912 - 1462) })] },
        { name: '家庭成员', rows: [MEMBER_HEADERS] },
      ],
      { date1904: true },
    );
    const { rows } = await read(file);
    expect(rows[0]?.values).toMatchObject({ surveyDate: '2014-09-30' });
  });

  it('reads members: ID numbers, relation, health, activity, monthly income', async () => {
    const file = scratch.path('members.xlsx');
    const spouse = residentId('640105', '19820202', 22);
    const child = residentId('640105', '20150606', 24);
    await buildXlsx(file, [
      { name: '家庭', rows: [HEADERS, household()] },
      {
        name: '家庭成员',
        rows: [
          MEMBER_HEADERS,
          member(spouse),
          [HEAD_ID, '张小明', child, '子女', null, '在校', null],
          [HEAD_ID, '张小红', child.slice(0, 17), '女儿', '良好', '上学', -1],
        ],
      },
    ]);
    const { rows } = await read(file);
    const members = rows.filter((r) => r.sheet === '家庭成员');
    expect(members[0]?.values).toEqual({
      headIdNumber: HEAD_ID,
      name: '李四',
      idNumber: spouse,
      relation: 'spouse',
      health: 'healthy',
      activity: 'employed',
      monthlyIncomeFen: 250_000,
    });
    expect(members[1]?.values).toEqual({
      headIdNumber: HEAD_ID,
      name: '张小明',
      idNumber: child,
      relation: 'child',
      activity: 'student',
    });
    expect(members[2]?.errors.map((e) => [e.row, e.column])).toEqual([
      [4, '身份证号'],
      [4, '与户主关系'],
      [4, '健康状况'],
      [4, '就业就学状况'],
      [4, '月收入'],
    ]);
    expect(members[2]?.errors[1]?.message).toBe(
      '“女儿”不是与户主关系的可选项：可填配偶、子女、父母、兄弟姐妹、其他',
    );
  });
});

describe('readWorkbook: streaming', () => {
  it('reads from a stream as from a path', async () => {
    const file = await survey([household()]);
    const fromStream = await readAll(createReadStream(file), SURVEY_WORKBOOK, { today: TODAY });
    expect(fromStream).toEqual(await read(file));
  });

  it('stops cleanly when the caller stops early', async () => {
    const file = await survey(Array.from({ length: 50 }, () => household()));
    const stream = createReadStream(file);
    let seen = 0;
    for await (const event of readWorkbook(stream, SURVEY_WORKBOOK, { today: TODAY })) {
      if (event.type === 'row' && ++seen === 3) break;
    }
    expect(seen).toBe(3);
    expect(stream.destroyed).toBe(true);
  });

  it('keeps Chinese text whole across the chunks the reader decompresses (exceljs splits UTF-8)', async () => {
    // Enough distinct Chinese texts that the shared strings and the sheet span many 16 KiB chunks.
    const names = Array.from(
      { length: 3000 },
      (_, i) => `职工${'甲乙丙丁戊己庚辛壬癸'.repeat(1 + (i % 4))}${i}号`,
    );
    const file = await survey(
      names.map((name) => household({ 户主姓名: name, 工作单位: `${name}所在的单位` })),
    );
    const { rows } = await read(file);
    const households = rows.filter((r) => r.sheet === '家庭');
    expect(households.map((r) => (r.values as { headName: string }).headName)).toEqual(names);
    expect(households.every((r) => r.ok)).toBe(true);
  });

  it('refuses a file that is not a workbook, or is cut short or damaged, instead of waiting forever', async () => {
    const { readFile, writeFile } = await import('node:fs/promises');
    const unreadable = {
      code: 'validation_failed',
      details: [{ path: ['file'], message: '无法读取该文件：它不是Excel工作簿（.xlsx），或已损坏、不完整' }],
    };
    const csv = scratch.path('not.xlsx');
    await writeFile(csv, '户主姓名,户主身份证号\n张三,640104198001010011\n');
    await expect(read(csv)).rejects.toMatchObject(unreadable);

    // One laid out by the ordinary writer (workbook parts first), one as Excel and the streaming
    // writer lay it out (sheets first, which exceljs parks in temporary files).
    const ordinary = await readFile(await survey(Array.from({ length: 2000 }, () => household())));
    const streamed = scratch.path('streamed.xlsx');
    await writeWorkbook(streamed, [
      { spec: SURVEY_HOUSEHOLDS, rows: Array.from({ length: 2000 }, (_, i) => sampleHousehold(i)) },
    ]);
    const excelLike = await readFile(streamed);
    for (const [name, bytes] of [
      ['cut.xlsx', ordinary.subarray(0, Math.floor(ordinary.length / 2))],
      ['cut-early.xlsx', ordinary.subarray(0, 200)],
      [
        'damaged.xlsx',
        Buffer.concat([ordinary.subarray(0, 3000), Buffer.alloc(2000, 0x55), ordinary.subarray(5000)]),
      ],
      // Every entry whole, the zip's directory missing: the parser ends on a record's border.
      ['no-directory.xlsx', ordinary.subarray(0, ordinary.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])))],
      ['cut-streamed.xlsx', excelLike.subarray(0, Math.floor(excelLike.length / 2))],
      [
        'damaged-streamed.xlsx',
        Buffer.concat([excelLike.subarray(0, 3000), Buffer.alloc(2000, 0x55), excelLike.subarray(5000)]),
      ],
    ] as const) {
      const file = scratch.path(name);
      await writeFile(file, bytes);
      await expect(read(file), name).rejects.toMatchObject(unreadable);
    }
  });

  it('reads the last part of the zip even when it falls behind the unzipping (exceljs issue #3064)', async () => {
    // exceljs writes xl/workbook.xml, which names the sheets, last. Its unzipper announced the end
    // of the zip as soon as the bytes were in, and a reader still busy with an earlier part (here
    // the styles, made slow; a busy machine did it now and then) never saw the workbook part.
    const file = await survey([household()]);
    const reader = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as {
      _parseStyles(entry: unknown): Promise<void>;
    };
    const parseStyles = reader._parseStyles;
    reader._parseStyles = async function (this: unknown, entry: unknown) {
      await sleep(20);
      return parseStyles.call(this, entry);
    };
    try {
      const { rows, issues } = await read(file);
      expect(issues).toEqual([]);
      expect(rows.map((r) => [r.sheet, r.ok])).toEqual([
        ['家庭', true],
        ['家庭成员', true],
      ]);
    } finally {
      reader._parseStyles = parseStyles;
    }
  });

  it('passes on an error of the source itself', async () => {
    await expect(read(scratch.path('no-such-file.xlsx'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('a workbook whose sheets come before its workbook part (openpyxl)', () => {
  const fixture = new URL('../../../../test/fixtures/ledger-openpyxl.xlsx', import.meta.url).pathname;
  const LEDGER = defineSheet('发放记录', [
    { header: '身份证号', key: 'idNumber', required: true, kind: 'idNumber' },
    { header: '金额', key: 'amountFen', required: true, kind: 'money' },
  ]);

  it('finds the sheets by name from the zip directory', async () => {
    expect(await sheetNamesOf(fixture)).toEqual(new Map([[1, '发放记录']]));
    const read = await readAll(fixture, [LEDGER]);
    expect(read.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(read.rows.map((r) => r.values.amountFen)).toEqual([46_390, 20_000, 123_456, 10]);
  });

  it('as a stream, meets only what exceljs names the sheet ("Sheet1"): the reason to give a path', async () => {
    const read = await readAll(createReadStream(fixture), [LEDGER]);
    expect(read.issues).toEqual([expect.objectContaining({ code: 'missing_sheet' })]);
  });
});
