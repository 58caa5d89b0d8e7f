/**
 * A what-if simulation as a workbook (issue 4): the summary of both sides with the breakdowns, and
 * the households whose decision differs, in Chinese, streamed while it is written.
 */
import type { Writable } from 'node:stream';
import { ARCHIVE_CATEGORIES, HARDSHIP_CAUSES, labelOf, RULE_SETS } from '@niangjia/contracts';
import type { PolicyProposal, SimulationResult } from '@niangjia/domain';
import ExcelJS from 'exceljs';

/** The most changed households a workbook lists (the summary counts them all). */
export const EXPORT_ROWS = 50_000;

const outcome = (code: string) =>
  code === 'ineligible' ? '不符合认定条件' : labelOf(ARCHIVE_CATEGORIES, code);
const yuan = (fen: number) => fen / 100;
const ruleSet = (p: PolicyProposal) => RULE_SETS.find((r) => r.code === p.ruleSet)?.zh ?? p.ruleSet;

interface WorkbookWriterInternals {
  stream: Writable;
}

export async function writeSimulationWorkbook(
  target: NodeJS.WritableStream,
  result: SimulationResult,
  request: { base: PolicyProposal; proposal: PolicyProposal; asOf: string; org: string },
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: target as Writable,
    useStyles: true,
    useSharedStrings: false,
  });
  const output = (workbook as unknown as WorkbookWriterInternals).stream;
  const summary = workbook.addWorksheet('汇总');
  summary.columns = [{ width: 28 }, { width: 22 }, { width: 22 }];
  const title = (text: string) => {
    const row = summary.addRow([text]);
    row.font = { bold: true };
    row.commit();
  };
  const line = (cells: (string | number)[]) => summary.addRow(cells).commit();
  title(`标准测算（${request.org}，截至${request.asOf}）`);
  line(['', '现行办法', '调整方案']);
  line(['认定办法', ruleSet(request.base), ruleSet(request.proposal)]);
  line(['参数调整', JSON.stringify(request.base.parameters), JSON.stringify(request.proposal.parameters)]);
  line(['参与测算的家庭（户）', result.population, result.population]);
  line(['符合认定条件（户）', result.base.eligible, result.proposal.eligible]);
  line(['年度生活救助估算（元）', yuan(result.base.costFen), yuan(result.proposal.costFen)]);
  line(['新纳入（户）', '', result.entering]);
  line(['退出（户）', '', result.leaving]);
  line([]);
  title('各类别户数');
  const categories = [
    ...new Set([...Object.keys(result.base.byCategory), ...Object.keys(result.proposal.byCategory)]),
  ];
  for (const c of categories)
    line([outcome(c), result.base.byCategory[c] ?? 0, result.proposal.byCategory[c] ?? 0]);
  for (const [name, table, label] of [
    ['按类别的新纳入与退出', result.breakdown.category, outcome],
    [
      '按主要致困原因的新纳入与退出',
      result.breakdown.cause,
      (c: string) => (c === 'none' ? '未填' : labelOf(HARDSHIP_CAUSES, c)),
    ],
    ['按工会的新纳入与退出', result.breakdown.org, (c: string) => c],
    [
      '按是否农民工的新纳入与退出',
      result.breakdown.migrant,
      (c: string) => (c === 'migrant' ? '农民工' : '非农民工'),
    ],
  ] as const) {
    line([]);
    title(name);
    line(['', '新纳入', '退出']);
    for (const [key, v] of Object.entries(table)) line([label(key), v.entering, v.leaving]);
  }
  summary.commit();

  const changed = workbook.addWorksheet('结论变化的家庭', { views: [{ state: 'frozen', ySplit: 1 }] });
  changed.columns = [
    { width: 12 },
    { width: 14 },
    { width: 10 },
    { width: 18 },
    { width: 22 },
    { width: 22 },
  ];
  const header = changed.addRow([
    '户主',
    '所属工会',
    '农民工',
    '主要致困原因',
    '现行办法结论',
    '调整方案结论',
  ]);
  header.font = { bold: true };
  header.commit();
  for (const r of result.rows) {
    changed
      .addRow([
        r.household.headName,
        r.household.orgCode,
        r.household.migrant ? '是' : '否',
        r.household.primaryCause ? labelOf(HARDSHIP_CAUSES, r.household.primaryCause) : '',
        outcome(r.base),
        outcome(r.proposal),
      ])
      .commit();
  }
  if (result.changedCount > result.rows.length)
    changed.addRow([`共${result.changedCount}户，此处列出前${result.rows.length}户`]).commit();
  changed.commit();
  const done = new Promise<void>((resolve, reject) => {
    output.once('finish', resolve);
    output.once('error', reject);
  });
  await workbook.commit();
  await done;
}
