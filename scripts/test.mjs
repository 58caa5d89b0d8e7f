#!/usr/bin/env node
// `npm test`: the whole suite. Unit tests; the database tier on the embedded database and, when
// NIANGJIA_TEST_DATABASE_URL names a PostgreSQL server, on that server too; the browser journeys.
// A missing component is a loud warning locally and a failure under CI=true.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const ci = process.env.CI === 'true';
const missing = [];
if (!process.env.NIANGJIA_TEST_DATABASE_URL)
  missing.push('NIANGJIA_TEST_DATABASE_URL is not set: the database tier runs on the embedded database only');
const chromium = process.env.NIANGJIA_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) missing.push(`no Chromium at ${chromium}: the browser journeys cannot run`);
for (const m of missing)
  process.stderr.write(`\n*** ${ci ? 'MISSING (CI=true: failing)' : 'WARNING'}: ${m}\n`);
if (ci && missing.length) process.exit(1);

// The browser journeys serve the built web app.
if (!existsSync(`${root}apps/web/dist/index.html`)) {
  const build = spawnSync('npm', ['run', 'build', '--workspace', 'apps/web'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const res = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (missing.length) process.stderr.write(`\n*** Not everything ran: ${missing.join('; ')}\n`);
process.exit(res.status ?? 1);
