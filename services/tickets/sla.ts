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

/** The timers of a ticket opened at `openedAt`; `paused` carries waits on the customer over (a priority change keeps them). */
export function slaTimers(
  priority: Priority,
  openedAt: Date,
  policies: Record<Priority, SlaPolicy> = DEFAULT_SLA_POLICIES,
  paused: Pick<SlaTimers, 'pausedAt' | 'pausedMs'> = {},
): SlaTimers {
  const policy = policies[priority];
  const pausedMs = paused.pausedMs ?? 0;
  return {
    firstResponseDueAt: new Date(openedAt.getTime() + policy.firstResponseMs),
    resolutionDueAt: new Date(openedAt.getTime() + policy.resolutionMs + pausedMs),
    ...(pausedMs > 0 && { pausedMs }),
    ...(paused.pausedAt && { pausedAt: paused.pausedAt }),
  };
}

const WAITING = 'waiting_on_customer';

/**
 * The resolution clock stops while a ticket waits on the customer (Zendesk's "pending"): the days a
 * customer takes to answer are not ours to breach, and a ticket must not escalate the moment they do.
 * Entering the wait records when; leaving it moves the due time on by the time waited. The
 * first-response clock never stops: we have answered by the time we wait on them.
 */
export const pauseResolutionWhileWaiting: WriteHook = ({ before, patch, at }) => {
  if (!before || patch.status === undefined || patch.status === before.status || patch.sla) return undefined;
  if (patch.status === WAITING) return { 'sla.pausedAt': at };
  const pausedAt = before.sla.pausedAt;
  if (before.status !== WAITING || !pausedAt) return undefined;
  const waited = Math.max(0, at.getTime() - new Date(pausedAt).getTime());
  return {
    'sla.resolutionDueAt': new Date(new Date(before.sla.resolutionDueAt).getTime() + waited),
    'sla.pausedMs': (before.sla.pausedMs ?? 0) + waited,
    'sla.pausedAt': null,
  };
};
