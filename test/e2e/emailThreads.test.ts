/**
 * Several mail threads from one customer through Azure Bot Service's Email channel: each thread is its own
 * ticket's (the channel's conversation id is Outlook's thread id), the subject carries the ticket's reference,
 * and what a later mail says about the customer lands on the right ticket. Real HTTP, real store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { HOUR, type ManualClock } from '../../services/clock';
import { signedIn } from '../agents/agentClient';
import { followUpOf, postEvent, startFollowUpApp, startSmtpSink } from '../followUps/support';
import { FakeChannel } from '../support/fakeChannel';
import { MAIL_SENDER, MailThread, refOf, replyQuoting, subjectOf } from '../support/mailThread';

describe('mail threads and their tickets (Azure Bot Service Email channel)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(): Promise<{ app: App; channel: FakeChannel; clock: ManualClock }> {
    const smtp = await startSmtpSink();
    const { app, clock } = await startFollowUpApp({ SMTP_URL: smtp.url });
    const channel = await new FakeChannel('email').start(`${app.url}/api/messages`);
    cleanups.push(smtp.stop, () => channel.stop(), () => app.close());
    return { app, channel, clock };
  }

  /** Two threads from the same sender, each about its own order: two tickets. */
  async function twoThreads(channel: FakeChannel) {
    const first = new MailThread(channel);
    const [firstReply] = await first.send(first.mail('Order AB-2024117 arrived with a cracked kettle.', { subject: 'Cracked kettle' }));
    const second = new MailThread(channel);
    const [secondReply] = await second.send(second.mail('Order AB-2024999 never arrived.', { subject: 'Missing parcel' }));
    return { first, second, firstRef: refOf(firstReply), secondRef: refOf(secondReply), secondReply };
  }

  async function customerUpdates(app: App, ref: string): Promise<string[]> {
    return (await app.tickets.audit.list(ref)).filter((event) => event.action === 'ticket.customer_update').map((event) => event.note ?? '');
  }

  it('when the second thread\'s ticket was resolved and the customer replies there, then that ticket reopens and the answer stays in the second thread, not on the first thread\'s ticket', async () => {
    const { app, channel } = await setup();
    const { first, second, firstRef, secondRef, secondReply } = await twoThreads(channel);
    await postEvent(app, secondRef, { status: 'resolved' });
    const firstBefore = first.replies().length;

    const answers = await second.send(second.mail(replyQuoting('It still has not arrived, the tracking page shows nothing.', secondReply.text ?? ''), { subject: 'RE: Missing parcel' }));

    expect(answers).toHaveLength(1);
    expect(answers[0].text).toContain(secondRef);
    expect(answers[0].text).not.toContain(firstRef);
    expect((await app.tickets.require(secondRef)).status).toBe('open');
    expect(await customerUpdates(app, firstRef)).toEqual([]);
    expect(first.replies().length).toBe(firstBefore);
  });

  it('when both threads\' tickets were resolved and surveyed, then a score mailed in the first thread rates the first ticket, not the newer survey of the second', async () => {
    const { app, channel, clock } = await setup();
    const { first, firstRef, secondRef } = await twoThreads(channel);
    await postEvent(app, firstRef, { status: 'resolved' });
    await app.followUps.sweepOnce();
    clock.advance(HOUR);
    await postEvent(app, secondRef, { status: 'resolved' });
    await app.followUps.sweepOnce();
    const asked = async (ref: string) => (await followUpOf(app, ref))?.csat?.askedAt;
    expect(await asked(firstRef)).toBeDefined();
    expect(await asked(secondRef)).toBeDefined();

    await first.send(first.mail('5', { subject: 'RE: Cracked kettle' }));

    const scoreOf = async (ref: string) => (await followUpOf(app, ref))?.csat?.score;
    expect(await scoreOf(firstRef)).toBe(5);
    expect(await scoreOf(secondRef)).toBeUndefined();
  });

  it('when the customer asks for a person in the second thread after its ticket was resolved, then the second ticket gets the person and the agent\'s reply and the team\'s updates reach the second thread', async () => {
    const { app, channel } = await setup();
    const { first, second, firstRef, secondRef, secondReply } = await twoThreads(channel);
    await postEvent(app, secondRef, { status: 'resolved' });
    const firstBefore = first.replies().length;

    const answers = await second.send(second.mail(replyQuoting('I want to speak to a person', secondReply.text ?? ''), { subject: 'RE: Missing parcel' }));
    expect(answers).toHaveLength(1);
    expect((await app.tickets.require(secondRef)).humanRequested).toBeDefined();
    expect((await app.tickets.require(firstRef)).humanRequested).toBeUndefined();

    const asha = await signedIn(app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${secondRef}/takeover`, {});
    const secondBefore = second.replies().length;
    expect(await asha.json('POST', `/api/agent/tickets/${secondRef}/messages`, { text: 'Hi Priya, the courier has found your parcel.', clientMessageId: 'm-1' })).toEqual({ sent: true });
    await postEvent(app, firstRef, { status: 'in_progress', publicNote: 'A new kettle is on its way.' });
    await app.followUps.sweepOnce();

    const inSecond = second.replies().slice(secondBefore).map((mail) => mail.text ?? '');
    expect(inSecond).toContain('Hi Priya, the courier has found your parcel.');
    expect(inSecond.join('\n')).not.toContain(firstRef);
    const inFirst = first.replies().slice(firstBefore).map((mail) => mail.text ?? '');
    expect(inFirst).toEqual([expect.stringContaining(`Update on your ticket ${firstRef}`)]);
    expect((await app.tickets.require(firstRef)).conversation?.conversationId).toBe(first.conversationId);
    expect((await app.tickets.require(secondRef)).conversation?.conversationId).toBe(second.conversationId);
  });

  it('when a new thread names the order of a ticket that waits on the customer, then the mail goes onto that ticket (audit and transcript), the ticket goes back to the team, and the answer quotes its reference', async () => {
    const { app, channel } = await setup();
    const first = new MailThread(channel);
    const ref = refOf((await first.send(first.mail('Order AB-2024117 arrived with a cracked kettle.', { subject: 'Cracked kettle' })))[0]);
    await postEvent(app, ref, { status: 'waiting_on_customer', publicNote: 'Could you send a photo of the base?' });

    const other = new MailThread(channel);
    const mail = other.mail('Here is the photo of the AB-2024117 kettle base you asked for.', { subject: 'Photo for you' });
    const answers = await other.send(mail);

    expect(answers).toHaveLength(1);
    expect(answers[0].text).toContain(`You already have ticket ${ref} open for order AB-2024117`);
    expect(await app.tickets.listForCustomer({ channelId: 'email', userId: MAIL_SENDER }, 10)).toHaveLength(1);
    expect((await app.tickets.require(ref)).status).toBe('in_progress');
    expect(await customerUpdates(app, ref)).toEqual(['Photo for you\n\nHere is the photo of the AB-2024117 kettle base you asked for.']);
    const lines = await app.transcripts.forTicket(ref);
    expect(lines.filter((line) => line.direction === 'in' && line.conversationId === other.conversationId).map((line) => line.activityId)).toEqual([mail.id]);
    // The first thread keeps its ticket: the ticket's updates still go there.
    expect((await app.tickets.require(ref)).conversation?.conversationId).toBe(first.conversationId);
  });

  it('when the same sender writes a new thread with their address in other letter case, then a mail about the same order still goes onto their ticket', async () => {
    const { app, channel } = await setup();
    const first = new MailThread(channel);
    const ref = refOf((await first.send(first.mail('Order AB-2024117 arrived with a cracked kettle.', { subject: 'Cracked kettle' })))[0]);
    const other = new MailThread(channel, 'Priya.Raman@Example.com');
    const answers = await other.send(other.mail('The base of the AB-2024117 kettle is cracked too.', { subject: 'Kettle' }));
    expect(answers[0].text).toContain(`You already have ticket ${ref} open for order AB-2024117`);
    expect(await app.db.collection('tickets').countDocuments({})).toBe(1);
  });

  it('when the customer writes, then the reply mail\'s subject is "Re: <their subject> [reference]", and later updates and agent replies carry it too', async () => {
    const { app, channel } = await setup();
    const thread = new MailThread(channel);
    const [reply] = await thread.send(thread.mail('The kettle I bought leaks everywhere.', { subject: 'Leaking kettle' }));
    const ref = refOf(reply);
    expect(subjectOf(reply)).toBe(`Re: Leaking kettle [${ref}]`);

    const [answer] = await thread.send(thread.mail(replyQuoting('It is order AB-2024117.', reply.text ?? ''), { subject: `RE: Re: Leaking kettle [${ref}]` }));
    expect(subjectOf(answer)).toBe(`Re: Leaking kettle [${ref}]`);

    const before = thread.replies().length;
    await postEvent(app, ref, { status: 'in_progress', publicNote: 'We have asked the courier.' });
    await app.followUps.sweepOnce();
    const asha = await signedIn(app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    await asha.json('POST', `/api/agent/tickets/${ref}/messages`, { text: 'Hi Priya, a new kettle is on its way.', clientMessageId: 'm-1' });
    const later = thread.replies().slice(before);
    expect(later.length).toBeGreaterThanOrEqual(2);
    expect(later.map(subjectOf)).toEqual(later.map(() => `Re: Leaking kettle [${ref}]`));
  });

  it('when a mail in a new thread carries the customer\'s own reference in the subject, then it goes onto that ticket; someone else\'s reference is not honoured', async () => {
    const { app, channel } = await setup();
    const first = new MailThread(channel);
    const ref = refOf((await first.send(first.mail('The kettle I bought leaks everywhere.', { subject: 'Leaking kettle' })))[0]);

    const again = new MailThread(channel);
    const answers = await again.send(again.mail('Can you also check the lid? It does not close.', { subject: `Re: Leaking kettle [${ref}]` }));
    expect(answers).toHaveLength(1);
    expect(answers[0].text).toContain(ref);
    expect(subjectOf(answers[0])).toBe(`Re: Leaking kettle [${ref}]`);
    expect(await customerUpdates(app, ref)).toEqual(['Can you also check the lid? It does not close.']);
    expect(await app.tickets.listForCustomer({ channelId: 'email', userId: MAIL_SENDER }, 10)).toHaveLength(1);

    const stranger = new MailThread(channel, 'jane.doe@example.net');
    const [strangerReply] = await stranger.send(stranger.mail('My toaster sparks when I switch it on.', { subject: `Sparking toaster [${ref}]` }));
    const strangerRef = refOf(strangerReply);
    expect(strangerRef).not.toBe(ref);
    expect(strangerReply.text).not.toContain(ref);
    expect(subjectOf(strangerReply)).toBe(`Re: Sparking toaster [${strangerRef}]`);
    expect(await customerUpdates(app, ref)).toHaveLength(1);
  });

  it('when a ticket opens from a mail, then it keeps the subject without reply prefixes', async () => {
    const { app, channel } = await setup();
    const thread = new MailThread(channel);
    const ref = refOf((await thread.send(thread.mail('The kettle I bought leaks everywhere.', { subject: 'FW: Leaking kettle' })))[0]);
    expect((await app.tickets.require(ref)).subject).toBe('Leaking kettle');
  });

  it('when a later mail asks "please use my work address instead", then the contact e-mail changes with an audit entry, and a phone in a later mail fills the missing phone', async () => {
    const { app, channel } = await setup();
    const thread = new MailThread(channel);
    const [reply] = await thread.send(thread.mail('Order AB-2024117: the kettle I bought leaks everywhere.', { subject: 'Leaking kettle' }));
    const ref = refOf(reply);
    expect((await app.tickets.require(ref)).contact).toEqual({ email: MAIL_SENDER, preferred: 'email', consent: true });

    await thread.send(thread.mail(replyQuoting('Please use my work address instead: jane@work.example', reply.text ?? ''), { subject: 'RE: Leaking kettle' }));
    await thread.send(thread.mail(replyQuoting('You can also call me on 07911 123456 if that is easier.', reply.text ?? ''), { subject: 'RE: Leaking kettle' }));

    expect((await app.tickets.require(ref)).contact).toEqual({ email: 'jane@work.example', phone: '+447911123456', preferred: 'email', consent: true });
    const changed = (await app.tickets.audit.list(ref)).filter((event) => event.action === 'ticket.details_changed');
    expect(changed.map((event) => (event.after as { contact: { email: string } }).contact.email)).toEqual(['jane@work.example']);
    expect((await app.tickets.audit.list(ref)).some((event) => event.action === 'ticket.details_filled')).toBe(true);
  });

  it('when another address appears only in a forwarded mail or in a quoted signature, then the contact e-mail stays', async () => {
    const { app, channel } = await setup();
    const thread = new MailThread(channel);
    const [reply] = await thread.send(thread.mail('Order AB-2024117: the kettle I bought leaks everywhere.', { subject: 'Leaking kettle' }));
    const ref = refOf(reply);
    const forward = 'This is what the courier wrote.\r\n\r\n---------- Forwarded message ---------\r\nFrom: Courier <noreply@courier.example>\r\n\r\nPlease use claims@courier.example instead of replying to this mail.\r\n';
    await thread.send(thread.mail(forward, { subject: 'Fwd: Your delivery' }));
    const quoted = `Any news?\r\n\r\nOn Mon, 2 Mar 2026 at 10:00, Sam <sam@example.org> wrote:\r\n> Please use my new address instead: sam.new@example.org\r\n`;
    await thread.send(thread.mail(quoted, { subject: 'RE: Leaking kettle' }));
    expect((await app.tickets.require(ref)).contact?.email).toBe(MAIL_SENDER);
  });

  it('when a vacation responder answers in the thread with the original subject, then it gets no reply and adds nothing; a customer who mentions being away is still answered', async () => {
    const { app, channel } = await setup();
    const thread = new MailThread(channel);
    const [reply] = await thread.send(thread.mail('The kettle I bought leaks everywhere.', { subject: 'Leaking kettle' }));
    const ref = refOf(reply);
    const subject = subjectOf(reply);

    expect(await thread.send(thread.mail('I am currently out of the office until 10 March with limited access to email. I will reply when I return.', { subject }))).toEqual([]);
    expect(await thread.send(thread.mail("Hi, I'm away until Monday 9 March. For urgent matters please contact my colleague.", { subject }))).toEqual([]);
    expect(await thread.send(thread.mail('Vielen Dank für Ihre Nachricht. Ich bin bis zum 14. März nicht im Büro. In dringenden Fällen wenden Sie sich bitte an meine Kollegin.', { subject }))).toEqual([]);
    expect(await customerUpdates(app, ref)).toEqual([]);

    const answered = await thread.send(thread.mail('I was away when the parcel came, so my neighbour took it in. The kettle still leaks.', { subject }));
    expect(answered).toHaveLength(1);
    expect(await customerUpdates(app, ref)).toEqual(['I was away when the parcel came, so my neighbour took it in. The kettle still leaks.']);
  });
});
