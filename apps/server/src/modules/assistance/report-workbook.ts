import type { Writable } from 'node:stream';
import { AID_TYPES, type AssistanceReport, type AssistanceYearBy, FUND_SOURCES } from '@niangjia/contracts';
import ExcelJS from 'exceljs';

const label = (table: readonly { code: string; zh: string }[], code: string) =>
  table.find((e) => e.code === code)?.zh ?? code;

/**
 * Table 1 and its kin as a workbook: the years with their total and growth as the founding report
 * prints them, then the same per type of aid and per fund source. Amounts are yuan (two decimals).
 */
export async function writeAssistanceReport(
  target: Writable,
  report: AssistanceReport,
  title: string,
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const money = '#,##0.00';
  const years = wb.addWorksheet('年度');
  years.addRow([title]).font = { bold: true };
  years.addRow(['年份', '人次', '金额（元）']).font = { bold: true };
  for (const r of report.rows) years.addRow([r.year, r.personTimes, r.amountFen / 100]);
  years.addRow(['合计', report.total.personTimes, report.total.amountFen / 100]).font = { bold: true };
  const pct = (g: number | null) => (g === null ? '—' : g);
  const first = report.rows[0]?.year;
  const last = report.rows[report.rows.length - 1]?.year;
  const growth = years.addRow([
    `${last} 年较 ${first} 年增长`,
    pct(report.growth.personTimes),
    pct(report.growth.amount),
  ]);
  for (const c of [2, 3]) growth.getCell(c).numFmt = '0.0%';
  years.getColumn(1).width = 22;
  years.getColumn(2).width = 12;
  years.getColumn(3).width = 18;
  years.getColumn(3).numFmt = money;
  growth.getCell(3).numFmt = '0.0%';

  const by = (name: string, rows: AssistanceYearBy[], table: readonly { code: string; zh: string }[]) => {
    const sheet = wb.addWorksheet(name);
    sheet.addRow(['年份', name.replace('按', ''), '人次', '金额（元）']).font = { bold: true };
    for (const r of rows) sheet.addRow([r.year, label(table, r.code), r.personTimes, r.amountFen / 100]);
    sheet.getColumn(2).width = 14;
    sheet.getColumn(4).width = 18;
    sheet.getColumn(4).numFmt = money;
  };
  by('按帮扶类型', report.byType, AID_TYPES);
  by('按资金来源', report.byFund, FUND_SOURCES);
  await wb.xlsx.write(target);
}
