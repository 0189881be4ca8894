/**
 * Reads e-mail addresses and phone numbers out of a customer's free text, and masks or redacts them.
 *
 * Phones: Microsoft's recognizer (recognizePhoneNumber, English) finds most, and libphonenumber-js
 * (`findPhoneNumbersInText`, with the default region) catches the formats its JavaScript port misses.
 * Every candidate is parsed with the full ("max") metadata and kept only if `isValid()`, then returned as
 * E.164, one entry per number. Formats covered by test/recognition/contact.test.ts:
 * - found by the recognizer: US (415) 555-0132, 415-555-0132, 415.555.0132, +1 415 555 0132, +1 (415) 555-0132;
 *   UK +44 20 7946 0958, 020 7946 0958, 07911 123456 (region GB); India +91 98765 43210, 098765 43210,
 *   98765 43210, 9876543210 (region IN); Germany +49 30 901820, 030 901820 (region DE); France +33 1 23 45 67 89,
 *   +33 6 12 34 56 78; 0044 / 0049 / 00 44 international prefixes in any region (00 is read as + when the region
 *   dials another prefix), 011 44 in NANP regions (US, CA); +44 (0)20 … trunk zeros;
 * - found only by the fallback: +91-98765-43210, +1.415.555.0132, French 01.23.45.67.89 (region FR),
 *   +61 2 9374 4000, +353 1 234 5678, +7 495 123-45-67, and the country code of +81 3-1234-5678.
 * Not accepted, by design: numbers libphonenumber calls invalid, including the ranges set aside for
 * drama (07700 900xxx in the UK) and the 555 exchange outside 555-01xx in the US; dates such as 17.11.2024.
 *
 * `exclude` takes order numbers already recognised in the same message: a candidate whose digits are
 * exactly an excluded number's digits is not a phone ("20241170" is a valid German number too).
 *
 * E-mails: the recognizer finds them; each is then re-read from the original text around its "@", because
 * the recognizer lower-cases everything, stops at apostrophes (o'brien@…) and cuts long top-level domains
 * (…@example.company). The local part is kept as typed, the domain lower-cased, trailing punctuation dropped.
 */
import { Culture, recognizeEmail, recognizePhoneNumber } from '@microsoft/recognizers-text-suite';
// The "max" metadata checks number ranges, not just lengths, which keeps dates and amounts out.
import { findPhoneNumbersInText, isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

export type { CountryCode };

export interface RecognizedPhone {
  /** +CCNNNN…, the form stored and compared. */
  e164: string;
  /** As it appeared in the message. */
  raw: string;
}

export interface RecognizedContacts {
  emails: string[];
  phones: RecognizedPhone[];
}

/**
 * `customerRegion`: where the customer's own device says they are (the activity's locale, "en-GB" → GB). A number
 * invalid in the default region is read again there, so "07911 123456" from a UK browser is a UK mobile.
 */
export function recognizeContacts(
  text: string,
  defaultRegion: CountryCode,
  exclude: readonly string[] = [],
  customerRegion?: CountryCode,
): RecognizedContacts {
  const regions = customerRegion && customerRegion !== defaultRegion ? [defaultRegion, customerRegion] : [defaultRegion];
  text = text.slice(0, MAX_READ_CHARS);
  const key = JSON.stringify([text, regions, exclude]);
  const known = recentlyRecognized.get(key);
  if (known) return { emails: [...known.emails], phones: [...known.phones] };
  // The recognizers cost about a millisecond a message: each runs only on text that can hold what it finds.
  const found = {
    emails: text.includes('@') ? recognizeEmails(text) : [],
    phones: mayHoldPhone(text, exclude) ? recognizePhones(text, regions, exclude).map((phone) => Object.freeze(phone)) : [],
  };
  if (recentlyRecognized.size >= RECENTLY_RECOGNIZED_LIMIT) recentlyRecognized.delete(recentlyRecognized.keys().next().value as string);
  recentlyRecognized.set(key, found);
  return { emails: [...found.emails], phones: [...found.phones] };
}

/**
 * Contact details come early in what a customer writes, and the recognizers take about 2.5 ms a kilobyte: a pasted
 * 100 KB log would hold every other conversation for a quarter of a second. Text after this is not read for them.
 */
export const MAX_READ_CHARS = 12_000;

/** One message is read several times in a turn (greeting, slot filling, "is this only details?"); reading is pure. */
const recentlyRecognized = new Map<string, RecognizedContacts>();
const RECENTLY_RECOGNIZED_LIMIT = 200;

/** The shortest numbers libphonenumber calls valid have 4 digits (Niue, Saint Helena, dialled at home). */
const FEWEST_PHONE_DIGITS = 4;

/** Whether the text has enough digits for a phone besides the excluded order numbers ("My order AB-2000123 …" has none). */
function mayHoldPhone(text: string, exclude: readonly string[]): boolean {
  const excludedDigits = new Set(exclude.map(digitsOf));
  let digits = 0;
  for (const [run] of text.matchAll(/\p{Nd}+/gu)) if (!excludedDigits.has(run)) digits += run.length;
  return digits >= FEWEST_PHONE_DIGITS;
}

/** "priya.r@example.com" → "p•••••r@example.com": enough for the customer to recognise, not to reuse. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return '•••';
  const local = Array.from(email.slice(0, at));
  const masked =
    local.length <= 2 ? `${local.slice(0, local.length - 1).join('')}•` : `${local[0]}${'•'.repeat(local.length - 2)}${local[local.length - 1]}`;
  return `${masked}${email.slice(at)}`;
}

/** "+919876543210" → "+91 •••• ••3210": the country and the last four digits. */
export function maskPhone(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  const national = phone?.nationalNumber ?? e164.replace(/\D/g, '');
  const shown = national.slice(-4);
  const hidden = '•'.repeat(Math.max(0, national.length - shown.length)) + shown;
  const grouped = hidden.length > 6 ? `${hidden.slice(0, -6)} ${hidden.slice(-6)}` : hidden;
  return phone ? `+${phone.countryCallingCode} ${grouped}` : grouped;
}

// Each pattern starts only where a token starts (lookbehind), so a long unbroken token costs one pass, not n².
const EMAIL_ANYWHERE = /(?<![\p{L}\p{N}._%+\-'])[\p{L}\p{N}._%+\-']+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// Dates and amounts are matched first so that they are skipped whole rather than read as phones.
const DATE_AMOUNT_OR_DIGIT_RUN = new RegExp(
  [
    String.raw`(?<date>\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b)`,
    String.raw`(?<amount>[$€£¥₹]\s?\d[\d.,]*|\d[\d.,]*\s?(?:[$€£¥₹]|(?:usd|eur|gbp|inr)\b))`,
    String.raw`(?<run>(?<![\p{L}\p{N}_@/\\]|[\p{L}\p{N}][\-.])\+?\(?\d(?:[ \-./()]{0,2}\d)+)`,
  ].join('|'),
  'giu',
);
const MIN_PHONE_DIGITS = 7;

/**
 * Replaces e-mail addresses with "[email]" and any run of 7 or more digits (with spaces, dots, dashes,
 * slashes or brackets between them) with "[phone]"; dates and amounts with a currency are left alone.
 * Regex only, since it runs on every log line. Run redactOrderNumbers first if order numbers should
 * read "[order]" rather than "[phone]".
 */
export function redactPersonalData(text: string): string {
  return text
    .replace(EMAIL_ANYWHERE, '[email]')
    .replace(DATE_AMOUNT_OR_DIGIT_RUN, (match, ...args) => {
      const groups = args[args.length - 1] as Record<string, string | undefined>;
      if (groups.run === undefined) return match;
      return digitsOf(match).length >= MIN_PHONE_DIGITS ? '[phone]' : match;
    });
}

// ---- e-mails ----

const LOCAL_CHAR = /[\p{L}\p{N}._%+\-']/u;
const DOMAIN_CHAR = /[\p{L}\p{N}.\-]/u;
const LOCAL_SHAPE = /^[^.](?:.*[^.])?$/u;
const DOMAIN_SHAPE = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;

function recognizeEmails(text: string): string[] {
  const emails = new Map<string, string>();
  for (const result of recognizeEmail(text, Culture.English)) {
    const start = originalIndex(text, result.start);
    const end = originalIndex(text, result.end + 1);
    const at = text.indexOf('@', start);
    if (at < 0 || at >= end) continue;
    const email = readEmailAround(text, at);
    if (email !== undefined && !emails.has(email.toLowerCase())) emails.set(email.toLowerCase(), email);
  }
  return [...emails.values()];
}

/** The address around the "@" at `at`, as typed, with a lower-case domain; undefined if it is not shaped like one. */
function readEmailAround(text: string, at: number): string | undefined {
  let from = at;
  while (from > 0 && LOCAL_CHAR.test(text[from - 1])) from--;
  let to = at + 1;
  while (to < text.length && DOMAIN_CHAR.test(text[to])) to++;
  const local = text.slice(from, at).replace(/^'+/, '');
  const domain = text.slice(at + 1, to).replace(/[.-]+$/, '').toLowerCase();
  const wellShaped =
    local.length > 0 && local.length <= 64 && LOCAL_SHAPE.test(local) && !local.includes('..') && DOMAIN_SHAPE.test(domain);
  return wellShaped ? `${local}@${domain}` : undefined;
}

/**
 * The recognizers report positions in the lower-cased text; a few characters ("İ") grow when
 * lower-cased, which shifts every later position. Maps a lower-cased index back to the original.
 */
function originalIndex(text: string, loweredIndex: number): number {
  if (text.toLowerCase().length === text.length) return loweredIndex;
  let lowered = 0;
  for (let original = 0; original < text.length; original++) {
    if (lowered >= loweredIndex) return original;
    lowered += text[original].toLowerCase().length;
  }
  return text.length;
}

// ---- phones ----

interface PhoneCandidate {
  raw: string;
  start: number;
}

const DATE_SHAPED = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

function recognizePhones(text: string, regions: readonly CountryCode[], exclude: readonly string[]): RecognizedPhone[] {
  const excludedDigits = new Set(exclude.map(digitsOf).filter((digits) => digits.length > 0));
  const phones = new Map<string, RecognizedPhone>();
  let claimedUntil = -1;
  for (const candidate of phoneCandidates(text, regions)) {
    // One stretch of text is one number, whichever finder saw it first.
    if (candidate.start < claimedUntil) continue;
    if (DATE_SHAPED.test(candidate.raw) || excludedDigits.has(digitsOf(candidate.raw))) continue;
    const phone = firstDefined(regions, (region) => parsePhone(candidate.raw, region));
    if (phone === undefined) continue;
    claimedUntil = candidate.start + candidate.raw.length;
    if (!phones.has(phone.number)) phones.set(phone.number, { e164: phone.number, raw: candidate.raw });
  }
  return [...phones.values()];
}

// "00" then a country code, as dialled from most of the world; libphonenumber reads it only where the region dials 00 itself.
const WORLD_INTERNATIONAL_PREFIX = /^(\(?)00[ \-.]?(?=[1-9])/;

/**
 * The valid number in `raw`, read in the default region; failing that, a leading "00" is read as "+", so that
 * "0044 7911 123456" works in regions whose own international prefix is another (US 011, which libphonenumber reads).
 */
function parsePhone(raw: string, defaultRegion: CountryCode): PhoneNumber | undefined {
  const asWritten = parsePhoneNumberFromString(raw, defaultRegion);
  if (asWritten?.isValid()) return asWritten;
  if (!WORLD_INTERNATIONAL_PREFIX.test(raw)) return undefined;
  const international = parsePhoneNumberFromString(raw.replace(WORLD_INTERNATIONAL_PREFIX, '$1+'), defaultRegion);
  return international?.isValid() ? international : undefined;
}

/** Both finders' candidates in reading order; at the same position the longer comes first. */
function phoneCandidates(text: string, regions: readonly CountryCode[]): PhoneCandidate[] {
  const fromRecognizer = recognizePhoneNumber(text, Culture.English).map((result) => {
    const start = originalIndex(text, result.start);
    return { start, raw: text.slice(start, originalIndex(text, result.end + 1)) };
  });
  const fromLibphonenumber = regions.flatMap((region) =>
    findPhoneNumbersInText(text, { defaultCountry: region }).map((found) => ({
      start: found.startsAt,
      raw: text.slice(found.startsAt, found.endsAt),
    })),
  );
  return [...fromRecognizer, ...fromLibphonenumber].sort(
    (a, b) => a.start - b.start || b.raw.length - a.raw.length,
  );
}

function firstDefined<T, R>(items: readonly T[], read: (item: T) => R | undefined): R | undefined {
  for (const item of items) {
    const value = read(item);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** "en-GB" → "GB", "pt-BR" → "BR"; undefined for "en", "en-US-x-…" with no supported country, or no locale. */
export function regionOfLocale(locale: string | undefined): CountryCode | undefined {
  const region = /^[a-z]{2,3}[-_](?:[a-z]{4}[-_])?([a-z]{2})\b/i.exec(locale ?? '')?.[1]?.toUpperCase();
  return region && isSupportedCountry(region) ? region : undefined;
}

function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}
