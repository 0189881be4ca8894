import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../services/clock';
import type { OutboxRow } from '../services/followUps/types';
import { SYSTEM_ACTOR } from '../services/tickets/types';
import { FakeChannel } from './support/fakeChannel';
import { startFakeSmsProvider } from './followUps/fakeSmsProvider';
import { auditActions, openTicketFor, postEvent, startFollowUpApp, startSmtpSink } from './followUps/support';

const log = (...a: unknown[]) => console.log('AUDIT6', ...a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x, null, 1))));

describe('audit6 mail', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

  it('headers and content of email (closed Messenger window), check-in and csat', async () => {
    const smtp = await startSmtpSink();
    const { app, clock } = await startFollowUpApp({ SMTP_URL: smtp.url });
    const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
    cleanups.push(smtp.stop, () => channel.stop(), () => app.close());
    const u = channel.user();
    const t = await openTicketFor(app, channel, u, { email: 'priya.r@example.com', preferred: 'email', consent: true });
    clock.advance(25 * HOUR);
    await postEvent(app, t.ref, { status: 'waiting_on_customer', publicNote: 'Please send the photo of the label.' });
    await app.followUps.sweepOnce();
    clock.advance(48 * HOUR);
    await app.followUps.sweepOnce();
    clock.set(new Date(clock.now().getTime() + HOUR));
    await postEvent(app, t.ref, { status: 'resolved', publicNote: 'Refunded.' });
    await app.followUps.sweepOnce();
    for (const m of smtp.mails) log(m.raw);
  });

  it('public-post ticket (no chat) e-mail wording', async () => {
    const smtp = await startSmtpSink();
    const { app } = await startFollowUpApp({ SMTP_URL: smtp.url });
    cleanups.push(smtp.stop, () => app.close());
    const t = await app.tickets.open({ customer: { channelId: 'x', userId: '777', name: 'Priya' }, source: 'public_post', contact: { email: 'p@example.com', consent: true }, description: 'x',
      publicPost: { platform: 'x', postId: '19', text: 'bad', authorId: '777', postedAt: app.clock.now() } }, { kind: 'customer', id: '777' });
    await postEvent(app, t.ref, { status: 'waiting_on_customer', publicNote: 'What is your order number?' });
    await app.followUps.sweepOnce();
    log('PUBLIC-POST', smtp.mails.map((m) => m.text));
  });

  it('SMTP that accepts TCP but never greets', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => { sockets.push(s); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const sms = await startFakeSmsProvider();
    const { app, clock } = await startFollowUpApp({ SMTP_URL: `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`, ...sms.env, FOLLOW_UP_SEND_TIMEOUT_MS: '300' });
    const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
    cleanups.push(async () => { sockets.forEach((s) => s.destroy()); await new Promise<void>((r) => silent.close(() => r())); }, sms.stop, () => channel.stop(), () => app.close());
    const u = channel.user();
    const t = await openTicketFor(app, channel, u, { email: 'p@example.com', phone: '+447700900123', preferred: 'email', consent: true });
    clock.advance(25 * HOUR);
    await postEvent(app, t.ref, { status: 'in_progress' });
    log('HANG sweep', await app.followUps.sweepOnce());
    log('HANG audit', (await auditActions(app, t.ref)).filter((e) => e.action.startsWith('followup')));
    log('HANG sms', sms.delivered.length, 'outbox', await app.db.collection<OutboxRow>('followUpOutbox').find({ ticketRef: t.ref }));
    await new Promise((r) => setTimeout(r, 800));
  });

  for (const [label, phase, code] of [['rcpt 450', 'rcpt', 450], ['data 451', 'data', 451], ['data 554', 'data', 554], ['rcpt 550', 'rcpt', 550]] as const) {
    it(`SMTP ${label}`, async () => {
      let calls = 0;
      const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
        onRcptTo(_a, _s, cb) { calls++; if (phase === 'rcpt') { const e = new Error('nope') as Error & { responseCode: number }; e.responseCode = code; cb(e); } else cb(); },
        onData(stream, _s, cb) { stream.resume(); stream.on('end', () => { const e = new Error('nope') as Error & { responseCode: number }; e.responseCode = code; cb(e); }); } });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const sms = await startFakeSmsProvider();
      const { app, clock } = await startFollowUpApp({ SMTP_URL: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, ...sms.env });
      const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
      cleanups.push(() => new Promise<void>((r) => server.close(() => r())), sms.stop, () => channel.stop(), () => app.close());
      const u = channel.user();
      const t = await openTicketFor(app, channel, u, { email: 'p@example.com', phone: '+447700900123', preferred: 'email', consent: true });
      clock.advance(25 * HOUR);
      await postEvent(app, t.ref, { status: 'in_progress' });
      log(label, 'sweep', await app.followUps.sweepOnce(), 'smtp rcpt calls', calls, 'sms', sms.delivered.length);
      log(label, 'audit', (await auditActions(app, t.ref)).filter((e) => e.action.startsWith('followup')));
    });
  }
});
