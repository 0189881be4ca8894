/**
 * Browser-facing hardening shared by every response: the headers a staff page or an API answer carries,
 * and the body a 500 shows (never the error's own message: it can hold paths, queries or personal data).
 * Pages that run scripts replace only the default policy with their own (STAFF_PAGE_HEADERS, the try-it page's).
 */
import type { Next, Request, Response } from 'restify';

/** Every answer: JSON and webhook replies are never a document, so they may load nothing and be framed by no one. */
const DEFAULT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** The console and supervisors' pages: own scripts and styles only, nothing inline, never framed (the rest comes from securityHeaders). */
export const STAFF_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
};

/** `server.pre(securityHeaders)`: set first, so a handler's own policy (sendRaw headers) overrides the default. */
export function securityHeaders(_req: Request, res: Response, next: Next): void {
  for (const [name, value] of Object.entries(DEFAULT_SECURITY_HEADERS)) res.header(name, value);
  // Answers carry tickets, customers' words and privacy records: nothing caches them unless a route replaces this (setHeader, sendRaw headers).
  res.header('cache-control', 'no-store');
  return next();
}

const INTERNAL_ERROR_BODY = { code: 'Internal', message: 'Something went wrong on our side; it has been logged.' } as const;

/**
 * From the server's `restifyError` listener: answers a 5xx with a fixed body before restify would send
 * `String(error)` (restify's default for a thrown Error). The full error stays in the log only.
 */
export function answerWithoutInternals(res: Response, status: number): void {
  if (status < 500 || res.headersSent) return;
  res.send(status, INTERNAL_ERROR_BODY);
}
