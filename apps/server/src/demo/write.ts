import { randomUUID } from 'node:crypto';
import { bulkInsert } from '@niangjia/db';
import type { CalendarDate } from '@niangjia/domain';
import type { Ctx } from '../http/context';
import { contentKey, LEDGER_LINE_COLUMNS } from '../modules/assistance/ledger';
import { type AuditEvent, auditMany } from '../modules/audit/service';
import type { DemoArchive, DemoHistory, DemoHousehold } from './history';
import type { DemoPayment } from './ledger';

/** Rows per INSERT statement: a multi-row insert each, well under PostgreSQL's parameter limit. */
const ROWS_PER_STATEMENT = 1000;
/** People per transaction: a batch of households is written whole or not at all. */
const PEOPLE_PER_BATCH = 1000;

export interface DemoRefs {
  /** Organisation ids by code (640104 and its grassroots unions). */
  orgIds: ReadonlyMap<string, string>;
  /** User ids by username (the demo users who take the steps and make the visits). */
  userIds: ReadonlyMap<string, string>;
}

/** A unit of work in the demo district's scope (row-level security applies). */
export type ScopedRun = <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>;

/** The instant of a Shanghai calendar date at a given hour, and minute: for created_at and step times. */
function at(date: CalendarDate, hour: number, minute = 0): Date {
  return new Date(
    `${date}T${String(hour).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00+08:00`,
  );
}

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) out.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}

/**
 * Writes the generated history in bulk: households in batches of about a thousand people, each
 * batch one transaction of multi-row INSERTs (people, households, members, archives, steps, visits,
 * and one audit entry per household), in the scope of the district (row-level security checks
 * every row). Not through the services one household at a time: that would take minutes.
 */
export async function writeHistory(
  history: DemoHistory,
  run: ScopedRun,
  refs: DemoRefs,
): Promise<{ households: number; people: number; archives: number; steps: number; visits: number }> {
  const totals = { households: 0, people: 0, archives: 0, steps: 0, visits: 0 };
  let batch: DemoHousehold[] = [];
  let people = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    people = 0;
    const counts = await run((ctx) => writeBatch(ctx, rows, refs));
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += counts[k];
  };
  for (const h of history.households) {
    const size = 1 + h.members.length;
    if (people + size > PEOPLE_PER_BATCH) await flush();
    batch.push(h);
    people += size;
  }
  await flush();
  return totals;
}

function idOf(map: ReadonlyMap<string, string>, key: string, what: string): string {
  const id = map.get(key);
  if (!id) throw new Error(`demo: no ${what} ${key}`);
  return id;
}

async function writeBatch(ctx: Ctx, households: DemoHousehold[], refs: DemoRefs) {
  const peopleRows = [];
  const householdRows = [];
  const memberRows = [];
  const archiveRows = [];
  const stepRows = [];
  const visitRows = [];
  const events: AuditEvent[] = [];
  for (const h of households) {
    const orgId = idOf(refs.orgIds, h.orgCode, 'organisation');
    const first = (h.archives[0] as DemoArchive).openedOn;
    const created = at(first, 9);
    const personRow = (p: DemoHousehold['head']) => ({
      id: randomUUID(),
      id_number: p.idNumber,
      name: p.name,
      sex: p.sex,
      birth_date: p.birthDate,
      org_id: orgId,
      ethnicity: p.ethnicity,
      phone: p.phone,
      household_registration: p.householdRegistration,
      health: p.health,
      activity: p.activity,
      migrant_worker: p.migrantWorker,
      source: 'demo',
      created_at: created,
      updated_at: created,
    });
    const head = personRow(h.head);
    peopleRows.push(head);
    const householdId = randomUUID();
    const latest = h.archives[h.archives.length - 1] as DemoArchive;
    householdRows.push({
      id: householdId,
      org_id: orgId,
      head_person_id: head.id,
      housing_type: h.housingType,
      housing_area_centi_m2: h.housingAreaCentiM2,
      wage_income_fen: h.income.wageIncomeFen,
      business_income_fen: h.income.businessIncomeFen,
      property_income_fen: h.income.propertyIncomeFen,
      transfer_income_fen: h.income.transferIncomeFen,
      other_income_fen: h.income.otherIncomeFen,
      medical_cost_fen: h.income.medicalCostFen,
      disability_cost_fen: h.income.disabilityCostFen,
      education_cost_fen: h.income.educationCostFen,
      housing_cost_fen: h.income.housingCostFen,
      other_rigid_cost_fen: h.income.otherRigidCostFen,
      employment_cost_fen: h.income.employmentCostFen,
      survey_date: h.surveyDate,
      surveyor: h.surveyor,
      created_at: created,
      updated_at: at(latest.openedOn, 9),
    });
    for (const m of h.members) {
      const row = personRow(m.person);
      peopleRows.push(row);
      memberRows.push({
        household_id: householdId,
        person_id: row.id,
        relation: m.relation,
        monthly_income_fen: m.monthlyIncomeFen,
        health: m.person.health,
        activity: m.person.activity,
        created_at: created,
      });
    }
    const archiveIds = new Map<DemoArchive, string>();
    for (const a of h.archives) {
      const id = randomUUID();
      archiveIds.set(a, id);
      const lastStep = a.steps[a.steps.length - 1];
      archiveRows.push({
        id,
        household_id: householdId,
        org_id: orgId,
        category: a.category,
        origin: a.origin,
        primary_cause: a.primaryCause,
        secondary_causes: a.secondaryCauses,
        urgency: a.urgency,
        status: a.status,
        opened_on: a.openedOn,
        publicity_started_on: a.publicityStartedOn,
        archived_on: a.archivedOn,
        exited_on: a.exitedOn,
        exit_reason: a.exitReason,
        next_review_on: a.nextReviewOn,
        visit_interval_days: a.visitIntervalDays,
        previous_archive_id: a.previous ? (archiveIds.get(a.previous) ?? null) : null,
        // The newest archive is the household's current one: creation follows opening.
        created_at: at(a.openedOn, 9),
        updated_at: at(lastStep?.onDate ?? a.openedOn, 17),
      });
      for (const [i, s] of a.steps.entries())
        stepRows.push({
          archive_id: id,
          action: s.action,
          from_status: s.fromStatus,
          to_status: s.toStatus,
          on_date: s.onDate,
          at: at(s.onDate, 10, i),
          user_id: idOf(refs.userIds, s.username, 'user'),
          username: s.username,
          comment: s.comment,
          data: s.exitReason ? JSON.stringify({ exitReason: s.exitReason }) : null,
        });
      for (const v of a.visits)
        visitRows.push({
          id: randomUUID(),
          archive_id: id,
          org_id: orgId,
          due_on: v.dueOn,
          visited_on: v.visitedOn,
          caseworker_id: v.caseworker ? idOf(refs.userIds, v.caseworker, 'user') : null,
          findings: v.findings,
        });
    }
    events.push({
      action: 'create',
      entity: 'household',
      entityId: householdId,
      orgId,
      after: {
        orgCode: h.orgCode,
        source: 'demo',
        headPersonId: head.id,
        members: h.members.length,
        archives: h.archives.length,
        status: latest.status,
      },
    });
  }
  const tx = ctx.tx;
  for (const rows of chunks(peopleRows)) await tx.insertInto('people').values(rows).execute();
  for (const rows of chunks(householdRows)) await tx.insertInto('households').values(rows).execute();
  for (const rows of chunks(memberRows)) await tx.insertInto('household_members').values(rows).execute();
  for (const rows of chunks(archiveRows)) await tx.insertInto('archives').values(rows).execute();
  for (const rows of chunks(stepRows)) await tx.insertInto('archive_steps').values(rows).execute();
  for (const rows of chunks(visitRows)) await tx.insertInto('visits').values(rows).execute();
  for (const rows of chunks(events)) await auditMany(ctx, rows);
  return {
    households: householdRows.length,
    people: peopleRows.length,
    archives: archiveRows.length,
    steps: stepRows.length,
    visits: visitRows.length,
  };
}

/**
 * Writes the demo ledger's payments as lines of an imported history (origin 'import', with their
 * content keys, so that importing the demo's own export adds nothing), each audited, in one
 * transaction: the demo adds its ledger only where the district has none, so a run cut short must
 * leave nothing behind.
 */
export async function writeLedger(
  run: ScopedRun,
  payments: readonly DemoPayment[],
  personIds: ReadonlyMap<string, string>,
  orgIds: ReadonlyMap<string, string>,
): Promise<void> {
  await run(async (ctx) => {
    for (const batch of chunks([...payments])) {
      const lines = batch.map((p) => ({
        id: randomUUID(),
        org_id: idOf(orgIds, p.orgCode, 'organisation'),
        person_id: idOf(personIds, p.idNumber, 'person'),
        aid_type: p.aidType,
        fund_source: p.fundSource,
        amount_fen: p.amountFen,
        paid_on: p.paidOn,
        program_name: p.programName,
        paid_by: p.paidBy,
        origin: 'import',
        content_key: contentKey(p),
        created_by: null,
      }));
      await bulkInsert(ctx.tx, 'ledger_entries', LEDGER_LINE_COLUMNS, lines);
      await auditMany(
        ctx,
        lines.map((l) => ({
          action: 'create',
          entity: 'ledger_entry',
          entityId: l.id,
          orgId: l.org_id,
          after: {
            aidType: l.aid_type,
            fundSource: l.fund_source,
            amountFen: l.amount_fen,
            paidOn: l.paid_on,
            origin: 'import',
          },
        })),
      );
    }
  });
}
