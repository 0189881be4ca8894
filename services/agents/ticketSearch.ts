/**
 * "Find a ticket" in the console: an agent types what the customer quoted (a reference in any case, with or
 * without the dash, an order number, the e-mail or phone they gave) or who they are (a name or @handle), or
 * words of an e-mail's subject, and gets the tickets it names, queued or not.
 */
import { recognizeContacts, type CountryCode } from '../recognition/contact';
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
    private readonly tickets: Pick<TicketService, 'get' | 'listForOrder' | 'listForContact' | 'listByNameOrSubject'>,
    private readonly orderNumbers: OrderNumberRecognizer,
    private readonly ticketPrefix: string,
    private readonly phoneRegion: CountryCode,
  ) {}

  /**
   * The ticket with that reference first, then tickets about that order, then those of that e-mail or phone,
   * newest first. Text that is none of these is read as a name, handle or subject words. Empty when nothing matches.
   */
  async find(query: string): Promise<TicketSearchHit[]> {
    const ref = findTicketRef(query, this.ticketPrefix);
    const orderNumber = this.orderNumbers.find(query);
    const contact = recognizeContacts(query, this.phoneRegion, orderNumber ? [orderNumber] : []);
    const phones = contact.phones.map((phone) => phone.e164);
    const name = query.trim().replace(/^@/, '');
    const byName = !ref && !orderNumber && contact.emails.length + phones.length === 0 && /\p{L}{2}/u.test(name);
    const found = await Promise.all([
      ref ? this.tickets.get(ref).then((ticket) => (ticket ? [ticket] : [])) : [],
      orderNumber ? this.tickets.listForOrder(orderNumber, MAX_HITS) : [],
      this.tickets.listForContact({ emails: contact.emails, phones }, MAX_HITS),
      byName ? this.tickets.listByNameOrSubject(name, MAX_HITS) : [],
    ]);
    // A reference such as "CS-234679" may also read as an order number: one list, each ticket once.
    const seen = new Set<string>();
    return found.flat()
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
