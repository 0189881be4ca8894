/**
 * Bad and unusual input over real HTTP: clear 4xx for what is not an activity, no 5xx for odd activities,
 * the conversation still reaches a ticket afterwards, and no personal data reaches the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { createLogger } from '../../services/log';
import { redactCustomerText } from '../../services/recognition/customerDetails';
import { createOrderNumberRecognizer, DEFAULT_ORDER_NUMBER_PATTERN } from '../../services/recognition/orderNumber';
import { FakeChannel, type FakeUser } from '../support/fakeChannel';
import { startTestApp } from '../support/testApp';

const EMAIL = 'priya.r@example.com';
const PHONE_TYPED = '+1 415 555 0132';
const PHONE_DIGITS = '4155550132';
const ORDER = 'AB-2024117';
const MAX_BODY_BYTES = 64 * 1024;

describe('bad input over HTTP', () => {
  let app: App;
  let channel: FakeChannel;
  const logLines: string[] = [];

  beforeAll(async () => {
    // The logger index.ts builds, at debug level, writing where the test can read it.
    const orders = createOrderNumberRecognizer(DEFAULT_ORDER_NUMBER_PATTERN);
    const logger = createLogger({ level: 'debug', redact: (text) => redactCustomerText(text, orders), destination: { write: (line: string) => void logLines.push(line) } });
    app = await startTestApp({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) }, { logger });
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
  });

  afterAll(async () => {
    await channel.stop();
    await app.close();
  });

  const postRaw = async (body: string, contentType = 'application/json') => {
    const response = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: response.status, text: await response.text() };
  };

  /** Completes a report in this conversation, proving it still works; returns the ticket ref. */
  async function completeTicket(user: FakeUser): Promise<string> {
    await user.says(`order ${ORDER} arrived smashed, email ${EMAIL} or call ${PHONE_TYPED}`);
    await user.says('email');
    await user.says('yes');
    const done = (await user.says('yes')).join('\n');
    const ref = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(done)?.[1];
    expect(ref, `no ticket confirmation in: ${done}`).toBeDefined();
    expect(await app.tickets.getForCustomer(ref!, { channelId: 'emulator', userId: user.userId })).toMatchObject({ orderNumber: ORDER });
    return ref!;
  }

  describe('what is not an activity gets a clear 4xx', () => {
    it('malformed JSON → 400 with an error saying so', async () => {
      const { status, text } = await postRaw(`{"type":"message","text":"my email is ${EMAIL}",`);
      expect(status).toBe(400);
      expect(text).toMatch(/json/i);
    });

    it.each([
      ['an object without a type', '{"hello":"world"}'],
      ['a type that is not a string', '{"type":42,"text":"hi"}'],
      ['an array', '[{"type":"message"}]'],
      ['a bare string', '"message"'],
      ['null', 'null'],
      ['an empty body', ''],
    ])('%s → 400 naming what an activity must be', async (_what, body) => {
      const { status, text } = await postRaw(body);
      expect(status).toBe(400);
      expect(text).toMatch(/activity|json|body/i);
    });

    it(`a body over MAX_BODY_BYTES → 413`, async () => {
      const padding = 'x'.repeat(MAX_BODY_BYTES + 1);
      const { status } = await postRaw(JSON.stringify({ type: 'message', text: padding }));
      expect(status).toBe(413);
    });

    it('a form-encoded body → 415 saying to send JSON, and nothing is processed', async () => {
      const { status, text } = await postRaw('type=message&text=hi', 'application/x-www-form-urlencoded');
      expect(status).toBe(415);
      expect(text).toMatch(/Send JSON/);
      expect(channel.received).toHaveLength(0);
    });
  });

  describe('odd activities are handled and the conversation still works', () => {
    const longText = `${'The courier left it in the rain and now everything is soaked. '.repeat(160)}`.slice(0, 10_000);

    it.each([
      ['a 10,000-character message', { text: longText }],
      ['an emoji-only message', { text: '😡😡😡📦💔' }],
      ['an attachment-only message', { text: undefined, attachments: [{ contentType: 'image/jpeg', contentUrl: 'http://127.0.0.1:9/photo.jpg', name: 'photo.jpg' }] }],
      ['an empty message', { text: '' }],
      ['a messageReaction', { type: 'messageReaction', reactionsAdded: [{ type: 'like' }], replyToId: 'whatever' }],
      ['typing', { type: 'typing' }],
      ['a conversationUpdate', { type: 'conversationUpdate', membersAdded: [{ id: 'bot' }], text: undefined }],
      ['an unknown activity type', { type: 'somethingNew', value: { anything: true } }],
      ['an event', { type: 'event', name: 'webchat/join', value: {} }],
      ['an endOfConversation', { type: 'endOfConversation' }],
      ['a message with a value and no text', { text: undefined, value: { submitted: 'form' } }],
    ])('%s: no 5xx, and a ticket can still be completed afterwards', async (_what, fields) => {
      const user = channel.user();
      const { status } = await channel.post(user.activity(fields));
      expect(status).toBeLessThan(500);
      expect(channel.messagesFor(user.conversationId).map((message) => message.text).join('\n')).not.toMatch(/something went wrong/);
      await completeTicket(user);
    });

    it('odd activities in the middle of a report keep its place', async () => {
      const user = channel.user();
      await user.says(`order ${ORDER} arrived smashed`);
      for (const fields of [{ type: 'typing' }, { type: 'somethingNew' }, { text: '🙃' }]) {
        expect((await channel.post(user.activity(fields))).status).toBeLessThan(500);
      }
      const photo = await user.sendAndCollect(user.activity({ text: undefined, attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1:9/a.png' }] }));
      expect(photo.join('\n')).toMatch(/only read text/);
      expect(photo.join('\n')).toMatch(/How can we reach you/);
    });
  });

  it('the logs hold no e-mail address, phone number or order number', async () => {
    const user = channel.user();
    await completeTicket(user);
    await postRaw(`{"text":"${EMAIL} ${PHONE_TYPED} ${ORDER}",`);
    expect(logLines.length).toBeGreaterThan(0);
    const logs = logLines.join('');
    for (const secret of [EMAIL, 'priya.r', PHONE_TYPED, PHONE_DIGITS, '+14155550132', ORDER, '2024117']) expect(logs).not.toContain(secret);
  });
});
