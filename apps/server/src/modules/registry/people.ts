import {
  ARCHIVE_ACTIONS,
  ARCHIVE_STATUSES,
  type ArchiveStatus,
  type LocalText,
  type PersonDetail,
  type PersonHousehold,
  type TimelineEntry,
} from '@niangjia/contracts';
import { maskResidentId } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { AppError, notFound } from '../../http/errors';
import { assistanceEvents } from '../assistance/timeline';
import { auditRead } from '../audit/service';
import { recordsMergedInto } from './duplicates';

type Person = PersonDetail;

/** A bank card shows its last four digits only (PIPL; the card is shown whole in its edit form only). */
export function maskBankCard(card: string): string {
  const digits = card.replace(/\s+/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/** Whole days from `from` to `to` (calendar dates). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const text = (zh: string, en: string): LocalText => ({ zh, en });

function labelText(table: readonly { code: string; zh: string; en: string }[], code: string): LocalText {
  const entry = table.find((e) => e.code === code);
  return entry ? text(entry.zh, entry.en) : text(code, code);
}

/** What a timeline source is given: the person's households (in the scope) and today's date. */
export interface TimelineInput {
  personId: string;
  households: PersonHousehold[];
  today: string;
}

/** A module's contribution to a person's timeline. */
export type TimelineSource = (ctx: Ctx, input: TimelineInput) => Promise<TimelineEntry[]>;

const householdContext = (h: PersonHousehold | undefined): LocalText | null =>
  h ? text(`${h.headName}户（${h.orgName}）`, `Household of ${h.headName} (${h.orgName})`) : null;

/** The archives' life-cycle steps, objections raised during publicity, and follow-up visits. */
const archiveEvents: TimelineSource = async (ctx, { households, today }) => {
  const ids = households.map((h) => h.householdId);
  if (ids.length === 0) return [];
  const byId = new Map(households.map((h) => [h.householdId, h]));
  const entries: TimelineEntry[] = [];
  const link = (householdId: string) => `/households/${householdId}`;

  const steps = await ctx.tx
    .selectFrom('archive_steps as s')
    .innerJoin('archives as a', 'a.id', 's.archive_id')
    .select(['s.id', 's.action', 's.to_status', 's.on_date', 's.username', 's.comment', 'a.household_id'])
    .where('a.household_id', 'in', ids)
    .orderBy('s.id')
    .execute();
  for (const s of steps) {
    const status = s.to_status as ArchiveStatus;
    entries.push({
      id: `archive.step:${s.id}`,
      on: s.on_date,
      kind: 'archive.step',
      title: s.action === 'survey' ? text('摸底调查', 'Survey') : labelText(ARCHIVE_ACTIONS, s.action),
      tag: {
        text: labelText(ARCHIVE_STATUSES, status),
        tone:
          status === 'archived'
            ? 'success'
            : status === 'refused'
              ? 'danger'
              : status === 'returned' || status === 'publicity'
                ? 'warning'
                : 'info',
      },
      tone: status === 'refused' ? 'danger' : status === 'archived' ? 'success' : 'info',
      summary: s.comment,
      by: s.username,
      link: link(s.household_id),
      context: householdContext(byId.get(s.household_id)),
    });
  }

  const objections = await ctx.tx
    .selectFrom('publicity_objections as o')
    .innerJoin('archives as a', 'a.id', 'o.archive_id')
    .select([
      'o.id',
      'o.raised_on',
      'o.raised_by',
      'o.content',
      'o.resolved_on',
      'o.resolution',
      'o.upheld',
      'a.household_id',
    ])
    .where('a.household_id', 'in', ids)
    .execute();
  for (const o of objections) {
    const context = householdContext(byId.get(o.household_id));
    entries.push({
      id: `archive.objection:${o.id}`,
      on: o.raised_on,
      kind: 'archive.objection',
      title: text('公示异议', 'Objection during publicity'),
      tag: o.resolved_on ? null : { text: text('待处理', 'Open'), tone: 'warning' },
      tone: 'warning',
      summary: o.content,
      by: o.raised_by,
      link: link(o.household_id),
      context,
    });
    if (o.resolved_on)
      entries.push({
        id: `archive.objection_resolved:${o.id}`,
        on: o.resolved_on,
        kind: 'archive.objection_resolved',
        title: text('异议处理', 'Objection settled'),
        tag: o.upheld
          ? { text: text('异议成立', 'Upheld'), tone: 'danger' }
          : { text: text('异议不成立', 'Not upheld'), tone: 'success' },
        tone: o.upheld ? 'danger' : 'success',
        summary: o.resolution,
        by: null,
        link: link(o.household_id),
        context,
      });
  }

  const visits = await ctx.tx
    .selectFrom('visits as v')
    .innerJoin('archives as a', 'a.id', 'v.archive_id')
    .leftJoin('users as u', 'u.id', 'v.caseworker_id')
    .select(['v.id', 'v.due_on', 'v.visited_on', 'v.findings', 'u.username', 'a.household_id', 'a.status'])
    .where('a.household_id', 'in', ids)
    .execute();
  for (const v of visits) {
    const context = householdContext(byId.get(v.household_id));
    if (v.visited_on) {
      entries.push({
        id: `archive.visit:${v.id}`,
        on: v.visited_on,
        kind: 'archive.visit',
        title: text('回访', 'Follow-up visit'),
        tag: null,
        tone: 'success',
        summary: v.findings,
        by: v.username ?? null,
        link: link(v.household_id),
        context,
      });
      continue;
    }
    // A visit not made is on the timeline only while its archive is open: it is what is due next.
    if (v.status !== 'archived') continue;
    const late = daysBetween(v.due_on, today);
    entries.push({
      id: `archive.visit_due:${v.id}`,
      on: v.due_on,
      kind: 'archive.visit_due',
      title: text('回访（待办）', 'Follow-up visit due'),
      tag:
        late > 0
          ? { text: text(`逾期 ${late} 天`, `${late} days overdue`), tone: 'danger' }
          : { text: text('待回访', 'Due'), tone: 'info' },
      tone: late > 0 ? 'danger' : 'default',
      summary: null,
      by: v.username ?? null,
      link: link(v.household_id),
      context,
    });
  }
  return entries;
};

/**
 * Where a person's timeline comes from. Each module that records something about a person adds
 * its source here (aid grants, rights cases, courses, mutual-aid claims); the page needs no change.
 */
export const TIMELINE_SOURCES: readonly TimelineSource[] = [archiveEvents, assistanceEvents];

/** Newest first; on one day, the order the sources gave (reversed, so the latest step is on top). */
function byDateDescending(entries: TimelineEntry[]): TimelineEntry[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => (a.entry.on === b.entry.on ? b.index - a.index : a.entry.on < b.entry.on ? 1 : -1))
    .map(({ entry }) => entry);
}

/**
 * A person with their households and timeline. Outside the scope the person does not exist (404,
 * row-level security). With `full` (person:read_full) the ID number and birth date are whole, and
 * the view is recorded in the audit trail as a read.
 */
export async function getPerson(
  ctx: Ctx,
  id: string,
  { full = false, today }: { full?: boolean; today: string },
): Promise<PersonDetail> {
  if (full && !ctx.actor.permissions.includes('person:read_full'))
    throw new AppError('forbidden', 'Seeing full ID numbers needs the permission person:read_full');
  const p = await ctx.tx
    .selectFrom('people as p')
    .innerJoin('orgs as o', 'o.id', 'p.org_id')
    .leftJoin('employers as e', 'e.id', 'p.employer_id')
    .selectAll('p')
    .select(['o.code as org_code', 'o.name as org_name', 'e.name as employer_name', 'e.credit_code'])
    .where('p.id', '=', id)
    .executeTakeFirst();
  if (!p) throw notFound('Person');

  const headOf = await ctx.tx
    .selectFrom('households as h')
    .innerJoin('orgs as o', 'o.id', 'h.org_id')
    .select((eb) => [
      'h.id',
      'o.code',
      'o.name',
      eb
        .selectFrom('archives')
        .select('status')
        .whereRef('archives.household_id', '=', 'h.id')
        .orderBy('created_at', 'desc')
        .limit(1)
        .as('status'),
    ])
    // With the households still headed by records merged into this one (ADR 0014): theirs too.
    .where('h.head_person_id', 'in', [id, ...(await recordsMergedInto(ctx, id))])
    .execute();
  const memberOf = await ctx.tx
    .selectFrom('household_members as m')
    .innerJoin('households as h', 'h.id', 'm.household_id')
    .innerJoin('people as hp', 'hp.id', 'h.head_person_id')
    .innerJoin('orgs as o', 'o.id', 'h.org_id')
    .select((eb) => [
      'h.id',
      'm.relation',
      'hp.name as head_name',
      'o.code',
      'o.name',
      eb
        .selectFrom('archives')
        .select('status')
        .whereRef('archives.household_id', '=', 'h.id')
        .orderBy('created_at', 'desc')
        .limit(1)
        .as('status'),
    ])
    .where('m.person_id', '=', id)
    .orderBy('m.created_at')
    .execute();
  const households: PersonHousehold[] = [
    ...headOf.map((h) => ({
      householdId: h.id,
      role: 'head' as const,
      relation: null,
      headName: p.name,
      orgCode: h.code,
      orgName: h.name,
      status: h.status ?? null,
    })),
    ...memberOf.map((h) => ({
      householdId: h.id,
      role: 'member' as const,
      relation: h.relation,
      headName: h.head_name,
      orgCode: h.code,
      orgName: h.name,
      status: h.status ?? null,
    })),
  ];

  const input: TimelineInput = { personId: id, households, today };
  // Each source in turn: a transaction's queries are never started together (ARCHITECTURE.md,
  // request flow: after a failure, the ones still queued would run outside the transaction).
  const entries: TimelineEntry[] = [];
  for (const source of TIMELINE_SOURCES) entries.push(...(await source(ctx, input)));
  const timeline = byDateDescending(entries);

  if (full) await auditRead(ctx, 'person', p.id, p.org_id);
  const hasBank = p.bank_name !== null || p.bank_branch !== null || p.bank_card !== null;
  return {
    id: p.id,
    name: p.name,
    idNumber: full ? p.id_number : maskResidentId(p.id_number),
    sex: p.sex as Person['sex'],
    // The birth date with the masked number would give the whole number back: the year only.
    birthDate: full ? p.birth_date : null,
    birthYear: Number(p.birth_date.slice(0, 4)),
    phone: p.phone,
    migrantWorker: p.migrant_worker,
    householdRegistration: p.household_registration as Person['householdRegistration'],
    health: p.health as Person['health'],
    activity: p.activity as Person['activity'],
    orgCode: p.org_code,
    orgName: p.org_name,
    ethnicity: p.ethnicity,
    disability: p.disability,
    education: p.education,
    medicalInsurance: p.medical_insurance,
    unionMember: p.union_member,
    employer: p.employer_name ? { name: p.employer_name, creditCode: p.credit_code ?? null } : null,
    bank: hasBank
      ? {
          name: p.bank_name,
          branch: p.bank_branch,
          cardMasked: p.bank_card ? maskBankCard(p.bank_card) : null,
        }
      : null,
    mergedInto: p.merged_into,
    households,
    timeline,
    fullView: full,
  };
}
