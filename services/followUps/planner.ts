/**
 * Decides what a claimed ticket's customer should hear now, from the ticket, its follow-up state and the
 * audit events since the last message. Pure: the sweeper stores and sends what this returns.
 */
import { HOUR, MINUTE } from '../clock';
import type { StaffedHours } from '../handoff/staffedHours';
import type { AuditRecord } from '../tickets/audit';
import { isActive } from '../tickets/lifecycle';
import type { Priority, TicketStatus } from '../tickets/types';
import { checkInPromise } from './checkInPromise';
import { formatWhen, formatWhenShort, followUpWords, type Wording } from './messages';
import { holdAfter } from './personHold';
import { isQuiet, type QuietHours, quietEndsAt } from './quietHours';
import type { ComposedMessage, FollowUpState, FollowUpTicket } from './types';

export interface PlanOptions {
  brand: string;
  checkInHours: Record<Priority, number>;
  quietHours: QuietHours;
  reopenDays: number;
  /** Check-in promises fall due while the team is in (SLA_CLOCK=business_hours); absent = calendar. */
  staffedHours?: StaffedHours;
  /** The satisfaction question comes this long after the resolution notice (0 = with it); never in quiet hours. */
  csatDelayMinutes?: number;
}

/** What the sweeper knows beyond the new events. */
export interface PlanContext {
  /** A person held the conversation before the first of these events (from the older audit events). */
  heldAtStart?: boolean;
}

/** A check-in this soon after the customer's own message adds nothing: they were just answered in the chat. */
const CHECK_IN_QUIET_AFTER_CUSTOMER_MS = 2 * HOUR;
/** A hand-back wakes the ticket at once; this is only the fallback look while a person still holds the chat. */
const HAND_BACK_RECHECK_MS = 15 * MINUTE;

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

const statusOf = (event: AuditRecord): TicketStatus | undefined => (event.after as { status?: TicketStatus } | undefined)?.status;

/** The newest status change is the customer's own resolution ("never mind, it arrived"). */
function resolvedByCustomer(events: AuditRecord[]): boolean {
  const last = events.filter((event) => event.action === 'ticket.status_changed').at(-1);
  return last?.actor.kind === 'customer' && statusOf(last) === 'resolved';
}

/**
 * The news among the events (not what a person did while chatting with the customer), and whether the
 * latest status change is one the customer already knows: their own doing, or made while a person chatted with them.
 */
function readEvents(events: AuditRecord[], heldAtStart: boolean): { news: AuditRecord[]; statusKnown: boolean | undefined } {
  let held = heldAtStart;
  let statusKnown: boolean | undefined;
  let news: AuditRecord[] = [];
  for (const event of events) {
    held = holdAfter(held, event);
    if (statusOf(event) && (event.action === 'ticket.status_changed' || event.actor.kind === 'customer')) {
      statusKnown = held || event.actor.kind === 'customer';
      // A status the customer knows supersedes the team's earlier status changes: telling those is stale.
      if (statusKnown) news = news.filter((earlier) => earlier.action !== 'ticket.status_changed');
    }
    if (isNews(event) && !held) news.push(event);
  }
  return { news, statusKnown };
}

export function initialState(status: TicketStatus): FollowUpState {
  return { seq: 0, auditSeq: 0, toldStatus: status };
}

export function planFollowUp(ticket: FollowUpTicket, events: AuditRecord[], now: Date, timeZone: string, options: PlanOptions, context: PlanContext = {}): Plan {
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
  const { news, statusKnown } = readEvents(events, Boolean(context.heldAtStart));
  const publicNotes = news.filter((event) => event.action === 'ticket.note_public' && event.note).map((event) => event.note as string);

  if (current.optedOut) return { messages: [], state: { ...consumed, toldStatus: ticket.status } };

  const personChatting = Boolean(ticket.heldBy);
  if (ticket.status === 'resolved') {
    // The person who resolved it is still chatting with the customer: the notice waits for their hand-back.
    if (personChatting && current.toldStatus !== 'resolved') return { messages: [], state: current, nextAt: new Date(now.getTime() + HAND_BACK_RECHECK_MS), held: true };
    const resolvedAt = ticket.resolvedAt ? new Date(ticket.resolvedAt) : now;
    const asked = current.csat?.askedAt && new Date(current.csat.askedAt) >= resolvedAt;
    const told = current.toldStatus === 'resolved';
    const csatDueAt = current.csatDueAt && new Date(current.csatDueAt) >= resolvedAt ? new Date(current.csatDueAt) : undefined;
    if (asked || (told && !csatDueAt)) return { messages: [], state: { ...consumed, toldStatus: 'resolved' } };
    // The customer withdrew it and was answered in the chat: no resolution notice, and no survey of a ticket nobody worked.
    if (!told && resolvedByCustomer(events)) return { messages: [], state: { ...consumed, toldStatus: 'resolved' }, dropPending: true };
    // Resolutions ignore quiet hours (the customer wants to know); the survey waits a little, and never comes at night,
    // so the customer can first tell us it is not sorted (which reopens the ticket and cancels the survey).
    const messages = told ? [] : [both((w) => followUpWords.resolution(w, publicNotes, options.reopenDays))];
    const surveyAt = csatDueAt ?? quietEndsAt(new Date(now.getTime() + (options.csatDelayMinutes ?? 0) * MINUTE), timeZone, options.quietHours);
    if (surveyAt > now || quiet) {
      const at = surveyAt > now ? surveyAt : quietEndsAt(now, timeZone, options.quietHours);
      return { messages, state: { ...consumed, toldStatus: 'resolved', csatDueAt: at }, nextAt: at, ...(messages.length === 0 && { held: true }) };
    }
    messages.push(both((w) => followUpWords.csat(w)));
    return { messages, state: { ...consumed, toldStatus: 'resolved', csat: { askedAt: now } } };
  }

  if (ticket.status === 'closed') {
    // Closed after a resolution already told: nothing more to say.
    if (current.toldStatus === 'closed' || current.toldStatus === 'resolved') return { messages: [], state: { ...consumed, toldStatus: 'closed' } };
    if (quiet) return { messages: [], state: current, nextAt: quietEndsAt(now, timeZone, options.quietHours), held: true };
    return { messages: [both((w) => followUpWords.closed(w, publicNotes))], state: { ...consumed, toldStatus: 'closed' } };
  }

  // The customer already knows a status they caused, or one a person set while chatting with them.
  const known = statusKnown ?? (!isActive(current.toldStatus ?? 'open') && isActive(ticket.status));
  const toldStatus = known ? ticket.status : current.toldStatus;
  const statusNews = ticket.status !== toldStatus;
  const escalated = news.some((event) => /escalated$/.test(event.action) || event.action === 'ticket.priority_changed');
  const assigned = news.some((event) => /(assigned|transferred)$/.test(event.action));
  // Only what the update would say counts (a status changed and changed back says nothing).
  const hasNews = statusNews || publicNotes.length > 0 || escalated || assigned;
  const silentlyKnown = ticket.status !== current.toldStatus && !statusNews;
  const customerReopened = silentlyKnown && !isActive(current.toldStatus ?? 'open');
  const checkInDue = current.promisedBy !== undefined && new Date(current.promisedBy) <= now;
  const customerWroteAt = events.filter((event) => event.actor.kind === 'customer').at(-1)?.at;
  const justWrote = customerWroteAt !== undefined && now.getTime() - new Date(customerWroteAt).getTime() < CHECK_IN_QUIET_AFTER_CUSTOMER_MS;

  const silentChange = silentlyKnown && !hasNews && (!checkInDue || customerReopened);
  if (silentChange || (checkInDue && !hasNews && justWrote) || (personChatting && (hasNews || checkInDue))) {
    // Nothing the customer does not know (they caused it, were just answered in the chat, or a person is chatting
    // with them now): no message, and a fresh promise from now.
    const promisedBy = promise();
    return { messages: [], state: { ...consumed, toldStatus: ticket.status, promisedBy, ...(customerReopened && { csat: undefined }) }, nextAt: promisedBy };
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
          reopened: statusNews && !isActive(toldStatus ?? 'open'),
          notes: publicNotes,
          escalated,
          assigned,
        }),
      promisedBy,
    );
    return { messages: [message], state: { ...consumed, toldStatus: ticket.status, promisedBy }, nextAt: promisedBy };
  }
  if (checkInDue || current.promisedBy === undefined) {
    const promisedBy = promise();
    // Late when the fix is overdue, or nobody has picked it up yet though we said when someone would.
    const unanswered = ticket.status === 'open' && !ticket.reopenCount && !ticket.firstResponseAt && new Date(ticket.sla.firstResponseDueAt) < now;
    const late = new Date(ticket.sla.resolutionDueAt) < now || unanswered;
    const messages = current.promisedBy === undefined ? [] : [both((w) => followUpWords.checkIn(w, ticket.status, late, Boolean(ticket.reopenCount)), promisedBy)];
    return { messages, state: { ...consumed, toldStatus, promisedBy }, nextAt: promisedBy };
  }
  // Woken early with nothing to say (a customer's own change): keep the promise already made.
  return { messages: [], state: { ...consumed, toldStatus }, nextAt: new Date(current.promisedBy!) };
}
