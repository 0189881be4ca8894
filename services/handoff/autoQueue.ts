/**
 * Tickets that should reach a person even though the customer never asked: high priority, a strongly
 * negative tone, or a human requested by some other path (a dialog giving up). These wait in the queue
 * without silencing the bot: the customer keeps being served until an agent takes over.
 */
import Sentiment from 'sentiment';
import type { TicketChange } from '../tickets/ticketService';
import { isActive } from '../tickets/lifecycle';

/** AFINN score at or below which a customer's words count as strongly negative. */
export const NEGATIVE_SENTIMENT_SCORE = -4;
const analyzer = new Sentiment();

/** Why this change should put the ticket in front of a person; empty when it should not. */
export function reasonsToQueue(change: TicketChange): string[] {
  const { ticket, action } = change;
  if (!isActive(ticket.status)) return [];
  if (action === 'ticket.human_requested') return [ticket.humanRequested?.reason ?? 'a person was requested'];
  if (action !== 'ticket.opened' || ticket.humanRequested) return [];
  const reasons: string[] = [];
  if (ticket.priority === 'high' || ticket.priority === 'urgent') reasons.push(`${ticket.priority} priority`);
  const words = [ticket.description, ticket.publicPost?.text].filter(Boolean).join('\n');
  if (words && analyzer.analyze(words).score <= NEGATIVE_SENTIMENT_SCORE) reasons.push('strongly negative tone');
  return reasons;
}
