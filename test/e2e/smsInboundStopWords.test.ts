/**
 * "STOP." and "stop please": Twilio blocks a number only for the bare keyword, so these reach our webhook as
 * words (POST /api/sms/inbound over real HTTP, signed as Twilio signs, real store) and must still stop our texts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import { FakeChannel } from '../support/fakeChannel';
import { startFakeSmsProvider } from '../followUps/fakeSmsProvider';
import { openTicketFor, postEvent, startFollowUpApp, startSmtpSink } from '../followUps/support';
import { postSms, PUBLIC_BASE_URL, smsFields } from '../followUps/twilioWebhook';

const PHONE = '+447700900123';

describe('texts that ask us to stop, in the customer\'s own words', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function customerWaitingOnThem() {
    const smtp = await startSmtpSink();
    const sms = await startFakeSmsProvider();
    const { app, clock } = await startFollowUpApp({ SMTP_URL: smtp.url, ...sms.env, PUBLIC_BASE_URL, FOLLOW_UP_CHECK_IN_HOURS: '168' });
    const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
    cleanups.push(smtp.stop, sms.stop, () => channel.stop(), () => app.close());
    const ticket = await openTicketFor(app, channel, channel.user(), { email: 'priya.r@example.com', phone: PHONE, preferred: 'phone', consent: true });
    await postEvent(app, ticket.ref, { status: 'waiting_on_customer' });
    return { app, clock, smtp, sms, ticket };
  }

  it.each(['STOP.', 'stop please', 'Stop texting me!', 'Please stop', "don't text me again", 'Unsubscribe me'])(
    'when the customer texts "%s", then SMS follow-ups stop (the next update goes by e-mail), the team sees the words, and the ticket stays where it was',
    async (text) => {
      const { app, clock, smtp, sms, ticket } = await customerWaitingOnThem();
      expect(await postSms(app, smsFields(PHONE, text))).toMatchObject({ status: 200 });

      expect((await app.tickets.get(ticket.ref))?.contact).toMatchObject({ phone: PHONE, smsBlocked: { reason: 'opted_out' } });
      expect((await app.tickets.get(ticket.ref))?.status).toBe('waiting_on_customer');
      const lines = (await app.transcripts.forTicket(ticket.ref)).filter((line) => line.channelId === 'sms' && line.direction === 'in');
      expect(lines.map((line) => line.text)).toEqual([text]);

      clock.advance(25 * HOUR); // the Messenger window has closed: follow-ups leave the chat
      await postEvent(app, ticket.ref, { status: 'in_progress' });
      await app.followUps.sweepOnce();
      expect(sms.requests).toEqual([]);
      expect(smtp.mails.map((mail) => mail.subject)).toEqual([expect.stringContaining(ticket.ref)]);
    },
  );

  it('when "stop" is part of a sentence about the problem, then it is an answer on the ticket and texts go on', async () => {
    const { app, ticket } = await customerWaitingOnThem();
    await postSms(app, smsFields(PHONE, 'Stop, the parcel went to the wrong address'));
    expect((await app.tickets.get(ticket.ref))?.contact?.smsBlocked).toBeUndefined();
    expect((await app.tickets.get(ticket.ref))?.status).toBe('in_progress');
  });
});
