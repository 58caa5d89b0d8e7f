import {
  ARCHIVE_ACTIONS,
  type ArchiveActionCode,
  type ArchiveOrigin,
  type ArchiveStatus,
  type ExitReason,
  type Permission,
} from '@niangjia/contracts';
import { addWorkingDays } from '../calendar';
import type { CalendarDate } from '../dates';

export interface StepFacts {
  /** The Asia/Shanghai date the step is taken. */
  today: CalendarDate;
  /** When publicity started, for `archive`. */
  publicityStartedOn?: CalendarDate;
  /** Working days publicity lasts at least (parameter `publicityWorkingDays`, default 5). */
  publicityWorkingDays?: number;
  /** Objections raised during publicity and not yet resolved. */
  openObjections?: number;
  /** Objections of this publicity found right: the archive must be returned or refused instead. */
  upheldObjections?: number;
  exitReason?: ExitReason;
  /** Why the archive the step is taken on was closed, for `reopen`. */
  closedFor?: ExitReason | null;
}

export type StepRefusal =
  | { code: 'illegal_transition'; from: ArchiveStatus; action: string }
  | { code: 'not_permitted'; permission: Permission }
  | { code: 'publicity_not_over'; endsOn: CalendarDate; provisional: boolean }
  | { code: 'open_objections'; count: number }
  | { code: 'objection_upheld'; count: number }
  | { code: 'exit_reason_required' }
  | { code: 'head_deceased' };

/**
 * An archive closed by the head's death is not reopened as 返困: the household, if it is still in
 * hardship, has another head now and is surveyed as a household of its own.
 */
const reopenable = (closedFor: ExitReason | null | undefined) => closedFor !== 'death';

/**
 * The actions a holder of `permissions` may take on an archive in `status` (closed for
 * `closedFor`, when it was).
 */
export function allowedActions(
  status: ArchiveStatus,
  permissions: readonly string[],
  closedFor?: ExitReason | null,
): ArchiveActionCode[] {
  return ARCHIVE_ACTIONS.filter(
    (a) =>
      (a.from as readonly ArchiveStatus[]).includes(status) &&
      permissions.includes(a.permission) &&
      (a.code !== 'reopen' || reopenable(closedFor)),
  ).map((a) => a.code);
}

/** When publicity started on `start` may end: after the given number of working days. */
export function publicityEndsOn(start: CalendarDate, workingDays = 5) {
  return addWorkingDays(start, workingDays);
}

/**
 * Whether one step of the life cycle may be taken now, and where it leads. Pure: the service
 * supplies the facts (dates, objections) and records the step with its user and comment. With
 * `opens`, the step leaves the archive as it is and opens a new one in `to` with that origin
 * (返困 after an exit, a new survey after a refusal).
 */
export function takeStep(
  status: ArchiveStatus,
  action: ArchiveActionCode,
  permissions: readonly string[],
  facts: StepFacts,
): { ok: true; to: ArchiveStatus; opens?: ArchiveOrigin } | { ok: false; refusal: StepRefusal } {
  const def = ARCHIVE_ACTIONS.find((a) => a.code === action);
  if (!def || !(def.from as readonly ArchiveStatus[]).includes(status))
    return { ok: false, refusal: { code: 'illegal_transition', from: status, action } };
  if (!permissions.includes(def.permission))
    return { ok: false, refusal: { code: 'not_permitted', permission: def.permission } };
  const requires: readonly string[] = 'requires' in def ? def.requires : [];
  if (requires.includes('publicityEnded')) {
    if (!facts.publicityStartedOn) throw new Error('archive: the start of publicity is unknown');
    // Publicity lasts at least N working days: it may close on the day after the Nth.
    const end = publicityEndsOn(facts.publicityStartedOn, facts.publicityWorkingDays ?? 5);
    if (facts.today <= end.date || end.provisional)
      return {
        ok: false,
        refusal: { code: 'publicity_not_over', endsOn: end.date, provisional: end.provisional },
      };
    if ((facts.openObjections ?? 0) > 0)
      return { ok: false, refusal: { code: 'open_objections', count: facts.openObjections ?? 0 } };
    if ((facts.upheldObjections ?? 0) > 0)
      return { ok: false, refusal: { code: 'objection_upheld', count: facts.upheldObjections ?? 0 } };
  }
  if (requires.includes('exitReason') && !facts.exitReason)
    return { ok: false, refusal: { code: 'exit_reason_required' } };
  if (action === 'reopen' && !reopenable(facts.closedFor))
    return { ok: false, refusal: { code: 'head_deceased' } };
  return 'opens' in def ? { ok: true, to: def.to, opens: def.opens } : { ok: true, to: def.to };
}
