/** A channel that retries an activity (same id) gets one ticket and one confirmation, over real HTTP. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { FakeChannel, type FakeUser } from '../support/fakeChannel';
import { startTestApp } from '../support/testApp';

describe('a channel retries the same activity', () => {
  let app: App;
  let channel: FakeChannel;

  beforeEach(async () => {
    app = await startTestApp();
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
  });

  afterEach(async () => {
    await channel.stop();
    await app.close();
  });

  async function atSummary(user: FakeUser): Promise<void> {
    await user.says('My order AB-2024117 arrived smashed to pieces');
    const summary = await user.says('here only');
    expect(summary.join('\n')).toMatch(/Shall I open the ticket\?/);
  }

  const confirmations = (user: FakeUser) => user.transcript().filter((text) => /Your ticket is \*\*CS-/.test(text));

  it('when the confirming "yes" is posted twice in a row, then one ticket is opened and confirmed once', async () => {
    const priya = channel.user();
    await atSummary(priya);
    const yes = priya.activity({ text: 'yes' });
    const first = await channel.post(yes);
    const repliesAfterFirst = priya.transcript().length;
    const second = await channel.post(yes);
    expect([first.status, second.status]).toEqual([200, 200]);
    // The retry is not answered at all (not even with the menu a fresh "yes" would get).
    expect(priya.transcript()).toHaveLength(repliesAfterFirst);
    expect(confirmations(priya)).toHaveLength(1);
    expect(await app.db.collection('tickets').countDocuments({ 'customer.userId': priya.userId })).toBe(1);
  });

  it('when the same activity arrives twice at the same moment, then one ticket is opened and confirmed once', async () => {
    const priya = channel.user();
    await atSummary(priya);
    const yes = priya.activity({ text: 'yes' });
    const statuses = await Promise.all([channel.post(yes), channel.post(yes), channel.post(yes)]);
    expect(statuses.every(({ status }) => status < 300)).toBe(true);
    expect(confirmations(priya)).toHaveLength(1);
    expect(await app.db.collection('tickets').countDocuments({ 'customer.userId': priya.userId })).toBe(1);
  });

  it('when an earlier message is retried after the ticket is open, then the bot stays silent and opens nothing', async () => {
    const priya = channel.user();
    const story = priya.activity({ text: 'My order AB-2024117 arrived smashed to pieces' });
    await priya.sendAndCollect(story);
    await priya.says('here only');
    await priya.says('yes');
    const before = priya.transcript().length;
    expect((await channel.post(story)).status).toBe(200);
    expect(priya.transcript()).toHaveLength(before);
    expect(await app.db.collection('tickets').countDocuments({})).toBe(1);
  });

  it('a new activity with the same text (the customer typing "yes" again) is answered normally', async () => {
    const priya = channel.user();
    await atSummary(priya);
    await priya.says('yes');
    const again = await priya.says('yes');
    expect(again.length).toBeGreaterThan(0);
    expect(confirmations(priya)).toHaveLength(1);
  });
});
