import { randomUUID } from 'node:crypto';
import type { ImportProblem, LedgerImportResult } from '@niangjia/contracts';
import { bulkInsert, sql } from '@niangjia/db';
import { maskResidentId, residentIdFacts } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { type AuditEvent, auditMany } from '../audit/service';
import { findOrg } from '../orgs/service';
import { batchWriter, type Runner } from '../registry/survey-import';
import { readWorkbook } from '../registry/workbook';
import { contentKey, LEDGER_LINE_COLUMNS } from './ledger';
import { LEDGER_PAYMENTS, type LedgerRow } from './ledger-sheet';

export interface LedgerImportOptions {
  dryRun?: boolean;
  /** Today in Shanghai: a payment dated later is refused. */
  today: string;
  /** The paying organisation of rows that do not name one (所属工会). */
  org?: string;
  /** Rows per transaction (tests make it small to cross batch borders). */
  batchSize?: number;
  onProgress?: (rowsRead: number) => Promise<void> | void;
}

interface RowIn {
  row: number;
  v: LedgerRow & { orgCode: string };
  key: string;
}

interface OrgRef {
  id: string;
  code: string;
  path: string;
  active: boolean;
}

type Outcome = 'imported' | 'unchanged' | { column: string; message: string };

const PERSON_COLUMNS = {
  id: 'uuid',
  id_number: 'text',
  name: 'text',
  sex: 'text',
  birth_date: 'date',
  org_id: 'uuid',
  source: 'text',
} as const;

const SHEET = LEDGER_PAYMENTS.name;

const nameDiffersAbove = (id18: string, name: string) => ({
  column: '姓名',
  message: `身份证号 ${maskResidentId(id18)} 在本表前面的行中姓名为“${name}”，与本行不同`,
});

/**
 * Imports an assistance ledger workbook (TEMPLATES.md §2). Every valid row is saved and every bad
 * one reported by row and column; a row already in the ledger (the same person, type, amount, day,
 * fund, program and organisation, counted: see `contentKey`) is left unchanged, so a file imported
 * twice adds nothing the second time. A person the registry does not know is registered from the
 * row (source 'ledger', kept by the paying organisation); a known one must have the row's name and
 * be in the importer's scope. Batches of rows are written one transaction each, under a lock that
 * keeps two ledger imports from counting the same rows at once.
 */
export async function importLedger(
  file: string,
  run: Runner,
  options: LedgerImportOptions,
): Promise<LedgerImportResult> {
  const { dryRun = false, today, batchSize = 1000 } = options;
  const report: LedgerImportResult = {
    imported: 0,
    unchanged: 0,
    rejected: 0,
    peopleCreated: 0,
    errors: [],
    warnings: [],
  };
  const refuse = (row: number, column: string, message: string) => {
    report.rejected++;
    report.errors.push({ sheet: SHEET, row, column, message });
  };

  const fileOrg = options.org ? await run((ctx) => findOrg(ctx, options.org as string)) : undefined;
  const orgs = new Map<string, OrgRef | null>();
  /** Content digest → rows of the file with it so far. */
  const occurrences = new Map<string, number>();
  /** People a dry run would have registered (ID number → name): later rows meet them as known. */
  const planned = new Map<string, string>();

  // A person registered meanwhile by someone else makes a batch be planned again (batchWriter).
  const attempt = batchWriter(run, dryRun);

  const flush = async (rows: RowIn[]) => {
    const { outcomes, registered, counted } = await attempt((ctx) =>
      writeBatch(ctx, rows, orgs, planned, occurrences),
    );
    // The batch's valid rows now count among the file's rows with their content (kept only once
    // the batch is done: a batch planned again counts afresh).
    for (const [key, n] of counted) occurrences.set(key, (occurrences.get(key) ?? 0) + n);
    report.peopleCreated += registered.length;
    if (dryRun) for (const p of registered) planned.set(p.idNumber, p.name);
    for (const [i, outcome] of outcomes.entries()) {
      const r = rows[i] as RowIn;
      if (outcome === 'imported') report.imported++;
      else if (outcome === 'unchanged') report.unchanged++;
      else refuse(r.row, outcome.column, outcome.message);
    }
  };

  let batch: RowIn[] = [];
  let read = 0;
  for await (const event of readWorkbook(file, [LEDGER_PAYMENTS], { today })) {
    if (event.type === 'issue') {
      (event.severity === 'error' ? report.errors : report.warnings).push({
        sheet: event.sheet,
        row: event.row,
        column: event.column,
        message: event.message,
      });
      continue;
    }
    if (event.type === 'sheetEnd') {
      // A sheet whose header is unusable: none of its rows was read, all are rejected.
      if (event.rejected) report.rejected += event.rows;
      continue;
    }
    read++;
    if (!event.ok) {
      report.rejected++;
      for (const e of event.errors)
        report.errors.push({ sheet: e.sheet, row: e.row, column: e.column, message: e.message });
      continue;
    }
    const v = event.values;
    const orgCode = v.orgCode ?? fileOrg?.code;
    if (!orgCode) {
      refuse(event.row, '所属工会', '必填（或在导入时指定发放单位）');
      continue;
    }
    if (v.amountFen <= 0) {
      refuse(event.row, '金额', '金额必须大于 0');
      continue;
    }
    if (v.paidOn > today) {
      refuse(event.row, '发放日期', `发放日期 ${v.paidOn} 晚于今天`);
      continue;
    }
    batch.push({ row: event.row, v: { ...v, orgCode }, key: contentKey({ ...v, orgCode }) });
    if (batch.length >= batchSize) {
      await flush(batch);
      batch = [];
      await options.onProgress?.(read);
    }
  }
  if (batch.length) await flush(batch);
  report.errors.sort((a: ImportProblem, b: ImportProblem) => (a.row ?? 0) - (b.row ?? 0));
  return report;
}

/** One batch in one transaction: the outcome of each row, in order, and the people registered. */
async function writeBatch(
  ctx: Ctx,
  rows: RowIn[],
  orgs: Map<string, OrgRef | null>,
  planned: Map<string, string>,
  occurrences: ReadonlyMap<string, number>,
): Promise<{
  outcomes: Outcome[];
  registered: { idNumber: string; name: string }[];
  counted: Map<string, number>;
}> {
  // Two imports at once would both count a row as missing and both add it.
  await sql`select pg_advisory_xact_lock(hashtext('niangjia.ledger_import'))`.execute(ctx.tx);

  const codes = [...new Set(rows.map((r) => r.v.orgCode))].filter((c) => !orgs.has(c));
  if (codes.length) {
    const found = await ctx.tx
      .selectFrom('orgs')
      .select(['id', 'code', 'path', 'active'])
      .where(sql<boolean>`code = any(${codes}::text[])`)
      .execute();
    for (const c of codes) orgs.set(c, null);
    for (const o of found) orgs.set(o.code, o);
  }

  // Who the registry knows, wherever kept; and the scope's own view of them.
  const ids = [...new Set(rows.map((r) => r.v.idNumber))];
  const keepers = await sql<{ id_number: string; person_id: string; org_code: string; org_name: string }>`
    select * from niangjia_person_keepers(${ids}::text[])`.execute(ctx.tx);
  const visible = new Map(
    (
      await ctx.tx
        .selectFrom('people')
        .select(['id', 'id_number', 'name', 'merged_into'])
        .where(sql<boolean>`id_number = any(${ids}::text[])`)
        .execute()
    ).map((p) => [p.id_number, p]),
  );
  const keeperOf = new Map(keepers.rows.map((k) => [k.id_number, k]));

  const existing = new Map(
    (
      await sql<{ content_key: string; n: number }>`
        select content_key, count(*)::int as n from ledger_entries
        where content_key = any(${[...new Set(rows.map((r) => r.key))]}::text[]) and kind = 'payment'
        group by content_key`.execute(ctx.tx)
    ).rows.map((r) => [r.content_key, Number(r.n)]),
  );

  const outcomes: Outcome[] = [];
  const counted = new Map<string, number>();
  const lines: Record<keyof typeof LEDGER_LINE_COLUMNS, unknown>[] = [];
  const newPeople = new Map<string, Record<keyof typeof PERSON_COLUMNS, unknown>>();
  const events: AuditEvent[] = [];
  for (const r of rows) {
    const { v } = r;
    const org = orgs.get(v.orgCode);
    if (!org) {
      outcomes.push({
        column: '所属工会',
        message: `没有编码为 ${v.orgCode} 的组织（或不在您的管辖范围内）`,
      });
      continue;
    }
    let personId: string;
    const seen = visible.get(v.idNumber);
    const keeper = keeperOf.get(v.idNumber);
    const fresh = newPeople.get(v.idNumber);
    if (seen) {
      if (seen.name !== v.name) {
        outcomes.push({
          column: '姓名',
          message: `身份证号 ${maskResidentId(v.idNumber)} 在档案中登记的姓名为“${seen.name}”，与本行不同`,
        });
        continue;
      }
      // A record merged into another (duplicates): its payments go to the one kept.
      personId = seen.merged_into ?? seen.id;
    } else if (keeper) {
      outcomes.push({
        column: '身份证号',
        message: `身份证号 ${maskResidentId(v.idNumber)} 的人员由 ${keeper.org_name}（${keeper.org_code}）登记管理，不在您的管辖范围内`,
      });
      continue;
    } else if (fresh) {
      if (fresh.name !== v.name) {
        outcomes.push(nameDiffersAbove(v.idNumber, fresh.name as string));
        continue;
      }
      personId = fresh.id as string;
    } else {
      // Someone new; or, in a dry run, someone an earlier batch would have registered (its
      // transaction was rolled back): registered again here, counted once.
      const plannedName = planned.get(v.idNumber);
      if (plannedName !== undefined && plannedName !== v.name) {
        outcomes.push(nameDiffersAbove(v.idNumber, plannedName));
        continue;
      }
      const facts = residentIdFacts(v.idNumber);
      personId = randomUUID();
      newPeople.set(v.idNumber, {
        id: personId,
        id_number: v.idNumber,
        name: v.name,
        sex: facts.sex,
        birth_date: facts.birthDate,
        org_id: org.id,
        source: 'ledger',
      });
    }
    // The n-th valid row of the file with this content is new when the ledger holds fewer than n
    // such payments. Only rows that pass count: a refused row (a misspelt name) never makes its
    // twin look new on the next import.
    const occurrence = (occurrences.get(r.key) ?? 0) + (counted.get(r.key) ?? 0) + 1;
    counted.set(r.key, (counted.get(r.key) ?? 0) + 1);
    const have = existing.get(r.key) ?? 0;
    if (have >= occurrence) {
      outcomes.push('unchanged');
      continue;
    }
    // Counted, so that a later row of this batch with the same content is compared with it too.
    existing.set(r.key, have + 1);
    const id = randomUUID();
    lines.push({
      id,
      org_id: org.id,
      person_id: personId,
      aid_type: v.aidType,
      fund_source: v.fundSource,
      amount_fen: v.amountFen,
      paid_on: v.paidOn,
      program_name: v.programName ?? null,
      paid_by: v.paidBy ?? null,
      origin: 'import',
      content_key: r.key,
      created_by: ctx.actor.userId || null,
    });
    events.push({
      action: 'create',
      entity: 'ledger_entry',
      entityId: id,
      orgId: org.id,
      after: {
        aidType: v.aidType,
        fundSource: v.fundSource,
        amountFen: v.amountFen,
        paidOn: v.paidOn,
        origin: 'import',
      },
    });
    outcomes.push('imported');
  }
  // Only people a line is written for: a person whose every row was unchanged or refused stays out.
  const used = new Set(lines.map((l) => l.person_id));
  const people = [...newPeople.values()].filter((p) => used.has(p.id));
  await bulkInsert(ctx.tx, 'people', PERSON_COLUMNS, people);
  for (const p of people)
    events.unshift({
      action: 'create',
      entity: 'person',
      entityId: p.id as string,
      orgId: p.org_id as string,
      after: { source: 'ledger', idNumber: maskResidentId(p.id_number as string) },
    });
  await bulkInsert(ctx.tx, 'ledger_entries', LEDGER_LINE_COLUMNS, lines);
  await auditMany(ctx, events);
  return {
    outcomes,
    counted,
    registered: people
      .filter((p) => !planned.has(p.id_number as string))
      .map((p) => ({ idNumber: p.id_number as string, name: p.name as string })),
  };
}
