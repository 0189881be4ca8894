/**
 * An SMS (or MMS) a customer sent to our number, as Twilio's messaging webhook posts it
 * (application/x-www-form-urlencoded: From, To, Body, MessageSid, NumMedia, MediaUrl0, MediaContentType0…),
 * read strictly into the domain's own shape.
 */
import { DomainError } from '../errors';
import type { TranscriptFile } from '../tickets/types';
import type { FormParams } from './twilioSignature';

export interface InboundSms {
  messageSid: string;
  /** As the provider sent it; E.164 for phones (short codes and other senders are kept as given). */
  from: string;
  to: string;
  body: string;
  media: TranscriptFile[];
}

/** Twilio sends at most 10 media per MMS. */
const MAX_MEDIA = 10;
const MAX_FILE_URL = 2000;
export const MESSAGE_SID = /^[A-Za-z]{2}[0-9a-fA-F]{32}$/;

const malformed = (message: string) => new DomainError('VALIDATION_FAILED', message);

/**
 * Form fields in the order sent. Stricter than URLSearchParams, which lets "%zz" and broken UTF-8 through
 * silently: a body we cannot read exactly cannot be checked against its signature either.
 */
export function parseForm(raw: string): FormParams {
  if (raw.length === 0) return [];
  const fields: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const [rawName, rawValue] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch (cause) {
      throw new DomainError('VALIDATION_FAILED', 'The form body has a broken %-escape or invalid UTF-8.', { cause });
    }
    if (name === '') throw malformed('The form body has a field without a name.');
    // Twilio never repeats a field; a repeated one would make "which value counts" ambiguous.
    if (seen.has(name)) throw malformed(`The form field ${name.slice(0, 40)} appears twice.`);
    seen.add(name);
    fields.push([name, value]);
  }
  return fields;
}

/** The message in the form, or a VALIDATION_FAILED error naming what is missing. */
export function inboundSmsOf(params: FormParams): InboundSms {
  const form = new Map(params);
  const messageSid = form.get('MessageSid') ?? form.get('SmsMessageSid') ?? '';
  if (!MESSAGE_SID.test(messageSid)) throw malformed('MessageSid is missing or not a message id.');
  const from = (form.get('From') ?? '').trim();
  if (!from || from.length > 64) throw malformed('From is missing.');
  const to = (form.get('To') ?? '').trim().slice(0, 64);
  const count = form.has('NumMedia') ? Number(form.get('NumMedia')) : 0;
  if (!Number.isInteger(count) || count < 0 || count > MAX_MEDIA) throw malformed(`NumMedia must be a whole number from 0 to ${MAX_MEDIA}.`);
  const media: TranscriptFile[] = [];
  for (let index = 0; index < count; index++) {
    const url = form.get(`MediaUrl${index}`) ?? '';
    const contentType = (form.get(`MediaContentType${index}`) || 'application/octet-stream').slice(0, 200);
    const usableUrl = /^https?:\/\//i.test(url) && url.length <= MAX_FILE_URL;
    media.push({ contentType, name: mediaName(url, contentType, index), ...(usableUrl && { url }) });
  }
  return { messageSid, from, to, body: form.get('Body') ?? '', media };
}

/** Twilio names no file: the media id at the end of its URL, with the extension its type implies. */
function mediaName(url: string, contentType: string, index: number): string {
  const id = /\/([A-Za-z0-9]{10,64})\/?$/.exec(url)?.[1] ?? `media-${index + 1}`;
  const subtype = /^[\w.+-]+\/([\w.+-]+)/.exec(contentType)?.[1]?.toLowerCase();
  const extension = subtype === 'jpeg' ? 'jpg' : subtype && /^[a-z0-9]{2,5}$/.test(subtype) ? subtype : undefined;
  return extension ? `${id}.${extension}` : id;
}

/** "[attached: ME….jpg, image/jpeg]", as chat attachments are named on the ticket for the team. */
export function mediaNote(media: TranscriptFile[]): string {
  const files = media.map((file) => [file.name, file.contentType].filter(Boolean).join(', '));
  return files.length ? `\n[attached: ${files.join('; ')}]` : '';
}

/** E.164 phone numbers only: short codes, alphanumeric senders and "whatsapp:" addresses are no ticket's phone. */
export function e164Of(from: string): string | undefined {
  return /^\+[1-9]\d{6,14}$/.test(from) ? from : undefined;
}
