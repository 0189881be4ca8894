import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeInBrowser, launchChromium, signInToConsole } from '../support/browser';
import type { App } from '../../index';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp } from '../support/testApp';


describeInBrowser('an agent handles a conversation in the console (real browser)', () => {
  let app: App;
  let channel: FakeChannel;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startTestApp();
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
    await app.agents.accounts.create({ email: 'asha@example.com', name: 'Asha Patel', role: 'agent', password: 'correct horse battery staple' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
  });

  afterAll(async () => {
    await browser?.close();
    await channel?.stop();
    await app?.close();
  });

  it('signs in, sees the customer arrive live, takes over, chats both ways, resolves and hands back', async () => {
    await signInToConsole(page, app.url, 'asha@example.com', 'correct horse battery staple');
    await expect.poll(() => page.locator('#me').textContent()).toContain('Asha Patel');

    // A customer on the fake channel asks for a person; the queue updates without a reload.
    const priya = channel.user('user-priya', 'Priya Raman');
    await priya.says('My order AB-2024117 arrived smashed');
    const askedForPerson = (await priya.says('agent')).join('\n');
    const ref = /\*\*([A-Z]+-[A-Z0-9]{6})\*\*/.exec(askedForPerson)![1];
    const item = page.locator(`#waiting [data-ref="${ref}"]`);
    await item.waitFor();
    await expect.poll(() => item.textContent()).toContain('Priya Raman');

    await item.click();
    await page.locator('#takeover').click();
    await channel.waitFor(() => priya.transcript().some((text) => text.includes("You're chatting with Asha from the support team")));
    await page.locator(`#active [data-ref="${ref}"]`).waitFor();

    // Customer → console, live.
    await priya.says('Hi Asha, the box was crushed and the vase inside is broken');
    await page.locator('#transcript').getByText('the vase inside is broken').waitFor();

    // Console → customer, on their channel.
    await page.fill('#reply-text', "I'm so sorry, Priya. I've arranged a replacement; it ships tomorrow.");
    await page.keyboard.press('Enter');
    await channel.waitFor(() => priya.transcript().some((text) => text.includes("I've arranged a replacement")));

    await page.selectOption('#status-select', 'resolved');
    await page.click('#status-apply');
    await expect.poll(async () => (await app.tickets.require(ref)).status).toBe('resolved');
    await page.locator('#audit').getByText('status → resolved').waitFor();

    // Another customer arrives while Asha is busy: the queue shows them waiting.
    await channel.user('user-tom', 'Tom Becker').says('agent');
    await page.locator('#waiting [data-ref]').first().waitFor();
    await page.screenshot({ path: artifactPath('console.png'), fullPage: false });

    await page.click('#handback');
    await channel.waitFor(() => priya.transcript().some((text) => text.includes('Asha has handed you back to the automated assistant')));
    await expect.poll(() => page.locator('#conv-holder').textContent()).toContain('The bot is handling this conversation');
    const audit = (await app.tickets.audit.list(ref)).map((event) => event.action);
    expect(audit).toEqual(expect.arrayContaining(['handoff.claimed', 'handoff.agent_replied', 'ticket.status_changed', 'handoff.handed_back']));
  });

  it('finds a ticket that is not queued by the reference the customer quotes, and opens its transcript', async () => {
    await app.agents.accounts.create({ email: 'ben@example.com', name: 'Ben Okafor', role: 'agent', password: 'correct horse battery staple' });
    const ticket = await app.tickets.open(
      { customer: { channelId: 'facebook', userId: 'fb-ana', name: 'Ana Lima' }, source: 'dm', description: 'Where is my parcel?', orderNumber: 'AB-3031337' },
      { kind: 'customer', id: 'fb-ana', name: 'Ana Lima' },
    );
    await app.transcripts.record({ conversationId: 'fb-conv-ana', channelId: 'facebook', ticketRef: ticket.ref, direction: 'in', actor: { kind: 'customer', id: 'fb-ana', name: 'Ana Lima' }, text: 'The courier left it at the wrong house' });
    await app.transcripts.record({
      conversationId: 'fb-conv-ana',
      channelId: 'facebook',
      ticketRef: ticket.ref,
      direction: 'in',
      actor: { kind: 'customer', id: 'fb-ana', name: 'Ana Lima' },
      text: '',
      files: [{ contentType: 'image/jpeg', name: 'doorstep.jpg', url: 'https://cdn.fbsbx.example/doorstep.jpg' }],
    });
    expect(await app.agents.queue.get(ticket.ref)).toBeNull();

    const ben = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    try {
      await signInToConsole(ben, app.url, 'ben@example.com', 'correct horse battery staple');
      expect(await ben.locator(`#waiting [data-ref="${ticket.ref}"], #active [data-ref="${ticket.ref}"]`).count()).toBe(0);

      // Read aloud over the phone: lower case, a space instead of the dash.
      await ben.fill('#find-query', ticket.ref.replace('-', ' ').toLowerCase());
      await ben.keyboard.press('Enter');
      await ben.locator(`#found [data-ref="${ticket.ref}"]`).waitFor();
      await ben.locator('#transcript').getByText('The courier left it at the wrong house').waitFor();
      await expect.poll(() => ben.locator('#conv-ref').textContent()).toBe(ticket.ref);
      await expect.poll(() => ben.locator('#d-order').textContent()).toBe('AB-3031337');
      // The photo she sent: named, typed, and a link to where the channel keeps it.
      const photo = ben.locator('#transcript a', { hasText: '📎 doorstep.jpg (image/jpeg)' });
      await photo.waitFor();
      expect(await photo.getAttribute('href')).toBe('https://cdn.fbsbx.example/doorstep.jpg');
      await ben.screenshot({ path: artifactPath('console-find-ticket.png'), fullPage: false });

      await ben.fill('#find-query', 'CS-ZZZZZZ');
      await ben.keyboard.press('Enter');
      await ben.locator('#find-message').getByText('No ticket matches that reference, order number, e-mail, phone or name.').waitFor();
    } finally {
      await ben.close();
    }
  });
});
