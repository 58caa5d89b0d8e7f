import type { Permission } from './access';
import type { ArchiveOrigin } from './registry-codes';

/**
 * The life cycle of a hardship archive (DOMAIN.md, filing steps): surveyed → applied → first
 * review → home visit → finances verified → publicity → archived → exited, with returned (sent
 * back for correction) and refused on the way. Defined once: the server enforces it, the pages
 * offer only the actions it allows. An exited or refused archive is closed for good: a household
 * back in hardship, or surveyed again after a refusal, gets a new archive (`opens`) that points to
 * it, so that history is never rewritten (ADR 0014).
 */
export const ARCHIVE_STATUSES = [
  { code: 'surveyed', zh: '已摸底', en: 'Surveyed' },
  { code: 'applied', zh: '已申请', en: 'Applied' },
  { code: 'first_review', zh: '初审通过', en: 'First review passed' },
  { code: 'home_visit', zh: '已入户核查', en: 'Home visit done' },
  { code: 'finances_verified', zh: '经济状况已核对', en: 'Finances verified' },
  { code: 'publicity', zh: '公示中', en: 'In publicity' },
  { code: 'archived', zh: '已建档', en: 'Archived' },
  { code: 'exited', zh: '已退出', en: 'Exited' },
  { code: 'returned', zh: '已退回', en: 'Returned for correction' },
  { code: 'refused', zh: '不予认定', en: 'Refused' },
] as const;
export type ArchiveStatus = (typeof ARCHIVE_STATUSES)[number]['code'];

export interface ArchiveAction {
  code: string;
  zh: string;
  en: string;
  from: readonly ArchiveStatus[];
  to: ArchiveStatus;
  /** Who may take the step. Deciding steps (first review, archiving, refusing) need approval rights. */
  permission: Permission;
  /** What the step must record besides its date, user and comment. */
  requires?: readonly ('exitReason' | 'publicityEnded')[];
  /**
   * The step leaves this archive as it is and opens a new one of the household, in `to`, with
   * this origin and `previous_archive_id` set to this one.
   */
  opens?: ArchiveOrigin;
}

const IN_PROCESS: readonly ArchiveStatus[] = [
  'applied',
  'first_review',
  'home_visit',
  'finances_verified',
  'publicity',
];

export const ARCHIVE_ACTIONS = [
  {
    code: 'apply',
    zh: '提交申请',
    en: 'Submit application',
    from: ['surveyed', 'returned'],
    to: 'applied',
    permission: 'registry:write',
  },
  {
    code: 'first_review',
    zh: '初审通过',
    en: 'Pass first review',
    from: ['applied'],
    to: 'first_review',
    permission: 'registry:approve',
  },
  {
    code: 'home_visit',
    zh: '完成入户核查',
    en: 'Record home visit',
    from: ['first_review'],
    to: 'home_visit',
    permission: 'registry:write',
  },
  {
    code: 'verify_finances',
    zh: '核对经济状况',
    en: 'Record finances verified',
    from: ['home_visit'],
    to: 'finances_verified',
    permission: 'registry:write',
  },
  {
    code: 'publicise',
    zh: '开始公示',
    en: 'Start publicity',
    from: ['finances_verified'],
    to: 'publicity',
    permission: 'registry:approve',
  },
  {
    code: 'archive',
    zh: '公示期满，建档',
    en: 'Archive after publicity',
    from: ['publicity'],
    to: 'archived',
    permission: 'registry:approve',
    requires: ['publicityEnded'],
  },
  {
    code: 'return',
    zh: '退回修改',
    en: 'Return for correction',
    from: IN_PROCESS,
    to: 'returned',
    permission: 'registry:write',
  },
  {
    code: 'refuse',
    zh: '不予认定',
    en: 'Refuse',
    from: ['surveyed', 'returned', ...IN_PROCESS],
    to: 'refused',
    permission: 'registry:approve',
  },
  {
    // The yearly review (年审) of an archived household: it stays archived, reviewed again in a year.
    code: 'review',
    zh: '年度审核',
    en: 'Yearly review',
    from: ['archived'],
    to: 'archived',
    permission: 'registry:write',
  },
  {
    code: 'exit',
    zh: '退出档案',
    en: 'Exit the archive',
    from: ['archived'],
    to: 'exited',
    permission: 'registry:approve',
    requires: ['exitReason'],
  },
  {
    // 返困: an exited household back in hardship. Its exited archive stays; a new one starts at the
    // survey, origin 返困 (issue 3: "reopening an exited household creates a 返困 archive").
    code: 'reopen',
    zh: '返困，重新建档',
    en: 'Back in hardship: reopen',
    from: ['exited'],
    to: 'surveyed',
    permission: 'registry:write',
    opens: 'relapsed',
  },
  {
    // A refusal decides one application, not the household's future: when its situation changes it
    // is surveyed again, in a new archive (新增: it never was archived, so it cannot be 返困).
    code: 'resurvey',
    zh: '重新摸底',
    en: 'Survey again',
    from: ['refused'],
    to: 'surveyed',
    permission: 'registry:write',
    opens: 'new',
  },
] as const satisfies readonly ArchiveAction[];
export type ArchiveActionCode = (typeof ARCHIVE_ACTIONS)[number]['code'];
