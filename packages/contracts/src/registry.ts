import { z } from 'zod';
import { ARCHIVE_ACTIONS, ARCHIVE_STATUSES, type ArchiveActionCode } from './archive-lifecycle';
import { OrgCode } from './orgs';
import { exclusionSchema } from './policy';
import {
  ACTIVITY_STATES,
  ARCHIVE_CATEGORIES,
  ARCHIVE_ORIGINS,
  type CodeEntry,
  EXIT_REASONS,
  HARDSHIP_CAUSES,
  HEALTH_STATES,
  HOUSEHOLD_REGISTRATIONS,
  HOUSING_TYPES,
  RELATIONS,
  URGENCIES,
} from './registry-codes';

const codes = <T extends readonly CodeEntry[]>(table: T) =>
  z.enum(table.map((e) => e.code) as [T[number]['code'], ...T[number]['code'][]]);

/**
 * The shape of a resident ID number: 18 characters (the last may be X) or an old 15-digit one.
 * The full rule (check character, birth date, division code: GB 11643) is the domain's
 * `parseResidentId`, which the server applies and the forms call for inline errors.
 */
export const ResidentIdText = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(\d{17}[\dX]|\d{15})$/, 'ID number: 18 characters, or 15 digits for an old one');

/** Money as integer fen, never negative here. */
export const Fen = z.number().int().min(0).max(9_000_000_000_000);
/** A net amount (income less its costs, TEMPLATES.md §1): a loss makes it negative. */
export const NetFen = z.number().int().min(-9_000_000_000_000).max(9_000_000_000_000);
export const CalendarDateText = z.iso.date();

export const PersonInput = z
  .object({
    idNumber: ResidentIdText,
    name: z.string().trim().min(1).max(50),
    phone: z
      .string()
      .trim()
      .regex(/^[\d+\-() ]{5,20}$/, 'phone: digits, spaces, + - ( )')
      .optional(),
    householdRegistration: codes(HOUSEHOLD_REGISTRATIONS).optional(),
    health: codes(HEALTH_STATES).optional(),
    activity: codes(ACTIVITY_STATES).optional(),
    migrantWorker: z.boolean().default(false),
  })
  .meta({ id: 'PersonInput' });
export type PersonInput = z.infer<typeof PersonInput>;

export const MemberInput = PersonInput.extend({
  relation: codes(RELATIONS),
  monthlyIncomeFen: Fen.optional(),
}).meta({ id: 'MemberInput' });
export type MemberInput = z.infer<typeof MemberInput>;

/** The survey's yearly income and cost items of the whole household (TEMPLATES.md §1), in fen. */
export const SurveyItems = z
  .object({
    wageIncomeFen: Fen,
    businessIncomeFen: NetFen.default(0),
    propertyIncomeFen: NetFen.default(0),
    transferIncomeFen: NetFen.default(0),
    otherIncomeFen: Fen.default(0),
    medicalCostFen: Fen.default(0),
    disabilityCostFen: Fen.default(0),
    educationCostFen: Fen.default(0),
    housingCostFen: Fen.default(0),
    otherRigidCostFen: Fen.default(0),
    employmentCostFen: Fen.default(0),
  })
  .meta({ id: 'SurveyItems' });
export type SurveyItems = z.infer<typeof SurveyItems>;

export const CreateHousehold = z
  .object({
    orgCode: OrgCode,
    // The survey workbook requires the head's household registration (TEMPLATES.md §1): so does
    // the API, so that every household exports to a workbook that imports again.
    head: PersonInput.extend({ householdRegistration: codes(HOUSEHOLD_REGISTRATIONS) }),
    members: z.array(MemberInput).max(20).default([]),
    housingType: codes(HOUSING_TYPES).optional(),
    income: SurveyItems,
    surveyDate: CalendarDateText,
    surveyor: z.string().trim().max(50).optional(),
    primaryCause: codes(HARDSHIP_CAUSES),
    secondaryCauses: z.array(codes(HARDSHIP_CAUSES)).max(3).default([]),
    urgency: codes(URGENCIES).default('normal'),
    origin: codes(ARCHIVE_ORIGINS).default('new'),
  })
  .meta({ id: 'CreateHousehold' });
export type CreateHousehold = z.infer<typeof CreateHousehold>;

export const ArchiveStatusCode = z.enum(ARCHIVE_STATUSES.map((s) => s.code) as [string, ...string[]]);

/** One line of the household list: ID numbers masked (PIPL). */
export const HouseholdSummary = z
  .object({
    id: z.uuid(),
    orgCode: OrgCode,
    orgName: z.string(),
    headName: z.string(),
    headIdMasked: z.string(),
    size: z.number().int(),
    migrantWorker: z.boolean(),
    status: ArchiveStatusCode.nullable(),
    category: codes(ARCHIVE_CATEGORIES).nullable(),
    primaryCause: codes(HARDSHIP_CAUSES).nullable(),
    urgency: codes(URGENCIES).nullable(),
    surveyDate: CalendarDateText.nullable(),
  })
  .meta({ id: 'HouseholdSummary' });
export type HouseholdSummary = z.infer<typeof HouseholdSummary>;

/**
 * The household list counts matching households up to this many and then says "at least"; pages
 * reach this far and no further: past it, narrow the filters (ADR 0012).
 */
export const HOUSEHOLD_LIST_COUNT_CAP = 1_000;

/** The household list's filters (also those of its export to a workbook). */
export const HouseholdFilters = z.object({
  org: OrgCode.optional().meta({ description: "This organisation's subtree; default: the user's scope" }),
  status: ArchiveStatusCode.optional(),
  category: codes(ARCHIVE_CATEGORIES).optional(),
  cause: codes(HARDSHIP_CAUSES).optional().meta({ description: 'Primary or secondary cause' }),
  migrant: z.stringbool().optional(),
  urgency: codes(URGENCIES).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .meta({
      description:
        'A name or a fragment of it; or an ID number: whole, its last four characters, and with person:read_full ' +
        'also its end (4 or more characters) or its start (10 or more)',
    }),
});
export type HouseholdFilters = z.infer<typeof HouseholdFilters>;

export const HouseholdListQuery = HouseholdFilters.extend({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
}).refine((q) => q.page * q.pageSize <= HOUSEHOLD_LIST_COUNT_CAP, {
  path: ['page'],
  message: `pages reach the first ${HOUSEHOLD_LIST_COUNT_CAP} households: narrow the filters to see further`,
});
export type HouseholdListQuery = z.infer<typeof HouseholdListQuery>;

export const HouseholdList = z
  .object({
    items: z.array(HouseholdSummary),
    total: z
      .number()
      .int()
      .meta({ description: `Matching households, counted up to ${HOUSEHOLD_LIST_COUNT_CAP}` }),
    totalIsLowerBound: z.boolean().meta({
      description: `true when more than ${HOUSEHOLD_LIST_COUNT_CAP} match: total is then that cap, a lower bound`,
    }),
  })
  .meta({ id: 'HouseholdList' });
export type HouseholdList = z.infer<typeof HouseholdList>;

export const ArchiveStepInput = z
  .object({
    action: z.enum(ARCHIVE_ACTIONS.map((a) => a.code) as [ArchiveActionCode, ...ArchiveActionCode[]]),
    comment: z.string().trim().min(1, 'a comment is required').max(1000),
    onDate: CalendarDateText.optional().meta({
      description: 'Date of the step; default: today (Asia/Shanghai)',
    }),
    exitReason: codes(EXIT_REASONS).optional(),
    monthlyIncomeFen: Fen.optional().meta({
      description:
        "For a yearly review: the household's income for a month, in all, as found (the exit rule reads this history)",
    }),
  })
  .meta({ id: 'ArchiveStepInput' });
export type ArchiveStepInput = z.infer<typeof ArchiveStepInput>;

export const ArchiveStep = z.object({
  action: z.string(),
  fromStatus: ArchiveStatusCode.nullable(),
  toStatus: ArchiveStatusCode,
  onDate: CalendarDateText,
  at: z.iso.datetime(),
  username: z.string(),
  comment: z.string(),
});

export const Archive = z
  .object({
    id: z.uuid(),
    status: ArchiveStatusCode,
    category: codes(ARCHIVE_CATEGORIES).nullable(),
    origin: codes(ARCHIVE_ORIGINS),
    primaryCause: codes(HARDSHIP_CAUSES),
    secondaryCauses: z.array(codes(HARDSHIP_CAUSES)),
    urgency: codes(URGENCIES),
    /** Set by a caseworker: the rules leave it alone. */
    urgencyManual: z.boolean(),
    /** The rule that gave the urgency (contracts: URGENCY_REASONS), or the caseworker's words. */
    urgencyReason: z.string().nullable(),
    openedOn: CalendarDateText,
    publicityStartedOn: CalendarDateText.nullable(),
    publicityEndsOn: CalendarDateText.nullable().meta({
      description: 'Last day of the minimum publicity period',
    }),
    archivedOn: CalendarDateText.nullable(),
    exitedOn: CalendarDateText.nullable(),
    exitReason: codes(EXIT_REASONS).nullable(),
    nextReviewOn: CalendarDateText.nullable(),
    /** The exited (返困) or refused archive this one follows. */
    previousArchiveId: z.uuid().nullable(),
    steps: z.array(ArchiveStep),
    /** What the signed-in user may do next. */
    allowedActions: z.array(z.string()),
  })
  .meta({ id: 'Archive' });
export type Archive = z.infer<typeof Archive>;

/** An earlier archive of the household, closed (exited or refused): history, with its steps. */
export const PastArchive = Archive.omit({
  publicityEndsOn: true,
  nextReviewOn: true,
  allowedActions: true,
}).meta({ id: 'PastArchive' });
export type PastArchive = z.infer<typeof PastArchive>;

export const PersonView = z.object({
  id: z.uuid(),
  name: z.string(),
  /** Masked unless the full view was asked for, with the permission (and then audited). */
  idNumber: z.string(),
  sex: z.enum(['male', 'female']),
  /** Only in the full view: with the masked number it would give the whole number back. */
  birthDate: CalendarDateText.nullable(),
  birthYear: z.number().int(),
  phone: z.string().nullable(),
  migrantWorker: z.boolean(),
  householdRegistration: codes(HOUSEHOLD_REGISTRATIONS).nullable(),
  health: codes(HEALTH_STATES).nullable(),
  activity: codes(ACTIVITY_STATES).nullable(),
});

export const HouseholdDetail = z
  .object({
    id: z.uuid(),
    orgCode: OrgCode,
    orgName: z.string(),
    head: PersonView,
    members: z.array(PersonView.extend({ relation: codes(RELATIONS), monthlyIncomeFen: Fen.nullable() })),
    housingType: codes(HOUSING_TYPES).nullable(),
    income: SurveyItems,
    /** Yearly totals and per-capita monthly figures, in fen, computed from the items. */
    figures: z.object({
      size: z.number().int(),
      incomeFen: NetFen,
      deductionsFen: Fen,
      perCapitaMonthlyIncomeFen: NetFen,
      perCapitaMonthlyNetFen: z.number().int(),
    }),
    surveyDate: CalendarDateText.nullable(),
    surveyor: z.string().nullable(),
    /** Exclusions of local rules found for the household (contracts: EXCLUSIONS). */
    exclusions: z.array(exclusionSchema),
    archive: Archive.nullable(),
    /** The household's earlier archives, newest first (the current one is `archive`). */
    previousArchives: z.array(PastArchive),
    fullView: z.boolean(),
  })
  .meta({ id: 'HouseholdDetail' });
export type HouseholdDetail = z.infer<typeof HouseholdDetail>;

export const RaiseObjection = z
  .object({
    raisedOn: CalendarDateText.optional().meta({ description: 'Default: today (Asia/Shanghai)' }),
    raisedBy: z.string().trim().max(50).optional().meta({ description: 'Who objected (may be anonymous)' }),
    content: z.string().trim().min(1).max(2000),
  })
  .meta({ id: 'RaiseObjection' });
export type RaiseObjection = z.infer<typeof RaiseObjection>;

export const ResolveObjection = z
  .object({
    resolvedOn: CalendarDateText.optional(),
    resolution: z.string().trim().min(1).max(2000),
    /** Whether the objection was found right: an upheld objection usually returns the archive. */
    upheld: z.boolean(),
  })
  .meta({ id: 'ResolveObjection' });
export type ResolveObjection = z.infer<typeof ResolveObjection>;

export const Objection = z
  .object({
    id: z.uuid(),
    raisedOn: CalendarDateText,
    raisedBy: z.string().nullable(),
    content: z.string(),
    resolvedOn: CalendarDateText.nullable(),
    resolution: z.string().nullable(),
    upheld: z.boolean().nullable(),
  })
  .meta({ id: 'Objection' });
export type Objection = z.infer<typeof Objection>;

export const DueQuery = z.object({
  kind: z.enum(['review', 'visit']),
  until: CalendarDateText.optional().meta({
    description: 'Due on or before this date; default: 30 days from today',
  }),
  caseworker: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: 'Visits of this username only' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DueQuery = z.infer<typeof DueQuery>;

export const DueItem = z
  .object({
    kind: z.enum(['review', 'visit']),
    archiveId: z.uuid(),
    householdId: z.uuid(),
    visitId: z.uuid().nullable(),
    headName: z.string(),
    headIdMasked: z.string(),
    orgCode: OrgCode,
    dueOn: CalendarDateText,
    overdue: z.boolean(),
    caseworker: z.string().nullable(),
  })
  .meta({ id: 'DueItem' });
export type DueItem = z.infer<typeof DueItem>;

export const RecordVisit = z
  .object({
    visitedOn: CalendarDateText.optional(),
    findings: z.string().trim().min(1).max(4000),
    monthlyIncomeFen: Fen.optional().meta({
      description:
        "The household's income for a month, in all, as found at the visit (the exit rule reads this history)",
    }),
  })
  .meta({ id: 'RecordVisit' });
export type RecordVisit = z.infer<typeof RecordVisit>;

/** A follow-up visit (回访) of an archive: scheduled, then recorded with its findings. */
export const Visit = z
  .object({
    id: z.uuid(),
    dueOn: CalendarDateText,
    visitedOn: CalendarDateText.nullable(),
    findings: z.string().nullable(),
    caseworker: z.string().nullable().meta({ description: 'Username of the caseworker' }),
    overdue: z.boolean(),
  })
  .meta({ id: 'Visit' });
export type Visit = z.infer<typeof Visit>;

/** A caseworker's urgency for an archive, with the reason; `derived` gives it back to the rules. */
export const SetUrgency = z
  .object({
    urgency: z.enum(['normal', 'urgent', 'critical', 'derived']),
    reason: z.string().trim().min(1, 'a reason is required').max(500),
  })
  .meta({ id: 'SetUrgency' });
export type SetUrgency = z.infer<typeof SetUrgency>;

/** The rules' reasons for an urgency (domain: deriveUrgency), in words. */
export const URGENCY_REASONS = [
  {
    code: 'fresh_disaster',
    zh: '近90天内遭遇自然灾害或意外事故',
    en: 'A disaster or an accident in the last 90 days',
  },
  {
    code: 'deep_and_seriously_ill',
    zh: '深度困难且家中有重病人员',
    en: 'Deep hardship with someone seriously ill',
  },
  { code: 'deep', zh: '深度困难', en: 'Deep hardship' },
  { code: 'accident', zh: '意外致困', en: 'Hardship by accident' },
  {
    code: 'seriously_ill',
    zh: '因重特大疾病致困且家中有重病人员',
    en: 'Serious illness, someone seriously ill',
  },
  { code: 'relapsed', zh: '近180天内返困', en: 'Back in hardship in the last 180 days' },
  { code: 'none', zh: '无紧急情形', en: 'Nothing urgent' },
] as const;

/** The exclusions found for a household, with why (they refuse it where its union applies them). */
export const SetExclusions = z
  .object({
    exclusions: z.array(exclusionSchema).max(6),
    reason: z.string().trim().min(1, 'a reason is required').max(500),
  })
  .meta({ id: 'SetExclusions' });
export type SetExclusions = z.infer<typeof SetExclusions>;
