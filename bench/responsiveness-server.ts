// The server side of the responsiveness benchmark (bench/responsiveness.ts starts it as a child
// process, so that the load generator's own work never runs on the event loop being measured).
//
//   node --import tsx bench/responsiveness-server.ts --mode worker|main-thread --rows N --dir DIR
//
// It loads N rows into a bench-only table, builds the real app (buildApp) with two bench-only
// routes added, listens on an ephemeral port of 127.0.0.1 and prints one JSON line on stdout:
// { "ready": true, "port": ..., ... }. It stops on SIGTERM, or when its stdin closes (the parent died).
//
// --mode worker       the design niangjia uses: the embedded database (PGlite) in its worker thread,
//                     the aggregate sent through db.kysely.
// --mode main-thread  the design NOT used, for contrast: a PGlite opened on this process's main
//                     thread (the HTTP thread), the aggregate run on it directly.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { Database, migrate, sql } from '@niangjia/db';
import { buildApp } from '../apps/server/src/app';
import { loadConfig } from '../apps/server/src/config';

const AGGREGATE_SQL =
  'select district, year, count(*) as n, sum(amount_fen) as total_fen from bench_rows group by district, year';

const CREATE_SQL = 'create table bench_rows (id bigint, district int, year int, amount_fen bigint)';
// 120 districts × 10 years = 1,200 groups; amounts spread deterministically (Knuth's multiplier).
const fillSql = (rows: number) =>
  `insert into bench_rows (id, district, year, amount_fen)
   select i, 1 + i % 120, 2016 + (i / 120) % 10, (i * 2654435761) % 10000000
   from generate_series(1, ${rows}) as i`;

interface Backend {
  /** Runs one SQL statement (without parameters) on the bench database. */
  exec(text: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const { values } = parseArgs({
  options: {
    mode: { type: 'string' },
    rows: { type: 'string' },
    dir: { type: 'string' },
  },
});
const mode = values.mode;
const rows = Number(values.rows);
const dir = values.dir;
if ((mode !== 'worker' && mode !== 'main-thread') || !Number.isSafeInteger(rows) || rows < 1 || !dir) {
  process.stderr.write('usage: responsiveness-server.ts --mode worker|main-thread --rows N --dir DIR\n');
  process.exit(2);
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

async function main(mode: 'worker' | 'main-thread', dir: string) {
  // The app's own database: the bench table lives in it in worker mode; in main-thread mode it is
  // an idle in-memory one (buildApp needs a Database), and the bench table lives in a PGlite here.
  const db = await Database.open(
    mode === 'worker' ? { dataDir: dir, command: 'bench' } : { dataDir: 'memory://', command: 'bench' },
  );
  await migrate(db);

  let backend: Backend;
  if (mode === 'worker') {
    backend = {
      exec: async (text) => (await sql.raw<Record<string, unknown>>(text).execute(db.kysely)).rows,
      close: () => db.close(),
    };
  } else {
    const pg = new PGlite({ dataDir: `${dir}/pgdata-main-thread` });
    await pg.waitReady;
    backend = {
      exec: async (text) => (await pg.query<Record<string, unknown>>(text)).rows,
      close: async () => {
        await pg.close();
        await db.close();
      },
    };
  }

  const loadStart = performance.now();
  await backend.exec(CREATE_SQL);
  await backend.exec(fillSql(rows));
  await backend.exec('analyze bench_rows');
  const loadMs = performance.now() - loadStart;
  const [size] = await backend.exec(
    "select pg_total_relation_size('bench_rows') as bytes, (select count(*) from bench_rows) as n",
  );
  if (Number(size?.n) !== rows) throw new Error(`bench_rows holds ${size?.n} rows, expected ${rows}`);

  // Five aggregates alone, one after the other: the query's own duration, without contention.
  const aloneMs: number[] = [];
  let groups = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    groups = (await backend.exec(AGGREGATE_SQL)).length;
    aloneMs.push(round2(performance.now() - t0));
  }

  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    db,
    sessionSecret: 'bench-session-secret-not-a-secret-0123456789',
    logger: false,
  });

  // --- Bench-only routes, added after buildApp and before listen (Fastify accepts routes until ready).
  const stats = { started: 0, completed: 0, failed: 0, inFlight: 0, busyMs: 0, busySince: 0 };
  app.get('/bench/aggregate', { config: { access: 'public' } }, async () => {
    const t0 = performance.now();
    if (stats.inFlight++ === 0) stats.busySince = t0;
    stats.started++;
    try {
      const result = await backend.exec(AGGREGATE_SQL);
      stats.completed++;
      return { groups: result.length, ms: round2(performance.now() - t0) };
    } catch (err) {
      stats.failed++;
      throw err;
    } finally {
      if (--stats.inFlight === 0) stats.busyMs += performance.now() - stats.busySince;
    }
  });

  // The server's own view: event-loop delay and utilisation since the last
  // reset, aggregate counters, memory. `?reset=1` starts a new window.
  // The histogram records the interval between the monitor's timer ticks, so the resolution is
  // subtracted to report the delay itself.
  const RESOLUTION_MS = 10;
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const lateMs = (ns: number) => round2(Math.max(0, ns / 1e6 - RESOLUTION_MS));
  delay.enable();
  let eluMark = performance.eventLoopUtilization();
  app.get<{ Querystring: { reset?: string } }>(
    '/bench/stats',
    { config: { access: 'public' } },
    async (req) => {
      const now = performance.now();
      const elu = performance.eventLoopUtilization(eluMark);
      const mem = process.memoryUsage();
      const out = {
        aggregates: {
          started: stats.started,
          completed: stats.completed,
          failed: stats.failed,
          inFlight: stats.inFlight,
          busyMs: round2(stats.busyMs + (stats.inFlight > 0 ? now - stats.busySince : 0)),
        },
        eventLoop: {
          delayP50Ms: lateMs(delay.percentile(50)),
          delayP99Ms: lateMs(delay.percentile(99)),
          delayMaxMs: lateMs(delay.max),
          utilization: round2(elu.utilization),
        },
        memory: {
          rssMiB: mib(mem.rss),
          heapUsedMiB: mib(mem.heapUsed),
          externalMiB: mib(mem.external),
          arrayBuffersMiB: mib(mem.arrayBuffers),
          maxRssMiB: mib(process.resourceUsage().maxRSS * 1024),
        },
        atMs: round2(now),
      };
      if (req.query.reset) {
        delay.reset();
        eluMark = performance.eventLoopUtilization();
      }
      return out;
    },
  );

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await app.close();
    } finally {
      await backend.close();
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();

  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      port: address.port,
      mode,
      rows,
      loadMs: round2(loadMs),
      tableMiB: mib(Number(size?.bytes)),
      groups,
      aggregateAloneMs: aloneMs,
      aggregateSql: AGGREGATE_SQL,
    })}\n`,
  );
}

main(mode, dir).catch((err: unknown) => {
  process.stderr.write(`responsiveness-server: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
