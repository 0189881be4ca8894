/** Customers text back to our SMS number: POST /api/sms/inbound (Twilio's webhook) over real HTTP, real store. */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { DAY, HOUR, ManualClock } from '../../services/clock';
import type { LiveEvent } from '../../services/handoff/liveEvents';
import { createLogger } from '../../services/log';
import type { ContactDetails, Ticket, TranscriptEntry } from '../../services/tickets/types';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp } from '../support/testApp';
import { startFakeSmsProvider } from '../followUps/fakeSmsProvider';
import { API_KEY, auditActions, followUpOf, openTicketFor, postEvent, startFollowUpApp, startSmtpSink } from '../followUps/support';
import { newMessageSid, postSms, PUBLIC_BASE_URL, smsFields, twilioSignature } from '../followUps/twilioWebhook';

const PHONE = '+447700900123';
const EMAIL = 'priya.r@example.com';
const BOTH: ContactDetails = { email: EMAIL, phone: PHONE, preferred: 'phone', consent: true };
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Messenger customer with an open ticket carrying their phone; the SMS provider and SMTP are loopback fakes. */
async function customerWithTicket(env: Record<string, string> = {}, logLines?: string[]) {
  const smtp = await startSmtpSink();
  const sms = await startFakeSmsProvider();
  const logger = logLines
    ? createLogger({
        level: 'info',
        // No redaction here: the test proves the number is never handed to the logger at all.
        redact: (text) => text,
        destination: new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(chunk.toString('utf8')), done()) }),
      })
    : undefined;
  const settings = { SMTP_URL: smtp.url, ...sms.env, PUBLIC_BASE_URL, FOLLOW_UP_CHECK_IN_HOURS: '168', ...env };
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const app = logger
    ? await startTestApp({ TICKET_EVENTS_API_KEY: API_KEY, FOLLOW_UP_SWEEP_MS: '0', ...settings }, { clock, logger, followUps: { retryDelayMs: 1 } })
    : (await startFollowUpApp(settings, clock)).app;
  const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
  cleanups.push(smtp.stop, sms.stop, () => channel.stop(), () => app.close());
  const priya = channel.user();
  const ticket = await openTicketFor(app, channel, priya, BOTH);
  const live: LiveEvent[] = [];
  app.agents.events.subscribe((event) => live.push(event));
  return { app, clock, smtp, sms, channel, priya, ticket, live };
}

/** The customer's texts (our answers back are lines too, checked in smsInboundAnswers.test.ts). */
const smsLines = async (app: App, ref: string): Promise<TranscriptEntry[]> => (await app.transcripts.forTicket(ref)).filter((line) => line.channelId === 'sms' && line.direction === 'in');
const statusOf = async (app: App, ref: string) => (await app.tickets.get(ref))?.status;

describe('inbound SMS webhook (Twilio shape) over real HTTP', () => {
  it('when a customer texts back about a ticket waiting on them, then the reply lands on the ticket, its transcript, its audit trail and the console live feed, and the ticket goes back to the team', async () => {
    const { app, ticket, live } = await customerWithTicket();
    await postEvent(app, ticket.ref, { status: 'waiting_on_customer' });
    const text = "Still hasn't arrived, the tracking has not moved since Monday";

    const answer = await postSms(app, smsFields(PHONE, text));
    expect(answer).toMatchObject({ status: 200, text: EMPTY_TWIML });
    expect(answer.contentType).toMatch(/^text\/xml/);

    expect(await statusOf(app, ticket.ref)).toBe('in_progress');
    const audit = await app.tickets.audit.list(ticket.ref);
    const update = audit.find((event) => event.action === 'ticket.customer_update');
    expect(update).toMatchObject({ note: text, actor: { kind: 'customer', id: ticket.customer.userId }, after: { status: 'in_progress' } });
    // The console reads the ticket's conversation; the dispute export reads by ticket: the line is in both.
    const [line] = await smsLines(app, ticket.ref);
    expect(line).toMatchObject({ channelId: 'sms', direction: 'in', text, ticketRef: ticket.ref, actor: { kind: 'customer' } });
    expect((await app.transcripts.forConversation(ticket.conversation!.conversationId)).map((entry) => entry.text)).toContain(text);
    expect(live).toContainEqual(expect.objectContaining({ type: 'customer.message', ref: ticket.ref, text }));
  });

  it('refuses unsigned and forged webhooks with 403 and a clear error, and changes nothing', async () => {
    const { app, ticket } = await customerWithTicket();
    const fields = smsFields(PHONE, 'please call me');
    const forged = [
      await postSms(app, fields, { signature: false }),
      await postSms(app, fields, { authToken: 'someone-elses-token' }),
      await postSms(app, fields, { signedUrl: `${app.url}/api/sms/inbound` }),
      await postSms(app, fields, { signature: `${twilioSignature('sms-token-for-tests', `${PUBLIC_BASE_URL}/api/sms/inbound`, { ...fields, SmsMessageSid: fields.MessageSid })}!!` }),
      // Signed for one text, delivered with another.
      await postSms(app, fields, { rawBody: new URLSearchParams({ ...fields, SmsMessageSid: fields.MessageSid, Body: 'refund me twice' }).toString() }),
    ];
    for (const answer of forged) expect(answer).toMatchObject({ status: 403, json: { error: 'FORBIDDEN', message: expect.stringContaining('X-Twilio-Signature') } });
    expect(await smsLines(app, ticket.ref)).toEqual([]);
    expect((await auditActions(app, ticket.ref)).map((event) => event.action)).toEqual(['ticket.opened']);
  });

  it('when Twilio delivers the same MessageSid again (also at the same moment), then it is handled once', async () => {
    const { app, ticket } = await customerWithTicket();
    const fields = smsFields(PHONE, 'The parcel is at the wrong address');
    const answers = await Promise.all([postSms(app, fields), postSms(app, fields)]);
    answers.push(await postSms(app, fields));
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, text: EMPTY_TWIML });
    expect(await smsLines(app, ticket.ref)).toHaveLength(1);
    expect((await auditActions(app, ticket.ref)).filter((event) => event.action === 'ticket.customer_update')).toHaveLength(1);
  });

  it('when a signed inbound SMS is replayed days later, then it is still recognised (Twilio signs no timestamp); MessageSids go after a year, so the guard does not grow without end', async () => {
    const { app, clock, ticket } = await customerWithTicket();
    const first = smsFields(PHONE, 'any news?');
    await postSms(app, first);
    const received = app.db.collection('smsReceived');
    expect(await received.countDocuments({})).toBe(1);
    clock.advance(8 * DAY);
    expect(await postSms(app, first)).toMatchObject({ status: 200, text: EMPTY_TWIML });
    expect(await smsLines(app, ticket.ref)).toHaveLength(1);
    clock.advance(366 * DAY);
    await postSms(app, smsFields(PHONE, 'hello again'));
    expect(await received.find({})).toEqual([expect.objectContaining({ _id: expect.not.stringMatching(first.MessageSid) })]);
  });

  it('when the customer texts STOP, then every open ticket with that phone is marked opted out and follow-ups go by e-mail; START makes SMS follow-ups resume', async () => {
    const { app, clock, channel, priya, ticket, smtp, sms } = await customerWithTicket();
    const second = await openTicketFor(app, channel, priya, BOTH);
    clock.advance(25 * HOUR); // the Messenger window has closed: follow-ups leave the chat

    expect(await postSms(app, smsFields(PHONE, ' Stop '))).toMatchObject({ status: 200, text: EMPTY_TWIML });
    for (const ref of [ticket.ref, second.ref]) {
      expect((await app.tickets.get(ref))?.contact).toMatchObject({ phone: PHONE, smsBlocked: { reason: 'opted_out' } });
      const blocked = (await app.tickets.audit.list(ref)).find((event) => event.action === 'ticket.sms_blocked');
      expect(blocked).toMatchObject({ actor: { kind: 'customer' }, after: { sms: 'opted_out' } });
      expect(await statusOf(app, ref)).toBe('open');
    }
    // A keyword is no ticket reply.
    expect(await smsLines(app, ticket.ref)).toEqual([]);

    await postEvent(app, ticket.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(sms.requests).toEqual([]);
    expect(smtp.mails.map((mail) => mail.subject)).toEqual([expect.stringContaining(ticket.ref)]);

    expect(await postSms(app, smsFields(PHONE, 'START'))).toMatchObject({ status: 200, text: EMPTY_TWIML });
    expect((await app.tickets.get(ticket.ref))?.contact?.smsBlocked).toBeUndefined();
    expect(await auditActions(app, ticket.ref)).toContainEqual({ action: 'ticket.sms_unblocked', after: { sms: 'usable' } });
    await postEvent(app, second.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(sms.delivered.map((message) => message.to)).toEqual([PHONE]);
    expect(sms.delivered[0].body).toContain(second.ref);
  });

  it('HELP changes nothing on the ticket', async () => {
    const { app, ticket } = await customerWithTicket();
    expect(await postSms(app, smsFields(PHONE, 'help'))).toMatchObject({ status: 200, text: EMPTY_TWIML });
    expect(await smsLines(app, ticket.ref)).toEqual([]);
    expect((await auditActions(app, ticket.ref)).map((event) => event.action)).toEqual(['ticket.opened']);
  });

  it('a plain "yes" from a phone that never opted out is an answer on the ticket; "thanks!" is kept on the transcript without moving the ticket', async () => {
    const { app, ticket } = await customerWithTicket();
    await postEvent(app, ticket.ref, { status: 'waiting_on_customer' });
    await postSms(app, smsFields(PHONE, 'thanks!'));
    expect(await statusOf(app, ticket.ref)).toBe('waiting_on_customer');
    await postSms(app, smsFields(PHONE, 'Yes'));
    expect(await statusOf(app, ticket.ref)).toBe('in_progress');
    expect((await app.tickets.audit.list(ticket.ref)).find((event) => event.action === 'ticket.customer_update')?.note).toBe('Yes');
    expect((await smsLines(app, ticket.ref)).map((line) => line.text)).toEqual(['thanks!', 'Yes']);
  });

  it('when the satisfaction question is open, then a texted "4 - quick and kind" is the rating', async () => {
    const { app, ticket } = await customerWithTicket();
    await postEvent(app, ticket.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    expect((await followUpOf(app, ticket.ref))?.csat?.askedAt).toBeDefined();

    await postSms(app, smsFields(PHONE, '4 - quick and kind'));
    expect((await followUpOf(app, ticket.ref))?.csat).toMatchObject({ score: 4, comment: 'quick and kind' });
    expect(await auditActions(app, ticket.ref)).toContainEqual({ action: 'followup.csat_answered', after: { score: 4, comment: 'quick and kind' } });
    expect(await statusOf(app, ticket.ref)).toBe('resolved');
    expect((await smsLines(app, ticket.ref)).map((line) => line.text)).toEqual(['4 - quick and kind']);
  });

  it('when a resolved ticket gets "it still hasn\'t arrived" within the reopen window, then it reopens; after the window a follow-up ticket opens', async () => {
    const { app, clock, ticket } = await customerWithTicket({ CSAT_REOPEN_DAYS: '7' });
    await postEvent(app, ticket.ref, { status: 'resolved' });
    clock.advance(2 * DAY);
    await postSms(app, smsFields(PHONE, "it still hasn't arrived"));
    expect(await statusOf(app, ticket.ref)).toBe('open');
    const reopened = (await app.tickets.audit.list(ticket.ref)).filter((event) => event.action === 'ticket.status_changed').at(-1);
    expect(reopened).toMatchObject({ actor: { kind: 'customer' }, after: { status: 'open' }, note: expect.stringContaining("it still hasn't arrived") });

    await postEvent(app, ticket.ref, { status: 'resolved' });
    clock.advance(8 * DAY);
    await postSms(app, smsFields(PHONE, 'still nothing'));
    expect(await statusOf(app, ticket.ref)).toBe('resolved');
    expect((await smsLines(app, ticket.ref)).map((line) => line.text)).toEqual(["it still hasn't arrived"]);
    const [followUp] = (await app.db.collection<Ticket>('tickets').find({ source: 'sms' })).filter((other) => other.ref !== ticket.ref);
    expect(followUp).toMatchObject({ status: 'open', description: 'still nothing', customer: ticket.customer, contact: { phone: PHONE, preferred: 'phone', consent: true } });
    expect((await smsLines(app, followUp!.ref)).map((line) => line.text)).toEqual(['still nothing']);
    expect((await app.tickets.audit.list(followUp!.ref)).map((event) => event.note ?? '')).toContainEqual(expect.stringContaining(`after ${ticket.ref} had ended`));
  });

  it('when a text names another order long after the last ticket ended, then the follow-up ticket is about that order; a later "thanks" opens nothing', async () => {
    const { app, clock, ticket } = await customerWithTicket({ CSAT_REOPEN_DAYS: '7' });
    await postEvent(app, ticket.ref, { status: 'resolved' });
    clock.advance(30 * DAY);
    await postSms(app, smsFields(PHONE, 'new problem: order AB-2024999 never arrived'));
    const opened = (await app.db.collection<Ticket>('tickets').find({ source: 'sms' }));
    expect(opened.map((other) => other.orderNumber)).toEqual(['AB-2024999']);
    await postEvent(app, opened[0]!.ref, { status: 'resolved' });
    clock.advance(30 * DAY);
    await postSms(app, smsFields(PHONE, 'thanks!'));
    expect(await app.db.collection<Ticket>('tickets').countDocuments({ source: 'sms' })).toBe(1);
  });

  it('when a number on no ticket texts, then it gets an empty answer, nothing is stored and the log does not name the number', async () => {
    const logLines: string[] = [];
    const { app } = await customerWithTicket({}, logLines);
    const stranger = '+15551234567';
    const before = await app.db.collection('transcripts').countDocuments({});
    expect(await postSms(app, smsFields(stranger, 'who is this?'))).toMatchObject({ status: 200, text: EMPTY_TWIML });
    expect(await app.db.collection('transcripts').countDocuments({})).toBe(before);
    expect(await app.db.collection('smsReceived').countDocuments({})).toBe(0);
    expect(logLines.join('')).toContain('SMS from a number on no ticket');
    expect(logLines.join('')).not.toContain('5551234567');
  });

  it('keeps a 10,000-character text with emoji whole on the transcript and the ticket', async () => {
    const { app, ticket } = await customerWithTicket();
    const text = `📦😡 ${'the parcel never came 👍🏽 '.repeat(400)}`.slice(0, 9_998) + ' ✅';
    expect(text).toHaveLength(10_000);
    expect(await postSms(app, smsFields(PHONE, text))).toMatchObject({ status: 200 });
    expect((await smsLines(app, ticket.ref))[0].text).toBe(text.trim());
    expect((await app.tickets.audit.list(ticket.ref)).find((event) => event.action === 'ticket.customer_update')?.note).toBe(text.trim());
  });

  it('keeps the photos of an MMS as files on the transcript line and names them on the ticket', async () => {
    const { app, ticket, live } = await customerWithTicket();
    const media = 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0123456789abcdef0123456789abcdef';
    const fields = smsFields(PHONE, 'the box when it arrived', { NumMedia: '2', MediaUrl0: media, MediaContentType0: 'image/jpeg', MediaUrl1: `${media}1`, MediaContentType1: 'video/mp4' });
    expect(await postSms(app, fields)).toMatchObject({ status: 200 });
    const [line] = await smsLines(app, ticket.ref);
    expect(line.files).toEqual([
      { contentType: 'image/jpeg', name: 'ME0123456789abcdef0123456789abcdef.jpg', url: media },
      { contentType: 'video/mp4', name: 'ME0123456789abcdef0123456789abcdef1.mp4', url: `${media}1` },
    ]);
    const update = (await app.tickets.audit.list(ticket.ref)).find((event) => event.action === 'ticket.customer_update');
    expect(update?.note).toBe('the box when it arrived\n[attached: ME0123456789abcdef0123456789abcdef.jpg, image/jpeg; ME0123456789abcdef0123456789abcdef1.mp4, video/mp4]');
    expect(live).toContainEqual(expect.objectContaining({ type: 'customer.message', ref: ticket.ref, text: 'the box when it arrived' }));
  });

  it('answers 400 to a body it cannot read and to a signed form without MessageSid, 415 to JSON, and stores nothing', async () => {
    const { app, ticket } = await customerWithTicket();
    const broken = await postSms(app, smsFields(PHONE, 'x'), { rawBody: `From=${encodeURIComponent(PHONE)}&Body=%E0%A4%A&MessageSid=${newMessageSid()}` });
    expect(broken).toMatchObject({ status: 400, json: { error: 'BAD_FORM' } });
    const { MessageSid: _dropped, ...withoutSid } = smsFields(PHONE, 'no id');
    const unsigned = await postSms(app, { ...withoutSid, SmsMessageSid: 'not-an-id' });
    expect(unsigned).toMatchObject({ status: 400, json: { error: 'VALIDATION_FAILED', message: expect.stringContaining('MessageSid') } });
    const json = await postSms(app, smsFields(PHONE, 'x'), { contentType: 'application/json', rawBody: '{"Body":"x"}' });
    expect(json.status).toBe(415);
    expect(await smsLines(app, ticket.ref)).toEqual([]);
  });

  it('answers 503 when SMS is not configured (no auth token)', async () => {
    const { app } = await startFollowUpApp({ PUBLIC_BASE_URL });
    cleanups.push(() => app.close());
    const answer = await postSms(app, smsFields(PHONE, 'hello'));
    expect(answer).toMatchObject({ status: 503, json: { error: 'NOT_CONFIGURED' } });
  });
});
