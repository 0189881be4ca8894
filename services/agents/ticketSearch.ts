/**
 * "Find a ticket" in the console: an agent types what the customer quoted (a reference in any case, with or
 * without the dash, or an order number) and gets the tickets it names, queued or not.
 */
import type { OrderNumberRecognizer } from '../recognition/orderNumber';
import type { TicketService } from '../tickets/ticketService';
import { findTicketRef } from '../tickets/ticketRef';
import type { Ticket } from '../tickets/types';

export interface TicketSearchHit {
  ref: string;
  status: Ticket['status'];
  priority: Ticket['priority'];
  channel: string;
  customerName: string | null;
  orderNumber: string | null;
  createdAt: Date;
  /** The person (or external hub) writing in the conversation now; null when the bot has it. */
  heldBy: string | null;
}

const MAX_HITS = 10;

export class TicketSearch {
  constructor(
    private readonly tickets: Pick<TicketService, 'get' | 'listForOrder'>,
    private readonly orderNumbers: OrderNumberRecognizer,
    private readonly ticketPrefix: string,
  ) {}

  /** The ticket with that reference first, then tickets about that order, newest first; empty when nothing matches. */
  async find(query: string): Promise<TicketSearchHit[]> {
    const ref = findTicketRef(query, this.ticketPrefix);
    const orderNumber = this.orderNumbers.find(query);
    const [byRef, byOrder] = await Promise.all([
      ref ? this.tickets.get(ref) : null,
      orderNumber ? this.tickets.listForOrder(orderNumber, MAX_HITS) : [],
    ]);
    // A reference such as "CS-234679" may also read as an order number: one list, each ticket once.
    const seen = new Set<string>();
    return [...(byRef ? [byRef] : []), ...byOrder]
      .filter((ticket) => !seen.has(ticket.ref) && seen.add(ticket.ref))
      .slice(0, MAX_HITS)
      .map(toHit);
  }
}

function toHit(ticket: Ticket): TicketSearchHit {
  return {
    ref: ticket.ref,
    status: ticket.status,
    priority: ticket.priority,
    channel: ticket.channelId,
    customerName: ticket.customer.name ?? null,
    orderNumber: ticket.orderNumber ?? null,
    createdAt: ticket.createdAt,
    heldBy: ticket.heldBy?.name ?? null,
  };
}
