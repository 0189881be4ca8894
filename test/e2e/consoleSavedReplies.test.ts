/** Saved replies in a real browser: an agent inserts one with the keyboard, edits it and sends; supervisors keep them on the team page. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerAsksForAPerson, type Kit, startKit } from '../handoff/handoffTestKit';
import { PASSWORD, signedIn } from '../agents/agentClient';
import { artifactPath, describeInBrowser, launchChromium, signInToConsole } from '../support/browser';

const MARKUP_TITLE = '<img src=x onerror="window.__pwned=1">Markup <b>check</b>';
const MARKUP_TEXT = '<script>window.__pwned=2</script><i>as typed</i>';

describeInBrowser('saved replies in the console (real browser)', () => {
  let kit: Kit;
  let browser: Browser;

  beforeAll(async () => {
    kit = await startKit();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await kit?.close();
  });

  it('an agent picks a saved reply with the keyboard, sees the placeholders filled, edits a word and sends exactly that text', async () => {
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    for (const [title, text] of [
      ['Greeting', 'Hi {customer_first_name}, I am {agent_first_name} and I have your ticket {ticket_ref} {order_number} open now.'],
      ['Greeting for returns', 'Hi {customer_first_name}, your return label is on its way.'],
      ['Apology', 'Sorry for the trouble.'],
      [MARKUP_TITLE, MARKUP_TEXT],
    ]) await sam.json('POST', '/api/agent/saved-replies', { title, text });
    await kit.app.agents.accounts.create({ email: 'asha@example.com', name: 'Asha Patel', role: 'agent', password: PASSWORD });

    // A customer with no order number on the ticket: that placeholder goes away without leaving a double space.
    const priya = kit.channel.user('user-priya', 'Priya Raman');
    const { ref } = await customerAsksForAPerson(kit, priya);
    expect((await kit.app.tickets.require(ref)).orderNumber).toBeUndefined();

    const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    try {
      await page.addInitScript(() => Object.defineProperty(window, '__pwned', { value: undefined, writable: true }));
      await signInToConsole(page, kit.app.url, 'asha@example.com', PASSWORD);
      await page.locator(`#waiting [data-ref="${ref}"]`).click();
      await page.locator('#takeover').click();
      await kit.channel.waitFor(() => priya.transcript().some((text) => text.includes("You're chatting with Asha")));
      await page.locator('#reply-text:not([disabled])').waitFor();

      // The agent started a line; the saved reply goes in where the cursor is.
      await page.locator('#reply-text').click();
      await page.keyboard.type('Thanks for waiting! ');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('saved-replies');
      await page.keyboard.press('Enter');
      await page.locator('#saved-picker').waitFor({ state: 'visible' });
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('saved-filter');
      await page.locator('#saved-list li').nth(3).waitFor();

      await page.keyboard.type('greet');
      await expect.poll(() => page.locator('#saved-list li .saved-title').allTextContents()).toEqual(['Greeting', 'Greeting for returns']);
      await page.screenshot({ path: artifactPath('console-saved-replies-picker.png'), fullPage: false });
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => page.locator('#saved-list li.active .saved-title').textContent()).toBe('Greeting for returns');
      await page.keyboard.press('ArrowUp');
      await expect.poll(() => page.locator('#saved-list li.active .saved-title').textContent()).toBe('Greeting');
      await page.keyboard.press('Enter');

      await page.locator('#saved-picker').waitFor({ state: 'hidden' });
      const filled = `Thanks for waiting! Hi Priya, I am Asha and I have your ticket ${ref} open now.`;
      expect(await page.inputValue('#reply-text')).toBe(filled);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('reply-text');
      // Inserting never sends: the customer has not had it.
      expect(priya.transcript().some((text) => text.includes('open now'))).toBe(false);

      // The agent changes the last word, then sends with Enter.
      for (let i = 0; i < 'now.'.length; i++) await page.keyboard.press('Backspace');
      await page.keyboard.type('today.');
      const sent = `Thanks for waiting! Hi Priya, I am Asha and I have your ticket ${ref} open today.`;
      expect(await page.inputValue('#reply-text')).toBe(sent);
      await page.screenshot({ path: artifactPath('console-saved-replies.png'), fullPage: false });
      await page.keyboard.press('Enter');
      await kit.channel.waitFor(() => priya.transcript().includes(sent));
      expect(priya.transcript().filter((text) => text.includes('I am Asha'))).toEqual([sent]);

      // Markup in a saved reply shows as text in the picker and goes into the draft as typed.
      await page.click('#saved-replies');
      await page.locator('#saved-filter').fill('markup');
      await expect.poll(() => page.locator('#saved-list li .saved-title').allTextContents()).toEqual([MARKUP_TITLE]);
      expect(await page.locator('#saved-list li .saved-preview').textContent()).toBe(MARKUP_TEXT);
      expect(await page.locator('#saved-picker img, #saved-picker b, #saved-picker i, #saved-picker script').count()).toBe(0);
      await page.keyboard.press('Enter');
      expect(await page.inputValue('#reply-text')).toBe(MARKUP_TEXT);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

      // Esc closes the picker without inserting, and the draft keeps the keyboard.
      await page.click('#saved-replies');
      await page.locator('#saved-picker').waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await page.locator('#saved-picker').waitFor({ state: 'hidden' });
      expect(await page.inputValue('#reply-text')).toBe(MARKUP_TEXT);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('reply-text');
    } finally {
      await page.close();
    }
  });

  it('a supervisor adds, edits and deletes a saved reply on the team page; markup stays text', async () => {
    await kit.app.agents.accounts.create({ email: 'sue@example.com', name: 'Sue Visor', role: 'supervisor', password: PASSWORD });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signInToConsole(page, kit.app.url, 'sue@example.com', PASSWORD);
      await page.goto(`${kit.app.url}/agent/team`);
      await page.locator('body[data-saved-replies-ready="true"]').waitFor();

      await page.fill('#saved-title', 'Shipping <b>delay</b>');
      await page.fill('#saved-body', 'Hi {customer_first_name}, parcels are running <em>a day</em> late.');
      await page.click('#saved-submit');
      const row = page.locator('#saved-replies tr', { hasText: 'Shipping <b>delay</b>' });
      await row.waitFor();
      expect(await row.locator('td').first().textContent()).toBe('Shipping <b>delay</b>');
      expect(await page.locator('#saved-replies b, #saved-replies em').count()).toBe(0);

      await row.getByRole('button', { name: 'Edit Shipping <b>delay</b>' }).click();
      await page.fill('#saved-body', 'Parcels are running two days late.');
      await page.click('#saved-submit');
      await page.locator('#saved-replies td', { hasText: 'Parcels are running two days late.' }).waitFor();
      const stored = await page.evaluate(async () => (await (await fetch('/api/agent/saved-replies')).json()) as { savedReplies: Array<{ title: string; text: string }> });
      expect(stored.savedReplies.filter((reply) => reply.title.startsWith('Shipping'))).toMatchObject([{ title: 'Shipping <b>delay</b>', text: 'Parcels are running two days late.' }]);

      await page.locator('#saved-replies tr', { hasText: 'Shipping <b>delay</b>' }).getByRole('button', { name: /^Delete/ }).click();
      await page.locator('#confirm').waitFor({ state: 'visible' });
      await page.click('#confirm-yes');
      await page.locator('#saved-replies tr', { hasText: 'Shipping <b>delay</b>' }).waitFor({ state: 'detached' });
    } finally {
      await page.close();
    }
  });
});
