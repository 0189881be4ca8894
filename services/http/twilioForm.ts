/**
 * Reads a Twilio webhook (inbound texts, delivery reports) the same way for every door, in this order:
 * not configured (no auth token) → 503; size → 413; not a form → 415; unreadable form → 400;
 * X-Twilio-Signature missing or wrong → 403; the door's own fields unreadable (VALIDATION_FAILED) → 400.
 * Answers the request itself and returns undefined on any of these.
 */
import type { Request, Response } from 'restify';
import { hasCode } from '../errors';
import { parseForm } from '../followUps/smsInbound';
import { type FormParams, verifyTwilioSignature } from '../followUps/twilioSignature';
import { rawBodyOr413 } from './rawBody';

export interface TwilioDoor {
  /** The SMS provider's auth token; empty = the door answers 503. */
  authToken: string;
  /** The public address Twilio calls (PUBLIC_BASE_URL): the signature covers the full URL. */
  publicBaseUrl: string;
  maxBodyBytes: number;
}

/** What `read` makes of the signed form, or undefined once the request has been answered with an error. */
export async function signedTwilioForm<T>(door: TwilioDoor, req: Request, res: Response, whatIsOff: string, read: (params: FormParams) => T): Promise<T | undefined> {
  if (!door.authToken) {
    res.send(503, { error: 'NOT_CONFIGURED', message: `${whatIsOff} is off: set SMS_AUTH_TOKEN (and the SMS provider settings).` });
    return undefined;
  }
  const raw = await rawBodyOr413(req, res, door.maxBodyBytes);
  if (!raw) return undefined;
  const declared = req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(declared)) {
    res.send(415, { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the form as application/x-www-form-urlencoded, as Twilio does.' });
    return undefined;
  }
  let params: FormParams;
  try {
    params = parseForm(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (error) {
    res.send(400, { error: 'BAD_FORM', message: error instanceof TypeError ? 'The body is not valid UTF-8.' : (error as Error).message });
    return undefined;
  }
  // Twilio signs the URL it was given: our public address plus the path and query it called.
  if (!verifyTwilioSignature(door.authToken, `${door.publicBaseUrl}${req.url ?? ''}`, params, req.header('x-twilio-signature') || undefined)) {
    res.send(403, { error: 'FORBIDDEN', message: 'X-Twilio-Signature is missing or does not match this request.' });
    return undefined;
  }
  try {
    return read(params);
  } catch (error) {
    if (!hasCode(error, 'VALIDATION_FAILED')) throw error;
    res.send(400, { error: 'VALIDATION_FAILED', message: (error as Error).message });
    return undefined;
  }
}
