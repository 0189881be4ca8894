/**
 * POST /api/sms/inbound: Twilio's messaging webhook (a customer texted our number). In this order:
 * not configured (no auth token) → 503; size → 413; not a form → 415; unreadable form → 400;
 * X-Twilio-Signature missing or wrong → 403; no MessageSid/From → 400; then the message is handled.
 * Every accepted webhook is answered with an empty TwiML <Response/>: we never text back from here
 * (Twilio itself sends the carrier-required STOP/START/HELP confirmations).
 */
import type { Request, Response, Server } from 'restify';
import { hasCode } from '../errors';
import { type InboundSms, inboundSmsOf, parseForm } from '../followUps/smsInbound';
import { type FormParams, verifyTwilioSignature } from '../followUps/twilioSignature';
import { rawBodyOr413 } from './rawBody';

const SMS_INBOUND_PATH = '/api/sms/inbound';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

export interface SmsInboundDoor {
  /** The SMS provider's auth token; empty = the door answers 503. */
  authToken: string;
  /** The public address Twilio is configured with (PUBLIC_BASE_URL): the signature covers the full URL. */
  publicBaseUrl: string;
  maxBodyBytes: number;
  handle(sms: InboundSms): Promise<unknown>;
}

export function smsInboundRoute(door: SmsInboundDoor) {
  return (server: Server): void => {
    server.post(SMS_INBOUND_PATH, async (req: Request, res: Response) => {
      if (!door.authToken) {
        res.send(503, { error: 'NOT_CONFIGURED', message: 'Inbound SMS is off: set SMS_AUTH_TOKEN (and the SMS provider settings).' });
        return;
      }
      const raw = await rawBodyOr413(req, res, door.maxBodyBytes);
      if (!raw) return;
      const declared = req.header('content-type') ?? '';
      if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(declared)) {
        res.send(415, { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the form as application/x-www-form-urlencoded, as Twilio does.' });
        return;
      }
      let params: FormParams;
      try {
        params = parseForm(new TextDecoder('utf-8', { fatal: true }).decode(raw));
      } catch (error) {
        res.send(400, { error: 'BAD_FORM', message: error instanceof TypeError ? 'The body is not valid UTF-8.' : (error as Error).message });
        return;
      }
      // Twilio signs the URL it was configured with: our public address plus the path and query it called.
      if (!verifyTwilioSignature(door.authToken, `${door.publicBaseUrl}${req.url ?? ''}`, params, req.header('x-twilio-signature') || undefined)) {
        res.send(403, { error: 'FORBIDDEN', message: 'X-Twilio-Signature is missing or does not match this request.' });
        return;
      }
      let sms: InboundSms;
      try {
        sms = inboundSmsOf(params);
      } catch (error) {
        if (!hasCode(error, 'VALIDATION_FAILED')) throw error;
        res.send(400, { error: 'VALIDATION_FAILED', message: (error as Error).message });
        return;
      }
      await door.handle(sms);
      res.setHeader('content-type', 'text/xml');
      res.sendRaw(200, EMPTY_TWIML);
    });
  };
}
