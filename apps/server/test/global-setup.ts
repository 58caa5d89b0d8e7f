import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, migrate } from '@niangjia/db';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** pglite: a tar image of a migrated database; postgres: the name of a migrated template database. */
    template: string;
  }
}

/**
 * Migrates once per run: every test file then starts from a copy, a fresh database of its own
 * (PGlite loads the image; PostgreSQL copies the template database).
 */
export default async function setup(project: TestProject) {
  const backend = project.config.env?.NIANGJIA_TEST_BACKEND;
  if (backend === 'postgres') {
    const url = process.env.NIANGJIA_TEST_DATABASE_URL as string;
    const name = `niangjia_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const db = await Database.open({ databaseUrl: u.toString(), dataDir: '', command: 'test' });
    await migrate(db);
    await db.close();
    project.provide('template', name);
    return async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const db = await Database.open({ dataDir: 'memory://', command: 'test' });
  await migrate(db);
  const image = await db.dump();
  await db.close();
  const dir = mkdtempSync(join(tmpdir(), 'niangjia-test-'));
  const file = join(dir, 'template.tar');
  writeFileSync(file, image);
  project.provide('template', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
