/**
 * The console on a busy day with every way customers reach the team (Messenger, Instagram, the support mailbox,
 * SMS replies): a real browser against the real app on a manual clock, with loopback fake channels.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY, HOUR } from '../../services/clock';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';
import { artifactPath, type ConsoleKit, describeInBrowser, openTicket as open, startConsoleKit } from '../support/browser';
import { FakeChannel } from '../support/fakeChannel';

describeInBrowser('the console names each channel and its limits (real browser)', () => {
  let kit: ConsoleKit;
  let messenger: FakeChannel;
  let instagram: FakeChannel;
  let mailbox: FakeChannel;

  beforeAll(async () => {
    // Sign-ins last the whole simulated week.
    kit = await startConsoleKit({ SESSION_TTL_HOURS: '720' });
    messenger = await new FakeChannel('facebook').start(`${kit.app.url}/api/messages`);
    instagram = await new FakeChannel('instagram').start(`${kit.app.url}/api/messages`);
    mailbox = await new FakeChannel('email').start(`${kit.app.url}/api/messages`);
  });

  afterAll(async () => {
    for (const channel of [messenger, instagram, mailbox]) await channel?.stop();
    await kit?.close();
  });

  async function signIn(): Promise<Page> {
    const page = await kit.signInAsSupervisor();
    await page.locator('#live:not(.down)').waitFor();
    return page;
  }

  it('says in words which channel each conversation is on, that an e-mail reply leaves as an e-mail, and where SMS and mail lines came from, files included', async () => {
    const onMessenger = await customerAsksForAPerson(kit, messenger.user(undefined, 'Mia Messenger'));
    const onInstagram = await customerAsksForAPerson(kit, instagram.user(undefined, 'Ivy Insta'));
    const mail = mailbox.user('priya.raman@example.com', 'Priya Raman');
    const [answer] = await mail.says('My parcel AB-12345 never arrived, the invoice is attached.', {
      channelData: { subject: 'Where is my order?' },
      attachments: [{ contentType: 'application/pdf', name: 'invoice.pdf', contentUrl: 'https://files.example.com/invoice.pdf' }],
    });
    const mailRef = /\b(CS-[A-Z0-9]{6})\b/.exec(answer)![1];
    // The customer answered a follow-up by SMS, with a photo (MMS), onto the Messenger ticket's thread.
    await kit.app.transcripts.record({
      conversationId: (await kit.app.tickets.require(onMessenger.ref)).conversation!.conversationId,
      channelId: 'sms',
      ticketRef: onMessenger.ref,
      direction: 'in',
      actor: { kind: 'customer', id: 'mia', name: 'Mia Messenger' },
      text: 'Here is the damaged box',
      files: [{ contentType: 'image/jpeg', name: 'box.jpg', url: 'https://api.twilio.com/media/box.jpg' }],
    });

    const page = await signIn();
    try {
      await expect.poll(() => page.locator(`#waiting [data-ref="${onInstagram.ref}"] .pill.channel`).textContent()).toBe('Instagram');
      expect(await page.locator(`#waiting [data-ref="${onMessenger.ref}"] .pill.channel`).textContent()).toBe('Messenger');

      await page.locator(`#waiting [data-ref="${onMessenger.ref}"]`).click();
      await expect.poll(() => page.locator('#conv-ref').textContent()).toBe(onMessenger.ref);
      expect(await page.textContent('#conv-channel')).toBe('Messenger');
      expect(await page.textContent('#d-channel')).toBe('Messenger');
      const sms = page.locator('#transcript li[data-channel="sms"]');
      expect(await sms.locator('.via').textContent()).toBe('SMS reply');
      expect(await sms.locator('.file a').textContent()).toContain('box.jpg');
      // A reply on Messenger within the day needs no warning.
      expect(await page.locator('#reply-note').isHidden()).toBe(true);

      await open(page, mailRef);
      expect(await page.textContent('#d-channel')).toBe('E-mail');
      expect(await page.textContent('#conv-channel')).toBe('E-mail');
      expect(await page.textContent('#reply-note')).toContain('your reply goes out as an e-mail to priya.raman@example.com');
      const mailLine = page.locator('#transcript li.msg.in').first();
      expect(await mailLine.locator('.via').textContent()).toBe('E-mail');
      expect(await mailLine.locator('.file a').textContent()).toContain('invoice.pdf');
      expect(await page.textContent('#d-description')).toContain('Where is my order?');
      await page.screenshot({ path: artifactPath('console-email-ticket.png') });
    } finally {
      await page.close();
    }
  });

  it("warns before typing that Messenger's window is closing, and when a reply is refused after 7 days says why and keeps the text", async () => {
    const { ref, customer } = await customerAsksForAPerson(kit, messenger.user(undefined, 'Max Late'));
    kit.clock.advance(30 * HOUR);
    const page = await signIn();
    try {
      await open(page, ref);
      const note = page.locator('#reply-note');
      await note.waitFor({ state: 'visible' });
      expect(await note.textContent()).toMatch(/Messenger: the customer last wrote 30h 0m ago\. Replies go with Meta's human-agent tag; the window closes in 5d/);
      await page.click('#takeover');
      await page.locator('#reply-text:not([disabled])').waitFor();

      // The week runs out while the page is open; the agent writes and sends.
      kit.clock.advance(6 * DAY);
      const before = customer.transcript().length;
      await page.fill('#reply-text', 'Your refund was approved today.');
      await page.keyboard.press('Enter');
      await page.locator('#conv-error').getByText('Not sent').waitFor();
      expect(await page.textContent('#conv-error')).toMatch(/Messenger window closed.*Your text is kept/);
      expect(await page.inputValue('#reply-text')).toBe('Your refund was approved today.');
      expect(customer.transcript().slice(before)).toEqual([]);
      // From now on the page says so up front, and Send stays off while the text stays.
      await expect.poll(() => note.getAttribute('class')).toContain('closed');
      expect(await note.textContent()).toContain('the reply window is closed');
      expect(await page.locator('#reply-send').isDisabled()).toBe(true);
      await page.locator('#reply-text').press('End');
      await page.keyboard.type(' Thanks!');
      expect(await page.locator('#reply-send').isDisabled()).toBe(true);
      await page.screenshot({ path: artifactPath('console-window-closed.png') });

      // Opened afresh, the closed window shows before anyone types.
      await page.reload();
      await page.locator('#app').waitFor({ state: 'visible' });
      await open(page, ref);
      await expect.poll(() => page.locator('#reply-note').textContent()).toContain('the reply window is closed');
      expect(await page.locator('#reply-send').isDisabled()).toBe(true);
    } finally {
      await page.close();
    }
  });
});
