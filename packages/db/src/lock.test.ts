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

describe('lock edge cases', () => {
  it('takes over a lock carrying its own pid left by an earlier incarnation, but never its own live lock', () => {
    const d = mkdtempSync(join(tmpdir(), 'niangjia-lock-own-'));
    writeFileSync(
      join(d, 'niangjia.lock'),
      JSON.stringify({ pid: process.pid, host: hostname(), command: 'before restart', since: 'then' }),
    );
    const release = lockDataDir(d, 'after restart');
    expect(() => lockDataDir(d, 'twice')).toThrow(DataDirLockedError);
    release();
    rmSync(d, { recursive: true, force: true });
  });

  it('names a holder on another host and tells how to clear it', () => {
    const d = mkdtempSync(join(tmpdir(), 'niangjia-lock-host-'));
    writeFileSync(
      join(d, 'niangjia.lock'),
      JSON.stringify({ pid: 1, host: 'elsewhere', command: 'serve', since: 'x' }),
    );
    expect(() => lockDataDir(d, 'here')).toThrow(/process 1 on elsewhere.*delete .*niangjia\.lock/s);
    rmSync(d, { recursive: true, force: true });
  });
});
