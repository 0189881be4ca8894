/** A real app on a manual clock, a fake channel, and a customer who asks for a person. */
import type { LiveEvent } from '../../services/handoff/liveEvents';
import type { App } from '../../index';
import type { Ticket } from '../../services/tickets/types';
import { ManualClock } from '../../services/clock';
import { FakeChannel, type FakeUser } from '../support/fakeChannel';
import { startTestApp } from '../support/testApp';

export interface Kit {
  app: App;
  clock: ManualClock;
  channel: FakeChannel;
  /** Every event the console's live feed published since the kit started. */
  live: LiveEvent[];
  close(): Promise<void>;
}

export async function startKit(env: Record<string, string> = {}): Promise<Kit> {
  // Monday 10:00 UTC: inside the default staffed hours.
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const app = await startTestApp({ AGENT_IDLE_MINUTES: '10', ESCALATION_MARGIN_MINUTES: '15', HANDOFF_SWEEP_SECONDS: '3600', ...env }, { clock });
  const channel = await new FakeChannel().start(`${app.url}/api/messages`);
  const live: LiveEvent[] = [];
  app.agents.events.subscribe((event) => live.push(event));
  return {
    app,
    clock,
    channel,
    live,
    close: async () => {
      await channel.stop();
      await app.close();
    },
  };
}

/** The customer says "agent"; returns the ticket reference the bot quoted. */
export async function customerAsksForAPerson(kit: Kit, customer: FakeUser = kit.channel.user()): Promise<{ ref: string; customer: FakeUser; reply: string }> {
  const reply = (await customer.says('agent')).join('\n');
  const ref = /\*\*([A-Z]+-[A-Z0-9]{6})\*\*/.exec(reply)?.[1];
  if (!ref) throw new Error(`no ticket reference in: ${reply}`);
  return { ref, customer, reply };
}

/** A ticket opened by the system (not by the customer asking) for this customer's conversation. */
export function ticketOpenedFor(kit: Kit, customer: FakeUser, description: string): Promise<Ticket> {
  return kit.app.tickets.open(
    {
      customer: { channelId: 'emulator', userId: customer.userId, name: customer.name },
      source: 'dm',
      description,
      conversation: { channelId: 'emulator', serviceUrl: kit.channel.url, conversationId: customer.conversationId, userId: customer.userId, botId: 'bot' },
    },
    { kind: 'customer', id: customer.userId },
  );
}
