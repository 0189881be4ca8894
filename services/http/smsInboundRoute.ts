/**
 * POST /api/sms/inbound: Twilio's messaging webhook (a customer texted our number). In this order:
 * not configured (no auth token) → 503; size → 413; not a form → 415; unreadable form → 400;
 * X-Twilio-Signature missing or wrong → 403; no MessageSid/From → 400; then the message is handled.
 * Every accepted webhook is answered with an empty TwiML <Response/>: we never text back from here
 * (Twilio itself sends the carrier-required STOP/START/HELP confirmations).
 */
import type { Request, Response, Server } from 'restify';
import { hasCode } from '../errors';
import { type InboundSms, inboundSmsOf } from '../followUps/smsInbound';
import { signedTwilioForm, type TwilioDoor } from './twilioForm';

const SMS_INBOUND_PATH = '/api/sms/inbound';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

export interface SmsInboundDoor extends TwilioDoor {
  handle(sms: InboundSms): Promise<unknown>;
}

export function smsInboundRoute(door: SmsInboundDoor) {
  return (server: Server): void => {
    server.post(SMS_INBOUND_PATH, async (req: Request, res: Response) => {
      const params = await signedTwilioForm(door, req, res, 'Inbound SMS');
      if (!params) return;
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
