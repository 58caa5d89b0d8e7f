import { ARCHIVE_ACTIONS, ARCHIVE_STATUSES, type ArchiveStatus, permissionsOf } from '@niangjia/contracts';
import { describe, expect, it } from 'vitest';
import { allowedActions, takeStep } from './lifecycle';

const manager = permissionsOf(['manager']);
const caseworker = permissionsOf(['caseworker']);
const auditor = permissionsOf(['auditor']);
const facts = {
  today: '2015-06-01',
  publicityStartedOn: '2015-05-04',
  openObjections: 0,
  exitReason: 'death' as const,
};

/** The legal steps, written out by hand from DOMAIN.md's filing steps: the table in contracts must match. */
const LEGAL: Record<ArchiveStatus, Partial<Record<string, ArchiveStatus>>> = {
  surveyed: { apply: 'applied', refuse: 'refused' },
  applied: { first_review: 'first_review', return: 'returned', refuse: 'refused' },
  first_review: { home_visit: 'home_visit', return: 'returned', refuse: 'refused' },
  home_visit: { verify_finances: 'finances_verified', return: 'returned', refuse: 'refused' },
  finances_verified: { publicise: 'publicity', return: 'returned', refuse: 'refused' },
  publicity: { archive: 'archived', return: 'returned', refuse: 'refused' },
  archived: { review: 'archived', exit: 'exited' },
  // A closed archive stays closed: these two open a new archive of the household (see OPENS).
  exited: { reopen: 'surveyed' },
  returned: { apply: 'applied', refuse: 'refused' },
  refused: { resurvey: 'surveyed' },
};

/** The steps that open a new archive instead of moving the one they are taken on, with its origin. */
const OPENS: Partial<Record<string, string>> = { reopen: 'relapsed', resurvey: 'new' };

describe('the archive life cycle', () => {
  it('allows exactly the legal steps from every status, and refuses every other', () => {
    for (const { code: status } of ARCHIVE_STATUSES) {
      for (const { code: action } of ARCHIVE_ACTIONS) {
        const result = takeStep(status, action, manager, facts);
        const legal = LEGAL[status][action];
        const opens = OPENS[action];
        if (legal)
          expect(result, `${status} --${action}-->`).toEqual(
            opens ? { ok: true, to: legal, opens } : { ok: true, to: legal },
          );
        else
          expect(result, `${status} --${action}-->`).toMatchObject({
            ok: false,
            refusal: { code: 'illegal_transition' },
          });
      }
    }
  });

  it('leaves deciding steps to those who may approve', () => {
    expect(allowedActions('applied', caseworker)).toEqual(['return']);
    expect(allowedActions('applied', manager)).toEqual(['first_review', 'return', 'refuse']);
    expect(allowedActions('first_review', caseworker)).toEqual(['home_visit', 'return']);
    expect(allowedActions('archived', auditor)).toEqual([]);
    expect(allowedActions('archived', caseworker)).toEqual(['review']);
    expect(takeStep('applied', 'first_review', caseworker, facts)).toEqual({
      ok: false,
      refusal: { code: 'not_permitted', permission: 'registry:approve' },
    });
  });

  it('archives only after at least 5 working days of publicity with no open objection', () => {
    // Publicity from Monday 2015-05-04: five working days end on Monday 2015-05-11.
    const on = (today: string, extra = {}) =>
      takeStep('publicity', 'archive', manager, { today, publicityStartedOn: '2015-05-04', ...extra });
    expect(on('2015-05-11')).toEqual({
      ok: false,
      refusal: { code: 'publicity_not_over', endsOn: '2015-05-11', provisional: false },
    });
    expect(on('2015-05-12')).toEqual({ ok: true, to: 'archived' });
    expect(on('2015-05-12', { openObjections: 2 })).toEqual({
      ok: false,
      refusal: { code: 'open_objections', count: 2 },
    });
    expect(on('2015-05-12', { upheldObjections: 1 })).toEqual({
      ok: false,
      refusal: { code: 'objection_upheld', count: 1 },
    });
    // The parameter may ask for more.
    expect(on('2015-05-12', { publicityWorkingDays: 7 })).toMatchObject({
      ok: false,
      refusal: { endsOn: '2015-05-13' },
    });
  });

  it('reopens an exited household as 返困 and surveys a refused one again, for those who may write', () => {
    expect(allowedActions('exited', caseworker)).toEqual(['reopen']);
    expect(allowedActions('refused', caseworker)).toEqual(['resurvey']);
    expect(allowedActions('exited', auditor)).toEqual([]);
    expect(takeStep('exited', 'reopen', caseworker, { today: '2015-06-01' })).toEqual({
      ok: true,
      to: 'surveyed',
      opens: 'relapsed',
    });
    // Only a closed archive: an open one has its own way forward, a refused one is not 返困.
    expect(takeStep('archived', 'reopen', manager, facts)).toMatchObject({ ok: false });
    expect(takeStep('refused', 'reopen', manager, facts)).toMatchObject({ ok: false });
    expect(takeStep('exited', 'resurvey', manager, facts)).toMatchObject({ ok: false });
    expect(takeStep('exited', 'reopen', auditor, facts)).toEqual({
      ok: false,
      refusal: { code: 'not_permitted', permission: 'registry:write' },
    });
  });

  it("does not reopen an archive closed by the head's death", () => {
    expect(allowedActions('exited', caseworker, 'death')).toEqual([]);
    expect(allowedActions('exited', caseworker, 'income_recovered')).toEqual(['reopen']);
    expect(takeStep('exited', 'reopen', caseworker, { today: '2015-06-01', closedFor: 'death' })).toEqual({
      ok: false,
      refusal: { code: 'head_deceased' },
    });
    expect(
      takeStep('exited', 'reopen', caseworker, { today: '2015-06-01', closedFor: 'moved_away' }),
    ).toMatchObject({ ok: true, opens: 'relapsed' });
  });

  it('exits only with a reason', () => {
    expect(takeStep('archived', 'exit', manager, { today: '2015-06-01' })).toEqual({
      ok: false,
      refusal: { code: 'exit_reason_required' },
    });
    expect(
      takeStep('archived', 'exit', manager, { today: '2015-06-01', exitReason: 'income_recovered' }),
    ).toEqual({
      ok: true,
      to: 'exited',
    });
  });
});
