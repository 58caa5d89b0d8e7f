import type { AuditAction, AuditChanges, AuditQuery } from '@niangjia/contracts';
import { bulkInsert, sql, type Tx } from '@niangjia/db';
import type { Ctx } from '../../http/context';

/** Fields whose values never enter the audit trail: only the fact that they changed. */
const SECRET_FIELDS = new Set(['password', 'passwordHash', 'password_hash']);

/** The changed fields between two snapshots (a create has no before, a deactivation only the flag). */
export function diff(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): AuditChanges | null {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: AuditChanges = {};
  for (const key of keys) {
    const b = before?.[key] ?? null;
    const a = after?.[key] ?? null;
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    changes[key] = SECRET_FIELDS.has(key)
      ? { before: '[secret]', after: '[secret]' }
      : { before: b, after: a };
  }
  return Object.keys(changes).length ? changes : null;
}

export interface AuditEvent {
  action: AuditAction;
  entity: string;
  entityId: string | null;
  /** The organisation the entity belongs to: the entry is visible in that organisation's scope. */
  orgId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

interface Who {
  userId: string | null;
  username: string | null;
  requestId: string | null;
  clientAddress: string | null;
}

const AUDIT_COLUMNS = {
  user_id: 'uuid',
  username: 'text',
  org_id: 'uuid',
  action: 'text',
  entity: 'text',
  entity_id: 'text',
  changes: 'jsonb',
  request_id: 'text',
  client_address: 'inet',
} as const;

/** Appends entries in one statement, in the caller's transaction: the change and its record commit together. */
async function record(tx: Tx, who: Who, events: readonly AuditEvent[]): Promise<void> {
  await bulkInsert(
    tx,
    'audit_log',
    AUDIT_COLUMNS,
    events.map((event) => ({
      user_id: who.userId,
      username: who.username,
      org_id: event.orgId,
      action: event.action,
      entity: event.entity,
      entity_id: event.entityId,
      changes: diff(event.before, event.after),
      request_id: who.requestId,
      client_address: who.clientAddress,
    })),
  );
}

const whoOf = (ctx: Ctx): Who => ({
  userId: ctx.actor.userId || null,
  username: ctx.actor.username,
  requestId: ctx.requestId,
  clientAddress: ctx.clientAddress,
});

/** Appends one entry for someone who is not a request's actor (the operator, the server itself). */
export function recordAudit(tx: Tx, who: Who, event: AuditEvent): Promise<void> {
  return record(tx, who, [event]);
}

/** Appends many entries in one statement (bulk work: an import's batch). */
export function auditMany(ctx: Ctx, events: AuditEvent[]): Promise<void> {
  return record(ctx.tx, whoOf(ctx), events);
}

export function audit(ctx: Ctx, event: AuditEvent): Promise<void> {
  return record(ctx.tx, whoOf(ctx), [event]);
}

/**
 * Records a full view of a person's personal data. Modules call it whenever they return an
 * unmasked ID number, health or income record (PIPL): the read is as visible as a write.
 */
export function auditRead(ctx: Ctx, entity: string, entityId: string, orgId: string | null): Promise<void> {
  return audit(ctx, { action: 'read', entity, entityId, orgId });
}

export async function listAudit(ctx: Ctx, q: AuditQuery) {
  let query = ctx.tx.selectFrom('audit_log as a').leftJoin('orgs as o', 'o.id', 'a.org_id');
  if (q.username) query = query.where('a.username', '=', q.username);
  if (q.entity) query = query.where('a.entity', '=', q.entity);
  if (q.entityId) query = query.where('a.entity_id', '=', q.entityId);
  if (q.action) query = query.where('a.action', '=', q.action);
  // Calendar days in Asia/Shanghai, whatever the server's time zone.
  if (q.from)
    query = query.where('a.at', '>=', sql<Date>`(${q.from}::date)::timestamp at time zone 'Asia/Shanghai'`);
  if (q.to)
    query = query.where('a.at', '<', sql<Date>`(${q.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`);
  const [{ total }] = (await query.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [
    { total: number },
  ];
  const rows = await query
    .select([
      'a.id',
      'a.at',
      'a.username',
      'o.code as org_code',
      'a.action',
      'a.entity',
      'a.entity_id',
      'a.changes',
      'a.request_id',
      'a.client_address',
    ])
    .orderBy('a.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    total,
    items: rows.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      username: r.username,
      orgCode: r.org_code,
      action: r.action as AuditAction,
      entity: r.entity,
      entityId: r.entity_id,
      changes: (r.changes ?? null) as AuditChanges | null,
      requestId: r.request_id,
      clientAddress: r.client_address,
    })),
  };
}
