import type { Ticket } from '../tickets/types';

/** What happens when a customer asks for a person; returns what the customer is told. */
export interface HumanHandoff {
  request(ticket: Ticket, reason: string): Promise<string>;
}
