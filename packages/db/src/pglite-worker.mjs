// The embedded PostgreSQL (PGlite) runs here, in a worker thread, so that a long query never
// blocks the HTTP event loop of the main thread (see docs/decisions/0002-embedded-database-in-a-worker.md).
// Plain JavaScript on purpose: a worker is started by Node itself, without the TypeScript loader.
//
// Protocol (main → worker), each message with a numeric `id`, answered by { id, ok, result | error }:
//   { op: 'query', sql, params, tx? }  run one statement, inside transaction `tx` when given
//   { op: 'begin' }                    open a transaction; answers { tx }
//   { op: 'commit', tx } / { op: 'rollback', tx }
//   { op: 'dump' }                     the data directory as a tar Blob (tests clone databases with it)
//   { op: 'close' }
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';

const { dataDir, loadDataDir, txIdleTimeoutMs } = workerData;

// The same value types as the node-postgres pool (see client.ts): int8 as number when safe,
// numeric as string (exact), date as 'YYYY-MM-DD' string (a calendar date, never a Date).
const parsers = {
  [types.INT8]: (v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} exceeds the safe integer range`);
    return n;
  },
  [types.NUMERIC]: (v) => v,
  [types.DATE]: (v) => v,
};

const db = new PGlite({
  dataDir,
  parsers,
  ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir]) } : {}),
});

/** Open transactions: tx id → { queue of pending messages, wake-up function, timer }. */
const transactions = new Map();
let nextTx = 1;

function reply(id, result) {
  parentPort.postMessage({ id, ok: true, result });
}
function fail(id, error) {
  const e = error instanceof Error ? error : new Error(String(error));
  parentPort.postMessage({
    id,
    ok: false,
    error: {
      message: e.message,
      code: e.code,
      detail: e.detail,
      constraint: e.constraint,
      table: e.table,
      column: e.column,
    },
  });
}

async function run(target, sql, params) {
  const res = await target.query(sql, params ?? [], { rowMode: 'object' });
  return { rows: res.rows, affectedRows: res.affectedRows ?? 0 };
}

function beginTransaction(id) {
  const txId = nextTx++;
  const state = { queue: [], wake: null, timer: null, done: false };
  transactions.set(txId, state);
  const arm = () => {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.queue.push({ op: 'timeout' });
      state.wake?.();
    }, txIdleTimeoutMs);
  };
  // PGlite.transaction holds the database's lock until the callback settles: every other query
  // waits, which is what a transaction on a single-session database must do.
  let opened = false;
  db.transaction(async (tx) => {
    opened = true;
    reply(id, { tx: txId });
    arm();
    for (;;) {
      if (state.queue.length === 0) await new Promise((resolve) => (state.wake = resolve));
      const msg = state.queue.shift();
      if (msg.op === 'query') {
        // Idle means waiting for the main thread, not running a query: the clock stops meanwhile.
        clearTimeout(state.timer);
        try {
          reply(msg.id, await run(tx, msg.sql, msg.params));
        } catch (err) {
          fail(msg.id, err);
        }
        arm();
      } else if (msg.op === 'commit') {
        state.done = msg;
        return;
      } else if (msg.op === 'rollback' || msg.op === 'timeout') {
        state.done = msg;
        await tx.rollback();
        return;
      }
    }
  })
    .then(() => {
      const msg = state.done;
      if (msg && msg.op !== 'timeout') reply(msg.id, null);
    })
    .catch((err) => {
      // BEGIN itself failed: the caller still waits for its answer.
      if (!opened) return fail(id, err);
      const msg = state.done;
      if (msg && msg.op !== 'timeout') fail(msg.id, err);
    })
    .finally(() => {
      clearTimeout(state.timer);
      transactions.delete(txId);
    });
}

parentPort.on('message', async (msg) => {
  try {
    switch (msg.op) {
      case 'query': {
        if (msg.tx !== undefined) {
          const state = transactions.get(msg.tx);
          if (!state) throw new Error(`transaction ${msg.tx} is not open (timed out or finished)`);
          state.queue.push(msg);
          state.wake?.();
          return;
        }
        reply(msg.id, await run(db, msg.sql, msg.params));
        return;
      }
      case 'begin':
        beginTransaction(msg.id);
        return;
      case 'commit':
      case 'rollback': {
        const state = transactions.get(msg.tx);
        if (!state) throw new Error(`transaction ${msg.tx} is not open (timed out or finished)`);
        state.queue.push(msg);
        state.wake?.();
        return;
      }
      case 'dump': {
        const blob = await db.dumpDataDir('none');
        reply(msg.id, new Uint8Array(await blob.arrayBuffer()));
        return;
      }
      case 'close':
        await db.close();
        reply(msg.id, null);
        return;
      default:
        throw new Error(`unknown operation ${msg.op}`);
    }
  } catch (err) {
    fail(msg.id, err);
  }
});

db.waitReady.then(
  () => parentPort.postMessage({ ready: true }),
  (err) => parentPort.postMessage({ ready: false, error: String(err?.stack ?? err) }),
);
