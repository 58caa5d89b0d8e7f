/**
 * By hand: writes a survey workbook of N households (default 100,000) and one member each with the
 * streaming writer, reads it back with the streaming reader, and prints time, peak RSS and peak
 * heap of each phase. Run with --expose-gc for comparable heap figures:
 *
 *   node --expose-gc --import tsx apps/server/src/modules/registry/workbook/measure.ts [N]
 *
 * Figures, not assertions (STYLE.md: speed is measured, never asserted by a timed test).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleHousehold, sampleMember } from './generate';
import { readWorkbook } from './reader';
import { SURVEY_HOUSEHOLDS, SURVEY_MEMBERS, SURVEY_WORKBOOK } from './sheet-spec';
import { writeWorkbook } from './writer';

const count = Number(process.argv[2] ?? 100_000);

function* range<T>(n: number, f: (i: number) => T): Generator<T> {
  for (let i = 0; i < n; i++) yield f(i);
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function phase(name: string, run: () => Promise<string>): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const start = performance.now();
  const detail = await run();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  const after = process.memoryUsage();
  peakRss = Math.max(peakRss, after.rss);
  peakHeap = Math.max(peakHeap, after.heapUsed);
  process.stdout.write(
    `${name}: ${seconds.toFixed(1)} s; RSS ${mib(before.rss)} → peak ${mib(peakRss)}; ` +
      `heap used ${mib(before.heapUsed)} → peak ${mib(peakHeap)}; ${detail}\n`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'niangjia-workbook-'));
const file = join(dir, 'survey.xlsx');
try {
  await phase(`write ${count} households + ${count} members`, async () => {
    await writeWorkbook(file, [
      { spec: SURVEY_HOUSEHOLDS, rows: range(count, sampleHousehold) },
      { spec: SURVEY_MEMBERS, rows: range(count, sampleMember) },
    ]);
    return `file ${mib((await stat(file)).size)}`;
  });
  await phase('read', async () => {
    const rows: Record<string, number> = {};
    let errors = 0;
    let issues = 0;
    for await (const event of readWorkbook(file, SURVEY_WORKBOOK, { today: '2026-01-01' })) {
      if (event.type === 'row') {
        rows[event.sheet] = (rows[event.sheet] ?? 0) + 1;
        errors += event.errors.length;
      } else if (event.type === 'issue') {
        issues++;
      }
    }
    return `rows ${JSON.stringify(rows)}, cell errors ${errors}, sheet issues ${issues}`;
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    // Peak heap above counts garbage V8 has not collected yet; this is what reading keeps alive.
    await phase('read again, collecting garbage every 10,000 rows', async () => {
      gc();
      const base = process.memoryUsage().heapUsed;
      let live = base;
      let n = 0;
      for await (const _ of readWorkbook(file, SURVEY_WORKBOOK, { today: '2026-01-01' })) {
        if (++n % 10_000 === 0) {
          gc();
          live = Math.max(live, process.memoryUsage().heapUsed);
        }
      }
      return `live heap after GC at most ${mib(live)} (${mib(live - base)} above the start)`;
    });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
