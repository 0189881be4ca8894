import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reasonsToQueue } from '../../services/handoff/autoQueue';
import type { Ticket } from '../../services/tickets/types';
import { signedIn } from '../agents/agentClient';
import { type Kit, startKit, ticketOpenedFor } from './handoffTestKit';

const ticket = (fields: Partial<Ticket>): Ticket => ({ ref: 'CS-AAAAAA', status: 'open', priority: 'normal', ...fields }) as Ticket;

describe('which tickets reach a person without the customer asking', () => {
  it.each([
    ['a high-priority ticket', ticket({ priority: 'high' }), ['high priority']],
    ['an angry description', ticket({ description: 'This is terrible, awful service, I am furious and disgusted' }), ['strongly negative tone']],
    ['a calm normal ticket', ticket({ description: 'The parcel is late, could you check?' }), []],
    ['a ticket where the customer already asked (the handoff queues it)', ticket({ priority: 'urgent', humanRequested: { at: new Date(), reason: 'asked' } }), []],
    ['a resolved ticket', ticket({ priority: 'urgent', status: 'resolved' }), []],
  ])('%s', (_name, opened, expected) => {
    expect(reasonsToQueue({ ticket: opened, before: null, action: 'ticket.opened', actor: { kind: 'bot', id: 'bot' } })).toEqual(expected);
  });
});

describe('a ticket queued by the system', () => {
  let kit: Kit;
  beforeEach(async () => {
    kit = await startKit();
  });
  afterEach(() => kit.close());

  it('waits in the console queue while the bot keeps serving the customer until an agent takes over', async () => {
    const customer = kit.channel.user();
    await customer.says('hi');
    const opened = await ticketOpenedFor(kit, customer, 'My order never arrived and the refund is missing');
    expect(opened.priority).toBe('high');
    await expect.poll(async () => (await kit.app.agents.queue.get(opened.ref))?.state).toBe('waiting');
    expect((await kit.app.agents.queue.get(opened.ref))?.customerWaiting).toBe(false);

    expect((await customer.says(`where is ${opened.ref}`)).join('\n')).toContain(opened.ref);

    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${opened.ref}/takeover`, {});
    expect(await customer.says('hello?')).toEqual([]);
  });
});
