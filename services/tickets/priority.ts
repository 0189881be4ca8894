import type { Priority } from './types';
import { PRIORITIES } from './types';

export interface PriorityInput {
  description?: string;
  /** The same customer or order already had a ticket recently. */
  repeatContact: boolean;
  humanRequested: boolean;
  /** Followers or impressions of the public post that brought the customer; 0 when none. */
  publicReach: number;
}

export interface PriorityPolicy {
  /** Reach at which a public post earns its (single) step; public visibility never buys more than one. */
  publicReachThreshold: number;
  /** 0 turns the public factor off; at most 1 step. */
  publicReachSteps: 0 | 1;
}

/** Off by default: any step would put a customer who never went public behind one with the same story who did. */
export const DEFAULT_PRIORITY_POLICY: PriorityPolicy = { publicReachThreshold: 10_000, publicReachSteps: 0 };

const SEVERE = /\b(broken|damaged|smashed|crushed|cracked|shattered|injur\w*|unsafe|fire|smoke|stolen|fraud|charged (twice|two times)|double[- ]charged|never (arrived|came|delivered)|not (arrived|delivered|received)|missing|wrong (item|order)|refund)\b/i;

/**
 * Priority from what happened, not from who shouted: severity and repeat contact raise it; public reach
 * can add at most one bounded step so customers who never went public are not pushed behind.
 */
export function computePriority(input: PriorityInput, policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY): { priority: Priority; reasons: string[] } {
  let level = 1; // normal
  const reasons: string[] = [];
  if (input.description && SEVERE.test(input.description)) {
    level += 1;
    reasons.push('severity: the description reports a failed, damaged or wrongly charged order');
  }
  if (input.repeatContact) {
    level += 1;
    reasons.push('repeat contact: the customer already contacted us about this');
  }
  if (input.humanRequested) reasons.push('the customer asked for a person');
  if (policy.publicReachSteps > 0 && input.publicReach >= policy.publicReachThreshold && level < 2) {
    level += policy.publicReachSteps;
    reasons.push(`public reach ${input.publicReach} (bounded: one step at most)`);
  }
  return { priority: PRIORITIES[Math.min(level, PRIORITIES.length - 1)], reasons };
}
