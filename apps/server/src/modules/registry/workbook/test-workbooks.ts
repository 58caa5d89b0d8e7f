/**
 * For tests: builds real .xlsx files the way Excel does (exceljs's ordinary, non-streaming writer:
 * shared strings, styles, workbook parts first), in a temporary directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

/** A cell with a number format, as Excel stores a date typed into a cell: a serial shown as a date. */
export interface Formatted {
  formatted: ExcelJS.CellValue;
  numFmt: string;
}

export const formatted = (value: ExcelJS.CellValue, numFmt: string): Formatted => ({
  formatted: value,
  numFmt,
});

/** A cell as Excel stores the date typed as 2014/9/30: the serial 41912 with a date format. */
export const excelDate = (serial: number): Formatted => formatted(serial, 'yyyy/m/d');

export interface FixtureSheet {
  name: string;
  /** Row i is Excel row i + 1; undefined leaves a row empty. */
  rows: (readonly (ExcelJS.CellValue | Formatted)[] | undefined)[];
}

export async function buildXlsx(
  file: string,
  sheets: FixtureSheet[],
  options: { date1904?: boolean } = {},
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  if (options.date1904) workbook.properties.date1904 = true;
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name);
    spec.rows.forEach((cells, r) => {
      cells?.forEach((cell, c) => {
        if (cell === undefined) return;
        const target = sheet.getCell(r + 1, c + 1);
        if (cell !== null && typeof cell === 'object' && 'formatted' in cell && 'numFmt' in cell) {
          target.value = cell.formatted;
          target.numFmt = cell.numFmt;
        } else {
          target.value = cell;
        }
      });
    });
  }
  await workbook.xlsx.writeFile(file);
  return file;
}

/** A temporary directory, removed by the returned function. */
export async function scratchDir(): Promise<{ path: (name: string) => string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'niangjia-workbook-test-'));
  return { path: (name) => join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}
