export { type RawBuilder, sql } from 'kysely';
export { type BulkColumnType, bulkInsert } from './bulk';
export { Database, type DatabaseOptions, type Scope, type Tx } from './database';
export { DataDirLockedError, type LockHolder } from './lock';
export { listMigrations, MigrationError, migrate, pendingMigrations } from './migrate';
export type { DB } from './types';
export { DatabaseError } from './worker-client';

/** PostgreSQL's unique_violation (23505), from either backend. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}

/** A LIKE pattern matching `text` anywhere, its own % _ and \\ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
