#!/usr/bin/env node
// Fails when packages/db/src/schema.ts has changes that no committed migration holds:
// generated files are never edited by hand, and never forgotten.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const res = spawnSync('npx', ['drizzle-kit', 'generate', '--config', 'packages/db/drizzle.config.ts'], {
  cwd: root,
  encoding: 'utf8',
});
const out = `${res.stdout}${res.stderr}`;
if (res.status !== 0) {
  process.stderr.write(out);
  process.exit(1);
}
if (!/No schema changes/i.test(out)) {
  process.stderr.write(
    `${out}\nThe schema has changes without a migration: drizzle-kit just generated one (see git status). Commit it.\n`,
  );
  process.exit(1);
}
process.stdout.write('Migrations match the schema.\n');
