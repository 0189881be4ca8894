/** The console's placeholder filling for saved replies (web/agent/savedReplies.js), run as the browser runs it. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain browser ES module without type declarations.
import { fillPlaceholders, placeholderValues } from '../../web/agent/savedReplies.js';

const fill = fillPlaceholders as (text: string, values: Record<string, string>) => string;
const valuesOf = placeholderValues as (ticket: unknown, me: unknown) => Record<string, string>;

describe('saved reply placeholders', () => {
  const ticket = { ref: 'CS-7K3M9Q', orderNumber: 'AB-2024117', customer: { name: '  Priya  Raman ' }, contact: { email: 'priya@example.com', phone: '+4915112345678' } };
  const me = { name: 'Asha Patel' };

  it.each([
    ['Hi {customer_first_name}, I am {agent_first_name}.', 'Hi Priya, I am Asha.'],
    ['Ticket {ticket_ref} for order {order_number}.', 'Ticket CS-7K3M9Q for order AB-2024117.'],
    ['{customer_first_name}{customer_first_name}', 'PriyaPriya'],
    ['An {unknown} placeholder stays as typed, like {this}.', 'An {unknown} placeholder stays as typed, like {this}.'],
    ['Line one\nLine two {ticket_ref}', 'Line one\nLine two CS-7K3M9Q'],
  ])('fills %j from the open ticket', (text, expected) => {
    expect(fill(text, valuesOf(ticket, me))).toBe(expected);
  });

  it.each([
    ['Hi {customer_first_name}, thanks.', 'Hi, thanks.'],
    ['Your order {order_number} is on its way.', 'Your order is on its way.'],
    ['About {order_number}!', 'About!'],
    ['{customer_first_name} thanks for writing', 'thanks for writing'],
    ['Bye {customer_first_name}', 'Bye'],
  ])('an empty value leaves no double or stray space: %j', (text, expected) => {
    expect(fill(text, valuesOf({ ref: 'CS-7K3M9Q', customer: {} }, me))).toBe(expected);
  });

  it('takes only what the ticket view shows: never the e-mail or phone, whatever the text asks for', () => {
    const values = valuesOf(ticket, me);
    expect(values).toEqual({ customer_first_name: 'Priya', ticket_ref: 'CS-7K3M9Q', agent_first_name: 'Asha', order_number: 'AB-2024117' });
    expect(fill('{email} {phone} {customer_email}', values)).toBe('{email} {phone} {customer_email}');
  });

  it('no ticket or agent at all gives empty values, not "undefined"', () => {
    expect(fill('Hi {customer_first_name}, {agent_first_name} here about {ticket_ref}.', valuesOf(undefined, undefined))).toBe('Hi, here about.');
  });
});
