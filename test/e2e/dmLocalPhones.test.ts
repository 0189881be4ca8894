/**
 * Phone numbers written the way locals write them, over real HTTP: the deployment's DEFAULT_PHONE_REGION is US,
 * and the customer's device locale (the activity's `locale`, as Web Chat and Teams send it) says where they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppWithChannel } from '../support/testApp';

describe('local phone numbers from customers abroad', () => {
  let kit: Awaited<ReturnType<typeof startTestAppWithChannel>>;
  beforeAll(async () => {
    kit = await startTestAppWithChannel({ DEFAULT_PHONE_REGION: 'US' });
  });
  afterAll(async () => kit.close());

  it.each([
    ['en-GB', '07911 123456', '+447911123456'],
    ['en-GB', '020 7946 0958', '+442079460958'],
    ['de-DE', '0151 23456789', '+4915123456789'],
    ['de-DE', '0151/23456789', '+4915123456789'],
    ['en-IN', '98765 43210', '+919876543210'],
    ['en-IN', '098765 43210', '+919876543210'],
    ['pt-BR', '(11) 98765-4321', '+5511987654321'],
    ['en-AU', '0412 345 678', '+61412345678'],
    ['en-AU', '(02) 9374 4000', '+61293744000'],
    ['en-GB', '(415) 555-0132', '+14155550132'],
  ])('when a customer with locale %s answers "%s", then the ticket keeps %s', async (locale, typed, e164) => {
    const customer = kit.channel.user();
    await customer.says('order AB-2024117 arrived broken, screen cracked', { locale });
    expect((await customer.says(typed, { locale })).join('\n')).toMatch(/okay for us to contact you at \+\d+ /);
    await customer.says('yes', { locale });
    const ref = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec((await customer.says('yes', { locale })).join('\n'))?.[1];
    expect((await kit.app.tickets.get(ref!))?.contact).toMatchObject({ phone: e164, preferred: 'phone', consent: true });
  });

  it('when the story in the first message holds a local number, then it is read in the customer\'s country too', async () => {
    const customer = kit.channel.user();
    const replies = await customer.says('Order AB-2024117 arrived smashed, ring me on 07911 123456', { locale: 'en-GB' });
    expect(replies.join('\n')).toMatch(/okay for us to contact you at \+44 /);
  });

  it('when the first message gives an e-mail and a local number the bot cannot place, then the e-mail is kept and the customer is told the phone was left out', async () => {
    const customer = kit.channel.user();
    const replies = (await customer.says('Order AB-2024117 arrived smashed. priya@example.com or 07911 123456', { locale: 'en' })).join('\n');
    expect(replies).toMatch(/phone number I couldn't place in a country/);
    expect(replies).toMatch(/okay for us to contact you at p•+a@example\.com/);
    // Said once: the next turn does not repeat it.
    expect((await customer.says('yes', { locale: 'en' })).join('\n')).not.toMatch(/couldn't place/);
  });

  it('when the device gives no country, then a local number gets a request for the country code', async () => {
    const customer = kit.channel.user();
    await customer.says('order AB-2024117 arrived broken, screen cracked', { locale: 'en' });
    expect((await customer.says('07911 123456', { locale: 'en' })).join('\n')).toMatch(/country code, like \+44/);
  });
});
