import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './lock';
import type { DB } from './types';
import { PgliteWorkerClient, PgliteWorkerDialect } from './worker-client';

export type Tx = Transaction<DB>;

export interface DatabaseOptions {
  /** A PostgreSQL server (15 or newer); when absent, the embedded database is used. */
  databaseUrl?: string;
  /** Where the embedded database keeps its files; 'memory://' for a throw-away database. */
  dataDir: string;
  /** What this process is, written in the data directory's lock for whoever finds it taken. */
  command: string;
  /** Start the embedded database from an image made by `dump()` (tests). */
  loadDataDir?: Uint8Array;
  poolSize?: number;
  /** Embedded only: a transaction waiting this long for its next statement is rolled back. */
  txIdleTimeoutMs?: number;
}

/** What a signed-in user's transaction is limited to: its organisation's subtree. */
export interface Scope {
  userId: string;
  /** The path of the user's organisation, e.g. '/000000/640000/640100/640104/'. */
  orgPath: string;
}

// node-postgres value types, matched by the embedded worker's parsers (pglite-worker.mjs).
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8)
      return (v: string) => {
        const n = Number(v);
        if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} exceeds the safe integer range`);
        return n;
      };
    if (oid === NUMERIC || oid === DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
};

export class Database {
  private constructor(
    readonly kind: 'embedded' | 'server',
    /** Unscoped access as the schema owner: for migrations, sign-in and the CLI only. */
    readonly kysely: Kysely<DB>,
    private readonly worker: PgliteWorkerClient | undefined,
    private readonly release: () => void,
  ) {}

  static async open(options: DatabaseOptions): Promise<Database> {
    if (options.databaseUrl) {
      const pool = new pg.Pool({
        connectionString: options.databaseUrl,
        max: options.poolSize ?? 10,
        types: pgTypes,
        // A transaction left open by a crashed request must not hold locks forever.
        idle_in_transaction_session_timeout: 30_000,
        application_name: 'niangjia',
      });
      // A client that breaks while idle (server restart, terminated backend) is dropped by the
      // pool and replaced at the next query; without a listener the error would end the process.
      pool.on('error', (err) => console.warn(`database connection lost while idle: ${err.message}`));
      const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
      try {
        await sql`select 1`.execute(kysely);
      } catch (err) {
        await kysely.destroy();
        throw new Error(`cannot reach the PostgreSQL server of DATABASE_URL: ${(err as Error).message}`);
      }
      return new Database('server', kysely, undefined, () => {});
    }
    const memory = options.dataDir.startsWith('memory://');
    const release = memory ? () => {} : lockDataDir(options.dataDir, options.command);
    try {
      const worker = new PgliteWorkerClient({
        dataDir: memory ? options.dataDir : `${options.dataDir}/pgdata`,
        loadDataDir: options.loadDataDir,
        txIdleTimeoutMs: options.txIdleTimeoutMs,
      });
      await worker.ready;
      const kysely = new Kysely<DB>({ dialect: new PgliteWorkerDialect(worker) });
      return new Database('embedded', kysely, worker, release);
    } catch (err) {
      release();
      throw err;
    }
  }

  /**
   * Runs `fn` in one transaction limited to the scope: as the role niangjia_app, whose row-level
   * security policies (migrations/0001_security.sql) hide and refuse every row outside the
   * organisation's subtree. This is the only handle request code gets.
   */
  scoped<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.kysely.transaction().execute(async (tx) => {
      // One statement (one round trip): set_config('role', …, true) is SET LOCAL ROLE.
      await sql`select set_config('niangjia.org_path', ${scope.orgPath}, true), set_config('niangjia.user_id', ${scope.userId}, true), set_config('role', 'niangjia_app', true)`.execute(
        tx,
      );
      return fn(tx);
    });
  }

  /** One transaction without a scope (sign-in, sessions, start-up, the operator's CLI). */
  system<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.kysely.transaction().execute(fn);
  }

  /** The embedded database's files as a tar image (to clone a migrated database in tests). */
  dump(): Promise<Uint8Array> {
    if (!this.worker) throw new Error('dump() is only for the embedded database');
    return this.worker.dump();
  }

  async close(): Promise<void> {
    try {
      await this.kysely.destroy();
    } finally {
      this.release();
    }
  }
}
