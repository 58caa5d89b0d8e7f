/**
 * Declarative descriptions of the sheets of niangjia's exchange workbooks (TEMPLATES.md): a sheet's
 * name and its columns, each with the Chinese header, whether a value is required, the field it
 * fills and the kind of value it holds. The reader and the writer both work from these specs, so
 * an export has exactly the import's headers and formats (TEMPLATES.md: "an export can be imported
 * again").
 */
import {
  ACTIVITY_STATES,
  type CodeEntry,
  HARDSHIP_CAUSES,
  HEALTH_STATES,
  HOUSEHOLD_REGISTRATIONS,
  HOUSING_TYPES,
  RELATIONS,
} from '@niangjia/contracts';

interface ColumnBase<K extends string = string> {
  /** The header as printed, without unit: matched after trimming and dropping a trailing `(元/年)`. */
  header: string;
  /** The camelCase field the value fills. */
  key: K;
  required: boolean;
  /** Column width in the export, in Excel's character units; a default per kind otherwise. */
  width?: number;
}

/** Free text, trimmed. */
export interface TextColumn<K extends string = string> extends ColumnBase<K> {
  kind: 'text';
  /** Longest accepted text in characters (default 200). */
  maxLength?: number;
}

/**
 * Kinds whose value is a normalised string:
 * - idNumber: resident ID (GB 11643), read as its 18-character form (a 15-digit number is converted);
 * - creditCode: unified social credit code (GB 32100), upper-cased;
 * - orgCode: an organisation code as the orgs module accepts it;
 * - phone: a mobile or landline number, spaces removed;
 * - date: a calendar date 'YYYY-MM-DD'.
 */
export interface StringColumn<K extends string = string> extends ColumnBase<K> {
  kind: 'idNumber' | 'creditCode' | 'orgCode' | 'phone' | 'date';
}

/** Yuan with at most two decimals, read as integer fen (money.ts). */
export interface MoneyColumn<K extends string = string> extends ColumnBase<K> {
  kind: 'money' | 'moneyMonthly';
  /** Net amounts (a business that made a loss) may be negative; others may not. */
  allowNegative?: boolean;
}

/**
 * Square metres with at most two decimals, read as an integer number of hundredths of a square
 * metre (45.5 m² → 4550), like money in fen: exact, and the database's `housing_area_centi_m2`.
 */
export interface AreaColumn<K extends string = string> extends ColumnBase<K> {
  kind: 'area';
}

/** 是 / 否 → true / false; nothing else (TEMPLATES.md). */
export interface YesNoColumn<K extends string = string> extends ColumnBase<K> {
  kind: 'yesNo';
}

/** One code of a code table, given as the code or its Chinese label; read as the code. */
export interface CodeColumn<K extends string = string, T extends readonly CodeEntry[] = readonly CodeEntry[]>
  extends ColumnBase<K> {
  kind: 'code';
  table: T;
}

/** Several codes separated by 、 or , (also ，); read as an array of distinct codes in cell order. */
export interface CodesColumn<K extends string = string, T extends readonly CodeEntry[] = readonly CodeEntry[]>
  extends ColumnBase<K> {
  kind: 'codes';
  table: T;
  max: number;
}

export type ColumnSpec =
  | TextColumn
  | StringColumn
  | MoneyColumn
  | AreaColumn
  | YesNoColumn
  | CodeColumn
  | CodesColumn;

export type ColumnKind = ColumnSpec['kind'];

export interface SheetSpec<
  N extends string = string,
  C extends readonly ColumnSpec[] = readonly ColumnSpec[],
> {
  name: N;
  columns: C;
  /** A workbook without this sheet is reported (default true). */
  required?: boolean;
}

/** The value a column's kind reads to (and the writer takes). */
export type ColumnValue<C extends ColumnSpec> = C extends { kind: 'money' | 'moneyMonthly' | 'area' }
  ? number
  : C extends { kind: 'yesNo' }
    ? boolean
    : C extends { kind: 'code'; table: infer T extends readonly CodeEntry[] }
      ? T[number]['code']
      : C extends { kind: 'codes'; table: infer T extends readonly CodeEntry[] }
        ? T[number]['code'][]
        : string;

type Columns<S extends SheetSpec> = S['columns'][number];

/** The values of a row that has no error: every required column present, optional ones when filled. */
export type SheetValues<S extends SheetSpec> = {
  [C in Columns<S> as C extends { required: true } ? C['key'] : never]: ColumnValue<C>;
} & {
  [C in Columns<S> as C extends { required: true } ? never : C['key']]?: ColumnValue<C>;
};

/** Defines a sheet with its literal types kept, so that `SheetValues` knows its fields. */
export function defineSheet<const N extends string, const C extends readonly ColumnSpec[]>(
  name: N,
  columns: C,
  options: { required?: boolean } = {},
): SheetSpec<N, C> {
  const keys = new Set<string>();
  const headers = new Set<string>();
  for (const c of columns) {
    const header = normaliseHeader(c.header);
    if (header !== c.header) throw new Error(`sheet ${name}: header "${c.header}" is not in normal form`);
    if (keys.has(c.key) || headers.has(header)) throw new Error(`sheet ${name}: column ${c.key} twice`);
    keys.add(c.key);
    headers.add(header);
  }
  return { name, columns, required: options.required ?? true };
}

/**
 * A header as written by a person, reduced to what is compared (TEMPLATES.md): surrounding spaces
 * and one trailing unit in brackets, half- or full-width, are dropped: ' 工资性收入（元/年） ' →
 * '工资性收入'.
 */
export function normaliseHeader(text: string): string {
  return text
    .trim()
    .replace(/\s*[(（][^()（）]*[)）]$/u, '')
    .trim();
}

// The survey workbook 困难职工摸底调查表, TEMPLATES.md §1. Keys follow the registry's tables
// (packages/db/src/schema.ts: people, households, household_members, archives).

export const SURVEY_HOUSEHOLDS = defineSheet('家庭', [
  { header: '户主姓名', key: 'headName', required: true, kind: 'text', maxLength: 50 },
  { header: '户主身份证号', key: 'headIdNumber', required: true, kind: 'idNumber' },
  { header: '联系电话', key: 'phone', required: false, kind: 'phone' },
  { header: '所属工会', key: 'orgCode', required: true, kind: 'orgCode' },
  { header: '工作单位', key: 'employerName', required: false, kind: 'text', width: 30 },
  { header: '统一社会信用代码', key: 'employerCreditCode', required: false, kind: 'creditCode' },
  {
    header: '户口类型',
    key: 'householdRegistration',
    required: true,
    kind: 'code',
    table: HOUSEHOLD_REGISTRATIONS,
  },
  { header: '是否农民工', key: 'migrantWorker', required: true, kind: 'yesNo' },
  { header: '住房类型', key: 'housingType', required: false, kind: 'code', table: HOUSING_TYPES },
  { header: '住房面积', key: 'housingAreaCentiM2', required: false, kind: 'area' },
  // Yearly totals of the whole household over the twelve months before the survey date. The three
  // net incomes (净收入) are income less its costs, so a loss makes them negative.
  { header: '工资性收入', key: 'wageIncomeFen', required: true, kind: 'money' },
  { header: '经营净收入', key: 'businessIncomeFen', required: false, kind: 'money', allowNegative: true },
  { header: '财产净收入', key: 'propertyIncomeFen', required: false, kind: 'money', allowNegative: true },
  { header: '转移净收入', key: 'transferIncomeFen', required: false, kind: 'money', allowNegative: true },
  { header: '其他收入', key: 'otherIncomeFen', required: false, kind: 'money' },
  { header: '医疗支出', key: 'medicalCostFen', required: false, kind: 'money' },
  { header: '残疾支出', key: 'disabilityCostFen', required: false, kind: 'money' },
  { header: '教育支出', key: 'educationCostFen', required: false, kind: 'money' },
  { header: '住房支出', key: 'housingCostFen', required: false, kind: 'money' },
  { header: '其他刚性支出', key: 'otherRigidCostFen', required: false, kind: 'money' },
  { header: '就业必要支出', key: 'employmentCostFen', required: false, kind: 'money' },
  { header: '主要致困原因', key: 'primaryCause', required: true, kind: 'code', table: HARDSHIP_CAUSES },
  {
    header: '次要致困原因',
    key: 'secondaryCauses',
    required: false,
    kind: 'codes',
    table: HARDSHIP_CAUSES,
    max: 3,
  },
  { header: '调查日期', key: 'surveyDate', required: true, kind: 'date' },
  { header: '调查人', key: 'surveyor', required: false, kind: 'text', maxLength: 50 },
]);

export const SURVEY_MEMBERS = defineSheet('家庭成员', [
  { header: '户主身份证号', key: 'headIdNumber', required: true, kind: 'idNumber' },
  { header: '姓名', key: 'name', required: true, kind: 'text', maxLength: 50 },
  { header: '身份证号', key: 'idNumber', required: true, kind: 'idNumber' },
  { header: '与户主关系', key: 'relation', required: true, kind: 'code', table: RELATIONS },
  { header: '健康状况', key: 'health', required: false, kind: 'code', table: HEALTH_STATES },
  { header: '就业就学状况', key: 'activity', required: false, kind: 'code', table: ACTIVITY_STATES },
  { header: '月收入', key: 'monthlyIncomeFen', required: false, kind: 'moneyMonthly' },
]);

/** The survey workbook's sheets, in the order an export writes them. */
export const SURVEY_WORKBOOK = [SURVEY_HOUSEHOLDS, SURVEY_MEMBERS] as const;

export type SurveyHousehold = SheetValues<typeof SURVEY_HOUSEHOLDS>;
export type SurveyMember = SheetValues<typeof SURVEY_MEMBERS>;
