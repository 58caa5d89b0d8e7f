import { addDays, todayInShanghai } from '@niangjia/domain';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, type Server, screenshot, startServer } from './harness';

/**
 * The identification standard as a district's manager uses it (issue 4): reads the values in force
 * (set by the city and the region), raises the district's own 低保 line from a date, and sees a
 * household evaluated under it, its basis in plain Chinese; the exit review lists its candidates.
 */
const ci = process.env.CI === 'true';

describe.skipIf(!hasChromium && !ci)(
  'browser journey: the identification standard and a household’s decision',
  () => {
    let server: Server;
    let browser: Browser;
    let manager: Page;
    beforeAll(async () => {
      server = await startServer();
      browser = await launch();
      manager = await browser.newPage({
        locale: 'zh-CN',
        viewport: { width: 1440, height: 1000 },
        acceptDownloads: true,
      });
      await manager.goto(`${server.url}/login`);
      await manager.getByTestId('login-username').fill('xq-manager');
      await manager.getByTestId('login-password').fill(server.demoPassword);
      await manager.getByTestId('login-submit').click();
      await manager.getByTestId('scope-label').waitFor();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('shows each parameter in force with its history, and sets the district’s own line from a date', async () => {
      await manager.getByTestId('menu-policy').click();
      const dibao = manager.getByTestId('policy-current-dibaoMonthly');
      await expect.poll(() => dibao.textContent()).toContain('300');
      expect(await dibao.textContent()).toContain('640100');
      await screenshot(manager, 'policy-01-parameters');

      const from = addDays(todayInShanghai(), -10);
      await manager.getByTestId('policy-set').click();
      await manager.getByTestId('policy-form-key').click();
      await manager.keyboard.type('dibaoMonthly');
      await manager.keyboard.press('Enter');
      await manager.getByTestId('policy-form-value').fill('320');
      const date = manager.getByTestId('policy-form').locator('.ant-picker input').first();
      await date.click();
      await date.fill(from);
      await manager.getByTestId('policy-form-source').fill('兴庆区民政局通知（演示）');
      await manager.getByTestId('policy-form-submit').click();
      await expect.poll(() => dibao.textContent()).toContain('320');
      expect(await dibao.textContent()).toContain('640104');
      // The district's households are evaluated again in the background; what changed is listed.
      const reevaluation = manager.getByTestId('policy-reevaluation');
      await expect.poll(() => reevaluation.textContent(), { timeout: 90_000 }).toContain('已评估');
      await screenshot(manager, 'policy-02-raised');
    });

    it('evaluates a household under the line in force and explains the decision', async () => {
      await manager.goto(`${server.url}/households?status=archived`);
      await manager.locator('table a').first().click();
      await manager.getByTestId('evaluation').waitFor();
      await manager.getByTestId('evaluate').click();
      const summary = manager.getByTestId('evaluation-summary');
      await expect.poll(() => summary.textContent()).toContain(`截至${todayInShanghai()}`);
      await manager.getByTestId('evaluation').locator('.ant-collapse-header').first().click();
      const lines = manager.getByTestId('evaluation-line');
      await expect
        .poll(async () => (await lines.allTextContents()).join('\n'))
        .toContain('低保320.00元 × 12个月');
      await screenshot(manager, 'policy-03-decision');
      // An exclusion found at the home visit, recorded with its reason.
      await manager.getByTestId('exclusions-edit').click();
      await manager.getByTestId('exclusions-form').getByText('拥有或经常使用机动车').click();
      await manager.getByTestId('exclusions-form-reason').fill('入户核查发现家庭有一辆轿车');
      await manager.getByTestId('exclusions-form-submit').click();
      await expect
        .poll(() => manager.getByTestId('household-exclusions').textContent())
        .toContain('拥有或经常使用机动车');
    });

    it('compares the 2013 rule with the national one over the district, side by side, writing nothing', async () => {
      await manager.getByTestId('menu-simulation').click();
      await manager.getByTestId('simulation-run').click();
      const result = manager.getByTestId('simulation-result');
      await result.waitFor({ timeout: 60_000 });
      expect(await result.textContent()).toContain('新纳入');
      await manager.getByTestId('simulation-chart-category').locator('canvas').first().waitFor();
      for (const chart of ['org', 'cause', 'migrant'])
        await manager.getByTestId(`simulation-chart-${chart}`).locator('canvas').first().waitFor();
      expect(await manager.getByTestId('simulation-changed').locator('tbody tr').count()).toBeGreaterThan(0);
      await screenshot(manager, 'policy-05-simulation');
      // The same what-if as a workbook.
      const [file] = await Promise.all([
        manager.waitForEvent('download'),
        manager.getByTestId('simulation-export').click(),
      ]);
      expect(file.suggestedFilename()).toMatch(/^标准测算-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile((await file.path()) as string);
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['汇总', '结论变化的家庭']);
    });

    it('lists the exit candidates with their reasons', async () => {
      await manager.getByTestId('menu-exits').click();
      await manager.getByTestId('exits-table').waitFor();
      expect(await manager.getByTestId('exits-error').count()).toBe(0);
      await screenshot(manager, 'policy-04-exits');
    });
  },
);
