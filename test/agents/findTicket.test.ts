import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../services/tickets/types';
import { type Kit, startKit } from '../handoff/handoffTestKit';
import { AgentClient, signedIn } from './agentClient';

interface Hit { ref: string; status: string; priority: string; channel: string; customerName: string | null; orderNumber: string | null; createdAt: string; heldBy: string | null }

describe('finding a ticket that is not in the queue', () => {
  let kit: Kit;
  let agent: AgentClient;
  let ticket: Ticket;

  const openTicket = (userId: string, name: string, orderNumber?: string) =>
    kit.app.tickets.open(
      { customer: { channelId: 'facebook', userId, name }, source: 'dm', description: 'Where is my parcel?', ...(orderNumber && { orderNumber }) },
      { kind: 'customer', id: userId, name },
    );
  const find = async (query: string) => {
    const response = await agent.request('GET', `/api/agent/tickets?query=${encodeURIComponent(query)}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { tickets: Hit[] }).tickets;
  };

  beforeEach(async () => {
    kit = await startKit();
    agent = await signedIn(kit.app, 'agent', 'Asha Patel');
    ticket = await openTicket('fb-ana', 'Ana Lima', 'AB-2024117');
  });
  afterEach(() => kit.close());

  it('finds it by its reference typed in lower case without the dash, with the fields an agent needs', async () => {
    expect(await kit.app.agents.queue.get(ticket.ref)).toBeNull();
    const typed = `${ticket.ref.replace('-', ' ').toLowerCase()}`;
    expect(await find(typed)).toEqual([
      { ref: ticket.ref, status: 'open', priority: ticket.priority, channel: 'facebook', customerName: 'Ana Lima', orderNumber: 'AB-2024117', createdAt: ticket.createdAt.toISOString(), heldBy: null },
    ]);
    expect((await find(ticket.ref.replace('-', '').toLowerCase())).map((hit) => hit.ref)).toEqual([ticket.ref]);
  });

  it('finds a ticket by another order number the customer named in it, and the chat that told it', async () => {
    const priya = kit.channel.user();
    await priya.says('both my orders AB-2024117 and AB-2024118 arrived broken');
    await priya.says('here only');
    const ref = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec((await priya.says('yes')).join('\n'))![1];
    expect(await kit.app.tickets.get(ref)).toMatchObject({ orderNumber: 'AB-2024117', otherOrderNumbers: ['AB-2024118'] });
    expect((await find('AB-2024118')).map((hit) => hit.ref)).toEqual([ref]);
    // The first order now has two tickets: the earlier one and the chat's.
    expect((await find('AB-2024117')).map((hit) => hit.ref).sort()).toEqual([ref, ticket.ref].sort());
  });

  it('finds every ticket about an order number however it is typed, newest first', async () => {
    kit.clock.advance(60_000);
    const later = await openTicket('fb-ben', 'Ben Okafor', 'AB-2024117');
    await openTicket('fb-cai', 'Cai Wong', 'AB-9999999');
    expect((await find('ab2024117')).map((hit) => hit.ref)).toEqual([later.ref, ticket.ref]);
    expect((await find('order #AB-2024117')).map((hit) => hit.customerName)).toEqual(['Ben Okafor', 'Ana Lima']);
  });

  it('finds a customer\'s tickets by the e-mail or phone they gave, however it is typed', async () => {
    const withContact = await kit.app.tickets.open(
      { customer: { channelId: 'webchat', userId: 'wc-dana', name: 'Dana Cruz' }, source: 'web', description: 'Refund never came', contact: { email: 'Dana.Cruz@Example.com', phone: '+14155550123', consent: true } },
      { kind: 'customer', id: 'wc-dana', name: 'Dana Cruz' },
    );
    expect((await find('dana.cruz@example.com')).map((hit) => hit.ref)).toEqual([withContact.ref]);
    expect((await find('she wrote from DANA.CRUZ@EXAMPLE.COM')).map((hit) => hit.ref)).toEqual([withContact.ref]);
    expect((await find('+1 (415) 555-0123')).map((hit) => hit.ref)).toEqual([withContact.ref]);
    expect(await find('someone.else@example.com')).toEqual([]);
  });

  it('finds tickets by the customer\'s name or public @handle, any case, newest first', async () => {
    kit.clock.advance(60_000);
    const again = await openTicket('fb-ana-2', 'Ana Lima', 'AB-3000001');
    const fromPost = await kit.app.tickets.open(
      {
        customer: { channelId: 'x', userId: '777', name: 'Rui' },
        source: 'public_post',
        description: 'parcel marked delivered, never arrived',
        publicPost: { platform: 'x', postId: '1900000000000000009', text: 'never arrived', authorId: '777', authorHandle: 'ana_travels', postedAt: kit.clock.now() },
      },
      { kind: 'customer', id: '777', name: 'Rui' },
    );
    expect((await find('ana lima')).map((hit) => hit.ref)).toEqual([again.ref, ticket.ref]);
    expect((await find('@ana_travels')).map((hit) => hit.ref)).toEqual([fromPost.ref]);
    expect((await find('LIMA')).map((hit) => hit.customerName)).toEqual(['Ana Lima', 'Ana Lima']);
    // Characters that mean something in a pattern are matched as typed.
    expect(await find('Ana (Lima)')).toEqual([]);
  });

  it('lists a ticket once when its order number was filled with one of the other orders it named', async () => {
    const named = await kit.app.tickets.open(
      { customer: { channelId: 'facebook', userId: 'fb-lee', name: 'Lee' }, source: 'dm', description: 'Orders AB-3000001 and AB-3000002 both arrived damaged' },
      { kind: 'customer', id: 'fb-lee', name: 'Lee' },
    );
    await kit.app.tickets.fillDetails(named.ref, { orderNumber: 'AB-3000001' }, { kind: 'customer', id: 'fb-lee', name: 'Lee' });
    expect((await find('AB-3000001')).map((hit) => hit.ref)).toEqual([named.ref]);
    expect((await kit.app.tickets.listForOrder('AB-3000001')).map((ticket) => ticket.ref)).toEqual([named.ref]);
  });

  it('finds an e-mail ticket by words of its subject, any case', async () => {
    const mailed = await kit.app.tickets.open(
      { customer: { channelId: 'email', userId: 'jo@example.com', name: 'Jo' }, source: 'dm', description: 'The kettle leaks from the base', subject: 'Leaking kettle, order 2' },
      { kind: 'customer', id: 'jo@example.com', name: 'Jo' },
    );
    expect((await find('leaking KETTLE')).map((hit) => hit.ref)).toEqual([mailed.ref]);
    expect(await find('toaster')).toEqual([]);
  });

  it('answers an empty list for a reference or order number nobody has', async () => {
    expect(await find('CS-ZZZZZZ')).toEqual([]);
    expect(await find('AB-7777777')).toEqual([]);
    expect(await find('hello')).toEqual([]);
  });

  it('answers 400 without a query and 401 without a session', async () => {
    const missing = await agent.request('GET', '/api/agent/tickets');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'VALIDATION_FAILED' });
    const anonymous = await new AgentClient(kit.app.url).request('GET', `/api/agent/tickets?query=${ticket.ref}`);
    expect(anonymous.status).toBe(401);
  });

  it('is in the OpenAPI document for the agent role, with its query parameter', async () => {
    const doc = (await (await fetch(`${kit.app.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-min-role': string; parameters: unknown[] }>> };
    expect(doc.paths['/api/agent/tickets'].get).toMatchObject({
      'x-min-role': 'agent',
      parameters: [{ name: 'query', in: 'query', required: true, schema: { type: 'string', maxLength: 100 } }],
    });
  });
});
