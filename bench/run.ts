// `npm run bench [-- --quick] [-- NAME...]`: runs the benchmarks of bench/ and writes each one's
// figures to bench/results/<name>.json (machine-readable) and bench/results/<name>.md (a table).
// --quick is a smoke run (fewer rows, shorter): its results go to <name>.quick.json/.md, so that
// the measured figures in the repository are never replaced by a smoke run's.
// --check exits with status 1 when a benchmark's target is not met.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { assistanceBench } from './assistance';
import type { Benchmark } from './lib';
import { policyBench } from './policy';
import { registryList } from './registry-list';
import { responsiveness } from './responsiveness';
import { surveyImport } from './survey-import';

// Every benchmark, in the order `npm run bench` runs them: a new one goes at the end.
const BENCHMARKS: Benchmark[] = [responsiveness, registryList, surveyImport, policyBench, assistanceBench];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const out = (text: string) => process.stdout.write(`${text}\n`);
const t0 = performance.now();
const log = (text: string) =>
  process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${text}\n`);

if (values.help) {
  out('usage: npm run bench [-- [--quick] [--check] [NAME...]]\n');
  for (const b of BENCHMARKS) out(`  ${b.name.padEnd(16)} ${b.description}`);
  process.exit(0);
}

const selected = positionals.length
  ? BENCHMARKS.filter((b) => positionals.some((p) => b.name.includes(p)))
  : BENCHMARKS;
if (selected.length === 0) {
  log(`no benchmark matches ${positionals.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const cpuList = cpus();
const environment = {
  node: process.version,
  platform: `${process.platform} ${release()} ${process.arch}`,
  cpuCount: cpuList.length,
  cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
  memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
};
const resultsDir = new URL('./results/', import.meta.url);
await mkdir(resultsDir, { recursive: true });

let failed = false;
for (const bench of selected) {
  const mode = values.quick ? 'quick' : 'full';
  log(`== ${bench.name} (${mode}): ${bench.description}`);
  const started = new Date();
  // The machine's load when the benchmark started: figures taken on a busy machine say so.
  const loadAverage1m = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const report = await bench.run({ quick: values.quick, log });
  const finished = new Date();
  const file = values.quick ? `${bench.name}.quick` : bench.name;

  const json = {
    benchmark: bench.name,
    description: bench.description,
    date: started.toISOString(),
    durationS: Math.round((finished.getTime() - started.getTime()) / 100) / 10,
    mode,
    environment: { ...environment, loadAverage1m },
    backend: report.backend,
    parameters: report.parameters,
    targets: report.targets,
    figures: report.figures,
  };
  await writeFile(new URL(`${file}.json`, resultsDir), `${JSON.stringify(json, null, 2)}\n`);

  const md = [
    `## ${bench.name}: ${bench.description}`,
    '',
    `${started.toISOString()} · ${mode} run · Node ${environment.node} · ${environment.cpuCount} × ${environment.cpuModel} · ` +
      `${environment.memoryGiB} GiB · ${environment.platform} · load average ${loadAverage1m} · ${report.backend}`,
    '',
    report.markdown,
    '',
  ].join('\n');
  await writeFile(new URL(`${file}.md`, resultsDir), md);

  for (const t of report.targets) {
    out(`${bench.name}: ${t.name}: ${t.met ? 'MET' : 'NOT MET'} (${t.measured}; target ${t.threshold})`);
    if (!t.met) failed = true;
  }
  out(`${bench.name}: results in bench/results/${file}.json and bench/results/${file}.md`);
}

if (failed && values.check) process.exit(1);
