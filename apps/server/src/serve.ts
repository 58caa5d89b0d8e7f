import { Database, migrate } from '@niangjia/db';
import { buildApp } from './app';
import type { Config } from './config';
import { runDemo } from './demo';
import { jobHandlers } from './jobs/handlers';
import { JobRunner } from './jobs/runner';
import { bootstrap, print, sessionSecret } from './operator';

/** Starts the server: database, migrations, first-start set-up, HTTP; stops cleanly on SIGTERM. */
export async function serve(config: Config, { demoIfEmpty = false } = {}): Promise<void> {
  const db = await Database.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    command: 'niangjia serve',
    poolSize: config.poolSize,
  });
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let runner: JobRunner | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app?.log.info({ signal }, 'shutting down: finishing requests in flight');
    // Refuse to hang: a stuck request must not keep the data directory locked forever.
    const force = setTimeout(() => {
      console.error('shutdown took longer than 15 s: exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await app?.close();
      // The job running now finishes; a queued one waits for the next start.
      await runner?.stop();
    } finally {
      await db.close();
      clearTimeout(force);
    }
    process.exit(0);
  };
  // `on`, not `once`: a second signal (Ctrl-C reaches both `npm start` and this process) must not
  // fall back to the default action and kill the process halfway through its shutdown.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  try {
    const applied = await migrate(db);
    if (applied.length) print(`Database migrated: ${applied.join(', ')}`);
    const { fresh } = await bootstrap(db, config);
    // The demo world, with its published passwords, only ever on an empty embedded database:
    // never on a server database, which is what production runs on.
    if (fresh && demoIfEmpty && !config.databaseUrl) await runDemo(db, config, 'system');
    else if (fresh && demoIfEmpty)
      print('A server database gets no demo world by itself: run `niangjia demo` if you want one.');
    app = await buildApp({ config, db, sessionSecret: await sessionSecret(db, config) });
    await app.listen({ port: config.port, host: config.host });
    runner = new JobRunner(db, jobHandlers, app.log);
    runner.start();
    const where = config.databaseUrl ? 'PostgreSQL server' : `embedded database in ${config.dataDir}`;
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    print(`niangjia is listening on http://${config.host}:${port} (${where})`);
  } catch (err) {
    await app?.close().catch(() => {});
    await db.close();
    throw err;
  }
}
