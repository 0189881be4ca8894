/** The SMS route: a small provider port and one implementation (Twilio's REST API shape, base URL from config). */
import { ChannelSendError } from '../conversations';
import type { SmsBlockReason } from '../tickets/types';
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

// Twilio error codes that mean this phone will never take our SMS: remembered on the customer's tickets.
const PHONE_BLOCKS = new Map<number, SmsBlockReason>([
  [21610, 'opted_out'], // the customer replied STOP to our number
  [21211, 'invalid_number'],
  [21614, 'not_mobile'], // a landline
  [21612, 'unreachable'],
]);
// Refused for our account's settings (region not enabled), not the phone's fault: permanent for this send only.
const ACCOUNT_REFUSALS = new Set([21408]);

/** The provider refused this phone for good; `block` says why, to be remembered. */
export class SmsPhoneRefusedError extends ChannelSendError {
  constructor(
    readonly block: SmsBlockReason,
    readonly providerCode: number,
    status: number,
    message: string,
  ) {
    super('gone', status, message);
    this.name = 'SmsPhoneRefusedError';
  }
}

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
    const block = payload.code !== undefined ? PHONE_BLOCKS.get(payload.code) : undefined;
    if (block) throw new SmsPhoneRefusedError(block, payload.code!, response.status, detail);
    if (payload.code !== undefined && ACCOUNT_REFUSALS.has(payload.code)) throw new ChannelSendError('gone', response.status, detail);
    throw new ChannelSendError('rejected', response.status, detail);
  }
}
