import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { LedgerLine, LedgerListQuery, LedgerPage, LedgerQuery } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import { maskResidentId } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { findOrg } from '../orgs/service';
import type { Runner } from '../registry/survey-import';
import { writeWorkbook } from '../registry/workbook';
import { LEDGER_PAYMENTS, type LedgerRow } from './ledger-sheet';

/** The columns of a ledger line written in bulk (bulkInsert), with their SQL types. */
export const LEDGER_LINE_COLUMNS = {
  id: 'uuid',
  org_id: 'uuid',
  person_id: 'uuid',
  aid_type: 'text',
  fund_source: 'text',
  amount_fen: 'bigint',
  paid_on: 'date',
  program_name: 'text',
  paid_by: 'text',
  origin: 'text',
  content_key: 'text',
  created_by: 'uuid',
} as const;

/** What a payment says, as the ledger workbook has it: the parts of its content key. */
export interface PaymentContent {
  idNumber: string;
  aidType: string;
  amountFen: number;
  paidOn: string;
  fundSource: string;
  programName?: string | null;
  orgCode: string;
}

/**
 * The digest of a payment's content (ledger_entries.content_key). Two payments with the same
 * content are told apart by count: an import adds a row only when the ledger holds fewer payments
 * with its digest than the file has rows with it so far. Who paid (经办人) and the name are not
 * part of it: a corrected clerk's name is the same payment, and the name must match the person.
 */
export function contentKey(p: PaymentContent): string {
  const parts = [p.idNumber, p.aidType, p.amountFen, p.paidOn, p.fundSource, p.programName ?? '', p.orgCode];
  return createHash('md5').update(JSON.stringify(parts)).digest('hex');
}

/** The lines of the scope matching a query's filters, with their organisation and person. */
function matchingLines(ctx: Ctx, q: LedgerQuery, orgPath: string | undefined) {
  let query = ctx.tx
    .selectFrom('ledger_entries as l')
    .innerJoin('people as p', 'p.id', 'l.person_id')
    .innerJoin('orgs as o', 'o.id', 'l.org_id');
  if (orgPath) query = query.where(sql<boolean>`starts_with(o.path, ${orgPath})`);
  if (q.from) query = query.where('l.paid_on', '>=', q.from);
  if (q.to) query = query.where('l.paid_on', '<=', q.to);
  if (q.aidType) query = query.where('l.aid_type', '=', q.aidType);
  if (q.fundSource) query = query.where('l.fund_source', '=', q.fundSource);
  if (q.program) query = query.where('l.program_name', '=', q.program);
  return query;
}

async function subtreePath(ctx: Ctx, code: string | undefined): Promise<string | undefined> {
  return code ? (await findOrg(ctx, code)).path : undefined;
}

/** A page of the ledger, newest first; ID numbers masked. */
export async function listLedger(ctx: Ctx, q: LedgerListQuery): Promise<LedgerPage> {
  const path = await subtreePath(ctx, q.org);
  let query = matchingLines(ctx, q, path)
    .leftJoin('ledger_entries as r', 'r.reverses', 'l.id')
    .select([
      'l.id',
      'l.kind',
      'l.person_id',
      'p.name as person_name',
      'p.id_number',
      'l.aid_type',
      'l.fund_source',
      'l.amount_fen',
      'l.paid_on',
      'l.program_name',
      'l.paid_by',
      'o.code as org_code',
      'o.name as org_name',
      'l.origin',
      'r.id as reversed_by',
      'l.reason',
    ]);
  if (q.after) {
    const [paidOn, id] = q.after.split('|');
    if (paidOn && id) query = query.where(sql<boolean>`(l.paid_on, l.id) < (${paidOn}::date, ${id}::uuid)`);
  }
  const rows = await query
    .orderBy('l.paid_on', 'desc')
    .orderBy('l.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    lines: page.map(
      (r): LedgerLine => ({
        id: r.id,
        kind: r.kind as LedgerLine['kind'],
        personId: r.person_id,
        personName: r.person_name,
        idNumberMasked: maskResidentId(r.id_number),
        aidType: r.aid_type as LedgerLine['aidType'],
        fundSource: r.fund_source as LedgerLine['fundSource'],
        amountFen: r.amount_fen,
        paidOn: r.paid_on,
        programName: r.program_name,
        paidBy: r.paid_by,
        orgCode: r.org_code,
        orgName: r.org_name,
        origin: r.origin as LedgerLine['origin'],
        reversedBy: r.reversed_by,
        reason: r.reason,
      }),
    ),
    next: rows.length > q.limit && last ? `${last.paid_on}|${last.id}` : null,
  };
}

const BATCH = 5000;

/**
 * Writes the payments of the scope matching the filters to a ledger workbook with exactly the
 * import's headers (TEMPLATES.md §2), oldest first. A reversed payment is left out with its
 * reversal: the file holds what was paid and stands, so that it imports again elsewhere as the
 * money actually paid, and here as nothing new. Lines are read in batches, each in its own scoped
 * transaction, and streamed out.
 */
export async function exportLedger(
  target: string | Writable,
  run: Runner,
  q: LedgerQuery = {},
): Promise<{ payments: number }> {
  const counts = { payments: 0 };
  async function* rows(): AsyncGenerator<LedgerRow> {
    let after: { paidOn: string; id: string } | undefined;
    for (;;) {
      const batch = await run(async (ctx) => {
        const path = await subtreePath(ctx, q.org);
        let query = matchingLines(ctx, q, path)
          .where('l.kind', '=', 'payment')
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('ledger_entries as r')
                  .select(sql`1`.as('one'))
                  .whereRef('r.reverses', '=', 'l.id'),
              ),
            ),
          )
          .select([
            'l.id',
            'p.id_number',
            'p.name',
            'l.aid_type',
            'l.amount_fen',
            'l.paid_on',
            'l.fund_source',
            'l.program_name',
            'l.paid_by',
            'o.code as org_code',
          ]);
        if (after)
          query = query.where(sql<boolean>`(l.paid_on, l.id) > (${after.paidOn}::date, ${after.id}::uuid)`);
        return query.orderBy('l.paid_on').orderBy('l.id').limit(BATCH).execute();
      });
      for (const r of batch) {
        counts.payments++;
        yield {
          idNumber: r.id_number,
          name: r.name,
          aidType: r.aid_type as LedgerRow['aidType'],
          amountFen: r.amount_fen,
          paidOn: r.paid_on,
          fundSource: r.fund_source as LedgerRow['fundSource'],
          ...(r.program_name ? { programName: r.program_name } : {}),
          ...(r.paid_by ? { paidBy: r.paid_by } : {}),
          orgCode: r.org_code,
        };
      }
      const last = batch[batch.length - 1];
      if (batch.length < BATCH || !last) return;
      after = { paidOn: last.paid_on, id: last.id };
    }
  }
  await writeWorkbook(target, [{ spec: LEDGER_PAYMENTS, rows: rows() }]);
  return counts;
}
