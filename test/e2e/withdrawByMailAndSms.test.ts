/**
 * Withdrawing a ticket where no yes/no fits: a mail in the ticket's thread resolves it at once and the answer
 * says how to reopen it; a text leaves it open for the team with a note (that door never texts back).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, ManualClock } from '../../services/clock';
import { openTicketFor, postEvent, startFollowUpApp, startSmtpSink, API_KEY } from '../followUps/support';
import { startFakeSmsProvider } from '../followUps/fakeSmsProvider';
import { postSms, PUBLIC_BASE_URL, smsFields } from '../followUps/twilioWebhook';
import { type BotActivity, FakeChannel } from '../support/fakeChannel';
import { fixture } from '../support/fixtures';

const REF = /\b(CS-[A-Z0-9]{6})\b/;
const SENDER = 'priya.raman@example.com';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a customer withdraws by e-mail', () => {
  async function mailThread() {
    const smtp = await startSmtpSink();
    const { app, clock } = await startFollowUpApp({ SMTP_URL: smtp.url, CSAT_REOPEN_DAYS: '7' });
    const channel = await new FakeChannel('email').start(`${app.url}/api/messages`);
    cleanups.push(smtp.stop, () => channel.stop(), () => app.close());
    const conversationId = `AAQkADk0ZjQ1NzE0${randomUUID().replace(/-/g, '')}=`;
    const base = fixture('azure/email-channel-message.json');
    const send = async (text: string, subject = 'Leaking kettle'): Promise<BotActivity[]> => {
      const before = channel.messagesFor(conversationId).length;
      const { status } = await channel.post({
        ...base,
        id: `AAMkAD${randomUUID().replace(/-/g, '')}=`,
        timestamp: new Date().toISOString(),
        serviceUrl: channel.url,
        from: { id: SENDER, name: 'Priya Raman' },
        conversation: { isGroup: false, id: conversationId },
        text,
        attachments: [],
        channelData: { ...base.channelData, subject, htmlBody: '' },
      });
      expect(status).toBeLessThan(300);
      return channel.messagesFor(conversationId).slice(before);
    };
    return { app, clock, send };
  }

  it('when a mail in the thread says "you can close it, it arrived", the ticket is resolved with the reason and one reply explains how to reopen; a later "still broken" reopens it', async () => {
    const { app, clock, send } = await mailThread();
    const [opened] = await send('Hello,\n\nMy order AB-2024117 never arrived, the tracking stopped a week ago.\n\nPriya');
    const ref = REF.exec(opened.text ?? '')![1];

    const replies = await send('Hi, you can close it, the parcel arrived this morning after all. Thanks!\n\nPriya', `RE: Leaking kettle [${ref}]`);
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toContain(`closed ticket ${ref}`);
    expect(replies[0].text).toContain('within 7 days');
    expect((await app.tickets.get(ref))?.status).toBe('resolved');
    const change = (await app.tickets.audit.list(ref)).find((event) => event.action === 'ticket.status_changed');
    expect(change).toMatchObject({ actor: { kind: 'customer' }, after: { status: 'resolved' } });
    expect(change?.note).toMatch(/^withdrawn by the customer by e-mail/);
    expect(await app.tickets.listForCustomer({ channelId: 'email', userId: SENDER })).toHaveLength(1);

    // The customer was answered in the thread: the sweep sends no resolution mail and no survey.
    expect((await app.followUps.sweepOnce()).sent).toBe(0);

    clock.advance(2 * DAY);
    await send("Sorry, it's broken after all: the lid is cracked.", `RE: Leaking kettle [${ref}]`);
    expect(await app.tickets.get(ref)).toMatchObject({ status: 'open', reopenCount: 1 });
  });
});

describe('a customer withdraws by SMS', () => {
  it('when a text says "problem solved, you can close it", the reply goes onto the active ticket with a note asking the team to close it; nothing closes on its own', async () => {
    const smtp = await startSmtpSink();
    const sms = await startFakeSmsProvider();
    const { app } = await startFollowUpApp({ SMTP_URL: smtp.url, ...sms.env, PUBLIC_BASE_URL, TICKET_EVENTS_API_KEY: API_KEY }, new ManualClock('2026-03-02T10:00:00Z'));
    const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
    cleanups.push(smtp.stop, sms.stop, () => channel.stop(), () => app.close());
    const ticket = await openTicketFor(app, channel, channel.user(), { phone: '+447700900123', preferred: 'phone', consent: true });
    await postEvent(app, ticket.ref, { status: 'in_progress' });

    expect((await postSms(app, smsFields('+447700900123', 'Problem solved, you can close it. Thanks!'))).status).toBe(200);

    expect((await app.tickets.get(ticket.ref))?.status).toBe('in_progress');
    const audit = await app.tickets.audit.list(ticket.ref);
    expect(audit.map((event) => event.action)).toContain('ticket.customer_update');
    expect(audit.find((event) => event.action === 'ticket.note_internal')?.note).toMatch(/problem went away and the ticket can be closed/);
  });
});
