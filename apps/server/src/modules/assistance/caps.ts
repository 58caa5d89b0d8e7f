import type { AidType } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import type { PolicyParameters } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { parametersInForceForOrgs } from '../policy/service';

/**
 * The caps of the aid rules (DOMAIN.md, "Aid amounts in national practice"), every figure a dated,
 * regional policy parameter read for the household's organisation on the program's first day:
 * - living aid per household and year ≤ livingAidMonths (deep: livingAidMonthsDeep, others
 *   livingAidMonthsRelative) × 低保 (dibaoMonthly);
 * - medical aid ≤ the self-paid share (relative hardship: medicalAidShareRelative of it), and all
 *   the household's medical aid ever ≤ medicalAidCumulativeCap;
 * - education aid per student and year ≤ educationAidCapBasic or educationAidCapHigher by school;
 * - training subsidy per person and year ≤ trainingSubsidyCap; emergency aid per household and year
 *   ≤ emergencyAidCap;
 * - the Spring Festival campaign and other aid have no cap rule.
 * What was already granted counts against a cap: live grants of programs of the same type and year
 * (proposed, approved, objected, paid) and imported payments (ledger lines without a grant).
 */

export interface CapTarget {
  personId: string;
  householdId: string | null;
  /** The household's organisation (its parameters apply), or the program's without a household. */
  orgId: string;
  category: string | null;
}

export interface CapInputs {
  selfPaidFen?: number;
  schoolLevel?: 'basic' | 'higher';
}

export type Cap =
  | { ok: true; capFen: number | null; basis: Record<string, unknown> }
  | { ok: false; reason: 'no_cap_parameter' | 'needs_input' | 'cap_used'; basis: Record<string, unknown> };

/** Categories treated as deep hardship by the caps (the 2013 rule's 低保户 likewise). */
const DEEP = new Set(['deep', 'legacy_dibao']);

const yearOf = (date: string) => Number(date.slice(0, 4));

/** What the targets were already granted: per household (this year, and ever) and per person. */
async function alreadyGranted(
  ctx: Ctx,
  aidType: AidType,
  year: number,
  targets: readonly CapTarget[],
  excludeGrantId?: string,
) {
  const householdIds = [...new Set(targets.map((t) => t.householdId).filter((h): h is string => !!h))];
  const personIds = [...new Set(targets.map((t) => t.personId))];
  // Counted in every organisation (a SECURITY DEFINER function, 0044): a union must see what its
  // district already gave the same household, which its scope hides.
  const { rows } = await sql<{ kind: string; key: string; year_fen: string; ever_fen: string }>`
    select kind, key::text as key, year_fen::text as year_fen, ever_fen::text as ever_fen
    from niangjia_assistance_granted(${aidType}, ${year}::int, ${householdIds}::uuid[], ${personIds}::uuid[], ${excludeGrantId ?? null}::uuid)`.execute(
    ctx.tx,
  );
  const byHousehold = new Map<string, { year: number; ever: number }>();
  const byPerson = new Map<string, { year: number; ever: number }>();
  for (const r of rows)
    (r.kind === 'household' ? byHousehold : byPerson).set(r.key, {
      year: Number(r.year_fen),
      ever: Number(r.ever_fen),
    });
  return { byHousehold, byPerson };
}

/** A parameter's stored integer: fen for yuan, ten-thousandths for a ratio, the count for a count. */
const fenOf = (p: PolicyParameters, key: keyof PolicyParameters): number | undefined => {
  const v = p[key];
  return v === undefined ? undefined : v.value;
};

/**
 * The cap of each target for a grant of `aidType` in the program starting on `startsOn`, and how it
 * was found. Parameters are read once per organisation; what was granted, in two statements.
 */
export async function capsFor(
  ctx: Ctx,
  aidType: AidType,
  startsOn: string,
  targets: readonly CapTarget[],
  inputs: CapInputs = {},
  excludeGrantId?: string,
): Promise<Cap[]> {
  if (aidType === 'festival' || aidType === 'other')
    return targets.map(() => ({ ok: true, capFen: null, basis: { rule: 'none' } }));
  const year = yearOf(startsOn);
  const params = await parametersInForceForOrgs(ctx, [...new Set(targets.map((t) => t.orgId))], startsOn);
  const used = await alreadyGranted(ctx, aidType, year, targets, excludeGrantId);
  return targets.map((t): Cap => {
    const p = params.get(t.orgId) ?? {};
    const person = used.byPerson.get(t.personId) ?? { year: 0, ever: 0 };
    // Without a household (a program that needs no archive), the person's own history stands for it.
    const household = t.householdId ? (used.byHousehold.get(t.householdId) ?? { year: 0, ever: 0 }) : person;
    const missing = (key: string): Cap => ({
      ok: false,
      reason: 'no_cap_parameter',
      basis: { rule: aidType, missing: key },
    });
    const capped = (limit: number, usedFen: number, basis: Record<string, unknown>): Cap => {
      const capFen = limit - usedFen;
      return capFen > 0
        ? { ok: true, capFen, basis: { ...basis, limitFen: limit, usedFen } }
        : { ok: false, reason: 'cap_used', basis: { ...basis, limitFen: limit, usedFen } };
    };
    switch (aidType) {
      case 'living': {
        const deep = DEEP.has(t.category ?? '');
        const monthsKey = deep ? 'livingAidMonthsDeep' : 'livingAidMonthsRelative';
        const months = fenOf(p, monthsKey);
        const dibao = fenOf(p, 'dibaoMonthly');
        if (months === undefined) return missing(monthsKey);
        if (dibao === undefined) return missing('dibaoMonthly');
        return capped(months * dibao, household.year, {
          rule: 'living',
          category: t.category,
          months,
          dibaoFen: dibao,
          year,
        });
      }
      case 'medical': {
        if (inputs.selfPaidFen === undefined)
          return { ok: false, reason: 'needs_input', basis: { rule: 'medical', needs: 'selfPaidFen' } };
        const cumulative = fenOf(p, 'medicalAidCumulativeCap');
        if (cumulative === undefined) return missing('medicalAidCumulativeCap');
        const deep = DEEP.has(t.category ?? '');
        // Ratios are stored in ten-thousandths (0.8 → 8000).
        const share = deep ? 10_000 : fenOf(p, 'medicalAidShareRelative');
        if (share === undefined) return missing('medicalAidShareRelative');
        const ofCosts = Math.floor((inputs.selfPaidFen * share) / 10_000);
        const left = cumulative - household.ever;
        const basis = {
          rule: 'medical',
          category: t.category,
          selfPaidFen: inputs.selfPaidFen,
          share,
          cumulativeCapFen: cumulative,
          usedEverFen: household.ever,
        };
        const capFen = Math.min(ofCosts, left);
        return capFen > 0
          ? { ok: true, capFen, basis: { ...basis, limitFen: capFen } }
          : { ok: false, reason: 'cap_used', basis };
      }
      case 'education': {
        if (!inputs.schoolLevel)
          return { ok: false, reason: 'needs_input', basis: { rule: 'education', needs: 'schoolLevel' } };
        const key = inputs.schoolLevel === 'basic' ? 'educationAidCapBasic' : 'educationAidCapHigher';
        const limit = fenOf(p, key);
        if (limit === undefined) return missing(key);
        return capped(limit, person.year, { rule: 'education', schoolLevel: inputs.schoolLevel, year });
      }
      case 'training': {
        const limit = fenOf(p, 'trainingSubsidyCap');
        if (limit === undefined) return missing('trainingSubsidyCap');
        return capped(limit, person.year, { rule: 'training', year });
      }
      case 'emergency': {
        const limit = fenOf(p, 'emergencyAidCap');
        if (limit === undefined) return missing('emergencyAidCap');
        return capped(limit, household.year, { rule: 'emergency', year });
      }
      default:
        return { ok: true, capFen: null, basis: { rule: 'none' } };
    }
  });
}
