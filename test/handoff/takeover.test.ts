import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../services/clock';
import { type AgentClient, signedIn } from '../agents/agentClient';
import { customerAsksForAPerson, type Kit, startKit } from './handoffTestKit';

describe('agents take over conversations', () => {
  let kit: Kit;

  beforeEach(async () => {
    kit = await startKit();
  });
  afterEach(() => kit.close());

  const takeover = (agent: AgentClient, ref: string, force = false) => agent.request('POST', `/api/agent/tickets/${ref}/takeover`, { force });
  const reply = (agent: AgentClient, ref: string, text: string, clientMessageId = `m-${Math.random()}`) =>
    agent.request('POST', `/api/agent/tickets/${ref}/messages`, { text, clientMessageId });

  it('when a customer asks for a person, they are queued by SLA and told their place in line and a rough wait', async () => {
    const first = await customerAsksForAPerson(kit);
    const second = await customerAsksForAPerson(kit);
    expect(first.reply).toMatch(/number 1 in line/);
    expect(second.reply).toMatch(/number 2 in line; someone should be with you within about 8 minutes/);
    const agent = await signedIn(kit.app, 'agent', 'Asha Patel');
    const queue = await agent.json<{ waiting: Array<{ ref: string; waitingMs: number; due: { kind: string } }> }>('GET', '/api/agent/queue');
    expect(queue.waiting.map((item) => item.ref)).toEqual([first.ref, second.ref]);
    expect(queue.waiting[0].due.kind).toBe('first_response');
    // While waiting, the bot does not restart its dialogs: it acknowledges each message, and tells the place in line at most once a minute.
    const soon = (await second.customer.says('hello?')).join('\n');
    expect(soon).toContain('the team will see it');
    expect(soon).not.toMatch(/in line/);
    kit.clock.advance(2 * MINUTE);
    const meanwhile = await second.customer.says('hello? anyone there');
    expect(meanwhile.join('\n')).toMatch(/number 2 in line/);
  });

  it('when a waiting customer says cancel, they leave the queue and the bot serves them again', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    expect((await customer.says('cancel')).join('\n')).toContain("I've taken you out of the queue");
    expect((await kit.app.agents.queue.list()).waiting).toEqual([]);
    expect((await customer.says('status')).join('\n')).toContain(ref);
  });

  it('when an agent takes over, the customer is told who they are chatting with and the bot stays silent while messages relay live', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    expect((await takeover(asha, ref)).status).toBe(200);
    await kit.channel.waitFor(() => customer.transcript().some((text) => text.includes("You're chatting with Asha from the support team")));

    const botAnswers = await customer.says('My order AB-2024117 never arrived');
    expect(botAnswers).toEqual([]);
    expect(kit.live).toContainEqual(expect.objectContaining({ type: 'customer.message', ref, text: 'My order AB-2024117 never arrived' }));

    expect((await reply(asha, ref, 'I am sorry, let me check the courier for you.', 'msg-1')).status).toBe(200);
    expect((await reply(asha, ref, 'I am sorry, let me check the courier for you.', 'msg-1')).status).toBe(200);
    expect(customer.transcript().filter((text) => text.startsWith('I am sorry, let me check'))).toHaveLength(1);

    const view = await asha.json<{ ticket: { heldBy: { name: string }; firstResponseAt?: string }; transcript: Array<{ actor: { kind: string; name?: string }; text: string }>; audit: Array<{ action: string; actor: { id: string } }> }>(
      'GET', `/api/agent/tickets/${ref}`,
    );
    expect(view.ticket.heldBy.name).toBe('Asha Patel');
    expect(view.ticket.firstResponseAt).toBeDefined();
    expect(view.transcript).toContainEqual(expect.objectContaining({ actor: expect.objectContaining({ kind: 'agent', name: 'Asha Patel' }), text: 'I am sorry, let me check the courier for you.' }));
    expect(view.audit).toContainEqual(expect.objectContaining({ action: 'handoff.claimed', actor: expect.objectContaining({ id: asha.agentId }) }));
  });

  it('when another agent holds the conversation, a second agent cannot write unless they take it over explicitly; a supervisor can', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const ben = await signedIn(kit.app, 'agent', 'Ben Okafor');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    await takeover(asha, ref);

    const blocked = await reply(ben, ref, 'Hi, Ben here');
    expect(blocked.status).toBe(409);
    expect(await blocked.json()).toMatchObject({ error: 'HELD_BY_OTHER', holder: { name: 'Asha Patel' } });
    expect((await takeover(ben, ref)).status).toBe(409);
    expect(customer.transcript().join('\n')).not.toMatch(/Ben here/);

    expect((await reply(sam, ref, 'Sam from the supervisors here, joining Asha.')).status).toBe(200);

    expect((await takeover(ben, ref, true)).status).toBe(200);
    await kit.channel.waitFor(() => customer.transcript().some((text) => text.includes("You're chatting with Ben")));
    expect((await reply(asha, ref, 'Asha again')).status).toBe(409);
    expect((await reply(ben, ref, 'Ben here now')).status).toBe(200);
    expect(kit.live).toContainEqual(expect.objectContaining({ type: 'alert', level: 'takeover', ref }));
  });

  it('when the agent is idle past the limit, the conversation returns to the queue and the customer is told', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await takeover(asha, ref);
    kit.clock.advance(9 * MINUTE);
    await reply(asha, ref, 'Still checking, one moment.');
    kit.clock.advance(9 * MINUTE);
    await kit.app.agents.sweep();
    expect((await kit.app.agents.queue.get(ref))?.state).toBe('held');

    kit.clock.advance(2 * MINUTE);
    await kit.app.agents.sweep();
    expect((await kit.app.agents.queue.get(ref))?.state).toBe('waiting');
    await kit.channel.waitFor(() => customer.transcript().some((text) => /had to step away.*number 1/.test(text)));
    const ticket = await kit.app.tickets.require(ref);
    expect(ticket.heldBy).toBeNull();
    expect((await kit.app.tickets.audit.list(ref)).map((event) => event.action)).toContain('handoff.idle_returned');
    expect((await reply(asha, ref, 'Back!')).status).toBe(409);
  });

  it('when the agent goes idle after closing time, the customer is told when the team is back, not a wait in minutes', async () => {
    kit.clock.set('2026-03-02T19:45:00Z'); // Monday, 15 minutes before the team leaves
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await takeover(asha, ref);
    kit.clock.advance(21 * MINUTE);
    await kit.app.agents.sweep();
    await kit.channel.waitFor(() => customer.transcript().some((text) => /had to step away/.test(text)));
    const told = customer.transcript().find((text) => /had to step away/.test(text))!;
    expect(told).toMatch(/the next person free will pick up when the team is back on Tuesday at 08:00/);
    expect(told).not.toMatch(/within about/);
  });

  it('when the agent goes idle on a ticket already resolved, the bot takes the conversation back instead of queueing it', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await takeover(asha, ref);
    await asha.json('POST', `/api/agent/tickets/${ref}/status`, { status: 'resolved' });
    kit.clock.advance(11 * MINUTE);
    await kit.app.agents.sweep();
    expect((await kit.app.agents.queue.get(ref))?.state).toBe('ended');
    await kit.channel.waitFor(() => customer.transcript().some((text) => text.includes('handed you back to the automated assistant')));
  });

  it('when the agent hands back, the customer is told and the bot answers again', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await takeover(asha, ref);
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/status`, { status: 'resolved' })).status).toBe(200);
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/handback`)).status).toBe(200);
    await kit.channel.waitFor(() => customer.transcript().some((text) => text.includes('Asha has handed you back to the automated assistant')));

    const answer = await customer.says('status');
    expect(answer.join('\n')).toContain(ref);
    const audit = await kit.app.tickets.audit.list(ref);
    expect(audit).toContainEqual(expect.objectContaining({ action: 'ticket.status_changed', after: { status: 'resolved' }, actor: expect.objectContaining({ id: asha.agentId }) }));
    expect(audit.map((event) => event.action)).toContain('handoff.handed_back');
  });

  it('typing shows both ways while an agent holds the conversation', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await takeover(asha, ref);
    expect((await kit.channel.post(customer.activity({ type: 'typing' }))).status).toBeLessThan(300);
    expect(kit.live).toContainEqual({ type: 'customer.typing', ref });
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/typing`)).status).toBe(200);
    await kit.channel.waitFor(() => kit.channel.received.some((activity) => activity.type === 'typing' && activity.conversation?.id === customer.conversationId));
  });

  it('transfers to a named colleague tell the customer who continues', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const ben = await signedIn(kit.app, 'agent', 'Ben Okafor');
    await takeover(asha, ref);
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/transfer`, { agentId: ben.agentId })).status).toBe(200);
    await kit.channel.waitFor(() => customer.transcript().some((text) => text.includes('my colleague Ben')));
    expect((await reply(ben, ref, 'Ben here, picking this up.')).status).toBe(200);
  });

  it('internal notes stay internal and public notes are left to the follow-ups to send', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const before = customer.transcript().length;
    await asha.json('POST', `/api/agent/tickets/${ref}/notes`, { visibility: 'internal', text: 'Courier says parcel is at depot 4' });
    const audit = await kit.app.tickets.audit.list(ref);
    expect(audit).toContainEqual(expect.objectContaining({ action: 'ticket.note_internal', note: 'Courier says parcel is at depot 4' }));
    expect(customer.transcript().length).toBe(before);
  });
});
