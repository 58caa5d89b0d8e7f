// What a benchmark is, for bench/run.ts, and small helpers shared by the benchmarks.

export interface BenchOptions {
  /** A smoke run: fewer rows, shorter runs; its figures are not the measured ones. */
  quick: boolean;
  /** Progress lines for the person watching (stderr). */
  log(line: string): void;
}

export interface BenchReport {
  /** What was measured and how: row counts, durations, connections... */
  parameters: Record<string, unknown>;
  /** The database back end(s) measured. */
  backend: string;
  /** Every figure, machine-readable. */
  figures: Record<string, unknown>;
  /** The targets the benchmark checks, and whether each one held. */
  targets: { name: string; threshold: string; measured: string; met: boolean }[];
  /** The human-readable part of the report (Markdown, without the environment header). */
  markdown: string;
}

export interface Benchmark {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchReport>;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/** The value at percentile p (0–100) of ascending-sorted values, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** A Markdown table from a header row and body rows. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
