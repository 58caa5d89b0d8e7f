/**
 * Assistance (帮扶救助, issue 5): code tables, the ledger of payments and its reports. Money is
 * integer fen; dates are calendar dates in Shanghai.
 */
import { z } from 'zod';
import { ImportProblem, UploadQuery } from './imports';
import { OrgCode } from './orgs';
import { CalendarDateText } from './registry';
import type { CodeEntry } from './registry-codes';

function table<const T extends readonly CodeEntry[]>(entries: T) {
  return entries;
}
const codes = <T extends readonly CodeEntry[]>(t: T) =>
  z.enum(t.map((e) => e.code) as [T[number]['code'], ...T[number]['code'][]]);

/** 帮扶类型: the types of aid of a program and of a ledger line (TEMPLATES.md §2). */
export const AID_TYPES = table([
  { code: 'living', zh: '生活救助', en: 'Living aid' },
  { code: 'medical', zh: '医疗救助', en: 'Medical aid' },
  { code: 'education', zh: '助学救助', en: 'Education aid' },
  { code: 'festival', zh: '送温暖', en: 'Spring Festival campaign' },
  { code: 'emergency', zh: '应急救助', en: 'Emergency aid' },
  { code: 'training', zh: '培训补贴', en: 'Training subsidy' },
  { code: 'other', zh: '其他', en: 'Other' },
]);
export type AidType = (typeof AID_TYPES)[number]['code'];
export const AidTypeCode = codes(AID_TYPES);

/** 资金来源: where the money comes from (TEMPLATES.md §2). */
export const FUND_SOURCES = table([
  { code: 'central_finance', zh: '中央财政', en: 'Central finance' },
  { code: 'local_finance', zh: '地方财政', en: 'Local finance' },
  { code: 'union_dues', zh: '工会经费', en: 'Union funds' },
  { code: 'donation', zh: '社会捐助', en: 'Donations' },
]);
export type FundSource = (typeof FUND_SOURCES)[number]['code'];
export const FundSourceCode = codes(FUND_SOURCES);

const Year = z.coerce.number().int().min(1990).max(2100);

export const AssistanceReportQuery = z
  .object({
    from: Year.meta({ description: 'First year, e.g. 2009' }),
    to: Year.meta({ description: 'Last year, included, e.g. 2014' }),
    org: OrgCode.optional().meta({
      description: "Only payments of this organisation's subtree (default: the whole scope)",
    }),
  })
  .refine((q) => q.from <= q.to, { message: '`from` is after `to`', path: ['to'] });
export type AssistanceReportQuery = z.infer<typeof AssistanceReportQuery>;

const PersonTimes = z.number().int().meta({
  description: 'Person-times (人次): payments, less the payments reversed',
});
const AmountFen = z.number().int().meta({ description: 'Amount paid in fen, less reversals' });

export const AssistanceYear = z
  .object({ year: z.number().int(), personTimes: PersonTimes, amountFen: AmountFen })
  .meta({ id: 'AssistanceYear' });
export type AssistanceYear = z.infer<typeof AssistanceYear>;

export const AssistanceYearBy = AssistanceYear.extend({ code: z.string() }).meta({ id: 'AssistanceYearBy' });
export type AssistanceYearBy = z.infer<typeof AssistanceYearBy>;

/**
 * Table 1 of the founding report and its kin: person-times and amounts per year of the range (every
 * year, zero where nothing was paid), their total, and the growth of the last year against the
 * first, as the report derives it (+131.3 % person-times, 2014 against 2009): a fraction rounded to
 * three decimals, null when the first year is zero. The same per type of aid and per fund source.
 */
export const AssistanceReport = z
  .object({
    rows: z.array(AssistanceYear),
    total: z.object({ personTimes: PersonTimes, amountFen: AmountFen }),
    growth: z.object({ personTimes: z.number().nullable(), amount: z.number().nullable() }),
    byType: z.array(AssistanceYearBy).meta({ description: 'Per year and type of aid (AID_TYPES)' }),
    byFund: z.array(AssistanceYearBy).meta({ description: 'Per year and fund source (FUND_SOURCES)' }),
  })
  .meta({ id: 'AssistanceReport' });
export type AssistanceReport = z.infer<typeof AssistanceReport>;

/** Which lines of the ledger a list or an export takes; all filters are optional. */
export const LedgerQuery = z
  .object({
    org: OrgCode.optional().meta({ description: "Only this organisation's subtree" }),
    from: CalendarDateText.optional().meta({ description: 'Paid on or after this day' }),
    to: CalendarDateText.optional().meta({ description: 'Paid on or before this day' }),
    aidType: AidTypeCode.optional(),
    fundSource: FundSourceCode.optional(),
    program: z.string().trim().min(1).max(100).optional().meta({ description: 'Program name, exactly' }),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` is after `to`', path: ['to'] });
export type LedgerQuery = z.infer<typeof LedgerQuery>;

export const LedgerListQuery = LedgerQuery.and(
  z.object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** The last line of the previous page, as returned in `next`. */
    after: z.string().max(100).optional(),
  }),
);
export type LedgerListQuery = z.infer<typeof LedgerListQuery>;

export const LedgerLine = z
  .object({
    id: z.uuid(),
    kind: z.enum(['payment', 'reversal']),
    personId: z.uuid(),
    personName: z.string(),
    idNumberMasked: z.string(),
    aidType: AidTypeCode,
    fundSource: FundSourceCode,
    amountFen: z.number().int(),
    paidOn: CalendarDateText,
    programName: z.string().nullable(),
    paidBy: z.string().nullable(),
    orgCode: OrgCode,
    orgName: z.string(),
    origin: z.enum(['import', 'grant']),
    reversedBy: z.uuid().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'LedgerLine' });
export type LedgerLine = z.infer<typeof LedgerLine>;

export const LedgerPage = z
  .object({
    lines: z.array(LedgerLine),
    /** Pass as `after` for the next page; null on the last. */
    next: z.string().nullable(),
  })
  .meta({ id: 'LedgerPage' });
export type LedgerPage = z.infer<typeof LedgerPage>;

/**
 * What a ledger import did (or, as a dry run, would do): the report of `niangjia import ledger
 * --json`. A row already in the ledger is `unchanged`; every rejected row is in `errors` by sheet,
 * row and column.
 */
export const LedgerImportResult = z
  .object({
    imported: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    /** People the registry did not know, registered from their rows (source 'ledger'). */
    peopleCreated: z.number().int(),
    errors: z.array(ImportProblem),
    warnings: z.array(ImportProblem),
  })
  .meta({ id: 'LedgerImportResult' });
export type LedgerImportResult = z.infer<typeof LedgerImportResult>;

/** A ledger import run as a background job (the import page): its report, and which upload it read. */
export const LedgerImportJobResult = LedgerImportResult.extend({
  uploadId: z.uuid(),
  filename: z.string(),
  dryRun: z.boolean(),
  /** Problems beyond the first MAX_REPORTED_PROBLEMS, counted but not listed. */
  errorsNotListed: z.number().int(),
}).meta({ id: 'LedgerImportJobResult' });
export type LedgerImportJobResult = z.infer<typeof LedgerImportJobResult>;

export const LedgerUploadQuery = UploadQuery.extend({
  org: OrgCode.optional().meta({ description: 'The paying organisation of rows without 所属工会' }),
});
export type LedgerUploadQuery = z.infer<typeof LedgerUploadQuery>;
