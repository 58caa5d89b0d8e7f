/**
 * Assistance (帮扶救助, issue 5): code tables, the ledger of payments and its reports. Money is
 * integer fen; dates are calendar dates in Shanghai.
 */
import { z } from 'zod';
import { ImportProblem, UploadQuery } from './imports';
import { OrgCode } from './orgs';
import { ArchiveStatusCode, CalendarDateText } from './registry';
import { ARCHIVE_CATEGORIES, type CodeEntry } from './registry-codes';

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

// ---------------------------------------------------------------------------------------------
// Funds, programs and grants.

const Fen = z.number().int().min(1).max(9_000_000_000_000);
const ArchiveCategoryCode = z.enum(ARCHIVE_CATEGORIES.map((c) => c.code) as [string, ...string[]]);

export const PAYMENT_METHODS = table([
  { code: 'bank_card', zh: '银行卡', en: 'Bank card' },
  { code: 'cash', zh: '现金', en: 'Cash' },
  { code: 'in_kind', zh: '实物', en: 'In kind' },
]);
export const PaymentMethodCode = codes(PAYMENT_METHODS);

export const GRANT_STATUSES = table([
  { code: 'proposed', zh: '待审批', en: 'Proposed' },
  { code: 'approved', zh: '已审批', en: 'Approved' },
  { code: 'objected', zh: '公示有异议', en: 'Objection raised' },
  { code: 'paid', zh: '已发放', en: 'Paid' },
  { code: 'rejected', zh: '未通过', en: 'Rejected' },
  { code: 'cancelled', zh: '已撤销', en: 'Cancelled' },
]);
export const GrantStatusCode = codes(GRANT_STATUSES);
export type GrantStatus = z.infer<typeof GrantStatusCode>;

export const SetFund = z
  .object({
    org: OrgCode,
    source: FundSourceCode,
    year: Year,
    budgetFen: z.number().int().min(0).max(9_000_000_000_000),
    note: z.string().trim().max(200).optional(),
  })
  .meta({ id: 'SetFund' });
export type SetFund = z.infer<typeof SetFund>;

export const FundView = z
  .object({
    id: z.uuid(),
    org: OrgCode,
    orgName: z.string(),
    source: FundSourceCode,
    year: z.number().int(),
    budgetFen: z.number().int(),
    /** Approved grants not yet paid. */
    committedFen: z.number().int(),
    paidFen: z.number().int(),
    availableFen: z.number().int(),
    /** Committed and paid for training (培训补贴): the share the 30 % rule limits. */
    trainingFen: z.number().int(),
    note: z.string().nullable(),
  })
  .meta({ id: 'FundView' });
export type FundView = z.infer<typeof FundView>;

export const FundQuery = z.object({ org: OrgCode.optional(), year: Year.optional() });
export type FundQuery = z.infer<typeof FundQuery>;

export const CreateProgram = z
  .object({
    org: OrgCode,
    name: z.string().trim().min(1).max(100),
    aidType: AidTypeCode,
    startsOn: CalendarDateText,
    endsOn: CalendarDateText,
    fundSources: z.array(FundSourceCode).min(1).max(4),
    eligibleStatuses: z.array(ArchiveStatusCode).max(10).default(['archived']).meta({
      description:
        'Archive statuses that qualify (default: archived, "archive first, then aid"); empty: no archive needed',
    }),
    eligibleCategories: z.array(ArchiveCategoryCode).max(10).default([]).meta({
      description: 'Archive categories that qualify; empty: any',
    }),
    defaultAmountFen: Fen.optional(),
    publicityWorkingDays: z.number().int().min(0).max(30).default(5),
  })
  .refine((p) => p.startsOn <= p.endsOn, { path: ['endsOn'], message: 'endsOn is before startsOn' })
  .meta({ id: 'CreateProgram' });
export type CreateProgram = z.infer<typeof CreateProgram>;

export const ProgramView = z
  .object({
    id: z.uuid(),
    org: OrgCode,
    orgName: z.string(),
    name: z.string(),
    aidType: AidTypeCode,
    startsOn: CalendarDateText,
    endsOn: CalendarDateText,
    fundSources: z.array(FundSourceCode),
    eligibleStatuses: z.array(z.string()),
    eligibleCategories: z.array(z.string()),
    defaultAmountFen: z.number().int().nullable(),
    publicityWorkingDays: z.number().int(),
    counts: z.record(z.string(), z.number().int()).meta({ description: 'Grants by status' }),
    amounts: z
      .record(z.string(), z.number().int())
      .meta({ description: 'Amount of the grants by status (fen)' }),
  })
  .meta({ id: 'ProgramView' });
export type ProgramView = z.infer<typeof ProgramView>;

export const ProgramQuery = z.object({ org: OrgCode.optional(), year: Year.optional() });

/** What the cap rule of a program's type needs beyond the records: the self-paid costs, the school. */
export const GrantInputs = z.object({
  selfPaidFen: Fen.optional().meta({ description: 'Medical aid: the self-paid share of the costs' }),
  schoolLevel: z.enum(['basic', 'higher']).optional().meta({
    description: 'Education aid: basic = kindergarten and compulsory school; higher = high school and above',
  }),
});

export const ProposeGrant = GrantInputs.extend({
  programId: z.uuid(),
  personId: z.uuid(),
  amountFen: Fen.optional().meta({ description: "Default: the program's amount, or the cap" }),
  fundSource: FundSourceCode.optional().meta({ description: "Default: the program's first fund source" }),
}).meta({ id: 'ProposeGrant' });
export type ProposeGrant = z.infer<typeof ProposeGrant>;

export const ProposeBatch = z
  .object({
    programId: z.uuid(),
    /** The households of the list these filters give; each household's head is proposed. */
    filters: z.object({
      org: OrgCode.optional(),
      status: ArchiveStatusCode.optional(),
      category: ArchiveCategoryCode.optional(),
      cause: z.string().max(4).optional(),
      migrant: z.boolean().optional(),
      urgency: z.string().max(20).optional(),
    }),
    amountFen: Fen.optional(),
    fundSource: FundSourceCode.optional(),
  })
  .meta({ id: 'ProposeBatch' });
export type ProposeBatch = z.infer<typeof ProposeBatch>;

export const BatchProposed = z
  .object({
    matched: z.number().int(),
    proposed: z.number().int(),
    amountFen: z.number().int(),
    /** Households left out, by reason: not_eligible, already_granted, over_cap, no_cap_parameter. */
    skipped: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'BatchProposed' });
export type BatchProposed = z.infer<typeof BatchProposed>;

export const GrantView = z
  .object({
    id: z.uuid(),
    programId: z.uuid(),
    programName: z.string(),
    aidType: AidTypeCode,
    org: OrgCode,
    orgName: z.string(),
    personId: z.uuid(),
    personName: z.string(),
    idNumberMasked: z.string(),
    householdId: z.uuid().nullable(),
    /** The union the household belongs to (the grant's `org` is the one that runs and pays it). */
    householdOrg: OrgCode.nullable(),
    householdOrgName: z.string().nullable(),
    amountFen: z.number().int(),
    capFen: z.number().int().nullable(),
    basis: z.record(z.string(), z.unknown()),
    fundSource: FundSourceCode,
    fundYear: z.number().int(),
    status: GrantStatusCode,
    approvalsNeeded: z.number().int(),
    proposedBy: z.string(),
    proposedAt: z.iso.datetime(),
    firstApprovedBy: z.string().nullable(),
    approvedBy: z.string().nullable(),
    approvedOn: CalendarDateText.nullable(),
    publicityEndsOn: CalendarDateText.nullable(),
    decisionNote: z.string().nullable(),
    objection: z.string().nullable(),
    paidOn: CalendarDateText.nullable(),
    payment: z
      .object({
        ledgerEntryId: z.uuid(),
        method: PaymentMethodCode.nullable(),
        paidBy: z.string().nullable(),
        paidOn: CalendarDateText,
        bankCardMasked: z.string().nullable(),
        /** In kind: what was given (the receipt lists it). */
        inKindItems: z.string().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'GrantView' });
export type GrantView = z.infer<typeof GrantView>;

export const GrantQuery = z.object({
  programId: z.uuid().optional(),
  status: GrantStatusCode.optional(),
  personId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export type GrantQuery = z.infer<typeof GrantQuery>;

export const GrantList = z
  .object({ items: z.array(GrantView), total: z.number().int() })
  .meta({ id: 'GrantList' });
export type GrantList = z.infer<typeof GrantList>;

export const Decide = z.object({ note: z.string().trim().max(500).optional() }).meta({ id: 'Decide' });
export const Reject = z.object({ reason: z.string().trim().min(1).max(500) }).meta({ id: 'Reject' });
export const ChangeGrantAmount = z.object({ amountFen: Fen }).meta({ id: 'ChangeGrantAmount' });
export const RaiseGrantObjection = z
  .object({ content: z.string().trim().min(1).max(2000) })
  .meta({ id: 'RaiseGrantObjection' });
export const ResolveGrantObjection = z
  .object({ upheld: z.boolean(), resolution: z.string().trim().min(1).max(2000) })
  .meta({ id: 'ResolveGrantObjection' });

export const PayGrant = z
  .object({
    method: PaymentMethodCode,
    paidOn: CalendarDateText.optional().meta({ description: 'Default: today' }),
    inKindItems: z.string().trim().min(1).max(200).optional().meta({
      description: 'In kind: what was given (its value is the amount)',
    }),
  })
  .refine((p) => p.method !== 'in_kind' || p.inKindItems, {
    path: ['inKindItems'],
    message: '实物发放须写明物品',
  })
  .meta({ id: 'PayGrant' });
export type PayGrant = z.infer<typeof PayGrant>;

export const ReversePayment = z
  .object({
    reason: z.string().trim().min(1).max(500),
    /** Cancel the grant too (paid in error); otherwise it may be paid again (a wrong card). */
    cancel: z.boolean().default(false),
  })
  .meta({ id: 'ReversePayment' });
export type ReversePayment = z.infer<typeof ReversePayment>;

export const ApproveAllResult = z
  .object({
    approved: z.number().int(),
    firstApproved: z.number().int(),
    refused: z.array(z.object({ grantId: z.uuid(), reason: z.string() })),
  })
  .meta({ id: 'ApproveAllResult' });
export type ApproveAllResult = z.infer<typeof ApproveAllResult>;

/** A household's assistance in a year against the caps of each type (the household page). */
export const HouseholdAssistance = z
  .object({
    year: z.number().int(),
    byType: z.array(
      z.object({
        aidType: AidTypeCode,
        /** Live grants (proposed, approved, paid) and imported payments of the year. */
        grantedFen: z.number().int(),
        paidFen: z.number().int(),
        capFen: z.number().int().nullable(),
        capBasis: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'HouseholdAssistance' });
export type HouseholdAssistance = z.infer<typeof HouseholdAssistance>;
