import type { Kyselify } from 'drizzle-orm/kysely';
import type { ColumnType, Generated } from 'kysely';
import type * as schema from './schema';

/** Query types for Kysely, derived from the one schema (schema.ts), with database column names. */
export interface DB {
  orgs: Kyselify<typeof schema.orgs>;
  users: Kyselify<typeof schema.users>;
  sessions: Kyselify<typeof schema.sessions>;
  login_failures: Kyselify<typeof schema.loginFailures>;
  settings: Kyselify<typeof schema.settings>;
  audit_log: Kyselify<typeof schema.auditLog>;
  jobs: Kyselify<typeof schema.jobs>;
  uploads: Kyselify<typeof schema.uploads>;
  employers: Kyselify<typeof schema.employers>;
  people: Kyselify<typeof schema.people>;
  households: Kyselify<typeof schema.households>;
  household_members: Kyselify<typeof schema.householdMembers>;
  household_name_grams: Kyselify<typeof schema.householdNameGrams>;
  archives: Kyselify<typeof schema.archives>;
  archive_steps: Kyselify<typeof schema.archiveSteps>;
  publicity_objections: Kyselify<typeof schema.publicityObjections>;
  visits: Kyselify<typeof schema.visits>;
  duplicate_candidates: Kyselify<typeof schema.duplicateCandidates>;
  policy_parameters: Kyselify<typeof schema.policyParameters>;
  policy_rule_sets: Kyselify<typeof schema.policyRuleSets>;
  evaluation_policies: Kyselify<typeof schema.evaluationPolicies>;
  evaluations: Kyselify<typeof schema.evaluations>;
  current_evaluations: Kyselify<typeof schema.currentEvaluations>;
  household_rule_facts: Kyselify<typeof schema.householdRuleFacts>;
  income_records: Kyselify<typeof schema.incomeRecords>;
  ledger_entries: Kyselify<typeof schema.ledgerEntries>;
  ledger_totals: Kyselify<typeof schema.ledgerTotals>;
  funds: Kyselify<typeof schema.funds>;
  programs: Kyselify<typeof schema.programs>;
  grants: Kyselify<typeof schema.grants>;
  niangjia_migrations: {
    tag: string;
    hash: string;
    applied_at: ColumnType<Date, never, never>;
    id: Generated<number>;
  };
}
