/**
 * Taking a conversation over from a colleague is confirmed in the page (not the browser's confirm()): the confirmation
 * names who is chatting and what happens to them; Confirm takes over, Escape or Cancel sends nothing and gives the
 * keyboard back to Take over.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signedIn } from '../agents/agentClient';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';
import { type ConsoleKit, describeInBrowser, openTicket, startConsoleKit } from '../support/browser';

const focused = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName.toLowerCase() || 'body');

describeInBrowser('taking over from a colleague, confirmed in the page (real browser)', () => {
  let kit: ConsoleKit;
  let page: Page;
  let dialogs: string[];
  let posts: string[];
  let asha: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    kit = await startConsoleKit();
    page = await kit.signInAsSupervisor();
    asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    // The browser's own confirm() must never come up: every one is recorded (and dismissed, as a cancel) here.
    dialogs = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    posts = [];
    page.on('request', (request) => request.method() === 'POST' && posts.push(new URL(request.url()).pathname));
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('with the keyboard only: Take over opens a confirmation naming the colleague, Escape and Cancel send nothing, Confirm takes the conversation and the keyboard goes to the reply box', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit, kit.channel.user('user-lena', 'Lena Vogt'));
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    await openTicket(page, ref);
    await expect.poll(() => page.textContent('#takeover')).toBe('Take over from Asha Patel');
    const takeoverPosts = () => posts.filter((path) => path === `/api/agent/tickets/${ref}/takeover`);

    await page.focus('#conv-title');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('takeover');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('takeover-submit');
    expect(await page.isVisible('#takeover-form')).toBe(true);
    expect(await page.textContent('#takeover-form-title')).toBe('Take over from Asha Patel?');
    expect(await page.textContent('#takeover-form-text')).toBe('Asha Patel is chatting with this customer. If you take over, Asha Patel can no longer reply to them and is told you took the conversation.');
    expect(await page.getAttribute('#takeover-submit', 'aria-describedby')).toBe('takeover-form-text');
    expect(await page.textContent('#takeover-submit')).toBe('Confirm');

    // Escape: closed, the keyboard back on Take over, nothing sent.
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#takeover-form')).toBe(true);
    expect(await focused(page)).toBe('takeover');

    // Cancel, reached with Tab: the same.
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('takeover-submit');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('takeover-cancel');
    await page.keyboard.press('Enter');
    expect(await page.isHidden('#takeover-form')).toBe(true);
    expect(await focused(page)).toBe('takeover');
    expect(takeoverPosts()).toEqual([]);
    expect((await kit.app.tickets.require(ref)).heldBy?.name).toBe('Asha Patel');

    // Confirm: the same API call as before (a forced takeover), then the keyboard is in the reply box.
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('takeover-submit');
    const sent = page.waitForResponse((response) => response.url().endsWith(`/api/agent/tickets/${ref}/takeover`));
    await page.keyboard.press('Enter');
    const response = await sent;
    expect(response.request().postDataJSON()).toEqual({ force: true });
    expect(response.status()).toBe(200);
    await expect.poll(() => focused(page)).toBe('reply-text');
    expect(await page.isHidden('#takeover-form')).toBe(true);
    expect(takeoverPosts()).toHaveLength(1);
    expect((await kit.app.tickets.require(ref)).heldBy?.name).toBe('Sam Lee');
    await kit.channel.waitFor(() => customer.transcript().some((text) => text.includes("You're chatting with Sam")));
    expect(await kit.app.tickets.audit.list(ref)).toContainEqual(expect.objectContaining({ action: 'handoff.taken_over' }));
    expect(dialogs).toEqual([]);
  });

  it('when nobody is chatting yet, Take over takes the conversation at once, with no confirmation', async () => {
    const { ref } = await customerAsksForAPerson(kit, kit.channel.user('user-tomas', 'Tomas Ruiz'));
    await openTicket(page, ref);
    await page.focus('#takeover');
    const sent = page.waitForResponse((response) => response.url().endsWith(`/api/agent/tickets/${ref}/takeover`));
    await page.keyboard.press('Enter');
    expect((await sent).request().postDataJSON()).toEqual({ force: false });
    await expect.poll(() => focused(page)).toBe('reply-text');
    expect(await page.isHidden('#takeover-form')).toBe(true);
    expect((await kit.app.tickets.require(ref)).heldBy?.name).toBe('Sam Lee');
    expect(dialogs).toEqual([]);
  });

  it('a confirmation left open on one ticket is gone when another ticket is opened', async () => {
    const first = await customerAsksForAPerson(kit, kit.channel.user('user-ines', 'Ines Costa'));
    const second = await customerAsksForAPerson(kit, kit.channel.user('user-yusuf', 'Yusuf Demir'));
    await asha.json('POST', `/api/agent/tickets/${first.ref}/takeover`, {});
    await openTicket(page, first.ref);
    await page.click('#takeover');
    await page.locator('#takeover-form').waitFor({ state: 'visible' });
    await openTicket(page, second.ref);
    expect(await page.isHidden('#takeover-form')).toBe(true);
    expect(posts.filter((path) => path === `/api/agent/tickets/${first.ref}/takeover`)).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
