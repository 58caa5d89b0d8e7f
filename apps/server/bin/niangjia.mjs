#!/usr/bin/env node
// The `niangjia` command. The server runs its TypeScript through tsx (docs/decisions/0001-typescript-on-node-20.md).
//
// It runs with V8's heap tuned for reading workbooks, with flags V8 takes only when it starts, so the
// command starts itself again with them:
// - a larger young generation (semi-space, 16 MiB by default): reading a workbook allocates and
//   drops a few objects per cell, and with the default size a 100,000-household import spent a
//   fifth of its time collecting garbage (65 s of CPU; 47 s with 32 MiB, same peak memory);
// - an old generation allowed to grow to 1.5 times what the last full collection kept (V8 allows up
//   to 4 times): that import keeps about 100 MiB alive, yet its heap grew past 400 MiB before a
//   full collection; its peak went from about 1,000 to 750 MiB, for a few percent more CPU. No hard
//   limit: a bigger file may keep more.
import { spawn } from 'node:child_process';

const HEAP_FLAGS = ['--max-semi-space-size=32', '--heap-growing-percent=50'];

if (process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
  // Started by the first process below: when that one dies without passing a signal on (killed
  // outright), this one stops as if told to, rather than run on holding the port and the data.
  if (process.channel) {
    process.channel.unref();
    process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli.ts');
  await main(process.argv);
} else {
  const child = spawn(process.execPath, [...process.execArgv, ...HEAP_FLAGS, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  child.on('error', (err) => {
    console.error(`niangjia: cannot start ${process.execPath}: ${err.message}`);
    process.exit(1);
  });
  // The command is the child: signals go to it, its exit is this one's. (A terminal's Ctrl-C reaches
  // both: the child then gets SIGINT twice; `serve` stops once whatever it is sent.)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
