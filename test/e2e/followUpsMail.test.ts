import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import type { OutboxRow } from '../../services/followUps/types';
import type { ContactDetails } from '../../services/tickets/types';
import { FakeChannel } from '../support/fakeChannel';
import { startFakeSmsProvider } from '../followUps/fakeSmsProvider';
import { auditActions, openTicketFor, postEvent, startFollowUpApp, startSmtpSink } from '../followUps/support';

const PHONE = '+447700900123';
const EMAIL = 'priya.r@example.com';

/** A TCP server that takes connections and never says a word (no 220 greeting). */
async function startSilentServer(): Promise<{ url: string; connections: () => number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections: () => count,
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A real SMTP server that reads the whole message after DATA and then never answers it. */
async function startSilentAfterData(): Promise<{ url: string; received: string[]; stop(): Promise<void> }> {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => received.push(Buffer.concat(chunks).toString('utf8'))); // no callback: no 250, ever
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('follow-up e-mails over real SMTP (loopback servers)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A Messenger customer whose 24 h window has closed, with these contact details, and a status change due. */
  async function closedMessengerWindow(smtpUrl: string, contact: ContactDetails, env: Record<string, string> = {}) {
    const sms = await startFakeSmsProvider();
    const { app, clock } = await startFollowUpApp({ SMTP_URL: smtpUrl, ...sms.env, ...env });
    const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
    cleanups.push(sms.stop, () => channel.stop(), () => app.close());
    const ticket = await openTicketFor(app, channel, channel.user(), contact);
    clock.advance(25 * HOUR);
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    const outbox = () => app.db.collection<OutboxRow>('followUpOutbox').find({ ticketRef: ticket.ref });
    return { app, sms, ref: ticket.ref, outbox };
  }

  it('when the mail server accepts the connection but never greets, then the e-mail counts as failed (not sent) and, with no patience set for the preferred route, the follow-up falls back to SMS', async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.stop);
    const { app, sms, ref, outbox } = await closedMessengerWindow(
      silent.url,
      { email: EMAIL, phone: PHONE, preferred: 'email', consent: true },
      // With patience (the default) the e-mail is tried again first: test/e2e/followUpsRoutePatience.test.ts.
      { FOLLOW_UP_SEND_TIMEOUT_MS: '300', FOLLOW_UP_NEWS_ROUTE_PATIENCE_MINUTES: '0' },
    );
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });

    expect(silent.connections()).toBeGreaterThan(0);
    expect(sms.delivered).toHaveLength(1);
    expect(sms.delivered[0].body).toContain(ref);
    const actions = await auditActions(app, ref);
    const emailFailures = actions.filter((event) => event.action === 'followup.attempt_failed' && (event.after as { route?: string }).route === 'email');
    expect(emailFailures.length).toBeGreaterThan(0);
    for (const failure of emailFailures) expect(failure.after).toMatchObject({ route: 'email', error: 'transient' });
    expect(actions.filter((event) => event.action === 'followup.sent')).toEqual([{ action: 'followup.sent', after: { seq: 1, route: 'sms', kind: 'update' } }]);
    expect(await outbox()).toMatchObject([{ state: 'sent', route: 'sms' }]);
  });

  it('when the mail server never greets and there is no other route, then the message waits for a later sweep instead of being marked sent', async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.stop);
    const { app, ref, outbox } = await closedMessengerWindow(silent.url, { email: EMAIL, consent: true }, { FOLLOW_UP_SEND_TIMEOUT_MS: '300' });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 0, deferred: 1 });
    expect(await outbox()).toMatchObject([{ state: 'pending', rounds: 1 }]);
    expect((await auditActions(app, ref)).map((event) => event.action)).not.toContain('followup.sent');
  });

  it('when the mail server takes the message data and never answers, then the outcome is unknown: it is not resent and no SMS follows', async () => {
    const smtp = await startSilentAfterData();
    cleanups.push(smtp.stop);
    const { app, sms, ref, outbox } = await closedMessengerWindow(smtp.url, { email: EMAIL, phone: PHONE, preferred: 'email', consent: true }, { FOLLOW_UP_SEND_TIMEOUT_MS: '300' });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });

    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toContain(ref);
    expect(sms.requests).toEqual([]);
    const actions = await auditActions(app, ref);
    expect(actions).toContainEqual({ action: 'followup.attempt_failed', after: { seq: 1, route: 'email', attempt: 1, error: 'timeout' } });
    expect(actions).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'email', kind: 'update', unconfirmed: true } });
    expect(await outbox()).toMatchObject([{ state: 'sent', route: 'email' }]);
    await app.followUps.sweepOnce();
    expect(smtp.received).toHaveLength(1);
  });

  it('gives each follow-up e-mail a valid Message-ID made from the ticket reference and sequence', async () => {
    const smtp = await startSmtpSink();
    cleanups.push(smtp.stop);
    const { app, ref } = await closedMessengerWindow(smtp.url, { email: EMAIL, consent: true });
    await app.followUps.sweepOnce();
    await postEvent(app, ref, { publicNote: 'The courier has your parcel again.' });
    await app.followUps.sweepOnce();

    expect(smtp.mails).toHaveLength(2);
    const ids = smtp.mails.map((mail) => /^Message-ID: (.*)$/im.exec(mail.raw)?.[1]?.trim());
    expect(ids).toEqual([`<${ref}.1@acme.example>`, `<${ref}.2@acme.example>`]);
    // RFC 5322 msg-id: dot-atom-text "@" dot-atom-text, no ':' on the left.
    const atext = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    for (const id of ids) expect(id).toMatch(new RegExp(`^<${atext}(\\.${atext})*@${atext}(\\.${atext})*>$`));
  });

  it('when the ticket has a chat, then the e-mail points to that chat for replies and for "stop"', async () => {
    const smtp = await startSmtpSink();
    cleanups.push(smtp.stop);
    const { app, ref } = await closedMessengerWindow(smtp.url, { email: EMAIL, consent: true });
    await postEvent(app, ref, { status: 'waiting_on_customer', publicNote: 'Could you send us a photo of the label?' });
    await app.followUps.sweepOnce();

    const text = smtp.mails.map((mail) => mail.text).join('\n');
    expect(text).toContain('reply in the chat where you contacted Acme');
    expect(text).toContain('To stop these updates, reply "stop" in that chat.');
    expect(smtp.mails[0].raw).not.toMatch(/^Reply-To:/im);
  });

  it('when the ticket came from a public post (no chat), then the e-mail never mentions a chat and says to quote the reference', async () => {
    const smtp = await startSmtpSink();
    cleanups.push(smtp.stop);
    const { app, clock } = await startFollowUpApp({ SMTP_URL: smtp.url });
    cleanups.push(() => app.close());
    const ticket = await app.tickets.open(
      { customer: { channelId: 'twitter', userId: 'x-123', name: 'Priya' }, source: 'public_post', description: 'Parcel never arrived', contact: { email: EMAIL, consent: true } },
      { kind: 'customer', id: 'x-123' },
    );
    await postEvent(app, ticket.ref, { status: 'waiting_on_customer', publicNote: 'Could you send us a photo of the label?' });
    await app.followUps.sweepOnce();
    await postEvent(app, ticket.ref, { status: 'resolved' });
    clock.advance(HOUR);
    await app.followUps.sweepOnce();

    expect(smtp.mails.length).toBeGreaterThanOrEqual(3); // update, resolution, satisfaction
    for (const mail of smtp.mails) {
      expect(mail.text).not.toMatch(/chat/i);
      expect(mail.text).not.toMatch(/stop/i);
      expect(mail.text).not.toMatch(/reply with a number/i);
      expect(mail.text).toContain(`quote ${ticket.ref}`);
    }
    expect(smtp.mails.map((mail) => mail.text).join('\n')).not.toContain('we will reopen it');
  });
});
