import { checkCharacter } from '@niangjia/domain';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, type Server, screenshot, startServer } from './harness';

/**
 * Duplicates and 返困 as the service center meets them: one man registered twice (his ID number
 * mistyped by one digit) shows up in the review queue side by side; the manager cannot merge while
 * both households are open, refuses the second application, merges, and the person page keeps the
 * history of both. An exited household of the demo district, back in hardship, is reopened as 返困
 * with its old archive still readable.
 */
const ci = process.env.CI === 'true';
const id = (birth: string, seq: number) => {
  const first17 = `640104${birth}${String(seq).padStart(3, '0')}`;
  return `${first17}${checkCharacter(first17)}`;
};

describe.skipIf(!hasChromium && !ci)('browser journey: duplicates merged, a household reopened', () => {
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

  async function signIn(username: string): Promise<Page> {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(server.demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('scope-label').waitFor();
    return page;
  }

  async function takeStep(page: Page, action: string, comment: string) {
    await page.getByTestId(`archive-action-${action}`).click();
    await page.getByTestId('archive-step-comment').fill(comment);
    await page.getByTestId('archive-step-submit').click();
  }

  it('queues two registrations of one man, refuses to merge two open households, merges and keeps both histories', async () => {
    const worker = await signIn('xq-caseworker');
    // Registered twice in the caseworker's session: the second time with one digit of the
    // sequence mistyped (both numbers valid).
    const register = async (idNumber: string) => {
      const res = await worker.request.post(`${server.url}/api/v1/households`, {
        data: {
          orgCode: '640104001',
          head: { idNumber, name: '郝建国', householdRegistration: 'urban', phone: '13909510001' },
          income: { wageIncomeFen: 1_440_000 },
          surveyDate: '2024-03-01',
          primaryCause: '6',
        },
      });
      expect(res.status(), await res.text()).toBe(201);
      return (await res.json()) as { id: string; archiveId: string };
    };
    const first = await register(id('19700707', 512));
    const second = await register(id('19700707', 513));

    const manager = await signIn('xq-manager');
    await manager.getByTestId('menu-duplicates').click();
    const pair = manager.getByTestId('duplicate-pair').filter({ hasText: '郝建国' });
    await pair.waitFor();
    const reasons = await pair.getByTestId('duplicate-reason').allTextContents();
    expect(reasons).toEqual(
      expect.arrayContaining(['身份证号仅一位不同', '姓名、出生日期相同', '联系电话相同']),
    );
    // Side by side, masked: no whole ID number on the page.
    const text = (await pair.textContent()) ?? '';
    expect(text).toContain('640104********');
    expect(text).not.toContain(id('19700707', 512));
    expect(await pair.getByTestId('duplicate-person').count()).toBe(2);
    await screenshot(manager, 'duplicates-01-queue');

    // Both households are open: the merge is refused, and says why.
    await pair.getByTestId('duplicate-merge').click();
    await manager.getByTestId('merge-duplicate-submit').click();
    await manager.getByTestId('merge-duplicate-refusal').waitFor();
    expect(await manager.getByTestId('merge-duplicate-refusal').textContent()).toContain('未办结');
    await screenshot(manager, 'duplicates-02-merge-refused');
    await manager.keyboard.press('Escape');

    // The second registration is refused as a duplicate application; then the merge goes through.
    await manager.goto(`${server.url}/households/${second.id}`);
    await takeStep(manager, 'refuse', '与已登记家庭重复，不予认定');
    await expect.poll(() => manager.getByTestId('household-status').textContent()).toContain('不予认定');
    await manager.goto(`${server.url}/registry/duplicates`);
    await pair.waitFor();
    const sides = pair.getByTestId('duplicate-person');
    const keepSide = (
      await sides.nth(0).getByTestId('duplicate-household-link').getAttribute('href')
    )?.endsWith(first.id)
      ? 'a'
      : 'b';
    await pair.getByTestId('duplicate-merge').click();
    await manager.getByTestId(`merge-keep-${keepSide}`).click();
    await screenshot(manager, 'duplicates-03-merge-choose');
    await manager.getByTestId('merge-duplicate-submit').click();
    await expect.poll(() => pair.count()).toBe(0);

    // The person kept: both households, and the history of both on the timeline.
    await manager.goto(`${server.url}/households/${first.id}`);
    await manager.getByTestId('household-head-link').click();
    await manager.getByTestId('person-households').waitFor();
    const households = await manager.getByTestId('person-household-link').count();
    expect(households).toBe(2);
    const timeline = (await manager.getByTestId('person-timeline').textContent()) ?? '';
    expect(timeline).toContain('与已登记家庭重复，不予认定');
    expect(timeline).toContain('摸底调查');
    await screenshot(manager, 'duplicates-04-person-both-histories');
    // The second household's own history is as it was.
    await manager.goto(`${server.url}/households/${second.id}`);
    const history = (await manager.getByTestId('archive-history').textContent()) ?? '';
    expect(history).toContain('摸底调查');
    expect(history).toContain('与已登记家庭重复，不予认定');
  });

  it('reopens an exited household as 返困, its old archive and history still there', async () => {
    const worker = await signIn('xq-caseworker');
    // An exited household of the demo district whose people are in no other open household.
    const list = await worker.request.get(`${server.url}/api/v1/households?status=exited&pageSize=20`);
    const exited = ((await list.json()) as { items: { id: string; headName: string }[] }).items;
    expect(exited.length).toBeGreaterThan(0);
    let opened: string | undefined;
    for (const h of exited) {
      await worker.goto(`${server.url}/households/${h.id}`);
      await worker.getByTestId('archive-action-reopen').waitFor();
      const before = (await worker.getByTestId('archive-history').textContent()) ?? '';
      expect(before).toContain('退出档案');
      await takeStep(worker, 'reopen', '家庭成员再次患重病，返困');
      const outcome = await Promise.race([
        worker
          .getByTestId('household-status')
          .filter({ hasText: '已摸底' })
          .waitFor()
          .then(() => 'reopened'),
        worker
          .getByTestId('archive-step-refusal')
          .waitFor()
          .then(() => 'refused'),
      ]);
      if (outcome === 'reopened') {
        opened = h.id;
        break;
      }
      await worker.keyboard.press('Escape');
    }
    expect(opened).toBeDefined();
    // The new archive: origin 返困, its first step the reopening.
    expect(await worker.getByTestId('archive-details').textContent()).toContain('返困');
    const current = (await worker.getByTestId('archive-history').textContent()) ?? '';
    expect(current).toContain('家庭成员再次患重病，返困');
    expect(current).not.toContain('退出档案');
    // The exited archive, collapsed under the earlier archives, opens to its whole history.
    const previous = worker.getByTestId('archive-previous-item');
    expect(await previous.count()).toBe(1);
    expect(await previous.textContent()).toContain('已退出');
    await previous.click();
    const old = (await worker.getByTestId('archive-previous-history').textContent()) ?? '';
    expect(old).toContain('退出档案');
    expect(old).toContain('公示期满，建档');
    await screenshot(worker, 'duplicates-05-reopened-history');
    // Next steps of the new archive are offered.
    await worker.getByTestId('archive-action-apply').waitFor();
  });
});
