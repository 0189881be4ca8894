import { describe, expect, it } from 'vitest';
import { createLogger } from '../../services/log';
import { recognizeCustomerDetails, redactCustomerText } from '../../services/recognition/customerDetails';
import { createOrderNumberRecognizer, DEFAULT_ORDER_NUMBER_PATTERN } from '../../services/recognition/orderNumber';

const orders = createOrderNumberRecognizer(DEFAULT_ORDER_NUMBER_PATTERN);

describe('reading a whole customer message', () => {
  it.each([
    [
      'an order, an e-mail and a phone together',
      'order #ab-2024117 broke 😡 mail Priya.R@Example.com or call +91 98765 43210!',
      'IN',
      { orderNumbers: ['AB-2024117'], emails: ['Priya.R@example.com'], phones: [{ e164: '+919876543210', raw: '+91 98765 43210' }] },
    ],
    [
      'a digits-only order that is also a valid German number, as an order only',
      'Bestellung 20241170 ist kaputt',
      'DE',
      { orderNumbers: ['20241170'], emails: [], phones: [] },
    ],
    [
      'a cued phone as a phone only',
      'my number is 9876543210',
      'IN',
      { orderNumbers: [], emails: [], phones: [{ e164: '+919876543210', raw: '9876543210' }] },
    ],
  ] as const)('takes %s', (_case, text, region, expected) => {
    expect(recognizeCustomerDetails(text, orders, region)).toEqual(expected);
  });
});

describe('redacting a customer message for logs and public replies', () => {
  it.each([
    ['labels a digits-only order as an order', 'order 20241170 broke', 'order [order] broke'],
    [
      'labels orders, e-mails and phones',
      'order AB-2024117, mail priya@example.com, call +44 20 7946 0958',
      'order [order], mail [email], call [phone]',
    ],
    ['labels a cued phone as a phone', 'call me on 9876543210', 'call me on [phone]'],
    ['labels a spaced lower-case order after a cue as one order', 'my order number is ab 2024117, call 9876543210', 'my order number is [order], call [phone]'],
  ])('%s', (_case, text, expected) => {
    expect(redactCustomerText(text, orders)).toBe(expected);
  });

  it('when a log line carries an order typed with a space, then neither its prefix nor its digits reach the log', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', redact: (text) => redactCustomerText(text, orders), destination: { write: (line: string) => void lines.push(line) } });
    logger.info('customer wrote: order AB 2024117 came smashed, oder ab 20241170 too');
    const logged = lines.join('');
    expect(logged).toContain('customer wrote: order [order] came smashed, oder [order] too');
    expect(logged).not.toMatch(/2024117|ab 2|AB 2/i);
  });
});
