/**
 * Escalate and Change priority ask their reason in a small form in the ticket panel (not the browser's prompt()):
 * labelled field, submit and cancel; Escape cancels and gives the keyboard back; errors are said in the form.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';
import { type ConsoleKit, describeInBrowser, openTicket, startConsoleKit } from '../support/browser';

const focused = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName.toLowerCase() || 'body');

/** Presses `key` until `target` has the focus; fails when it never comes. */
async function pressUntil(page: Page, key: string, target: string, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    if ((await focused(page)) === target) return;
  }
  throw new Error(`${target} never got the focus with ${key}`);
}

describeInBrowser('reasons for escalating and changing priority, asked in the page (real browser)', () => {
  let kit: ConsoleKit;
  let page: Page;
  let dialogs: string[];

  beforeAll(async () => {
    kit = await startConsoleKit();
    page = await kit.signInAsSupervisor();
    // The browser's own prompt()/confirm() must never come up: every one is recorded (and dismissed) here.
    dialogs = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('escalating with a reason works with the keyboard only: an empty reason is announced in the form, then the reason typed is sent and the keyboard comes back to Escalate', async () => {
    const { ref } = await customerAsksForAPerson(kit, kit.channel.user('user-nia', 'Nia Brooks'));
    await openTicket(page, ref);
    await page.focus('#conv-title');

    await pressUntil(page, 'Tab', 'escalate');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('escalate-reason');
    expect(await page.isVisible('#escalate-form')).toBe(true);
    expect(await page.locator('#escalate-reason').getAttribute('aria-describedby')).toBe('escalate-form-error');
    expect(await page.textContent('label[for="escalate-reason"]')).toBe('Why escalate to the next tier?');

    // Submitted empty: said in the form, and the keyboard is back on the field.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('escalate-submit');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#escalate-form-error')).toBe('Say why this ticket needs the next tier.');
    expect(await page.getAttribute('#escalate-form-error', 'role')).toBe('alert');
    expect(await page.getAttribute('#escalate-reason', 'aria-invalid')).toBe('true');
    expect(await focused(page)).toBe('escalate-reason');
    expect((await kit.app.tickets.require(ref)).tier ?? 'agent').toBe('agent');

    await page.keyboard.type('Refund above the agent limit');
    await page.keyboard.press('Tab');
    const sent = page.waitForResponse((response) => response.url().endsWith(`/api/agent/tickets/${ref}/escalate`));
    await page.keyboard.press('Enter');
    expect((await sent).request().postDataJSON()).toEqual({ reason: 'Refund above the agent limit' });
    await expect.poll(() => page.isHidden('#escalate-form')).toBe(true);
    await expect.poll(() => focused(page)).toBe('escalate');
    expect((await kit.app.tickets.require(ref)).tier).toBe('supervisor');
    expect(await kit.app.tickets.audit.list(ref)).toContainEqual(expect.objectContaining({ action: 'ticket.escalated', note: expect.stringContaining('Refund above the agent limit') }));
    await expect.poll(() => page.textContent('#d-tier')).toBe('supervisor');
    expect(dialogs).toEqual([]);
  });

  it('Escape or Cancel closes the form without sending, and the keyboard goes back to the button that opened it', async () => {
    const { ref } = await customerAsksForAPerson(kit, kit.channel.user('user-ola', 'Ola Berg'));
    await openTicket(page, ref);
    const calls: string[] = [];
    page.on('request', (request) => request.method() === 'POST' && calls.push(new URL(request.url()).pathname));

    await page.focus('#escalate');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('escalate-reason');
    await page.keyboard.type('not sure yet');
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#escalate-form')).toBe(true);
    expect(await focused(page)).toBe('escalate');

    await page.selectOption('#priority-select', 'urgent');
    await page.focus('#priority-apply');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('priority-reason');
    // The form says which priority it will set, and opens empty (the cancelled escalation's words are gone).
    expect(await page.textContent('#priority-form-title')).toBe('Change priority to urgent');
    expect(await page.inputValue('#priority-reason')).toBe('');
    await page.click('#priority-cancel');
    expect(await page.isHidden('#priority-form')).toBe(true);
    expect(await focused(page)).toBe('priority-apply');

    expect(calls.filter((path) => path.includes(ref))).toEqual([]);
    expect((await kit.app.tickets.require(ref)).tier ?? 'agent').toBe('agent');
    expect(dialogs).toEqual([]);
  });

  it('changing the priority sends the picked priority with the reason; a refusal from the server is said in the form, which stays open', async () => {
    const { ref } = await customerAsksForAPerson(kit, kit.channel.user('user-raj', 'Raj Singh'));
    await openTicket(page, ref);
    const before = (await kit.app.tickets.require(ref)).priority;
    const target = before === 'urgent' ? 'low' : 'urgent';

    await page.route(`**/api/agent/tickets/${ref}/priority`, (route) =>
      route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: 'TICKET_CHANGED', message: 'Someone changed this ticket; look again.' }) }),
    );
    await page.selectOption('#priority-select', target);
    await page.click('#priority-apply');
    await page.fill('#priority-reason', 'Customer is travelling tomorrow');
    await page.click('#priority-submit');
    await expect.poll(() => page.textContent('#priority-form-error')).toBe('Someone changed this ticket; look again.');
    expect(await page.isVisible('#priority-form')).toBe(true);
    expect(await page.inputValue('#priority-reason')).toBe('Customer is travelling tomorrow');
    await page.unroute(`**/api/agent/tickets/${ref}/priority`);

    const sent = page.waitForResponse((response) => response.url().endsWith(`/api/agent/tickets/${ref}/priority`));
    await page.click('#priority-submit');
    expect((await sent).request().postDataJSON()).toEqual({ priority: target, reason: 'Customer is travelling tomorrow' });
    await expect.poll(() => page.isHidden('#priority-form')).toBe(true);
    expect((await kit.app.tickets.require(ref)).priority).toBe(target);
    expect(await kit.app.tickets.audit.list(ref)).toContainEqual(expect.objectContaining({ action: 'ticket.priority_changed', note: expect.stringContaining('Customer is travelling tomorrow') }));
    expect(dialogs).toEqual([]);
  });
});
