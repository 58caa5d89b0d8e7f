import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCharacter } from '@niangjia/domain';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, type Server, screenshot, startServer } from './harness';

/**
 * The journey: a caseworker imports a survey workbook from the browser, sees a rejected row
 * explained by sheet, row and column, fixes the file, imports it, and carries one imported household
 * through publicity (the manager approving) to archived; then prints its archive form.
 */
const ci = process.env.CI === 'true';
const id = (birth: string, seq: number) => {
  const first17 = `640104${birth}${String(seq).padStart(3, '0')}`;
  return `${first17}${checkCharacter(first17)}`;
};
/** The same number with another check character: a typing mistake the import must explain. */
const mistyped = (idNumber: string) => `${idNumber.slice(0, 17)}${idNumber.endsWith('1') ? '2' : '1'}`;
const shift = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

const HOUSEHOLD_HEADERS = [
  '户主姓名',
  '户主身份证号',
  '联系电话',
  '所属工会',
  '户口类型',
  '是否农民工',
  '住房类型',
  '工资性收入',
  '转移净收入',
  '医疗支出',
  '主要致困原因',
  '次要致困原因',
  '调查日期',
  '调查人',
];
const MEMBER_HEADERS = ['户主身份证号', '姓名', '身份证号', '与户主关系', '健康状况', '就业就学状况'];

const good = {
  name: '冯志远',
  idNumber: id('19690417', 913),
  member: '冯佳怡',
  memberId: id('20070925', 924),
};
const other = {
  name: '蒋丽娟',
  idNumber: id('19740311', 935),
  member: '蒋浩',
  memberId: id('20030106', 946),
};
const surveyDate = shift(today, -60);

/**
 * A survey workbook as an office fills it in (exceljs, Excel's own format): ID numbers typed as
 * text, amounts in yuan. `headId` is what was typed for the second household's head.
 */
async function surveyWorkbook(file: string, otherHeadId: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const households = workbook.addWorksheet('家庭');
  households.addRow(HOUSEHOLD_HEADERS);
  households.addRow([
    good.name,
    good.idNumber,
    '13995112233',
    '640104001',
    '城镇',
    '否',
    '租赁',
    14400,
    1200,
    3600.5,
    '6',
    '9',
    surveyDate,
    '李帮扶',
  ]);
  households.addRow([
    other.name,
    otherHeadId,
    '13995114455',
    '640104001',
    '农村',
    '是',
    '借住',
    9600,
    0,
    0,
    '4',
    '',
    surveyDate,
    '李帮扶',
  ]);
  const members = workbook.addWorksheet('家庭成员');
  members.addRow(MEMBER_HEADERS);
  members.addRow([good.idNumber, good.member, good.memberId, '子女', '健康', '在校']);
  members.addRow([otherHeadId, other.member, other.memberId, '子女', '健康', '在职']);
  // Typed as text, as the instructions ask: no scientific notation, no lost X.
  for (const sheet of [households, members])
    for (const column of [1, 2, 3]) sheet.getColumn(column).numFmt = '@';
  await workbook.xlsx.writeFile(file);
  return file;
}

async function headersOf(file: string): Promise<Record<string, string[]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const out: Record<string, string[]> = {};
  for (const sheet of workbook.worksheets) {
    const values = sheet.getRow(1).values as unknown[];
    out[sheet.name] = values.filter((v) => v !== undefined && v !== null).map(String);
  }
  return out;
}

/** Each sheet's data rows as header → text. */
async function rowsOf(file: string): Promise<Record<string, Record<string, string>[]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const out: Record<string, Record<string, string>[]> = {};
  for (const sheet of workbook.worksheets) {
    const headers = sheet.getRow(1).values as unknown[];
    const rows: Record<string, string>[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const entry: Record<string, string> = {};
      row.eachCell((cell, c) => {
        entry[String(headers[c])] = cell.text;
      });
      rows.push(entry);
    });
    out[sheet.name] = rows;
  }
  return out;
}

describe.skipIf(!hasChromium && !ci)('browser journey: survey import to a printed archive form', () => {
  let server: Server;
  let browser: Browser;
  let worker: Page;
  let dir: string;
  let householdUrl = '';

  async function signIn(username: string, locale = 'zh-CN'): Promise<Page> {
    const page = await browser.newPage({
      locale,
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(server.demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('scope-label').waitFor();
    return page;
  }

  /** One life-cycle step through the household page's modal, dated `onDate`. */
  async function takeStep(page: Page, action: string, comment: string, onDate: string) {
    await page.getByTestId(`archive-action-${action}`).click();
    const date = page.getByTestId('archive-step').locator('.ant-picker input');
    await date.click();
    await date.fill(onDate);
    // Leaving the field keeps the typed date (Enter would submit the form at once).
    await page.getByTestId('archive-step-comment').fill(comment);
    expect(await date.inputValue()).toBe(onDate);
    await page.getByTestId('archive-step-submit').click();
    await page.getByTestId('archive-step').waitFor({ state: 'hidden' });
  }

  async function upload(page: Page, file: string) {
    await page.getByTestId('import-dropzone').locator('input[type=file]').setInputFiles(file);
  }

  const stat = (page: Page, testId: string) =>
    page.getByTestId(testId).locator('.ant-statistic-content-value').textContent();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'niangjia-e2e-survey-'));
    server = await startServer();
    browser = await launch();
    worker = await signIn('xq-caseworker');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('previews a workbook with a mistyped ID number: the row explained by sheet, row and column', async () => {
    await worker.getByTestId('menu-households').click();
    await worker.getByTestId('household-import').click();
    await worker.getByTestId('import-dropzone').waitFor();
    expect(worker.url()).toBe(`${server.url}/registry/import`);
    expect(await worker.getByTestId('import-instructions').textContent()).toContain('文本');
    await screenshot(worker, 'survey-01-upload');

    // The template is the workbook to fill in: exactly the import headers.
    const [template] = await Promise.all([
      worker.waitForEvent('download'),
      worker.getByTestId('import-template').click(),
    ]);
    expect(template.suggestedFilename()).toBe('困难职工摸底调查表.xlsx');
    const templateFile = join(dir, 'template.xlsx');
    await template.saveAs(templateFile);
    const templateHeaders = await headersOf(templateFile);
    expect(Object.keys(templateHeaders)).toEqual(['家庭', '家庭成员']);
    expect(templateHeaders.家庭).toEqual(expect.arrayContaining(HOUSEHOLD_HEADERS));
    expect(templateHeaders.家庭成员).toEqual(expect.arrayContaining(MEMBER_HEADERS));

    // Not a workbook: a name not .xlsx is refused on the spot, a text file named .xlsx by the server.
    const csv = join(dir, '摸底.csv');
    writeFileSync(csv, '户主姓名,户主身份证号\n');
    await upload(worker, csv);
    expect(await worker.getByTestId('import-file-refused').textContent()).toContain('.xlsx');
    const fake = join(dir, '摸底.xlsx');
    writeFileSync(fake, '户主姓名,户主身份证号\n');
    await upload(worker, fake);
    const notice = worker.locator('.ant-notification-notice').filter({ hasText: '不是 .xlsx 工作簿' });
    await notice.waitFor();
    await notice.locator('.ant-notification-notice-close').click();
    expect(worker.url()).toBe(`${server.url}/registry/import`);

    const wrong = mistyped(other.idNumber);
    await upload(worker, await surveyWorkbook(join(dir, '兴庆区摸底.xlsx'), wrong));
    await worker.getByTestId('import-preview-report').waitFor();
    expect(await worker.getByTestId('import-filename').textContent()).toContain('兴庆区摸底.xlsx');
    expect(await stat(worker, 'import-households-imported')).toBe('1');
    expect(await stat(worker, 'import-households-rejected')).toBe('1');
    // The second household's member goes with its household.
    expect(await stat(worker, 'import-members-imported')).toBe('1');
    expect(await stat(worker, 'import-members-rejected')).toBe('1');
    expect(await worker.getByTestId('import-headline').textContent()).toContain('有问题的行不会导入');

    // The head's ID number: sheet 家庭, Excel row 3, column 户主身份证号, and why.
    const rows = worker.locator('tr.import-problems-row');
    const first = rows.first().locator('td');
    expect(await first.nth(0).textContent()).toBe('家庭');
    expect(await first.nth(1).textContent()).toBe('3');
    expect(await first.nth(2).textContent()).toBe('户主身份证号');
    expect(await first.nth(3).textContent()).toContain(`校验码应为${other.idNumber.slice(17)}`);
    // The whole number is never shown back (PIPL): only its masked form, if at all.
    expect(await worker.getByTestId('import-problems').textContent()).not.toContain(wrong);
    // Its member on sheet 家庭成员 is reported too, after the households' problems.
    const memberRow = rows.filter({ hasText: '家庭成员' }).first().locator('td');
    expect(await memberRow.nth(1).textContent()).toBe('3');
    // Filtering by sheet keeps only that sheet's problems.
    await worker
      .getByTestId('import-problems-sheet')
      .getByText(/^家庭成员/)
      .click();
    for (const text of await rows.locator('td:first-child').allTextContents()) expect(text).toBe('家庭成员');
    await worker.getByTestId('import-problems-sheet').getByText(/^全部/).click();
    // Nothing was saved by the preview.
    await worker.mouse.move(0, 0);
    await screenshot(worker, 'survey-02-preview-rejected');
    const check = await worker.evaluate(async (q) => {
      const r = await fetch(`/api/v1/households?q=${encodeURIComponent(q)}`);
      return (await r.json()).items.length as number;
    }, good.name);
    expect(check).toBe(0);
  });

  it('takes the corrected file: a clean preview, then the import and its result', async () => {
    await worker.getByTestId('import-reupload').click();
    await upload(worker, await surveyWorkbook(join(dir, '兴庆区摸底（已改）.xlsx'), other.idNumber));
    await worker.getByTestId('import-preview-report').waitFor();
    expect(await worker.getByTestId('import-headline').textContent()).toContain('没有发现问题');
    expect(await stat(worker, 'import-households-imported')).toBe('2');
    expect(await stat(worker, 'import-households-rejected')).toBe('0');
    expect(await stat(worker, 'import-members-imported')).toBe('2');
    expect(await worker.getByTestId('import-problems').count()).toBe(0);
    await screenshot(worker, 'survey-03-preview-clean');

    await worker.getByTestId('import-commit').click();
    await worker.getByTestId('import-done').waitFor();
    expect(await worker.getByTestId('import-done').textContent()).toContain('导入完成');
    expect(await stat(worker, 'import-households-imported')).toBe('2');
    expect(await stat(worker, 'import-members-imported')).toBe('2');
    expect(await worker.locator('.ant-steps-item-finish').count()).toBe(3);
    await screenshot(worker, 'survey-04-imported');

    // The household is in the list, surveyed, its head's ID number masked.
    await worker.getByTestId('import-to-list').click();
    await worker.getByTestId('household-filter-q').fill(good.name);
    await worker.getByTestId('household-filter-submit').click();
    const row = worker.getByTestId('household-table').locator('tbody tr', { hasText: good.name });
    await row.waitFor();
    expect(await row.textContent()).toContain(
      `${good.idNumber.slice(0, 6)}********${good.idNumber.slice(-4)}`,
    );
    expect(await row.textContent()).toContain('已摸底');
    await row.getByRole('link', { name: good.name }).click();
    await worker.getByTestId('household-status').waitFor();
    householdUrl = worker.url();
    expect(await worker.getByTestId('household-members').textContent()).toContain(good.member);
    // 14,400 + 1,200 yuan a year for 2 people: 650.00 a person a month.
    expect(await worker.getByTestId('household-figures').textContent()).toContain('650.00');
  });

  it('carries the imported household through publicity to archived, and prints its form', async () => {
    expect(householdUrl).not.toBe('');
    // Dated in the past, so that 5 working days of publicity are over by today.
    await takeStep(worker, 'apply', '本人申请，材料齐全', shift(today, -40));
    await expect.poll(() => worker.getByTestId('household-status').textContent()).toContain('已申请');

    const manager = await signIn('xq-manager');
    await manager.goto(householdUrl);
    await takeStep(manager, 'first_review', '初审通过', shift(today, -39));
    await expect.poll(() => manager.getByTestId('household-status').textContent()).toContain('初审通过');

    await worker.reload();
    await takeStep(worker, 'home_visit', '入户核实，情况属实', shift(today, -38));
    await expect.poll(() => worker.getByTestId('household-status').textContent()).toContain('已入户核查');
    await takeStep(worker, 'verify_finances', '民政核对无异常', shift(today, -37));
    await expect.poll(() => worker.getByTestId('household-status').textContent()).toContain('经济状况已核对');

    await manager.reload();
    await takeStep(manager, 'publicise', '在单位公示栏公示', shift(today, -30));
    await expect.poll(() => manager.getByTestId('household-status').textContent()).toContain('公示中');
    // A caseworker may not archive: the approver does, publicity over and no objection open.
    await worker.reload();
    expect(await worker.getByTestId('archive-action-archive').count()).toBe(0);
    await takeStep(manager, 'archive', '公示期满无异议，建档', today);
    await expect.poll(() => manager.getByTestId('household-status').textContent()).toContain('已建档');
    const history = await manager.getByTestId('archive-history').textContent();
    for (const text of [
      '摸底调查',
      '本人申请，材料齐全',
      '在单位公示栏公示',
      '公示期满无异议，建档',
      'xq-manager',
    ])
      expect(history).toContain(text);
    // Each step on the day it was given.
    for (const days of [-60, -40, -39, -38, -37, -30, 0]) expect(history).toContain(shift(today, days));
    await screenshot(manager, 'survey-05-archived');

    await worker.reload();
    await worker.getByTestId('household-print').click();
    const sheet = worker.getByTestId('archive-print');
    await sheet.waitFor();
    expect(await sheet.textContent()).toContain(good.name);
    expect(await worker.getByTestId('print-members').textContent()).toContain(good.member);
    const printed = await worker.getByTestId('print-history').textContent();
    for (const text of ['提交申请', '开始公示', '公示期满，建档']) expect(printed).toContain(text);
    await worker.emulateMedia({ media: 'print' });
    expect(await worker.getByTestId('print-button').isVisible()).toBe(false);
    await screenshot(worker, 'survey-06-print');
    await worker.emulateMedia({ media: 'screen' });
    await manager.close();
  });

  it('offers the export of the filtered list to whoever may read whole ID numbers', async () => {
    await worker.goto(`${server.url}/households?q=${encodeURIComponent(good.name)}&status=archived`);
    await worker.getByTestId('household-table').locator('tbody tr', { hasText: good.name }).waitFor();
    await screenshot(worker, 'survey-09-list-export');
    // Both waits start before the click: the download may begin before the request's wait returns.
    const [request, download] = await Promise.all([
      worker.waitForRequest((r) => r.url().includes('/api/v1/exports/households.xlsx')),
      worker.waitForEvent('download'),
      worker.getByTestId('household-export').click(),
    ]);
    // The list's filters, not its paging.
    const url = new URL(request.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: good.name, status: 'archived' });
    expect((await request.response())?.status()).toBe(200);
    expect(download.suggestedFilename()).toBe('困难职工家庭.xlsx');
    const file = join(dir, 'export.xlsx');
    await download.saveAs(file);
    // Exactly the import's headers, and the one household the filters keep, ID numbers whole.
    expect(await headersOf(file)).toEqual(await headersOf(join(dir, 'template.xlsx')));
    const exported = await rowsOf(file);
    expect(exported.家庭?.map((row) => row.户主身份证号)).toEqual([good.idNumber]);
    expect(exported.家庭成员?.map((row) => row.身份证号)).toEqual([good.memberId]);
    // Without person:read_full (whole ID numbers) there is no export; without registry:write no import.
    const employment = await signIn('xq-employment');
    await employment.goto(`${server.url}/households`);
    await employment.getByTestId('household-table').waitFor();
    expect(await employment.getByTestId('household-export').count()).toBe(0);
    expect(await employment.getByTestId('household-import').count()).toBe(0);
    expect(await employment.getByTestId('menu-import').count()).toBe(0);
    await employment.close();
  });

  it('reads in English too', async () => {
    await worker.evaluate(() => localStorage.setItem('niangjia.lang', 'en'));
    await worker.goto(`${server.url}/registry/import`);
    await worker.getByText('Import a survey workbook').first().waitFor();
    expect(await worker.getByTestId('import-instructions').textContent()).toContain('as text');
    await screenshot(worker, 'survey-07-upload-en');
    await upload(worker, await surveyWorkbook(join(dir, 'again.xlsx'), mistyped(other.idNumber)));
    await worker.getByTestId('import-preview-report').waitFor();
    // Imported already: the good household would change nothing, the mistyped row is still refused,
    // so there is nothing to confirm.
    expect(await stat(worker, 'import-households-imported')).toBe('0');
    expect(await stat(worker, 'import-households-updated')).toBe('0');
    expect(await stat(worker, 'import-households-rejected')).toBe('1');
    expect(await worker.getByTestId('import-headline').textContent()).toContain('No row can be imported');
    expect(await worker.getByTestId('import-commit').isDisabled()).toBe(true);
    await worker.mouse.move(0, 0);
    await screenshot(worker, 'survey-08-preview-en');
    await worker.evaluate(() => localStorage.setItem('niangjia.lang', 'zh-CN'));
  });
});
