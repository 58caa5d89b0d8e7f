import {
  AID_TYPES,
  type AidType,
  ARCHIVE_CATEGORIES,
  GRANT_STATUSES,
  type HouseholdAssistance,
  type TimelineEntry,
} from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import type { Ctx } from '../../http/context';
import { notFound } from '../../http/errors';
import type { TimelineSource } from '../registry/people';
import { capsFor } from './caps';

const label = (table: readonly { code: string; zh: string; en: string }[], code: string) => {
  const e = table.find((x) => x.code === code);
  return { zh: e?.zh ?? code, en: e?.en ?? code };
};
const yuan = (fen: number) => (fen / 100).toFixed(2);
/** The archive's category that chose the months, as the cap's basis names it ('' without one). */
const archiveCategory = (code: unknown) => {
  const entry = ARCHIVE_CATEGORIES.find((c) => c.code === code);
  return entry ? `档案类别${entry.zh}：` : '';
};

/**
 * A person's grants (each with its state) and the payments of imported history (ledger lines that
 * no grant made) on their timeline: aid.grant and aid.payment.
 */
export const assistanceEvents: TimelineSource = async (ctx, { personId }) => {
  const entries: TimelineEntry[] = [];
  // Records merged into this one (duplicates) keep their ledger lines: they are this person's too.
  const persons = [
    personId,
    ...(await ctx.tx.selectFrom('people').select('id').where('merged_into', '=', personId).execute()).map(
      (p) => p.id,
    ),
  ];
  const grants = await ctx.tx
    .selectFrom('grants as g')
    .innerJoin('programs as p', 'p.id', 'g.program_id')
    .select([
      'g.id',
      'g.status',
      'g.amount_fen',
      'g.proposed_at',
      'g.approved_on',
      'g.paid_on',
      'g.proposed_by_name',
      'g.decision_note',
      'p.name',
      'p.aid_type',
    ])
    .where('g.person_id', 'in', persons)
    .execute();
  for (const g of grants) {
    const on = g.paid_on ?? g.approved_on ?? g.proposed_at.toISOString().slice(0, 10);
    entries.push({
      id: `aid.grant:${g.id}`,
      on,
      kind: 'aid.grant',
      title: {
        zh: `${label(AID_TYPES, g.aid_type).zh}：${g.name}，${yuan(g.amount_fen)} 元`,
        en: `${label(AID_TYPES, g.aid_type).en}: ${g.name}, ${yuan(g.amount_fen)} yuan`,
      },
      tag: {
        text: label(GRANT_STATUSES, g.status),
        tone:
          g.status === 'paid'
            ? 'success'
            : g.status === 'rejected' || g.status === 'cancelled'
              ? 'danger'
              : g.status === 'objected'
                ? 'warning'
                : 'info',
      },
      tone: g.status === 'paid' ? 'success' : 'info',
      summary: g.decision_note,
      by: g.proposed_by_name,
      link: `/assistance/grants/${g.id}`,
      context: null,
    });
  }
  const lines = await ctx.tx
    .selectFrom('ledger_entries as l')
    .innerJoin('orgs as o', 'o.id', 'l.org_id')
    .select([
      'l.id',
      'l.kind',
      'l.aid_type',
      'l.amount_fen',
      'l.paid_on',
      'l.program_name',
      'l.paid_by',
      'l.reason',
      'o.name as org_name',
    ])
    .where('l.person_id', 'in', persons)
    .where('l.grant_id', 'is', null)
    .execute();
  for (const l of lines)
    entries.push({
      id: `aid.payment:${l.id}`,
      on: l.paid_on,
      kind: 'aid.payment',
      title: {
        zh: `${label(AID_TYPES, l.aid_type).zh}${l.program_name ? `：${l.program_name}` : ''}，${yuan(l.amount_fen)} 元`,
        en: `${label(AID_TYPES, l.aid_type).en}${l.program_name ? `: ${l.program_name}` : ''}, ${yuan(l.amount_fen)} yuan`,
      },
      tag: { text: { zh: '台账记录', en: 'Ledger' }, tone: l.kind === 'reversal' ? 'danger' : 'default' },
      tone: 'default',
      summary: l.reason,
      by: l.paid_by,
      link: null,
      context: { zh: l.org_name, en: l.org_name },
    });
  return entries;
};

/**
 * What a household received in a year, per type of aid, against the caps that apply to a
 * household (living and emergency aid per year; medical aid's cumulative cap). Granted counts live
 * grants of the year's programs and imported payments; paid counts the ledger, net of reversals.
 */
export async function householdAssistance(
  ctx: Ctx,
  householdId: string,
  year: number,
): Promise<HouseholdAssistance> {
  const h = await ctx.tx
    .selectFrom('households')
    .select(['id', 'org_id', 'head_person_id', 'archive_category'])
    .where('id', '=', householdId)
    .executeTakeFirst();
  if (!h) throw notFound('Household');
  // Granted: counted as the caps count it, in every organisation (0044); paid: the ledger the
  // scope sees, net of reversals, to the household's people and records merged into them.
  const granted = new Map<string, number>();
  for (const t of AID_TYPES) {
    const { rows } = await sql<{ year_fen: string }>`
      select year_fen::text from niangjia_assistance_granted(${t.code}, ${year}::int, ${[householdId]}::uuid[], '{}'::uuid[], null)
      where kind = 'household'`.execute(ctx.tx);
    const fen = Number(rows[0]?.year_fen ?? 0);
    if (fen !== 0) granted.set(t.code, fen);
  }
  const { rows: paidRows } = await sql<{ aid_type: string; paid: string }>`
    with persons as (
      select ${h.head_person_id}::uuid as person_id
      union select person_id from household_members where household_id = ${householdId}
    )
    select l.aid_type, sum(l.amount_fen)::text as paid from ledger_entries l
    where (l.person_id in (select person_id from persons)
           or l.person_id in (select p.id from people p where p.merged_into in (select person_id from persons)))
      and extract(year from l.paid_on) = ${year}
    group by l.aid_type`.execute(ctx.tx);
  const paid = new Map(paidRows.map((r) => [r.aid_type, Number(r.paid)]));
  const rows = AID_TYPES.map((t) => t.code)
    .filter(
      (code) => granted.has(code) || paid.has(code) || ['living', 'emergency', 'medical'].includes(code),
    )
    .map((code) => ({
      aid_type: code,
      granted: String(granted.get(code) ?? 0),
      paid: String(paid.get(code) ?? 0),
    }));
  const target = {
    personId: h.head_person_id,
    householdId: h.id,
    orgId: h.org_id,
    category: h.archive_category,
  };
  const byType: HouseholdAssistance['byType'] = [];
  for (const r of rows) {
    const type = r.aid_type as AidType;
    let capFen: number | null = null;
    let capBasis: string | null = null;
    if (type === 'living' || type === 'emergency' || type === 'medical') {
      // The limit before what was granted: the cap rule's limit with nothing used.
      const [cap] = await capsFor(
        ctx,
        type,
        `${year}-01-01`,
        [target],
        type === 'medical' ? { selfPaidFen: Number.MAX_SAFE_INTEGER } : {},
      );
      const basis = cap?.basis ?? {};
      const limit =
        type === 'medical'
          ? (basis.cumulativeCapFen as number | undefined)
          : (basis.limitFen as number | undefined);
      capFen = limit ?? null;
      capBasis =
        type === 'living' && limit !== undefined
          ? `${archiveCategory(basis.category)}${basis.months} 个月 × 低保 ${yuan(basis.dibaoFen as number)} 元`
          : type === 'medical' && limit !== undefined
            ? '医疗救助累计上限（历年合计）'
            : limit !== undefined
              ? '每户每年上限'
              : cap && !cap.ok && cap.reason === 'no_cap_parameter'
                ? `未设置参数 ${String(basis.missing)}`
                : null;
    }
    byType.push({ aidType: type, grantedFen: Number(r.granted), paidFen: Number(r.paid), capFen, capBasis });
  }
  return { year, byType };
}
