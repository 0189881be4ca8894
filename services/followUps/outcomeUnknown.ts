/** A send whose request may have reached the other side (it timed out after leaving): never repeated on that route. */
export class OutcomeUnknownError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutcomeUnknownError';
  }
}
