import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.NIANGJIA_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const root = join(import.meta.dirname, '..');
export const shots = join(root, 'test-results', 'e2e');

export interface Server {
  url: string;
  adminPassword: string;
  demoPassword: string;
  stop(): Promise<void>;
}

/** The real server, as `npm start` runs it, on a fresh data directory and a free port. */
export async function startServer(): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'niangjia-e2e-'));
  const adminPassword = 'e2e-admin-password';
  const demoPassword = 'e2e-demo-password';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'apps/server/bin/niangjia.mjs'), 'serve', '--demo-if-empty'],
    {
      env: {
        ...process.env,
        PORT: '0',
        NIANGJIA_DATA_DIR: dataDir,
        NIANGJIA_ADMIN_PASSWORD: adminPassword,
        NIANGJIA_DEMO_PASSWORD: demoPassword,
        DATABASE_URL: '',
        LOG_LEVEL: 'warn',
      },
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const check = () => {
      const m = /is listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    adminPassword,
    demoPassword,
    async stop() {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(shots, { recursive: true });
  const file = join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
