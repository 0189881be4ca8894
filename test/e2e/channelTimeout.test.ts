import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeChannel } from '../support/fakeChannel';
import { auditActions, openTicketFor, postEvent, startFollowUpApp } from '../followUps/support';
import { startTestAppWithChannel } from '../support/testApp';

/** The channel (Bot Connector) accepts the bot's reply but does not answer: a hung connection in production. */
describe('a channel that does not answer the bot in time', () => {
  let channel: FakeChannel;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ channel, close } = await startTestAppWithChannel({ CONNECTOR_TIMEOUT_MS: '2000' }));
  });
  afterEach(() => close());

  it('ends the turn instead of hanging, never sends the reply twice, and keeps the customer where they were', async () => {
    const priya = channel.user();
    await priya.says('My order AB-2024117 arrived smashed to pieces');
    // Far longer than the test may run: only the bot's own timeout lets this turn end.
    channel.replyDelayMs = 60_000;
    const attempts = channel.attempts;
    const { status } = await channel.post(priya.activity({ text: 'priya@example.com' }));
    expect(status).toBe(200);
    // One reply was on its way when the wait ran out; it may yet arrive, so it is not repeated, nor followed by an apology.
    expect(channel.attempts - attempts).toBe(1);

    // The channel recovers: the dialog carries on from the last answer it did take, not from scratch.
    channel.replyDelayMs = 0;
    const again = await priya.says('priya@example.com');
    expect(again.join('\n')).toMatch(/okay for us to contact you/i);
    expect(again.join('\n')).not.toMatch(/something went wrong/i);
  });

  it('a follow-up whose chat message timed out is counted as perhaps delivered, never sent again', async () => {
    const { app } = await startFollowUpApp({ CONNECTOR_TIMEOUT_MS: '2000', FOLLOW_UP_SEND_TIMEOUT_MS: '60000' });
    channel.botUrl = `${app.url}/api/messages`;
    try {
      const priya = channel.user();
      await priya.says('hello');
      const ticket = await openTicketFor(app, channel, priya);
      await postEvent(app, ticket.ref, { status: 'in_progress', publicNote: 'We have asked the courier.' });
      channel.replyDelayMs = 60_000;
      const attempts = channel.attempts;
      expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });
      expect(channel.attempts - attempts).toBe(1);
      expect(await auditActions(app, ticket.ref)).toContainEqual({ action: 'followup.sent', after: expect.objectContaining({ route: 'dm', unconfirmed: true }) });
      expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 0 });
      expect(channel.attempts - attempts).toBe(1);
    } finally {
      await app.close();
    }
  });
});
