/** The one way a conversation goes back to the bot: the ticket records it, and the customer hears who left. */
import type { TicketService } from '../tickets/ticketService';
import { type Actor, BOT_ACTOR } from '../tickets/types';
import type { CustomerMessenger } from './customerMessenger';
import { handoffSay } from './messages';

export async function tellBackToBot(
  deps: { tickets: TicketService; messenger: CustomerMessenger },
  ref: string,
  holderName: string,
  actor: Actor,
  note?: string,
): Promise<void> {
  const ticket = await deps.tickets.mutate(ref, actor, 'handoff.handed_back', () => ({
    patch: { heldBy: null },
    before: { heldBy: holderName },
    after: { heldBy: 'bot' },
    ...(note && { note }),
  }));
  await deps.messenger.tell(ticket, handoffSay.handedBack(holderName, ref), `handback:${ref}:${ticket.version}`, BOT_ACTOR);
}
