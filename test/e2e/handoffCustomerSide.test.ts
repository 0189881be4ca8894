/**
 * The customer's side of a handoff, over real HTTP (fake channel → /api/messages, agent API, events API):
 * leaving the queue, what they write while waiting, resolution while waiting, the hub owning the chat,
 * and the courtesy after a person hands back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY } from '../../services/clock';
import type { LiveEvent } from '../../services/handoff/liveEvents';
import { type AgentClient, signedIn } from '../agents/agentClient';
import { API_KEY, followUpOf, postEvent, startFollowUpApp } from '../followUps/support';
import { customerAsksForAPerson, type Kit, startKit, ticketOpenedFor } from '../handoff/handoffTestKit';
import { FakeChannel, type FakeUser } from '../support/fakeChannel';

const MENU = /How can I help\?|I'm .+'s automated assistant/;
const photo = (customer: FakeUser) =>
  customer.sendAndCollect(customer.activity({ attachments: [{ contentType: 'image/jpeg', contentUrl: 'https://example.com/label.jpg', name: 'label.jpg' }] }));

describe('the customer side of the human handoff', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function kit(env: Record<string, string> = {}): Promise<Kit & { live: LiveEvent[] }> {
    const started = await startKit({ TICKET_EVENTS_API_KEY: API_KEY, ...env });
    cleanups.push(started.close);
    const live: LiveEvent[] = [];
    started.app.agents.events.subscribe((event) => live.push(event));
    return { ...started, live };
  }

  const setStatus = (agent: AgentClient, ref: string, status: string) => agent.json('POST', `/api/agent/tickets/${ref}/status`, { status });

  describe('a ticket resolved or closed while the customer waits for a person', () => {
    it('when the events API resolves it, the wait ends and the customer\'s thanks, status question and rating reach the normal flow', async () => {
      const { app } = await startFollowUpApp({ CSAT_REOPEN_DAYS: '7' });
      const channel = await new FakeChannel().start(`${app.url}/api/messages`);
      cleanups.push(() => app.close(), () => channel.stop());
      const priya = channel.user('user-priya', 'Priya Raman');
      const ref = /\*\*([A-Z]+-[A-Z0-9]{6})\*\*/.exec((await priya.says('agent')).join('\n'))![1];
      expect((await app.agents.queue.get(ref))?.state).toBe('waiting');

      expect((await postEvent(app, ref, { status: 'resolved', publicNote: 'We refunded you.' })).status).toBe(200);
      await app.followUps.sweepOnce();

      expect((await priya.says('thanks')).join('\n')).not.toEqual('');
      expect((await priya.says('status')).join('\n')).toContain(`Ticket **${ref}** is resolved`);
      const rated = (await priya.says('5')).join('\n');
      expect(rated).not.toMatch(/in line/);
      expect(rated).toContain('recorded your rating');
      expect((await followUpOf(app, ref))?.csat).toMatchObject({ score: 5 });
      expect((await app.agents.queue.get(ref))?.state).toBe('ended');
      expect((await app.tickets.audit.list(ref)).map((event) => event.action)).toContain('handoff.queue_ended');
    });

    it('when an agent closes a waiting ticket in the console, it leaves the queue and the next customer is number 1 in line', async () => {
      const k = await kit();
      const first = await customerAsksForAPerson(k);
      const asha = await signedIn(k.app, 'agent', 'Asha Patel');
      await setStatus(asha, first.ref, 'closed');
      await expect.poll(async () => (await k.app.agents.queue.get(first.ref))?.state).toBe('ended');
      const queue = await asha.json<{ waiting: Array<{ ref: string }> }>('GET', '/api/agent/queue');
      expect(queue.waiting).toEqual([]);
      expect((await customerAsksForAPerson(k)).reply).toMatch(/number 1 in line/);
      // The closed ticket's customer is served by the bot again.
      expect((await first.customer.says('status')).join('\n')).toContain(`Ticket **${first.ref}** is closed`);
    });

    it('when a ticket the system queued (high priority) is closed, it no longer counts in anyone\'s place in line', async () => {
      const k = await kit();
      const quiet = k.channel.user();
      const opened = await ticketOpenedFor(k, quiet, 'My order never arrived and the refund is missing');
      await expect.poll(async () => (await k.app.agents.queue.get(opened.ref))?.state).toBe('waiting');
      const asha = await signedIn(k.app, 'agent', 'Asha Patel');
      await setStatus(asha, opened.ref, 'closed');
      await expect.poll(async () => (await k.app.agents.queue.list()).waiting).toEqual([]);
      expect((await customerAsksForAPerson(k)).reply).toMatch(/number 1 in line/);
    });

    it('when someone other than the holder resolves a held conversation, the hold ends and the bot takes the conversation back, without telling the customer of a hand-back nobody made', async () => {
      const k = await kit();
      const { ref, customer } = await customerAsksForAPerson(k);
      const asha = await signedIn(k.app, 'agent', 'Asha Patel');
      await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
      expect((await postEvent(k.app, ref, { status: 'resolved' })).status).toBe(200);
      await expect.poll(async () => (await k.app.agents.queue.get(ref))?.state).toBe('ended');
      await expect.poll(async () => (await k.app.tickets.require(ref)).heldBy ?? null).toBeNull();
      expect(customer.transcript().join('\n')).not.toMatch(/handed you back/);
      expect((await customer.says('status')).join('\n')).toContain(`Ticket **${ref}** is resolved`);
    });

    it('when the holder resolves the ticket themself, they keep the conversation to say goodbye', async () => {
      const k = await kit();
      const { ref, customer } = await customerAsksForAPerson(k);
      const asha = await signedIn(k.app, 'agent', 'Asha Patel');
      await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
      await setStatus(asha, ref, 'resolved');
      expect(await customer.says('thank you so much')).toEqual([]);
      expect((await k.app.agents.queue.get(ref))?.state).toBe('held');
    });
  });

  it('in external-hub mode, once the hub accepted, a photo without text gets no answer from the bot', async () => {
    const k = await kit({ HANDOFF_MODE: 'external' });
    const { customer } = await customerAsksForAPerson(k);
    await k.channel.post(customer.activity({ type: 'event', name: 'handoff.status', value: { state: 'accepted' } }));
    expect(await photo(customer)).toEqual([]);
  });

  it('while the customer waits in the queue, a photo without text reaches the console live with its name and type', async () => {
    const k = await kit();
    const { ref, customer } = await customerAsksForAPerson(k);
    // The bot still thanks them (its wording belongs to whoever owns attachments); the console sees the photo.
    expect((await photo(customer)).length).toBeGreaterThan(0);
    expect(k.live).toContainEqual(expect.objectContaining({ type: 'customer.message', ref, text: '[attachment: label.jpg (image/jpeg)]' }));
  });

  describe('leaving the queue', () => {
    it.each(['ok cancel', 'cancel please', 'never mind, I found it', "actually I don't need help anymore", 'nvm'])(
      'when a waiting customer says "%s", they leave the queue',
      async (words) => {
        const k = await kit();
        const { ref, customer } = await customerAsksForAPerson(k);
        expect((await customer.says(words)).join('\n')).toContain("I've taken you out of the queue");
        expect((await k.app.agents.queue.get(ref))?.state).toBe('ended');
      },
    );

    it('when a waiting customer writes a longer message that merely mentions cancel, they stay in the queue', async () => {
      const k = await kit();
      const { ref, customer } = await customerAsksForAPerson(k);
      expect((await customer.says("I want to cancel my order, it's late")).join('\n')).not.toContain('out of the queue');
      expect((await k.app.agents.queue.get(ref))?.state).toBe('waiting');
    });
  });

  it('when the customer writes details within a minute of being queued, they are told the team will see it', async () => {
    const k = await kit();
    const { customer } = await customerAsksForAPerson(k);
    const reply = (await customer.says('My order AB-2024117 arrived smashed')).join('\n');
    expect(reply).toContain('the team will see it');
    expect(reply).not.toContain('AB-2024117');
    expect((await customer.says('hello?')).join('\n')).toContain('the team will see');
  });

  it('outside staffed hours, what the waiting customer writes goes onto the ticket and fills its order number, phone and description', async () => {
    const k = await kit();
    k.clock.set('2026-03-07T15:30:00Z'); // Saturday
    const { ref, customer, reply } = await customerAsksForAPerson(k);
    expect(reply).toMatch(/team is away/);
    const words = 'my order AB-2024117 is missing, please call me on +44 20 7946 0958';
    const ack = (await customer.says(words)).join('\n');
    expect(ack).toContain(`ticket **${ref}** (with your order number and phone)`);
    expect(ack).not.toContain('7946');

    const ticket = await k.app.tickets.require(ref);
    expect(ticket).toMatchObject({ orderNumber: 'AB-2024117', description: words, contact: { phone: '+442079460958', consent: true, preferred: 'phone' } });
    const actions = (await k.app.tickets.audit.list(ref)).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['ticket.customer_update', 'ticket.details_filled']));

    // Later details never overwrite what the ticket already has.
    await customer.says('actually it might be order AB-9999999, e-mail me at priya.r@example.com');
    expect(await k.app.tickets.require(ref)).toMatchObject({ orderNumber: 'AB-2024117', contact: { phone: '+442079460958', email: 'priya.r@example.com', consent: true } });

    const asha = await signedIn(k.app, 'agent', 'Asha Patel');
    for (const query of ['AB-2024117', '+44 20 7946 0958']) {
      const found = await asha.json<{ tickets: Array<{ ref: string }> }>('GET', `/api/agent/tickets?query=${encodeURIComponent(query)}`);
      expect(found.tickets.map((hit) => hit.ref)).toContain(ref);
    }
  });

  it('contact details given while waiting without asking to be contacted are kept without consent', async () => {
    const k = await kit();
    const { ref, customer } = await customerAsksForAPerson(k);
    await customer.says('my email is priya.r@example.com');
    expect((await k.app.tickets.require(ref)).contact).toMatchObject({ email: 'priya.r@example.com', consent: false });
  });

  it('after an agent hands back, "thanks Asha!", "ok" and "bye" each get a short acknowledgement, not the menu', async () => {
    const k = await kit();
    const { ref, customer } = await customerAsksForAPerson(k);
    const asha = await signedIn(k.app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    await asha.json('POST', `/api/agent/tickets/${ref}/handback`, {});
    await k.channel.waitFor(() => customer.transcript().some((text) => text.includes('handed you back')));
    for (const words of ['thanks Asha!', 'ok', 'bye']) {
      const reply = (await customer.says(words)).join('\n');
      expect(reply).toContain("You're welcome");
      expect(reply).not.toMatch(MENU);
    }
    // Long after the hand-back, courtesy is the normal flow's again.
    k.clock.advance(DAY);
    expect((await customer.says('ok')).join('\n')).not.toContain("You're welcome");
  });
});
