/** After a person hands back, the bot answers what the customer says now, not the question it asked before the hold. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import { type AgentClient, signedIn } from '../agents/agentClient';
import type { FakeUser } from '../support/fakeChannel';
import { type Kit, startKit, ticketOpenedFor } from './handoffTestKit';

describe('the bot resumes after a hand-back', () => {
  let kit: Kit;
  let asha: AgentClient;

  beforeEach(async () => {
    kit = await startKit();
    asha = await signedIn(kit.app, 'agent', 'Asha Patel');
  });
  afterEach(() => kit.close());

  /** The customer is mid-report (asked for the order number) when an agent takes over a ticket the system queued. */
  async function agentTakesOverMidQuestion(): Promise<{ ref: string; customer: FakeUser }> {
    const customer = kit.channel.user();
    await customer.says('hi');
    expect((await customer.says('my parcel never arrived')).join('\n')).toContain("What's your order number?");
    const ticket = await ticketOpenedFor(kit, customer, 'flagged by the system');
    await kit.app.agents.queue.enqueue(ticket, 'high priority', { customerWaiting: false });
    await asha.json('POST', `/api/agent/tickets/${ticket.ref}/takeover`, {});
    return { ref: ticket.ref, customer };
  }

  it('when an agent hands back an hour after taking over mid-question, the customer\'s "ok great" is not read as the old answer', async () => {
    const { ref, customer } = await agentTakesOverMidQuestion();
    await customer.says('hello, is this a person?');
    kit.clock.advance(HOUR);
    await asha.json('POST', `/api/agent/tickets/${ref}/handback`);
    const answer = (await customer.says('ok great')).join('\n');
    expect(answer).not.toMatch(/order number/i);
    expect(answer).toContain(ref);
  });

  it('when the customer said nothing during the hold, the stale question is still dropped, and a report begun after the hand-back carries on', async () => {
    const { ref, customer } = await agentTakesOverMidQuestion();
    await asha.json('POST', `/api/agent/tickets/${ref}/handback`);
    expect((await customer.says('status')).join('\n')).toContain(ref);
    // A new question asked after the hand-back is answered as usual: only the one from before the hold is dropped.
    // A question asked after the hand-back is answered as usual: only the one from before the hold is dropped.
    expect((await customer.says('1')).join('\n')).toContain("What's your order number?");
    expect((await customer.says('AB-2024117')).join('\n')).not.toContain("What's your order number?");
  });
});
