import type { ArchivePeaks, ArchivePeaksQuery } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import type { Ctx } from '../../http/context';
import { findOrg } from '../orgs/service';

/**
 * Table 3 of the founding report: for each year, the largest number of households archived on any
 * one day. An archive counts on day d when archived_on ≤ d and (exited_on is null or d < exited_on):
 * an archive that exits on the day another is archived is no longer counted that day.
 *
 * The count only changes on days when archives are archived or exit, so it is a running sum of the
 * day's net changes (a window function over the events); a year's peak is the largest running sum
 * on its event days, or the count it starts with on 1 January (carried over from the year before).
 * Row-level security limits the archives to the caller's scope; `org` narrows it to a subtree.
 */
export async function archivePeaks(ctx: Ctx, q: ArchivePeaksQuery): Promise<ArchivePeaks> {
  const org = q.org ? await findOrg(ctx, q.org) : undefined;
  const inOrg = org
    ? sql`and a.org_id in (select o.id from orgs o where starts_with(o.path, ${org.path}))`
    : sql``;
  const last = `${q.to}-12-31`;
  const result = await sql<{ year: number; peak: number }>`
    with counted as (
      select a.archived_on, a.exited_on
      from archives a
      where a.archived_on is not null and a.archived_on <= ${last}::date ${inOrg}
    ),
    events as (
      select archived_on as d, 1 as delta from counted
      union all
      select exited_on, -1 from counted where exited_on is not null and exited_on <= ${last}::date
    ),
    days as (select d, sum(delta) as delta from events group by d),
    levels as (select d, sum(delta) over (order by d) as level from days),
    years as (select y::int as year from generate_series(${q.from}::int, ${q.to}::int) as y)
    select
      y.year,
      greatest(
        coalesce(
          (select l.level from levels l where l.d <= make_date(y.year, 1, 1) order by l.d desc limit 1),
          0
        ),
        coalesce(
          (select max(l.level) from levels l
            where l.d > make_date(y.year, 1, 1) and l.d <= make_date(y.year, 12, 31)),
          0
        )
      )::int as peak
    from years y
    order by y.year`.execute(ctx.tx);
  return { rows: result.rows.map((r) => ({ year: Number(r.year), peakArchived: Number(r.peak) })) };
}
