import { z } from 'zod';
import { OrgCode } from './orgs';

const Year = z.coerce.number().int().min(1990).max(2100);

/** Years of a report, first and last included (at most a century). */
export const ArchivePeaksQuery = z
  .object({
    from: Year.meta({ description: 'First year, e.g. 2009' }),
    to: Year.meta({ description: 'Last year, included, e.g. 2014' }),
    org: OrgCode.optional().meta({
      description: "Only this organisation's subtree (default: the whole scope)",
    }),
  })
  .refine((q) => q.from <= q.to, { message: '`from` is after `to`', path: ['to'] });
export type ArchivePeaksQuery = z.infer<typeof ArchivePeaksQuery>;

export const ArchivePeakRow = z
  .object({
    year: z.number().int(),
    peakArchived: z.number().int().min(0).meta({
      description:
        'The largest number of households archived on one day of the year: an archive counts on day d when archived_on ≤ d and it has not exited on or before d',
    }),
  })
  .meta({ id: 'ArchivePeakRow' });
export type ArchivePeakRow = z.infer<typeof ArchivePeakRow>;

/** Table 3 of the founding report (档案户年度峰值), computed from the archives' history. */
export const ArchivePeaks = z.object({ rows: z.array(ArchivePeakRow) }).meta({ id: 'ArchivePeaks' });
export type ArchivePeaks = z.infer<typeof ArchivePeaks>;
