/**
 * How urgent a household's case is (紧急程度, issue 4), derived by documented rules from its causes,
 * its category and recent events; a caseworker may set it otherwise, with a reason, and then the
 * rules leave it alone. The first rule that holds gives the urgency and its reason:
 *
 * 1. critical (特急) — `fresh_disaster`: a natural disaster or an accident (causes 7, 8) with the
 *    archive opened in the last 90 days;
 * 2. critical — `deep_and_seriously_ill`: deep hardship with the head or a member seriously ill;
 * 3. urgent (紧急) — `deep`: deep hardship;
 * 4. urgent — `accident`: hardship by accident;
 * 5. urgent — `seriously_ill`: a serious illness as a cause (6) with someone seriously ill;
 * 6. urgent — `relapsed`: back in hardship (返困), the archive opened in the last 180 days;
 * 7. normal (一般) — `none`.
 */
import type { ArchiveCategory, ArchiveOrigin, Urgency } from '@niangjia/contracts';
import { addDays, type CalendarDate } from '../dates';

export interface UrgencyFacts {
  /** The category the newest decision gave, else the archive's. */
  category: ArchiveCategory | null;
  causes: readonly string[];
  origin: ArchiveOrigin;
  openedOn: CalendarDate;
  /** The health of the head and each member (contracts HEALTH_STATES codes). */
  health: readonly (string | null)[];
}

export type UrgencyReason =
  | 'fresh_disaster'
  | 'deep_and_seriously_ill'
  | 'deep'
  | 'accident'
  | 'seriously_ill'
  | 'relapsed'
  | 'none';

export const FRESH_DISASTER_DAYS = 90;
export const RECENT_RELAPSE_DAYS = 180;

export function deriveUrgency(
  f: UrgencyFacts,
  asOf: CalendarDate,
): { urgency: Urgency; reason: UrgencyReason } {
  const seriouslyIll = f.health.includes('serious');
  const since = (days: number) => f.openedOn > addDays(asOf, -days);
  if ((f.causes.includes('7') || f.causes.includes('8')) && since(FRESH_DISASTER_DAYS))
    return { urgency: 'critical', reason: 'fresh_disaster' };
  if (f.category === 'deep' && seriouslyIll) return { urgency: 'critical', reason: 'deep_and_seriously_ill' };
  if (f.category === 'deep') return { urgency: 'urgent', reason: 'deep' };
  if (f.category === 'accident') return { urgency: 'urgent', reason: 'accident' };
  if (f.causes.includes('6') && seriouslyIll) return { urgency: 'urgent', reason: 'seriously_ill' };
  if (f.origin === 'relapsed' && since(RECENT_RELAPSE_DAYS)) return { urgency: 'urgent', reason: 'relapsed' };
  return { urgency: 'normal', reason: 'none' };
}
