import { createHash, randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { LedgerLine, LedgerListQuery, LedgerPage, LedgerQuery } from '@niangjia/contracts';
import { isUniqueViolation, sql } from '@niangjia/db';
import { maskResidentId, todayInShanghai } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { conflict, notFound } from '../../http/errors';
import { audit } from '../audit/service';
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

/** What a ledger line shows (ledger_entries l, people p, orgs o, its reversal r). */
const LINE_FIELDS = [
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
] as const;

interface LineRow {
  id: string;
  kind: string;
  person_id: string;
  person_name: string;
  id_number: string;
  aid_type: string;
  fund_source: string;
  amount_fen: number;
  paid_on: string;
  program_name: string | null;
  paid_by: string | null;
  org_code: string;
  org_name: string;
  origin: string;
  reversed_by: string | null;
  reason: string | null;
}

const toLine = (r: LineRow): LedgerLine => ({
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
});

/** A page of the ledger, newest first; ID numbers masked. */
export async function listLedger(ctx: Ctx, q: LedgerListQuery): Promise<LedgerPage> {
  const path = await subtreePath(ctx, q.org);
  let query = matchingLines(ctx, q, path)
    .leftJoin('ledger_entries as r', 'r.reverses', 'l.id')
    .select(LINE_FIELDS);
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
    lines: page.map(toLine),
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

/**
 * Reverses a line of imported history (a payment made in niangjia is reversed through its grant):
 * a reversing line with the reason, dated on the payment's day, in the same organisation. The line
 * itself is never changed; a payment is reversed at most once (a unique index decides a race).
 */
export async function reverseLedgerLine(ctx: Ctx, id: string, reason: string): Promise<LedgerLine> {
  // No row lock (the application may not lock what it may not update): the unique index on
  // \`reverses\` decides between two reversals at once.
  const line = await ctx.tx.selectFrom('ledger_entries').selectAll().where('id', '=', id).executeTakeFirst();
  if (!line) throw notFound('Ledger line');
  if (line.kind !== 'payment') throw conflict('Only a payment can be reversed', { code: 'not_payment' });
  if (line.grant_id)
    throw conflict("A grant's payment is reversed through its grant", {
      code: 'grant_payment',
      grantId: line.grant_id,
    });
  const done = await ctx.tx
    .selectFrom('ledger_entries')
    .select('id')
    .where('reverses', '=', id)
    .executeTakeFirst();
  if (done)
    throw conflict('The payment is reversed already', { code: 'already_reversed', zh: '该笔发放已冲正' });
  const reversalId = await insertReversal(ctx, line, reason);
  await audit(ctx, {
    action: 'create',
    entity: 'ledger_entry',
    entityId: reversalId,
    orgId: line.org_id,
    after: { kind: 'reversal', reverses: id, amountFen: -line.amount_fen, reason },
  });
  return lineView(ctx, id);
}

/** A payment line as stored, what its reversal copies. */
interface PaymentLine {
  id: string;
  org_id: string;
  person_id: string;
  aid_type: string;
  fund_source: string;
  amount_fen: number;
  paid_on: string;
  program_name: string | null;
  origin: string;
  content_key: string;
  method: string | null;
  grant_id: string | null;
}

/**
 * Adds the reversing line of a payment (of imported history, or of a grant): its amount negated, on
 * the payment's own day so that the year's figures are what stood, with the reason and who reversed
 * it. The unique index on `reverses` refuses a second reversal, also one made at the same moment.
 * Returns the new line's id.
 */
export async function insertReversal(ctx: Ctx, payment: PaymentLine, reason: string): Promise<string> {
  const id = randomUUID();
  try {
    await ctx.tx
      .insertInto('ledger_entries')
      .values({
        id,
        org_id: payment.org_id,
        person_id: payment.person_id,
        kind: 'reversal',
        aid_type: payment.aid_type,
        fund_source: payment.fund_source,
        amount_fen: -payment.amount_fen,
        paid_on: payment.paid_on,
        program_name: payment.program_name,
        paid_by: ctx.actor.displayName,
        origin: payment.origin,
        content_key: payment.content_key,
        method: payment.method,
        grant_id: payment.grant_id,
        reverses: payment.id,
        reason: `${todayInShanghai()} 冲正：${reason}`,
        created_by: ctx.actor.userId || null,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict('The payment is reversed already', { code: 'already_reversed', zh: '该笔发放已冲正' });
    throw err;
  }
  return id;
}

async function lineView(ctx: Ctx, id: string): Promise<LedgerLine> {
  const row = await ctx.tx
    .selectFrom('ledger_entries as l')
    .innerJoin('people as p', 'p.id', 'l.person_id')
    .innerJoin('orgs as o', 'o.id', 'l.org_id')
    .leftJoin('ledger_entries as r', 'r.reverses', 'l.id')
    .select(LINE_FIELDS)
    .where('l.id', '=', id)
    .executeTakeFirstOrThrow();
  return toLine(row);
}
