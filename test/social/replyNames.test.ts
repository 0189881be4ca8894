import { describe, expect, it } from 'vitest';
import { redactCustomerText } from '../../services/recognition/customerDetails';
import { createOrderNumberRecognizer, DEFAULT_ORDER_NUMBER_PATTERN } from '../../services/recognition/orderNumber';
import { displayName, NAMELESS, ReplyComposer } from '../../services/social/publicReply';

const orders = createOrderNumberRecognizer(DEFAULT_ORDER_NUMBER_PATTERN);
const redact = (text: string) => redactCustomerText(text, orders);
const TOKEN = 'Jl9yX4JSnGto.tp933q.tHQrY0dXV-J9FyzvDfqQDg';
const prose = (reply: string) => reply.replace(/https:\/\/\S+/g, '').trim();

describe('how replies name the customer', () => {
  it.each([
    ['李', '李'],
    ['王小明', '王小明'],
    ['Dr. Priya Raman', 'Priya'],
    ['Mrs Ana Souza', 'Ana'],
    ['José', 'José'],
  ])('the Facebook name %s is called %s', (given, expected) => {
    expect(displayName(given, undefined, redact)).toBe(expected);
  });

  it.each([['J.'], ['🌸🌸'], ['Dr.'], [undefined]])('with the name %s and no handle, there is no usable name', (given) => {
    expect(displayName(given, undefined, redact)).toBe(NAMELESS);
  });

  it('without a usable name every reply reads naturally: no "there," and no ", there."', () => {
    const composer = new ReplyComposer({ brandName: 'Acme', redact, start: 0 });
    const replies: string[] = [];
    for (let i = 0; i < 10; i++) {
      replies.push(composer.xPublicReply({ name: NAMELESS, brandUserId: '2244994945', token: TOKEN }));
      replies.push(composer.commentReply(NAMELESS));
      replies.push(composer.privateReply(NAMELESS, 'facebook', 'https://m.me/acme?ref=x'));
    }
    for (const reply of replies) {
      expect(prose(reply)).not.toMatch(/(^|[.!?]\s+)there,|, there[.!?]/i);
      expect(prose(reply)).toMatch(/^[A-Z]/);
      expect(prose(reply)).not.toMatch(/ ,|,\s*\.|^,/);
    }
    expect(replies.map(prose)).toContain("That's not the experience we want for you, and I'm sorry. Please DM us here and we'll pick it up with you, no need to share any details in public.");
  });

  it('a non-Latin name is used as given in the reply', () => {
    const reply = new ReplyComposer({ brandName: 'Acme', redact, start: 0 }).commentReply(displayName('李', undefined, redact));
    expect(reply).toMatch(/^Hi 李, /);
  });
});
