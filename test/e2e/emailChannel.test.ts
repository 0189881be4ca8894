/**
 * The support mailbox through Azure Bot Service's Email channel: real HTTP into /api/messages with activities
 * shaped like test/fixtures/azure/email-channel-message.json, a loopback channel recording the reply mails,
 * the real store, a local SMTP sink that must stay empty for tickets the thread itself can reach.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { DAY, type ManualClock } from '../../services/clock';
import { signedIn } from '../agents/agentClient';
import { auditActions, followUpOf, postEvent, startFollowUpApp, startSmtpSink } from '../followUps/support';
import { FakeChannel } from '../support/fakeChannel';
import { fixture } from '../support/fixtures';
import { MAIL_SENDER as SENDER, MailThread, REF, replyQuoting } from '../support/mailThread';

describe('the support mailbox (Azure Bot Service Email channel)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(): Promise<{ app: App; channel: FakeChannel; smtp: Awaited<ReturnType<typeof startSmtpSink>>; thread: MailThread }> {
    const smtp = await startSmtpSink();
    const { app } = await startFollowUpApp({ SMTP_URL: smtp.url });
    const channel = await new FakeChannel('email').start(`${app.url}/api/messages`);
    cleanups.push(smtp.stop, () => channel.stop(), () => app.close());
    return { app, channel, smtp, thread: new MailThread(channel) };
  }

  async function firstMailWithoutOrder(thread: MailThread) {
    const [reply] = await thread.send(thread.mail('Hello,\n\nThe kettle I bought arrived with a cracked base and it leaks everywhere.\n\nPriya', { subject: 'Leaking kettle' }));
    return { reply, ref: REF.exec(reply.text ?? '')![1] };
  }

  it('when a customer first e-mails the support address, then exactly one reply mail quotes the new ticket, which holds the mail without its quoted history or signature, the sender as consented e-mail contact, and the order number', async () => {
    const { app, thread } = await setup();
    const mail = fixture('azure/email-channel-message.json');
    const replies = await thread.send(thread.mail(mail.text, { attachments: mail.attachments }));

    expect(replies).toHaveLength(1);
    const ref = REF.exec(replies[0].text ?? '')![1];
    expect(replies[0].text).toContain('answer you here, in this e-mail thread');
    expect(replies[0].text).not.toMatch(/order number \(it looks like/);
    expect(replies[0].text).not.toContain('**');
    expect(replies[0].suggestedActions).toBeUndefined();
    expect((replies[0].channelData as { htmlBody: string }).htmlBody).toContain(`<strong>${ref}</strong>`);

    const ticket = await app.tickets.require(ref);
    expect(ticket).toMatchObject({ source: 'email', channelId: 'email', orderNumber: 'AB-2024117', customer: { channelId: 'email', userId: SENDER } });
    expect(ticket.contact).toEqual({ email: SENDER, phone: '+447911123456', preferred: 'email', consent: true });
    expect(ticket.description).toBe(
      'Cracked kettle in order AB-2024117\n\nHello,\n\nMy order AB-2024117 arrived yesterday but the kettle inside is cracked and leaks when I fill it. The box looked fine, so it must have happened before packing.\n\nCould you send a replacement?\n\nThanks,\nPriya',
    );
    expect(ticket.conversation).toMatchObject({ channelId: 'email', conversationId: thread.conversationId, serviceUrl: thread.channel.url });
    // The mail's file is kept with the customer's line; the bot's line is the one reply that went out.
    const lines = await app.transcripts.forTicket(ref);
    expect(lines.filter((line) => line.direction === 'in')[0].files).toEqual([{ contentType: 'image/jpeg', name: 'cracked-kettle.jpg', url: mail.attachments[0].contentUrl }]);
    expect(lines.filter((line) => line.direction === 'out').map((line) => line.text)).toEqual([replies[0].text]);
  });

  it('when a mail comes with an HTML body only, then its words are read from the HTML, without the quoted history or signature', async () => {
    const { app, thread } = await setup();
    const mail = fixture('azure/email-channel-message.json');
    const [reply] = await thread.send(thread.mail('', { htmlBody: mail.channelData.htmlBody }));
    const ticket = await app.tickets.require(REF.exec(reply.text ?? '')![1]);
    expect(ticket.description).toBe(
      'Cracked kettle in order AB-2024117\n\nHello,\n\nMy order AB-2024117 arrived yesterday but the kettle inside is cracked and leaks when I fill it. The box looked fine, so it must have happened before packing.\n\nCould you send a replacement?\n\nThanks,\nPriya',
    );
    expect(ticket.contact?.phone).toBe('+447911123456');
  });

  it('when the first mail has no order number, then the reply asks for it, and the customer\'s reply in the thread fills it on the ticket', async () => {
    const { app, thread } = await setup();
    const { reply, ref } = await firstMailWithoutOrder(thread);
    expect(reply.text).toContain('please reply with it');
    expect((await app.tickets.require(ref)).orderNumber).toBeUndefined();

    const answers = await thread.send(thread.mail(replyQuoting('Sorry, it is AB-2024117.', reply.text ?? ''), { subject: 'RE: Leaking kettle' }));

    expect(answers).toHaveLength(1);
    expect(answers[0].text).toContain(ref);
    const ticket = await app.tickets.require(ref);
    expect(ticket.orderNumber).toBe('AB-2024117');
    expect(await app.tickets.listForCustomer({ channelId: 'email', userId: SENDER }, 10)).toHaveLength(1);
    const notes = (await app.tickets.audit.list(ref)).filter((event) => event.action === 'ticket.customer_update').map((event) => event.note);
    expect(notes).toEqual(['Sorry, it is AB-2024117.']);
  });

  it('when the customer replies "status" above the quoted thread, then one reply mail gives the ticket\'s status', async () => {
    const { thread } = await setup();
    const { reply, ref } = await firstMailWithoutOrder(thread);
    const answers = await thread.send(thread.mail(replyQuoting('status', reply.text ?? ''), { subject: 'RE: Leaking kettle' }));
    expect(answers).toHaveLength(1);
    expect(answers[0].text).toContain(`Ticket ${ref} is received, waiting for our team`);
  });

  it('when the customer replies "agent", then the ticket asks for a person and the answer is one mail', async () => {
    const { app, thread } = await setup();
    const { reply, ref } = await firstMailWithoutOrder(thread);
    const answers = await thread.send(thread.mail(replyQuoting('I want to speak to a person', reply.text ?? '')));
    expect(answers).toHaveLength(1);
    expect((await app.tickets.require(ref)).humanRequested).toBeDefined();
  });

  it('when the customer replies "stop", then follow-ups stop for the ticket and one mail says so', async () => {
    const { app, thread } = await setup();
    const { reply, ref } = await firstMailWithoutOrder(thread);
    const answers = await thread.send(thread.mail(replyQuoting('Stop', reply.text ?? '')));
    expect(answers).toHaveLength(1);
    expect(answers[0].text).toContain(ref);
    expect((await followUpOf(app, ref))?.optedOut).toBe(true);
  });

  it('when the channel delivers the same mail twice (same activity id), then there is one ticket and one reply mail', async () => {
    const { app, thread } = await setup();
    const mail = thread.mail('My order AB-2024117 never arrived.', { subject: 'Missing parcel' });
    expect(await thread.send(mail)).toHaveLength(1);
    expect(await thread.send(mail)).toHaveLength(0);
    expect(await app.tickets.listForCustomer({ channelId: 'email', userId: SENDER }, 10)).toHaveLength(1);
  });

  it('when the reply mail could not be sent and the channel redelivers the mail, then the redelivery is answered with the same ticket, not a second one', async () => {
    const { app, channel, thread } = await setup();
    const mail = thread.mail('My order AB-2024117 never arrived.', { subject: 'Missing parcel' });
    channel.failWith.set(thread.conversationId, 500);
    await channel.post(mail);
    expect(thread.replies()).toEqual([]);
    channel.failWith.delete(thread.conversationId);

    const replies = await thread.send(mail);
    expect(replies).toHaveLength(1);
    const [ticket] = await app.tickets.listForCustomer({ channelId: 'email', userId: SENDER }, 10);
    expect(replies[0].text).toContain(`ticket ${ticket.ref}`);
    expect(await app.db.collection('tickets').countDocuments({})).toBe(1);
    expect((await app.tickets.audit.list(ticket.ref)).map((event) => event.action)).not.toContain('ticket.customer_update');
  });

  it('when a mail carries only an attachment, then its ticket opens with the subject and the file is kept', async () => {
    const { app, thread } = await setup();
    const photo = { contentType: 'image/png', name: 'label.png', contentUrl: 'https://email.botframework.com/v3/attachments/bGFiZWw/views/original' };
    const replies = await thread.send(thread.mail('', { subject: 'Photo of the damaged label', attachments: [photo] }));
    expect(replies).toHaveLength(1);
    const ref = REF.exec(replies[0].text ?? '')![1];
    expect((await app.tickets.require(ref)).description).toBe('Photo of the damaged label');
    const [line] = (await app.transcripts.forTicket(ref)).filter((entry) => entry.direction === 'in');
    expect(line.files).toEqual([{ contentType: 'image/png', name: 'label.png', url: photo.contentUrl }]);
  });

  it('when a mail is 10,000 characters long, then it opens one ticket holding all of it and gets one reply', async () => {
    const { app, thread } = await setup();
    const paragraph = 'The parcel for order AB-2024117 was left in the rain and everything inside is soaked through. ';
    const body = paragraph.repeat(Math.ceil(10_000 / paragraph.length)).slice(0, 10_000).trim();
    const replies = await thread.send(thread.mail(body, { subject: 'Soaked parcel' }));
    expect(replies).toHaveLength(1);
    const ticket = await app.tickets.require(REF.exec(replies[0].text ?? '')![1]);
    expect(ticket.description).toBe(`Soaked parcel\n\n${body}`);
    expect(ticket.orderNumber).toBe('AB-2024117');
  });

  it('when a new thread from the same address is about another order, then it opens another ticket', async () => {
    const { app, channel, thread } = await setup();
    const [first] = await thread.send(thread.mail('Order AB-2024117 arrived broken.', { subject: 'Broken' }));
    const other = new MailThread(channel);
    const [second] = await other.send(other.mail('Order AB-2024999 never came.', { subject: 'Missing' }));
    const refs = [REF.exec(first.text ?? '')![1], REF.exec(second.text ?? '')![1]];
    expect(new Set(refs).size).toBe(2);
    expect((await app.tickets.require(refs[1])).orderNumber).toBe('AB-2024999');
  });

  it('when a reply in the thread is about another order, then it opens its own ticket by mail (not the chat\'s questions), and "help" explains the thread', async () => {
    const { app, thread } = await setup();
    const [first] = await thread.send(thread.mail('Order AB-2024117 arrived broken.', { subject: 'Broken' }));
    const ref = REF.exec(first.text ?? '')![1];
    const replies = await thread.send(thread.mail(replyQuoting('And order AB-2024999 never arrived at all.', first.text ?? ''), { subject: 'RE: Broken' }));
    expect(replies).toHaveLength(1);
    const second = REF.exec(replies[0].text ?? '')![1];
    expect(second).not.toBe(ref);
    expect(await app.tickets.require(second)).toMatchObject({ orderNumber: 'AB-2024999', source: 'email', contact: { email: SENDER, consent: true } });
    const help = await thread.send(thread.mail(replyQuoting('help', replies[0].text ?? '')));
    expect(help).toHaveLength(1);
    expect(help[0].text).toContain(`Your ticket is ${second}. Reply in this thread`);
  });

  it('when a new thread is about an order that already has an open ticket, then the mail goes onto that ticket instead of a second one', async () => {
    const { app, channel, thread } = await setup();
    const [first] = await thread.send(thread.mail('Order AB-2024117 arrived broken.', { subject: 'Broken' }));
    const ref = REF.exec(first.text ?? '')![1];
    const other = new MailThread(channel);
    const replies = await other.send(other.mail('Also, the AB-2024117 invoice is wrong.', { subject: 'Invoice' }));
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toContain(`You already have ticket ${ref} open for order AB-2024117`);
    expect(await app.tickets.listForCustomer({ channelId: 'email', userId: SENDER }, 10)).toHaveLength(1);
    expect((await app.tickets.audit.list(ref)).map((event) => event.note)).toContain('Invoice\n\nAlso, the AB-2024117 invoice is wrong.');
  });

  it('when an out-of-office answer or a bounce arrives, then it gets no reply (no mail loop) and opens no ticket', async () => {
    const { app, channel, thread } = await setup();
    const { ref } = await firstMailWithoutOrder(thread);
    expect(await thread.send(thread.mail('I am away until Monday.', { subject: 'Automatic reply: Leaking kettle' }))).toEqual([]);
    const daemon = new MailThread(channel, 'MAILER-DAEMON@mx.example.com');
    expect(await daemon.send(daemon.mail('Delivery to the following recipient failed.', { subject: 'Undeliverable: Leaking kettle' }))).toEqual([]);
    expect((await app.tickets.audit.list(ref)).map((event) => event.action)).not.toContain('ticket.customer_update');
    expect(await app.db.collection('tickets').countDocuments({})).toBe(1);
  });

  it('when the team changes the status, then the update reaches the thread once and nothing goes out by SMTP', async () => {
    const { app, thread, smtp } = await setup();
    const { ref } = await firstMailWithoutOrder(thread);
    const before = thread.replies().length;
    expect((await postEvent(app, ref, { status: 'in_progress', publicNote: 'We have asked the courier.' })).status).toBe(200);
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 0 });

    const updates = thread.replies().slice(before);
    expect(updates).toHaveLength(1);
    expect(updates[0].text).toContain(`Update on your ticket ${ref}`);
    expect((updates[0].channelData as { htmlBody?: string }).htmlBody).toContain('We have asked the courier.');
    expect(smtp.mails).toEqual([]);
    expect((await auditActions(app, ref)).filter((event) => event.action === 'followup.sent')).toEqual([{ action: 'followup.sent', after: { seq: 1, route: 'dm', kind: 'update' } }]);
  });

  it('when the customer last wrote days ago, then an update still goes into the thread (e-mail has no 24-hour window), not by SMTP', async () => {
    const { app, thread, smtp } = await setup();
    const { ref } = await firstMailWithoutOrder(thread);
    (app.clock as ManualClock).advance(3 * DAY);
    const before = thread.replies().length;
    await postEvent(app, ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(thread.replies().slice(before).map((mail) => mail.text)).toEqual([expect.stringContaining(`Update on your ticket ${ref}`)]);
    expect(smtp.mails).toEqual([]);
  });

  it('when the ticket is resolved, then the satisfaction question\'s buttons become a "Reply with" line, and a rating written above the quoted mail is recorded', async () => {
    const { app, thread, smtp } = await setup();
    const { ref } = await firstMailWithoutOrder(thread);
    await postEvent(app, ref, { status: 'resolved', publicNote: 'We sent a new kettle.' });
    await app.followUps.sweepOnce();

    const question = thread.replies().at(-1)!;
    expect(question.suggestedActions).toBeUndefined();
    expect(question.text).toMatch(/from 1 \(poor\) to 5 \(great\)/);
    expect(question.text).toContain('Reply with: "1" or "2" or "3" or "4" or "5"');
    const thanks = await thread.send(thread.mail(replyQuoting('5', question.text ?? ''), { subject: 'RE: Leaking kettle' }));
    expect(thanks).toHaveLength(1);
    expect(thanks[0].text).toContain('recorded your rating');
    expect(await auditActions(app, ref)).toContainEqual({ action: 'followup.csat_answered', after: { score: 5 } });
    expect(smtp.mails).toEqual([]);
  });

  it('when an agent replies from the console, then the reply reaches the thread as a mail', async () => {
    const { app, thread } = await setup();
    const { ref } = await firstMailWithoutOrder(thread);
    const asha = await signedIn(app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    const before = thread.replies().length;
    expect(await asha.json('POST', `/api/agent/tickets/${ref}/messages`, { text: 'Hi Priya, a new kettle is on its way today.', clientMessageId: 'm-1' })).toEqual({ sent: true });
    const sent = thread.replies().slice(before);
    expect(sent.map((mail) => mail.text)).toEqual(['Hi Priya, a new kettle is on its way today.']);
    expect((sent[0].channelData as { htmlBody?: string }).htmlBody).toContain('a new kettle is on its way today.');
  });
});
