/**
 * Twilio's request signature (X-Twilio-Signature): base64 HMAC-SHA1, keyed with the account's auth token,
 * over the full URL the webhook is configured at followed by every POST parameter's name and value,
 * sorted by name. Checked in constant time, closed when anything is missing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type FormParams = ReadonlyArray<readonly [string, string]>;

function twilioSignatureOf(authToken: string, url: string, params: FormParams): Buffer {
  // Plain code-unit order, as Twilio's own libraries sort (not locale order).
  const sorted = [...params].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const hmac = createHmac('sha1', authToken).update(url, 'utf8');
  for (const [name, value] of sorted) hmac.update(name + value, 'utf8');
  return hmac.digest();
}

/** True only when token, URL and header are present and the header is exactly the base64 of the expected digest. */
export function verifyTwilioSignature(authToken: string, url: string, params: FormParams, header: string | undefined): boolean {
  if (!authToken || !url || typeof header !== 'string' || header.length === 0) return false;
  const given = Buffer.from(header, 'base64');
  // Node's decoder skips bad characters: "<valid>!!" would otherwise pass.
  if (given.toString('base64') !== header) return false;
  const expected = twilioSignatureOf(authToken, url, params);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
