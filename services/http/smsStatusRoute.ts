/**
 * POST /api/sms/status: Twilio's StatusCallback for the follow-up SMS we sent (delivered, undelivered,
 * failed…). Read like the inbound door (503/413/415/400, forged or unsigned → 403); no MessageSid or
 * MessageStatus → 400. Everything else is answered 200, also a report for a message we do not know or a
 * replay: Twilio retries non-2xx answers, and retrying those would change nothing.
 */
import type { Request, Response, Server } from 'restify';
import { type ReportResult, type SmsStatusReport, smsStatusReportOf } from '../followUps/smsDelivery';
import { signedTwilioForm, type TwilioDoor } from './twilioForm';

export const SMS_STATUS_PATH = '/api/sms/status';

export interface SmsStatusDoor extends TwilioDoor {
  handle(report: SmsStatusReport): Promise<ReportResult>;
}

/**
 * The StatusCallback to give Twilio with each SMS, or undefined when Twilio could not reach us: PUBLIC_BASE_URL
 * not set (local mode falls back to a loopback address) or itself a loopback address.
 */
export function smsStatusCallbackUrl(publicBaseUrl: string): string | undefined {
  let host: string;
  try {
    host = new URL(publicBaseUrl).hostname;
  } catch {
    return undefined;
  }
  const loopback = host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  return loopback ? undefined : `${publicBaseUrl}${SMS_STATUS_PATH}`;
}

export function smsStatusRoute(door: SmsStatusDoor) {
  return (server: Server): void => {
    server.post(SMS_STATUS_PATH, async (req: Request, res: Response) => {
      const report = await signedTwilioForm(door, req, res, 'Receiving SMS delivery reports', smsStatusReportOf);
      if (!report) return;
      res.send(200, { result: await door.handle(report) });
    });
  };
}
