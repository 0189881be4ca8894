import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Culture, recognizePhoneNumber } from '@microsoft/recognizers-text-suite';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import {
  MAX_READ_CHARS,
  maskEmail,
  maskPhone,
  recognizeContacts,
  redactPersonalData,
} from '../../services/recognition/contact';

type Finder = 'recognizer' | 'fallback';

// The formats the doc comment of contact.ts claims, and which finder it says handles each.
const phoneFormats: Array<[string, CountryCode, string, Finder]> = [
  ['(415) 555-0132', 'US', '+14155550132', 'recognizer'],
  ['415-555-0132', 'US', '+14155550132', 'recognizer'],
  ['415.555.0132', 'US', '+14155550132', 'recognizer'],
  ['+1 415 555 0132', 'US', '+14155550132', 'recognizer'],
  ['+1 (415) 555-0132', 'US', '+14155550132', 'recognizer'],
  ['+44 20 7946 0958', 'GB', '+442079460958', 'recognizer'],
  ['+44 20 7946 0958', 'US', '+442079460958', 'recognizer'],
  ['020 7946 0958', 'GB', '+442079460958', 'recognizer'],
  ['07911 123456', 'GB', '+447911123456', 'recognizer'],
  ['+44 (0)20 7946 0958', 'GB', '+442079460958', 'recognizer'],
  ['0044 20 7946 0958', 'GB', '+442079460958', 'recognizer'],
  ['+91 98765 43210', 'IN', '+919876543210', 'recognizer'],
  ['+91 98765 43210', 'US', '+919876543210', 'recognizer'],
  ['098765 43210', 'IN', '+919876543210', 'recognizer'],
  ['98765 43210', 'IN', '+919876543210', 'recognizer'],
  ['9876543210', 'IN', '+919876543210', 'recognizer'],
  ['+49 30 901820', 'DE', '+4930901820', 'recognizer'],
  ['+49 30 901820', 'US', '+4930901820', 'recognizer'],
  ['030 901820', 'DE', '+4930901820', 'recognizer'],
  ['0049 30 901820', 'DE', '+4930901820', 'recognizer'],
  ['+33 1 23 45 67 89', 'FR', '+33123456789', 'recognizer'],
  ['+33 1 23 45 67 89', 'US', '+33123456789', 'recognizer'],
  ['+33 6 12 34 56 78', 'FR', '+33612345678', 'recognizer'],
  ['+91-98765-43210', 'IN', '+919876543210', 'fallback'],
  ['+1.415.555.0132', 'US', '+14155550132', 'fallback'],
  ['01.23.45.67.89', 'FR', '+33123456789', 'fallback'],
  ['+61 2 9374 4000', 'US', '+61293744000', 'fallback'],
  ['+353 1 234 5678', 'US', '+35312345678', 'fallback'],
  ['+7 495 123-45-67', 'US', '+74951234567', 'fallback'],
  ['+81 3-1234-5678', 'US', '+81312345678', 'fallback'],
];

function recognizerAloneFinds(raw: string, region: CountryCode, e164: string): boolean {
  return recognizePhoneNumber(`call me on ${raw} please`, Culture.English).some(
    (result) => parsePhoneNumberFromString(result.text, region)?.number === e164,
  );
}

describe('recognising phone numbers', () => {
  it.each(phoneFormats)('reads %s (region %s) as %s', (raw, region, e164) => {
    const { phones } = recognizeContacts(`Hi, call me on ${raw}. Thanks!`, region);
    expect(phones).toEqual([{ e164, raw }]);
  });

  it.each(phoneFormats)('finds %s (region %s) as %s through the %s, as documented', (raw, region, e164, finder) => {
    expect(recognizerAloneFinds(raw, region, e164)).toBe(finder === 'recognizer');
  });

  it.each([
    ['a UK number from the range kept for drama', 'call 07700 900123', 'GB'],
    ['a US number on the 555 exchange outside 555-01xx', 'call 555-123-4567', 'US'],
    ['a local number without its area code', 'call 555-0132', 'US'],
    ['a German date', 'geliefert am 17.11.2024', 'DE'],
    ['an ISO date', 'delivered 2024-11-17', 'DE'],
    ['a German amount', 'bezahlt 1.234.567 €', 'DE'],
    ['an amount with decimals', 'paid 12345678.00', 'US'],
    ['a ticket reference', 'ticket CS-7K3M9Q', 'GB'],
    ['a link', 'https://example.com/orders/12345678', 'US'],
  ] satisfies Array<[string, string, CountryCode]>)('takes no phone from %s', (_case, text, region) => {
    expect(recognizeContacts(text, region).phones).toEqual([]);
  });

  it.each([
    ['digits-only order number', 'order 20241170', ['20241170']],
    ['digits of a lettered order number', 'order AB-2024117', ['AB-2024117']],
  ])('skips the %s passed in exclude', (_case, text, exclude) => {
    expect(recognizeContacts(text, 'DE').phones).not.toEqual([]);
    expect(recognizeContacts(text, 'DE', exclude).phones).toEqual([]);
  });

  it('keeps a phone whose digits differ from the excluded order number', () => {
    const text = 'order 20241170, call +49 30 901820';
    expect(recognizeContacts(text, 'DE', ['20241170']).phones).toEqual([{ e164: '+4930901820', raw: '+49 30 901820' }]);
  });

  it.each([
    ['0044 7911 123456', 'US', '+447911123456'],
    ['00 44 7911 123456', 'US', '+447911123456'],
    ['00447911123456', 'US', '+447911123456'],
    ['0044 20 7946 0958', 'US', '+442079460958'],
    ['0049 30 901820', 'US', '+4930901820'],
    ['00 1 415 555 0132', 'US', '+14155550132'],
    ['011 44 7911 123456', 'US', '+447911123456'],
    ['01144 7911 123456', 'US', '+447911123456'],
    ['011 44 7911 123456', 'CA', '+447911123456'],
    ['0044 7911 123456', 'GB', '+447911123456'],
    ['00 44 7911 123456', 'GB', '+447911123456'],
    ['00 1 415 555 0132', 'GB', '+14155550132'],
    ['0011 44 7911 123456', 'AU', '+447911123456'],
  ] satisfies Array<[string, CountryCode, string]>)(
    'reads the international prefix in %s (region %s) as %s',
    (raw, region, e164) => {
      expect(recognizeContacts(`call me on ${raw} please`, region).phones).toEqual([{ e164, raw }]);
    },
  );

  it.each([
    ['(415) 555-0132', 'US', '+14155550132'],
    ['415 555 0132', 'US', '+14155550132'],
    ['07911 123456', 'GB', '+447911123456'],
    ['020 7946 0958', 'GB', '+442079460958'],
  ] satisfies Array<[string, CountryCode, string]>)(
    'still reads the national number %s in its own region %s as %s',
    (raw, region, e164) => {
      expect(recognizeContacts(`call me on ${raw} please`, region).phones).toEqual([{ e164, raw }]);
    },
  );

  it('does not read "00" as "+" when what follows is no valid number', () => {
    expect(recognizeContacts('call me on 0011 44 7911 123456', 'US').phones).toEqual([]);
  });

  it('lists a number written twice once, as first written', () => {
    const { phones } = recognizeContacts('call +1 415 555 0132 or (415) 555-0132', 'US');
    expect(phones).toEqual([{ e164: '+14155550132', raw: '+1 415 555 0132' }]);
  });

  it('lists different numbers in reading order', () => {
    const { phones } = recognizeContacts('home 020 7946 0958, mobile +44 7911 123456', 'GB');
    expect(phones.map((phone) => phone.e164)).toEqual(['+442079460958', '+447911123456']);
  });
});

// Phone-shaped text in a message or document: "+" and a country code, or a national number with a trunk zero.
const PHONE_SHAPED = /\+\d[\d ().-]{5,}\d|(?<![\w+.-])0\d{2,4}[ .-]\d[\d .-]{4,}\d/g;
const examplePhonesIn = (text: string) => text.match(PHONE_SHAPED) ?? [];
const repoFile = (path: string) => readFileSync(join(__dirname, '../..', path), 'utf8');

describe('the example phone numbers we show customers', () => {
  it('are spotted by the example finder, whichever form they take', () => {
    expect(examplePhonesIn('try +44 7700 900123 or 020 7946 0958, on 2024-11-17 at 10:30 pay 12345678')).toEqual([
      '+44 7700 900123',
      '020 7946 0958',
    ]);
  });

  it('include at least one in the messages', () => {
    expect(examplePhonesIn(repoFile('dialogs/messages.ts'))).not.toEqual([]);
  });

  it.each(
    ['dialogs/messages.ts', 'README.md'].flatMap((path) =>
      examplePhonesIn(repoFile(path)).flatMap((example) =>
        (['US', 'GB'] as const).map((region) => [example, path, region] as const),
      ),
    ),
  )('accepts %s from %s in region %s, so a customer copying it is not asked again', (example, _path, region) => {
    expect(recognizeContacts(`Try ${example}, please`, region).phones).toEqual([
      { e164: expect.stringMatching(/^\+\d+$/), raw: example },
    ]);
  });
});

describe('recognising e-mail addresses', () => {
  it.each([
    ['a plain address', 'email me at priya.r@example.com', ['priya.r@example.com']],
    ['a plus tag and a two-part domain', 'mail: a.b+shop@example.co.uk, thanks', ['a.b+shop@example.co.uk']],
    ['an upper-case address, keeping the local part', 'PRIYA@EXAMPLE.COM', ['PRIYA@example.com']],
    ['a mixed-case address before "!"', 'Mail: Priya.R@Example.COM!', ['Priya.R@example.com']],
    ['an address before a full stop', 'it is priya@example.com.', ['priya@example.com']],
    ['an address in angle brackets', 'Priya <priya@example.com>', ['priya@example.com']],
    ['an apostrophe in the local part', "o'brien@example.ie", ["o'brien@example.ie"]],
    ['a long top-level domain', 'write to priya@example.company.', ['priya@example.company']],
    ['a dotted i before the address', 'İstanbul.User@Example.com', ['İstanbul.User@example.com']],
    ['two addresses joined by a semicolon', 'priya@example.com;bob@example.org', ['priya@example.com', 'bob@example.org']],
    ['the same address twice once', 'priya@example.com or PRIYA@example.com', ['priya@example.com']],
    ['an address between emoji', '📧priya@example.com🙏', ['priya@example.com']],
  ])('reads %s', (_case, text, expected) => {
    expect(recognizeContacts(text, 'US').emails).toEqual(expected);
  });

  it.each([
    ['a doubled @', 'priya@@example.com'],
    ['a domain without a dot', 'priya@localhost'],
    ['an address spelled out in words', 'priya at example dot com'],
  ])('reads no address from %s', (_case, text) => {
    expect(recognizeContacts(text, 'US').emails).toEqual([]);
  });
});

describe('recognising a whole message', () => {
  it('finds an e-mail and a phone in one sentence', () => {
    expect(recognizeContacts('email me at priya.r@example.com or call +91 98765 43210', 'IN')).toEqual({
      emails: ['priya.r@example.com'],
      phones: [{ e164: '+919876543210', raw: '+91 98765 43210' }],
    });
  });

  it('finds contacts among emoji, other languages and an order number', () => {
    const text = 'Hola 👋 pedido #AB-2024117 llegó roto 😡 — escríbeme a Priya.R@Example.com o llama al +34 612 34 56 78. Merci!';
    expect(recognizeContacts(text, 'ES', ['AB-2024117'])).toEqual({
      emails: ['Priya.R@example.com'],
      phones: [{ e164: '+34612345678', raw: '+34 612 34 56 78' }],
    });
  });

  it('finds contacts at the end of a 10,000-character message', () => {
    const filler = 'The box was crushed 😞, pedido dañado, nobody answers. ';
    const text =
      filler.repeat(Math.ceil(10_000 / filler.length)).slice(0, 10_000) + ' mail priya@example.com or +44 20 7946 0958';
    expect(recognizeContacts(text, 'GB')).toEqual({
      emails: ['priya@example.com'],
      phones: [{ e164: '+442079460958', raw: '+44 20 7946 0958' }],
    });
  });

  it('reads a pasted 200,000-character text only as far as MAX_READ_CHARS: an address early on is found, one at the very end is not', () => {
    const filler = 'error 0x80070005 at step 12 of 40, retrying. ';
    const body = filler.repeat(Math.ceil(200_000 / filler.length)).slice(0, 200_000);
    expect(MAX_READ_CHARS).toBeGreaterThan(10_000);
    expect(recognizeContacts(`mail priya@example.com ${body} or late@example.com`, 'GB').emails).toEqual(['priya@example.com']);
  });

  it('finds nothing in a message without contacts', () => {
    expect(recognizeContacts('my parcel arrived broken 😞', 'GB')).toEqual({ emails: [], phones: [] });
  });
});

describe('masking contacts for confirmations', () => {
  it.each([
    ['priya.r@example.com', 'p•••••r@example.com'],
    ['PRIYA@example.com', 'P•••A@example.com'],
    ['ab@example.com', 'a•@example.com'],
    ['a@example.com', '•@example.com'],
    ['not an address', '•••'],
  ])('masks %s as %s', (email, expected) => {
    expect(maskEmail(email)).toBe(expected);
  });

  it.each([
    ['+919876543210', '+91 •••• ••3210'],
    ['+14155550132', '+1 •••• ••0132'],
    ['+442079460958', '+44 •••• ••0958'],
    ['+4930901820', '+49 •• ••1820'],
  ])('masks %s as %s', (e164, expected) => {
    expect(maskPhone(e164)).toBe(expected);
  });
});

describe('redacting personal data', () => {
  it.each([
    ['an e-mail and two phones', 'call (415) 555-0132 or +44 20 7946 0958, mail a.b+x@Example.com.', 'call [phone] or [phone], mail [email].'],
    ['an Indian mobile with a dash', 'ring +91-98765-43210 now', 'ring [phone] now'],
    ['a number written without separators', 'my number is 9876543210!', 'my number is [phone]!'],
    ['a card number', 'card 4111 1111 1111 1111', 'card [phone]'],
    ['a digits-only order number, when orders were not redacted first', 'order 20241170', 'order [phone]'],
    ['nothing in dates, times and amounts', 'on 2024-11-17 10:30 paid $1,234,567.00 and 1.234.567 €, due 17/11/2024', 'on 2024-11-17 10:30 paid $1,234,567.00 and 1.234.567 €, due 17/11/2024'],
    ['nothing in a UUID', 'id 123e4567-e89b-12d3-a456-426614174000', 'id 123e4567-e89b-12d3-a456-426614174000'],
    ['nothing in a short number', 'room 1234, 2 items', 'room 1234, 2 items'],
    ['around emoji', '📞+1 415 555 0132✅ 📧priya@example.com', '📞[phone]✅ 📧[email]'],
  ])('replaces %s', (_case, text, expected) => {
    expect(redactPersonalData(text)).toBe(expected);
  });

  it('redacts phone numbers inside a 10,000-character line', () => {
    const line = 'x'.repeat(4_000) + ' call +44 20 7946 0958 or ' + '7'.repeat(3_000) + ' a'.repeat(1_500) + '@';
    const redacted = redactPersonalData(line);
    expect(redacted.slice(4_000, 4_030)).toBe(' call [phone] or [phone] a a a');
  });
});
