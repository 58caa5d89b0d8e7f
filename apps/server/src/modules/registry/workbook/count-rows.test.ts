import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from './count-rows';
import { sampleHousehold, sampleMember } from './generate';
import { SURVEY_HOUSEHOLDS, SURVEY_MEMBERS } from './sheet-spec';
import { buildXlsx, scratchDir } from './test-workbooks';
import { writeWorkbook } from './writer';

let dir: Awaited<ReturnType<typeof scratchDir>>;
beforeAll(async () => {
  dir = await scratchDir();
});
afterAll(() => dir?.remove());

describe('countRows', () => {
  it("counts every worksheet's rows of a file written the way Excel writes", async () => {
    const file = await buildXlsx(dir.path('excel.xlsx'), [
      { name: '家庭', rows: [['户主姓名'], ['甲'], ['乙'], undefined, ['丙']] },
      { name: '填表说明', rows: [['说明']] },
    ]);
    // The empty fourth row is not stored: 4 + 1.
    expect(await countRows(file)).toBe(5);
  });

  it('counts the rows of a streamed export, across the inflater’s chunks', async () => {
    const file = dir.path('streamed.xlsx');
    const n = 3_000;
    await writeWorkbook(file, [
      { spec: SURVEY_HOUSEHOLDS, rows: Array.from({ length: n }, (_, i) => sampleHousehold(i)) },
      { spec: SURVEY_MEMBERS, rows: Array.from({ length: 7 }, (_, i) => sampleMember(i)) },
    ]);
    expect(await countRows(file)).toBe(1 + n + 1 + 7);
  });
});
