import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotActivity } from '../support/fakeChannel';
import { customerAsksForAPerson, type Kit, startKit, ticketOpenedFor } from './handoffTestKit';

describe('external agent hub mode (Bot Framework handoff protocol)', () => {
  let kit: Kit;

  beforeEach(async () => {
    kit = await startKit({ HANDOFF_MODE: 'external' });
  });
  afterEach(() => kit.close());

  const initiations = (conversationId: string) =>
    kit.channel.received.filter((activity) => activity.type === 'event' && activity.name === 'handoff.initiate' && activity.conversation?.id === conversationId);

  const status = (customer: { activity(fields: Record<string, unknown>): Record<string, unknown> }, state: string, message?: string) =>
    kit.channel.post(customer.activity({ type: 'event', name: 'handoff.status', value: { state, ...(message && { message }) } }));

  it('when a customer asks for a person, handoff.initiate is sent with the transcript instead of queueing', async () => {
    const customer = kit.channel.user();
    await customer.says('my parcel never arrived');
    const { ref, reply } = await customerAsksForAPerson(kit, customer);
    expect(reply).toContain("I'm connecting you with our support team");
    await kit.channel.waitFor(() => initiations(customer.conversationId).length === 1);
    const [event] = initiations(customer.conversationId) as Array<BotActivity & { value: { ticketRef: string }; attachments: Array<{ contentType: string; content: { activities: Array<{ text: string }> } }> }>;
    expect(event.value.ticketRef).toBe(ref);
    expect(event.attachments[0].contentType).toBe('application/json');
    expect(event.attachments[0].content.activities.map((activity) => activity.text)).toContain('my parcel never arrived');
    expect((await kit.app.agents.queue.list()).waiting).toEqual([]);
    // The hub has the conversation now: the bot stays out of it.
    expect(await customer.says('hello?')).toEqual([]);
  });

  it('accepts every handoff.status (accepted, failed, completed, unknown) and records each on the audit trail', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    for (const state of ['accepted', 'surprising-new-state']) expect((await status(customer, state)).status).toBeLessThan(300);
    expect((await kit.app.tickets.require(ref)).heldBy?.id).toBe('agent-hub');
    expect((await status(customer, 'completed')).status).toBeLessThan(300);
    expect((await kit.app.agents.queue.get(ref))?.state).toBe('ended');
    const actions = (await kit.app.tickets.audit.list(ref)).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['handoff.hub_initiated', 'handoff.hub_accepted', 'handoff.hub_status', 'handoff.hub_completed']));
    // Back with the bot.
    expect((await customer.says('status')).join('\n')).toContain(ref);
  });

  it('when the hub reports failure, the customer is told and the bot takes the conversation back', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    expect((await status(customer, 'failed', 'no agents available')).status).toBeLessThan(300);
    await kit.channel.waitFor(() => customer.transcript().some((text) => text.includes("I couldn't reach the support team")));
    expect(await kit.app.tickets.audit.list(ref)).toContainEqual(expect.objectContaining({ action: 'handoff.hub_failed', note: 'no agents available' }));
  });

  it('when the hub completes the handoff, the customer is told once that they are back with the assistant and how to reach a person, even if the status arrives twice', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    await status(customer, 'accepted');
    const before = customer.transcript().length;
    expect((await status(customer, 'completed')).status).toBeLessThan(300);
    expect((await status(customer, 'completed')).status).toBeLessThan(300);
    await kit.channel.waitFor(() => customer.transcript().length > before);
    const told = customer.transcript().slice(before);
    expect(told).toEqual([
      `Our support team has handed you back to the automated assistant. Ticket **${ref}** stays on file. Say "status" for an update, tell me if there's anything else, or say "agent" to reach a person again.`,
    ]);
    expect((await kit.app.tickets.audit.list(ref)).filter((event) => event.action === 'handoff.hub_completed')).toHaveLength(1);
    // "thanks" right after is answered briefly, as after a console agent's hand-back.
    expect((await customer.says('thanks!')).join('\n')).toContain(`You're welcome! Ticket **${ref}** stays on file`);
  });

  it('when the hub reports failure twice, the customer is told once', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    await status(customer, 'failed', 'no agents available');
    await status(customer, 'failed', 'no agents available');
    expect(customer.transcript().filter((text) => text.includes("I couldn't reach the support team"))).toHaveLength(1);
    expect((await kit.app.tickets.audit.list(ref)).filter((event) => event.action === 'handoff.hub_failed')).toHaveLength(1);
  });

  it.each(['failed', 'completed'])('when an accepted arrives after the hub %s the handoff, the handoff stays ended and the bot keeps answering', async (ended) => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    await status(customer, ended);
    const auditBefore = (await kit.app.tickets.audit.list(ref)).length;
    expect((await status(customer, 'accepted')).status).toBeLessThan(300);
    expect(await kit.app.agents.queue.get(ref)).toMatchObject({ state: 'ended', external: { state: ended } });
    expect((await kit.app.tickets.require(ref)).heldBy ?? null).toBeNull();
    expect(await kit.app.tickets.audit.list(ref)).toHaveLength(auditBefore);
    expect((await customer.says('status')).join('\n')).toContain(ref);
  });

  it('when the same conversation hands a second ticket to the hub, its statuses apply to that ticket, not the earlier one', async () => {
    const { ref: first, customer } = await customerAsksForAPerson(kit);
    await status(customer, 'accepted');
    await status(customer, 'completed');
    await kit.app.tickets.changeStatus(first, 'resolved', { kind: 'system', id: 'test' });
    kit.clock.advance(60_000);
    const { ref: second } = await ticketOpenedFor(kit, customer, 'a second problem');
    expect((await customer.says('agent')).join('\n')).toContain(second);
    await status(customer, 'accepted');
    expect((await kit.app.agents.queue.get(first))?.state).toBe('ended');
    expect((await kit.app.agents.queue.get(second))?.external?.state).toBe('accepted');
    expect((await kit.app.tickets.require(second)).heldBy?.id).toBe('agent-hub');
    expect((await kit.app.tickets.require(first)).heldBy ?? null).toBeNull();
  });

  it('a handoff.status for a conversation that never handed off is accepted and changes nothing', async () => {
    const stranger = kit.channel.user();
    expect((await status(stranger, 'completed')).status).toBeLessThan(300);
  });
});
