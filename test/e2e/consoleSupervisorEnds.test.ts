/** The agent chatting is told on their console when a supervisor resolves the ticket under them (real browser). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PASSWORD, signedIn } from '../agents/agentClient';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';
import { type ConsoleKit, describeInBrowser, openTicket, signInToConsole, startConsoleKit } from '../support/browser';

describeInBrowser('a supervisor ends the chat an agent holds, seen from the agent\'s console', () => {
  let kit: ConsoleKit;

  beforeAll(async () => {
    kit = await startConsoleKit();
  });
  afterAll(() => kit?.close());

  it('when a supervisor resolves the ticket, the agent chatting sees a notice naming who ended it, and their reply box closes', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    await signedIn(kit.app, 'agent', 'Asha Patel');
    const page = await kit.browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await signInToConsole(page, kit.app.url, 'asha.patel@example.com', PASSWORD);
      await page.locator('#live:not(.down)').waitFor();
      await openTicket(page, ref);
      await page.click('#takeover');
      await page.locator('#reply-text:not([disabled])').waitFor();

      const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
      expect((await sam.request('POST', `/api/agent/tickets/${ref}/status`, { status: 'resolved' })).status).toBe(200);

      const notice = page.locator('.toast.takeover.mine');
      await notice.waitFor();
      expect(await notice.textContent()).toBe(`Your chat has ended. Sam Lee resolved ${ref} while Asha Patel was chatting; the customer is sent the resolved notice and the bot has the conversation again`);
      await expect.poll(() => page.locator('#announcer').textContent()).toContain(`Sam Lee resolved ${ref}`);
      await page.locator('#reply-text[disabled]').waitFor();
    } finally {
      await page.close();
    }
  });
});
