import { z } from 'zod';
import { OrgCode } from './orgs';
import { ArchiveStatusCode, CalendarDateText, PersonView } from './registry';
import { RELATIONS } from './registry-codes';

/**
 * A text in both languages of the interface, made by the module that knows what it means (usually
 * from its code tables' `zh` / `en` labels), so that a page can show an entry it knows nothing of.
 */
export const LocalText = z.object({ zh: z.string(), en: z.string() }).meta({ id: 'LocalText' });
export type LocalText = z.infer<typeof LocalText>;

/** How an entry reads at a glance; the page maps it to a colour. */
export const TIMELINE_TONES = ['default', 'info', 'success', 'warning', 'danger'] as const;
export const TimelineTone = z.enum(TIMELINE_TONES);
export type TimelineTone = z.infer<typeof TimelineTone>;

/**
 * The kinds the registry writes. Later modules add theirs (`aid.grant`, `rights.case`,
 * `employment.course`, `mutual_aid.claim`…) without a change to the person page, which renders
 * every entry from its texts alone and only uses the kind for an icon where it knows one.
 */
export const REGISTRY_TIMELINE_KINDS = [
  'archive.step',
  'archive.objection',
  'archive.objection_resolved',
  'archive.visit',
  'archive.visit_due',
] as const;

/**
 * One dated entry of a person's timeline: something that happened to them (or is due), in any
 * module. Everything a page needs to show it is here; nothing is left to the page to look up.
 */
export const TimelineEntry = z
  .object({
    /** Unique within one timeline (`archive.step:42`): a stable key for the page. */
    id: z.string().min(1),
    /** The calendar date (Asia/Shanghai) it happened on, or is due on. */
    on: CalendarDateText,
    /** `module.thing`, lower case: who wrote it and what it is. */
    kind: z
      .string()
      .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'kind: module.thing, lower case')
      .meta({ description: 'e.g. archive.step, aid.grant' }),
    title: LocalText,
    /** A short state beside the title (the status reached, "overdue 12 days"…). */
    tag: z.object({ text: LocalText, tone: TimelineTone }).nullable(),
    tone: TimelineTone,
    /** Free text as it was recorded (a comment, findings): shown as is, never translated. */
    summary: z.string().nullable(),
    /** Who made the entry or raised the matter, as recorded. */
    by: z.string().nullable(),
    /** Where the matter lives, as a path of the web app (`/households/…`). */
    link: z
      .string()
      .regex(/^\/[a-z]/, 'a path of the web app')
      .nullable(),
    /** What the link leads to (the household of …), so an entry reads on its own. */
    context: LocalText.nullable(),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** A household the person heads or belongs to, with its current archive. */
export const PersonHousehold = z.object({
  householdId: z.uuid(),
  role: z.enum(['head', 'member']),
  /** The relation to the head, for a member. */
  relation: z.enum(RELATIONS.map((r) => r.code) as [string, ...string[]]).nullable(),
  headName: z.string(),
  orgCode: OrgCode,
  orgName: z.string(),
  status: ArchiveStatusCode.nullable(),
});
export type PersonHousehold = z.infer<typeof PersonHousehold>;

/**
 * A person's page: their record (ID number masked and birth date hidden unless the full view was
 * asked for, with person:read_full, as an audited read; bank card always masked), the households
 * they head or belong to, and their timeline, newest first.
 */
export const PersonDetail = PersonView.extend({
  orgCode: OrgCode,
  orgName: z.string(),
  ethnicity: z.string().nullable(),
  disability: z.string().nullable(),
  education: z.string().nullable(),
  medicalInsurance: z.string().nullable(),
  unionMember: z.boolean().nullable(),
  employer: z.object({ name: z.string(), creditCode: z.string().nullable() }).nullable(),
  bank: z
    .object({
      name: z.string().nullable(),
      branch: z.string().nullable(),
      /** Masked everywhere but its own edit form: the last four digits only. */
      cardMasked: z.string().nullable(),
    })
    .nullable(),
  /** Set when this record was merged into another one (both histories are kept). */
  mergedInto: z.uuid().nullable(),
  households: z.array(PersonHousehold),
  timeline: z.array(TimelineEntry),
  fullView: z.boolean(),
}).meta({ id: 'PersonDetail' });
export type PersonDetail = z.infer<typeof PersonDetail>;
