/**
 * Posts to the SMS doors (inbound texts, delivery reports) as Twilio does, signed by Twilio's documented algorithm, written here on its
 * own (not the app's code): take the full URL, append each POST parameter's name and value sorted by name,
 * HMAC-SHA1 it with the auth token, base64.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { App } from '../../index';
import { SMS_AUTH_TOKEN } from './fakeSmsProvider';

/** What Twilio is configured to call: the public address the signature covers. */
export const PUBLIC_BASE_URL = 'https://bot.acme.example';
export const OUR_NUMBER = '+15005550006';

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

export const newMessageSid = () => `SM${randomBytes(16).toString('hex')}`;

/** Twilio's fields for a text from `from`; extra fields (MediaUrl0…) as given. */
export function smsFields(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ToCountry: 'US', SmsMessageSid: '', NumMedia: '0', Body: body, From: from, To: OUR_NUMBER, NumSegments: '1', ApiVersion: '2010-04-01', ...extra, MessageSid: extra.MessageSid ?? newMessageSid() };
}

export interface PostOptions {
  /** false = no header; a string = this header as given. Default: signed correctly. */
  signature?: false | string;
  authToken?: string;
  /** The URL the signature is computed over (default: PUBLIC_BASE_URL + path). */
  signedUrl?: string;
  /** Sent instead of the encoded fields (the signature still covers `fields`). */
  rawBody?: string;
  contentType?: string;
}

/** POSTs the fields to one of our Twilio doors, signed as Twilio signs them (over PUBLIC_BASE_URL + path by default). */
function postSigned(app: App, path: string, fields: Record<string, string>, options: PostOptions): Promise<Response> {
  const signature = options.signature ?? twilioSignature(options.authToken ?? SMS_AUTH_TOKEN, options.signedUrl ?? `${PUBLIC_BASE_URL}${path}`, fields);
  return fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded', ...(signature !== false && { 'x-twilio-signature': signature }) },
    body: options.rawBody ?? new URLSearchParams(fields).toString(),
  });
}

export async function postSms(app: App, fields: Record<string, string>, options: PostOptions = {}): Promise<{ status: number; contentType: string; text: string; json?: Record<string, unknown> }> {
  const response = await postSigned(app, '/api/sms/inbound', { ...fields, SmsMessageSid: fields.SmsMessageSid || fields.MessageSid }, options);
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  let json: Record<string, unknown> | undefined;
  if (contentType.includes('json')) json = JSON.parse(text) as Record<string, unknown>;
  return { status: response.status, contentType, text, ...(json && { json }) };
}

const SMS_STATUS_PATH = '/api/sms/status';

/** Twilio's StatusCallback fields for one of our messages (ErrorCode only with undelivered/failed, as Twilio sends it). */
export function statusFields(messageSid: string, status: string, errorCode?: number, to = '+447700900123'): Record<string, string> {
  return {
    SmsSid: messageSid, SmsStatus: status, MessageStatus: status, To: to, MessageSid: messageSid, AccountSid: `AC${'0123456789abcdef'.repeat(2)}`, From: OUR_NUMBER, ApiVersion: '2010-04-01',
    ...(errorCode !== undefined && { ErrorCode: String(errorCode) }),
  };
}

/** Posts a delivery report to the status door, signed as Twilio signs it. */
export async function postSmsStatus(app: App, fields: Record<string, string>, options: Omit<PostOptions, 'rawBody' | 'contentType'> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await postSigned(app, SMS_STATUS_PATH, fields, options);
  return { status: response.status, json: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}
