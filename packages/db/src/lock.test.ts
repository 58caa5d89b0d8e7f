import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './lock';

const dir = mkdtempSync(join(tmpdir(), 'niangjia-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded data directory belongs to one process', () => {
  it('refuses a second holder and names the first', () => {
    const release = lockDataDir(dir, 'niangjia serve');
    try {
      // Another process: the CLI while the server runs.
      const child = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import('${join(import.meta.dirname, 'lock.ts')}').then(m => m.lockDataDir(${JSON.stringify(dir)}, 'niangjia migrate'))`,
        ],
        { encoding: 'utf8' },
      );
      expect(child.status).not.toBe(0);
      expect(child.stderr).toContain(`in use by process ${process.pid} on ${hostname()}`);
      expect(child.stderr).toContain('niangjia serve');
      expect(() => lockDataDir(dir, 'again')).toThrow(DataDirLockedError);
    } finally {
      release();
    }
    const again = lockDataDir(dir, 'niangjia migrate');
    again();
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const file = join(dir, 'niangjia.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(
      file,
      JSON.stringify({ pid: Number(dead.stdout), host: hostname(), command: 'crashed', since: 'then' }),
    );
    const release = lockDataDir(dir, 'niangjia serve');
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    release();
  });
});
