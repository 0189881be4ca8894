import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../services/clock';
import { signedIn } from '../agents/agentClient';
import { customerAsksForAPerson, type Kit, startKit } from './handoffTestKit';

describe('SLA breaches escalate a tier', () => {
  let kit: Kit;

  beforeEach(async () => {
    kit = await startKit({ SLA_POLICIES: 'normal=1h/8h' });
  });
  afterEach(() => kit.close());

  it('when the first response is due within the margin, the ticket goes to a supervisor, the console is alerted and the customer told', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    expect(new Date((await kit.app.tickets.require(ref)).sla.firstResponseDueAt).getTime() - kit.clock.now().getTime()).toBe(HOUR);

    kit.clock.advance(40 * MINUTE);
    expect(await kit.app.agents.escalations.sweep()).toEqual([]);

    kit.clock.advance(6 * MINUTE);
    expect(await kit.app.agents.escalations.sweep()).toEqual([ref]);
    const ticket = await kit.app.tickets.require(ref);
    expect(ticket.tier).toBe('supervisor');
    expect(ticket.escalatedAt).toBeDefined();
    expect(await kit.app.tickets.audit.list(ref)).toContainEqual(
      expect.objectContaining({ action: 'ticket.escalated', before: { tier: 'agent' }, after: { tier: 'supervisor' }, note: 'SLA first response due within 15 minutes' }),
    );
    expect(kit.live).toContainEqual(expect.objectContaining({ type: 'alert', level: 'escalation', ref, tier: 'supervisor' }));
    await kit.channel.waitFor(() => customer.transcript().some((text) => text.includes('A senior colleague now has ticket')));

    // The same timer does not escalate twice.
    kit.clock.advance(30 * MINUTE);
    expect(await kit.app.agents.escalations.sweep()).toEqual([]);

    const agent = await signedIn(kit.app, 'agent', 'Asha Patel');
    const refused = await agent.request('POST', `/api/agent/tickets/${ref}/takeover`, {});
    expect(refused.status).toBe(403);
    const supervisor = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    expect((await supervisor.request('POST', `/api/agent/tickets/${ref}/takeover`, {})).status).toBe(200);
  });

  it('when the resolution breaches too, the ticket reaches the executive tier and stops there', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    kit.clock.advance(8 * HOUR + MINUTE);
    await kit.app.agents.escalations.sweep();
    await kit.app.agents.escalations.sweep();
    const ticket = await kit.app.tickets.require(ref);
    expect(ticket.tier).toBe('executive');
    expect(ticket.escalatedFor).toEqual(['first_response', 'resolution']);
    const notes = (await kit.app.tickets.audit.list(ref)).filter((event) => event.action === 'ticket.escalated').map((event) => event.note);
    expect(notes).toEqual(['SLA first response breached', 'SLA resolution breached']);
    kit.clock.advance(HOUR);
    expect(await kit.app.agents.escalations.sweep()).toEqual([]);
  });

  it('when an agent holds a ticket that escalates past their tier, it goes back to the queue for the new tier and the customer is told who left, not that a senior has it', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/escalate`, { reason: 'Customer reports a safety issue' })).status).toBe(200);
    expect((await kit.app.agents.queue.get(ref))?.state).toBe('waiting');
    expect((await asha.request('POST', `/api/agent/tickets/${ref}/messages`, { text: 'hi', clientMessageId: 'x' })).status).toBe(409);
    const told = customer.transcript().at(-1) ?? '';
    expect(told).toContain(`Asha has passed ticket **${ref}** to a senior colleague, who will continue this conversation here`);
    expect(told).not.toContain('now has');
  });
});
