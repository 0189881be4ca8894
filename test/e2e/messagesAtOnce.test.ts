import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import type { FakeChannel } from '../support/fakeChannel';
import { startTestAppWithChannel } from '../support/testApp';

/** Customers type fast and double-tap: several activities of one conversation arrive at the same moment. */
describe('messages of one conversation that arrive at the same moment', () => {
  let app: App;
  let channel: FakeChannel;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ app, channel, close } = await startTestAppWithChannel());
  });

  afterEach(async () => {
    await close();
  });

  const sendAtOnce = (user: ReturnType<FakeChannel['user']>, texts: string[]) =>
    Promise.all(texts.map((text) => channel.post(user.activity({ text }))));

  it('are answered one after another, and nothing the customer said is lost', async () => {
    const priya = channel.user();
    await priya.says('order AB-2024117 arrived broken');
    const statuses = await sendAtOnce(priya, ['priya@example.com', 'yes']);
    expect(statuses.map((s) => s.status)).toEqual([200, 200]);
    // The e-mail is answered by the consent question, then "yes" (consent) by the summary.
    const [consent, summary] = priya.transcript().slice(-2);
    expect(consent).toMatch(/okay for us to contact you/i);
    expect(summary).toMatch(/Here's what I have/);
    expect(summary).toMatch(/Contact: e-mail p\S*@example\.com/);
    const done = (await priya.says('yes')).join('\n');
    const ref = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(done)?.[1];
    expect(await app.tickets.get(ref!)).toMatchObject({ orderNumber: 'AB-2024117', contact: { email: 'priya@example.com', consent: true } });
  });

  it('greet once and keep the story when "hi", the problem and the order number come together', async () => {
    const sam = channel.user();
    await sendAtOnce(sam, ['hi', 'my parcel never arrived', 'order AB-2024117']);
    const replies = sam.transcript();
    expect(replies.filter((reply) => /automated assistant/.test(reply))).toHaveLength(1);
    const summary = (await sam.says('here only')).join('\n');
    expect(summary).toContain('AB-2024117');
    expect(summary).toContain('my parcel never arrived');
  });

  it('a double-tapped "yes" at the summary opens one ticket and confirms it once', async () => {
    const lee = channel.user();
    await lee.says('report');
    await lee.says('skip');
    await lee.says('here only');
    await lee.says('parcel never arrived at all');
    await sendAtOnce(lee, ['yes', 'yes']);
    const tickets = await app.db.collection('tickets').find({ 'customer.userId': lee.userId });
    expect(tickets).toHaveLength(1);
    expect(lee.transcript().filter((reply) => /Your ticket is/.test(reply))).toHaveLength(1);
  });
});
