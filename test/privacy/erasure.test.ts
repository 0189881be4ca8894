import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { DAY, ManualClock } from '../../services/clock';
import { socialPostsOf, SOCIAL_REPLY_AUTHORS_COLLECTION, type ReplyAuthorClaim, type SocialPostRecord } from '../../services/social/types';
import { verifyChain, type AuditRecord } from '../../services/tickets/audit';
import { SYSTEM_ACTOR } from '../../services/tickets/types';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp, tempDataDir } from '../support/testApp';
import { api, staffToken } from './support';

/** Every document of every collection the app wrote, read back from the embedded store's files after close. */
function wholeStore(dataDir: string): Record<string, string> {
  // Recursive: archive collections keep their segment files in a folder of their own.
  const files = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.db'));
  return Object.fromEntries(files.map((file) => [file, readFileSync(path.join(dataDir, file), 'utf8')]));
}

function findEverywhere(store: Record<string, string>, value: string): string[] {
  return Object.entries(store)
    .filter(([, content]) => content.toLowerCase().includes(value.toLowerCase()))
    .map(([file]) => file);
}

/** Priya reports a problem in a DM, then also complains publicly on X; Tom is another customer who stays. */
async function twoCustomers(app: App, channel: FakeChannel) {
  const priya = channel.user('priya-77', 'Priya Raman');
  await priya.says("Hi, SMS says my parcel was delivered and collected by me personally. It wasn't. Order AB-2024117");
  await priya.says('priya.r@example.com or +91 98765 43210');
  await priya.says('email');
  await priya.says('yes');
  const done = await priya.says('yes');
  const dmRef = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(done.join('\n'))![1]!;
  // A file she sends: its name and link carry her name and id too.
  await channel.post(priya.activity({ text: 'receipt attached', attachments: [{ contentType: 'application/pdf', name: 'Priya Raman receipt.pdf', contentUrl: 'https://files.example/priya-77/receipt.pdf' }] }));

  const tom = channel.user('tom-42', 'Tom Okafor');
  await tom.says('My blender order ZX-5550123 arrived broken');
  await tom.says('tom.okafor@example.org');
  await tom.says('email');
  await tom.says('yes');
  const tomDone = await tom.says('yes');
  const tomRef = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(tomDone.join('\n'))![1]!;

  const posted = app.clock.now();
  await socialPostsOf(app.db).insertOne({
    _id: 'x:1900000000000000001',
    platform: 'x',
    postId: '1900000000000000001',
    url: 'https://x.com/priya_r_travels/status/1900000000000000001',
    text: '@acme parcel AB-2024117 "delivered" but never arrived, 3rd time. Worst service',
    author: { id: '777000111', handle: 'priya_r_travels', name: 'Priya Raman', followers: 1200 },
    sentiment: { score: -3, comparative: -0.3 },
    triage: { decision: 'needs_care', reason: 'complaint about delivery', rulesVersion: '1' },
    topics: { hashtags: [], products: [], subjects: ['delivery'] },
    receivedAt: posted,
    postedAt: posted,
    source: 'x_webhook',
  });
  // The intake's "answered once already" claim for her, as a burst of her posts leaves it.
  await app.db.collection<ReplyAuthorClaim>(SOCIAL_REPLY_AUTHORS_COLLECTION).insertOne({ _id: 'x:777000111', lastReplyAt: posted, postKey: 'x:1900000000000000001', linkId: 'link-priya' });
  const publicRef = (
    await app.tickets.open(
      {
        customer: { channelId: 'x', userId: '777000111', name: 'Priya Raman' },
        source: 'public_post',
        orderNumber: 'AB-2024117',
        contact: { email: 'priya.r@example.com', consent: true },
        description: 'parcel marked delivered, never arrived, and AB-2024119 is late too',
        publicPost: { platform: 'x', postId: '1900000000000000001', text: '@acme parcel AB-2024117 "delivered" but never arrived', authorId: '777000111', authorHandle: 'priya_r_travels', authorName: 'Priya Raman', followers: 1200, postedAt: posted },
      },
      { kind: 'customer', id: '777000111', name: 'Priya Raman' },
    )
  ).ref;
  return { dmRef, tomRef, publicRef };
}

const PRIYA_VALUES = ['priya.r@example.com', '+919876543210', '98765 43210', 'Priya Raman', 'AB-2024117', 'AB-2024119', 'collected by me personally', 'priya-77', 'priya_r_travels', '777000111', 'never arrived'];
const TOM_VALUES = ['tom.okafor@example.org', 'Tom Okafor', 'ZX-5550123'];

describe('privacy: subject access and erasure over the real app and store', () => {
  let app: App;
  let channel: FakeChannel;
  let dataDir: string;

  beforeEach(async () => {
    dataDir = tempDataDir();
    app = await startTestApp({ DATA_DIR: dataDir });
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
  });

  afterEach(async () => {
    await channel.stop();
    await app.close();
  });

  it('a supervisor gets everything held about a customer by e-mail: both tickets, transcript, archived post, bot state', async () => {
    const { dmRef, publicRef } = await twoCustomers(app, channel);
    const call = api(app, await staffToken(app, 'supervisor'));
    const { status, body } = await call<{ ticketRefs: string[]; data: Record<string, unknown[]> }>('POST', '/api/privacy/access', { email: 'Priya.R@example.com' });
    expect(status).toBe(200);
    expect(body.ticketRefs.sort()).toEqual([dmRef, publicRef].sort());
    expect(body.data.transcripts!.length).toBeGreaterThan(5);
    expect(body.data.socialPosts).toHaveLength(1);
    expect(body.data.botState!.length).toBeGreaterThan(0);
    expect(JSON.stringify(body.data)).not.toContain('tom.okafor@example.org');
    const { body: history } = await call<{ requests: Array<{ kind: string; queryDigest?: string }> }>('GET', '/api/privacy/requests');
    expect(history.requests[0]).toMatchObject({ kind: 'access' });
    expect(JSON.stringify(history)).not.toContain('priya.r@example.com');
  });

  it('finds and erases what a customer typed in a chat that never became a ticket, by the e-mail or phone they gave', async () => {
    const sam = channel.user('sam-55', 'Sam Ortiz');
    await sam.says('hello my email is sam.alt@example.com');
    await sam.says('or call 415.555.0199, thanks');
    const call = api(app, await staffToken(app, 'supervisor'));
    for (const query of [{ email: 'Sam.Alt@example.com' }, { phone: '+1 (415) 555-0199' }]) {
      const { body } = await call<{ ticketRefs: string[]; data: Record<string, Array<{ text?: string }>> }>('POST', '/api/privacy/access', query);
      expect(body.ticketRefs).toEqual([]);
      expect(body.data.transcripts!.map((line) => line.text)).toEqual(expect.arrayContaining(['hello my email is sam.alt@example.com', 'or call 415.555.0199, thanks']));
    }
    expect((await call('POST', '/api/privacy/erase', { email: 'sam.alt@example.com', confirm: true })).status).toBe(200);
    const left = await app.transcripts.forConversation(sam.conversationId);
    expect(JSON.stringify(left)).not.toMatch(/sam\.alt@example\.com|415\.555\.0199/);
  });

  it('agents cannot use privacy endpoints, and erasure needs an explicit confirmation', async () => {
    await twoCustomers(app, channel);
    expect((await api(app, await staffToken(app, 'agent'))('POST', '/api/privacy/access', { email: 'priya.r@example.com' })).status).toBe(403);
    const call = api(app, await staffToken(app, 'supervisor'));
    expect((await call('POST', '/api/privacy/erase', { email: 'priya.r@example.com' })).status).toBe(400);
    expect((await call('POST', '/api/privacy/erase', { email: 'not-an-email', confirm: true })).status).toBe(400);
    expect((await call('POST', '/api/privacy/access', {})).status).toBe(400);
  });

  it('after erasure no personal value of the customer is anywhere in the store, the other customer is untouched, and anonymised audit events, counts and the hash chain remain', async () => {
    const { dmRef, tomRef, publicRef } = await twoCustomers(app, channel);
    const auditBefore = await app.tickets.audit.list(dmRef);

    // The whole store holds her data before (so the search below can find what it looks for).
    await app.close();
    const before = wholeStore(dataDir);
    for (const value of PRIYA_VALUES) expect(findEverywhere(before, value), value).not.toEqual([]);
    app = await startTestApp({ DATA_DIR: dataDir });
    const call = api(app, await staffToken(app, 'supervisor'));
    // Her open ticket has a follow-up scheduled before the erasure.
    expect(((await app.tickets.require(dmRef)) as { followUp?: { nextAt?: Date } }).followUp?.nextAt).toBeInstanceOf(Date);

    const erase = await call<{ ticketRefs: string[]; counts: Record<string, number> }>('POST', '/api/privacy/erase', {
      channelUserId: 'priya-77',
      email: 'priya.r@example.com',
      phone: '+91 98765 43210',
      confirm: true,
      // Operators quote the customer: the request log keeps the reason, not her data.
      reason: 'GDPR art. 17 request #1182 from Priya Raman <priya.r@example.com>',
    });
    expect(erase.status).toBe(200);
    expect(erase.body.ticketRefs.sort()).toEqual([dmRef, publicRef].sort());
    expect(erase.body.counts.tickets).toBe(2);

    for (const ref of [dmRef, publicRef]) {
      const events = await app.tickets.audit.list(ref);
      expect(verifyChain(events)).toMatchObject({ intact: true });
      expect(events.at(-1)).toMatchObject({ action: 'privacy.erased', actor: { kind: 'agent' } });
      const verify = await api(app, await staffToken(app, 'agent'))<{ intact: boolean }>('GET', `/api/tickets/${ref}/verify`);
      expect(verify.body.intact).toBe(true);
      // Nobody writes to an erased customer again.
      const { followUp } = (await app.tickets.require(ref)) as { followUp?: { optedOut?: boolean; nextAt?: Date } };
      if (followUp) expect(followUp).toMatchObject({ optedOut: true });
      expect(followUp?.nextAt).toBeUndefined();
    }
    const requests = await call<{ requests: Array<{ reason?: string }> }>('GET', '/api/privacy/requests');
    expect(requests.body.requests[0]!.reason).toBe('GDPR art. 17 request #1182 from [erased] <[email]>');
    const events = await app.tickets.audit.list(dmRef);
    expect(events.length).toBe(auditBefore.length + 1);
    expect(events.map((event) => event.action).slice(0, auditBefore.length)).toEqual(auditBefore.map((event) => event.action));

    const ticket = await app.tickets.get(dmRef);
    expect(ticket).toMatchObject({ status: 'open', channelId: channel.channelId ?? ticket!.channelId, source: 'dm' });
    expect(ticket!.erasedAt).toBeInstanceOf(Date);
    const report = await call<{ overall: { volume: number }; fairness: { publicPost: { volume: number } } }>('GET', '/api/reports/summary');
    expect(report.body.overall.volume).toBe(3);
    expect(report.body.fairness.publicPost.volume).toBe(1);

    // On disk already while the app runs (the embedded engine's files are compacted right after an erasure)…
    const live = wholeStore(dataDir);
    for (const value of PRIYA_VALUES) expect(findEverywhere(live, value), value).toEqual([]);
    // …and after shutdown, every collection any area created.
    await app.close();
    const after = wholeStore(dataDir);
    expect(Object.keys(after)).toEqual(expect.arrayContaining(['tickets.db', 'auditEvents.db', 'transcripts.db', 'conversations.db', 'botState.db', path.join('socialPosts.archive', '000001.db'), 'privacyRequests.db']));
    for (const value of PRIYA_VALUES) expect(findEverywhere(after, value), value).toEqual([]);
    for (const value of TOM_VALUES) expect(findEverywhere(after, value), value).not.toEqual([]);
    expect(await findEverywhere(after, tomRef)).not.toEqual([]);
    app = await startTestApp({ DATA_DIR: dataDir });
    expect(await app.tickets.get(tomRef)).toMatchObject({ contact: { email: 'tom.okafor@example.org' } });
  });
});

describe('privacy: retention of closed tickets', () => {
  it('erases the personal data of tickets resolved or closed longer ago than RETENTION_DAYS, and leaves newer and open ones', async () => {
    const clock = new ManualClock('2026-01-05T10:00:00Z');
    const app = await startTestApp({ RETENTION_DAYS: '30' }, { clock });
    try {
      const open = (who: string) =>
        app.tickets.open({ customer: { channelId: 'webchat', userId: who, name: `Name ${who}` }, source: 'dm', contact: { email: `${who}@example.com`, consent: true }, description: `problem of ${who}` }, SYSTEM_ACTOR);
      const old = await open('old-customer');
      const oldResolved = await open('resolved-customer');
      const recent = await open('recent-customer');
      const active = await open('active-customer');
      await app.tickets.changeStatus(old.ref, 'closed', SYSTEM_ACTOR);
      // Most tickets end resolved and nobody closes them: they age out from their resolution.
      await app.tickets.changeStatus(oldResolved.ref, 'in_progress', SYSTEM_ACTOR);
      await app.tickets.changeStatus(oldResolved.ref, 'resolved', SYSTEM_ACTOR);
      clock.advance(20 * DAY);
      await app.tickets.changeStatus(recent.ref, 'closed', SYSTEM_ACTOR);

      clock.advance(9 * DAY);
      expect(await app.insight.privacy.applyRetention(30)).toBe(0);
      clock.advance(2 * DAY);
      expect(await app.insight.privacy.applyRetention(30)).toBe(2);
      expect(await app.insight.privacy.applyRetention(30)).toBe(0);
      expect(await app.tickets.get(oldResolved.ref)).toMatchObject({ status: 'resolved', description: '[erased]' });

      const erased = await app.tickets.get(old.ref);
      expect(erased).toMatchObject({ status: 'closed', description: '[erased]', contact: { consent: false } });
      expect(JSON.stringify(erased)).not.toContain('old-customer');
      expect(verifyChain(await app.tickets.audit.list(old.ref)).intact).toBe(true);
      expect((await app.tickets.audit.list(old.ref)).at(-1)).toMatchObject({ action: 'privacy.erased', actor: { kind: 'system', id: 'retention' } });
      expect(await app.tickets.get(recent.ref)).toMatchObject({ description: 'problem of recent-customer' });
      expect(await app.tickets.get(active.ref)).toMatchObject({ description: 'problem of active-customer' });
      expect((await app.insight.privacy.history())[0]).toMatchObject({ kind: 'retention' });
      expect((await app.insight.privacy.history())[0]!.ticketRefs.sort()).toEqual([old.ref, oldResolved.ref].sort());
      const audits = await app.db.collection<AuditRecord>('auditEvents').find({ ticketRef: old.ref });
      expect(audits.length).toBeGreaterThan(2);
    } finally {
      await app.close();
    }
  });
});
