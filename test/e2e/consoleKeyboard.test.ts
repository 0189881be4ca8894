/**
 * The core agent flow with the keyboard only (page.keyboard, no clicks or fills): sign in, open a ticket from the queue,
 * take over, use a saved reply, send, hand back; no keyboard traps in the saved-replies picker, toasts or dialogs.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';
import { PASSWORD, signedIn } from '../agents/agentClient';
import { type ConsoleKit, describeInBrowser, startConsoleKit } from '../support/browser';

/** What has the keyboard focus: its id, else its accessible-ish name (a queue card's reference). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const node = document.activeElement as HTMLElement | null;
    if (!node || node === document.body) return 'body';
    return node.id || `${node.tagName.toLowerCase()}:${node.closest('[data-ref]')?.getAttribute('data-ref') ?? node.getAttribute('aria-label') ?? node.textContent?.trim().slice(0, 40)}`;
  });
}

/** Presses `key` until `target` has the focus; fails (instead of looping) when it never comes, or a stop repeats. */
async function pressUntil(page: Page, key: string, target: string, limit = 40): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    stops.push(now);
    if (now === target) return stops;
  }
  throw new Error(`${target} never got the focus with ${key}; stops: ${stops.join(', ')}`);
}

describeInBrowser('the console with the keyboard only (real browser)', () => {
  let kit: ConsoleKit;

  beforeAll(async () => {
    kit = await startConsoleKit();
    await kit.app.agents.accounts.create({ email: 'asha@example.com', name: 'Asha Patel', role: 'agent', password: PASSWORD });
    const lead = await signedIn(kit.app, 'supervisor', 'Lee Lead');
    await lead.json('POST', '/api/agent/saved-replies', { title: 'Apology', text: 'Sorry for the wait, {customer_first_name}.' });
  });

  afterAll(async () => {
    await kit?.close();
  });

  async function signInByKeyboard(page: Page, email: string): Promise<void> {
    await page.goto(`${kit.app.url}/agent`);
    await page.locator('#login-email:focus').waitFor();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('login-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('#app').waitFor({ state: 'visible' });
  }

  it('an agent signs in, opens a waiting ticket from the queue, takes over, inserts a saved reply, sends it and hands back, all by keyboard', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit, kit.channel.user('user-priya', 'Priya Raman'));
    const page = await kit.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signInByKeyboard(page, 'asha@example.com');
      await page.locator(`#waiting [data-ref="${ref}"]`).waitFor();

      // Tab goes through the page in reading order: top bar, find, then the queue.
      const stops = await pressUntil(page, 'Tab', `button:${ref}`);
      expect(stops.indexOf('signout')).toBeLessThan(stops.indexOf('find-query'));
      expect(stops.indexOf('find-query')).toBeLessThan(stops.indexOf(`button:${ref}`));
      expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');

      // Enter opens it and brings the keyboard to the ticket's heading; the next stop is Take over.
      await page.keyboard.press('Enter');
      await expect.poll(() => focused(page)).toBe('conv-title');
      expect(await page.textContent('#conv-ref')).toBe(ref);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('takeover');
      await page.keyboard.press('Enter');
      await kit.channel.waitFor(() => customer.transcript().some((text) => text.includes("You're chatting with Asha")));
      await expect.poll(() => focused(page)).toBe('reply-text');

      // Saved replies: Tab to the button, Enter opens the picker with the filter focused, Enter inserts.
      await page.keyboard.type('Hello! ');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('saved-replies');
      await page.keyboard.press('Enter');
      await page.locator('#saved-list li').first().waitFor();
      expect(await focused(page)).toBe('saved-filter');
      await page.keyboard.press('Enter');
      await page.locator('#saved-picker').waitFor({ state: 'hidden' });
      expect(await focused(page)).toBe('reply-text');
      expect(await page.inputValue('#reply-text')).toBe('Hello! Sorry for the wait, Priya.');

      await page.keyboard.press('Enter');
      await kit.channel.waitFor(() => customer.transcript().includes('Hello! Sorry for the wait, Priya.'));
      await expect.poll(() => page.inputValue('#reply-text')).toBe('');
      expect(await focused(page)).toBe('reply-text');

      // Hand back is before the chat: Shift+Tab reaches it; afterwards the keyboard lands on Take over, not the page top.
      await pressUntil(page, 'Shift+Tab', 'handback', 6);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.textContent('#conv-holder')).toBe('The bot is handling this conversation.');
      await expect.poll(() => focused(page)).toBe('takeover');
    } finally {
      await page.close();
    }
  });

  it('the saved-replies picker lets go of the keyboard: Escape returns to the reply, Tab moves on and closes it', async () => {
    const { ref } = await customerAsksForAPerson(kit, kit.channel.user('user-omar', 'Omar Haddad'));
    const page = await kit.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signInByKeyboard(page, 'asha@example.com');
      await page.locator(`#waiting [data-ref="${ref}"]`).waitFor();
      await pressUntil(page, 'Tab', `button:${ref}`);
      await page.keyboard.press('Enter');
      await expect.poll(() => focused(page)).toBe('conv-title');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expect.poll(() => focused(page)).toBe('reply-text');

      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.locator('#saved-list li').first().waitFor();
      expect(await page.getAttribute('#saved-replies', 'aria-expanded')).toBe('true');
      await page.keyboard.press('Escape');
      await page.locator('#saved-picker').waitFor({ state: 'hidden' });
      expect(await focused(page)).toBe('reply-text');
      expect(await page.getAttribute('#saved-replies', 'aria-expanded')).toBe('false');

      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.locator('#saved-list li').first().waitFor();
      await page.keyboard.press('Tab');
      await page.locator('#saved-picker').waitFor({ state: 'hidden' });
      expect(await focused(page)).not.toBe('saved-filter');
      expect(await focused(page)).not.toBe('body');

      await pressUntil(page, 'Shift+Tab', 'handback', 12);
      await page.keyboard.press('Enter');
      await expect.poll(() => focused(page)).toBe('takeover');
    } finally {
      await page.close();
    }
  });

  it('a toast is read out, can be reached with Shift+Tab from the page and dismissed with Escape, and gives the keyboard back', async () => {
    const page = await kit.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signInByKeyboard(page, 'asha@example.com');
      await pressUntil(page, 'Tab', 'change-password');
      await page.keyboard.press('Enter');
      await expect.poll(() => focused(page)).toBe('password-current');
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Tab');
      await page.keyboard.type('asha picked a new one');
      await page.keyboard.press('Tab');
      await page.keyboard.type('asha picked a new one');
      await page.keyboard.press('Enter');
      await page.locator('.toast').waitFor();
      expect(await page.textContent('#announcer')).toContain('Your password is changed.');
      expect(await page.getAttribute('#announcer', 'aria-live')).toBe('assertive');

      // Stays while the keyboard is on it; Escape closes it and the keyboard goes back into the console.
      await pressUntil(page, 'Shift+Tab', 'button:Dismiss notification', 60);
      await page.keyboard.press('Escape');
      await page.locator('.toast').waitFor({ state: 'detached' });
      expect(await focused(page)).not.toBe('body');
    } finally {
      await page.close();
    }
  });

  it('on the team page the confirmation dialog keeps the keyboard inside while open, and Escape gives it back to the row button', async () => {
    const page = await kit.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${kit.app.url}/agent`);
      await page.locator('#login-email:focus').waitFor();
      await page.keyboard.type('sam@example.com');
      await page.keyboard.press('Tab');
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      await page.locator('#app').waitFor({ state: 'visible' });
      await page.goto(`${kit.app.url}/agent/team`);
      await page.waitForSelector('body[data-ready="true"]');
      await pressUntil(page, 'Tab', 'button:Disable Asha Patel');
      await page.keyboard.press('Enter');
      await page.locator('#confirm').waitFor({ state: 'visible' });
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.getElementById('confirm')!.contains(document.activeElement) || document.activeElement === document.body)).toBe(true);
      }
      await page.keyboard.press('Escape');
      await page.locator('#confirm').waitFor({ state: 'hidden' });
      expect(await focused(page)).toBe('button:Disable Asha Patel');
    } finally {
      await page.close();
    }
  });
});
