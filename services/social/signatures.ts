/** HMAC checks shared by the webhook doors: computed over the raw bytes, compared in constant time, closed when anything is missing. */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** True only when secret, body and header are all present and the header's digest matches. */
export function verifyHmacSha256(secret: string, raw: Buffer | undefined, header: string | undefined, encoding: 'base64' | 'hex'): boolean {
  if (!secret || !raw || typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const text = header.slice('sha256='.length);
  const given = Buffer.from(text, encoding);
  // Node's decoders stop at or skip bad characters ("<valid>zz", "<valid>!!!" would pass): the digest must be exactly its own encoding.
  if (!sameEncoding(given.toString(encoding), text, encoding)) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sameEncoding(canonical: string, text: string, encoding: 'base64' | 'hex'): boolean {
  return encoding === 'hex' ? canonical === text.toLowerCase() : canonical === text;
}

/** Constant-time equality of two short secrets (API keys, verify tokens); false when either is empty. */
export function sameSecret(expected: string, given: string | undefined): boolean {
  if (!expected || typeof given !== 'string' || given.length === 0) return false;
  const a = createHmac('sha256', 'compare').update(expected).digest();
  const b = createHmac('sha256', 'compare').update(given).digest();
  return timingSafeEqual(a, b);
}
