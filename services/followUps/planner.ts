/**
 * Decides what a claimed ticket's customer should hear now, from the ticket, its follow-up state and the
 * audit events since the last message. Pure: the sweeper stores and sends what this returns.
 */
import type { StaffedHours } from '../handoff/staffedHours';
import type { AuditRecord } from '../tickets/audit';
import { isActive } from '../tickets/lifecycle';
import type { Priority, TicketStatus } from '../tickets/types';
import { checkInPromise } from './checkInPromise';
import { formatWhen, formatWhenShort, followUpWords, type Wording } from './messages';
import { isQuiet, type QuietHours, quietEndsAt } from './quietHours';
import type { ComposedMessage, FollowUpState, FollowUpTicket } from './types';

export interface PlanOptions {
  brand: string;
  checkInHours: Record<Priority, number>;
  quietHours: QuietHours;
  reopenDays: number;
  /** Check-in promises fall due while the team is in (SLA_CLOCK=business_hours); absent = calendar. */
  staffedHours?: StaffedHours;
}

export interface Plan {
  messages: ComposedMessage[];
  /** The follow-up state once these messages are composed. */
  state: FollowUpState;
  /** When to look again; undefined = never (resolved, closed, opted out). */
  nextAt?: Date;
  /** Something is due but waits for quiet hours to end. */
  held?: boolean;
  /** Messages composed earlier and still unsent are no longer wanted (the customer withdrew the ticket). */
  dropPending?: boolean;
}

const RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** Changes worth telling the customer about (by the team or a system; never the customer's own doing). */
function isNews(event: AuditRecord): boolean {
  if (event.actor.kind === 'customer') return false;
  if (event.action === 'ticket.status_changed' || event.action === 'ticket.note_public') return true;
  if (/\.(assigned|escalated|transferred)$/.test(event.action)) return true;
  if (event.action === 'ticket.priority_changed') {
    const before = (event.before as { priority?: Priority } | undefined)?.priority;
    const after = (event.after as { priority?: Priority } | undefined)?.priority;
    return Boolean(before && after && RANK[after] > RANK[before] && RANK[after] >= RANK.high);
  }
  return false;
}

/** The newest status change is the customer's own resolution ("never mind, it arrived"). */
function resolvedByCustomer(events: AuditRecord[]): boolean {
  const last = events.filter((event) => event.action === 'ticket.status_changed').at(-1);
  return last?.actor.kind === 'customer' && (last.after as { status?: TicketStatus } | undefined)?.status === 'resolved';
}

export function initialState(status: TicketStatus): FollowUpState {
  return { seq: 0, auditSeq: 0, toldStatus: status };
}

export function planFollowUp(ticket: FollowUpTicket, events: AuditRecord[], now: Date, timeZone: string, options: PlanOptions): Plan {
  const current: FollowUpState = { ...initialState(ticket.status), ...ticket.followUp };
  const lastSeq = events.reduce((max, event) => Math.max(max, event.seq), current.auditSeq);
  const consumed: FollowUpState = { ...current, auditSeq: lastSeq };
  const quiet = isQuiet(now, timeZone, options.quietHours);
  const promise = (): Date => quietEndsAt(checkInPromise(now, options.checkInHours[ticket.priority], options.staffedHours), timeZone, options.quietHours);
  const wording = (via: Wording['via'], nextUpdate?: Date): Wording => ({
    brand: options.brand,
    ref: ticket.ref,
    via,
    hasChat: Boolean(ticket.conversation),
    ...(nextUpdate && { nextUpdate: formatWhen(nextUpdate, timeZone), nextUpdateShort: formatWhenShort(nextUpdate, timeZone) }),
  });
  const both = (make: (w: Wording) => ComposedMessage, nextUpdate?: Date): ComposedMessage => {
    const chat = make(wording('chat', nextUpdate));
    const elsewhere = make(wording('elsewhere', nextUpdate));
    return { ...chat, smsText: elsewhere.smsText, ...(elsewhere.smsFirstText && { smsFirstText: elsewhere.smsFirstText }), subject: elsewhere.subject, emailText: elsewhere.emailText };
  };
  const news = events.filter(isNews);
  const publicNotes = news.filter((event) => event.action === 'ticket.note_public' && event.note).map((event) => event.note as string);

  if (current.optedOut) return { messages: [], state: { ...consumed, toldStatus: ticket.status } };

  if (ticket.status === 'resolved') {
    const asked = current.csat?.askedAt && ticket.resolvedAt && new Date(current.csat.askedAt) >= new Date(ticket.resolvedAt);
    if (asked || current.toldStatus === 'resolved') return { messages: [], state: { ...consumed, toldStatus: 'resolved' } };
    // The customer withdrew it and was answered in the chat: no resolution notice, and no survey of a ticket nobody worked.
    if (resolvedByCustomer(events)) return { messages: [], state: { ...consumed, toldStatus: 'resolved' }, dropPending: true };
    // Resolutions ignore quiet hours: the customer wants to know.
    return {
      messages: [both((w) => followUpWords.resolution(w, publicNotes, options.reopenDays)), both((w) => followUpWords.csat(w))],
      state: { ...consumed, toldStatus: 'resolved', csat: { askedAt: now } },
    };
  }

  if (ticket.status === 'closed') {
    // Closed after a resolution already told: nothing more to say.
    if (current.toldStatus === 'closed' || current.toldStatus === 'resolved') return { messages: [], state: { ...consumed, toldStatus: 'closed' } };
    if (quiet) return { messages: [], state: current, nextAt: quietEndsAt(now, timeZone, options.quietHours), held: true };
    return { messages: [both((w) => followUpWords.closed(w, publicNotes))], state: { ...consumed, toldStatus: 'closed' } };
  }

  const statusNews = ticket.status !== current.toldStatus;
  const customerReopened = statusNews && !isActive(current.toldStatus ?? 'open') && !news.some((event) => event.action === 'ticket.status_changed');
  const hasNews = news.length > 0 || (statusNews && !customerReopened);
  const checkInDue = current.promisedBy !== undefined && new Date(current.promisedBy) <= now;

  if (customerReopened && !hasNews) {
    // The customer reopened it by replying and was answered in the chat; start a fresh promise.
    const promisedBy = promise();
    return { messages: [], state: { ...consumed, toldStatus: ticket.status, promisedBy, csat: undefined }, nextAt: promisedBy };
  }
  if ((hasNews || checkInDue) && quiet) {
    // Wait until morning without consuming: the message is composed then, from the state at that time.
    return { messages: [], state: current, nextAt: quietEndsAt(now, timeZone, options.quietHours), held: true };
  }
  if (hasNews) {
    const promisedBy = promise();
    const message = both(
      (w) =>
        followUpWords.update(w, {
          ...(statusNews && { status: ticket.status }),
          reopened: statusNews && !isActive(current.toldStatus ?? 'open'),
          notes: publicNotes,
          escalated: news.some((event) => /escalated$/.test(event.action) || event.action === 'ticket.priority_changed'),
          assigned: news.some((event) => /(assigned|transferred)$/.test(event.action)),
        }),
      promisedBy,
    );
    return { messages: [message], state: { ...consumed, toldStatus: ticket.status, promisedBy }, nextAt: promisedBy };
  }
  if (checkInDue || current.promisedBy === undefined) {
    const promisedBy = promise();
    const late = new Date(ticket.sla.resolutionDueAt) < now;
    const messages = current.promisedBy === undefined ? [] : [both((w) => followUpWords.checkIn(w, ticket.status, late), promisedBy)];
    return { messages, state: { ...consumed, promisedBy }, nextAt: promisedBy };
  }
  // Woken early with nothing to say (a customer's own change): keep the promise already made.
  return { messages: [], state: consumed, nextAt: new Date(current.promisedBy!) };
}
