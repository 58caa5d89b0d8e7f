import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, type Server, screenshot, shots, startServer } from './harness';

/**
 * The grants workflow (帮扶项目、申报、审批、公示、发放) as 兴庆区's manager and its administrator do
 * it: a Spring Festival campaign for the deep-hardship households, proposed to a filtered list at
 * once, approved by a second person (never by its proposer), its publicity list printed; payment
 * refused while the publicity runs; an emergency-aid program without publicity paid in cash, in kind
 * and (refused) to a bank card, one payment reversed and paid again, a receipt printed, a second
 * payment of one grant refused; and the year's person-times of 帮扶统计 counting the payments.
 */
const ci = process.env.CI === 'true';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const thisYear = Number(today.slice(0, 4));
const FESTIVAL = `${thisYear}年元旦春节送温暖`;
const EMERGENCY = `${thisYear}年困难职工应急救助`;
const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;
/** The columns of a program's grants (one fund source: no column for it). */
const COL = { name: 0, id: 1, union: 2, amount: 3, cap: 4, status: 5, approval: 6, publicity: 7 };

/** Waits for the messages of the last steps (已发放…) to go, so that they do not cover the page. */
const quiet = (page: Page) =>
  expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 15_000 }).toBe(0);

/** What the screen shows (not the whole page). */
async function view(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.mouse.move(0, 0);
  await quiet(page);
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

/** Runs `fn` with the page as the printer sees it (print media, an A4 sheet's width), then back. */
async function onPaper(page: Page, fn: () => Promise<void>): Promise<void> {
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 });
  try {
    await fn();
  } finally {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ media: 'screen' });
  }
}

/** The page printed to a PDF on A4, as the browser prints it; returns its number of pages. */
async function printed(page: Page, name: string): Promise<number> {
  mkdirSync(shots, { recursive: true });
  const file = join(shots, `${name}.pdf`);
  await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
  return (readFileSync(file, 'latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

describe.skipIf(!hasChromium && !ci)('browser journey: grants from program to payment', () => {
  let server: Server;
  let browser: Browser;
  let manager: Page;
  let admin: Page;
  let festivalUrl = '';
  let emergencyUrl = '';
  /** Deep-hardship households of 640104: matched by the filters, and those archived (who qualify). */
  let deepMatched = 0;
  let deepArchived = 0;

  async function signIn(username: string): Promise<Page> {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(server.demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('scope-label').waitFor();
    return page;
  }

  /** The cell texts of a table's body rows. */
  const tableTexts = (page: Page, testId: string, rowSelector = 'tbody tr.ant-table-row') =>
    page
      .getByTestId(testId)
      .locator(rowSelector)
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
      );

  /** Picks an option of an antd select by its text. */
  async function choose(page: Page, testId: string, text: string) {
    await page.getByTestId(testId).click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
      .first()
      .click();
  }

  /** Waits until no modal is left on screen (nor fading out), so that a screenshot shows the page. */
  const modalsGone = (page: Page) =>
    expect.poll(() => page.locator('.ant-modal-wrap:visible').count()).toBe(0);

  const householdCount = async (page: Page, query: string) =>
    (await (await page.request.get(`${server.url}/api/v1/households?${query}&pageSize=1`)).json())
      .total as number;

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    manager = await signIn('xq-manager');
    admin = await signIn('xq-admin');
    deepMatched = await householdCount(manager, 'org=640104&category=deep');
    deepArchived = await householdCount(manager, 'org=640104&category=deep&status=archived');
    expect(deepArchived).toBeGreaterThan(0);
    expect(deepMatched).toBeGreaterThan(deepArchived);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows this year’s budgets and creates the Spring Festival campaign for deep hardship', async () => {
    await manager.getByTestId('menu-programs').click();
    await manager.getByTestId('programs-table').waitFor();
    expect(await manager.getByTestId('programs-table').textContent()).toContain(
      `${thisYear} 年还没有帮扶项目`,
    );
    await manager.getByTestId('programs-tab-funds').click();
    await expect.poll(() => tableTexts(manager, 'funds-table').then((rows) => rows.length)).toBe(4);
    const funds = await tableTexts(manager, 'funds-table');
    expect(funds.find((row) => row[1] === '工会经费')?.slice(2, 6)).toEqual([
      '500,000.00',
      '0.00',
      '0.00',
      '500,000.00',
    ]);
    // Central finance: the share of training subsidies against its 30 %.
    expect(await manager.getByTestId('fund-training').textContent()).toContain('0.0% / 30%');
    await view(manager, 'grants-01-funds');

    await manager.getByTestId('program-create-open').click();
    await manager.getByTestId('program-create').waitFor();
    // Defaults: the user's organisation, 送温暖, this year, union dues, archived households, 5 days.
    expect(await manager.getByTestId('program-create-org').textContent()).toContain('兴庆区总工会');
    expect(await manager.getByTestId('program-create-aidType').textContent()).toContain('送温暖');
    expect(await manager.getByTestId('program-create-funds').textContent()).toContain('工会经费');
    expect(await manager.getByTestId('program-create-publicity').inputValue()).toBe('5');
    await manager.getByTestId('program-create-name').fill(FESTIVAL);
    await choose(manager, 'program-create-categories', '深度困难');
    await manager.getByTestId('program-create-name').click();
    await manager.getByTestId('program-create-amount').fill('500');
    await view(manager, 'grants-02-create-program');
    await manager.getByTestId('program-create-submit').click();

    await manager.getByTestId('program-name').waitFor();
    expect(await manager.getByTestId('program-name').textContent()).toBe(FESTIVAL);
    festivalUrl = manager.url();
    expect(festivalUrl).toMatch(/\/assistance\/programs\/[0-9a-f-]{36}$/);
    const facts = await manager.getByTestId('program-facts').textContent();
    for (const text of [
      '送温暖',
      '兴庆区总工会',
      '工会经费',
      '500.00',
      '审批后公示 5 个工作日',
      '已建档 · 深度困难',
    ])
      expect(facts).toContain(text);
  });

  it('proposes the campaign to the deep-hardship households of 640104 at once, and says who was left out', async () => {
    await manager.getByTestId('program-batch').click();
    await manager.getByTestId('batch-form').waitFor();
    // The program's organisation and its one category are the filters to start from.
    expect(await manager.getByTestId('batch-org').textContent()).toContain('兴庆区总工会');
    expect(await manager.getByTestId('batch-category').textContent()).toContain('深度困难');
    await manager.getByTestId('batch-submit').click();
    await manager.getByTestId('batch-result').waitFor();
    const stat = (id: string) =>
      manager.getByTestId(id).locator('.ant-statistic-content-value').textContent();
    expect(await stat('batch-matched')).toBe(String(deepMatched));
    expect(await stat('batch-proposed')).toBe(String(deepArchived));
    expect(await stat('batch-amount')).toBe(`${(deepArchived * 500).toLocaleString('en-US')}.00`);
    // Deep-hardship households not archived ("archive first, then aid") were skipped, in words.
    expect(await manager.getByTestId('batch-skipped').textContent()).toBe(
      `不符合项目的建档条件：${deepMatched - deepArchived} 户`,
    );
    await view(manager, 'grants-03-batch-result');
    await manager.getByTestId('batch-done').click();
    await modalsGone(manager);

    await expect
      .poll(() => tableTexts(manager, 'grants-table').then((rows) => rows.length))
      .toBe(Math.min(deepArchived, 50));
    const rows = await tableTexts(manager, 'grants-table');
    for (const row of rows) {
      expect(row[COL.id]).toMatch(MASKED_ID);
      expect(row[COL.amount]).toBe('500.00');
      expect(row[COL.cap]).toBe('不设上限');
      expect(row[COL.status]).toBe('待审批');
    }
    expect(
      await manager
        .getByTestId('program-stat-proposed')
        .locator('.ant-statistic-content-value')
        .textContent(),
    ).toBe(String(deepArchived));
    await view(manager, 'grants-04-proposed');
  });

  it('refuses the proposer’s own approval, and approves all as the second person', async () => {
    // One by one: the manager proposed them, so he may not approve them.
    await manager.getByTestId('grant-action-approve').first().click();
    await manager.getByTestId('grant-approve-submit').click();
    await manager.getByTestId('grant-refusal').waitFor();
    expect(await manager.getByTestId('grant-refusal').textContent()).toContain('不能审批自己申报的帮扶');
    await view(manager, 'grants-05-own-approval-refused');
    await manager.keyboard.press('Escape');

    // All at once: every one refused for the same reason, none approved.
    await manager.getByTestId('program-approve-all').click();
    await manager.getByTestId('approve-all-confirm').click();
    await manager.getByTestId('approve-all-result').waitFor();
    const stat = (id: string) =>
      manager.getByTestId(id).locator('.ant-statistic-content-value').textContent();
    expect(await stat('approve-all-approved')).toBe('0');
    expect(await stat('approve-all-refused')).toBe(String(deepArchived));
    expect(await manager.getByTestId('approve-all-reasons').textContent()).toContain(
      `不能审批自己申报的帮扶：${deepArchived} 笔`,
    );
    await view(manager, 'grants-06-approve-all-own-refused');
    await manager.locator('.ant-modal-confirm-btns button').click();

    await admin.goto(festivalUrl);
    await admin.getByTestId('program-approve-all').click();
    await admin.getByTestId('approve-all-confirm').click();
    await admin.getByTestId('approve-all-result').waitFor();
    expect(
      await admin.getByTestId('approve-all-approved').locator('.ant-statistic-content-value').textContent(),
    ).toBe(String(deepArchived));
    expect(
      await admin.getByTestId('approve-all-refused').locator('.ant-statistic-content-value').textContent(),
    ).toBe('0');
    await admin.locator('.ant-modal-confirm-btns button').click();
    await modalsGone(admin);
    await expect
      .poll(() => tableTexts(admin, 'grants-table').then((rows) => rows.map((row) => row[COL.status])))
      .toEqual(Array(Math.min(deepArchived, 50)).fill('已审批'));
    const row = (await tableTexts(admin, 'grants-table'))[0] ?? [];
    expect(row[COL.approval]).toContain('兴庆区系统管理员');
    expect(row[COL.approval]).toContain(today);
    // Five working days of publicity from today: a later day.
    expect(row[COL.publicity]).toMatch(/^\d{4}-\d{2}-\d{2}公示中$/);
    expect((row[COL.publicity] ?? '').slice(0, 10) > today).toBe(true);
    await view(admin, 'grants-07-approved');
  });

  it('prints the publicity list: masked ID numbers, each person’s union, the period and how to object', async () => {
    await manager.goto(festivalUrl);
    await manager.getByTestId('program-publicity').click();
    await manager.getByTestId('publicity-sheet').waitFor();
    const sheet = await manager.getByTestId('publicity-sheet').textContent();
    expect(sheet).toContain(`${FESTIVAL}帮扶对象公示`);
    expect(sheet).toContain('公示单位：兴庆区总工会');
    const rows = await manager
      .locator('tr.publicity-row')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
    expect(rows).toHaveLength(deepArchived);
    expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => String(i + 1)));
    for (const r of rows) {
      expect(r[2]).toMatch(MASKED_ID);
      // The person's own union (a grassroots union of 兴庆区), not only the district running it.
      expect(r[3]).toMatch(/^兴庆区.+工会/);
      expect(r[4]).toBe('送温暖');
      expect(r[5]).toBe('500.00');
    }
    expect(new Set(rows.map((r) => r[3])).size).toBeGreaterThan(1);
    expect(await manager.getByTestId('publicity-total').textContent()).toBe(
      `合计 ${deepArchived} 人，${(deepArchived * 500).toLocaleString('en-US')}.00 元`,
    );
    const period = (await manager.getByTestId('publicity-period').textContent()) ?? '';
    expect(period).toMatch(new RegExp(`^公示期：${today} 至 \\d{4}-\\d{2}-\\d{2}$`));
    const ends = period.slice(-10);
    expect(await manager.getByTestId('publicity-invite').textContent()).toContain(
      `请于 ${ends} 前向兴庆区总工会反映`,
    );
    await view(manager, 'grants-08-publicity');

    // On paper: the sheet alone, A4; thirty-odd names fit one sheet.
    await onPaper(manager, async () => {
      expect(await manager.getByTestId('publicity-print').isVisible()).toBe(false);
      expect(await manager.getByTestId('side-menu').isVisible()).toBe(false);
      await screenshot(manager, 'grants-09-publicity-print');
      expect(await printed(manager, 'grants-09-publicity')).toBe(1);
    });
  });

  it('refuses to pay while the publicity runs, in Chinese, with the day it ends', async () => {
    await manager.goto(festivalUrl);
    await manager.getByTestId('grant-action-pay').first().waitFor();
    const first = (await tableTexts(manager, 'grants-table'))[0] ?? [];
    const ends = first[COL.publicity]?.slice(0, 10) ?? '';
    await manager.getByTestId('grant-action-pay').first().click();
    // The form says so before; the server refuses all the same.
    expect(await manager.getByTestId('grant-pay-publicity').textContent()).toBe(
      `公示期至 ${ends}，期满后方可发放。`,
    );
    await manager.getByTestId('grant-pay-submit').click();
    await manager.getByTestId('grant-refusal').waitFor();
    expect(await manager.getByTestId('grant-refusal').textContent()).toContain(
      `公示期至 ${ends}，期满后方可发放`,
    );
    await view(manager, 'grants-10-pay-in-publicity-refused');
    await manager.keyboard.press('Escape');
  });

  // No database access from the browser tier: rather than move the publicity into the past, the
  // payments are made on a program without publicity (0 working days), as emergency aid is paid.
  it('pays an emergency-aid program without publicity: cash, in kind, a bank card refused; a receipt', async () => {
    await manager.goto(`${server.url}/assistance/programs`);
    await manager.getByTestId('program-create-open').click();
    await manager.getByTestId('program-create-name').fill(EMERGENCY);
    await choose(manager, 'program-create-aidType', '应急救助');
    await manager.getByTestId('program-create-funds').locator('.ant-select-selection-item-remove').click();
    await choose(manager, 'program-create-funds', '地方财政');
    await manager.getByTestId('program-create-name').click();
    await manager.getByTestId('program-create-amount').fill('1000');
    await manager.getByTestId('program-create-publicity').fill('0');
    await manager.getByTestId('program-create-submit').click();
    await manager.getByTestId('program-name').waitFor();
    expect(await manager.getByTestId('program-facts').textContent()).toContain('不公示');
    emergencyUrl = manager.url();

    // Three people, one at a time: two heads of households and a member of a third.
    for (const [i, who] of (['head', 'member', 'head'] as const).entries()) {
      await manager.getByTestId('program-single').click();
      await manager.getByTestId('propose-household').click();
      const option = manager.locator('.ant-select-dropdown:visible .ant-select-item-option').nth(i);
      await option.waitFor();
      await option.click();
      await manager.getByTestId('propose-person').waitFor();
      const radios = manager.getByTestId('propose-person').locator('.ant-radio-wrapper');
      // The head is chosen by default.
      await expect.poll(() => radios.first().locator('input').isChecked()).toBe(true);
      if (who === 'member') {
        await radios.nth(1).click();
        await view(manager, 'grants-11-propose-member');
      }
      await manager.getByTestId('propose-submit').click();
      await expect.poll(() => manager.getByTestId('propose-form').count()).toBe(0);
    }
    await expect.poll(() => tableTexts(manager, 'grants-table').then((rows) => rows.length)).toBe(3);
    for (const row of await tableTexts(manager, 'grants-table')) {
      expect(row[COL.amount]).toBe('1,000.00');
      // Emergency aid: 10,000 yuan a household and year (demo parameter emergencyAidCap).
      expect(row[COL.cap]).toBe('10,000.00');
    }
    // The cap's reasoning, on hovering it.
    await manager.getByTestId('grant-cap').first().hover();
    await manager.locator('.ant-tooltip', { hasText: '应急救助：每户每年 10,000.00 元' }).waitFor();

    await admin.goto(emergencyUrl);
    await admin.getByTestId('program-approve-all').click();
    await admin.getByTestId('approve-all-confirm').click();
    await admin.getByTestId('approve-all-result').waitFor();
    expect(
      await admin.getByTestId('approve-all-approved').locator('.ant-statistic-content-value').textContent(),
    ).toBe('3');
    await admin.locator('.ant-modal-confirm-btns button').click();

    await manager.reload();
    await expect
      .poll(() => tableTexts(manager, 'grants-table').then((rows) => rows.map((row) => row[COL.status])))
      .toEqual(['已审批', '已审批', '已审批']);
    const names = (await tableTexts(manager, 'grants-table')).map((row) => row[0]);

    // Cash, today by default.
    await manager.getByTestId('grant-action-pay').nth(0).click();
    expect(await manager.getByTestId('grant-pay').locator('.ant-picker input').inputValue()).toBe(today);
    await manager.getByTestId('grant-pay-submit').click();
    await expect.poll(() => manager.getByTestId('grant-pay').count()).toBe(0);

    // In kind: the items are required.
    await manager.getByTestId('grant-action-pay').nth(0).click();
    await manager.getByTestId('grant-pay-method').getByText('实物').click();
    await manager.getByTestId('grant-pay-submit').click();
    await manager.getByTestId('grant-pay').getByText('必填').waitFor();
    await manager.getByTestId('grant-pay-items').fill('大米 10 kg，食用油 5 L，棉被 1 床');
    await manager.getByTestId('grant-pay-submit').click();
    await expect.poll(() => manager.getByTestId('grant-pay').count()).toBe(0);

    // To a bank card: the person has none on record, and the page says so.
    await manager.getByTestId('grant-action-pay').nth(0).click();
    await manager.getByTestId('grant-pay-method').getByText('银行卡').click();
    expect(await manager.getByTestId('grant-pay-card').textContent()).toContain('此人没有登记银行卡');
    await manager.getByTestId('grant-pay-submit').click();
    await manager.getByTestId('grant-refusal').waitFor();
    expect(await manager.getByTestId('grant-refusal').textContent()).toContain(
      '此人没有登记银行卡，请先登记或改用现金、实物发放',
    );
    await view(manager, 'grants-12-bank-card-refused');
    await manager.getByTestId('grant-pay-method').getByText('现金').click();
    await manager.getByTestId('grant-pay-submit').click();
    await expect.poll(() => manager.getByTestId('grant-pay').count()).toBe(0);

    await expect
      .poll(() => tableTexts(manager, 'grants-table').then((rows) => rows.map((row) => row[COL.status])))
      .toEqual(['已发放', '已发放', '已发放']);
    expect((await tableTexts(manager, 'grants-table')).map((row) => row[0])).toEqual(names);

    // The receipt of the payment in kind: the amount in figures and in capitals, the items.
    await manager.getByTestId('grant-receipt').nth(1).click();
    await manager.getByTestId('receipt').waitFor();
    expect(await manager.getByTestId('receipt').getByTestId('receipt-figures').textContent()).toBe(
      '¥1,000.00',
    );
    expect(await manager.getByTestId('receipt').getByTestId('receipt-capitals').textContent()).toBe(
      '人民币壹仟元整',
    );
    expect(await manager.getByTestId('receipt').getByTestId('receipt-method').textContent()).toBe(
      '实物：大米 10 kg，食用油 5 L，棉被 1 床',
    );
    expect(await manager.getByTestId('receipt').getByTestId('receipt-id').textContent()).toMatch(MASKED_ID);
    const receipt = await manager.getByTestId('receipt').textContent();
    for (const text of [
      '帮扶资金发放回执',
      names[1],
      EMERGENCY,
      '应急救助',
      '地方财政',
      '马主任',
      today,
      '领款人签字',
      '经办人签字',
    ])
      expect(receipt).toContain(text);
    // On screen one copy; on paper both (the recipient's and the union's), on one A4 sheet.
    expect(await manager.getByTestId('receipt-copy-2').isVisible()).toBe(false);
    await quiet(manager);
    await screenshot(manager, 'grants-13-grant-paid');
    await onPaper(manager, async () => {
      expect(await manager.getByTestId('grant-print-receipt').isVisible()).toBe(false);
      expect(await manager.getByTestId('grant-facts').isVisible()).toBe(false);
      expect(await manager.getByTestId('receipt-copy-2').isVisible()).toBe(true);
      await screenshot(manager, 'grants-14-receipt-print');
      expect(await printed(manager, 'grants-14-receipt')).toBe(1);
    });
  });

  it('never pays a grant twice, even from a page opened before it was paid; a reversal lets it be paid again', async () => {
    // The third grant, reversed (wrong person's cash, say) and so payable again.
    await admin.goto(emergencyUrl);
    await admin.getByTestId('grant-action-reverse').nth(2).click();
    await admin.getByTestId('grant-reverse-reason').fill('现金误发给家属，收回后重新发放');
    await admin.getByTestId('grant-reverse-submit').click();
    await expect
      .poll(() => tableTexts(admin, 'grants-table').then((rows) => rows.map((row) => row[COL.status])))
      .toEqual(['已发放', '已发放', '已审批']);
    // Its page, open in the administrator's tab while the manager pays it in his.
    await admin.getByTestId('grant-open').nth(2).click();
    await admin.getByTestId('grant-action-pay').waitFor();
    await manager.goto(emergencyUrl);
    await manager.getByTestId('grant-action-pay').first().click();
    await manager.getByTestId('grant-pay-submit').click();
    await expect.poll(() => manager.getByTestId('grant-pay').count()).toBe(0);

    await admin.getByTestId('grant-action-pay').click();
    await admin.getByTestId('grant-pay-submit').click();
    await admin.getByTestId('grant-refusal').waitFor();
    expect(await admin.getByTestId('grant-refusal').textContent()).toContain('该笔帮扶已发放，不能重复发放');
    await view(admin, 'grants-15-paid-twice-refused');
    await admin.keyboard.press('Escape');
    await admin.reload();
    await admin.getByTestId('receipt').waitFor();
    expect(await admin.getByTestId('grant-status').textContent()).toBe('已发放');
  });

  it('counts the payments in this year’s statistics, on the household’s page and on the person’s timeline', async () => {
    await manager.getByTestId('menu-assistanceReport').click();
    await manager.getByTestId('report-table').waitFor();
    // Three payments of 1,000 yuan stand (four made, one reversed): 0.30 万元.
    await expect
      .poll(async () =>
        (await tableTexts(manager, 'report-table')).find((row) => row[0] === String(thisYear)),
      )
      .toEqual([String(thisYear), '3', '0.30']);
    await view(manager, 'grants-16-report');

    // The first person of the emergency program: the household's year against its caps.
    await manager.goto(emergencyUrl);
    await manager.getByTestId('grant-person').first().click();
    await manager.getByTestId('person-household-link').first().click();
    await manager.getByTestId('household-assistance').waitFor();
    await expect
      .poll(async () =>
        (await tableTexts(manager, 'household-assistance')).find((row) => row[0] === '应急救助'),
      )
      .toEqual(['应急救助', '1,000.00', '1,000.00', '10,000.00每户每年上限']);
    await manager.getByTestId('household-assistance').scrollIntoViewIfNeeded();
    await view(manager, 'grants-17-household');

    // The timeline's grant leads to the grant's page.
    await manager.goBack();
    const entry = manager.locator('[data-kind="aid.grant"]', { hasText: EMERGENCY });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('已发放');
    await entry.getByRole('link').click();
    await manager.getByTestId('grant-title').waitFor();
    expect(await manager.getByTestId('grant-title').textContent()).toContain(EMERGENCY);
  });
  it('reads in English too, refusals included', async () => {
    await manager.evaluate(() => localStorage.setItem('niangjia.lang', 'en'));
    try {
      await manager.goto(festivalUrl);
      await manager.getByTestId('program-name').waitFor();
      expect(await manager.getByTestId('program-facts').textContent()).toContain(
        '5 working days after approval',
      );
      await expect
        .poll(() => tableTexts(manager, 'grants-table').then((rows) => rows[0]?.[COL.status]))
        .toBe('Approved');
      await manager.getByTestId('grant-action-pay').first().click();
      // The form open and filled (its publicity warning shown) before it is sent; on a busy CI
      // machine the refusal once took longer than the default wait.
      await manager.getByTestId('grant-pay-publicity').waitFor();
      await manager.getByTestId('grant-pay-submit').click();
      await manager
        .getByTestId('grant-refusal')
        .waitFor({ timeout: 60_000 })
        .catch(async (err: unknown) => {
          // What the page showed instead, for whoever reads the failure.
          await view(manager, 'grants-18-program-en-no-refusal');
          throw err;
        });
      expect(await manager.getByTestId('grant-refusal').textContent()).toMatch(
        /Publicised until \d{4}-\d{2}-\d{2}: it can be paid after that/,
      );
      await view(manager, 'grants-18-program-en');
      await manager.keyboard.press('Escape');
    } finally {
      await manager.evaluate(() => localStorage.setItem('niangjia.lang', 'zh-CN'));
    }
  });
});
