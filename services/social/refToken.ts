/**
 * The DM-link reference token: `<linkId>.<expiry base36 seconds>.<HMAC-SHA256 truncated to 128 bits>`.
 * The link id is a random opaque id of the archived post, so the token carries no personal data and
 * fits Messenger's `ref` (letters, digits, "-", "_", ".") and X's prefilled DM text.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SIGNATURE_BYTES = 16;
// Delimited by "not a token character" on both sides, never `\b`: a link id may start with "-" or "_",
// and `\b` fails between a space and "-" (about 1 link in 64 never worked).
export const REF_TOKEN_PATTERN = /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{12})\.([0-9a-z]{5,9})\.([A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/;

export function newLinkId(): string {
  return randomBytes(9).toString('base64url');
}

export class RefTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlMs: number,
  ) {
    if (secret.length < 16) throw new Error('DM link secret must be at least 16 characters');
    this.key = Buffer.from(secret, 'utf8');
  }

  sign(linkId: string, now: Date): string {
    const expires = Math.floor((now.getTime() + this.ttlMs) / 1000).toString(36);
    return `${linkId}.${expires}.${this.mac(linkId, expires).toString('base64url')}`;
  }

  /** The link id when the token is authentic and unexpired; undefined for anything else (never throws). */
  verify(token: string | undefined, now: Date): string | undefined {
    if (!token) return undefined;
    const match = REF_TOKEN_PATTERN.exec(token.trim());
    if (!match || match[0].length !== token.trim().length) return undefined;
    const [, linkId, expires, signature] = match;
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(linkId, expires);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (parseInt(expires, 36) * 1000 < now.getTime()) return undefined;
    return linkId;
  }

  /** The first token-shaped string in free text (a prefilled DM the customer may have edited around). */
  static find(text: string | undefined): string | undefined {
    return text ? REF_TOKEN_PATTERN.exec(text)?.[0] : undefined;
  }

  private mac(linkId: string, expires: string): Buffer {
    return createHmac('sha256', this.key).update(`dmlink.v1.${linkId}.${expires}`).digest().subarray(0, SIGNATURE_BYTES);
  }
}
