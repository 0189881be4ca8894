/** Refusals of the agent API that are not domain errors (accounts, tokens): the status travels with the code. */
export class StatusError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A 404 for things that are not tickets (accounts, tokens). */
export class NotFound extends StatusError {
  constructor(code: string, message: string) {
    super(404, code, message);
  }
}
