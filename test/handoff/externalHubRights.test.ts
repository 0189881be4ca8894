/** A ticket an external agent hub holds is not changed out from under it, and a supervisor closing it ends the hub handoff on our side. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AgentClient, signedIn } from '../agents/agentClient';
import { customerAsksForAPerson, type Kit, startKit } from './handoffTestKit';

describe('status changes while an external agent hub has the conversation', () => {
  let kit: Kit;
  beforeEach(async () => {
    kit = await startKit({ HANDOFF_MODE: 'external' });
  });
  afterEach(() => kit.close());

  const setStatus = (agent: AgentClient, ref: string, status: string) => agent.request('POST', `/api/agent/tickets/${ref}/status`, { status });
  const hubSays = (customer: { activity(fields: Record<string, unknown>): Record<string, unknown> }, state: string) =>
    kit.channel.post(customer.activity({ type: 'event', name: 'handoff.status', value: { state } }));

  it('an agent cannot close, change the priority of, or escalate a ticket the hub holds, but can add a note; the hub keeps the conversation', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    await hubSays(customer, 'accepted');
    const ben = await signedIn(kit.app, 'agent', 'Ben Okafor');
    const before = await kit.app.tickets.require(ref);

    const closed = await setStatus(ben, ref, 'closed');
    expect(closed.status).toBe(403);
    expect(await closed.json()).toMatchObject({ error: 'HELD_CHANGE_NEEDS_SUPERVISOR', message: expect.stringContaining('An external agent hub is chatting with the customer') });
    expect((await ben.request('POST', `/api/agent/tickets/${ref}/priority`, { priority: before.priority === 'urgent' ? 'low' : 'urgent', reason: 'why not' })).status).toBe(403);
    expect((await ben.request('POST', `/api/agent/tickets/${ref}/escalate`, { reason: 'looks serious' })).status).toBe(403);
    expect((await ben.request('POST', `/api/agent/tickets/${ref}/notes`, { visibility: 'internal', text: 'Customer also e-mailed' })).status).toBe(200);

    const after = await kit.app.tickets.require(ref);
    expect({ status: after.status, priority: after.priority, tier: after.tier ?? 'agent' }).toEqual({ status: before.status, priority: before.priority, tier: before.tier ?? 'agent' });
    expect((await kit.app.agents.queue.get(ref))?.state).toBe('external');
    expect(await customer.says('hello?')).toEqual([]);
  });

  it.each(['closed', 'resolved'])('when a supervisor sets a hub-held ticket %s, the hub handoff ends (audited), the customer hears one message about it and the bot answers again', async (status) => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    await hubSays(customer, 'accepted');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const heard = customer.transcript().length;

    expect((await setStatus(sam, ref, status)).status).toBe(200);
    await expect.poll(async () => (await kit.app.agents.queue.get(ref))?.state).toBe('ended');
    expect(await kit.app.agents.queue.get(ref)).toMatchObject({ endedBy: 'ticket_ended', external: { state: 'ticket_ended' } });
    expect((await kit.app.tickets.require(ref)).heldBy ?? null).toBeNull();
    expect(await kit.app.tickets.audit.list(ref)).toContainEqual(
      expect.objectContaining({ action: 'handoff.hub_ended', actor: expect.objectContaining({ name: 'Sam Lee' }), note: expect.stringContaining('the agent hub was not told') }),
    );

    kit.clock.advance(5 * 60_000);
    await kit.app.followUps.sweepOnce();
    await kit.app.followUps.sweepOnce();
    const told = customer.transcript().slice(heard);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(ref);
    expect(told[0]).toMatch(status === 'closed' ? /closed your ticket/ : /is resolved/);
    expect(told[0]).not.toMatch(/handed you back/);
    // The bot has the conversation again.
    expect((await customer.says('status')).join('\n')).toContain(ref);
  });
});
