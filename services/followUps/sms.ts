/** The SMS route: a small provider port and one implementation (Twilio's REST API shape, base URL from config). */
import { ChannelSendError } from '../conversations';
import { OutcomeUnknownError } from './outcomeUnknown';

export interface SmsMessage {
  to: string;
  text: string;
  idempotencyKey: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<{ providerId?: string }>;
}

export interface TwilioOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  timeoutMs: number;
}

// Twilio error codes that mean this number will never take our message (unsubscribed, invalid, landline).
const PERMANENT_CODES = new Set([21211, 21610, 21612, 21614, 21408]);

export class TwilioSmsSender implements SmsSender {
  constructor(private readonly options: TwilioOptions) {}

  async send(message: SmsMessage): Promise<{ providerId?: string }> {
    const { baseUrl, accountSid, authToken, from, timeoutMs } = this.options;
    const body = new URLSearchParams({ To: message.to, Body: message.text, ...(from.startsWith('MG') ? { MessagingServiceSid: from } : { From: from }) });
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          // Providers that honour it drop a repeated request; harmless where ignored.
          'idempotency-key': message.idempotencyKey,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      // Timed out after sending: the provider may have the message, so a retry could text the customer twice.
      if ((cause as Error).name === 'TimeoutError') throw new OutcomeUnknownError('SMS provider did not answer in time', { cause });
      throw new ChannelSendError('transient', undefined, 'SMS provider unreachable', { cause });
    }
    const payload = (await response.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
    if (response.ok) return payload.sid ? { providerId: payload.sid } : {};
    const detail = `SMS provider answered ${response.status}${payload.code ? ` (code ${payload.code})` : ''}`;
    if (response.status === 429 || response.status >= 500) throw new ChannelSendError('transient', response.status, detail);
    if (payload.code !== undefined && PERMANENT_CODES.has(payload.code)) throw new ChannelSendError('gone', response.status, detail);
    throw new ChannelSendError('rejected', response.status, detail);
  }
}
