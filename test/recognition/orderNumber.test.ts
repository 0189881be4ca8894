import { describe, expect, it } from 'vitest';
import {
  createOrderNumberRecognizer,
  DEFAULT_ORDER_NUMBER_PATTERN,
  OrderNumberPatternError,
  redactOrderNumbers,
} from '../../services/recognition/orderNumber';

const orders = createOrderNumberRecognizer(DEFAULT_ORDER_NUMBER_PATTERN);

describe('the order number recognizer with the default pattern', () => {
  it.each([
    ['a dashed number after a hash and before a comma', "it's order #AB-2024117, arrived broken", 'AB-2024117'],
    ['a lower-case number without a dash', 'ab2024117', 'AB-2024117'],
    ['a mixed-case number', 'my order is Ab-2024117', 'AB-2024117'],
    ['four letters and eight digits before exclamation marks', 'ACME-12345678 pls help!!', 'ACME-12345678'],
    ['digits alone before a full stop', 'Order 20241170.', '20241170'],
    ['digits alone glued to "No."', 'Order No.20241170', '20241170'],
    ['a number in brackets', 'the parcel (AB-2024117) never came', 'AB-2024117'],
    ['a number between emoji', '📦AB-2024117✅ still broken 😡', 'AB-2024117'],
    ['a number among German words', 'Bestellung ab-2024117 kam kaputt an', 'AB-2024117'],
    ['a number glued to Chinese words', '订单AB2024117到了但是坏了', 'AB-2024117'],
    ['digits after "my order number is"', 'my order number is 9876543210', '9876543210'],
    ['digits followed by a single-digit count', 'order 20241170 2 items missing', '20241170'],
    ['the digits only, when lower-case letters are spaced apart without an order cue', 'thanks ab 2024117', '2024117'],
    [
      'the order when a phone and an e-mail share the message',
      'order: 20241170, phone: +44 20 7946 0958, mail priya@example.com',
      '20241170',
    ],
    ['the order and not the phone that was mentioned first', 'call me on 9876543210 about order 20241170', '20241170'],
  ])('finds %s', (_case, text, expected) => {
    expect(orders.find(text)).toBe(expected);
  });

  it.each([
    ['an international UK phone', 'call +44 20 7946 0958'],
    ['a national UK mobile', 'call me on 07700 900123'],
    ['a US phone with dashes', 'my cell is 555-123-4567'],
    ['an Indian phone without spaces', 'ring +919876543210'],
    ['an Indian phone with a trunk zero', '098765 43210'],
    ['a US phone with an area code in brackets', '(415) 5550132'],
    ['digits after "my number is"', 'my number is 9876543210'],
    ['digits after "mobile:"', 'Mobile: 9876543210 🙏'],
    ['digits after "WhatsApp"', 'whatsapp me 9876543210'],
    ['an e-mail address', 'write to ab2024117@example.com'],
    ['a link', 'see https://shop.example.com/orders/AB-2024117'],
    ['a link without a scheme', 'example.com/track?id=20241170'],
    ['an ISO date', 'it came on 2024-11-17'],
    ['a day/month/year date', 'it came on 17/11/2024 or 17.11.2024'],
    ['a ticket reference', 'ticket CS-7K3M9Q'],
    ['a dollar amount', 'I paid $12345678'],
    ['an amount with decimals', 'I paid 12345678.00'],
    ['an amount with a currency code after it', 'refund 1234567 EUR'],
    ['an amount with a currency sign and a space', 'refund € 2024117'],
    ['an amount with a rupee sign', 'paid ₹1234567'],
    ['a currency code glued to digits', 'USD2024117'],
    ['digits glued to a word', 'ORDER20241170'],
    ['a number with too few digits', 'AB-12345'],
    ['a number with too many digits', '1234567890123'],
    ['an empty message', ''],
  ])('finds nothing in %s', (_case, text) => {
    expect(orders.find(text)).toBeUndefined();
  });

  it.each([
    ['each distinct number once, normalised', 'AB-2024117, ab2024117 and 20241170', ['AB-2024117', '20241170']],
    ['only the order when a phone is cued', 'call me on 9876543210 about order 20241170', ['20241170']],
    ['nothing in plain words', 'hello, my parcel is late', []],
  ])('findAll returns %s', (_case, text, expected) => {
    expect(orders.findAll(text)).toEqual(expected);
  });

  it.each([
    ['AB-2024117', true],
    [' ab2024117 ', true],
    ['ACME-12345678', true],
    ['20241170', true],
    ['AB 2024117', false],
    ['AB-2024117x', false],
    ['order AB-2024117', false],
    ['A-2024117', false],
    ['', false],
  ])('isValid(%j) is %s', (candidate, expected) => {
    expect(orders.isValid(candidate)).toBe(expected);
  });

  it('offers AB-2024117 as its example', () => {
    expect(orders.example).toBe('AB-2024117');
  });

  it('finds a number at the end of a 10,000-character message', () => {
    const filler = 'La caja llegó rota 😞 and nobody answers, 2 weeks now. ';
    const text = filler.repeat(Math.ceil(10_000 / filler.length)).slice(0, 10_000) + ' order #ab-2024117!';
    expect(orders.findAll(text)).toEqual(['AB-2024117']);
  });

  it('finds nothing in a 10,000-character token without spaces', () => {
    const text = 'x'.repeat(5_000) + '@' + 'y.'.repeat(2_500);
    expect(orders.find(text)).toBeUndefined();
  });
});

describe('a letter prefix kept apart from its digits, with the default pattern', () => {
  it.each([
    ['capitals and a space', 'AB 2024117', 'AB-2024117', 'AB 2024117'],
    ['a dash and then a space', 'AB- 2024117', 'AB-2024117', 'AB- 2024117'],
    ['a space and then a dash', 'order AB -2024117', 'AB-2024117', 'AB -2024117'],
    ['a dash between spaces', 'AB - 2024117', 'AB-2024117', 'AB - 2024117'],
    ['an en dash', 'AB–2024117', 'AB-2024117', 'AB–2024117'],
    ['an em dash', 'AB—2024117', 'AB-2024117', 'AB—2024117'],
    ['an en dash after lower-case letters', 'ab – 2024117', 'AB-2024117', 'ab – 2024117'],
    ['capitals and a space after "order #"', 'order # AB 2024117', 'AB-2024117', 'AB 2024117'],
    ['a hyphen after a hash', '#ab-2024117', 'AB-2024117', 'ab-2024117'],
    ['four capitals and a space', 'it is ACME 12345678, thanks', 'ACME-12345678', 'ACME 12345678'],
  ])('when the letters and digits are joined by %s, then the number keeps its prefix', (_case, text, value, raw) => {
    expect(orders.find(text)).toBe(value);
    expect(orders.locate(text)).toEqual([{ value, raw, index: text.indexOf(raw) }]);
  });

  it.each([
    ['a lower-case word and a space', 'it is 2024117', '2024117'],
    ['"no" and a space', 'no 2024117', '2024117'],
    ['"my order is"', 'my order is 2024117', '2024117'],
    ['"ok" and a space', 'ok 2024117', '2024117'],
    ['lower-case letters and a space, with no order cue', 'thanks ab 2024117', '2024117'],
    ['a common word in capitals', 'IS 2024117', '2024117'],
    ['"NO" in capitals', 'NO 2024117', '2024117'],
    ['"OK" in capitals', 'OK 2024117', '2024117'],
    ['a shouted sentence', 'MY ORDER IS 2024117', '2024117'],
    ['a common word and an en dash', 'no – 2024117', '2024117'],
    ['a common word and an em dash', 'OK—2024117', '2024117'],
    ['capitals on the line before', 'Thanks, JB\n2024117', '2024117'],
    ['a currency code and a space', 'USD 2024117', '2024117'],
    ['a phone cue in lower case', 'tel 2024117', undefined],
    ['a phone cue in capitals', 'TEL 2024117', undefined],
    ['a phone cue abbreviated in capitals', 'call me on PH 9876543210', undefined],
  ])('when the digits follow %s, then no prefix is made up', (_case, text, expected) => {
    expect(orders.find(text)).toBe(expected);
  });

  it('redacts a spaced number with its prefix', () => {
    expect(redactOrderNumbers('order # AB 2024117 and CD–20241170 pls', orders)).toBe('order # [order] and [order] pls');
  });

  it('finds a spaced and a written-together number as two appearances of one', () => {
    expect(orders.findAll('AB 2024117, I mean AB-2024117')).toEqual(['AB-2024117']);
  });
});

describe('a prefix typed apart from its digits after an order cue, with the default pattern', () => {
  it.each([
    ['"order" and capitals', 'order AB 2024117', 'AB 2024117'],
    ['"my order number is" and lower case', 'my order number is ab 2024117', 'ab 2024117'],
    ['"Order #" in a sentence', 'Order #AB 2024117 arrived broken', 'AB 2024117'],
    ['"order no." and capitals', 'order no. AB 2024117', 'AB 2024117'],
    ['"order no." and lower case', 'order no. ab 2024117', 'ab 2024117'],
    ['"ORDER NUMBER:" and mixed case', 'ORDER NUMBER: Ab 2024117', 'Ab 2024117'],
    ['the typo "oder"', 'oder ab 2024117 never came', 'ab 2024117'],
    ['a hash on its own', 'it is # ab 2024117', 'ab 2024117'],
    ['"ref:"', 'ref: ab 2024117', 'ab 2024117'],
    ['"reference" a few words before', 'reference for it is ab 2024117', 'ab 2024117'],
    ['"order" three words before', 'order for my mum ab 2024117 came late', 'ab 2024117'],
  ])('when the cue is %s, then the spaced number is read whole and normalised', (_case, text, raw) => {
    expect(orders.find(text)).toBe('AB-2024117');
    expect(orders.locate(text)).toEqual([{ value: 'AB-2024117', raw, index: text.indexOf(raw) }]);
  });

  it.each([
    ['a call on a compact date', 'I called on 20241117', '20241117'],
    ['a call on a compact date after an order cue', 'order: I called on 20241117', '20241117'],
    ['an order placed on a date', 'order placed on 20241117', '20241117'],
    ['a count of days', 'it is 2024117 days late', '2024117'],
    ['a count of days after an order cue', 'my order is 2024117 days late', '2024117'],
    ['a month name before a compact date', 'order placed dec 20241117', '20241117'],
    ['a postal PIN code', 'order to pin 560001', '560001'],
    ['an ISO date after an order cue', 'order ab 2024-11-17', undefined],
    ['a UK phone with its country', 'UK 07700 900123', undefined],
    ['a UK phone with its country in lower case after an order cue', 'order uk 07700 900123', undefined],
    ['a phone cued after the order cue', 'order: call me on ph 9876543210', undefined],
    ['lower-case letters with the cue four words away', 'order for my old mum ab 2024117', '2024117'],
    ['lower-case letters with the cue in the sentence before', 'order came. ab 2024117', '2024117'],
    ['lower-case letters with the cue on the line before', 'order\nab 2024117', '2024117'],
    ['a cue word as the letters', 'oder 2024117', '2024117'],
  ])('when the text holds %s, then no prefix is made up', (_case, text, expected) => {
    expect(orders.find(text)).toBe(expected);
  });

  it('redacts a lower-case spaced number after a cue with its prefix', () => {
    expect(redactOrderNumbers('my order number is ab 2024117, oder cd 20241170', orders)).toBe('my order number is [order], oder [order]');
  });
});

describe('an order number recognizer built from a configured pattern', () => {
  it.each([
    ['three letters and no dash', '[A-Z]{3}\\d{7}', { example: 'xyz9876543' }, 'ref abc1234567 please', 'ABC1234567', 'XYZ9876543'],
    ['eight digits', '\\d{8}', {}, 'order 20241170', '20241170', '20241170'],
    ['three letters and no dash, written with a space', '[A-Z]{3}\\d{7}', { example: 'xyz9876543' }, 'ref ABC 1234567', 'ABC1234567', 'XYZ9876543'],
    ['three letters and no dash, written with a dash', '[A-Z]{3}\\d{7}', { example: 'xyz9876543' }, 'ABC–1234567', 'ABC1234567', 'XYZ9876543'],
    ['eight digits after capitals', '\\d{8}', {}, 'AB 20241170', '20241170', '20241170'],
    ['three letters and no dash, lower case with a space after a cue', '[A-Z]{3}\\d{7}', { example: 'xyz9876543' }, 'my order number is abc 1234567', 'ABC1234567', 'XYZ9876543'],
    ['eight digits, lower-case letters after a cue', '\\d{8}', {}, 'order no. ab 20241170', '20241170', '20241170'],
  ])('for %s finds and normalises numbers in that shape', (_case, pattern, options, text, expected, example) => {
    const recognizer = createOrderNumberRecognizer(pattern, options);
    expect(recognizer.find(text)).toBe(expected);
    expect(recognizer.example).toBe(example);
  });

  it.each([
    ['does not compile', '[A-Z', 'ORDER_NUMBER_PATTERN_INVALID'],
    ['is anchored at the start', '^\\d{8}', 'ORDER_NUMBER_PATTERN_ANCHORED'],
    ['is anchored at the end', '\\d{8}$', 'ORDER_NUMBER_PATTERN_ANCHORED'],
    ['is empty', '  ', 'ORDER_NUMBER_PATTERN_MATCHES_EMPTY'],
    ['matches an empty string', '\\d*', 'ORDER_NUMBER_PATTERN_MATCHES_EMPTY'],
    ['accepts none of the built-in examples and none is given', 'INV\\d{5}', 'ORDER_NUMBER_EXAMPLE_MISSING'],
  ])('is refused with a clear error when the pattern %s', (_case, pattern, code) => {
    const attempt = () => createOrderNumberRecognizer(pattern);
    expect(attempt).toThrow(OrderNumberPatternError);
    expect(attempt).toThrow(/ORDER_NUMBER_PATTERN/);
    expect(attempt).toThrow(expect.objectContaining({ code }));
  });

  it('keeps the syntax error as the cause of an invalid pattern', () => {
    try {
      createOrderNumberRecognizer('(\\d{8}');
      expect.unreachable();
    } catch (error) {
      expect((error as OrderNumberPatternError).cause).toBeInstanceOf(SyntaxError);
    }
  });

  it('is refused when the configured example does not fit the pattern', () => {
    expect(() => createOrderNumberRecognizer('INV\\d{5}', { example: 'AB-2024117' })).toThrow(
      expect.objectContaining({ code: 'ORDER_NUMBER_EXAMPLE_MISSING' }),
    );
  });
});

describe('redacting order numbers', () => {
  it.each([
    ['replaces a number inside a sentence', "it's order #AB-2024117, arrived broken", "it's order #[order], arrived broken"],
    ['replaces every number', 'AB-2024117 and 20241170', '[order] and [order]'],
    ['keeps emoji around the number', '📦ab2024117✅', '📦[order]✅'],
    ['leaves a cued phone for the personal-data redaction', 'call me on 9876543210', 'call me on 9876543210'],
    ['leaves a message without numbers unchanged', 'where is my parcel?', 'where is my parcel?'],
  ])('%s', (_case, text, expected) => {
    expect(redactOrderNumbers(text, orders)).toBe(expected);
  });
});
