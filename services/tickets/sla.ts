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

export function slaTimers(priority: Priority, openedAt: Date, policies: Record<Priority, SlaPolicy> = DEFAULT_SLA_POLICIES): SlaTimers {
  const policy = policies[priority];
  return {
    firstResponseDueAt: new Date(openedAt.getTime() + policy.firstResponseMs),
    resolutionDueAt: new Date(openedAt.getTime() + policy.resolutionMs),
  };
}
