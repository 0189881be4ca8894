/** X Account Activity webhook security: the CRC answer and `x-twitter-webhooks-signature` (base64 HMAC-SHA256). */
import { createHmac } from 'node:crypto';
import { verifyHmacSha256 } from '../signatures';

/**
 * The CRC answer is HMAC(consumer secret, token), the very signature a POST carries over its body: answering
 * any token would sign any body an attacker chose. X's tokens are short and base64/uuid-like; a JSON body
 * starts with "{", so accepting only this alphabet never signs something the POST door would take.
 */
const CRC_TOKEN_PATTERN = /^[A-Za-z0-9+/=_-]{8,255}$/;

export function isCrcToken(token: unknown): token is string {
  return typeof token === 'string' && CRC_TOKEN_PATTERN.test(token);
}

export function crcResponse(consumerSecret: string, crcToken: string): { response_token: string } {
  return { response_token: `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}` };
}

export function verifyXSignature(consumerSecret: string, raw: Buffer | undefined, header: string | undefined): boolean {
  return verifyHmacSha256(consumerSecret, raw, header, 'base64');
}

/** For tests and the benchmark: the header X would send. */
export function signXBody(consumerSecret: string, raw: Buffer | string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(raw).digest('base64')}`;
}
