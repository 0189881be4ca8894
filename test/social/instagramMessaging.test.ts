import { describe, expect, it } from 'vitest';
import { instagramMessagesOf } from '../../services/social/meta/instagramDm';
import { parseInstagramMessaging } from '../../services/social/meta/instagramMessaging';
import { splitForLimit } from '../../services/social/messageParts';
import { fixture } from '../support/fixtures';

const ACCOUNT = '17841400000000001';

describe('Instagram Messaging webhook bodies', () => {
  it('reads a customer DM: sender, recipient, mid as the event id, text and time', () => {
    const { directMessages, ignored } = parseInstagramMessaging(fixture('meta/instagram-dm.json'), ACCOUNT);
    expect(ignored).toEqual({});
    expect(directMessages).toEqual([
      expect.objectContaining({ platform: 'instagram', senderId: '17841455555555555', recipientId: ACCOUNT, kind: 'message', text: 'Hi, still no news on my trail runners', sentAt: new Date(1581169899000) }),
    ]);
    expect(directMessages[0].eventId).toMatch(/^aWdf/);
  });

  it('reads an ig.me referral as an event carrying the token, and a postback with a referral the same way', () => {
    const body = fixture('meta/instagram-dm-referral.json');
    const [referral] = parseInstagramMessaging(body, ACCOUNT).directMessages;
    expect(referral).toMatchObject({ kind: 'event', text: '', referral: { ref: '<ref token your Private Reply put in the ig.me link>', source: 'IGME-SOURCE-LINK', type: 'OPEN_THREAD' } });
    body.entry[0].messaging[0] = { ...body.entry[0].messaging[0], referral: undefined, postback: { mid: 'pb_1', title: 'Get Started', payload: 'GET_STARTED', referral: { ref: 'tok' } } };
    expect(parseInstagramMessaging(body, ACCOUNT).directMessages[0]).toMatchObject({ eventId: 'pb_1', kind: 'event', referral: { ref: 'tok' }, postback: { payload: 'GET_STARTED' } });
  });

  it('keeps photos as files, and a message with neither text nor files is not run', () => {
    const body = fixture('meta/instagram-dm.json');
    body.entry[0].messaging[0].message = { mid: 'm_photo', attachments: [{ type: 'image', payload: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1' } }] };
    expect(parseInstagramMessaging(body, ACCOUNT).directMessages[0]).toMatchObject({ text: '', files: [{ type: 'image', url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1' }] });
    body.entry[0].messaging[0].message = { mid: 'm_story', is_unsupported: true };
    expect(parseInstagramMessaging(body, ACCOUNT)).toEqual({ directMessages: [], ignored: { unsupported: 1 } });
  });

  it('reads nothing from a comments body or a Page body', () => {
    expect(parseInstagramMessaging(fixture('meta/instagram-comment.json'), ACCOUNT).directMessages).toEqual([]);
    expect(parseInstagramMessaging({ ...fixture('meta/instagram-dm.json'), object: 'page' }, ACCOUNT).directMessages).toEqual([]);
  });
});

describe('Instagram DM texts', () => {
  it('splits a long text at paragraph ends first, then sentence ends, never losing a word', () => {
    const paragraph = 'word '.repeat(90).trim();
    const text = `${paragraph}\n\n${paragraph}\n\n${paragraph}`;
    const parts = splitForLimit(text, 1000);
    expect(parts).toEqual([`${paragraph}\n\n${paragraph}`, paragraph]);
    const sentences = 'One short sentence here. '.repeat(60).trim();
    for (const part of splitForLimit(sentences, 1000)) {
      expect(part.length).toBeLessThanOrEqual(1000);
      expect(part).toMatch(/here\.$/);
    }
    expect(splitForLimit('x'.repeat(2500), 1000).map((part) => part.length)).toEqual([1000, 1000, 500]);
  });

  it('puts at most 13 quick replies, titles shortened to 20 characters, on the last part only', () => {
    const choices = Array.from({ length: 15 }, (_, i) => ({ title: `A rather long choice number ${i}`, value: `choice ${i}` }));
    const messages = instagramMessagesOf({ text: `${'Long sentence. '.repeat(100)}`, choices });
    expect(messages.length).toBe(2);
    expect(messages[0].quick_replies).toBeUndefined();
    expect(messages[1].quick_replies).toHaveLength(13);
    for (const reply of messages[1].quick_replies!) expect([...reply.title].length).toBeLessThanOrEqual(20);
    expect(messages[1].quick_replies![0]).toEqual({ content_type: 'text', title: 'A rather long choic…', payload: 'choice 0' });
  });
});
