/**
 * The ticket view keeps up on its own: an e-mail ticket shows the subject the customer wrote, and Messenger's
 * reply window notice and the Send button follow the clock while the page stays open. A real browser against the
 * real app on a manual clock; the page's own clock is moved with Playwright's page.clock by the same amounts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../services/clock';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';
import { type ConsoleKit, describeInBrowser, openTicket as open, startConsoleKit } from '../support/browser';
import { FakeChannel } from '../support/fakeChannel';

describeInBrowser('the console ticket view (real browser)', () => {
  let kit: ConsoleKit;
  let messenger: FakeChannel;
  let mailbox: FakeChannel;

  beforeAll(async () => {
    // Sign-ins last the whole simulated week.
    kit = await startConsoleKit({ SESSION_TTL_HOURS: '720' });
    messenger = await new FakeChannel('facebook').start(`${kit.app.url}/api/messages`);
    mailbox = await new FakeChannel('email').start(`${kit.app.url}/api/messages`);
  });

  afterAll(async () => {
    for (const channel of [messenger, mailbox]) await channel?.stop();
    await kit?.close();
  });

  /** A signed-in console page whose clock Playwright controls (it runs on by itself until moved). */
  async function signIn(): Promise<Page> {
    const page = await kit.signInAsSupervisor((fresh) => fresh.clock.install());
    await page.locator('#live:not(.down)').waitFor();
    return page;
  }

  /** Time passes for the server and for the page alike. */
  async function advance(page: Page, ms: number): Promise<void> {
    kit.clock.advance(ms);
    await page.clock.fastForward(ms);
  }

  it("shows an e-mail ticket's subject as the customer typed it, markup included as text, and no Subject row elsewhere", async () => {
    const subject = 'Where is my order? <img src=x onerror="document.body.dataset.hacked=1"> & <b>now</b>';
    const mail = mailbox.user('nora.quinn@example.com', 'Nora Quinn');
    const [answer] = await mail.says('My parcel never arrived, please help.', { channelData: { subject } });
    const mailRef = /\b(CS-[A-Z0-9]{6})\b/.exec(answer)![1];
    expect((await kit.app.tickets.require(mailRef)).subject).toBe(subject);
    const onMessenger = await customerAsksForAPerson(kit, messenger.user(undefined, 'Mo Messenger'));

    const page = await signIn();
    try {
      await open(page, mailRef);
      await page.locator('#d-subject').waitFor({ state: 'visible' });
      expect(await page.locator('#d-subject-label').isVisible()).toBe(true);
      expect(await page.textContent('#d-subject')).toBe(subject);
      expect(await page.locator('#d-subject *').count()).toBe(0);
      expect(await page.evaluate(() => document.body.dataset.hacked)).toBeUndefined();

      await open(page, onMessenger.ref);
      expect(await page.locator('#d-subject').isHidden()).toBe(true);
      expect(await page.locator('#d-subject-label').isHidden()).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('turns the Messenger notice to the human-agent tag after 24 h and switches Send off after 7 days while the page stays open, and reopens both when the customer writes again', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit, messenger.user(undefined, 'Lena Late'));
    kit.clock.advance(23 * HOUR + 50 * MINUTE);
    const page = await signIn();
    try {
      await open(page, ref);
      let loads = 0;
      page.on('response', (response) => response.url().endsWith(`/api/agent/tickets/${ref}`) && loads++);
      await page.click('#takeover');
      await page.locator('#reply-text:not([disabled])').waitFor();
      // The take-over's own reload and the one its live events ask for, both done before time moves on.
      await expect.poll(() => loads).toBeGreaterThanOrEqual(2);
      const note = page.locator('#reply-note');
      const send = page.locator('#reply-send');
      // Within the 24 hours a reply needs no warning.
      expect(await note.isHidden()).toBe(true);
      expect(await send.isDisabled()).toBe(false);

      // 20 minutes later, nothing reloaded: the page says the reply now goes with the human-agent tag.
      await advance(page, 20 * MINUTE);
      await expect.poll(() => note.isVisible()).toBe(true);
      expect(await note.textContent()).toMatch(/^Messenger: the customer last wrote 24h 10m ago\. Replies go with Meta's human-agent tag; the window closes in 5d/);
      expect(await note.getAttribute('class')).toContain('warn');
      expect(await send.isDisabled()).toBe(false);

      // The seventh day ends with the page still open: the notice says so and Send is off before anyone tries.
      await page.fill('#reply-text', 'Your refund was approved today.');
      await advance(page, 7 * DAY - (24 * HOUR + 10 * MINUTE) + MINUTE);
      await expect.poll(() => note.getAttribute('class')).toContain('closed');
      expect(await note.textContent()).toContain('the reply window is closed');
      expect(await send.isDisabled()).toBe(true);
      expect(await send.getAttribute('title')).toBe('The channel no longer accepts replies to this customer');
      expect(await page.inputValue('#reply-text')).toBe('Your refund was approved today.');

      // The customer writes again: the live feed brings it, the window is open again, and Send with it.
      await customer.says('Hello? Any news on my refund?');
      await expect.poll(() => page.locator('#transcript li.msg.in').last().textContent()).toContain('Any news on my refund?');
      await expect.poll(() => note.isHidden()).toBe(true);
      await expect.poll(() => send.isDisabled()).toBe(false);
    } finally {
      await page.close();
    }
  });
});
