/**
 * WCAG 2.1 AA in a real browser: axe-core finds no serious or critical violation on the staff pages in the states
 * agents work in (signed in, a ticket open, the saved-replies picker open, a confirmation open), the sign-in page and the try-it shell;
 * plus what axe cannot judge: new chat lines announced without re-reading the chat, errors tied to their fields,
 * and the console usable 320 px wide (200% zoom).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';
import { PASSWORD, signedIn } from '../agents/agentClient';
import { seriousViolations } from '../support/axe';
import { artifactPath, type ConsoleKit, describeInBrowser, openTicket, signInToConsole, startConsoleKit } from '../support/browser';

describeInBrowser('accessibility of the staff pages (axe-core, real browser)', () => {
  let kit: ConsoleKit;
  let ref: string;

  beforeAll(async () => {
    kit = await startConsoleKit({ LOCAL_TRY_IT: 'true', LOCAL_DIRECTLINE_PORT: '0' });
    const lead = await signedIn(kit.app, 'supervisor', 'Lee Lead');
    await lead.json('POST', '/api/agent/saved-replies', { title: 'Greeting', text: 'Hi {customer_first_name}, I have your ticket {ticket_ref}.' });
    await lead.json('POST', '/api/agent/saved-replies', { title: 'Apology', text: 'Sorry for the trouble.' });
    ({ ref } = await customerAsksForAPerson(kit, kit.channel.user('user-priya', 'Priya Raman')));
  });

  afterAll(async () => {
    await kit?.close();
  });

  async function expectNoSerious(page: Page, where: string, exclude?: string): Promise<void> {
    expect(await seriousViolations(page, exclude), where).toEqual([]);
  }

  it('the console, signed in with a ticket taken over and the saved-replies picker open, has no serious violation', async () => {
    const page = await kit.signInAsSupervisor();
    try {
      await page.locator(`#waiting [data-ref="${ref}"]`).waitFor();
      await expectNoSerious(page, 'the queue');
      await openTicket(page, ref);
      await page.locator('#takeover').click();
      await page.locator('#reply-text:not([disabled])').waitFor();
      await expectNoSerious(page, 'a ticket taken over');
      await page.locator('#saved-replies').click();
      await page.locator('#saved-list li').nth(1).waitFor();
      await expectNoSerious(page, 'the saved-replies picker');
      await page.keyboard.press('Escape');
      await page.locator('#handback').click();
      await page.locator('#takeover:not([hidden])').waitFor();
    } finally {
      await page.close();
    }
  });

  it('the escalate and priority reason forms, open and showing an error, have no serious violation', async () => {
    const page = await kit.signInAsSupervisor();
    try {
      await openTicket(page, ref);
      await page.click('#escalate');
      await page.locator('#escalate-reason:focus').waitFor();
      await page.click('#escalate-submit');
      await expect.poll(() => page.textContent('#escalate-form-error')).not.toBe('');
      await page.click('#priority-apply');
      await page.locator('#priority-reason:focus').waitFor();
      await expectNoSerious(page, 'the reason forms');
      await page.keyboard.press('Escape');
      await page.click('#escalate-cancel');
    } finally {
      await page.close();
    }
  });

  it('the take-over confirmation, open on a colleague\'s conversation, has no serious violation', async () => {
    const page = await kit.signInAsSupervisor();
    try {
      const ticket = await customerAsksForAPerson(kit, kit.channel.user('user-dara', 'Dara Quinn'));
      const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
      await asha.json('POST', `/api/agent/tickets/${ticket.ref}/takeover`, {});
      await openTicket(page, ticket.ref);
      await page.click('#takeover');
      await page.locator('#takeover-submit:focus').waitFor();
      await expectNoSerious(page, 'the take-over confirmation');
      await page.click('#takeover-cancel');
      await page.locator('#takeover-form').waitFor({ state: 'hidden' });
    } finally {
      await page.close();
    }
  });

  it('the sign-in page has no serious violation, and a wrong password is announced and tied to the fields', async () => {
    const page = await kit.browser.newPage();
    try {
      await page.goto(`${kit.app.url}/agent`);
      await page.locator('#signin').waitFor();
      await expectNoSerious(page, 'sign-in');
      expect(await page.getAttribute('#login-email', 'autocomplete')).toBe('username');
      expect(await page.getAttribute('#login-password', 'autocomplete')).toBe('current-password');
      await page.fill('#login-email', 'sam@example.com');
      await page.fill('#login-password', 'not the password at all');
      await page.press('#login-password', 'Enter');
      await expect.poll(() => page.textContent('#signin-error')).not.toBe('');
      expect(await page.getAttribute('#signin-error', 'role')).toBe('alert');
      expect(await page.getAttribute('#login-password', 'aria-invalid')).toBe('true');
      expect(await page.getAttribute('#login-password', 'aria-describedby')).toContain('signin-error');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-password');
      await expectNoSerious(page, 'sign-in with an error');
    } finally {
      await page.close();
    }
  });

  it('the password-change form names its fields for password managers, and a mismatch is announced on the field it is about', async () => {
    const page = await kit.signInAsSupervisor();
    try {
      await page.click('#change-password');
      await page.locator('#password').waitFor();
      expect(await page.getAttribute('#password-current', 'autocomplete')).toBe('current-password');
      expect(await page.getAttribute('#password-new', 'autocomplete')).toBe('new-password');
      expect(await page.getAttribute('#password-repeat', 'autocomplete')).toBe('new-password');
      expect(await page.getAttribute('#password-username', 'autocomplete')).toBe('username');
      await page.fill('#password-current', PASSWORD);
      await page.fill('#password-new', 'a long new password');
      await page.fill('#password-repeat', 'a different new one');
      await page.click('#password-submit');
      expect(await page.textContent('#password-error')).toBe('The two new passwords are not the same.');
      expect(await page.getAttribute('#password-error', 'role')).toBe('alert');
      expect(await page.getAttribute('#password-repeat', 'aria-invalid')).toBe('true');
      expect(await page.getAttribute('#password-repeat', 'aria-describedby')).toContain('password-error');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('password-repeat');
      await expectNoSerious(page, 'the password form');
    } finally {
      await page.close();
    }
  });

  it('a new customer message is added to the chat log (a polite live region) without rewriting the lines already read', async () => {
    const page = await kit.signInAsSupervisor();
    try {
      const ticket = await customerAsksForAPerson(kit, kit.channel.user('user-omar', 'Omar Haddad'));
      await openTicket(page, ticket.ref);
      expect(await page.getAttribute('#chat-log', 'role')).toBe('log');
      expect(await page.getAttribute('#chat-log', 'aria-live')).toBe('polite');
      const log = page.locator('#chat-log #transcript');
      await page.locator('#takeover').click();
      await page.locator('#reply-text:not([disabled])').waitFor();
      const before = await log.locator('li').count();
      // Marks the lines on screen: a redraw would replace them, and a screen reader would read the whole chat again.
      await page.evaluate(() => {
        for (const line of Array.from(document.querySelectorAll('#transcript li'))) line.setAttribute('data-seen', 'yes');
        // The ticket view redraws its audit list last: a count of those redraws says a reload has been drawn.
        const marks = window as unknown as { redrawn: number };
        marks.redrawn = 0;
        new MutationObserver(() => marks.redrawn++).observe(document.getElementById('audit')!, { childList: true });
      });
      await ticket.customer.says('Is anyone there? The vase is in pieces.');
      await log.getByText('The vase is in pieces.').waitFor();
      // The message also reloads the ticket: the lines must survive that reload too.
      await page.waitForFunction(() => (window as unknown as { redrawn: number }).redrawn > 0);
      expect(await page.locator('#transcript li[data-seen="yes"]').count()).toBe(before);
      expect(await log.locator('li').count()).toBe(before + 1);
      await page.locator('#handback').click();
      await page.locator('#takeover:not([hidden])').waitFor();
    } finally {
      await page.close();
    }
  });

  it('at 320 px wide (200% zoom on a small laptop) the console scrolls down, not sideways, and every control of the ticket is on screen', async () => {
    const context = await kit.browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    try {
      await signInToConsole(page, kit.app.url, 'sam@example.com', PASSWORD);
      const ticket = await customerAsksForAPerson(kit, kit.channel.user('user-kai', 'Kai Müller'));
      await openTicket(page, ticket.ref);
      await page.locator('#takeover').click();
      await page.locator('#reply-text:not([disabled])').waitFor();
      await page.screenshot({ path: artifactPath('console-320px.png'), fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      for (const id of ['find-query', 'signout', 'handback', 'reply-text', 'saved-replies', 'reply-send', 'status-select', 'status-apply', 'priority-apply', 'transfer', 'escalate', 'note-internal', 'note-public']) {
        const box = await page.locator(`#${id}`).boundingBox();
        expect(box, id).not.toBeNull();
        expect(box!.x, id).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, id).toBeLessThanOrEqual(320);
      }
      await page.locator('#handback').click();
      await page.locator('#takeover:not([hidden])').waitFor();
    } finally {
      await context.close();
    }
  });

  it('the team, reports and privacy pages have no serious violation', async () => {
    const page = await kit.signInAsSupervisor();
    try {
      await page.goto(`${kit.app.url}/agent/team`);
      await page.waitForSelector('body[data-ready="true"]');
      await expectNoSerious(page, 'team');
      await page.goto(`${kit.app.url}/agent/reports?from=2026-03-02&to=2026-03-08`);
      await page.waitForSelector('body[data-rendered="true"]');
      await expectNoSerious(page, 'reports');
      await page.goto(`${kit.app.url}/agent/privacy`);
      await page.waitForSelector('body[data-ready="true"]');
      await expectNoSerious(page, 'privacy');
    } finally {
      await page.close();
    }
  });

  it("the try-it page's own shell (Web Chat's inside left out) has no serious violation and one main landmark", async () => {
    const page = await kit.browser.newPage();
    try {
      await page.goto(kit.app.url);
      await page.locator('[data-id="webchat-sendbox-input"]').waitFor({ timeout: 20_000 });
      await expectNoSerious(page, 'try-it', '#webchat');
      expect(await page.locator('main, [role="main"]').count()).toBe(1);
      expect(await page.locator('h1').count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});
