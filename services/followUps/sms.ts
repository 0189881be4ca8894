/** The SMS route: a small provider port and one implementation (Twilio's REST API shape, base URL from config). */
import { ChannelSendError } from '../conversations';
import type { SmsBlockReason } from '../tickets/types';
import { OutcomeUnknownError } from './outcomeUnknown';

export interface SmsMessage {
  to: string;
  text: string;
  idempotencyKey: string;
  /** Earlier tries of this message the carrier did not deliver: the same text, but never taken for this one. */
  earlierIds?: string[];
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
  /** Where Twilio reports the message's fate (delivered, undelivered…); absent = no delivery reports asked for. */
  statusCallbackUrl?: string;
}

/**
 * Twilio error codes that mean this phone will never take our SMS, whether the API refused the send (21xxx) or
 * the carrier's delivery report said so later (30xxx): remembered on the customer's tickets.
 */
export const PHONE_REFUSALS: ReadonlyMap<number, SmsBlockReason> = new Map<number, SmsBlockReason>([
  [21610, 'opted_out'], // the customer replied STOP to our number
  [21211, 'invalid_number'],
  [21614, 'not_mobile'], // a landline
  [21612, 'unreachable'],
  [30004, 'blocked'], // the recipient (or their carrier, at their request) blocks our messages
  [30005, 'invalid_number'], // unknown or inactive destination number
  [30006, 'not_mobile'], // landline, or a carrier that cannot take SMS
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
    const { from, timeoutMs, statusCallbackUrl } = this.options;
    const body = new URLSearchParams({
      To: message.to,
      Body: message.text,
      ...(from.startsWith('MG') ? { MessagingServiceSid: from } : { From: from }),
      ...(statusCallbackUrl && { StatusCallback: statusCallbackUrl }),
    });
    let response: Response;
    try {
      response = await fetch(this.messagesUrl(), {
        method: 'POST',
        headers: {
          ...this.authorization(),
          'content-type': 'application/x-www-form-urlencoded',
          // Providers that honour it drop a repeated request; Twilio does not, hence alreadySent() below.
          'idempotency-key': message.idempotencyKey,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      // Timed out after sending: the provider may have the message, so a retry could text the customer twice.
      if ((cause as Error).name === 'TimeoutError') throw new OutcomeUnknownError('SMS provider did not answer in time', { cause });
      if (neverConnected(cause)) throw new ChannelSendError('transient', undefined, 'SMS provider unreachable', { cause });
      return this.unlessAlreadySent(message, new ChannelSendError('transient', undefined, 'SMS provider connection broke', { cause }));
    }
    const payload = (await response.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
    if (response.ok) return payload.sid ? { providerId: payload.sid } : {};
    const detail = `SMS provider answered ${response.status}${payload.code ? ` (code ${payload.code})` : ''}`;
    if (response.status === 429) throw new ChannelSendError('transient', response.status, detail);
    if (response.status >= 500) return this.unlessAlreadySent(message, new ChannelSendError('transient', response.status, detail));
    const block = payload.code !== undefined ? PHONE_REFUSALS.get(payload.code) : undefined;
    if (block) throw new SmsPhoneRefusedError(block, payload.code!, response.status, detail);
    if (payload.code !== undefined && ACCOUNT_REFUSALS.has(payload.code)) throw new ChannelSendError('gone', response.status, detail);
    throw new ChannelSendError('rejected', response.status, detail);
  }

  /**
   * After a server error or a broken connection the provider may have taken the message all the same, and a
   * retry would text the customer twice: look for it among the number's recent messages first. Found = sent;
   * not found = `failure` (safe to retry); the provider cannot say = outcome unknown (never resent).
   */
  private async unlessAlreadySent(message: SmsMessage, failure: ChannelSendError): Promise<{ providerId?: string }> {
    let sid: string | undefined;
    try {
      sid = await this.alreadySent(message);
    } catch (cause) {
      throw new OutcomeUnknownError(`${failure.message}; could not check whether the message went out`, { cause });
    }
    if (sid) return { providerId: sid };
    throw failure;
  }

  /** The sid of a message with this text to this number in the last 15 minutes, if the provider has one. */
  private async alreadySent(message: SmsMessage): Promise<string | undefined> {
    const query = new URLSearchParams({ To: message.to, PageSize: '50' });
    const response = await fetch(`${this.messagesUrl()}?${query}`, { headers: this.authorization(), signal: AbortSignal.timeout(this.options.timeoutMs) });
    if (!response.ok) throw new Error(`SMS provider answered ${response.status} to the lookup`);
    const { messages } = (await response.json()) as { messages?: Array<{ sid?: string; body?: string; date_created?: string }> };
    const since = Date.now() - 15 * 60_000;
    const earlier = new Set(message.earlierIds);
    return messages?.find((sent) => sent.body === message.text && Date.parse(sent.date_created ?? '') >= since && !earlier.has(sent.sid ?? ''))?.sid;
  }

  private messagesUrl(): string {
    return `${this.options.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(this.options.accountSid)}/Messages.json`;
  }

  private authorization(): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64')}` };
  }
}

/** Errors that mean the request never reached the provider (nothing can have been sent). */
function neverConnected(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}
