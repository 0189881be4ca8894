/** A live chat in the console while the customer and the agent write at the same moment, in a real browser. */
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleKit, describeInBrowser, openTicket, startConsoleKit } from '../support/browser';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';

describeInBrowser('the console keeps a live chat whole (real browser)', () => {
  let kit: ConsoleKit;

  beforeAll(async () => {
    kit = await startConsoleKit();
  });
  afterAll(() => kit?.close());

  it('when a reload of the chat that started before the agent\'s reply was sent lands after it, the reply stays on screen', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const page = await kit.signInAsSupervisor();
    await page.locator('#live:not(.down)').waitFor();
    await openTicket(page, ref);
    await page.click('#takeover');
    await page.locator('#reply-text:not([disabled])').waitFor();
    const transcript = page.locator('#transcript');
    // The first reply records the first response (a ticket change that reloads the chat anyway); the race is on later ones.
    await page.fill('#reply-text', 'Hello, Sam here.');
    await page.press('#reply-text', 'Enter');
    await transcript.getByText('Hello, Sam here.').waitFor();
    await expect.poll(() => page.locator('#reply-text').inputValue()).toBe('');

    // The reload the customer's message triggers reads the chat now, and is answered only after the agent's reply went out.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const heldReload = new Promise<void>((resolve) => (held = resolve));
    let first = true;
    await page.route(`**/api/agent/tickets/${ref}`, async (route: Route) => {
      if (route.request().method() !== 'GET' || !first) return route.continue();
      first = false;
      const response = await route.fetch();
      const view = await response.json();
      view.ticket.customer.name = 'Stale view';
      held();
      await gate;
      await route.fulfill({ response, json: view });
    });
    await customer.says('are you still there?');
    await heldReload;
    await page.fill('#reply-text', 'Yes, checking your parcel now.');
    const sent = page.waitForResponse((response) => response.url().endsWith(`/api/agent/tickets/${ref}/messages`));
    await page.press('#reply-text', 'Enter');
    expect((await sent).status()).toBe(200);
    await transcript.getByText('Yes, checking your parcel now.').waitFor();
    release();

    await expect.poll(async () => ({
      reply: await transcript.getByText('Yes, checking your parcel now.').count(),
      customer: await transcript.getByText('are you still there?').count(),
      stale: await page.locator('#conv-customer').textContent(),
    })).toEqual({ reply: 1, customer: 1, stale: expect.not.stringContaining('Stale view') });
    await page.close();
  });
});
