/** Errors the domain raises on purpose: a stable code for callers and HTTP mapping, and the cause kept. */
export type DomainErrorCode =
  | 'CONFIG_INVALID'
  | 'TICKET_NOT_FOUND'
  | 'TICKET_TRANSITION_INVALID'
  | 'TICKET_CONFLICT'
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CHANNEL_UNREACHABLE'
  | 'CHANNEL_WINDOW_CLOSED'
  | 'CONVERSATION_GONE';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

export function hasCode(error: unknown, code: DomainErrorCode): boolean {
  return error instanceof DomainError && error.code === code;
}
