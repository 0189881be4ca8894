import { describe, expect, it } from 'vitest';
import { recognizeContacts } from '../../services/recognition/contact';
import { redactCustomerText } from '../../services/recognition/customerDetails';
import { createOrderNumberRecognizer, DEFAULT_ORDER_NUMBER_PATTERN } from '../../services/recognition/orderNumber';
import { displayName, gistOf, NAMELESS, ReplyComposer } from '../../services/social/publicReply';

const orders = createOrderNumberRecognizer(DEFAULT_ORDER_NUMBER_PATTERN);
const redact = (text: string) => redactCustomerText(text, orders);
const TOKEN = 'Jl9yX4JSnGto.tp933q.tHQrY0dXV-J9FyzvDfqQDg';
/** The prose of a reply, without the link (whose brand id is digits by nature). */
const prose = (reply: string) => reply.replace(/https:\/\/\S+/g, '');
const sentences = (reply: string) => prose(reply).split(/(?<=[.?!])\s+/).map((s) => s.trim()).filter(Boolean);

describe('public replies', () => {
  it('never gives two customers in a row the same sentence, on any kind of reply', () => {
    const composer = new ReplyComposer({ brandName: 'Acme', redact });
    const kinds = [
      () => composer.xPublicReply({ name: 'Sam', brandUserId: '2244994945', token: TOKEN }),
      () => composer.commentReply('Sam'),
      () => composer.commentReplyInvitingMessage('Sam'),
      () => composer.privateReply('Sam', 'facebook', 'https://m.me/acme?ref=x'),
    ];
    for (const make of kinds) {
      let previous = sentences(make());
      for (let i = 0; i < 30; i++) {
        const current = sentences(make());
        for (const sentence of current) expect(previous).not.toContain(sentence);
        previous = current;
      }
    }
  });

  it('under a comment no private message went to, invites one and never claims one was sent, with or without a name', () => {
    const composer = new ReplyComposer({ brandName: 'Acme', redact });
    for (const name of ['Sam', NAMELESS]) {
      for (let i = 0; i < 6; i++) {
        const reply = composer.commentReplyInvitingMessage(name);
        expect(reply).toMatch(/private message|[Mm]essage us privately/);
        expect(reply).not.toMatch(/we've (sent|messaged|written)/i);
        expect(reply).not.toMatch(/\bthere\./);
      }
    }
  });

  it('names the customer, invites a DM, stays short, and carries the link with the token', () => {
    const reply = new ReplyComposer({ brandName: 'Acme', redact, start: 0 }).xPublicReply({ name: 'Priya', brandUserId: '2244994945', token: TOKEN });
    expect(reply).toMatch(/Priya/);
    expect(reply).toMatch(/DM|private message/);
    expect(prose(reply).length).toBeLessThan(200);
    const link = new URL(/https:\/\/\S+/.exec(reply)![0]);
    expect(link.searchParams.get('text')).toContain(TOKEN);
  });

  it('contains no e-mail, phone or order number even when the customer posted theirs', () => {
    const posted = 'Order AB-2024117 never came, mail me at priya.r@example.com or +91 98765 43210';
    const name = displayName('Priya priya.r@example.com', 'priya_r', redact);
    const composer = new ReplyComposer({ brandName: 'Acme', redact });
    const replies = [
      composer.xPublicReply({ name, brandUserId: '2244994945', token: TOKEN }),
      composer.commentReply(name),
      composer.privateReply(name, 'facebook', undefined),
      composer.xPublicReply({ name: displayName('+91 98765 43210', 'AB2024117', redact), brandUserId: '2244994945', token: TOKEN }),
    ];
    for (const reply of replies) {
      for (const secret of ['AB-2024117', 'priya.r@example.com', '98765', 'never came']) expect(reply).not.toContain(secret);
      expect(orders.findAll(prose(reply))).toEqual([]);
      const contacts = recognizeContacts(prose(reply), 'IN', []);
      expect([...contacts.emails, ...contacts.phones]).toEqual([]);
    }
    expect(posted).toContain('AB-2024117');
  });

  it('uses the first name, or the handle when the name is not a name, or "there"', () => {
    expect(displayName('Priya Raman', 'priya_r', redact)).toBe('Priya');
    expect(displayName('9876543210', 'priya_r', redact)).toBe('@priya_r');
    expect(displayName(undefined, undefined, redact)).toBe('there');
  });

  it("opens the author's private DM with the gist of their post in their own words, without placeholders or the leading mentions", () => {
    expect(gistOf('@AcmeSupport Order AB-2024117 never arrived, call me on +44 7700 900123', ['delivery'])).toBe(
      'your delivery ("Order AB-2024117 never arrived, call me on +44 7700 900123")',
    );
  });

  it('keeps the quoted gist short: ten words at most, then an ellipsis', () => {
    expect(gistOf('@AcmeSupport @AcmeHelp my parcel AB-2024117 was left in the rain and everything inside is soaked through', ['damage'])).toBe(
      'the damage ("my parcel AB-2024117 was left in the rain and everything…")',
    );
  });
});
