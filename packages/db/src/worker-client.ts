import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';

/** An error raised by PostgreSQL inside the worker, with its SQLSTATE code kept. */
export class DatabaseError extends Error {
  code?: string;
  detail?: string;
  constraint?: string;
  constructor(e: { message: string; code?: string; detail?: string; constraint?: string }) {
    super(e.message);
    this.name = 'DatabaseError';
    this.code = e.code;
    this.detail = e.detail;
    this.constraint = e.constraint;
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export interface WorkerOptions {
  /** A directory (file-backed) or 'memory://'. */
  dataDir: string;
  /** A tar image made by `dump()` to start from (tests clone a migrated database this way). */
  loadDataDir?: Uint8Array;
  /** A transaction idle longer than this is rolled back, releasing the database. */
  txIdleTimeoutMs?: number;
}

/** The main thread's handle on the PGlite worker: one message per operation. */
export class PgliteWorkerClient {
  private worker: Worker;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private dead: Error | undefined;
  private rejectReady: ((err: Error) => void) | undefined;
  readonly ready: Promise<void>;

  constructor(options: WorkerOptions) {
    this.worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
      workerData: {
        dataDir: options.dataDir,
        loadDataDir: options.loadDataDir,
        txIdleTimeoutMs: options.txIdleTimeoutMs ?? 30_000,
      },
    });
    this.ready = new Promise((resolve, reject) => {
      this.rejectReady = reject;
      const onMessage = (msg: { ready?: boolean; error?: string }) => {
        if (msg.ready === undefined) return;
        this.worker.off('message', onMessage);
        if (msg.ready) resolve();
        else reject(new Error(`the embedded database failed to open: ${msg.error}`));
      };
      this.worker.on('message', onMessage);
    });
    this.worker.on('message', (msg: { id?: number; ok?: boolean; result?: unknown; error?: never }) => {
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new DatabaseError(msg.error ?? { message: 'unknown database error' }));
    });
    this.worker.on('error', (err) => this.die(err));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.die(new Error(`the embedded database worker exited (code ${code})`));
    });
  }

  /** The worker is gone: what waits fails now, and so does everything asked later. */
  private die(err: Error) {
    this.dead ??= err;
    this.rejectReady?.(err);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  call<T>(message: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the embedded database is closed'));
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  query(sql: string, params: readonly unknown[], tx?: number) {
    return this.call<{ rows: Record<string, unknown>[]; affectedRows: number }>({
      op: 'query',
      sql,
      params,
      tx,
    });
  }

  dump(): Promise<Uint8Array> {
    return this.call<Uint8Array>({ op: 'dump' });
  }

  async close() {
    if (this.closed) return;
    try {
      if (!this.dead) await this.call({ op: 'close' });
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }
}

class WorkerConnection implements DatabaseConnection {
  tx: number | undefined;
  constructor(private client: PgliteWorkerClient) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const res = await this.client.query(compiled.sql, compiled.parameters, this.tx);
    const isWrite = /^\s*(insert|update|delete|merge)/i.test(compiled.sql);
    return {
      rows: res.rows as R[],
      ...(isWrite ? { numAffectedRows: BigInt(res.affectedRows) } : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered by the worker protocol.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on the embedded database');
  }
}

/** A Kysely driver over the worker: a transaction is a channel in the worker holding PGlite's lock. */
class WorkerDriver implements Driver {
  constructor(private client: PgliteWorkerClient) {}
  async init() {
    await this.client.ready;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new WorkerConnection(this.client);
  }
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    const c = conn as WorkerConnection;
    const { tx } = await this.client.call<{ tx: number }>({ op: 'begin' });
    c.tx = tx;
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    const c = conn as WorkerConnection;
    const tx = c.tx;
    c.tx = undefined;
    await this.client.call({ op: 'commit', tx });
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    const c = conn as WorkerConnection;
    const tx = c.tx;
    c.tx = undefined;
    await this.client.call({ op: 'rollback', tx });
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.client.close();
  }
}

export class PgliteWorkerDialect implements Dialect {
  constructor(private client: PgliteWorkerClient) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return new WorkerDriver(this.client);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
