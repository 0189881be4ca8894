/**
 * Whether a person held the customer's conversation when something happened, read from the audit trail's
 * handoff events. What the holder did while chatting with the customer, the customer saw live: a bot
 * "update" about it afterwards repeats it and talks over the person.
 */
import type { AuditRecord } from '../tickets/audit';

/** Handoff events that end a person's hold without saying who holds it next. */
const ENDS_HOLD = /^handoff\.(handed_back|idle_returned|queue_ended|left_queue|released_for_tier|transferred)$/;

/** The hold after this event, given the hold before it. */
export function holdAfter(held: boolean, event: AuditRecord): boolean {
  if (!event.action.startsWith('handoff.')) return held;
  const after = event.after as { heldBy?: unknown } | undefined;
  if (after && 'heldBy' in after) return typeof after.heldBy === 'string' && after.heldBy !== 'bot';
  return ENDS_HOLD.test(event.action) ? false : held;
}

/** The hold after all these events (oldest first). */
export function heldAfterAll(events: AuditRecord[], held = false): boolean {
  return events.reduce(holdAfter, held);
}
