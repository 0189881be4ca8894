/** Meta Graph webhook security: `hub.challenge` verification and `X-Hub-Signature-256` (hex HMAC-SHA256). */
import { createHmac } from 'node:crypto';
import { sameSecret, verifyHmacSha256 } from '../signatures';

export function verifyMetaSignature(appSecret: string, raw: Buffer | undefined, header: string | undefined): boolean {
  return verifyHmacSha256(appSecret, raw, header, 'hex');
}

/** The challenge to echo when Meta subscribes the webhook with our verify token; undefined otherwise. */
export function verificationChallenge(verifyToken: string, query: Record<string, unknown>): string | undefined {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof challenge !== 'string' || challenge.length === 0 || challenge.length > 200) return undefined;
  return sameSecret(verifyToken, typeof token === 'string' ? token : undefined) ? challenge : undefined;
}

export function signMetaBody(appSecret: string, raw: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}
