import type { TicketStatus } from './types';

/** open → in_progress ⇄ waiting_on_customer → resolved → closed, with reopen from resolved/closed. */
const ALLOWED: Record<TicketStatus, TicketStatus[]> = {
  open: ['in_progress', 'waiting_on_customer', 'resolved', 'closed'],
  in_progress: ['waiting_on_customer', 'resolved', 'closed'],
  waiting_on_customer: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'open', 'in_progress'],
  closed: ['open', 'in_progress'],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function isActive(status: TicketStatus): boolean {
  return status !== 'resolved' && status !== 'closed';
}

/** What the customer is told a status means, and what happens next. */
export const STATUS_FOR_CUSTOMER: Record<TicketStatus, { label: string; next: string }> = {
  open: { label: 'received, waiting for our team', next: 'A member of our support team will pick it up.' },
  in_progress: { label: 'being worked on', next: 'Our team is on it and will update you here.' },
  waiting_on_customer: { label: 'waiting for a reply from you', next: 'Reply here and we will carry on straight away.' },
  resolved: { label: 'resolved', next: 'If anything is still wrong, just reply and we will reopen it.' },
  closed: { label: 'closed', next: 'If you need more help, reply and we will reopen it or start a new one.' },
};
