/**
 * A supervisor resolves or closes a ticket an agent is chatting on: the customer hears one honest message (the
 * resolved/closed notice), not a hand-back the agent never made; the agent is told on the console who ended it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../services/clock';
import { type AgentClient, signedIn } from '../agents/agentClient';
import { customerAsksForAPerson, type Kit, startKit } from './handoffTestKit';

describe('a supervisor ends a ticket an agent is chatting on', () => {
  let kit: Kit;

  beforeEach(async () => {
    kit = await startKit();
  });
  afterEach(() => kit.close());

  const reply = (agent: AgentClient, ref: string, text: string) =>
    agent.request('POST', `/api/agent/tickets/${ref}/messages`, { text, clientMessageId: `m-${Math.random()}` });

  async function agentChatting() {
    const asked = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    expect((await asha.request('POST', `/api/agent/tickets/${asked.ref}/takeover`, {})).status).toBe(200);
    expect((await reply(asha, asked.ref, 'Hi, Asha here, looking at your order now.')).status).toBe(200);
    await kit.channel.waitFor(() => asked.customer.transcript().some((text) => text.includes('Asha here')));
    return { ...asked, asha };
  }

  it.each([
    ['resolved', /is resolved/],
    ['closed', /closed your ticket/],
  ])('when a supervisor sets it %s, the customer receives exactly the greeting, the queue notice, the agent joining, the agent\'s reply and the one %s notice, in that order', async (status, notice) => {
    const { ref, customer, asha } = await agentChatting();
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');

    expect((await sam.request('POST', `/api/agent/tickets/${ref}/status`, { status })).status).toBe(200);
    await expect.poll(async () => (await kit.app.agents.queue.get(ref))?.state).toBe('ended');
    await expect.poll(async () => (await kit.app.tickets.require(ref)).heldBy ?? null).toBeNull();
    kit.clock.advance(5 * MINUTE);
    await kit.app.followUps.sweepOnce();
    await kit.app.followUps.sweepOnce();
    await kit.channel.waitFor(() => customer.transcript().some((text) => notice.test(text)));

    expect(customer.transcript()).toEqual([
      expect.stringMatching(/^Hi Priya, I'm Acme's automated assistant\./),
      expect.stringMatching(new RegExp(`^I've asked a person to take over ticket \\*\\*${ref}\\*\\*`)),
      'You\'re chatting with Asha from the support team.',
      'Hi, Asha here, looking at your order now.',
      expect.stringMatching(notice),
    ]);
    const heard = customer.transcript();
    expect(heard[4]).toContain(ref);
    expect(heard.join('\n')).not.toMatch(/handed you back/);

    // The record says what happened: no hand-back by Asha, the hold ended with the ticket, by Sam.
    expect(await kit.app.agents.queue.get(ref)).toMatchObject({ endedBy: 'ticket_ended' });
    const audit = await kit.app.tickets.audit.list(ref);
    expect(audit.map((event) => event.action)).not.toContain('handoff.handed_back');
    expect(audit).toContainEqual(expect.objectContaining({ action: 'handoff.ended_with_ticket', actor: expect.objectContaining({ name: 'Sam Lee' }), before: { heldBy: 'Asha Patel' }, after: { heldBy: 'bot' } }));
    // Asha's console hears it on the live feed, addressed to her, naming who ended it.
    expect(kit.live).toContainEqual({
      type: 'alert',
      ref,
      level: 'takeover',
      agentId: asha.agentId,
      message: `Sam Lee ${status} ${ref} while Asha Patel was chatting; the customer is sent the ${status} notice and the bot has the conversation again`,
    });
    // The bot has the conversation again.
    expect((await customer.says('status')).join('\n')).toContain(ref);
  });

  it('when the agent chatting resolves it themself, the chat stays theirs and the customer hears nothing until they hand back', async () => {
    const { ref, customer, asha } = await agentChatting();
    const before = customer.transcript().length;
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/status`, { status: 'resolved' })).status).toBe(200);
    kit.clock.advance(5 * MINUTE);
    await kit.app.followUps.sweepOnce();
    expect((await kit.app.agents.queue.get(ref))?.state).toBe('held');
    expect(customer.transcript().slice(before)).toEqual([]);
  });
});
