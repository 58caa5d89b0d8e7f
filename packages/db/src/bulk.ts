import { sql } from 'kysely';
import type { Tx } from './database';
import type { DB } from './types';

/** The SQL types a bulk insert's columns may have (what json_to_recordset converts JSON to). */
export type BulkColumnType =
  | 'uuid'
  | 'text'
  | 'bigint'
  | 'integer'
  | 'date'
  | 'boolean'
  | 'jsonb'
  | 'inet'
  | 'text[]';

/**
 * Inserts many rows with one parameter: the rows as a JSON array, expanded by json_to_recordset.
 * A multi-row VALUES list of 1,000 rows × 20 columns is 20,000 parameters to bind and parse (and, on
 * the embedded database, to pass to its worker); this is one string, whatever the count. Row-level
 * security, constraints and triggers apply as to any INSERT. Column names and types come from the
 * code, never from input. Rows come back in no particular order: match them by a key. The text
 * form (json, not jsonb) is read once, straight into the rows: jsonb would first build its binary
 * copy of the whole array (measured on the embedded database: 20 against 16 ms for 1,000 rows of
 * 24 columns).
 */
export async function bulkInsert<T extends keyof DB & string, K extends string>(
  tx: Tx,
  table: T,
  columns: Record<K, BulkColumnType>,
  rows: readonly Record<K, unknown>[],
  returning: readonly (keyof DB[T] & string)[] = [],
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const names = Object.keys(columns) as K[];
  const refs = sql.join(names.map((n) => sql.ref(n)));
  const definition = sql.raw(names.map((n) => `"${n}" ${columns[n]}`).join(', '));
  const back = returning.length ? sql` returning ${sql.join(returning.map((r) => sql.ref(r)))}` : sql``;
  const { rows: out } = await sql<Record<string, unknown>>`
    insert into ${sql.table(table)} (${refs})
    select ${refs} from json_to_recordset(${JSON.stringify(rows)}::json) as x(${definition})${back}`.execute(
    tx,
  );
  return out;
}
