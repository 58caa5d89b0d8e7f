import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${holder.pid} on ${holder.host} ` +
        `("${holder.command}", since ${holder.since}). An embedded database belongs to one process at a ` +
        'time: stop that process first, or use the API of the running server. If that process no longer ' +
        `runs (for example on another host), delete ${join(dataDir, 'niangjia.lock')}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** Directories this process holds: a second open of one of them is refused like any other. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function parse(text: string | undefined): LockHolder | undefined {
  try {
    return text ? (JSON.parse(text) as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the holder can no longer be holding the directory. */
function stale(holder: LockHolder, dir: string): boolean {
  if (holder.host !== hostname()) return false;
  // Our own pid: a previous incarnation of this process (a restarted container often reuses it),
  // unless this very process holds the directory.
  if (holder.pid === process.pid) return !held.has(dir);
  return !alive(holder.pid);
}

/**
 * Takes the data directory for this process, or throws DataDirLockedError naming the holder.
 * The lock file is created atomically (O_EXCL). A stale lock (its process is gone) is taken over
 * by renaming it away first: of two processes racing for it only one rename succeeds, and a lock
 * renamed by mistake (created anew meanwhile) is put back. Returns the release function.
 */
export function lockDataDir(dataDir: string, command: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'niangjia.lock');
  const me: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      held.add(dataDir);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(dataDir);
        const holder = parse(readText(file));
        if (holder?.pid === me.pid && holder.since === me.since) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const text = readText(file);
    const holder = parse(text);
    if (text === undefined) continue; // released meanwhile
    if (!holder) {
      // Being written this very moment, or garbage left by a crash: look again shortly.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      if (readText(file) !== text) continue;
    } else if (!stale(holder, dataDir)) {
      throw new DataDirLockedError(dataDir, holder);
    }
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // another process took it over first
    }
    if (readText(aside) !== text) {
      // Not the stale lock we judged: somebody's fresh one. Put it back unless replaced again.
      try {
        linkSync(aside, file);
      } catch {
        // A newer lock is in place; this one's owner will find out when it releases.
      }
    }
    rmSync(aside, { force: true });
  }
  throw new Error(`could not lock the data directory ${dataDir}`);
}
