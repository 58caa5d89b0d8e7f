import type { ImportProblem } from '@niangjia/contracts';

/** The survey workbook's sheets in their order (TEMPLATES.md §1); any other sheet comes after them. */
const SHEET_ORDER = ['家庭', '家庭成员'];

function sheetRank(sheet: string): number {
  const i = SHEET_ORDER.indexOf(sheet);
  return i === -1 ? SHEET_ORDER.length : i;
}

/** Problems sorted by sheet (workbook order), then row (a whole-sheet problem first), keeping the server's order within a row. */
export function sortProblems(problems: readonly ImportProblem[]): ImportProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        sheetRank(a.problem.sheet) - sheetRank(b.problem.sheet) ||
        a.problem.sheet.localeCompare(b.problem.sheet) ||
        (a.problem.row ?? 0) - (b.problem.row ?? 0) ||
        a.index - b.index,
    )
    .map(({ problem }) => problem);
}

/** Each sheet with its number of problems, in workbook order. */
export function sheetCounts(sorted: readonly ImportProblem[]): { sheet: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of sorted) counts.set(p.sheet, (counts.get(p.sheet) ?? 0) + 1);
  return [...counts].map(([sheet, count]) => ({ sheet, count }));
}

/** The import job's progress message, `家庭: 12000`: the sheet being read and its rows read so far. */
export function parseProgress(
  message: string | null | undefined,
): { sheet: string; rows: number } | undefined {
  const m = /^(.+?)\s*[:：]\s*(\d+)$/.exec(message ?? '');
  return m?.[1] && m[2] ? { sheet: m[1], rows: Number(m[2]) } : undefined;
}
