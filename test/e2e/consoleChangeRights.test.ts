/** The console shows why status and priority cannot be changed, instead of a button that fails (real browser). */
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PASSWORD, signedIn } from '../agents/agentClient';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';
import { type ConsoleKit, describeInBrowser, openTicket, signInToConsole, startConsoleKit } from '../support/browser';

describeInBrowser('status and priority in the console when the ticket is not the agent’s to change', () => {
  let kit: ConsoleKit;
  let page: Page;

  beforeEach(async () => {
    kit = await startConsoleKit();
    await kit.app.agents.accounts.create({ email: 'ben@example.com', name: 'Ben Okafor', role: 'agent', password: PASSWORD });
    page = await kit.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInToConsole(page, kit.app.url, 'ben@example.com', PASSWORD);
  });
  afterEach(() => kit.close());

  const lockedControls = ['#status-select', '#status-apply', '#priority-select', '#priority-apply'];

  it('while a colleague chats with the customer, the status and priority controls are disabled with the reason; after the hand-back they work again', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    await openTicket(page, ref);

    for (const selector of lockedControls) expect(await page.locator(selector).isDisabled()).toBe(true);
    expect(await page.locator('#status-apply').getAttribute('title')).toContain('Asha Patel is chatting with the customer');
    await page.locator('#change-locked').getByText('ask a supervisor to change the status or priority').waitFor();

    await asha.json('POST', `/api/agent/tickets/${ref}/handback`, {});
    await expect.poll(() => page.locator('#status-apply').isDisabled()).toBe(false);
    expect(await page.locator('#change-locked').isHidden()).toBe(true);
  });

  it('while a colleague chats with the customer, the Escalate button is disabled with the reason shown; after the hand-back it works again', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    await openTicket(page, ref);

    expect(await page.locator('#escalate').isDisabled()).toBe(true);
    expect(await page.locator('#escalate').getAttribute('title')).toContain('Asha Patel is chatting with the customer');
    await page.locator('#escalate-locked').getByText('ask a supervisor to escalate it').waitFor();

    await asha.json('POST', `/api/agent/tickets/${ref}/handback`, {});
    await expect.poll(() => page.locator('#escalate').isDisabled()).toBe(false);
    expect(await page.locator('#escalate-locked').isHidden()).toBe(true);
  });

  it('on a ticket escalated to the supervisor tier, an agent sees why they cannot change it', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    await kit.app.agents.escalations.escalate(ref, { kind: 'system', id: 'test' }, 'refund over the limit');
    await openTicket(page, ref);
    for (const selector of lockedControls) expect(await page.locator(selector).isDisabled()).toBe(true);
    expect(await page.locator('#priority-apply').getAttribute('title')).toContain('Escalated to the supervisor tier');
  });
});
