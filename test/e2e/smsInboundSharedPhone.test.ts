/**
 * One phone on two people's tickets (a family's shared phone): a text back answers what we last texted it
 * about. POST /api/sms/inbound over real HTTP, signed as Twilio signs, real store, loopback SMS provider.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import { FakeChannel } from '../support/fakeChannel';
import { startFakeSmsProvider } from '../followUps/fakeSmsProvider';
import { followUpOf, openTicketFor, postEvent, startFollowUpApp, startSmtpSink } from '../followUps/support';
import { postSms, PUBLIC_BASE_URL, smsFields } from '../followUps/twilioWebhook';

const PHONE = '+447700900123';

describe('a phone on two customers\' tickets', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('when we texted Priya about her ticket and her partner\'s ticket with the same phone changed since, then her text back and her rating land on her ticket, not his', async () => {
    const smtp = await startSmtpSink();
    const sms = await startFakeSmsProvider();
    const { app, clock } = await startFollowUpApp({ SMTP_URL: smtp.url, ...sms.env, PUBLIC_BASE_URL, FOLLOW_UP_CHECK_IN_HOURS: '168' });
    const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
    cleanups.push(smtp.stop, sms.stop, () => channel.stop(), () => app.close());
    const priya = await openTicketFor(app, channel, channel.user(), { phone: PHONE, preferred: 'phone', consent: true });
    const sam = await openTicketFor(app, channel, channel.user(), { email: 'sam@example.com', phone: PHONE, preferred: 'email', consent: true });

    clock.advance(25 * HOUR); // the Messenger window has closed: Priya's update goes by SMS
    await postEvent(app, priya.ref, { status: 'waiting_on_customer', publicNote: 'Which door should the courier use?' });
    await app.followUps.sweepOnce();
    expect(sms.delivered.map((message) => message.body)).toEqual([expect.stringContaining(priya.ref)]);
    clock.advance(HOUR);
    await postEvent(app, sam.ref, { status: 'in_progress' }); // Sam's ticket is now the most recently changed

    await postSms(app, smsFields(PHONE, 'The side door please'));
    expect((await app.tickets.get(priya.ref))?.status).toBe('in_progress');
    const notes = async (ref: string) => (await app.tickets.audit.list(ref)).filter((event) => event.action === 'ticket.customer_update').map((event) => event.note);
    expect(await notes(priya.ref)).toEqual(['The side door please']);
    expect(await notes(sam.ref)).toEqual([]);

    await postEvent(app, priya.ref, { status: 'resolved' });
    await postEvent(app, sam.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    await postSms(app, smsFields(PHONE, '5 thanks'));
    expect((await followUpOf(app, priya.ref))?.csat?.score).toBe(5);
    expect((await followUpOf(app, sam.ref))?.csat?.score).toBeUndefined();
  });
});
