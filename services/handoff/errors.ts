/** Why a handoff action was refused; the HTTP layer maps `status` straight onto the response. */
import type { Holder } from './queue';

export type HandoffErrorCode =
  | 'HELD_BY_OTHER'
  | 'NOT_HELD'
  | 'TIER_TOO_LOW'
  | 'HELD_CHANGE_NEEDS_SUPERVISOR'
  | 'NO_SUCH_AGENT'
  | 'EXTERNAL_HUB'
  | 'TOP_TIER'
  | 'OUTRANKED'
  | 'NO_CONVERSATION'
  | 'INVALID_TRANSFER';

const STATUS: Record<HandoffErrorCode, number> = {
  HELD_BY_OTHER: 409,
  NOT_HELD: 409,
  EXTERNAL_HUB: 409,
  TOP_TIER: 409,
  TIER_TOO_LOW: 403,
  HELD_CHANGE_NEEDS_SUPERVISOR: 403,
  NO_SUCH_AGENT: 400,
  OUTRANKED: 403,
  NO_CONVERSATION: 409,
  INVALID_TRANSFER: 400,
};

export class HandoffError extends Error {
  readonly status: number;

  constructor(
    readonly code: HandoffErrorCode,
    message: string,
    readonly holder?: Holder,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HandoffError';
    this.status = STATUS[code];
  }
}
