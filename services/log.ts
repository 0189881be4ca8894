/**
 * Structured logs (pino) that never carry personal data: every string value, and the message itself,
 * passes through `redact` (e-mails, phone numbers, order numbers), and fields that are personal by
 * nature (contact details, message text) are censored by path.
 */
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Credentials as they appear in headers and bodies: a logged request or error never replays as a sign-in or a valid signature. */
const SECRET_HEADERS = ['set-cookie', 'x-api-key', 'x-csrf-token', 'x-hub-signature', 'x-hub-signature-256', 'x-twitter-webhooks-signature', 'x-twilio-signature', 'proxy-authorization'];
const SECRET_KEYS = ['csrfToken', 'token', 'apiKey', 'accessToken', 'secret', 'newPassword', 'currentPassword'];
const PERSONAL_FIELDS = new Set(['email', 'phone', 'orderNumber', 'otherOrderNumbers', 'contact', 'text', 'password', 'authorization', 'cookie', ...SECRET_HEADERS, ...SECRET_KEYS]);

export interface LoggerOptions {
  level: string;
  /** Replaces personal data inside free text. */
  redact: (text: string) => string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return options.redact(value);
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return { type: value.name, message: options.redact(value.message), code: (value as { code?: unknown }).code, stack: value.stack && options.redact(value.stack) };
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = PERSONAL_FIELDS.has(key) ? '[redacted]' : scrub(inner, depth + 1);
    }
    return out;
  };
  return pino(
    {
      level: options.level,
      base: undefined,
      formatters: { log: (object) => scrub(object, 0) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? options.redact(arg) : arg));
          return method.apply(this, redacted as Parameters<typeof method>);
        },
      },
      serializers: { err: (error: unknown) => scrub(error, 0) },
    },
    options.destination,
  );
}

/** A logger that drops everything, for unit tests that do not read logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
