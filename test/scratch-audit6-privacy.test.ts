import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, ManualClock } from '../services/clock';
import { SYSTEM_ACTOR } from '../services/tickets/types';
import { verifyChain } from '../services/tickets/audit';
import { FakeChannel } from './support/fakeChannel';
import { startTestApp, tempDataDir } from './support/testApp';
import { api, staffToken } from './privacy/support';
import { API_KEY, postEvent, startSmtpSink } from './followUps/support';

const log = (...a: unknown[]) => console.log('AUDIT6', ...a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x, null, 1))));
const counts = (d: Record<string, unknown[]>) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.length]));

describe('audit6 privacy', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

  it('access/erase coverage over a real chat + foreign-language post + reason stored', async () => {
    const smtp = await startSmtpSink();
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    const app = await startTestApp({ DATA_DIR: tempDataDir(), SOCIAL_MENTIONS_API_KEY: 'lk', FOLLOW_UP_SWEEP_MS: '0', TICKET_EVENTS_API_KEY: API_KEY, SMTP_URL: smtp.url, MAIL_FROM: 'Acme <s@acme.example>' }, { clock, followUps: { retryDelayMs: 1 } });
    const channel = await new FakeChannel().start(`${app.url}/api/messages`);
    cleanups.push(smtp.stop, () => channel.stop(), () => app.close());
    const priya = channel.user('priya-77', 'Priya Raman');
    await priya.says('hi', { localTimezone: 'Asia/Kolkata' });
    await priya.says('My parcel AB-2024117 never arrived');
    await priya.says('priya.r@example.com');
    await priya.says('email');
    await priya.says('yes');
    const done = await priya.says('yes');
    const ref = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(done.join('\n'))![1]!;
    await channel.post(priya.activity({ text: 'receipt', attachments: [{ contentType: 'application/pdf', name: 'Priya receipt.pdf', contentUrl: 'https://files.example/priya-77/r.pdf' }] }));
    await priya.says('I want to talk to a person');
    await priya.says('my phone is +44 7700 900123, call me please');
    await postEvent(app, ref, { status: 'in_progress', publicNote: 'Hi Priya Raman, we are on it' });
    await app.followUps.sweepOnce();
    // abandoned conversation where she typed a second e-mail
    const other = channel.user('priya-other', 'P R');
    await other.says('hello my email is priya.alt@example.com');
    // foreign-language post by X author 555 with a handle
    const m = await fetch(`${app.url}/api/social/mentions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'lk' }, body: JSON.stringify({ platform: 'x', postId: '123', text: '@acme mi paquete nunca llegó, pedido AB-2024117, soy Priya Raman', authorId: '555', authorHandle: 'priya_es', authorName: 'Priya Raman', language: 'es' }) });
    log('mentions', m.status, await m.text());
    const tix = await app.db.collection<any>('tickets').find({});
    log('tickets', tix.map((t: any) => ({ ref: t.ref, src: t.source, cust: t.customer, contact: t.contact })));
    log('collections', await (app.db as any).listCollections?.());

    const call = api(app, await staffToken(app, 'supervisor'));
    for (const q of [{ email: 'priya.r@example.com' }, { phone: '07700 900123' }, { channelUserId: 'priya-77' }, { channelUserId: '555' }, { email: 'priya.alt@example.com' }, { channelUserId: 'priya_es' }]) {
      const r = await call<{ ticketRefs: string[]; data: Record<string, unknown[]> }>('POST', '/api/privacy/access', q);
      log('ACCESS', q, r.status, r.body.ticketRefs, r.body.data && counts(r.body.data));
      if (q.email === 'priya.r@example.com') log('ACCESS files', JSON.stringify(r.body.data.transcripts).includes('r.pdf'), 'handoffs', r.body.data.handoffs, 'tz', r.body.data.customerTimeZones);
    }
    const e = await call<any>('POST', '/api/privacy/erase', { email: 'priya.r@example.com', channelUserId: 'priya-77', confirm: true, reason: 'Request from Priya Raman <priya.r@example.com> by phone +447700900123' });
    log('ERASE', e.status, e.body);
    const hist = await call<any>('GET', '/api/privacy/requests');
    log('HISTORY', hist.body);
    log('verify', verifyChain(await app.tickets.audit.list(ref)));
    // after erasure of an open ticket: does the sweeper keep messaging?
    const before = channel.received.length;
    clock.advance(3 * DAY);
    log('sweep after erase', await app.followUps.sweepOnce(), 'new activities', channel.received.slice(before).map((a: any) => ({ conv: a.conversation?.id, text: a.text })), 'mails', smtp.mails.map((x) => x.to));
    log('audit tail', (await app.tickets.audit.list(ref)).slice(-4).map((x) => ({ a: x.action, after: x.after, note: x.note })));
  });

  it('retention: resolved never closed; closed ticket transcripts/files', async () => {
    const clock = new ManualClock('2026-01-05T10:00:00Z');
    const app = await startTestApp({ RETENTION_DAYS: '30', FOLLOW_UP_SWEEP_MS: '0' }, { clock });
    cleanups.push(() => app.close());
    const open = (who: string) => app.tickets.open({ customer: { channelId: 'webchat', userId: who, name: `Name ${who}` }, source: 'dm', contact: { email: `${who}@example.com`, consent: true }, description: `problem of ${who}` }, SYSTEM_ACTOR);
    const res = await open('resolved-customer');
    await app.tickets.changeStatus(res.ref, 'resolved', SYSTEM_ACTOR);
    clock.advance(400 * DAY);
    log('RETENTION erased', await app.insight.privacy.applyRetention(30), await app.tickets.get(res.ref).then((t) => ({ status: t!.status, description: t!.description, contact: t!.contact })));
  });
});
