/** Status and priority are not changed out from under the person chatting, nor on a ticket escalated above the agent. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerAsksForAPerson, type Kit, startKit } from '../handoff/handoffTestKit';
import { type AgentClient, signedIn } from './agentClient';

describe('who may change a ticket’s status or priority', () => {
  let kit: Kit;
  beforeEach(async () => {
    kit = await startKit();
  });
  afterEach(() => kit.close());

  const setStatus = (agent: AgentClient, ref: string, status: string) => agent.request('POST', `/api/agent/tickets/${ref}/status`, { status });
  const setPriority = (agent: AgentClient, ref: string, priority: string) => agent.request('POST', `/api/agent/tickets/${ref}/priority`, { priority, reason: 'looks urgent' });
  const note = (agent: AgentClient, ref: string, text: string) => agent.request('POST', `/api/agent/tickets/${ref}/notes`, { visibility: 'internal', text });
  const changes = async (ref: string) =>
    (await kit.app.tickets.audit.list(ref)).filter((event) => event.action === 'ticket.status_changed' || event.action === 'ticket.priority_changed');

  it('while another agent chats with the customer, an agent cannot close the ticket or change its priority, but can add an internal note; the chat goes on', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const ben = await signedIn(kit.app, 'agent', 'Ben Okafor');
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/takeover`, {})).status).toBe(200);
    const before = await kit.app.tickets.require(ref);

    const closed = await setStatus(ben, ref, 'closed');
    expect(closed.status).toBe(403);
    expect(await closed.json()).toMatchObject({ error: 'HELD_CHANGE_NEEDS_SUPERVISOR', message: expect.stringContaining('Asha Patel is chatting with the customer'), holder: { name: 'Asha Patel' } });
    const reprioritised = await setPriority(ben, ref, before.priority === 'urgent' ? 'low' : 'urgent');
    expect(reprioritised.status).toBe(403);
    expect(await reprioritised.json()).toMatchObject({ error: 'HELD_CHANGE_NEEDS_SUPERVISOR' });
    expect((await note(ben, ref, 'Customer called the shop too')).status).toBe(200);

    const after = await kit.app.tickets.require(ref);
    expect({ status: after.status, priority: after.priority }).toEqual({ status: before.status, priority: before.priority });
    expect(await changes(ref)).toEqual([]);
    expect(await kit.app.agents.queue.get(ref)).toMatchObject({ state: 'held', holder: { name: 'Asha Patel' } });
    // Asha is still the one talking: the bot stays silent and nobody handed the customer back.
    expect(await customer.says('are you still there?')).toEqual([]);
    expect(customer.transcript().some((text) => text.includes('handed you back'))).toBe(false);
  });

  it('while another agent chats with the customer, an agent cannot escalate the ticket but can add a note; the holder keeps the chat and the customer hears nothing', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const ben = await signedIn(kit.app, 'agent', 'Ben Okafor');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    const heard = customer.transcript().length;

    const escalated = await ben.request('POST', `/api/agent/tickets/${ref}/escalate`, { reason: 'looks serious' });
    expect(escalated.status).toBe(403);
    expect(await escalated.json()).toMatchObject({ error: 'HELD_CHANGE_NEEDS_SUPERVISOR', message: expect.stringContaining('ask a supervisor to escalate it'), holder: { name: 'Asha Patel' } });
    expect((await note(ben, ref, 'Might need a supervisor')).status).toBe(200);

    expect((await kit.app.tickets.require(ref)).tier ?? 'agent').toBe('agent');
    expect((await kit.app.tickets.audit.list(ref)).some((event) => event.action === 'ticket.escalated')).toBe(false);
    expect(await kit.app.agents.queue.get(ref)).toMatchObject({ state: 'held', holder: { name: 'Asha Patel' } });
    expect(customer.transcript().slice(heard)).toEqual([]);
  });

  it('the agent chatting with the customer may escalate the ticket themself, and the customer hears that they passed it on', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/escalate`, { reason: 'refund over my limit' })).status).toBe(200);
    await kit.channel.waitFor(() => customer.transcript().some((text) => text.includes('senior colleague')));
    expect(customer.transcript().at(-1)).toContain(`Asha has passed ticket **${ref}** to a senior colleague`);
  });

  it('when a supervisor escalates a ticket an agent is chatting on, the agent leaves the chat and the customer is told it moves to a senior colleague without naming who passed it on', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    const heard = customer.transcript().length;

    expect((await sam.request('POST', `/api/agent/tickets/${ref}/escalate`, { reason: 'press enquiry' })).status).toBe(200);
    await kit.channel.waitFor(() => customer.transcript().length > heard);
    expect((await kit.app.tickets.require(ref)).tier).toBe('supervisor');
    expect((await kit.app.agents.queue.get(ref))?.state).toBe('waiting');
    const told = customer.transcript().slice(heard);
    expect(told).toEqual([
      `Your conversation about ticket **${ref}** is moving to a senior colleague, who will continue it here. You don't need to repeat anything: they can see everything so far.`,
    ]);
    expect(told.join('\n')).not.toMatch(/Asha|Sam/);
  });

  it('a supervisor can still step in and change the status of a conversation another agent holds', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    expect((await setStatus(sam, ref, 'in_progress')).status).toBe(200);
    expect((await kit.app.tickets.require(ref)).status).toBe('in_progress');
  });

  it('on a ticket escalated to the supervisor tier, an agent can read it and add notes but not change its status or priority; a supervisor can', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    const ben = await signedIn(kit.app, 'agent', 'Ben Okafor');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    expect((await ben.request('POST', `/api/agent/tickets/${ref}/escalate`, { reason: 'refund over my limit' })).status).toBe(200);
    const before = await kit.app.tickets.require(ref);
    expect(before.tier).toBe('supervisor');

    const resolved = await setStatus(ben, ref, 'resolved');
    expect(resolved.status).toBe(403);
    expect(await resolved.json()).toMatchObject({ error: 'TIER_TOO_LOW', message: expect.stringContaining('escalated to the supervisor tier') });
    expect((await setPriority(ben, ref, before.priority === 'low' ? 'urgent' : 'low')).status).toBe(403);
    expect((await ben.request('GET', `/api/agent/tickets/${ref}`)).status).toBe(200);
    expect((await note(ben, ref, 'Order was paid by voucher')).status).toBe(200);
    const after = await kit.app.tickets.require(ref);
    expect({ status: after.status, priority: after.priority }).toEqual({ status: before.status, priority: before.priority });
    expect(await changes(ref)).toEqual([]);

    expect((await setStatus(sam, ref, 'resolved')).status).toBe(200);
  });
});
