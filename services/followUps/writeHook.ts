/**
 * What follow-ups write in the same update as a ticket change (TicketService.alsoWrite): a new ticket gets
 * its schedule, and a change that may be news makes the ticket due now. Being part of the change's own
 * write, a crash right after it cannot lose the follow-up.
 */
import type { StaffedHours } from '../handoff/staffedHours';
import type { WriteHook } from '../tickets/ticketService';
import type { Priority } from '../tickets/types';
import { checkInPromise } from './checkInPromise';
import type { FollowUpState } from './types';

// A follow-up SMS reported undelivered wakes the ticket too: the message goes again by another route. The bot
// getting the chat back wakes it as well: what waited while a person chatted (a resolution) goes out then. Every
// ending that clears the hold counts, an external agent hub's included (hub_ended: the ticket ended while it held the chat).
const WAKES = /^(ticket\.(status_changed|note_public|priority_changed|assigned|escalated|transferred)|followup\.sms_undelivered|handoff\.(handed_back|idle_returned|released_for_tier|ended_with_ticket|hub_ended|hub_completed|hub_failed))$/;

/** News a team member makes in several steps (status, then a note) within this long reaches the customer as one message. */
// A hold ended by the status change itself settles with it: the supervisor's note typed right after still joins the notice.
const SETTLES = /^(ticket\.|handoff\.(ended_with_ticket|hub_ended)$)/;

/**
 * `staffed`: the promise falls due while the team is in (SLA_CLOCK=business_hours); absent = calendar.
 * `settleMs`: news is looked at this long after the latest change, so a status and the note typed after it go together.
 */
export function followUpWriteHook(checkInHours: Record<Priority, number>, staffed?: StaffedHours, settleMs = 0): WriteHook {
  return ({ before, patch, action, at }) => {
    if (before === null) {
      const promisedBy = checkInPromise(at, checkInHours[patch.priority ?? 'normal'], staffed);
      const followUp: FollowUpState = { seq: 0, auditSeq: 0, toldStatus: patch.status ?? 'open', promisedBy, nextAt: promisedBy };
      return { followUp };
    }
    if (!WAKES.test(action)) return undefined;
    return { 'followUp.nextAt': SETTLES.test(action) ? new Date(at.getTime() + settleMs) : at };
  };
}
