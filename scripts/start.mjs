#!/usr/bin/env node
// `npm start`: builds the web app when it has not been built, then serves niangjia. On an empty
// embedded database the server creates the admin user and the demo world (serve --demo-if-empty).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(`${root}apps/web/dist/index.html`)) {
  process.stdout.write('Building the web app (first start only)...\n');
  const build = spawnSync('npm', ['run', 'build', '--workspace', 'apps/web'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const server = spawn(
  process.execPath,
  [`${root}apps/server/bin/niangjia.mjs`, 'serve', '--demo-if-empty', ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// Whoever stops `npm start` stops the server, which then shuts down gracefully.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
