import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, type Server, screenshot, startServer } from './harness';

/**
 * The foundation's journey, as people do it: the admin creates a caseworker at 兴庆区 (640104);
 * the caseworker signs in, chooses a password, and cannot reach 西夏区 (640105) — neither in the
 * pages nor through the API; the audit trail shows both.
 */
const ci = process.env.CI === 'true';
if (!hasChromium)
  console.warn(
    `\n*** Chromium is missing: the browser journeys ${ci ? 'FAIL (CI=true)' : 'are skipped'} ***\n`,
  );

describe.skipIf(!hasChromium && !ci)('browser journey: organisations, users, scope and audit', () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(page: Page, username: string, password: string) {
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  }

  async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      await screenshot(page, name);
      return result;
    } catch (err) {
      const file = await screenshot(page, `FAILED-${name}`).catch(() => 'none');
      throw new Error(`${name}: ${(err as Error).message}\nscreenshot: ${file}`);
    }
  }

  it('admin creates a caseworker who sees only 兴庆区; the audit trail shows it', async () => {
    const admin = await browser.newPage({ locale: 'zh-CN' });
    await step(admin, '01-admin-signed-in', async () => {
      await signIn(admin, 'admin', server.adminPassword);
      await expect.poll(() => admin.getByTestId('scope-label').textContent()).toContain('中华全国总工会');
    });

    await step(admin, '02-user-form', async () => {
      await admin.goto(`${server.url}/users`);
      await admin.getByTestId('user-create').click();
      await admin.getByTestId('user-form-username').fill('xq-newcaseworker');
      await admin.getByTestId('user-form-displayName').fill('刘新干事');
      await admin.getByTestId('user-form-orgCode').fill('640104');
      await admin.keyboard.press('Escape');
      await admin.getByTestId('user-form-roles').click();
      await admin.locator('.ant-select-item-option', { hasText: '帮扶干事' }).click();
      await admin.keyboard.press('Escape');
      await admin.getByTestId('user-form-password').fill('initial-password-1');
    });
    await step(admin, '03-user-created', async () => {
      await admin.getByTestId('user-form-submit').click();
      await admin.getByRole('cell', { name: 'xq-newcaseworker' }).waitFor();
    });

    const worker = await browser.newPage({ locale: 'zh-CN' });
    await step(worker, '04-caseworker-must-change-password', async () => {
      await signIn(worker, 'xq-newcaseworker', 'initial-password-1');
      await worker.getByTestId('password-current').fill('initial-password-1');
      await worker.getByTestId('password-new').fill('my-own-password-1');
      await worker.getByTestId('password-confirm').fill('my-own-password-1');
    });
    await step(worker, '05-caseworker-home', async () => {
      await worker.getByTestId('password-submit').click();
      await expect.poll(() => worker.getByTestId('scope-label').textContent()).toContain('兴庆区总工会');
      // A caseworker manages no users: the menu does not offer it.
      expect(await worker.getByTestId('menu-users').count()).toBe(0);
    });

    await step(worker, '06-caseworker-own-tree', async () => {
      await worker.goto(`${server.url}/orgs/640104`);
      await worker.getByText('兴庆区环卫服务中心工会').first().waitFor();
    });
    await step(worker, '07-caseworker-cannot-see-640105', async () => {
      await worker.goto(`${server.url}/orgs/640105`);
      await worker.locator('.ant-result').first().waitFor();
      expect(await worker.getByText('西夏区总工会').count()).toBe(0);
      await worker.getByTestId('org-search').fill('西夏');
      await worker.waitForTimeout(800);
      expect(await worker.getByText('西夏区总工会').count()).toBe(0);
    });
    // The API says the same with the caseworker's own session: 404, as for a code that does not exist.
    const api = await worker.evaluate(async () => {
      const get = async (url: string) => {
        const res = await fetch(url);
        return { status: res.status, body: await res.text() };
      };
      return {
        sibling: await get('/api/v1/orgs/640105'),
        nothing: await get('/api/v1/orgs/999999'),
        own: await get('/api/v1/orgs/640104'),
        users: await get('/api/v1/users'),
      };
    });
    expect(api.own.status).toBe(200);
    expect(api.sibling.status).toBe(404);
    expect(api.nothing.status).toBe(404);
    expect(api.sibling.body).not.toContain('西夏');
    expect(api.users.status).toBe(403);

    await step(admin, '08-audit-trail', async () => {
      await admin.goto(`${server.url}/audit`);
      const table = admin.getByTestId('audit-table');
      await table.getByText('xq-newcaseworker').first().waitFor();
    });
    const rows = await admin.getByTestId('audit-table').locator('tbody tr').allTextContents();
    const text = rows.join('\n');
    // The admin's creation of the user and the caseworker's own sign-in and password change.
    expect(text).toMatch(/admin[\s\S]*xq-newcaseworker|xq-newcaseworker[\s\S]*admin/);
    const audit = await admin.evaluate(async () => (await fetch('/api/v1/audit?pageSize=200')).json());
    const entries = audit.items as { username: string; action: string; entity: string; changes: unknown }[];
    const created = entries.find(
      (e) =>
        e.username === 'admin' &&
        e.action === 'create' &&
        JSON.stringify(e.changes).includes('xq-newcaseworker'),
    );
    expect(created).toBeTruthy();
    expect(entries.some((e) => e.username === 'xq-newcaseworker' && e.action === 'login')).toBe(true);
    expect(entries.some((e) => e.username === 'xq-newcaseworker' && e.action === 'password_change')).toBe(
      true,
    );
  });
});
