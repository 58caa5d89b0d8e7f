/**
 * The database schema, one source for the generated SQL migrations (drizzle-kit) and for the
 * query types (Kysely, through `Kyselify`). Row-level security policies, roles and triggers live
 * in the hand-written SQL migrations beside the generated ones (see migrations/).
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const tz = <N extends string>(name: N) => timestamp(name, { withTimezone: true, mode: 'date' });

export const orgs = pgTable(
  'orgs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => orgs.id),
    /** Codes from the root down to this node: '/000000/640000/640100/640104/'. Scope is a prefix. */
    path: text('path').notNull().unique(),
    active: boolean('active').notNull().default(true),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('orgs_parent_idx').on(t.parentId),
    index('orgs_path_pattern_idx').using('btree', sql`${t.path} text_pattern_ops`),
    check('orgs_level_check', sql`${t.level} in ('national','region','city','district','grassroots')`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    roles: text('roles').array().notNull(),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    active: boolean('active').notNull().default(true),
    lastLoginAt: tz('last_login_at'),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('users_org_idx').on(t.orgId)],
);

/** Server-side sessions: the cookie holds a random token, the table only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: tz('created_at').notNull().defaultNow(),
    lastSeenAt: tz('last_seen_at').notNull().defaultNow(),
    expiresAt: tz('expires_at').notNull(),
    clientAddress: inet('client_address'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Failed logins, for throttling by username and by client address across all server processes. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    username: text('username').notNull(),
    clientAddress: inet('client_address'),
    at: tz('at').notNull().defaultNow(),
  },
  (t) => [
    index('login_failures_username_idx').on(t.username, t.at),
    index('login_failures_addr_idx').on(t.clientAddress, t.at),
  ],
);

/** Installation-wide settings shared by every server process (the generated session secret, ...). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

/** Append-only: no role may update or delete a row (a trigger refuses it; see migrations). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: tz('at').notNull().defaultNow(),
    userId: uuid('user_id'),
    username: text('username'),
    /** The organisation the audited entity belongs to: the scope in which the entry is visible. */
    orgId: uuid('org_id').references(() => orgs.id),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    changes: jsonb('changes'),
    requestId: text('request_id'),
    clientAddress: inet('client_address'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_entity_idx').on(t.entity, t.entityId),
    index('audit_log_user_idx').on(t.username, t.at),
    index('audit_log_org_idx').on(t.orgId, t.at),
  ],
);

/**
 * Background work (imports, bulk evaluation, reminders) as rows, so that a restart loses none and
 * any server process may run any job. A job runs with the scope of the user who asked for it.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    /** The organisation whose scope the job acts in (and in whose scope it is visible). */
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    createdBy: uuid('created_by').references(() => users.id),
    input: jsonb('input').notNull(),
    status: text('status').notNull().default('queued'),
    /** 0 to 1, with a short text of what is being done, for the progress bar. */
    progress: jsonb('progress'),
    result: jsonb('result'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    runAfter: tz('run_after').notNull().defaultNow(),
    lockedUntil: tz('locked_until'),
    lockedBy: text('locked_by'),
    createdAt: tz('created_at').notNull().defaultNow(),
    startedAt: tz('started_at'),
    finishedAt: tz('finished_at'),
  },
  (t) => [
    index('jobs_queue_idx').on(t.status, t.runAfter),
    index('jobs_org_idx').on(t.orgId, t.createdAt),
    check('jobs_status_check', sql`${t.status} in ('queued','running','succeeded','failed','cancelled')`),
  ],
);
