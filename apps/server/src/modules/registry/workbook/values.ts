/**
 * One cell's value, both ways: `parseCell` reads what a person or an export put in a cell into the
 * column's typed value, with a clear Chinese message when it cannot; `formatCell` writes a typed
 * value back the way `parseCell` reads it, so that an export imports again unchanged. No I/O and
 * no exceljs here: the reader hands over plain cell contents.
 */
import { type CodeEntry, codeOf, labelOf, OrgCode } from '@niangjia/contracts';
import {
  type CalendarDate,
  isCalendarDate,
  parseCreditCode,
  parseResidentId,
  yuanToFen,
} from '@niangjia/domain';
import type { ColumnSpec } from './sheet-spec';

/** A non-empty cell as the reader sees it: text (trimmed, rich text joined), number, boolean or date. */
export type CellInput = string | number | boolean | Date;

export type ParseResult<T = unknown> = { ok: true; value: T } | { ok: false; message: string };

export interface ParseContext {
  /** Today in Shanghai, for ID numbers whose birth date lies in the future (parseResidentId). */
  today?: CalendarDate;
  /** The workbook counts dates from 1904 (old Mac Excel) instead of 1900. */
  date1904?: boolean;
}

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = (message: string): ParseResult<never> => ({ ok: false, message });

/**
 * A number as Excel shows it: at most 15 significant digits, the precision Excel keeps, so that the
 * double nearest 53.58 reads '53.58' and a binary remainder (0.30000000000000004) disappears.
 */
export function numberText(n: number): string {
  return String(Number(n.toPrecision(15)));
}

/** What the person wrote, quoted in a message. */
function shown(input: CellInput): string {
  if (typeof input === 'number') return numberText(input);
  if (typeof input === 'boolean') return input ? 'TRUE' : 'FALSE';
  if (input instanceof Date)
    return Number.isNaN(input.getTime()) ? '无效日期' : input.toISOString().slice(0, 10);
  return input;
}

function asText(input: CellInput): string {
  return shown(input).trim();
}

const DAY_MS = 86_400_000;

/**
 * The calendar date of an Excel date serial. Excel's 1900 system counts 1900-01-01 as day 1 and
 * has the fictitious 1900-02-29 as day 60 (a Lotus 1-2-3 bug kept for compatibility), so from day
 * 61 on the count runs from 1899-12-30. A fraction is the time of day, dropped: a date cell is a
 * calendar date, never an instant to move into a time zone.
 */
export function excelSerialToDate(serial: number, date1904 = false): CalendarDate | undefined {
  if (!Number.isFinite(serial)) return undefined;
  // Excel rounds times to the millisecond: a serial a hair below the next day is its midnight.
  const day = Math.floor(serial + 1 / DAY_MS);
  let ms: number;
  if (date1904) {
    if (day < 0) return undefined;
    ms = Date.UTC(1904, 0, 1) + day * DAY_MS;
  } else {
    if (day < 1 || day === 60) return undefined;
    ms = day < 60 ? Date.UTC(1899, 11, 31) + day * DAY_MS : Date.UTC(1899, 11, 30) + day * DAY_MS;
  }
  const date = new Date(ms);
  if (date.getUTCFullYear() > 9999) return undefined;
  return date.toISOString().slice(0, 10);
}

const DATE_TEXT = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const DATE_HINT = '应为2014-09-30这样的日期（也可写作2014/9/30、2014.9.30，或用Excel的日期格式）';

function parseDate(input: CellInput, ctx: ParseContext): ParseResult<CalendarDate> {
  if (typeof input === 'number') {
    const date = excelSerialToDate(input, ctx.date1904);
    return date ? ok(date) : fail(`“${shown(input)}”不是日期：${DATE_HINT}`);
  }
  if (input instanceof Date) {
    // exceljs makes date cells UTC midnights: the UTC fields are the calendar date.
    if (Number.isNaN(input.getTime())) return fail(`不是日期：${DATE_HINT}`);
    return ok(input.toISOString().slice(0, 10));
  }
  const text = asText(input);
  const m = DATE_TEXT.exec(text);
  if (!m) return fail(`“${text}”不是日期：${DATE_HINT}`);
  const date = `${m[1]}-${(m[3] as string).padStart(2, '0')}-${(m[4] as string).padStart(2, '0')}`;
  return isCalendarDate(date) ? ok(date) : fail(`“${text}”不是实际存在的日期`);
}

/** Hundredths (fen, or hundredths of a square metre) of a decimal with at most two decimals. */
function parseHundredths(
  input: CellInput,
  opts: { allowNegative: boolean; what: string; example: string; units: RegExp },
): ParseResult<number> {
  if (typeof input === 'boolean' || input instanceof Date) {
    return fail(`“${shown(input)}”不是${opts.what}：应为数字，最多两位小数，如${opts.example}`);
  }
  const text = asText(input).replace(opts.units, '').trim();
  let value: number;
  try {
    value = yuanToFen(text);
  } catch {
    if (/^-?[\d,]+\.\d{3,}$/.test(text)) {
      return fail(`“${text}”的小数超过两位：${opts.what}最多保留两位小数`);
    }
    return fail(`“${asText(input)}”不是${opts.what}：应为数字，最多两位小数，如${opts.example}`);
  }
  if (value < 0 && !opts.allowNegative) return fail(`${opts.what}不能为负数，实为${text}`);
  // yuanToFen accepts '-0'; there is no negative zero in a database.
  return ok(value === 0 ? 0 : value);
}

const MONEY_UNITS = /^[¥￥]|元$/gu;
const AREA_UNITS = /(?:m²|m2|㎡|平方米|平米)$/iu;
/** Positive areas below 10,000,000 m², well inside the database's integer column. */
const MAX_AREA_HUNDREDTHS = 999_999_999;

function parseArea(input: CellInput): ParseResult<number> {
  const r = parseHundredths(input, {
    allowNegative: false,
    what: '面积（平方米）',
    example: '45.5',
    units: AREA_UNITS,
  });
  if (r.ok && r.value > MAX_AREA_HUNDREDTHS) return fail(`面积${shown(input)}平方米过大`);
  return r;
}

function parseIdNumber(input: CellInput, ctx: ParseContext): ParseResult<string> {
  if (typeof input === 'number') {
    // Excel keeps 15 significant digits: an 18-digit number typed into a General cell has lost its
    // last digits for good; a 15-digit one survived.
    if (!Number.isSafeInteger(input) || String(input).length > 15) {
      return fail(
        `身份证号被Excel存成了数字（${maskText(shown(input))}），超过15位的部分已经丢失：请把该列设置为“文本”格式后重新录入`,
      );
    }
  }
  const text = asText(input);
  const r = parseResidentId(text, ctx.today ? { today: ctx.today } : {});
  if (r.ok) return ok(r.value.id18);
  // Even a mistyped number is mostly a real person's: the report shows it masked (PIPL).
  return fail(`身份证号“${maskText(text)}”有误：${r.errors.map((e) => e.messageZh).join('')}`);
}

/** First 6 and last 4 characters only, whatever the length. */
function maskText(text: string): string {
  return text.length > 10
    ? `${text.slice(0, 6)}${'*'.repeat(text.length - 10)}${text.slice(-4)}`
    : '*'.repeat(text.length);
}

function parseCreditCodeCell(input: CellInput): ParseResult<string> {
  const text = asText(input);
  const r = parseCreditCode(text);
  if (r.ok) return ok(r.value.code);
  return fail(`统一社会信用代码“${text}”有误：${r.errors.map((e) => e.messageZh).join('')}`);
}

function parseOrgCode(input: CellInput): ParseResult<string> {
  const text = asText(input);
  if (OrgCode.safeParse(text).success) return ok(text);
  return fail(`“${text}”不是组织代码：应为1至32位字母、数字或“-”，如640104`);
}

const MOBILE = /^1[3-9]\d{9}$/;
/** Area code and number, with an optional extension: 0951-1234567, 010 12345678-123, 0951-1234567转8. */
const LANDLINE = /^(?:0\d{2,3}-?)?[1-9]\d{6,7}(?:(?:-|转)\d{1,6})?$/;

function parsePhone(input: CellInput): ParseResult<string> {
  const text = asText(input).replace(/\s+/gu, '');
  const national = text.replace(/^(?:\+86|0086)-?/, '');
  if (MOBILE.test(national)) return ok(national);
  if (LANDLINE.test(text)) return ok(text);
  return fail(
    `“${asText(input)}”不是有效的电话号码：手机号为11位数字（如13812345678），固定电话如0951-1234567`,
  );
}

/** '1 无劳动能力、2 …' for numeric codes, '城镇、农村' where the code is an English word. */
function choices(table: readonly CodeEntry[]): string {
  return table.map((e) => (/^\d+$/.test(e.code) ? `${e.code} ${e.zh}` : e.zh)).join('、');
}

function parseCode(input: CellInput, column: { header: string; table: readonly CodeEntry[] }) {
  const text = asText(input);
  const code = codeOf(column.table, text);
  return code === undefined
    ? fail(`“${text}”不是${column.header}的可选项：可填${choices(column.table)}`)
    : ok(code);
}

const CODE_SEPARATORS = /[、,，]/u;

function parseCodes(
  input: CellInput,
  column: { header: string; table: readonly CodeEntry[]; max: number },
): ParseResult<string[]> {
  const parts = asText(input)
    .split(CODE_SEPARATORS)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const unknown = parts.filter((p) => codeOf(column.table, p) === undefined);
  if (unknown.length > 0) {
    const list = unknown.map((p) => `“${p}”`).join('、');
    return fail(`${list}不是${column.header}的可选项：可填${choices(column.table)}，多个用“、”分隔`);
  }
  const codes = parts.map((p) => codeOf(column.table, p) as string);
  const repeated = codes.filter((c, i) => codes.indexOf(c) !== i);
  if (repeated.length > 0) {
    return fail(`${[...new Set(repeated)].map((c) => labelOf(column.table, c)).join('、')}重复填写`);
  }
  if (codes.length > column.max) {
    return fail(`最多填${column.max}项，实为${codes.length}项`);
  }
  return ok(codes);
}

/** Reads a non-empty cell into the column's value, or says in Chinese what is wrong with it. */
export function parseCell(column: ColumnSpec, input: CellInput, ctx: ParseContext = {}): ParseResult {
  switch (column.kind) {
    case 'text': {
      const text = asText(input);
      const max = column.maxLength ?? 200;
      return text.length > max ? fail(`超过${max}个字（实为${text.length}个）`) : ok(text);
    }
    case 'idNumber':
      return parseIdNumber(input, ctx);
    case 'creditCode':
      return parseCreditCodeCell(input);
    case 'orgCode':
      return parseOrgCode(input);
    case 'phone':
      return parsePhone(input);
    case 'date':
      return parseDate(input, ctx);
    case 'money':
    case 'moneyMonthly':
      return parseHundredths(input, {
        allowNegative: column.allowNegative ?? false,
        what: '金额（元）',
        example: '1234.56',
        units: MONEY_UNITS,
      });
    case 'area':
      return parseArea(input);
    case 'yesNo': {
      const text = asText(input);
      if (text === '是') return ok(true);
      if (text === '否') return ok(false);
      return fail(`应填“是”或“否”，实为“${text}”`);
    }
    case 'code':
      return parseCode(input, column);
    case 'codes':
      return parseCodes(input, column);
  }
}

/** A value as the writer puts it in a cell: text or a number with its display format. */
export type CellOutput = { value: string } | { value: number; numFmt: string } | undefined;

/** Two decimals, thousands separated: what a person reads; the cell holds the plain number. */
export const MONEY_FORMAT = '#,##0.00';
export const AREA_FORMAT = '0.00';

function wrong(column: ColumnSpec, value: unknown, expected: string): never {
  throw new TypeError(`column ${column.key} (${column.header}): ${JSON.stringify(value)} is not ${expected}`);
}

/**
 * Writes a column's value the way `parseCell` reads it back to the same value. Empty for null or
 * undefined (and an empty list of codes); a value that would not import again is a programming
 * error and throws, rather than producing a workbook that cannot be read back.
 */
export function formatCell(column: ColumnSpec, value: unknown): CellOutput {
  if (value === undefined || value === null) return undefined;
  switch (column.kind) {
    case 'text':
    case 'idNumber':
    case 'creditCode':
    case 'orgCode':
    case 'phone': {
      if (typeof value !== 'string') wrong(column, value, 'a string');
      return value === '' ? undefined : { value };
    }
    case 'date':
      if (typeof value !== 'string' || !isCalendarDate(value)) wrong(column, value, 'a date YYYY-MM-DD');
      return { value };
    case 'money':
    case 'moneyMonthly':
    case 'area': {
      // An integer of hundredths below 10^15 has at most 15 significant digits: n / 100 is the
      // double nearest the decimal, and Excel and the reader keep it exactly (numberText).
      if (!Number.isSafeInteger(value) || Math.abs(value as number) >= 1e15) {
        wrong(column, value, 'an integer number of hundredths');
      }
      const n = value as number;
      if (n < 0 && !(column.kind !== 'area' && column.allowNegative)) wrong(column, value, 'non-negative');
      return { value: n / 100, numFmt: column.kind === 'area' ? AREA_FORMAT : MONEY_FORMAT };
    }
    case 'yesNo':
      if (typeof value !== 'boolean') wrong(column, value, 'a boolean');
      return { value: value ? '是' : '否' };
    case 'code':
      return { value: label(column, value) };
    case 'codes': {
      if (!Array.isArray(value)) wrong(column, value, 'an array of codes');
      if (value.length > column.max) wrong(column, value, `at most ${column.max} codes`);
      if (new Set(value).size !== value.length) wrong(column, value, 'distinct codes');
      return value.length === 0 ? undefined : { value: value.map((v) => label(column, v)).join('、') };
    }
  }
}

function label(column: ColumnSpec & { table: readonly CodeEntry[] }, code: unknown): string {
  const entry = column.table.find((e) => e.code === code);
  if (!entry) wrong(column, code, `a code of ${choices(column.table)}`);
  return entry.zh;
}
