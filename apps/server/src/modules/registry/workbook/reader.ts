/**
 * Reads an exchange workbook (TEMPLATES.md) row by row with exceljs's streaming reader: a survey
 * of 100,000 households is never in memory at once. Each data row comes out with its typed values
 * and every problem found in it, by sheet, Excel row number and Chinese column header, so that an
 * import can save the good rows and explain each rejected one.
 *
 * Decisions:
 * - Row 1 is the header. Headers match after dropping surrounding spaces and a trailing unit in
 *   brackets; columns come in any order. A column whose header no spec knows is reported once as a
 *   warning and ignored.
 * - A sheet that lacks a required column, or has a known column twice, cannot be read correctly at
 *   all: it is reported once per problem (row 1, the header) and none of its rows is yielded; its
 *   `sheetEnd` event then says how many data rows were left unread (`rejected: true`). This keeps a
 *   100,000-row report to one line instead of 100,000 copies of the same reason.
 * - A row is empty, and skipped without a word, when every column of the spec is empty: a template
 *   with pre-numbered rows (序号 1…1000) and nothing else filled in is not a thousand errors.
 * - A missing sheet is reported once, after the workbook has been read (a streamed workbook lists
 *   its sheets at its end). Sheets no spec names (填表说明) are ignored.
 *
 * exceljs 4.4.0 caveats, handled here: styles are not read (faster, less memory), so a date cell
 * arrives as its serial number, which is what a calendar date should be read from (no time zone);
 * formulas arrive with their cached result; rich text as runs to join. Two decoding bugs of its
 * streaming reader are repaired on the reader object (`repairDecoding`): Chinese characters cut
 * in two at a chunk boundary, and string cells decoded twice (`&amp;lt;` read as `<`). Its unzip
 * stream's early 'end', which lost the last parts of a zip, is held back (`endAfterLastEntry`).
 */
import { createReadStream } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { type AppError, badRequest } from '../../../http/errors';
import { sheetNamesOf } from './sheet-names';
import { normaliseHeader, type SheetSpec, type SheetValues } from './sheet-spec';
import { type CellInput, type ParseContext, parseCell } from './values';

/** A problem in one cell: the sheet, Excel's row number and the column's Chinese header. */
export interface CellIssue {
  sheet: string;
  row: number;
  column: string;
  /** The field of the column (the spec's key). */
  key: string;
  message: string;
}

/** A problem with a whole sheet or its header, reported once. */
export interface SheetIssue {
  type: 'issue';
  /** An error means rows are not read (or a sheet is missing); a warning changes nothing read. */
  severity: 'error' | 'warning';
  code: 'missing_sheet' | 'missing_column' | 'duplicate_column' | 'unknown_column';
  sheet: string;
  /** 1 for the header row; absent for a missing sheet. */
  row?: number;
  /** The header as written in the workbook (or the spec's, for a missing column). */
  column?: string;
  message: string;
}

/** One non-empty data row; `ok` rows have every required value, the others every reason they fail. */
export type RowRead<S extends SheetSpec> =
  | { type: 'row'; sheet: S['name']; row: number; ok: true; values: SheetValues<S>; errors: [] }
  | {
      type: 'row';
      sheet: S['name'];
      row: number;
      ok: false;
      /** The cells that were valid; the invalid ones are in `errors`. */
      values: Partial<SheetValues<S>>;
      errors: CellIssue[];
    };

/** The end of a sheet: how many non-empty data rows it had, and whether they were all rejected. */
export interface SheetEnd {
  type: 'sheetEnd';
  sheet: string;
  rows: number;
  rejected: boolean;
}

type RowOf<S> = S extends SheetSpec ? RowRead<S> : never;
export type WorkbookEvent<Specs extends readonly SheetSpec[]> = RowOf<Specs[number]> | SheetIssue | SheetEnd;

export interface ReadOptions {
  /** Today in Shanghai (YYYY-MM-DD), for ID numbers born in the future; defaults to today. */
  today?: string;
}

/** What exceljs gives for a cell, narrowed to what a reader meets. */
type Problem = { problem: string };
type Content = CellInput | Problem | undefined;

const REQUIRED = '必填';

/**
 * A string's own copy. The parser's texts are slices of the XML chunk they were read from (about
 * 128 KiB); a slice keeps its whole chunk alive as long as it lives, so a caller that keeps the ID
 * numbers of 200,000 rows (to find a person twice in the file) would keep the whole sheet's XML
 * (200 MiB for 100,000 households). Concatenation then slicing makes V8 copy the characters.
 */
const detached = (text: string): string => ` ${text}`.slice(1);

/** A cell's content as plain text, number, boolean or date; undefined when empty. */
function cellContent(value: unknown): Content {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? undefined : detached(text);
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : { problem: '单元格的值不是有效数字' };
  }
  if (typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      return cellContent((v.richText as { text?: unknown }[]).map((run) => String(run.text ?? '')).join(''));
    }
    if ('formula' in v || 'sharedFormula' in v) {
      if (v.result === undefined || v.result === null) {
        return { problem: '公式没有保存计算结果：请在Excel中打开并保存后再导入，或把公式改为数值' };
      }
      if (typeof v.result === 'number' && !Number.isFinite(v.result)) {
        return { problem: '公式的计算结果是错误值' };
      }
      return cellContent(v.result);
    }
    if (typeof v.error === 'string') return { problem: `单元格是错误值${v.error}` };
    // A hyperlink (when hyperlinks are read): its text.
    if ('text' in v) return cellContent(v.text);
  }
  return { problem: '无法识别的单元格内容' };
}

function isProblem(content: Content): content is Problem {
  return typeof content === 'object' && content !== null && !(content instanceof Date);
}

/** The header text of a cell, normalised for matching; '' for an empty one. */
function headerText(value: unknown): string {
  const content = cellContent(value);
  if (content === undefined || isProblem(content)) return '';
  return normaliseHeader(typeof content === 'string' ? content : String(content));
}

interface HeaderMap {
  /** Column number (1-based) → the spec's column. */
  columns: Map<number, SheetSpec['columns'][number]>;
  issues: SheetIssue[];
  usable: boolean;
}

function mapHeader(spec: SheetSpec, cells: unknown[]): HeaderMap {
  const byHeader = new Map(spec.columns.map((c) => [c.header, c]));
  const columns = new Map<number, SheetSpec['columns'][number]>();
  const seen = new Map<string, number>();
  const issues: SheetIssue[] = [];
  const unknown = new Set<string>();
  for (let col = 1; col < cells.length; col++) {
    const raw = cells[col];
    const header = headerText(raw);
    if (header === '') continue;
    const column = byHeader.get(header);
    if (!column) {
      const written = String(cellContent(raw)).trim();
      if (!unknown.has(written)) {
        unknown.add(written);
        issues.push({
          type: 'issue',
          severity: 'warning',
          code: 'unknown_column',
          sheet: spec.name,
          row: 1,
          column: written,
          message: `未知的列“${written}”，已忽略`,
        });
      }
      continue;
    }
    const first = seen.get(header);
    if (first !== undefined) {
      issues.push({
        type: 'issue',
        severity: 'error',
        code: 'duplicate_column',
        sheet: spec.name,
        row: 1,
        column: column.header,
        message: `列“${column.header}”出现了两次（第${columnLetter(first)}列和第${columnLetter(col)}列），无法确定用哪一列：本表未导入`,
      });
      continue;
    }
    seen.set(header, col);
    columns.set(col, column);
  }
  for (const column of spec.columns) {
    if (column.required && !seen.has(column.header)) {
      issues.push({
        type: 'issue',
        severity: 'error',
        code: 'missing_column',
        sheet: spec.name,
        row: 1,
        column: column.header,
        message: `缺少必填列“${column.header}”（表头须在第1行）：本表未导入`,
      });
    }
  }
  return { columns, issues, usable: !issues.some((i) => i.severity === 'error') };
}

/** Excel's column letters: 1 → A, 27 → AA. */
function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Reads one data row against the header map; undefined when every known column is empty. */
function readRow(
  spec: SheetSpec,
  header: HeaderMap,
  rowNumber: number,
  cells: unknown[],
  ctx: ParseContext,
): RowRead<SheetSpec> | undefined {
  const contents: [SheetSpec['columns'][number], Content][] = [];
  let empty = true;
  for (const [col, column] of header.columns) {
    const content = cellContent(cells[col]);
    if (content !== undefined) empty = false;
    contents.push([column, content]);
  }
  if (empty) return undefined;

  const values: Record<string, unknown> = {};
  const errors: CellIssue[] = [];
  const issue = (column: SheetSpec['columns'][number], message: string) =>
    errors.push({ sheet: spec.name, row: rowNumber, column: column.header, key: column.key, message });
  for (const [column, content] of contents) {
    if (content === undefined) {
      if (column.required) issue(column, REQUIRED);
    } else if (isProblem(content)) {
      issue(column, content.problem);
    } else {
      const r = parseCell(column, content, ctx);
      if (r.ok) values[column.key] = r.value;
      else issue(column, r.message);
    }
  }
  // Spec order, not workbook order: a report reads the same whatever the columns' order.
  const order = new Map(spec.columns.map((c, i) => [c.key, i]));
  errors.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
  return errors.length === 0
    ? {
        type: 'row',
        sheet: spec.name,
        row: rowNumber,
        ok: true,
        values: values as SheetValues<SheetSpec>,
        errors: [],
      }
    : {
        type: 'row',
        sheet: spec.name,
        row: rowNumber,
        ok: false,
        values: values as Partial<SheetValues<SheetSpec>>,
        errors,
      };
}

/** The parts of exceljs's streaming reader that its type declarations leave out. */
interface WorkbookReaderInternals {
  /** Set from xl/workbook.xml: { model: { date1904 } }. */
  properties?: { model?: { date1904?: boolean } };
}
interface WorksheetReaderInternals {
  name: string;
  /** N of its part xl/worksheets/sheetN.xml (exceljs gives it as text). */
  id: number | string;
}

/** The private steps of exceljs 4.4.0's WorkbookReader that `repairDecoding` wraps. */
interface WorkbookReaderSteps {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseRels(entry: Readable): Promise<void>;
}

/** UTF-8 text from byte chunks, a character split between two chunks put back together. */
async function* utf8Chunks(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}

/** An entity that stands for '&' in XML text, and the start of one cut off at a chunk's end. */
const AMPERSAND = /&(?:amp|#38|#x26);/giu;
const PARTIAL_ENTITY = /&[#\w]{0,4}$/u;

/**
 * exceljs 4.4.0's worksheet reader decodes the text of a string cell twice (the XML parser, then
 * utils.xmlDecode), so a cell holding the text `&lt;` reads as `<` and `A&amp;B` as `A&B`. Writing
 * each '&' of the worksheet's XML as `&amp;amp;` makes the second decoding give back the '&' the
 * first one should have left: `&amp;lt;` → parser `&amp;lt;`… → `&lt;`. Only string cells go
 * through the second decoding; numbers, booleans and errors never contain '&'.
 */
async function* singleDecoded(texts: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  for await (const text of texts) {
    const all = carry + text;
    const cut = PARTIAL_ENTITY.exec(all)?.index ?? all.length;
    carry = all.slice(cut);
    const out = all.slice(0, cut).replace(AMPERSAND, '&amp;amp;');
    if (out !== '') yield out;
  }
  if (carry !== '') yield carry.replace(AMPERSAND, '&amp;amp;');
}

/**
 * exceljs 4.4.0's streaming reader decodes each compressed chunk (16 KiB) of a part on its own, so
 * a Chinese character whose three UTF-8 bytes straddle two chunks becomes two U+FFFD: one cell in a
 * few thousand reads “有劳动能��未就业” (exceljs issues #2084, #2063; fixes never merged). Its
 * parser takes text as readily as bytes, so this reader's parts are decoded before they reach it:
 * entries get a string encoding, worksheets (which it may have parked in a temporary file) a
 * decoding wrapper, which also undoes the double decoding of string cells (`singleDecoded`).
 * Only this reader object is changed, not exceljs; a version without these steps fails loudly.
 */
function repairDecoding(reader: object): void {
  const steps = reader as WorkbookReaderSteps;
  for (const name of ['_parseWorksheet', '_parseSharedStrings', '_parseWorkbook', '_parseRels'] as const) {
    if (typeof steps[name] !== 'function')
      throw new Error(`exceljs WorkbookReader has no ${name}: not 4.4.0?`);
  }
  const parseWorksheet = steps._parseWorksheet.bind(reader);
  const parseSharedStrings = steps._parseSharedStrings.bind(reader);
  const parseWorkbook = steps._parseWorkbook.bind(reader);
  const parseRels = steps._parseRels.bind(reader);
  steps._parseWorksheet = (iterator, sheetNo) => parseWorksheet(singleDecoded(utf8Chunks(iterator)), sheetNo);
  steps._parseSharedStrings = (entry) => parseSharedStrings(entry.setEncoding('utf8'));
  steps._parseWorkbook = (entry) => parseWorkbook(entry.setEncoding('utf8'));
  steps._parseRels = (entry) => parseRels(entry.setEncoding('utf8'));
}

/** What a caller learns of a file exceljs cannot read: a 400 with the reason in Chinese. */
function unreadable(cause: unknown): AppError {
  const error = badRequest('The file is not a readable Excel workbook (.xlsx)', [
    { path: ['file'], message: '无法读取该文件：它不是Excel工作簿（.xlsx），或已损坏、不完整' },
  ]);
  error.cause = cause;
  return error;
}

/**
 * A failure that ends every wait on exceljs. Not a long-lived promise raced against each wait:
 * every Promise.race would leave a reaction on it, and with it the row it waited for, until the
 * end of the file (1 GiB for 200,000 rows).
 */
class Failure {
  private error: { cause: unknown } | undefined;
  private readonly waiting = new Set<(error: unknown) => void>();

  fail(error: unknown): void {
    if (this.error) return;
    this.error = { cause: error };
    for (const reject of this.waiting) reject(error);
    this.waiting.clear();
  }

  /** `promise`, unless the failure comes first. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.error) return Promise.reject(this.error.cause);
    return new Promise<T>((resolve, reject) => {
      this.waiting.add(reject);
      promise.then(
        (value) => {
          this.waiting.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.waiting.delete(reject);
          reject(error);
        },
      );
    });
  }
}

interface Input {
  stream: Readable;
  /** Set when the source fails (its own error) or the zip inside cannot be read (`unreadable`). */
  failure: Failure;
  destroy(): void;
}

/**
 * unzipper 0.10's zip parser, which exceljs 4.4.0 pipes the workbook into, emits 'end' by hand as
 * soon as its writable side has finished, while entries it has already pushed may still wait in
 * its readable buffer behind a slow reader. exceljs stops reading entries at that 'end', so the
 * last ones are lost; exceljs writes xl/workbook.xml last, so a workbook it wrote (an export of
 * ours) failed now and then with “Cannot read properties of undefined (reading 'sheets')”, more
 * often on a busy machine (exceljs issue #3064). Here that early 'end' is dropped; the one the
 * stream emits itself once its last entry has been read goes through. A zip cut short still ends:
 * the parser reports FILE_ENDED as an error.
 */
function endAfterLastEntry(zip: NodeJS.WritableStream): void {
  const state = (zip as { _readableState?: { endEmitted?: unknown } })._readableState;
  if (typeof state?.endEmitted !== 'boolean') {
    throw new Error('exceljs pipes the workbook into a stream that is not readable: not unzipper 0.10?');
  }
  const emit = zip.emit.bind(zip);
  zip.emit = ((event: string | symbol, ...args: unknown[]): boolean =>
    event === 'end' && state.endEmitted !== true ? false : emit(event, ...args)) as typeof zip.emit;
}

/**
 * The workbook's bytes, watched. exceljs 4.4.0 waits forever on a truncated or damaged file: its
 * unzip stream reports the problem only as an 'error' event that nothing awaits, and it never
 * listens to the source's errors. So the source's errors and those of the unzip stream (the
 * stream exceljs pipes the input into) set `failure`, which ends every wait on exceljs.
 */
function openInput(source: string | NodeJS.ReadableStream): Input {
  const origin =
    typeof source === 'string'
      ? createReadStream(source)
      : source instanceof Readable
        ? source
        : new Readable().wrap(source);
  const stream = new PassThrough();
  const failure = new Failure();
  origin.on('error', (error: Error) => failure.fail(error));
  origin.pipe(stream);
  const pipe = stream.pipe.bind(stream);
  stream.pipe = (<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    destination.on('error', (error: unknown) => failure.fail(unreadable(error)));
    endAfterLastEntry(destination);
    return pipe(destination, options);
  }) as typeof stream.pipe;
  return {
    stream,
    failure,
    destroy: () => {
      origin.destroy();
      stream.destroy();
    },
  };
}

/**
 * The items of one of exceljs's async iterables, each wait ended by the input's failure; an error
 * exceljs throws itself means the file cannot be read.
 */
async function* guarded<T>(items: AsyncIterable<T>, failure: Failure): AsyncGenerator<T> {
  const iterator = items[Symbol.asyncIterator]();
  let waiting = false;
  try {
    while (true) {
      waiting = true;
      const next = await failure.race(
        iterator.next().catch((error: unknown) => {
          throw unreadable(error);
        }),
      );
      waiting = false;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Closing an iterator that is stuck in a wait would wait forever too: that one is abandoned.
    if (!waiting) await iterator.return?.();
  }
}

/**
 * Rows read between two turns of the event loop. exceljs parses a whole inflated chunk (a few
 * hundred rows) in one task, and the rows' consumer runs in it too: without a turn, the answers of
 * a database working meanwhile (the embedded one answers from its worker thread) waited behind
 * that task, about 5 ms each, and the database idled a tenth of an import.
 */
const YIELD_EVERY = 50;
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads the sheets that `specs` name, in workbook order, yielding each non-empty data row as it is
 * parsed, the header's problems before a sheet's rows, a `sheetEnd` after them, and a missing
 * required sheet at the very end. Memory holds the current row, the header map and exceljs's table
 * of shared strings (a workbook's distinct texts). Stopping early (break) destroys the source.
 * A file that is not a workbook, or is damaged or cut short, throws AppError validation_failed
 * (400) with the reason in Chinese; an error of the source itself (a missing file) is thrown as is.
 * Give a file's path rather than a stream of it: only then are the sheets found by name whatever
 * the order of the parts in the zip (sheetNamesOf).
 */
export async function* readWorkbook<const Specs extends readonly SheetSpec[]>(
  source: string | NodeJS.ReadableStream,
  specs: Specs,
  options: ReadOptions = {},
): AsyncGenerator<WorkbookEvent<Specs>, void, undefined> {
  // A file's sheet names are read first, from its directory: the streaming reader knows them only
  // when the workbook part comes before the sheets (a stream is read as it comes).
  const names = typeof source === 'string' ? await sheetNamesOf(source) : new Map<number, string>();
  const input = openInput(source);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input.stream, {
    entries: 'ignore',
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'ignore',
  });
  repairDecoding(reader);
  const internals = reader as unknown as WorkbookReaderInternals;
  const seen = new Set<string>();
  let finished = false;
  try {
    for await (const worksheet of guarded(reader, input.failure)) {
      const part = worksheet as unknown as WorksheetReaderInternals;
      const name = (names.get(Number(part.id)) ?? part.name).trim();
      const spec = specs.find((s) => s.name === name);
      if (!spec || seen.has(spec.name)) {
        // exceljs drains an unread sheet itself, but one it parked in a temporary file would stay
        // open: read it through.
        for await (const _ of guarded(worksheet, input.failure)) {
        }
        continue;
      }
      seen.add(spec.name);
      const ctx: ParseContext = {
        date1904: internals.properties?.model?.date1904 === true,
        ...(options.today ? { today: options.today } : {}),
      };
      let header: HeaderMap | undefined;
      let rows = 0;
      for await (const row of guarded(worksheet, input.failure)) {
        const cells = row.values as unknown[];
        if (!header) {
          header = mapHeader(spec, row.number === 1 ? cells : []);
          for (const issue of header.issues) yield issue;
          if (row.number === 1) continue;
        }
        if (!header.usable) {
          if (cells.some((c) => cellContent(c) !== undefined)) rows++;
          continue;
        }
        const read = readRow(spec, header, row.number, cells, ctx);
        if (read) {
          rows++;
          yield read as RowOf<Specs[number]>;
          if (rows % YIELD_EVERY === 0) await macrotask();
        }
      }
      // A sheet without even a header row: every required column is missing.
      if (!header) {
        header = mapHeader(spec, []);
        for (const issue of header.issues) yield issue;
      }
      yield { type: 'sheetEnd', sheet: spec.name, rows, rejected: !header.usable };
    }
    for (const spec of specs) {
      if (spec.required === false || seen.has(spec.name)) continue;
      yield {
        type: 'issue',
        severity: 'error',
        code: 'missing_sheet',
        sheet: spec.name,
        message: `工作簿中没有名为“${spec.name}”的工作表`,
      };
    }
    finished = true;
  } finally {
    if (!finished) input.destroy();
  }
}

/** Everything a workbook holds, in memory: for tests and small files only. */
export async function readAll<const Specs extends readonly SheetSpec[]>(
  source: string | NodeJS.ReadableStream,
  specs: Specs,
  options: ReadOptions = {},
): Promise<{ rows: RowOf<Specs[number]>[]; issues: SheetIssue[]; ends: SheetEnd[] }> {
  const rows: RowOf<Specs[number]>[] = [];
  const issues: SheetIssue[] = [];
  const ends: SheetEnd[] = [];
  for await (const event of readWorkbook(source, specs, options)) {
    if (event.type === 'issue') issues.push(event);
    else if (event.type === 'sheetEnd') ends.push(event);
    else rows.push(event as RowOf<Specs[number]>);
  }
  return { rows, issues, ends };
}
