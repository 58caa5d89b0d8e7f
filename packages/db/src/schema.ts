/**
 * The database schema, one source for the generated SQL migrations (drizzle-kit) and for the
 * query types (Kysely, through `Kyselify`). Row-level security policies, roles and triggers live
 * in the hand-written SQL migrations beside the generated ones (see migrations/).
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const tz = <N extends string>(name: N) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Text compared byte by byte whatever the database's collation: an organisation path's subtree is
 * then exactly the range [path, path with its last '/' raised to '0'), which a btree index serves.
 */
const textC = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

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

/** Raw file bytes, for an uploaded file's bytea column (never selected into lists). */
const bytes = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Files uploaded for background work (an import workbook): kept in the database, so that whichever
 * server process runs the job can read them, and visible in the uploading organisation's scope.
 */
export const uploads = pgTable(
  'uploads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    createdBy: uuid('created_by').references(() => users.id),
    /** What the file is for: 'survey' (TEMPLATES.md §1) or 'ledger' (§2). */
    kind: text('kind').notNull(),
    filename: text('filename').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytes('content').notNull(),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [index('uploads_org_idx').on(t.orgId, t.createdAt)],
);

// ---------------------------------------------------------------------------------------------
// Registry: people, employers, households and the hardship archive (issue 3). Money is integer
// fen (int8); dates are calendar dates in Asia/Shanghai (`date`, read as 'YYYY-MM-DD').

const fen = <N extends string>(name: N) => bigint(name, { mode: 'number' });
const day = <N extends string>(name: N) => date(name, { mode: 'string' });

/** Employers, keyed by their unified social credit code (GB 32100) when they have one. */
export const employers = pgTable(
  'employers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    creditCode: text('credit_code').unique(),
    name: text('name').notNull(),
    employerType: text('employer_type'),
    state: text('state'),
    /** The organisation that keeps the record: its scope sees it. */
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('employers_org_idx').on(t.orgId), index('employers_name_idx').on(t.name)],
);

/** One record per person in the whole system, keyed by the 18-character resident ID number. */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    idNumber: text('id_number').notNull().unique(),
    /**
     * The ID number backwards, so that its end (the last four characters a masked number shows)
     * is a prefix a btree index finds (ADR 0012). Computed by the database.
     */
    idNumberReversed: text('id_number_reversed').generatedAlwaysAs(sql`reverse(id_number)`),
    name: text('name').notNull(),
    /** Derived from the ID number (GB 11643); contradictions are refused. */
    sex: text('sex').notNull(),
    birthDate: day('birth_date').notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    ethnicity: text('ethnicity'),
    phone: text('phone'),
    householdRegistration: text('household_registration'),
    health: text('health'),
    disability: text('disability'),
    activity: text('activity'),
    education: text('education'),
    medicalInsurance: text('medical_insurance'),
    employerId: uuid('employer_id').references(() => employers.id),
    unionMember: boolean('union_member'),
    migrantWorker: boolean('migrant_worker').notNull().default(false),
    bankName: text('bank_name'),
    bankBranch: text('bank_branch'),
    bankCard: text('bank_card'),
    /** How the record came: 'survey', 'manual', 'ledger' (created by an assistance-ledger import). */
    source: text('source').notNull().default('manual'),
    /** Set when this record was merged into another (duplicates): both histories are kept. */
    mergedInto: uuid('merged_into').references((): AnyPgColumn => people.id),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('people_org_idx').on(t.orgId),
    index('people_name_birth_idx').on(t.name, t.birthDate),
    index('people_phone_idx').on(t.phone),
    index('people_id_number_reversed_idx').on(t.idNumberReversed),
    check('people_sex_check', sql`${t.sex} in ('male','female')`),
  ],
);

/** A household: its head (a worker), members, housing, and the survey's yearly income and costs. */
export const households = pgTable(
  'households',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    headPersonId: uuid('head_person_id')
      .notNull()
      .unique()
      .references(() => people.id),
    housingType: text('housing_type'),
    /** Floor area in hundredths of a square metre. */
    housingAreaCentiM2: integer('housing_area_centi_m2'),
    // The twelve months before the survey date, whole household (TEMPLATES.md §1).
    wageIncomeFen: fen('wage_income_fen').notNull().default(0),
    businessIncomeFen: fen('business_income_fen').notNull().default(0),
    propertyIncomeFen: fen('property_income_fen').notNull().default(0),
    transferIncomeFen: fen('transfer_income_fen').notNull().default(0),
    otherIncomeFen: fen('other_income_fen').notNull().default(0),
    medicalCostFen: fen('medical_cost_fen').notNull().default(0),
    disabilityCostFen: fen('disability_cost_fen').notNull().default(0),
    educationCostFen: fen('education_cost_fen').notNull().default(0),
    housingCostFen: fen('housing_cost_fen').notNull().default(0),
    otherRigidCostFen: fen('other_rigid_cost_fen').notNull().default(0),
    employmentCostFen: fen('employment_cost_fen').notNull().default(0),
    /** Exclusions of local rules (contracts: EXCLUSIONS) that refuse the household where applied. */
    exclusions: text('exclusions').array().notNull().default(sql`'{}'::text[]`),
    surveyDate: day('survey_date'),
    surveyor: text('surveyor'),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
    // What the household list filters and sorts on, copied here by triggers from the organisation,
    // the head and the current archive (migrations/0011_household_list.sql), so that one table with
    // its indexes answers the list at a million households (ADR 0012). Application code never
    // writes them.
    orgPath: textC('org_path').notNull().default(''),
    headName: text('head_name').notNull().default(''),
    headMigrantWorker: boolean('head_migrant_worker').notNull().default(false),
    archiveStatus: text('archive_status'),
    archiveCategory: text('archive_category'),
    /** The primary cause first, then the secondary ones. */
    archiveCauses: text('archive_causes').array().notNull().default(sql`'{}'::text[]`),
    archiveUrgency: text('archive_urgency'),
  },
  (t) => [
    // The list's order (organisation, head's name, id), with what its filters and the row-level
    // security policy read, so that a page and a capped count are index-only scans; and the same
    // led by each filter whose rarer values would make an ordered scan read too far (ADR 0012).
    // No index on org_id alone: the policy's array is unknown when planning, so the planner took
    // every scope for a small one and read the whole table through it.
    index('households_list_idx').on(
      t.orgPath,
      t.headName,
      t.id,
      t.orgId,
      t.archiveStatus,
      t.archiveCategory,
      t.archiveUrgency,
      t.headMigrantWorker,
      t.archiveCauses,
    ),
    index('households_list_status_idx').on(
      t.archiveStatus,
      t.orgPath,
      t.headName,
      t.id,
      t.orgId,
      t.archiveCategory,
      t.archiveUrgency,
      t.headMigrantWorker,
      t.archiveCauses,
    ),
    index('households_list_category_idx').on(
      t.archiveCategory,
      t.orgPath,
      t.headName,
      t.id,
      t.orgId,
      t.archiveStatus,
      t.archiveUrgency,
      t.headMigrantWorker,
      t.archiveCauses,
    ),
    index('households_list_urgency_idx').on(
      t.archiveUrgency,
      t.orgPath,
      t.headName,
      t.id,
      t.orgId,
      t.archiveStatus,
      t.archiveCategory,
      t.headMigrantWorker,
      t.archiveCauses,
    ),
  ],
);

/**
 * The two-character pieces of each household head's name, for the list's name search: under
 * row-level security only leakproof operators such as = may use an index (ADR 0012), so a name
 * fragment is found as equal pieces, then checked with LIKE. Kept by triggers (0011), which are
 * the only writers: derived data without foreign keys, whose checks cost an import more than the
 * pieces themselves (0014); a deleted household's pieces go with it by trigger.
 */
export const householdNameGrams = pgTable(
  'household_name_grams',
  {
    gram: text('gram').notNull(),
    orgId: uuid('org_id').notNull(),
    householdId: uuid('household_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.gram, t.orgId, t.householdId] }),
    index('household_name_grams_household_idx').on(t.householdId),
  ],
);

/** Members other than the head (household size = 1 + members). */
export const householdMembers = pgTable(
  'household_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    relation: text('relation').notNull(),
    /** The member's share of the household's income: shown, never added to the totals again. */
    monthlyIncomeFen: fen('monthly_income_fen'),
    health: text('health'),
    activity: text('activity'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('household_members_unique').on(t.householdId, t.personId),
    index('household_members_person_idx').on(t.personId),
  ],
);

/** The hardship archive of a household and its life cycle (contracts: archive-lifecycle.ts). */
export const archives = pgTable(
  'archives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    category: text('category'),
    origin: text('origin').notNull(),
    primaryCause: text('primary_cause').notNull(),
    secondaryCauses: text('secondary_causes').array().notNull().default(sql`'{}'::text[]`),
    urgency: text('urgency').notNull().default('normal'),
    /** Set by a caseworker (with `urgencyReason`): the rules no longer change it (issue 4). */
    urgencyManual: boolean('urgency_manual').notNull().default(false),
    /** Why: the rule that gave it (domain: UrgencyReason), or the caseworker's words. */
    urgencyReason: text('urgency_reason'),
    status: text('status').notNull().default('surveyed'),
    openedOn: day('opened_on').notNull(),
    publicityStartedOn: day('publicity_started_on'),
    archivedOn: day('archived_on'),
    exitedOn: day('exited_on'),
    exitReason: text('exit_reason'),
    nextReviewOn: day('next_review_on'),
    visitIntervalDays: integer('visit_interval_days').notNull().default(90),
    /** The exited archive this one reopens (返困): history is kept, never rewritten. */
    previousArchiveId: uuid('previous_archive_id').references((): AnyPgColumn => archives.id),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('archives_org_status_idx').on(t.orgId, t.status),
    // The current archive of a household is its newest.
    index('archives_household_idx').on(t.householdId, t.createdAt),
    index('archives_review_idx').on(t.nextReviewOn),
    // The urgencies a time-limited rule gave, which a bulk re-evaluation derives again once the
    // time is up, and those no rule gave (ADR 0017): a few archives, found without reading them all.
    index('archives_urgency_to_derive_idx')
      .on(t.openedOn)
      .where(
        sql`(${t.urgencyReason} in ('fresh_disaster','relapsed') or ${t.urgencyReason} is null) and not ${t.urgencyManual} and ${t.status} not in ('exited','refused')`,
      ),
    // One open archive per household; exited and refused ones stay as history.
    uniqueIndex('archives_open_unique').on(t.householdId).where(sql`${t.status} not in ('exited','refused')`),
    check('archives_secondary_causes_check', sql`cardinality(${t.secondaryCauses}) <= 3`),
    check(
      'archives_status_check',
      sql`${t.status} in ('surveyed','applied','first_review','home_visit','finances_verified','publicity','archived','exited','returned','refused')`,
    ),
    check('archives_exit_check', sql`(${t.status} = 'exited') = (${t.exitReason} is not null)`),
  ],
);

/** Each step of an archive's life cycle: dated, by a user, with a comment. Never rewritten. */
export const archiveSteps = pgTable(
  'archive_steps',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    archiveId: uuid('archive_id')
      .notNull()
      .references(() => archives.id),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    onDate: day('on_date').notNull(),
    at: tz('at').notNull().defaultNow(),
    userId: uuid('user_id').references(() => users.id),
    username: text('username').notNull(),
    comment: text('comment').notNull(),
    data: jsonb('data'),
  },
  (t) => [index('archive_steps_archive_idx').on(t.archiveId, t.id)],
);

/** Objections raised during publicity (公示), and how each was resolved. */
export const publicityObjections = pgTable(
  'publicity_objections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    archiveId: uuid('archive_id')
      .notNull()
      .references(() => archives.id),
    raisedOn: day('raised_on').notNull(),
    raisedBy: text('raised_by'),
    content: text('content').notNull(),
    resolvedOn: day('resolved_on'),
    resolution: text('resolution'),
    upheld: boolean('upheld'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [index('publicity_objections_archive_idx').on(t.archiveId)],
);

/** Follow-up visits (回访): scheduled per archive, recorded with findings. */
export const visits = pgTable(
  'visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    archiveId: uuid('archive_id')
      .notNull()
      .references(() => archives.id),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    dueOn: day('due_on').notNull(),
    visitedOn: day('visited_on'),
    caseworkerId: uuid('caseworker_id').references(() => users.id),
    findings: text('findings'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [index('visits_org_due_idx').on(t.orgId, t.dueOn), index('visits_archive_idx').on(t.archiveId)],
);

/** Possible duplicate people, for review: merged, or dismissed as different people. */
export const duplicateCandidates = pgTable(
  'duplicate_candidates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personA: uuid('person_a')
      .notNull()
      .references(() => people.id),
    personB: uuid('person_b')
      .notNull()
      .references(() => people.id),
    reason: text('reason').notNull(),
    status: text('status').notNull().default('open'),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    resolvedAt: tz('resolved_at'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('duplicate_candidates_pair').on(t.personA, t.personB, t.reason),
    index('duplicate_candidates_org_idx').on(t.orgId, t.status),
    check(
      'duplicate_candidates_reason_check',
      sql`${t.reason} in ('same_name_birth','same_phone','id_one_digit')`,
    ),
    check('duplicate_candidates_status_check', sql`${t.status} in ('open','merged','dismissed')`),
  ],
);

/**
 * A dated, regional value of a policy parameter (issue 4; contracts: POLICY_PARAMETERS): in force
 * for its organisation and the ones below it that have none of their own, from `valid_from` to
 * `valid_to` included (open when null). The value is an integer in its kind's unit (fen,
 * ten-thousandths, a count). Versions of one key at one organisation never overlap (the service
 * checks under a lock; a new open-ended version closes the one it follows). Rows are never
 * deleted: a decision stored on an archive names the version it used.
 */
export const policyParameters = pgTable(
  'policy_parameters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    key: text('key').notNull(),
    validFrom: day('valid_from').notNull(),
    validTo: day('valid_to'),
    value: bigint('value', { mode: 'number' }).notNull(),
    /** The document the value comes from (宁工办发[2013]39号, a civil-affairs notice…). */
    source: text('source'),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('policy_parameters_version_unique').on(t.orgId, t.key, t.validFrom),
    check('policy_parameters_period_check', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
  ],
);

/** The rule set an organisation applies (and its options), dated like a parameter. */
export const policyRuleSets = pgTable(
  'policy_rule_sets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    validFrom: day('valid_from').notNull(),
    validTo: day('valid_to'),
    ruleSet: text('rule_set').notNull(),
    options: jsonb('options').notNull().default(sql`'{}'::jsonb`),
    source: text('source'),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('policy_rule_sets_version_unique').on(t.orgId, t.validFrom),
    check('policy_rule_sets_period_check', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
    check('policy_rule_sets_rule_set_check', sql`${t.ruleSet} in ('legacy-2013','national-2016')`),
  ],
);

/**
 * A policy as evaluations used it: the rule set, its options and each parameter version read (id,
 * value, organisation, validity, source), with the version of the rules' code. Many households
 * share one (the same organisation's values on the same day): a decision names it instead of
 * carrying a copy. Identified by a fingerprint of its content; appended, never changed.
 */
export const evaluationPolicies = pgTable('evaluation_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  fingerprint: text('fingerprint').notNull().unique(),
  ruleSet: text('rule_set').notNull(),
  /** The version of the rule sets' code (domain: RULES_VERSION). */
  rulesVersion: integer('rules_version').notNull(),
  options: jsonb('options').notNull(),
  parameters: jsonb('parameters').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
});

/**
 * A household evaluated under the policy in force (issue 4): when surveyed, at review, on demand
 * or in a bulk re-evaluation. The decision keeps what it used, so that a later edit of a parameter
 * or of the household never changes it: the policy (`policy_id`) and the household's facts as read
 * (`inputs`). Its trace is the rule set run again on exactly these (ADR 0015). Appended, never changed.
 * No foreign keys (ADR 0017): a bulk re-evaluation writes a million of these in one statement per
 * chunk whose joins take every reference from the row it names, and the per-row checks cost more
 * than the writing; households, organisations and policy snapshots are never deleted.
 */
export const evaluations = pgTable(
  'evaluations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id').notNull(),
    orgId: uuid('org_id').notNull(),
    policyId: uuid('policy_id').notNull(),
    asOf: day('as_of').notNull(),
    reason: text('reason').notNull(),
    ruleSet: text('rule_set').notNull(),
    eligible: boolean('eligible').notNull(),
    category: text('category'),
    monthlyIncomeFen: fen('monthly_income_fen').notNull(),
    /** The household's facts as read (incomes, costs, people, causes, exclusions), or NULL when
     * `factsMd5` names them among the household's kept facts (a bulk re-evaluation's decision). */
    inputs: jsonb('inputs'),
    /** The version of `household_rule_facts` the decision read, when it does not carry `inputs`. */
    factsMd5: text('facts_md5'),
    /** Who evaluated (a username, cli:…, or the job's user). */
    username: text('username'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('evaluations_household_idx').on(t.householdId, t.createdAt),
    check('evaluations_reason_check', sql`${t.reason} in ('survey','review','demand','bulk')`),
    check('evaluations_facts_check', sql`${t.inputs} is not null or ${t.factsMd5} is not null`),
  ],
);

/**
 * Each household's current outcome, one narrow row: what a new evaluation compares with to tell a
 * change, without searching the history. Written only when the outcome changes (by a decision
 * about the same day or a later one), so `evaluation_id` and `as_of` name the decision that gave
 * the outcome, not necessarily the newest. No foreign keys, as for the decisions themselves.
 */
export const currentEvaluations = pgTable('current_evaluations', {
  householdId: uuid('household_id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  evaluationId: uuid('evaluation_id').notNull(),
  eligible: boolean('eligible').notNull(),
  category: text('category'),
  asOf: day('as_of').notNull(),
  // The household's latest stored decision, whatever its outcome: a bulk re-evaluation does not
  // store again a decision on the same facts (their md5), policy snapshot and date (ADR 0017).
  latestPolicyId: uuid('latest_policy_id'),
  latestAsOf: day('latest_as_of'),
  latestFactsMd5: text('latest_facts_md5'),
});

/**
 * What the identification rules read of each household, one narrow row each, kept by triggers
 * from the household, its head, its members and its current archive (migration 0028), which are
 * the only writers. A what-if simulation and a bulk re-evaluation read a million of these in one
 * scan and run the rule sets in SQL (ADR 0017). Derived data without foreign keys, as the name
 * pieces.
 */
export const householdRuleInputs = pgTable('household_rule_inputs', {
  householdId: uuid('household_id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  orgPath: textC('org_path').notNull(),
  archiveStatus: text('archive_status'),
  migrant: boolean('migrant').notNull(),
  /** The primary cause first, then the secondary ones (the current archive's). */
  causes: text('causes').array().notNull(),
  /** Whether an exclusion is recorded. */
  excluded: boolean('excluded').notNull(),
  /** The five income items of the survey. */
  incomeFen: fen('income_fen').notNull(),
  /** Medical, disability, education, housing and other rigid costs. */
  deductionsFen: fen('deductions_fen').notNull(),
  employmentFen: fen('employment_fen').notNull(),
  /** Medical, disability and other rigid costs: the accident test's. */
  hardshipFen: fen('hardship_fen').notNull(),
  /** The head and the members. */
  size: integer('size').notNull(),
  /** Birth dates as yyyymmdd numbers of the people healthy and unemployed (income imputed when of working age). */
  idleBirths: integer('idle_births').array().notNull(),
  seriouslyIll: boolean('seriously_ill').notNull(),
  /** The version of the household's facts (household_rule_facts) these inputs were read with. */
  factsMd5: text('facts_md5').notNull(),
});

/**
 * Households whose rule inputs are out of date: the triggers on their sources only mark them here
 * (an import's batch then costs an insert of ids, not a rebuild), and bulk work brings them up to
 * date first (niangjia_refresh_stale_rule_inputs, migration 0035).
 */
export const householdRuleInputsStale = pgTable('household_rule_inputs_stale', {
  householdId: uuid('household_id').primaryKey(),
});

/**
 * Each household as the rule sets' TypeScript reads it (HouseholdFacts), every version it has had
 * since it was first kept: the rule inputs name the current one (`facts_md5`), and a bulk
 * re-evaluation's decision names the one it read instead of carrying a copy (ADR 0017). Appended
 * when the facts change, never changed except for the organisation, which follows the household.
 * A table of its own: beside the narrow inputs, the document (under the size PostgreSQL moves out
 * of line) would make the simulation's scan five times longer.
 */
export const householdRuleFacts = pgTable(
  'household_rule_facts',
  {
    householdId: uuid('household_id').notNull(),
    orgId: uuid('org_id').notNull(),
    facts: jsonb('facts').notNull(),
    /** The version's name: the md5 of the document's text (jsonb's text is canonical). */
    factsMd5: text('facts_md5').notNull().generatedAlwaysAs(sql`md5(facts::text)`),
  },
  (t) => [primaryKey({ columns: [t.householdId, t.factsMd5] })],
);

/**
 * The household's monthly income as found at a follow-up visit or a yearly review (issue 4): the
 * history the exit rule reads (per-capita income above 低保 for months on end). The survey's own
 * figures are the first point of that history and stay on the household.
 */
export const incomeRecords = pgTable(
  'income_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    onDate: day('on_date').notNull(),
    /** The household's income for a month, in all (fen). */
    monthlyIncomeFen: fen('monthly_income_fen').notNull(),
    /** The household's size that day. */
    size: integer('size').notNull(),
    source: text('source').notNull(),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('income_records_household_idx').on(t.householdId, t.onDate),
    check('income_records_source_check', sql`${t.source} in ('visit','review')`),
    check('income_records_figures_check', sql`${t.monthlyIncomeFen} >= 0 and ${t.size} >= 1`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Assistance (issue 5): the ledger of every payment (帮扶救助发放台账), and its yearly totals.

/**
 * One line of the assistance ledger: a payment to a person, or the reversal of one. Appended, never
 * changed or deleted (the application may not UPDATE or DELETE, 0039): a payment made in error is
 * undone by a reversing line with a reason, whose amount is the payment's, negated.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The paying organisation: its scope sees the line. */
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    /** 'payment' or 'reversal'. */
    kind: text('kind').notNull().default('payment'),
    /** contracts: AID_TYPES. */
    aidType: text('aid_type').notNull(),
    /** contracts: FUND_SOURCES. */
    fundSource: text('fund_source').notNull(),
    /** Positive for a payment; a reversal's is the payment's, negated. */
    amountFen: fen('amount_fen').notNull(),
    paidOn: day('paid_on').notNull(),
    /** The program or campaign, as named (项目). */
    programName: text('program_name'),
    /** Who paid (经办人), as named. */
    paidBy: text('paid_by'),
    /** 'bank_card', 'cash' or 'in_kind'; unknown for imported history. */
    method: text('method'),
    /** For a payment in kind: what was given (the amount is its value). */
    inKindItems: text('in_kind_items'),
    /** How the line came: 'import' (a ledger workbook) or 'grant' (paid in niangjia). */
    origin: text('origin').notNull(),
    /**
     * What the line says, as a digest of its normalised content (person, type, amount, day, fund,
     * program, organisation): an import counts the payments with a row's digest to know whether
     * the row is already in the ledger, so that a file imported twice adds nothing.
     */
    contentKey: text('content_key').notNull(),
    /** For a reversal: the payment it undoes (each payment at most once), and why. */
    /** The grant a payment made in niangjia pays (and its reversal undoes). */
    grantId: uuid('grant_id').references((): AnyPgColumn => grants.id),
    reverses: uuid('reverses').references((): AnyPgColumn => ledgerEntries.id),
    reason: text('reason'),
    createdAt: tz('created_at').notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => users.id),
  },
  (t) => [
    index('ledger_entries_org_paid_idx').on(t.orgId, t.paidOn),
    index('ledger_entries_person_idx').on(t.personId, t.paidOn),
    index('ledger_entries_content_idx').on(t.contentKey),
    uniqueIndex('ledger_entries_reverses_unique').on(t.reverses),
    check('ledger_entries_kind_check', sql`${t.kind} in ('payment','reversal')`),
    check(
      'ledger_entries_amount_check',
      sql`(${t.kind} = 'payment' and ${t.amountFen} > 0 and ${t.reverses} is null) or (${t.kind} = 'reversal' and ${t.amountFen} < 0 and ${t.reverses} is not null and ${t.reason} is not null)`,
    ),
    check('ledger_entries_origin_check', sql`${t.origin} in ('import','grant')`),
    check('ledger_entries_method_check', sql`${t.method} in ('bank_card','cash','in_kind')`),
  ],
);

/**
 * The ledger's person-times (人次: payments less reversals) and amounts per paying organisation,
 * year, type of aid and fund source, kept by a statement trigger on ledger_entries (0039): the
 * yearly report of any subtree sums a few hundred of these instead of reading millions of lines.
 */
export const ledgerTotals = pgTable(
  'ledger_totals',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    year: integer('year').notNull(),
    aidType: text('aid_type').notNull(),
    fundSource: text('fund_source').notNull(),
    personTimes: bigint('person_times', { mode: 'number' }).notNull(),
    amountFen: fen('amount_fen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.year, t.aidType, t.fundSource] })],
);

/**
 * A fund source's budget for a year at an organisation (中央财政 / 地方财政 / 工会经费 / 社会捐助):
 * what its grants may commit. An approved grant commits its amount until it is paid or cancelled;
 * approvals lock the fund's row, so two at once never overspend it.
 */
export const funds = pgTable(
  'funds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    source: text('source').notNull(),
    year: integer('year').notNull(),
    budgetFen: fen('budget_fen').notNull(),
    note: text('note'),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('funds_org_source_year_unique').on(t.orgId, t.source, t.year),
    check('funds_budget_check', sql`${t.budgetFen} >= 0`),
  ],
);

/**
 * An assistance program or campaign (帮扶项目): its type of aid, the organisation that runs and pays
 * it, its period, the fund sources it draws on, who qualifies (archive statuses and categories:
 * "archive first, then aid" unless it says otherwise), a proposed amount, and its publicity period.
 * The caps of its type are policy parameters (dated, regional), read when a grant is proposed.
 */
export const programs = pgTable(
  'programs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    name: text('name').notNull(),
    aidType: text('aid_type').notNull(),
    /** The period a person may have one grant of it in: its first and last day. */
    startsOn: day('starts_on').notNull(),
    endsOn: day('ends_on').notNull(),
    fundSources: text('fund_sources').array().notNull(),
    /** Archive statuses that qualify; empty: no archive needed (training of marginal households). */
    eligibleStatuses: text('eligible_statuses').array().notNull().default(sql`'{archived}'::text[]`),
    /** Archive categories that qualify; empty: any. */
    eligibleCategories: text('eligible_categories').array().notNull().default(sql`'{}'::text[]`),
    /** The amount a grant is proposed with (before its cap), if the program pays a fixed sum. */
    defaultAmountFen: fen('default_amount_fen'),
    /** Working days of publicity after approval before payment; 0 for urgent aid. */
    publicityWorkingDays: integer('publicity_working_days').notNull().default(5),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('programs_org_idx').on(t.orgId, t.startsOn),
    check('programs_period_check', sql`${t.startsOn} <= ${t.endsOn}`),
    check('programs_amount_check', sql`${t.defaultAmountFen} is null or ${t.defaultAmountFen} > 0`),
    check('programs_publicity_check', sql`${t.publicityWorkingDays} between 0 and 30`),
  ],
);

/**
 * A grant of a program to a person (帮扶发放), from proposal to payment: proposed with an amount
 * within its cap (the cap and how it was computed are kept), approved by one or two managers other
 * than the proposer, publicised, then paid once (the ledger line names it) or reversed. One live
 * grant per person and program (a rejected or cancelled one does not count).
 */
export const grants = pgTable(
  'grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    /** The program's organisation: it pays, and its scope sees the grant. */
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    householdId: uuid('household_id').references(() => households.id),
    amountFen: fen('amount_fen').notNull(),
    /** The most the rule allowed when proposed (null: no cap rule), and its reasoning. */
    capFen: fen('cap_fen'),
    basis: jsonb('basis').notNull(),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    /** proposed, approved (after the last approval needed), objected, paid, rejected, cancelled. */
    status: text('status').notNull().default('proposed'),
    approvalsNeeded: integer('approvals_needed').notNull(),
    proposedBy: uuid('proposed_by').references(() => users.id),
    proposedByName: text('proposed_by_name').notNull(),
    proposedAt: tz('proposed_at').notNull().defaultNow(),
    /** Whoever changed the amount after the proposal: they chose it too, so may not approve it. */
    amountChangedBy: uuid('amount_changed_by').references(() => users.id),
    firstApprovedBy: uuid('first_approved_by').references(() => users.id),
    firstApprovedByName: text('first_approved_by_name'),
    firstApprovedAt: tz('first_approved_at'),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedByName: text('approved_by_name'),
    approvedOn: day('approved_on'),
    publicityEndsOn: day('publicity_ends_on'),
    decisionNote: text('decision_note'),
    /** An objection raised during publicity holds the grant until it is resolved. */
    objection: text('objection'),
    objectionOn: day('objection_on'),
    paidOn: day('paid_on'),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('grants_program_idx').on(t.programId, t.status),
    index('grants_person_idx').on(t.personId),
    index('grants_household_idx').on(t.householdId),
    index('grants_fund_idx').on(t.fundId, t.status),
    uniqueIndex('grants_one_live_per_person')
      .on(t.programId, t.personId)
      .where(sql`${t.status} not in ('rejected','cancelled')`),
    check(
      'grants_status_check',
      sql`${t.status} in ('proposed','approved','objected','paid','rejected','cancelled')`,
    ),
    check(
      'grants_amount_check',
      sql`${t.amountFen} > 0 and (${t.capFen} is null or ${t.amountFen} <= ${t.capFen})`,
    ),
    check('grants_approvals_check', sql`${t.approvalsNeeded} in (1, 2)`),
  ],
);
