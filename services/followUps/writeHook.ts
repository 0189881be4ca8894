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

// A follow-up SMS reported undelivered wakes the ticket too: the message goes again by another route.
const WAKES = /^(ticket\.(status_changed|note_public|priority_changed|assigned|escalated|transferred)|followup\.sms_undelivered)$/;

/** `staffed`: the promise falls due while the team is in (SLA_CLOCK=business_hours); absent = calendar. */
export function followUpWriteHook(checkInHours: Record<Priority, number>, staffed?: StaffedHours): WriteHook {
  return ({ before, patch, action, at }) => {
    if (before === null) {
      const promisedBy = checkInPromise(at, checkInHours[patch.priority ?? 'normal'], staffed);
      const followUp: FollowUpState = { seq: 0, auditSeq: 0, toldStatus: patch.status ?? 'open', promisedBy, nextAt: promisedBy };
      return { followUp };
    }
    return WAKES.test(action) ? { 'followUp.nextAt': at } : undefined;
  };
}
