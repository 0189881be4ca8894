/** The console's behaviour found wanting by the audit, in a real browser against the real app and a fake channel. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { App } from '../../index';
import { AgentClient, PASSWORD } from '../agents/agentClient';
import { describeInBrowser, launchChromium, signInToConsole } from '../support/browser';
import { FakeChannel, type FakeUser } from '../support/fakeChannel';
import { startTestApp } from '../support/testApp';

describeInBrowser('the console keeps agents on the right track (real browser)', () => {
  let app: App;
  let channel: FakeChannel;
  let browser: Browser;
  let sam: AgentClient;
  let benId: string;

  beforeAll(async () => {
    app = await startTestApp();
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
    await app.agents.accounts.create({ email: 'asha@example.com', name: 'Asha Patel', role: 'agent', password: PASSWORD });
    benId = (await app.agents.accounts.create({ email: 'ben@example.com', name: 'Ben Okafor', role: 'agent', password: PASSWORD }))._id;
    await app.agents.accounts.create({ email: 'sam@example.com', name: 'Sam Lee', role: 'supervisor', password: PASSWORD });
    sam = new AgentClient(app.url);
    await sam.login('sam@example.com');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await channel?.stop();
    await app?.close();
  });

  async function signIn(email = 'asha@example.com', context?: BrowserContext): Promise<Page> {
    const page = context ? await context.newPage() : await browser.newPage({ viewport: { width: 1440, height: 860 } });
    await signInToConsole(page, app.url, email, PASSWORD);
    // Live updates connected: what customers say from now on reaches this page (on a busy machine it takes a moment).
    await page.locator('#live:not(.down)').waitFor();
    return page;
  }

  async function customerWaiting(name = 'Priya Raman'): Promise<{ ref: string; customer: FakeUser }> {
    const customer = channel.user(undefined, name);
    const reply = (await customer.says('agent')).join('\n');
    return { ref: /\*\*([A-Z]+-[A-Z0-9]{6})\*\*/.exec(reply)![1], customer };
  }

  async function takeOver(page: Page, ref: string, customer: FakeUser): Promise<void> {
    await page.locator(`#waiting [data-ref="${ref}"], #active [data-ref="${ref}"]`).first().click();
    await expect.poll(() => page.locator('#conv-ref').textContent()).toBe(ref);
    await page.locator('#takeover').click();
    await channel.waitFor(() => customer.transcript().some((text) => text.includes("You're chatting with Asha")));
    await page.locator('#reply-text:not([disabled])').waitFor();
  }

  /** A change to the ticket the console must re-render for; resolves once it has. */
  async function ticketChanges(page: Page, ref: string, note: string): Promise<void> {
    await sam.json('POST', `/api/agent/tickets/${ref}/notes`, { visibility: 'internal', text: note });
    await page.locator('#audit').getByText(note).waitFor();
  }

  it('keeps the colleague picked for a transfer when the customer writes meanwhile, and transfers to them', async () => {
    const page = await signIn();
    try {
      const { ref, customer } = await customerWaiting();
      await takeOver(page, ref, customer);
      await page.selectOption('#transfer-select', `agent:${benId}`);
      await customer.says('Are you still there?');
      await page.locator('#transcript').getByText('Are you still there?').waitFor();
      await ticketChanges(page, ref, 'refresh while Ben is picked');
      expect(await page.locator('#transfer-select').inputValue()).toBe(`agent:${benId}`);
      await page.click('#transfer');
      await expect.poll(async () => (await app.tickets.require(ref)).heldBy?.name).toBe('Ben Okafor');
      expect((await app.tickets.require(ref)).tier ?? 'agent').toBe('agent');
    } finally {
      await page.close();
    }
  });

  it('sends a reply once when Enter is pressed twice on a slow channel, and a retry of the same draft reuses its id', async () => {
    const page = await signIn();
    const ids: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/messages')) ids.push((JSON.parse(request.postData() ?? '{}') as { clientMessageId: string }).clientMessageId);
    });
    try {
      const { ref, customer } = await customerWaiting();
      await takeOver(page, ref, customer);
      channel.replyDelayMs = 1500;
      await page.fill('#reply-text', 'Your refund is on its way.');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await channel.waitFor(() => customer.transcript().includes('Your refund is on its way.'));
      // A later message on the same slow channel: anything sent before it has arrived by the time it does.
      await page.locator('#reply-send:not([disabled])').waitFor();
      await page.fill('#reply-text', 'Anything else I can help with?');
      await page.keyboard.press('Enter');
      await channel.waitFor(() => customer.transcript().includes('Anything else I can help with?'));
      expect(customer.transcript().filter((text) => text === 'Your refund is on its way.')).toHaveLength(1);
      channel.replyDelayMs = 0;

      // The channel fails: the draft stays, and sending it again carries the same clientMessageId.
      ids.length = 0;
      channel.failWith.set(customer.conversationId, 400);
      await page.fill('#reply-text', 'One more thing about the refund.');
      await page.keyboard.press('Enter');
      await page.locator('#conv-error').getByText('Could not reach the customer').waitFor();
      expect(await page.locator('#reply-text').inputValue()).toBe('One more thing about the refund.');
      channel.failWith.delete(customer.conversationId);
      await page.locator('#reply-send:not([disabled])').waitFor();
      await page.keyboard.press('Enter');
      await channel.waitFor(() => customer.transcript().includes('One more thing about the refund.'));
      // The browser reports the second request on its own schedule: wait for it rather than race it.
      await expect.poll(() => ids.length).toBe(2);
      expect(customer.transcript().filter((text) => text === 'One more thing about the refund.')).toHaveLength(1);
      expect(ids[1]).toBe(ids[0]);
    } finally {
      channel.replyDelayMs = 0;
      await page.close();
    }
  });

  it('shows the customer’s contact details, consent, source, priority reasons and public post; no takeover without a conversation', async () => {
    const ticket = await app.tickets.open(
      {
        customer: { channelId: 'x', userId: 'x-ana', name: 'Ana Lima' },
        source: 'public_post',
        description: 'My parcel arrived damaged, third time this month',
        humanRequestedReason: 'asked for a person',
        contact: { email: 'ana@example.com', phone: '+442071234567', preferred: 'phone', consent: true },
        publicPost: { platform: 'x', postId: 'p42', url: 'https://x.com/analima/status/42', text: 'Lost my parcel again @acme', authorId: 'x-ana', authorHandle: 'analima', followers: 25_000, postedAt: new Date() },
      },
      { kind: 'customer', id: 'x-ana', name: 'Ana Lima' },
    );
    const page = await signIn();
    try {
      await page.fill('#find-query', ticket.ref);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#conv-ref').textContent()).toBe(ticket.ref);
      await expect.poll(() => page.locator('#d-email').textContent()).toBe('ana@example.com');
      expect(await page.locator('#d-phone').textContent()).toBe('+442071234567');
      expect(await page.locator('#d-consent').textContent()).toBe('agreed to be contacted · prefers phone');
      expect(await page.locator('#d-source').textContent()).toBe('public post');
      expect(ticket.priorityReasons).toContain('the customer asked for a person');
      expect(await page.locator('#d-reasons li').allTextContents()).toEqual(ticket.priorityReasons);
      expect(await page.locator('#d-post a').getAttribute('href')).toBe('https://x.com/analima/status/42');
      expect(await page.locator('#d-post').textContent()).toContain('@analima');
      expect(await page.locator('#d-post').textContent()).toContain('25,000 followers');
      expect(await page.locator('#takeover').isDisabled()).toBe(true);
      expect(await page.locator('#takeover').getAttribute('title')).toContain('No conversation to take over');
    } finally {
      await page.close();
    }
  });

  it('disables “Take over” from a supervisor for an agent, saying why', async () => {
    const { ref } = await customerWaiting('Tom Becker');
    await sam.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    const page = await signIn();
    try {
      await page.locator(`#active [data-ref="${ref}"]`).click();
      await expect.poll(() => page.locator('#takeover').textContent()).toBe('Take over from Sam Lee');
      expect(await page.locator('#takeover').isDisabled()).toBe(true);
      expect(await page.locator('#takeover').getAttribute('title')).toContain('only a supervisor or above');
    } finally {
      await page.close();
    }
  });

  it('after signing in again in another tab, the first tab still works; after signing out, it says the session expired', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 860 } });
    try {
      const stale = await signIn('asha@example.com', context);
      const { ref } = await customerWaiting('Lena Ortiz');
      await stale.locator(`#waiting [data-ref="${ref}"]`).click();
      await expect.poll(() => stale.locator('#conv-ref').textContent()).toBe(ref);

      // Signing in again elsewhere in the same browser replaces the session cookie the older tab uses.
      const login = await context.request.post(`${app.url}/api/agent/login`, { data: { email: 'asha@example.com', password: PASSWORD } });
      expect(login.status()).toBe(200);
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      await stale.fill('#note-text', 'Noted from the older tab');
      await stale.click('#note-internal');
      await stale.locator('#audit').getByText('Noted from the older tab').waitFor();
      expect(await stale.locator('#conv-error').textContent()).toBe('');

      expect((await context.request.post(`${app.url}/api/agent/logout`, { headers: { 'x-csrf-token': csrfToken } })).status()).toBe(200);
      // The tab may notice by itself (its live feed ends); if not, its next action does. Either way it says so.
      await stale.evaluate(() => {
        (document.getElementById('note-text') as HTMLTextAreaElement).value = 'After sign-out';
        document.getElementById('note-internal')!.click();
      });
      await stale.locator('#signin').waitFor({ state: 'visible' });
      expect(await stale.locator('#signin-error').textContent()).toBe('Your session expired, sign in again.');
    } finally {
      await context.close();
    }
  });

  it('marks a conversation I hold but am not viewing when its customer writes, in the queue and the tab title, until I open it', async () => {
    const page = await signIn();
    try {
      const first = await customerWaiting('Mia Chen');
      const second = await customerWaiting('Omar Haddad');
      await takeOver(page, second.ref, second.customer);
      await takeOver(page, first.ref, first.customer);
      await page.locator(`#active [data-ref="${second.ref}"]`).waitFor();
      await second.customer.says('Hello? Did you find my order?');
      const badge = page.locator(`#active [data-ref="${second.ref}"] .unread`);
      await badge.waitFor();
      expect(await badge.textContent()).toBe('1');
      await expect.poll(() => page.title()).toBe('(1) Support console');
      expect(await page.locator(`#active [data-ref="${first.ref}"] .unread`).count()).toBe(0);

      await page.locator(`#active [data-ref="${second.ref}"]`).click();
      await expect.poll(() => page.title()).toBe('Support console');
      expect(await page.locator(`#active [data-ref="${second.ref}"] .unread`).count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('keeps the reading position when the ticket changes while the agent has scrolled up', async () => {
    const page = await signIn();
    try {
      const { ref, customer } = await customerWaiting('Kai Müller');
      for (let i = 1; i <= 40; i++) {
        await app.transcripts.record({ conversationId: customer.conversationId, channelId: channel.channelId, ticketRef: ref, direction: 'in', actor: { kind: 'customer', id: customer.userId, name: 'Kai Müller' }, text: `Earlier message ${i}` });
      }
      await takeOver(page, ref, customer);
      await page.locator('#transcript').getByText('Earlier message 40').waitFor();
      await page.locator('#transcript').evaluate((list) => (list.scrollTop = 0));
      await ticketChanges(page, ref, 'a colleague looked at it');
      expect(await page.locator('#transcript').evaluate((list) => list.scrollTop)).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('labels the resolution timer "resolve in …"', async () => {
    const page = await signIn();
    try {
      const { ref } = await customerWaiting('Noor Aziz');
      await page.locator(`#waiting [data-ref="${ref}"]`).click();
      await expect.poll(() => page.locator('#d-first').textContent()).toMatch(/^reply in /);
      expect(await page.locator('#d-resolution').textContent()).toMatch(/^resolve in /);
    } finally {
      await page.close();
    }
  });

  it('shows a customer’s **asterisks** as typed, while the bot’s own bold stays bold', async () => {
    const page = await signIn();
    try {
      const { ref, customer } = await customerWaiting('Rui Costa');
      await page.locator(`#waiting [data-ref="${ref}"]`).click();
      await expect.poll(() => page.locator('#conv-ref').textContent()).toBe(ref);
      // The bot quoted the reference in bold when the customer asked for a person.
      expect(await page.locator('#transcript li.bot strong', { hasText: ref }).count()).toBeGreaterThan(0);
      await customer.says('This is **really** urgent');
      const message = page.locator('#transcript li.in', { hasText: 'urgent' });
      await message.waitFor();
      expect(await message.textContent()).toContain('This is **really** urgent');
      expect(await message.locator('strong').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('counts characters in a long reply and refuses to send one over 4000, saying so', async () => {
    const page = await signIn();
    try {
      const { ref, customer } = await customerWaiting('Ivy Novak');
      await takeOver(page, ref, customer);
      const before = customer.transcript().length;
      await page.fill('#reply-text', 'x'.repeat(4001));
      expect(await page.locator('#reply-text').inputValue()).toHaveLength(4001);
      await expect.poll(() => page.locator('#reply-count').textContent()).toBe('4001 / 4000 — too long to send');
      expect(await page.locator('#reply-send').isDisabled()).toBe(true);
      await page.locator('#reply-text').press('Enter');
      await page.locator('#reply-text').press('Backspace');
      await expect.poll(() => page.locator('#reply-count').textContent()).toBe('4000 / 4000');
      expect(await page.locator('#reply-send').isDisabled()).toBe(false);
      expect(customer.transcript().length).toBe(before);
    } finally {
      await page.close();
    }
  });
});
