/**
 * Two supervisors on the Team page: what one changes shows on the other's page without a reload, and what the
 * other was typing or had on screen stays. Agents' live feeds never carry account changes. Real browser, real app.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PASSWORD } from '../agents/agentClient';
import { type Kit, startKit } from '../handoff/handoffTestKit';
import { describeInBrowser, launchChromium, signInToConsole } from '../support/browser';

declare global {
  interface Window {
    seen?: Array<{ type: string; data: string }>;
    notReloaded?: boolean;
  }
}

describeInBrowser('the team page follows other supervisors live (real browser)', () => {
  let kit: Kit;
  let browser: Browser;

  beforeAll(async () => {
    kit = await startKit();
    await kit.app.agents.accounts.create({ email: 'sam@example.com', name: 'Sam Supervisor', role: 'supervisor', password: PASSWORD });
    await kit.app.agents.accounts.create({ email: 'sue@example.com', name: 'Sue Supervisor', role: 'supervisor', password: PASSWORD });
    await kit.app.agents.accounts.create({ email: 'ada@example.com', name: 'Ada Agent', role: 'agent', password: PASSWORD });
    await kit.app.agents.accounts.create({ email: 'bob@example.com', name: 'Bob Agent', role: 'agent', password: PASSWORD });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await kit?.close();
  });

  async function signIn(email: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1300, height: 1100 } })).newPage();
    await signInToConsole(page, kit.app.url, email, PASSWORD);
    return page;
  }

  async function teamPage(email: string): Promise<Page> {
    const page = await signIn(email);
    await page.goto(`${kit.app.url}/agent/team`);
    await page.waitForSelector('body[data-ready="true"][data-live="open"]');
    return page;
  }

  /** Records every event of `types` on a feed of the page's own, raw data included. */
  async function listen(page: Page, types: string[]): Promise<void> {
    await page.evaluate((names) => {
      window.seen = [];
      const source = new EventSource('/api/agent/events');
      for (const type of names) source.addEventListener(type, (event) => window.seen!.push({ type, data: (event as MessageEvent).data }));
      return new Promise<void>((resolve) => (source.onopen = () => resolve()));
    }, types);
  }

  const seen = (page: Page) => page.evaluate(() => window.seen ?? []);
  const cells = (page: Page, name: string) => page.locator('#accounts tr', { hasText: name }).locator('td').allTextContents();

  async function confirm(page: Page): Promise<void> {
    await page.locator('#confirm').waitFor({ state: 'visible' });
    await page.click('#confirm-yes');
  }

  it("shows another supervisor's additions, disabling and role changes at once, keeping the half-typed form and the shown password, and tells agents nothing", async () => {
    const sam = await teamPage('sam@example.com');
    const sue = await teamPage('sue@example.com');
    const ada = await signIn('ada@example.com');
    await listen(ada, ['accounts.changed', 'queue.changed']);
    await listen(sue, ['accounts.changed']);

    // Sue added someone (the password is on screen, not handed over yet) and is typing the next one.
    await sue.fill('#add-name', 'Kim Kline');
    await sue.fill('#add-email', 'kim@example.com');
    await sue.fill('#add-password', 'kims first password');
    await sue.click('#add-submit');
    await sue.locator('#created').waitFor({ state: 'visible' });
    await sue.fill('#add-name', 'Half Typed');
    await sue.fill('#add-email', 'half@exa');
    await sue.evaluate(() => (window.notReloaded = true));
    await expect.poll(() => cells(sam, 'Kim Kline')).toContain('kim@example.com');

    // Sam adds an agent, disables Bob and makes Kim a supervisor; Sue's list follows without a reload.
    await sam.fill('#add-name', 'Lee Newman');
    await sam.fill('#add-email', 'lee@example.com');
    await sam.fill('#add-password', 'lees first password');
    await sam.click('#add-submit');
    await expect.poll(() => cells(sue, 'Lee Newman')).toEqual(expect.arrayContaining(['Lee Newman', 'lee@example.com', 'agent', 'active, own password not chosen yet']));

    await sam.click('button[aria-label="Disable Bob Agent"]');
    await confirm(sam);
    await expect.poll(() => cells(sue, 'Bob Agent')).toContain('disabled');

    await sam.click('button[aria-label="Change role of Kim Kline"]');
    await sam.locator('#confirm').waitFor({ state: 'visible' });
    await sam.selectOption('#confirm-role', 'supervisor');
    await sam.click('#confirm-yes');
    await expect.poll(async () => (await cells(sue, 'Kim Kline'))[2]).toBe('supervisor');

    // Nothing Sue had on screen is lost: the page was not reloaded, the form and the one-time password stay.
    expect(await sue.evaluate(() => window.notReloaded)).toBe(true);
    expect(await sue.inputValue('#add-name')).toBe('Half Typed');
    expect(await sue.inputValue('#add-email')).toBe('half@exa');
    expect(await sue.isVisible('#created')).toBe(true);
    expect(await sue.inputValue('#created-password')).toBe('kims first password');

    // The event itself only says "reload": no ids, names or e-mail addresses.
    const toSue = (await seen(sue)).filter((event) => event.type === 'accounts.changed');
    expect(toSue.length).toBeGreaterThanOrEqual(3);
    for (const event of toSue) expect(JSON.parse(event.data)).toEqual({ type: 'accounts.changed', audience: 'supervisor' });

    // Ada (an agent) is on the same feed: a later event reaches her, the account changes never did.
    kit.app.agents.events.publish({ type: 'queue.changed' });
    await expect.poll(async () => (await seen(ada)).map((event) => event.type)).toContain('queue.changed');
    expect((await seen(ada)).filter((event) => event.type === 'accounts.changed')).toEqual([]);
  });
});
