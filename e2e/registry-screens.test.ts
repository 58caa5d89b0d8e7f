import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkCharacter } from '@niangjia/domain';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, type Server, screenshot, shots, startServer } from './harness';

/**
 * The registry's other screens as a caseworker and a manager use them: a person's page reached
 * from the household (with its timeline), the due list where an overdue visit is recorded, an
 * objection raised during publicity and settled by the manager, and the archive form printed.
 */
const ci = process.env.CI === 'true';
const id = (birth: string, seq: number) => {
  const first17 = `640104${birth}${String(seq).padStart(3, '0')}`;
  return `${first17}${checkCharacter(first17)}`;
};
const shift = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** A call to the API from the page, with its session (as the web app makes it). */
async function call(page: Page, method: string, path: string, body?: unknown) {
  const res = await page.evaluate(
    async ({ method, path, body }) => {
      const r = await fetch(path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, json: await r.json().catch(() => null) };
    },
    { method, path, body },
  );
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

function household(name: string, birth: string, seq: number, memberName: string) {
  return {
    orgCode: '640104001',
    head: {
      idNumber: id(birth, seq),
      name,
      householdRegistration: 'urban',
      health: 'serious',
      activity: 'unemployed',
    },
    members: [
      { idNumber: id('20060606', seq + 1), name: memberName, relation: 'child', activity: 'student' },
    ],
    housingType: 'rented',
    income: { wageIncomeFen: 1_440_000, transferIncomeFen: 120_000, medicalCostFen: 360_050 },
    surveyDate: shift(today, -200),
    surveyor: '李帮扶',
    primaryCause: '6',
    secondaryCauses: ['9'],
  };
}

describe.skipIf(!hasChromium && !ci)(
  'browser journey: person page, due list, objections, printed form',
  () => {
    let server: Server;
    let browser: Browser;
    let worker: Page;
    let manager: Page;
    const archived = { name: '马国强', idNumber: id('19680303', 71), member: '马小燕', householdId: '' };
    const publicised = { name: '杨秀兰', householdId: '' };

    async function signIn(username: string): Promise<Page> {
      const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(server.demoPassword);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('scope-label').waitFor();
      return page;
    }

    /** Takes an archive through its steps on the given days from `base`, each by whom the rules allow. */
    async function steps(archiveId: string, base: string, list: [string, number, Page][]) {
      for (const [action, days, page] of list)
        await call(page, 'POST', `/api/v1/archives/${archiveId}/steps`, {
          action,
          comment: `${action}：意见`,
          onDate: shift(base, days),
        });
    }

    beforeAll(async () => {
      server = await startServer();
      browser = await launch();
      worker = await signIn('xq-caseworker');
      manager = await signIn('xq-manager');
      // Archived 100 days ago: the first visit (90 days on) is 10 days overdue.
      const a = await call(
        worker,
        'POST',
        '/api/v1/households',
        household(archived.name, '19680303', 71, archived.member),
      );
      archived.householdId = a.id;
      const archivedOn = shift(today, -100);
      await steps(a.archiveId, archivedOn, [
        ['apply', -40, worker],
        ['first_review', -39, manager],
        ['home_visit', -38, worker],
        ['verify_finances', -37, worker],
        ['publicise', -30, manager],
        ['archive', 0, manager],
      ]);
      // In publicity since two days ago.
      const b = await call(
        worker,
        'POST',
        '/api/v1/households',
        household(publicised.name, '19720909', 82, '杨小军'),
      );
      publicised.householdId = b.id;
      await steps(b.archiveId, today, [
        ['apply', -6, worker],
        ['first_review', -5, manager],
        ['home_visit', -4, worker],
        ['verify_finances', -3, worker],
        ['publicise', -2, manager],
      ]);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('opens a person from the household: record, households and a timeline newest first', async () => {
      await worker.goto(`${server.url}/households/${archived.householdId}`);
      await worker.getByTestId('household-head-link').click();
      await worker.getByTestId('person-timeline').waitFor();
      expect(await worker.getByTestId('person-name').textContent()).toBe(archived.name);
      // Masked: the division code and the last four characters only.
      expect(await worker.getByTestId('person-idNumber').textContent()).toBe(
        `${archived.idNumber.slice(0, 6)}********${archived.idNumber.slice(-4)}`,
      );
      const entries = worker.getByTestId('timeline-entry');
      const first = await entries.first().textContent();
      expect(first).toContain('回访（待办）');
      expect(first).toContain('逾期 10 天');
      const text = await worker.getByTestId('person-timeline').textContent();
      for (const step of ['公示期满，建档', '开始公示', '初审通过', '提交申请', '摸底调查'])
        expect(text).toContain(step);
      expect(await worker.getByTestId('person-households').textContent()).toContain('已建档');
      await screenshot(worker, 'registry-screens-01-person');

      // A member's page, with an entry of a kind this page has never heard of (as a later module
      // would add): it is shown from its own texts.
      await worker.route('**/api/v1/people/*', async (route) => {
        const response = await route.fetch();
        const json = await response.json();
        json.timeline.unshift({
          id: 'aid.grant:1',
          on: today,
          kind: 'aid.grant',
          title: { zh: '春节送温暖慰问金', en: 'Spring Festival grant' },
          tag: { text: { zh: '已发放', en: 'Paid' }, tone: 'success' },
          tone: 'success',
          summary: '慰问金 500 元',
          by: 'xq-caseworker',
          link: `/households/${archived.householdId}`,
          context: null,
        });
        await route.fulfill({ response, json });
      });
      await worker.goto(`${server.url}/households/${archived.householdId}`);
      await worker.getByTestId('household-member-link').click();
      await worker.getByTestId('person-timeline').waitFor();
      expect(await worker.getByTestId('person-name').textContent()).toBe(archived.member);
      expect(await worker.getByTestId('person-households').textContent()).toContain('子女');
      const grant = worker.locator('[data-testid="timeline-entry"][data-kind="aid.grant"]');
      expect(await grant.textContent()).toMatch(/春节送温暖慰问金.*已发放.*慰问金 500 元/);
      await worker.unroute('**/api/v1/people/*');
    });

    it('records an overdue visit from the due list, which then refreshes', async () => {
      await worker.getByTestId('menu-due').click();
      await worker.getByTestId('due-table').waitFor();
      const row = worker.locator('tr.due-overdue', { hasText: archived.name });
      await row.waitFor();
      expect(await row.getByTestId('due-overdue-days').textContent()).toBe('逾期 10 天');
      // Red, and listed before the rows that are not overdue.
      const background = await row
        .locator('td')
        .first()
        .evaluate((td) => getComputedStyle(td).backgroundColor);
      expect(background).toBe('rgb(255, 241, 240)');
      // The first visit after archiving falls to the caseworker who made the home visit: filtering
      // on them keeps the row.
      await worker.getByTestId('due-by-caseworker').getByText('xq-caseworker').click();
      await row.waitFor();
      expect(worker.url()).toContain('caseworker=xq-caseworker');
      // The pointer off the tags, their transition over: the screenshot shows the chosen tag as it stays.
      await worker.mouse.move(0, 0);
      await worker.waitForTimeout(400);
      await screenshot(worker, 'registry-screens-02-due');
      await row.getByTestId('due-record-visit').click();
      await worker
        .getByTestId('record-visit-findings')
        .fill('户主仍在住院治疗，孩子上学正常，需继续医疗救助');
      await worker.getByTestId('record-visit-submit').click();
      // The next visit falls 90 days on, beyond the list's 30 days: the row is gone.
      await row.waitFor({ state: 'detached' });
      await worker
        .getByText(/下次回访日期/)
        .first()
        .waitFor();
      // The household shows the visit made, and the next one due.
      await worker.goto(`${server.url}/households/${archived.householdId}`);
      const visits = worker.getByTestId('visits');
      await visits.getByTestId('visit-made').waitFor();
      expect(await visits.textContent()).toContain('户主仍在住院治疗');
      expect(await visits.getByTestId('visit-record').count()).toBe(1);
      await screenshot(worker, 'registry-screens-03-visits');
    });

    it('raises an objection during publicity; the manager settles it', async () => {
      await worker.goto(`${server.url}/households/${publicised.householdId}`);
      await worker.getByTestId('raise-objection-open').click();
      await worker.getByTestId('raise-objection-by').fill('同单位职工');
      await worker.getByTestId('raise-objection-content').fill('反映其配偶有个体经营收入未申报');
      await worker.getByTestId('raise-objection-submit').click();
      const objection = worker.getByTestId('objection');
      await objection.waitFor();
      expect(await objection.getByTestId('objection-state').textContent()).toBe('待处理');
      // A caseworker may not settle it.
      expect(await worker.getByTestId('objection-resolve').count()).toBe(0);

      await manager.goto(`${server.url}/households/${publicised.householdId}`);
      await manager.getByTestId('objection-resolve').click();
      await manager.getByTestId('resolve-objection-not-upheld').click();
      await manager
        .getByTestId('resolve-objection-resolution')
        .fill('经民政核对，个体户已于去年注销，异议不成立');
      await manager.getByTestId('resolve-objection-submit').click();
      await expect
        .poll(() => manager.getByTestId('objection').getByTestId('objection-state').textContent())
        .toBe('异议不成立');
      expect(await manager.getByTestId('objections').textContent()).toContain('个体户已于去年注销');
      await screenshot(manager, 'registry-screens-04-objection');
    });

    it('prints the archive form: whole ID numbers for a holder of the full view, masked otherwise', async () => {
      await manager.goto(`${server.url}/households/${archived.householdId}`);
      await manager.getByTestId('household-print').click();
      const sheet = manager.getByTestId('archive-print');
      await sheet.waitFor();
      expect(await manager.getByTestId('print-head-idNumber').textContent()).toBe(archived.idNumber);
      const text = await sheet.textContent();
      for (const words of [
        '困难职工档案表',
        '户主签字',
        '基层工会审核意见',
        '区县工会审批意见',
        '（盖章）',
        '公示期满，建档',
      ])
        expect(text).toContain(words);
      expect(await manager.getByTestId('print-members').textContent()).toContain(archived.member);
      // 14,400 + 1,200 yuan a year for 2 people: 650.00 per person per month.
      expect(await manager.getByTestId('print-figures').textContent()).toContain('650.00');
      await screenshot(manager, 'registry-screens-05-print-screen');

      await manager.emulateMedia({ media: 'print' });
      expect(await manager.getByTestId('print-button').isVisible()).toBe(false);
      expect(await manager.locator('.app-sider').isVisible()).toBe(false);
      expect(await manager.locator('.app-header').isVisible()).toBe(false);
      await screenshot(manager, 'registry-screens-06-print-media');
      mkdirSync(shots, { recursive: true });
      const pdf = join(shots, 'registry-screens-archive-form.pdf');
      await manager.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
      expect(statSync(pdf).size).toBeGreaterThan(10_000);
      await manager.emulateMedia({ media: 'screen' });

      // Without person:read_full the form carries masked numbers.
      const employment = await signIn('xq-employment');
      await employment.goto(`${server.url}/households/${archived.householdId}/print`);
      await employment.getByTestId('archive-print').waitFor();
      expect(await employment.getByTestId('print-head-idNumber').textContent()).toBe(
        `${archived.idNumber.slice(0, 6)}********${archived.idNumber.slice(-4)}`,
      );
      expect(await employment.getByTestId('print-id-note').textContent()).toContain('隐去');
      // The same form in English.
      await employment.evaluate(() => localStorage.setItem('niangjia.lang', 'en'));
      await employment.reload();
      await employment.getByText('Hardship Worker Archive Form').waitFor();
      await employment.emulateMedia({ media: 'print' });
      await screenshot(employment, 'registry-screens-07-print-en');
    });
  },
);
