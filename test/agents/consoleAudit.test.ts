/** API-side fixes from the console audit: live feed after sign-out, takeover rank, odd transfers, errors, offboarding. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import { customerAsksForAPerson, type Kit, startKit } from '../handoff/handoffTestKit';
import { openFeed, PASSWORD, signedIn } from './agentClient';

describe('the live feed ends with the session', () => {
  let kit: Kit;
  beforeEach(async () => {
    kit = await startKit();
  });
  afterEach(() => kit.close());

  it('when the agent signs out, their open live feed closes and delivers nothing more', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    const feed = await openFeed(asha);
    await customer.says('first message before sign-out');
    await expect.poll(() => feed.text()).toContain('first message before sign-out');

    expect((await asha.request('POST', '/api/agent/logout')).status).toBe(200);
    await customer.says('secret message after sign-out');
    const all = await feed.ended();
    expect(all).not.toContain('secret message after sign-out');
  });

  it('when the session expires, the live feed closes', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const feed = await openFeed(asha);
    kit.clock.advance(13 * HOUR);
    kit.app.agents.events.publish({ type: 'queue.changed' });
    const all = await feed.ended();
    expect(all).not.toContain('queue.changed');
  });

  it('when a supervisor disables an agent, the agent’s live feed closes and they can no longer sign in or use their session', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const feed = await openFeed(asha);
    const disabled = await sam.request('POST', `/api/agent/agents/${asha.agentId}/disable`, {});
    expect(disabled.status).toBe(200);
    await feed.ended();
    expect((await asha.request('GET', '/api/agent/me')).status).toBe(401);
    expect((await asha.login('asha.patel@example.com')).status).toBe(401);
    // Not in the transfer list any more, and a supervisor can bring them back.
    expect((await sam.json<Array<{ _id: string }>>('GET', '/api/agent/agents')).map((a) => a._id)).not.toContain(asha.agentId);
    expect((await sam.request('POST', `/api/agent/agents/${asha.agentId}/enable`, {})).status).toBe(200);
    expect((await asha.login('asha.patel@example.com', PASSWORD)).status).toBe(200);
  });

  it('when a supervisor disables an agent who holds a conversation, it goes back to the queue at once and the customer is told', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/takeover`, {})).status).toBe(200);
    expect((await sam.request('POST', `/api/agent/agents/${asha.agentId}/disable`, {})).status).toBe(200);
    expect(await kit.app.agents.queue.get(ref)).toMatchObject({ state: 'waiting' });
    expect((await kit.app.tickets.require(ref)).heldBy).toBeNull();
    await kit.channel.waitFor(() => customer.transcript().some((text) => /had to step away/.test(text)));
    const audit = await kit.app.tickets.audit.list(ref);
    expect(audit.find((event) => event.action === 'handoff.idle_returned')?.note).toBe("Asha Patel's account was disabled");
  });
});

describe('takeover, transfers and errors', () => {
  let kit: Kit;
  beforeEach(async () => {
    kit = await startKit();
  });
  afterEach(() => kit.close());

  it('an agent cannot force-take a conversation from a supervisor (403 OUTRANKED); a supervisor can step in on an agent', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    expect((await sam.request('POST', `/api/agent/tickets/${ref}/takeover`, {})).status).toBe(200);
    const refused = await asha.request('POST', `/api/agent/tickets/${ref}/takeover`, { force: true });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'OUTRANKED', message: expect.stringContaining('Sam Lee'), holder: { name: 'Sam Lee', role: 'supervisor' } });
    expect((await kit.app.agents.queue.get(ref))?.holder?.name).toBe('Sam Lee');

    const other = await customerAsksForAPerson(kit);
    await asha.json('POST', `/api/agent/tickets/${other.ref}/takeover`, {});
    expect((await sam.request('POST', `/api/agent/tickets/${other.ref}/takeover`, { force: true })).status).toBe(200);
  });

  it('refuses to take over a ticket that has no conversation (a public post without a DM) with 409 NO_CONVERSATION', async () => {
    const ticket = await kit.app.tickets.open(
      {
        customer: { channelId: 'x', userId: 'x-ana', name: 'Ana Lima' },
        source: 'public_post',
        description: 'Parcel lost again',
        publicPost: { platform: 'x', postId: 'p1', text: 'Parcel lost again @acme', authorId: 'x-ana', authorHandle: 'analima', followers: 120, postedAt: new Date() },
      },
      { kind: 'customer', id: 'x-ana', name: 'Ana Lima' },
    );
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const refused = await asha.request('POST', `/api/agent/tickets/${ticket.ref}/takeover`, {});
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: 'NO_CONVERSATION', message: expect.stringContaining('no conversation') });
    // Nobody holds it (it may wait in the queue for its tone; the answer there is a public reply, not a chat).
    expect((await kit.app.agents.queue.get(ticket.ref))?.state).not.toBe('held');
    expect((await kit.app.tickets.require(ticket.ref)).heldBy ?? null).toBeNull();
  });

  it('refuses a transfer to oneself, and an agent’s tier transfer goes only one tier up; a supervisor may send it to the executives', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});

    const self = await asha.request('POST', `/api/agent/tickets/${ref}/transfer`, { agentId: asha.agentId });
    expect(self.status).toBe(400);
    expect(await self.json()).toMatchObject({ error: 'INVALID_TRANSFER', message: expect.stringContaining('yourself') });
    const skip = await asha.request('POST', `/api/agent/tickets/${ref}/transfer`, { tier: 'executive' });
    expect(skip.status).toBe(400);
    expect(await skip.json()).toMatchObject({ error: 'INVALID_TRANSFER' });
    expect((await kit.app.tickets.require(ref)).tier ?? 'agent').toBe('agent');

    expect((await asha.request('POST', `/api/agent/tickets/${ref}/transfer`, { tier: 'supervisor' })).status).toBe(200);
    expect((await sam.request('POST', `/api/agent/tickets/${ref}/transfer`, { tier: 'executive' })).status).toBe(200);
    expect((await kit.app.tickets.require(ref)).tier).toBe('executive');
  });

  it('answers 404 for messages, hand-back and transfer on an unknown ticket', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const ben = await signedIn(kit.app, 'agent', 'Ben Okafor');
    for (const [path, body] of [
      ['messages', { text: 'hi', clientMessageId: 'x1' }],
      ['handback', {}],
      ['transfer', { agentId: ben.agentId }],
      ['takeover', {}],
    ] as const) {
      const response = await asha.request('POST', `/api/agent/tickets/CS-ZZZZZZ/${path}`, body);
      expect({ path, status: response.status, body: await response.json() }).toMatchObject({ path, status: 404, body: { error: 'TICKET_NOT_FOUND' } });
    }
  });

  it('answers malformed JSON and other media types in the same { error, message } shape as every other refusal', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const { ref } = await customerAsksForAPerson(kit);
    const sent = await fetch(`${kit.app.url}/api/agent/tickets/${ref}/notes`, {
      method: 'POST',
      headers: { cookie: asha.cookie, 'x-csrf-token': asha.csrf, 'content-type': 'application/json' },
      body: '{"visibility": "internal", "text": ',
    });
    expect(sent.status).toBe(400);
    expect(await sent.json()).toEqual({ error: 'MALFORMED_JSON', message: expect.any(String) });
    const form = await fetch(`${kit.app.url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a&password=b' });
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({ error: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) });
  });

  it('serves the console at /agent/ with a trailing slash too', async () => {
    const page = await fetch(`${kit.app.url}/agent/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/agent/console.js');
  });

  it('counts a reply’s length in characters (code points), not UTF-16 units', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    const emoji = '😊'.repeat(3000);
    expect(emoji.length).toBe(6000);
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/messages`, { text: emoji, clientMessageId: 'e1' })).status).toBe(200);
    await kit.channel.waitFor(() => customer.transcript().includes(emoji));
    const tooLong = await asha.request('POST', `/api/agent/tickets/${ref}/messages`, { text: 'é'.repeat(4001), clientMessageId: 'e2' });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ error: 'VALIDATION_FAILED', message: 'text is longer than 4000 characters' });
  });
});

describe('offboarding', () => {
  let kit: Kit;
  beforeEach(async () => {
    kit = await startKit();
  });
  afterEach(() => kit.close());

  it('a supervisor lists and revokes an integration token; the token stops working at once', async () => {
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const { id, token } = await sam.json<{ id: string; token: string }>('POST', '/api/agent/tokens', { label: 'CRM sync' });
    const me = () => fetch(`${kit.app.url}/api/agent/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me()).status).toBe(200);
    const listed = await sam.json<{ tokens: Array<{ id: string; label: string; revokedAt?: string }> }>('GET', '/api/agent/tokens');
    expect(listed.tokens).toContainEqual(expect.objectContaining({ id, label: 'CRM sync' }));
    expect(JSON.stringify(listed)).not.toContain(token);

    expect((await sam.request('POST', `/api/agent/tokens/${id}/revoke`, {})).status).toBe(200);
    expect((await me()).status).toBe(401);
    expect((await sam.request('POST', '/api/agent/tokens/0123456789ab/revoke', {})).status).toBe(404);
  });

  it('an agent cannot disable anyone, a supervisor cannot disable an executive or themselves, and the routes are in /api/openapi.json', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const eve = await signedIn(kit.app, 'executive', 'Eve Stone');
    expect((await asha.request('POST', `/api/agent/agents/${sam.agentId}/disable`, {})).status).toBe(403);
    expect((await sam.request('POST', `/api/agent/agents/${eve.agentId}/disable`, {})).status).toBe(403);
    expect((await sam.request('POST', `/api/agent/agents/${sam.agentId}/disable`, {})).status).toBe(403);
    expect((await sam.request('POST', '/api/agent/agents/agt_nobody/disable', {})).status).toBe(404);
    const doc = (await (await fetch(`${kit.app.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-min-role'?: string }>> };
    expect(doc.paths['/api/agent/agents/{id}/disable'].post['x-min-role']).toBe('supervisor');
    expect(doc.paths['/api/agent/tokens/{id}/revoke'].post['x-min-role']).toBe('supervisor');
    expect(doc.paths['/api/agent/tokens'].get['x-min-role']).toBe('supervisor');
  });
});
