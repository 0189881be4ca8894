/** X Account Activity webhook security: the CRC answer and `x-twitter-webhooks-signature` (base64 HMAC-SHA256). */
import { createHmac } from 'node:crypto';
import { verifyHmacSha256 } from '../signatures';

export function crcResponse(consumerSecret: string, crcToken: string): { response_token: string } {
  return { response_token: `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}` };
}

/** Exactly one canonical base64 SHA-256 digest: Node's base64 decoder skips junk ("<valid>!!!" would pass). */
const X_SIGNATURE_HEADER = /^sha256=[A-Za-z0-9+/]{43}=$/;

export function verifyXSignature(consumerSecret: string, raw: Buffer | undefined, header: string | undefined): boolean {
  return typeof header === 'string' && X_SIGNATURE_HEADER.test(header) && verifyHmacSha256(consumerSecret, raw, header, 'base64');
}

/** For tests and the benchmark: the header X would send. */
export function signXBody(consumerSecret: string, raw: Buffer | string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(raw).digest('base64')}`;
}
