import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCharacter } from '@niangjia/domain';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, type Server, screenshot, shots, startServer } from './harness';

/**
 * Assistance (帮扶救助) as a district's manager uses it: the yearly statistics of the founding
 * report's Table 1 from the demo ledger of 兴庆区 (exported and printed), the ledger itself with its
 * filters and paging, and a ledger workbook imported from the browser (preview, then import).
 */
const ci = process.env.CI === 'true';
const id = (birth: string, seq: number) => {
  const first17 = `640104${birth}${String(seq).padStart(3, '0')}`;
  return `${first17}${checkCharacter(first17)}`;
};
const mistyped = (idNumber: string) => `${idNumber.slice(0, 17)}${idNumber.endsWith('1') ? '2' : '1'}`;
const shift = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const thisYear = Number(today.slice(0, 4));

/** Table 1 of the founding report: person-times and 万元 of 2009–2014, as the page must show them. */
const TABLE_1 = [
  ['2009', '1,155', '53.58'],
  ['2010', '609', '36.44'],
  ['2011', '2,235', '83.95'],
  ['2012', '3,307', '93.99'],
  ['2013', '2,355', '80.19'],
  ['2014', '2,671', '80.53'],
];
const TOTAL = ['合计', '12,332', '428.68'];

const LEDGER_HEADERS = ['身份证号', '姓名', '帮扶类型', '金额', '发放日期', '资金来源', '项目', '经办人'];
const first = { name: '韩春梅', idNumber: id('19700512', 611), paidOn: shift(today, -3) };
const second = { name: '邓建军', idNumber: id('19660820', 623), paidOn: shift(today, -5) };
const wrong = mistyped(id('19750101', 635));

/**
 * A ledger workbook as an office fills it in (exceljs): no 所属工会 column (the paying organisation
 * is chosen on the page), ID numbers typed as text, amounts in yuan; its third row a mistyped ID.
 */
async function ledgerWorkbook(file: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('发放记录');
  sheet.addRow(LEDGER_HEADERS);
  const program = `${thisYear}年困难职工医疗救助`;
  sheet.addRow([first.idNumber, first.name, '医疗救助', 1500, first.paidOn, '工会经费', program, '李帮扶']);
  sheet.addRow([second.idNumber, second.name, '生活救助', 800.5, second.paidOn, '地方财政', '', '李帮扶']);
  sheet.addRow([wrong, '周小红', '生活救助', 600, second.paidOn, '地方财政', '', '李帮扶']);
  sheet.getColumn(1).numFmt = '@';
  await workbook.xlsx.writeFile(file);
  return file;
}

/** What the screen shows (not the whole page): a long list's first lines. */
async function view(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

async function sheetRows(file: string): Promise<Record<string, unknown[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const out: Record<string, unknown[][]> = {};
  for (const sheet of workbook.worksheets) {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1));
    });
    out[sheet.name] = rows;
  }
  return out;
}

describe.skipIf(!hasChromium && !ci)('browser journey: assistance statistics, ledger and its import', () => {
  let server: Server;
  let browser: Browser;
  let manager: Page;
  let dir: string;

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

  /** The texts of a table's body rows (one array of cell texts a row), the summary row included. */
  const tableTexts = (page: Page, testId: string) =>
    page
      .getByTestId(testId)
      .locator('tbody tr.ant-table-row, tfoot tr, .ant-table-summary tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
      );

  const stat = (page: Page, testId: string) =>
    page.getByTestId(testId).locator('.ant-statistic-content-value').textContent();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'niangjia-e2e-assistance-'));
    server = await startServer();
    browser = await launch();
    manager = await signIn('xq-manager');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows Table 1 of 2009–2014 with its total and growth, by type and fund, exported and printed', async () => {
    await manager.getByTestId('menu-assistanceReport').click();
    await manager.getByTestId('report-table').waitFor();
    // By default the last six years, this one included, over the user's whole scope.
    const years = (await tableTexts(manager, 'report-table')).map((row) => row[0]);
    expect(years).toEqual([...Array.from({ length: 6 }, (_, i) => String(thisYear - 5 + i)), '合计']);
    expect(await manager.getByTestId('report-org').textContent()).toContain('兴庆区总工会');

    await manager.getByTestId('report-preset-2009').click();
    await expect.poll(() => tableTexts(manager, 'report-table')).toEqual([...TABLE_1, TOTAL]);
    expect(new URL(manager.url()).searchParams.toString()).toBe('from=2009&to=2014');
    expect(await manager.getByTestId('report-growth').textContent()).toBe(
      '2014 年较 2009 年：人次增长 131.3%，金额增长 50.3%',
    );
    expect(await stat(manager, 'report-total-persons')).toBe('12,332');
    expect(await stat(manager, 'report-total-amount')).toBe('428.68');
    expect(await stat(manager, 'report-growth-persons')).toBe('+131.3%');
    expect(await stat(manager, 'report-growth-amount')).toBe('+50.3%');
    expect(await manager.getByTestId('report-chart').locator('canvas').count()).toBeGreaterThan(0);

    // The pivots add up to Table 1: each year's person-times over the types (or funds) of aid.
    for (const pivot of ['report-by-type', 'report-by-fund']) {
      if (pivot === 'report-by-fund')
        await manager.getByTestId('report-pivot-switch').getByText('按资金来源').click();
      await manager.getByTestId(pivot).waitFor();
      const rows = await tableTexts(manager, pivot);
      expect(rows.map((row) => row[0])).toEqual([...TABLE_1.map((r) => r[0]), '合计']);
      for (const [i, row] of rows.entries()) {
        const persons = row
          .slice(1)
          .filter((_, j) => j % 2 === 0)
          .reduce((sum, text) => sum + (Number(text.replace(/,/g, '')) || 0), 0);
        expect(persons.toLocaleString('en-US')).toBe(i < TABLE_1.length ? TABLE_1[i]?.[1] : TOTAL[1]);
      }
    }
    const headers = await manager.getByTestId('report-by-fund').locator('thead').textContent();
    expect(headers).toContain('工会经费');
    await manager.getByTestId('report-pivot-switch').getByText('按帮扶类型').click();
    expect(await manager.getByTestId('report-by-type').locator('thead').textContent()).toContain('送温暖');
    await manager.mouse.move(0, 0);
    await screenshot(manager, 'assistance-01-report');

    // The workbook of the same query: the years with their person-times and yuan.
    const [download] = await Promise.all([
      manager.waitForEvent('download'),
      manager.getByTestId('report-export').click(),
    ]);
    expect(download.suggestedFilename()).toBe('帮扶救助统计2009-2014.xlsx');
    const file = join(dir, 'report.xlsx');
    await download.saveAs(file);
    const workbook = await sheetRows(file);
    expect(Object.keys(workbook)).toEqual(['年度', '按帮扶类型', '按资金来源']);
    expect(workbook.年度?.[2]).toEqual([2009, 1155, 535_800]);
    expect(workbook.年度?.[8]).toEqual(['合计', 12_332, 4_286_800]);

    // On paper: a title with the scope and the years, no menu or buttons, both pivots.
    await manager.emulateMedia({ media: 'print' });
    expect(await manager.getByTestId('report-print').isVisible()).toBe(false);
    expect(await manager.getByTestId('side-menu').isVisible()).toBe(false);
    expect(await manager.getByText('帮扶救助情况统计表').isVisible()).toBe(true);
    expect(await manager.getByText('统计范围：兴庆区总工会（640104）').isVisible()).toBe(true);
    expect(await manager.getByTestId('report-by-fund').isVisible()).toBe(true);
    expect(await manager.getByTestId('report-by-type').isVisible()).toBe(true);
    await manager.setViewportSize({ width: 794, height: 1123 });
    await screenshot(manager, 'assistance-02-report-print');
    await manager.setViewportSize({ width: 1440, height: 900 });
    await manager.emulateMedia({ media: 'screen' });
  });

  it('lists the ledger newest first, a hundred lines at a time, filtered, with masked ID numbers', async () => {
    await manager.getByTestId('menu-ledger').click();
    const rows = manager.getByTestId('ledger-table').locator('tbody tr.ledger-row');
    await expect.poll(() => rows.count()).toBe(100);
    expect(await manager.getByTestId('ledger-shown').textContent()).toBe('已显示 100 条');
    const dates = await rows.locator('td:first-child').allTextContents();
    expect([...dates].sort().reverse()).toEqual(dates);
    const cells = rows.first().locator('td');
    expect(await cells.nth(2).textContent()).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    // The name leads to the person's page.
    expect(await cells.nth(1).locator('a').getAttribute('href')).toMatch(/^\/people\/[0-9a-f-]{36}$/);
    await view(manager, 'assistance-03-ledger');
    await manager.getByTestId('ledger-load-more').click();
    await expect.poll(() => rows.count()).toBe(200);

    // 医疗救助 of 2014: every line is one, paid in 2014.
    await manager.getByTestId('ledger-filter-aidType').click();
    await manager.locator('.ant-select-item-option', { hasText: '医疗救助' }).click();
    await manager.getByTestId('ledger-filter-submit').click();
    await expect.poll(() => new URL(manager.url()).searchParams.get('aidType')).toBe('medical');
    await manager.goto(`${manager.url()}&from=2014-01-01&to=2014-12-31`);
    await expect.poll(() => rows.count()).toBe(100);
    for (const row of await tableTexts(manager, 'ledger-table')) {
      expect(row[0]).toMatch(/^2014-/);
      expect(row[3]).toBe('医疗救助');
      expect(Number(row[4]?.replace(/,/g, ''))).toBeGreaterThan(0);
    }
    // The form shows the filters of the address.
    expect(await manager.getByTestId('ledger-filters').textContent()).toContain('医疗救助');
    expect(
      await manager.getByTestId('ledger-filters').locator('.ant-picker input').first().inputValue(),
    ).toBe('2014-01-01');
    await view(manager, 'assistance-04-ledger-filtered');

    // The export takes the same filters (whole ID numbers: a manager may read them).
    const [request, download] = await Promise.all([
      manager.waitForRequest((r) => r.url().includes('/api/v1/exports/ledger.xlsx')),
      manager.waitForEvent('download'),
      manager.getByTestId('ledger-export').click(),
    ]);
    expect(Object.fromEntries(new URL(request.url()).searchParams)).toEqual({
      aidType: 'medical',
      from: '2014-01-01',
      to: '2014-12-31',
    });
    expect(download.suggestedFilename()).toBe('帮扶救助发放台账.xlsx');
    const file = join(dir, 'ledger.xlsx');
    await download.saveAs(file);
    const exported = (await sheetRows(file)).发放记录 ?? [];
    expect(exported[0]).toEqual(expect.arrayContaining(LEDGER_HEADERS));
    expect(exported.length).toBeGreaterThan(100);
    expect(exported.slice(1).every((row) => row[2] === '医疗救助')).toBe(true);
  });

  it('imports a ledger workbook: the preview explains the bad row, the import books the others', async () => {
    await manager.goto(`${server.url}/assistance/ledger`);
    await manager.getByTestId('ledger-import').click();
    await manager.getByTestId('import-dropzone').waitFor();
    expect(manager.url()).toBe(`${server.url}/assistance/import`);
    expect(await manager.getByTestId('import-instructions').textContent()).toContain('发放记录');

    const [template] = await Promise.all([
      manager.waitForEvent('download'),
      manager.getByTestId('import-template').click(),
    ]);
    expect(template.suggestedFilename()).toBe('帮扶救助发放台账.xlsx');
    const templateFile = join(dir, 'template.xlsx');
    await template.saveAs(templateFile);
    expect((await sheetRows(templateFile)).发放记录?.[0]).toEqual([...LEDGER_HEADERS, '所属工会']);

    // The file has no 所属工会 column: its rows are booked to the organisation chosen here.
    await manager.getByTestId('ledger-import-org').click();
    await manager.keyboard.type('640104001');
    await manager.locator('.ant-select-item-option', { hasText: '640104001' }).click();
    expect(await manager.getByTestId('ledger-import-org').textContent()).toContain('兴庆区环卫服务中心工会');
    await manager.mouse.move(0, 0);
    await screenshot(manager, 'assistance-05-import-upload');

    await manager
      .getByTestId('import-dropzone')
      .locator('input[type=file]')
      .setInputFiles(await ledgerWorkbook(join(dir, '兴庆区发放台账.xlsx')));
    await manager.getByTestId('import-preview-report').waitFor();
    const filename = await manager.getByTestId('import-filename').textContent();
    expect(filename).toContain('兴庆区发放台账.xlsx');
    expect(filename).toContain('发放单位：640104001');
    expect(await stat(manager, 'import-lines-imported')).toBe('2');
    expect(await stat(manager, 'import-lines-unchanged')).toBe('0');
    expect(await stat(manager, 'import-lines-rejected')).toBe('1');
    expect(await stat(manager, 'import-people-created')).toBe('2');
    expect(await manager.getByTestId('import-headline').textContent()).toContain('有问题的行不会导入');
    const problem = manager.locator('tr.import-problems-row').first().locator('td');
    expect(await problem.nth(0).textContent()).toBe('发放记录');
    expect(await problem.nth(1).textContent()).toBe('4');
    expect(await problem.nth(2).textContent()).toBe('身份证号');
    // The whole number is never shown back.
    expect(await manager.getByTestId('import-problems').textContent()).not.toContain(wrong);
    await manager.mouse.move(0, 0);
    await screenshot(manager, 'assistance-06-import-preview');

    await manager.getByTestId('import-commit').click();
    await manager.getByTestId('import-done').waitFor();
    expect(await stat(manager, 'import-lines-imported')).toBe('2');
    expect(await stat(manager, 'import-people-created')).toBe('2');
    expect(await manager.locator('.ant-steps-item-finish').count()).toBe(3);
    await manager.mouse.move(0, 0);
    await screenshot(manager, 'assistance-07-import-done');

    // The newest lines of the ledger are the two just booked, to the chosen organisation.
    await manager.getByTestId('import-to-list').click();
    await expect
      .poll(async () => (await tableTexts(manager, 'ledger-table')).slice(0, 2))
      .toEqual([
        expect.arrayContaining([
          first.paidOn,
          first.name,
          '医疗救助',
          '1,500.00',
          '工会经费',
          '兴庆区环卫服务中心工会',
        ]),
        expect.arrayContaining([
          second.paidOn,
          second.name,
          '生活救助',
          '800.50',
          '地方财政',
          '兴庆区环卫服务中心工会',
        ]),
      ]);
    await view(manager, 'assistance-08-ledger-imported');

    // A line of imported history booked in error is reversed, with the reason; it stays, struck.
    await manager.getByTestId('ledger-reverse').first().click();
    await manager.getByTestId('ledger-reverse-reason').fill('金额录入错误，原始凭证为 150 元');
    await manager.getByTestId('ledger-reverse-form-submit').click();
    await manager.getByTestId('ledger-reversal').first().waitFor();
    await manager.getByTestId('ledger-reversed').first().waitFor();
    const rows = await tableTexts(manager, 'ledger-table');
    expect(
      rows.filter((row) => row.includes(first.name)).map((row) => row.some((c) => c.startsWith('-1,500.00'))),
    ).toContain(true);
    await view(manager, 'assistance-08b-ledger-reversed');
  });

  it('shows the ledger without export or import to whoever may only read it', async () => {
    const employment = await signIn('xq-employment');
    await employment.getByTestId('menu-ledger').click();
    await employment.getByTestId('ledger-table').locator('tbody tr.ledger-row').first().waitFor();
    expect(await employment.getByTestId('ledger-export').count()).toBe(0);
    expect(await employment.getByTestId('ledger-import').count()).toBe(0);
    expect(await employment.getByTestId('menu-ledgerImport').count()).toBe(0);
    await employment.goto(`${server.url}/assistance/import`);
    await employment.getByTestId('forbidden').waitFor();
    await employment.close();
  });

  it('reads in English too', async () => {
    await manager.evaluate(() => localStorage.setItem('niangjia.lang', 'en'));
    await manager.goto(`${server.url}/assistance/report?from=2009&to=2014`);
    await manager.getByText('Assistance statistics').first().waitFor();
    await expect
      .poll(() => manager.getByTestId('report-growth').textContent())
      .toBe('2014 against 2009: person-times up 131.3 %, amount up 50.3 %');
    await manager.mouse.move(0, 0);
    await screenshot(manager, 'assistance-09-report-en');
    await manager.evaluate(() => localStorage.setItem('niangjia.lang', 'zh-CN'));
  });
});
