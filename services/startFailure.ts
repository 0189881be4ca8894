/**
 * What an operator reads when the bot cannot start: one line with the code, the reason, its causes and
 * the setting to look at; a stack only for failures nobody anticipated (no code), where it is the only clue.
 */

interface Failure {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  stack?: unknown;
}

/** The settings an operator should check for a failure code. */
const HINTS: Record<string, string> = {
  EADDRINUSE: 'another process listens on PORT: stop it or set another PORT',
  EACCES: 'no permission: check PORT (below 1024 needs privileges) and that DATA_DIR is writable',
  STORE_UNAVAILABLE: 'check MONGODB_URI (server reachable, credentials, network access list) or DATA_DIR',
  INVALID_OPERATION: 'check MONGODB_URI',
};

/** A connection string's user:password never reaches a log. */
const hidePasswords = (text: string) => text.replace(/\/\/[^/@\s]+@/g, '//(credentials hidden)@');

export function describeStartFailure(error: unknown): string {
  const failure = (error ?? {}) as Failure;
  const reasons: string[] = [];
  for (let at: Failure | undefined = failure; at && reasons.length < 5; at = at.cause as Failure | undefined) {
    const message = typeof at.message === 'string' ? at.message : String(at);
    const reason = message.replace(/\.$/, '');
    if (reason && !reasons.includes(reason)) reasons.push(reason);
  }
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  const hint = code && HINTS[code] ? `. Hint: ${HINTS[code]}` : '';
  const line = hidePasswords(`${code ? `${code}: ` : ''}${reasons.join(': ')}${hint}`);
  return code || typeof failure.stack !== 'string' ? line : `${line}\n${hidePasswords(failure.stack)}`;
}
