import type { ImportProblem } from '@niangjia/contracts';

/** A sheet's place in `order` (the workbook's sheets as the template has them); any other comes after. */
function sheetRank(sheet: string, order: readonly string[]): number {
  const i = order.indexOf(sheet);
  return i === -1 ? order.length : i;
}

/**
 * Problems sorted by sheet (in `sheetOrder`, then by name), then row (a whole-sheet problem first),
 * keeping the server's order within a row.
 */
export function sortProblems(
  problems: readonly ImportProblem[],
  sheetOrder: readonly string[] = [],
): ImportProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        sheetRank(a.problem.sheet, sheetOrder) - sheetRank(b.problem.sheet, sheetOrder) ||
        a.problem.sheet.localeCompare(b.problem.sheet) ||
        (a.problem.row ?? 0) - (b.problem.row ?? 0) ||
        a.index - b.index,
    )
    .map(({ problem }) => problem);
}

/** Each sheet with its number of problems, in the order of `sorted`. */
export function sheetCounts(sorted: readonly ImportProblem[]): { sheet: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of sorted) counts.set(p.sheet, (counts.get(p.sheet) ?? 0) + 1);
  return [...counts].map(([sheet, count]) => ({ sheet, count }));
}

/** An import job's progress message, `家庭: 12000`: the sheet being read and its rows read so far. */
export function parseProgress(
  message: string | null | undefined,
): { sheet: string; rows: number } | undefined {
  const m = /^(.+?)\s*[:：]\s*(\d+)$/.exec(message ?? '');
  return m?.[1] && m[2] ? { sheet: m[1], rows: Number(m[2]) } : undefined;
}
