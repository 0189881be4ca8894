/** The customer's own region (from their device locale) as a second place to read local phone numbers. */
import { describe, expect, it } from 'vitest';
import { recognizeContacts, regionOfLocale } from '../../services/recognition/contact';

describe('regionOfLocale', () => {
  it.each([
    ['en-GB', 'GB'],
    ['de-DE', 'DE'],
    ['pt_BR', 'BR'],
    ['zh-Hant-TW', 'TW'],
    ['en', undefined],
    ['', undefined],
    [undefined, undefined],
    ['en-ZZ', undefined],
    ['es-419', undefined],
  ])('"%s" → %s', (locale, region) => {
    expect(regionOfLocale(locale)).toBe(region);
  });
});

describe('recognizeContacts with the customer region', () => {
  it.each([
    ['07911 123456', 'GB', '+447911123456'],
    ['ring me on 0412 345 678 after 5', 'AU', '+61412345678'],
    ['(11) 98765-4321', 'BR', '+5511987654321'],
  ] as const)('"%s" from %s is read there when the default region (US) cannot read it', (text, region, e164) => {
    expect(recognizeContacts(text, 'US').phones).toEqual([]);
    expect(recognizeContacts(text, 'US', [], region).phones.map((phone) => phone.e164)).toEqual([e164]);
  });

  it('a number valid in the default region keeps the default reading', () => {
    expect(recognizeContacts('(415) 555-0132', 'US', [], 'GB').phones.map((phone) => phone.e164)).toEqual(['+14155550132']);
  });

  it('an order number is still not a phone in the customer region ("20241170" is a German landline)', () => {
    expect(recognizeContacts('order 20241170', 'US', ['20241170'], 'DE').phones).toEqual([]);
  });
});
