import type { WriteHook } from './ticketService';
import type { Priority, SlaTimers } from './types';
import { HOUR, MINUTE } from '../clock';

export interface SlaPolicy {
  firstResponseMs: number;
  resolutionMs: number;
}

/** Default targets per priority; config may override them. */
export const DEFAULT_SLA_POLICIES: Record<Priority, SlaPolicy> = {
  urgent: { firstResponseMs: 15 * MINUTE, resolutionMs: 4 * HOUR },
  high: { firstResponseMs: HOUR, resolutionMs: 24 * HOUR },
  normal: { firstResponseMs: 4 * HOUR, resolutionMs: 72 * HOUR },
  low: { firstResponseMs: 24 * HOUR, resolutionMs: 120 * HOUR },
};

/**
 * The clock SLA targets are counted on. Due times stay instants (reports and the queue compare them
 * with answer times as they are); only the arithmetic that produces them skips the time not counted.
 */
export interface SlaClock {
  /** The instant `ms` of counted time after `from`. */
  addCounted(from: Date, ms: number): Date;
  /** Counted time between two instants. */
  countedBetween(from: Date, to: Date): number;
  /** Whether time counts at `at` (business hours: the team is in). */
  runsAt(at: Date): boolean;
}

/** Every hour counts, day and night (SLA_CLOCK=calendar, or a team staffed 24/7). */
export const CALENDAR_SLA_CLOCK: SlaClock = {
  addCounted: (from, ms) => new Date(from.getTime() + ms),
  countedBetween: (from, to) => Math.max(0, to.getTime() - from.getTime()),
  runsAt: () => true,
};

/** The timers of a ticket opened at `openedAt`; `paused` carries waits on the customer over (a priority change keeps them). */
export function slaTimers(
  priority: Priority,
  openedAt: Date,
  policies: Record<Priority, SlaPolicy> = DEFAULT_SLA_POLICIES,
  paused: Pick<SlaTimers, 'pausedAt' | 'pausedMs'> = {},
  clock: SlaClock = CALENDAR_SLA_CLOCK,
): SlaTimers {
  const policy = policies[priority];
  const pausedMs = paused.pausedMs ?? 0;
  return {
    firstResponseDueAt: clock.addCounted(openedAt, policy.firstResponseMs),
    resolutionDueAt: clock.addCounted(openedAt, policy.resolutionMs + pausedMs),
    ...(pausedMs > 0 && { pausedMs }),
    ...(paused.pausedAt && { pausedAt: paused.pausedAt }),
  };
}

const WAITING = 'waiting_on_customer';

/**
 * The resolution clock stops while a ticket waits on the customer (Zendesk's "pending"): the days a
 * customer takes to answer are not ours to breach, and a ticket must not escalate the moment they do.
 * Entering the wait records when; leaving it moves the due time on by the time waited. The
 * first-response clock never stops: we have answered by the time we wait on them. The wait is measured
 * on the same clock as the targets (staffed time under business hours).
 */
export function slaPauseHook(clock: SlaClock = CALENDAR_SLA_CLOCK): WriteHook {
  return ({ before, patch, at }) => {
    if (!before || patch.status === undefined || patch.status === before.status || patch.sla) return undefined;
    if (patch.status === WAITING) return { 'sla.pausedAt': at };
    const pausedAt = before.sla.pausedAt;
    if (before.status !== WAITING || !pausedAt) return undefined;
    // Only counted time waited moves the due time: a wait over a weekend costs the team nothing to give back.
    const waited = clock.countedBetween(new Date(pausedAt), at);
    return {
      'sla.resolutionDueAt': clock.addCounted(new Date(before.sla.resolutionDueAt), waited),
      'sla.pausedMs': (before.sla.pausedMs ?? 0) + waited,
      'sla.pausedAt': null,
    };
  };
}
