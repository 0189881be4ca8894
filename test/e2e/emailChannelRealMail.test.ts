/**
 * The support mailbox with the mails customers really send (bottom-posted and interleaved replies, other
 * languages' quote lines and auto-replies, HTML-only mails with tables, forwards, "Thanks!"): real HTTP into
 * /api/messages shaped like test/fixtures/azure/email-channel-message.json, the real store.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { startFollowUpApp } from '../followUps/support';
import { type BotActivity, FakeChannel } from '../support/fakeChannel';
import { fixture } from '../support/fixtures';

const REF = /\b(CS-[A-Z0-9]{6})\b/;
const SENDER = 'priya.raman@example.com';

class Thread {
  readonly conversationId = `AAQkADk0ZjQ1NzE0${randomUUID().replace(/-/g, '')}=`;

  constructor(
    readonly channel: FakeChannel,
    readonly from = SENDER,
  ) {}

  mail(text: string, fields: { subject?: string; htmlBody?: string } = {}): Record<string, unknown> {
    const base = fixture('azure/email-channel-message.json');
    return {
      ...base,
      id: `AAMkAD${randomUUID().replace(/-/g, '')}=`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.channel.url,
      from: { id: this.from, name: 'Priya Raman' },
      conversation: { isGroup: false, id: this.conversationId },
      text,
      attachments: [],
      channelData: { ...base.channelData, subject: fields.subject ?? 'Leaking kettle', htmlBody: fields.htmlBody ?? '' },
    };
  }

  async send(activity: Record<string, unknown>): Promise<BotActivity[]> {
    const before = this.channel.messagesFor(this.conversationId).length;
    const { status, body } = await this.channel.post(activity);
    if (status >= 300) throw new Error(`bot answered ${status}: ${body}`);
    return this.channel.messagesFor(this.conversationId).slice(before);
  }
}

/** Every line of our mail behind "> ", as mail programs quote. */
const quote = (text: string) => text.split('\n').map((line) => `> ${line}`).join('\r\n');
const updatesOn = async (app: App, ref: string) => (await app.tickets.audit.list(ref)).filter((event) => event.action === 'ticket.customer_update').map((event) => event.note);

describe('the support mailbox with real customers\' mails', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(): Promise<{ app: App; channel: FakeChannel; thread: Thread }> {
    const { app } = await startFollowUpApp();
    const channel = await new FakeChannel('email').start(`${app.url}/api/messages`);
    cleanups.push(() => channel.stop(), () => app.close());
    return { app, channel, thread: new Thread(channel) };
  }

  async function opened(thread: Thread): Promise<{ ours: string; ref: string }> {
    const [reply] = await thread.send(thread.mail('My kettle from order AB-2024117 leaks.'));
    return { ours: reply.text ?? '', ref: REF.exec(reply.text ?? '')![1] };
  }

  it('when the customer writes below the quoted mail (bottom-posting), then their words go onto the ticket and one mail answers', async () => {
    const { app, thread } = await setup();
    const { ours, ref } = await opened(thread);
    const replies = await thread.send(thread.mail(`On Mon, 2 Mar 2026 at 10:00, Acme Support <support@acme.example> wrote:\r\n${quote(ours)}\r\n\r\nThe replacement leaks too.\r\n\r\n-- \r\nPriya`, { subject: 'Re: Re: FW: Leaking kettle' }));
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toContain(ref);
    expect(await updatesOn(app, ref)).toEqual(['The replacement leaks too.']);
  });

  it('when the customer answers between the quoted lines, then each answer goes onto the ticket without the quoted questions', async () => {
    const { app, thread } = await setup();
    const { ref } = await opened(thread);
    await thread.send(thread.mail('On Mon, 2 Mar 2026, Acme Support <support@acme.example> wrote:\n> Did you descale it?\n\nYes, twice.\n\n> Which model is it?\n\nThe KT-200.\n', { subject: 'RE: Leaking kettle' }));
    expect(await updatesOn(app, ref)).toEqual(['Yes, twice.\n\nThe KT-200.']);
  });

  it.each([
    ['German', 'Es leckt immer noch.', 'Am Mo., 2. März 2026 um 10:00 Uhr schrieb Acme Support <support@acme.example>:'],
    ['Spanish', 'Sigue goteando.', 'El lun, 2 mar 2026 a las 10:00, Acme Support (<support@acme.example>) escribió:'],
  ])('when a %s reply quotes our mail under its own quote line, then only the new words go onto the ticket', async (_language, words, attribution) => {
    const { app, thread } = await setup();
    const { ours, ref } = await opened(thread);
    await thread.send(thread.mail(`${words}\r\n\r\n${attribution}\r\n\r\n${quote(ours)}`, { subject: 'AW: Leaking kettle' }));
    expect(await updatesOn(app, ref)).toEqual([words]);
  });

  it.each([
    ['Automatische Antwort: Leaking kettle', 'Ich bin bis Montag nicht im Büro.'],
    ['Respuesta automática: Leaking kettle', 'Estoy fuera de la oficina hasta el lunes.'],
  ])('when an auto-reply "%s" comes back, then it gets no mail (no loop) and does not go onto the ticket', async (subject, text) => {
    const { app, thread } = await setup();
    const { ref } = await opened(thread);
    expect(await thread.send(thread.mail(text, { subject }))).toEqual([]);
    expect(await updatesOn(app, ref)).toEqual([]);
  });

  it('when a mail comes as HTML only, with the order number in a table and accented letters as entities, then the ticket has the order number and readable words', async () => {
    const { app, thread } = await setup();
    const html = '<html><body><p>Der Artikel ist kaputt &ndash; die T&uuml;r klemmt&nbsp;&amp; quietscht.</p><table><tr><td>Bestellnummer</td><td>AB-2024666</td></tr><tr><th>Artikel</th><td>Wasserkocher</td></tr></table><img src="cid:image001.png@01DA"></body></html>';
    const [reply] = await thread.send(thread.mail('', { subject: 'Defekt', htmlBody: html }));
    const ticket = await app.tickets.require(REF.exec(reply.text ?? '')![1]);
    expect(ticket.orderNumber).toBe('AB-2024666');
    expect(ticket.description).toBe('Defekt\n\nDer Artikel ist kaputt – die Tür klemmt & quietscht.\nBestellnummer\tAB-2024666\nArtikel\tWasserkocher');
    expect(reply.text).not.toContain('please reply with it');
  });

  it('when the customer forwards the order confirmation with a line of their own, then the ticket keeps the forwarded mail and its order number', async () => {
    const { app, thread } = await setup();
    const forwarded = '---------- Forwarded message ---------\nFrom: Acme Orders <orders@acme.example>\nDate: Sun, 1 Mar 2026 at 18:04\nSubject: Your order is confirmed\n\nThank you! Your order AB-2024555 (1 × kettle KT-200) is confirmed.';
    const [reply] = await thread.send(thread.mail(`This never arrived, see below.\n\n${forwarded}\n`, { subject: 'Fwd: Your order is confirmed' }));
    const ticket = await app.tickets.require(REF.exec(reply.text ?? '')![1]);
    expect(ticket.orderNumber).toBe('AB-2024555');
    expect(ticket.description).toBe(`Your order is confirmed\n\nThis never arrived, see below.\n\n${forwarded}`);
  });

  it('when the customer only says "Thanks!" in the thread, then no mail goes back and nothing is added to the ticket, but the transcript keeps it', async () => {
    const { app, thread } = await setup();
    const { ours, ref } = await opened(thread);
    expect(await thread.send(thread.mail(`Thanks!\r\n\r\nOn Mon, 2 Mar 2026 at 10:00, Acme Support <support@acme.example> wrote:\r\n${quote(ours)}`, { subject: 'Re: Leaking kettle' }))).toEqual([]);
    expect(await updatesOn(app, ref)).toEqual([]);
    const lines = await app.transcripts.forConversation(thread.conversationId);
    expect(lines.filter((line) => line.direction === 'in').map((line) => line.text)).toContain('Thanks!');
  });

  it('when a new thread is only "Thanks!" in reply to some other mail, then no ticket opens and no mail goes back', async () => {
    const { app, thread } = await setup();
    expect(await thread.send(thread.mail('Thanks!', { subject: 'Re: Your order has shipped' }))).toEqual([]);
    expect(await app.db.collection('tickets').countDocuments({})).toBe(0);
  });
});
