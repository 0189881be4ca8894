/**
 * The SMS door texts back when a customer needs to hear from us: POST /api/sms/inbound over real HTTP, signed
 * as Twilio signs, real store. The answer is TwiML: one escaped <Message>, or an empty <Response/>.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { DAY } from '../../services/clock';
import { smsSegments } from '../../services/followUps/smsSegments';
import type { ContactDetails } from '../../services/tickets/types';
import { FakeChannel } from '../support/fakeChannel';
import { startFakeSmsProvider } from '../followUps/fakeSmsProvider';
import { followUpOf, openTicketFor, postEvent, startFollowUpApp, startSmtpSink } from '../followUps/support';
import { postSms, PUBLIC_BASE_URL, smsFields } from '../followUps/twilioWebhook';

const PHONE = '+447700900123';
/** Another customer's phone: what it is answered shows the door does answer, so a silence is a decision. */
const OTHER_PHONE = '+447700900456';
const CONTACT: ContactDetails = { email: 'priya.r@example.com', phone: PHONE, preferred: 'phone', consent: true };
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function customerWithTicket(env: Record<string, string> = {}) {
  const smtp = await startSmtpSink();
  const sms = await startFakeSmsProvider();
  const { app, clock } = await startFollowUpApp({ SMTP_URL: smtp.url, ...sms.env, PUBLIC_BASE_URL, FOLLOW_UP_CHECK_IN_HOURS: '168', ...env });
  const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
  cleanups.push(smtp.stop, sms.stop, () => channel.stop(), () => app.close());
  const ticket = await openTicketFor(app, channel, channel.user(), CONTACT);
  const otherTicket = await openTicketFor(app, channel, channel.user(), { phone: OTHER_PHONE, preferred: 'phone', consent: true });
  return { app, clock, sms, ticket, otherTicket };
}

/**
 * The texts a TwiML answer sends, read strictly: the whole document must be our exact shape, a message may hold
 * no raw markup characters, and every & must start one of XML's five entities (else it is not well-formed).
 */
function messagesOf(twiml: string): string[] {
  if (twiml === EMPTY_TWIML) return [];
  const document = /^<\?xml version="1\.0" encoding="UTF-8"\?><Response>((?:<Message>[^<>"']*<\/Message>)+)<\/Response>$/.exec(twiml);
  if (!document) throw new Error(`Not well-formed TwiML: ${twiml}`);
  return [...document[1].matchAll(/<Message>([^<]*)<\/Message>/g)].map(([, body]) => {
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(body)) throw new Error(`A bare & in TwiML: ${body}`);
    return body.replace(/&(amp|lt|gt|quot|apos);/g, (_all, name: string) => ENTITIES[name]);
  });
}

/** POSTs a signed text and answers the texts the webhook's TwiML sends back. */
async function textIn(app: App, fields: Record<string, string>): Promise<string[]> {
  const answer = await postSms(app, fields);
  expect(answer.status).toBe(200);
  expect(answer.contentType).toMatch(/^text\/xml/);
  return messagesOf(answer.text);
}

const answersOnTranscript = async (app: App, ref: string) => (await app.transcripts.forTicket(ref)).filter((line) => line.channelId === 'sms' && line.direction === 'out');
const answersAudited = async (app: App, ref: string) => (await app.tickets.audit.list(ref)).filter((event) => event.action === 'sms.answered');

describe('the SMS door answers an opt-out in other words, and only that', () => {
  it.each(['STOP.', 'stop please', "don't text me again"])(
    'when the customer texts "%s", then one short confirmation names the brand and the ticket, says Reply START to resume, and lands on the transcript and audit',
    async (text) => {
      const { app, ticket } = await customerWithTicket();
      const [confirmation, ...more] = await textIn(app, smsFields(PHONE, text));
      expect(more).toEqual([]);
      expect(confirmation).toBe(`Acme: You will get no more texts from us about ${ticket.ref}. Reply START to resume.`);
      expect(smsSegments(confirmation).segments).toBe(1);
      expect(confirmation).not.toContain(PHONE.slice(1));

      const [line, ...otherLines] = await answersOnTranscript(app, ticket.ref);
      expect(otherLines).toEqual([]);
      expect(line).toMatchObject({ channelId: 'sms', direction: 'out', text: confirmation, ticketRef: ticket.ref, actor: { kind: 'bot' }, conversationId: ticket.conversation!.conversationId });
      const audited = await answersAudited(app, ticket.ref);
      expect(audited).toEqual([expect.objectContaining({ after: { route: 'sms', kind: 'opted_out', encoding: 'GSM-7', segments: 1 } })]);
      expect(JSON.stringify(audited)).not.toContain(PHONE.slice(1));
    },
  );

  it.each(['STOP', ' stop ', 'Unsubscribe', 'START', 'help', 'INFO'])(
    'the bare keyword "%s" gets no TwiML message (Twilio answers it itself), while "STOP." from another customer is confirmed',
    async (keyword) => {
      const { app, ticket, otherTicket } = await customerWithTicket();
      expect(await postSms(app, smsFields(PHONE, keyword))).toMatchObject({ status: 200, text: EMPTY_TWIML });
      expect(await answersOnTranscript(app, ticket.ref)).toEqual([]);
      expect(await answersAudited(app, ticket.ref)).toEqual([]);
      expect(await textIn(app, smsFields(OTHER_PHONE, 'STOP.'))).toEqual([expect.stringContaining(`${otherTicket.ref}. Reply START to resume.`)]);
    },
  );

  it('when a phone that already opted out texts "STOP." or "it arrived, you can close it", then nothing is texted back', async () => {
    const { app, ticket } = await customerWithTicket();
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    expect(await textIn(app, smsFields(PHONE, 'It arrived after all, you can close it'))).toHaveLength(1);
    expect(await textIn(app, smsFields(PHONE, 'STOP'))).toEqual([]);
    expect(await textIn(app, smsFields(PHONE, 'STOP.'))).toEqual([]);
    expect(await textIn(app, smsFields(PHONE, 'Found it, you can close it'))).toEqual([]);
    expect(await answersOnTranscript(app, ticket.ref)).toHaveLength(1);
  });

  it('when the phone was refused for SMS (an invalid number on record), then nothing is texted back; an unrefused phone is', async () => {
    const { app, ticket } = await customerWithTicket();
    await app.tickets.markSmsUnusable(PHONE, { reason: 'invalid_number', code: 21211, at: app.clock.now() }, { kind: 'system', id: 'test' }, ticket.ref);
    expect(await textIn(app, smsFields(PHONE, 'stop please'))).toEqual([]);
    expect(await textIn(app, smsFields(OTHER_PHONE, 'stop please'))).toHaveLength(1);
  });

  it('when a number on no ticket texts "STOP.", then it gets an empty answer; a customer\'s "STOP." is confirmed', async () => {
    const { app } = await customerWithTicket();
    expect(await postSms(app, smsFields('+15551234567', 'STOP.'))).toMatchObject({ status: 200, text: EMPTY_TWIML });
    expect(await textIn(app, smsFields(PHONE, 'STOP.'))).toHaveLength(1);
  });
});

describe('the SMS door acknowledges what a text did', () => {
  it('when a text says the problem went away, then the customer hears the team will close the ticket and can reply if not sorted; their <script>&"\' words are echoed nowhere', async () => {
    const { app, ticket } = await customerWithTicket();
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    const answer = await postSms(app, smsFields(PHONE, `It arrived after all <script>&"' you can close it`));
    expect(answer.text).not.toContain('<script>');
    const [thanks, ...more] = messagesOf(answer.text);
    expect(more).toEqual([]);
    expect(thanks).toBe(`Acme: Thanks for letting us know. Our team will close ${ticket.ref}. If it is not sorted after all, just reply to this text.`);
    expect(thanks).not.toMatch(/script|[<>"]/);
    expect((await app.tickets.get(ticket.ref))?.status).toBe('in_progress');
    expect((await answersOnTranscript(app, ticket.ref)).map((line) => line.text)).toEqual([thanks]);
  });

  it('when the brand name holds "&" and quotes, then the TwiML stays well-formed and the text reads the brand as written', async () => {
    const { app, ticket } = await customerWithTicket({ BRAND_NAME: `Smith & "Sons" <Ltd>` });
    const answer = await postSms(app, smsFields(PHONE, 'STOP.'));
    expect(answer.text).toContain('Smith &amp; &quot;Sons&quot; &lt;Ltd&gt;:');
    expect(messagesOf(answer.text)).toEqual([`Smith & "Sons" <Ltd>: You will get no more texts from us about ${ticket.ref}. Reply START to resume.`]);
  });

  it('a redelivered MessageSid gets no second message, whether it comes after the first or at the same moment', async () => {
    const { app, ticket } = await customerWithTicket();
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    const fields = smsFields(PHONE, 'Problem solved, you can close it. Thanks!');
    expect(await textIn(app, fields)).toHaveLength(1);
    expect(await textIn(app, fields)).toEqual([]);

    const stop = smsFields(PHONE, 'STOP.');
    const together = await Promise.all([textIn(app, stop), textIn(app, stop), textIn(app, stop)]);
    expect(together.flat()).toHaveLength(1);
    expect(await answersOnTranscript(app, ticket.ref)).toHaveLength(2);
    expect(await answersAudited(app, ticket.ref)).toHaveLength(2);
  });

  it('when a texted score answers the satisfaction question, then the customer is thanked for the rating', async () => {
    const { app, ticket } = await customerWithTicket();
    await postEvent(app, ticket.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    expect((await followUpOf(app, ticket.ref))?.csat?.askedAt).toBeDefined();
    expect(await textIn(app, smsFields(PHONE, '5'))).toEqual([`Acme: Thanks for your rating of ${ticket.ref}.`]);
    expect((await followUpOf(app, ticket.ref))?.csat?.score).toBe(5);
  });

  it('when a text reopens a resolved ticket, then the customer hears it was reopened; after the window, they get the new ticket\'s reference', async () => {
    const { app, clock, ticket } = await customerWithTicket({ CSAT_REOPEN_DAYS: '7' });
    await postEvent(app, ticket.ref, { status: 'resolved' });
    clock.advance(2 * DAY);
    expect(await textIn(app, smsFields(PHONE, "it still hasn't arrived"))).toEqual([`Acme: We have reopened ${ticket.ref} and our team will be in touch.`]);
    expect((await app.tickets.get(ticket.ref))?.status).toBe('open');

    await postEvent(app, ticket.ref, { status: 'resolved' });
    clock.advance(8 * DAY);
    const [opened, ...more] = await textIn(app, smsFields(PHONE, 'still nothing'));
    expect(more).toEqual([]);
    const newRef = /\b(CS-[A-Z0-9]+)\b/.exec(opened)?.[1];
    expect(newRef).toBeDefined();
    expect(newRef).not.toBe(ticket.ref);
    expect(opened).toBe(`Acme: Thanks, we have opened a new ticket, ${newRef}, for your message. Our team will be in touch.`);
    expect((await app.tickets.get(newRef!))?.contact?.phone).toBe(PHONE);
    expect((await answersOnTranscript(app, newRef!)).map((line) => line.text)).toEqual([opened]);
  });

  it('a thanks or an ordinary update is not answered (the team replies to those); a withdrawal on the same ticket is', async () => {
    const { app, ticket } = await customerWithTicket();
    await postEvent(app, ticket.ref, { status: 'waiting_on_customer' });
    expect(await textIn(app, smsFields(PHONE, 'thanks!'))).toEqual([]);
    expect(await textIn(app, smsFields(PHONE, 'The parcel is at the wrong address'))).toEqual([]);
    expect(await answersOnTranscript(app, ticket.ref)).toEqual([]);
    expect(await textIn(app, smsFields(PHONE, 'Found it, you can close it'))).toHaveLength(1);
  });
});
