import { createWriteStream } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  ACTIVITY_STATES,
  type CodeEntry,
  HARDSHIP_CAUSES,
  HEALTH_STATES,
  HOUSEHOLD_REGISTRATIONS,
  HOUSING_TYPES,
  RELATIONS,
} from '@niangjia/contracts';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCode, DIVISIONS, residentId, sampleHousehold, sampleMember } from './generate';
import { readAll, readWorkbook } from './reader';
import {
  SURVEY_HOUSEHOLDS,
  SURVEY_MEMBERS,
  SURVEY_WORKBOOK,
  type SurveyHousehold,
  type SurveyMember,
} from './sheet-spec';
import { scratchDir } from './test-workbooks';
import { columnWidth, writeWorkbook } from './writer';

const TODAY = '2026-01-01';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(async () => {
  await scratch.remove();
});

// Generated values of every kind, as the reader produces them.

const codeOf = <T extends readonly CodeEntry[]>(table: T) =>
  fc.constantFrom(...table.map((e) => e.code as T[number]['code']));

/** Names with Chinese, Latin, digits and the characters XML escapes, including entity look-alikes. */
const text = (maxLength: number) =>
  fc.oneof(
    fc
      .string({
        unit: fc.constantFrom(...'张王李赵欧阳娜·有限公司銀川ABCxyz019&<>"\';#lt amp'),
        minLength: 1,
        maxLength,
      })
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    fc.constantFrom('A&amp;B', '&lt;公司&gt;', 'Tom & Jerry', '=SUM(A1)', '00123', '1e5', 'TRUE'),
  );

const date = fc
  .date({ min: new Date(Date.UTC(1950, 0, 1)), max: new Date(Date.UTC(2030, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const idNumber = fc
  .record({
    division: fc.constantFrom(...DIVISIONS),
    birth: fc.date({
      min: new Date(Date.UTC(1930, 0, 1)),
      max: new Date(Date.UTC(2024, 11, 31)),
      noInvalidDate: true,
    }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ division, birth, sequence }) =>
    residentId(division, birth.toISOString().slice(0, 10).replaceAll('-', ''), sequence),
  );

const phone = fc.oneof(
  fc.integer({ min: 0, max: 999_999_999 }).map((n) => `13${String(n).padStart(9, '0')}`),
  fc.integer({ min: 2_000_000, max: 9_999_999 }).map((n) => `0951-${n}`),
);

const fen = fc.integer({ min: 0, max: 10 ** 15 - 1 });
const netFen = fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Drops absent fields: the reader leaves an empty cell out of `values`. */
function present<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

const householdArb: fc.Arbitrary<SurveyHousehold> = fc
  .record({
    headName: text(50),
    headIdNumber: idNumber,
    phone: optional(phone),
    orgCode: fc.stringMatching(/^[A-Za-z0-9-]{1,32}$/),
    employerName: optional(text(200)),
    employerCreditCode: optional(fc.integer({ min: 0, max: 999_999_999 }).map(creditCode)),
    householdRegistration: codeOf(HOUSEHOLD_REGISTRATIONS),
    migrantWorker: fc.boolean(),
    housingType: optional(codeOf(HOUSING_TYPES)),
    housingAreaCentiM2: optional(fc.integer({ min: 0, max: 999_999_999 })),
    wageIncomeFen: fen,
    businessIncomeFen: optional(netFen),
    propertyIncomeFen: optional(netFen),
    transferIncomeFen: optional(netFen),
    otherIncomeFen: optional(fen),
    medicalCostFen: optional(fen),
    disabilityCostFen: optional(fen),
    educationCostFen: optional(fen),
    housingCostFen: optional(fen),
    otherRigidCostFen: optional(fen),
    employmentCostFen: optional(fen),
    primaryCause: codeOf(HARDSHIP_CAUSES),
    secondaryCauses: optional(fc.uniqueArray(codeOf(HARDSHIP_CAUSES), { minLength: 1, maxLength: 3 })),
    surveyDate: date,
    surveyor: optional(text(50)),
  })
  .map(present);

const memberArb: fc.Arbitrary<SurveyMember> = fc
  .record({
    headIdNumber: idNumber,
    name: text(50),
    idNumber,
    relation: codeOf(RELATIONS),
    health: optional(codeOf(HEALTH_STATES)),
    activity: optional(codeOf(ACTIVITY_STATES)),
    monthlyIncomeFen: optional(fen),
  })
  .map(present);

describe('writeWorkbook', () => {
  it('writes exactly the import headers, bold, with widths, and formats by kind', async () => {
    const file = scratch.path('layout.xlsx');
    await writeWorkbook(file, [
      { spec: SURVEY_HOUSEHOLDS, rows: [sampleHousehold(1)] },
      { spec: SURVEY_MEMBERS, rows: [] },
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['家庭', '家庭成员']);

    const sheet = workbook.getWorksheet('家庭') as ExcelJS.Worksheet;
    const header = sheet.getRow(1);
    expect((header.values as unknown[]).slice(1)).toEqual(SURVEY_HOUSEHOLDS.columns.map((c) => c.header));
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(sheet.getColumn(2).width).toBe(columnWidth(SURVEY_HOUSEHOLDS.columns[1]));
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const row = sheet.getRow(2);
    const cell = (header: string) =>
      row.getCell(SURVEY_HOUSEHOLDS.columns.findIndex((c) => c.header === header) + 1);
    expect(cell('户主身份证号').value).toBe(sampleHousehold(1).headIdNumber);
    expect(cell('户主身份证号').numFmt).toBe('@');
    expect(cell('工资性收入').value).toBe(79.19);
    expect(cell('工资性收入').numFmt).toBe('#,##0.00');
    expect(cell('住房面积').value).toBe(30.01);
    expect(cell('是否农民工').value).toBe('否');
    expect(cell('户口类型').value).toBe('城镇');
    expect(cell('次要致困原因').value).toBe('下岗失业');
    expect(cell('调查日期').value).toBe('2025-02-02');

    const members = workbook.getWorksheet('家庭成员') as ExcelJS.Worksheet;
    expect((members.getRow(1).values as unknown[]).slice(1)).toEqual(
      SURVEY_MEMBERS.columns.map((c) => c.header),
    );
  });

  // Under a second alone; over five, the default limit, on a loaded CI machine.
  it('writes what the reader reads back unchanged (generated households and members)', {
    timeout: 30_000,
  }, async () => {
    const [households, members] = fc.sample(
      fc.tuple(
        fc.array(householdArb, { minLength: 300, maxLength: 300 }),
        fc.array(memberArb, { minLength: 300, maxLength: 300 }),
      ),
      { numRuns: 1, seed: 20_250_930 },
    )[0] as [SurveyHousehold[], SurveyMember[]];
    const file = scratch.path('round-trip.xlsx');
    await writeWorkbook(file, [
      { spec: SURVEY_HOUSEHOLDS, rows: households },
      { spec: SURVEY_MEMBERS, rows: members },
    ]);
    const { rows, issues } = await readAll(file, SURVEY_WORKBOOK, { today: TODAY });
    expect(issues).toEqual([]);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows.filter((r) => r.sheet === '家庭').map((r) => r.values)).toEqual(households);
    expect(rows.filter((r) => r.sheet === '家庭成员').map((r) => r.values)).toEqual(members);
    // Excel rows: the header is row 1.
    expect(rows[0]?.row).toBe(2);
    expect(rows.at(-1)?.row).toBe(301);
  });

  // Under a second alone; over five, the default limit, on a loaded CI machine.
  it('round-trips any generated household (property)', { timeout: 30_000 }, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(householdArb, async (household) => {
        const file = scratch.path(`one-${++n}.xlsx`);
        await writeWorkbook(file, [{ spec: SURVEY_HOUSEHOLDS, rows: [household] }]);
        const { rows } = await readAll(file, [SURVEY_HOUSEHOLDS], { today: TODAY });
        expect(rows.map((r) => [r.errors, r.values])).toEqual([[[], household]]);
      }),
      { numRuns: 40 },
    );
  });

  it('round-trips text that looks like XML entities (exceljs decodes string cells twice)', async () => {
    const names = ['A&amp;B', '&lt;公司&gt;', '&#38;', 'Tom & Jerry', '<b>粗</b>', '&quot;引号&apos;'];
    const file = scratch.path('entities.xlsx');
    await writeWorkbook(file, [
      { spec: SURVEY_HOUSEHOLDS, rows: names.map((headName, i) => ({ ...sampleHousehold(i), headName })) },
    ]);
    const { rows } = await readAll(file, [SURVEY_HOUSEHOLDS], { today: TODAY });
    expect(rows.map((r) => (r.values as { headName: string }).headName)).toEqual(names);
  });

  it('writes to a stream and takes rows from an async iterable', async () => {
    const file = scratch.path('stream.xlsx');
    async function* rows() {
      for (let i = 0; i < 1200; i++) yield sampleMember(i);
    }
    await writeWorkbook(createWriteStream(file), [{ spec: SURVEY_MEMBERS, rows: rows() }]);
    const { rows: read } = await readAll(file, [SURVEY_MEMBERS], { today: TODAY });
    expect(read).toHaveLength(1200);
    expect(read[1199]?.values).toEqual(sampleMember(1199));
  });

  it('refuses a value the import would refuse, naming the column', async () => {
    const file = scratch.path('bad.xlsx');
    await expect(
      writeWorkbook(file, [
        { spec: SURVEY_HOUSEHOLDS, rows: [{ ...sampleHousehold(1), primaryCause: '99' }] },
      ]),
    ).rejects.toThrow(/primaryCause \(主要致困原因\)/);
  });

  it('streams 100,000 households out and back in', { timeout: 300_000 }, async () => {
    // Figures (time, memory) come from measure.ts, run by hand: tests assert correctness only.
    const count = 100_000;
    const file = scratch.path('large.xlsx');
    function* households() {
      for (let i = 0; i < count; i++) yield sampleHousehold(i);
    }
    await writeWorkbook(file, [
      { spec: SURVEY_HOUSEHOLDS, rows: households() },
      { spec: SURVEY_MEMBERS, rows: [sampleMember(0)] },
    ]);
    // What reading keeps alive, after collecting garbage: it must not grow with the rows read.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const start = process.memoryUsage().heapUsed;
    let growth = 0;
    let rows = 0;
    let errors = 0;
    let issues = 0;
    let last: unknown;
    for await (const event of readWorkbook(file, SURVEY_WORKBOOK, { today: TODAY })) {
      if (event.type === 'issue') issues++;
      if (event.type !== 'row' || event.sheet !== '家庭') continue;
      rows++;
      errors += event.errors.length;
      last = event.values;
      if (rows % 20_000 === 0) {
        gc();
        growth = Math.max(growth, process.memoryUsage().heapUsed - start);
      }
    }
    expect({ rows, errors, issues }).toEqual({ rows: count, errors: 0, issues: 0 });
    expect(last).toEqual(sampleHousehold(count - 1));
    // About 5 MiB in practice; keeping the rows would take hundreds.
    expect(growth).toBeLessThan(64 * 2 ** 20);
  });
});
