/**
 * Writes an exchange workbook (TEMPLATES.md) with exceljs's streaming writer: each row is written
 * out as soon as it is formatted, so an export of 100,000 households never sits in memory. Headers
 * are exactly the spec's, in spec order; values are written the way the reader reads them (values.ts
 * `formatCell`), so an export imports again unchanged:
 * - money: a number of yuan (fen / 100) shown with two decimals; the reader's 15-digit reading of
 *   that number gives back the same fen for every amount below 10^13 yuan;
 * - area: likewise a number of square metres (hundredths / 100);
 * - dates: text 2014-09-30; booleans: 是 / 否; codes: their Chinese label, several joined with 、;
 * - ID numbers, credit codes, organisation codes and phones: text, in columns formatted as text
 *   ('@'), so that a number a caseworker adds to the export stays text and keeps its digits.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { ColumnSpec, SheetSpec } from './sheet-spec';
import { formatCell } from './values';

export interface SheetData<S extends SheetSpec = SheetSpec> {
  spec: S;
  /** Records keyed by the spec's keys, with the values the reader produces. */
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>;
}

/** Rows written between two looks at the output (backpressure). */
const BATCH = 500;

const TEXT_KINDS = new Set<ColumnSpec['kind']>(['idNumber', 'creditCode', 'orgCode', 'phone', 'date']);

const KIND_WIDTH: Record<ColumnSpec['kind'], number> = {
  text: 16,
  idNumber: 22,
  creditCode: 22,
  orgCode: 12,
  phone: 16,
  date: 12,
  money: 14,
  moneyMonthly: 14,
  area: 10,
  yesNo: 8,
  code: 12,
  codes: 24,
};

/** Width in Excel's character units: a Chinese character takes two. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

export function columnWidth(column: ColumnSpec): number {
  return column.width ?? Math.max(KIND_WIDTH[column.kind], displayWidth(column.header) + 4);
}

/** The underlying stream exceljs writes to (its own file stream when given a path). */
interface WorkbookWriterInternals {
  stream: Writable;
}

/**
 * Writes the sheets in the order given. Resolves once the whole file is written (a file is closed,
 * a stream ended). A value that could not be read back (wrong type, unknown code) throws a
 * TypeError naming the column: an export never writes what its import would refuse.
 */
export async function writeWorkbook(
  target: string | NodeJS.WritableStream,
  sheets: readonly SheetData[],
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    ...(typeof target === 'string' ? { filename: target } : { stream: target as Writable }),
    useStyles: true,
    // Inline strings: shared strings would keep every distinct text of the export in memory.
    useSharedStrings: false,
  });
  const output = (workbook as unknown as WorkbookWriterInternals).stream;

  for (const { spec, rows } of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = spec.columns.map((c) => ({
      key: c.key,
      width: columnWidth(c),
      ...(TEXT_KINDS.has(c.kind) ? { style: { numFmt: '@' } } : {}),
    }));
    const header = sheet.addRow(spec.columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();

    let written = 0;
    for await (const record of rows) {
      const row = sheet.addRow([]);
      spec.columns.forEach((column, i) => {
        const out = formatCell(column, record[column.key]);
        if (!out) return;
        const cell = row.getCell(i + 1);
        cell.value = out.value;
        if ('numFmt' in out) cell.numFmt = out.numFmt;
      });
      row.commit();
      if (++written % BATCH === 0) {
        // exceljs buffers what it writes without backpressure: let the zip stream and the output
        // catch up before formatting more rows, so memory stays flat however many rows come.
        await nextTurn();
        while (output.writableNeedDrain) await once(output, 'drain');
      }
    }
    sheet.commit();
  }
  await workbook.commit();
}
