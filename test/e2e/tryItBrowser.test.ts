/**
 * The local try-it page in real headless Chromium: Microsoft Web Chat, served by the bot, talking through
 * the bundled Direct Line, holds a whole conversation to a ticket reference that exists in the store.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeInBrowser, launchChromium } from '../support/browser';
import type { App } from '../../index';
import { startTestApp } from '../support/testApp';

const SEND_BOX = '[data-id="webchat-sendbox-input"]';

describeInBrowser('the try-it page in a real browser', () => {
  let app: App;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startTestApp({ LOCAL_TRY_IT: 'true', LOCAL_DIRECTLINE_PORT: '0' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 800, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** The transcript's visible text. */
  const transcript = () => page.locator('.webchat__basic-transcript').innerText();

  /** Types like a person and waits until the bot's answer matching `expected` appears (one more time than before). */
  async function say(text: string, expected: RegExp): Promise<void> {
    const count = (await transcript()).match(new RegExp(expected.source, 'g'))?.length ?? 0;
    await page.locator(SEND_BOX).fill(text);
    await page.locator(SEND_BOX).press('Enter');
    await page.waitForFunction(
      ([source, before]) => (document.querySelector('.webchat__basic-transcript')?.textContent?.match(new RegExp(source as string, 'g'))?.length ?? 0) > (before as number),
      [expected.source, count] as const,
      { timeout: 20_000 },
    );
  }

  it('a customer chats in Web Chat from hello to a ticket reference that is in the store', async () => {
    expect(app.localDirectLine?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await page.goto(app.url);
    await expect(page.title()).resolves.toMatch(/Acme support/);
    await page.locator(SEND_BOX).waitFor({ timeout: 20_000 });

    await say('hi', /automated assistant/);
    await say("it's order #AB-2024117, the box arrived smashed 😡", /How can we reach you/);
    await say('priya.r@example.com', /okay for us to contact you/);
    await say('yes', /Shall I open the ticket\?/);
    await say('yes', /Your ticket is CS-[A-Z0-9]{6}/);

    const ref = /Your ticket is (CS-[A-Z0-9]{6})/.exec(await transcript())?.[1];
    expect(ref).toBeDefined();
    await page.screenshot({ path: artifactPath('try-it.png'), fullPage: true });

    const ticket = await app.tickets.get(ref!);
    expect(ticket).toMatchObject({
      status: 'open',
      orderNumber: 'AB-2024117',
      contact: { email: 'priya.r@example.com', consent: true },
      description: "it's order #AB-2024117, the box arrived smashed 😡",
      conversation: { serviceUrl: app.localDirectLine!.url },
    });
    expect(ticket!.customer.userId).toMatch(/^web-/);
  }, 90_000);
});
