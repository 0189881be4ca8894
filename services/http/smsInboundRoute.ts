/**
 * POST /api/sms/inbound: Twilio's messaging webhook (a customer texted our number). In this order:
 * not configured (no auth token) → 503; size → 413; not a form → 415; unreadable form → 400;
 * X-Twilio-Signature missing or wrong → 403; no MessageSid/From → 400; then the message is handled.
 * Every accepted webhook is answered with TwiML (text/xml): one escaped <Message> when the handling chose a text
 * back (an opt-out in other words, a withdrawal, a rating…), else an empty <Response/>. Twilio itself sends the
 * STOP/START/HELP keyword confirmations; a redelivered MessageSid is answered empty, so it never texts twice.
 */
import type { Request, Response, Server } from 'restify';
import { twimlOf } from '../followUps/smsAnswers';
import { type InboundSms, inboundSmsOf } from '../followUps/smsInbound';
import { signedTwilioForm, type TwilioDoor } from './twilioForm';

const SMS_INBOUND_PATH = '/api/sms/inbound';

export interface SmsInboundDoor extends TwilioDoor {
  /** `answer`: the text to send back to the customer in the webhook's answer, if any. */
  handle(sms: InboundSms): Promise<{ answer?: string }>;
}

export function smsInboundRoute(door: SmsInboundDoor) {
  return (server: Server): void => {
    server.post(SMS_INBOUND_PATH, async (req: Request, res: Response) => {
      const sms = await signedTwilioForm(door, req, res, 'Inbound SMS', inboundSmsOf);
      if (!sms) return;
      const { answer } = await door.handle(sms);
      res.setHeader('content-type', 'text/xml; charset=utf-8');
      res.sendRaw(200, twimlOf(answer));
    });
  };
}
