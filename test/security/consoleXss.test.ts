/**
 * Customer-controlled text in the console, in a real browser: names, messages and file names are shown as
 * text, and only http(s) links become clickable (a `javascript:` or `data:` link from any record stays text).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';
import { type ConsoleKit, describeInBrowser, openTicket, startConsoleKit } from '../support/browser';

const NAME = '<img src=x onerror="window.__pwned=1">Mallory';

describeInBrowser('hostile customer input in the console (real browser)', () => {
  let kit: ConsoleKit;

  beforeAll(async () => {
    kit = await startConsoleKit();
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('shows markup in names, messages and file names as text and never makes a javascript: or data: link clickable', async () => {
    const { ref } = await customerAsksForAPerson(kit, kit.channel.user(undefined, NAME));
    const conversationId = (await kit.app.tickets.require(ref)).conversation!.conversationId;
    await kit.app.transcripts.record({
      conversationId,
      channelId: 'emulator',
      ticketRef: ref,
      direction: 'in',
      actor: { kind: 'customer', id: 'mallory', name: NAME },
      text: '<script>window.__pwned=2</script> see **files**',
      files: [
        { contentType: 'text/html', name: 'click-me.html', url: 'javascript:window.__pwned=3' },
        { contentType: 'text/html', name: 'inline.html', url: 'data:text/html,<script>alert(1)</script>' },
        { contentType: 'image/jpeg', name: '<b>photo</b>.jpg', url: 'https://files.example.com/photo.jpg' },
      ],
    });

    const page = await kit.signInAsSupervisor();
    try {
      await openTicket(page, ref);
      await page.locator('#transcript .file').nth(2).waitFor();

      const files = page.locator('#transcript .file');
      expect(await files.nth(0).textContent()).toContain('click-me.html');
      expect(await files.nth(0).locator('a').count()).toBe(0);
      expect(await files.nth(1).locator('a').count()).toBe(0);
      expect(await files.nth(2).locator('a').getAttribute('href')).toBe('https://files.example.com/photo.jpg');
      expect(await files.nth(2).textContent()).toContain('<b>photo</b>.jpg');
      expect(await page.locator('a[href^="javascript:"], a[href^="data:"], #transcript img, #transcript script').count()).toBe(0);
      expect(await page.locator('#transcript').textContent()).toContain('<script>window.__pwned=2</script>');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    } finally {
      await page.close();
    }
  }, 60_000);
});
