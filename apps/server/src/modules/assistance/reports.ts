import type { AssistanceReport, AssistanceReportQuery, AssistanceYearBy } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import type { Ctx } from '../../http/context';
import { findOrg } from '../orgs/service';

/** A growth as the founding report states it (+131.3 %): a fraction to three decimals. */
function growth(first: number, last: number): number | null {
  if (first === 0) return null;
  return Math.round(((last - first) / first) * 1000) / 1000;
}

/**
 * Table 1 of the founding report (帮扶救助年度人次与金额) and its kin, from the ledger's totals per
 * organisation, year, type and fund (ledger_totals, kept by a trigger on every line written, 0040):
 * person-times are payments less reversals, amounts are net of reversals, a year is the Shanghai
 * calendar year of the payment day. Row-level security limits the totals to the caller's scope;
 * `org` narrows them to a subtree.
 */
export async function assistanceReport(ctx: Ctx, q: AssistanceReportQuery): Promise<AssistanceReport> {
  const org = q.org ? await findOrg(ctx, q.org) : undefined;
  const inOrg = org
    ? sql`and t.org_id in (select o.id from orgs o where starts_with(o.path, ${org.path}))`
    : sql``;
  const { rows } = await sql<{
    year: number;
    aid_type: string;
    fund_source: string;
    person_times: string;
    amount_fen: string;
  }>`
    select t.year, t.aid_type, t.fund_source,
           sum(t.person_times)::text as person_times, sum(t.amount_fen)::text as amount_fen
    from ledger_totals t
    where t.year between ${q.from}::int and ${q.to}::int ${inOrg}
    group by t.year, t.aid_type, t.fund_source`.execute(ctx.tx);

  const years = Array.from({ length: q.to - q.from + 1 }, (_, i) => q.from + i);
  const perYear = new Map(years.map((year) => [year, { year, personTimes: 0, amountFen: 0 }]));
  const byType = new Map<string, AssistanceYearBy>();
  const byFund = new Map<string, AssistanceYearBy>();
  const add = (into: Map<string, AssistanceYearBy>, year: number, code: string, n: number, fen: number) => {
    const key = `${year}|${code}`;
    const row = into.get(key) ?? { year, code, personTimes: 0, amountFen: 0 };
    row.personTimes += n;
    row.amountFen += fen;
    into.set(key, row);
  };
  for (const r of rows) {
    const year = Number(r.year);
    const n = Number(r.person_times);
    const fen = Number(r.amount_fen);
    if (!Number.isSafeInteger(fen)) throw new Error('assistance report: an amount beyond exact integers');
    const y = perYear.get(year);
    if (!y) continue;
    y.personTimes += n;
    y.amountFen += fen;
    add(byType, year, r.aid_type, n, fen);
    add(byFund, year, r.fund_source, n, fen);
  }
  const list = [...perYear.values()];
  const first = list[0] as { personTimes: number; amountFen: number };
  const last = list[list.length - 1] as { personTimes: number; amountFen: number };
  const ordered = (m: Map<string, AssistanceYearBy>) =>
    [...m.values()].sort((a, b) => a.year - b.year || a.code.localeCompare(b.code));
  return {
    rows: list,
    total: {
      personTimes: list.reduce((s, r) => s + r.personTimes, 0),
      amountFen: list.reduce((s, r) => s + r.amountFen, 0),
    },
    growth: {
      personTimes: growth(first.personTimes, last.personTimes),
      amount: growth(first.amountFen, last.amountFen),
    },
    byType: ordered(byType),
    byFund: ordered(byFund),
  };
}
