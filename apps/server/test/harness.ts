import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Database } from '@niangjia/db';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app';
import { type Config, loadConfig } from '../src/config';
import { type DemoOptions, runDemo } from '../src/demo';
import { bootstrap, sessionSecret } from '../src/operator';

export const backend = process.env.NIANGJIA_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';
export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const DEMO_PASSWORD = 'demo-password-for-tests';

/** A fresh, migrated database of its own for one test file, on the backend of this test project. */
export async function freshDatabase(): Promise<Database & { [Symbol.asyncDispose]?: never }> {
  if (backend === 'postgres') {
    const url = process.env.NIANGJIA_TEST_DATABASE_URL as string;
    const name = `niangjia_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject('template')}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const db = await Database.open({ databaseUrl: u.toString(), dataDir: '', command: 'test' });
    const close = db.close.bind(db);
    db.close = async () => {
      await close();
      // The pool's connections end a moment after close(): wait for them rather than kill them.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`drop database if exists ${name}`);
          break;
        } catch (err) {
          if (attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await admin.end();
    };
    return db;
  }
  return Database.open({
    dataDir: 'memory://',
    command: 'test',
    loadDataDir: new Uint8Array(readFileSync(inject('template'))),
  });
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NIANGJIA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    NIANGJIA_DEMO_PASSWORD: DEMO_PASSWORD,
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  config: Config;
  /** Signs in and returns the cookie header to send with later requests. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The app on a fresh database with the admin and the demo world, as `npm start` makes it, but
 * without the demo's households (thousands of them) unless `demo.households` asks for them.
 */
export async function testApp(
  overrides: Record<string, string> = {},
  demo: DemoOptions = { households: false },
): Promise<TestApp> {
  const db = await freshDatabase();
  const config = testConfig(overrides);
  const quiet = process.stdout.write;
  // bootstrap and the demo print for the operator; the test output stays clean.
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await bootstrap(db, config);
    await runDemo(db, config, undefined, demo);
  } finally {
    process.stdout.write = quiet;
  }
  const app = await buildApp({ config, db, sessionSecret: await sessionSecret(db, config), logger: false });
  await app.ready();
  return {
    app,
    db,
    config,
    async login(username, password) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: password ?? (username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD) },
        // Each sign-in from its own address, so that address throttling of one test spares the others.
        remoteAddress: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`,
      });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'niangjia_session');
      if (!cookie) throw new Error('no session cookie');
      return `niangjia_session=${cookie.value}`;
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}
