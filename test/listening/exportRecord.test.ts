/** What an auditor needs from a ticket export: every record of the case, a digest that catches any edit, and a trace of who exported it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { verifyExport, type TicketExport } from '../../services/listening/export';
import type { OutboxRow } from '../../services/followUps/types';
import { SOCIAL_REPLIES_COLLECTION, type ReplyJob } from '../../services/social/types';
import type { TranscriptEntry } from '../../services/tickets/types';
import { startTestApp } from '../support/testApp';
import { api, staffToken } from '../privacy/support';
import { runVerifyCli } from './support/verifyCli';

describe("a ticket export as an auditor uses it", () => {
  let app: App;
  let ref: string;

  beforeEach(async () => {
    app = await startTestApp();
    const opened = app.clock.now();
    const ticket = await app.tickets.open(
      {
        customer: { channelId: 'x', userId: 'x-9', name: 'Rui Costa' },
        source: 'public_post',
        description: 'Refund promised twice, never came',
        publicPost: { platform: 'x', postId: '1901', text: '@acme where is my refund', authorId: 'x-9', authorHandle: 'rui', postedAt: opened },
      },
      { kind: 'customer', id: 'x-9', name: 'Rui Costa' },
    );
    ref = ticket.ref;
    await app.db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION).insertOne({
      _id: 'reply-1', kind: 'x_public_reply', platform: 'x', postKey: 'x:1901', targetId: '1901', text: 'Sorry to hear that, Rui. DM us: https://x.com/messages/compose?ref=abc',
      status: 'sent', attempts: 1, nextAttemptAt: opened, createdAt: opened, sentAt: opened, remoteId: '1902',
    });
    await app.transcripts.record({ conversationId: 'dm-1', channelId: 'x', ticketRef: ref, direction: 'in', actor: { kind: 'customer', id: 'x-9' }, text: 'I was promised a refund on the phone' });
    await app.transcripts.record({ conversationId: 'dm-1', channelId: 'x', ticketRef: ref, direction: 'out', actor: { kind: 'agent', id: 'agt_7', name: 'Mina' }, text: 'I have approved the refund today.' });
    await app.db.collection<OutboxRow>('followUpOutbox').insertOne({
      _id: `${ref}:1`, ticketRef: ref, seq: 1, createdAt: opened, state: 'sent', rounds: 1, route: 'email', sentAt: opened, stateAfter: {},
      kind: 'update', text: 'Your refund is on its way.', smsText: 'Acme: your refund is on its way.', subject: `Update on ${ref}`, emailText: 'Your refund is on its way (3-5 days).',
    } as OutboxRow);
  });

  afterEach(() => app.close());

  it("holds the bot's public reply, the agent's messages and the follow-up e-mail as sent", async () => {
    const { body } = await api(app, await staffToken(app, 'supervisor'))<TicketExport>('GET', `/api/tickets/${ref}/export`);
    expect(body.publicReplies).toEqual([expect.objectContaining({ kind: 'x_public_reply', status: 'sent', remoteId: '1902', text: expect.stringContaining('DM us') })]);
    expect(body.transcript.map((line) => `${line.direction} ${line.actor.kind}: ${line.text}`)).toEqual(['in customer: I was promised a refund on the phone', 'out agent: I have approved the refund today.']);
    expect(body.followUps).toEqual([expect.objectContaining({ route: 'email', state: 'sent', subject: `Update on ${ref}`, emailText: 'Your refund is on its way (3-5 days).' })]);
    const html = (await api(app, await staffToken(app, 'supervisor'))('GET', `/api/tickets/${ref}/export?format=html`)).text;
    expect(html).toContain('Your refund is on its way (3-5 days).');
    expect(html).toContain('Sorry to hear that, Rui.');
  });

  it('when a saved export has its transcript, post or follow-ups edited, verification fails (offline, over HTTP and in the CLI), and the original passes', async () => {
    const call = api(app, await staffToken(app, 'supervisor'));
    const { body } = await call<TicketExport>('GET', `/api/tickets/${ref}/export`);
    expect(verifyExport(body)).toMatchObject({ intact: true, documentMatches: true });
    expect(runVerifyCli(body)).toMatchObject({ status: 0, out: expect.stringContaining('document digest verifies') });

    const editedLine = structuredClone(body);
    editedLine.transcript[1]!.text = 'We cannot refund this order.';
    expect(verifyExport(editedLine)).toMatchObject({ intact: false, documentMatches: false, brokenAt: { reason: expect.stringContaining('digest') } });
    expect((await call('POST', '/api/audit/verify', editedLine)).body).toMatchObject({ intact: false });
    expect(runVerifyCli(editedLine)).toMatchObject({ status: 1, out: expect.stringContaining('BROKEN') });

    const droppedFollowUp = structuredClone(body);
    droppedFollowUp.followUps = [];
    expect(verifyExport(droppedFollowUp).intact).toBe(false);
    const editedPost = structuredClone(body);
    (editedPost.publicPost as { text: string }).text = '@acme thanks, all sorted';
    expect(verifyExport(editedPost).intact).toBe(false);
  });

  it("when another ticket's intact audit trail is pasted into an export, verification fails", async () => {
    const other = await app.tickets.open({ customer: { channelId: 'x', userId: 'x-10' }, source: 'dm', description: 'other' }, { kind: 'customer', id: 'x-10' });
    const call = api(app, await staffToken(app, 'supervisor'));
    const mine = (await call<TicketExport>('GET', `/api/tickets/${ref}/export`)).body;
    const theirs = (await call<TicketExport>('GET', `/api/tickets/${other.ref}/export`)).body;
    const swapped = { ...mine, auditEvents: theirs.auditEvents, chain: theirs.chain };
    expect(verifyExport(swapped)).toMatchObject({ intact: false, brokenAt: { reason: "belongs to another ticket's trail" } });
  });

  it("is itself written into the ticket's audit trail: who exported it and the digest of what they took", async () => {
    const call = api(app, await staffToken(app, 'supervisor', 'lead@example.com'));
    const first = (await call<TicketExport>('GET', `/api/tickets/${ref}/export`)).body;
    const second = (await call<TicketExport>('GET', `/api/tickets/${ref}/export`)).body;
    const exported = second.auditEvents.filter((event) => event.action === 'ticket.exported');
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ actor: { kind: 'agent', id: first.exportedBy }, after: { digest: first.integrity.digest } });
    expect(second.chain).toMatchObject({ intact: true, events: first.auditEvents.length + 1 });
  });

  it('holds all of a 10,050-line transcript, oldest first', async () => {
    const start = app.clock.now().getTime();
    await app.db.collection<TranscriptEntry>('transcripts').insertMany(
      Array.from({ length: 10_050 }, (_, i) => ({ _id: `line-${i}`, conversationId: 'dm-long', channelId: 'x', ticketRef: ref, direction: i % 2 ? 'out' : 'in', actor: { kind: i % 2 ? 'agent' : 'customer', id: 'a' }, text: `line ${i}`, at: new Date(start + (i + 10) * 1000) }) as TranscriptEntry),
    );
    const { body } = await api(app, await staffToken(app, 'supervisor'))<TicketExport>('GET', `/api/tickets/${ref}/export`);
    expect(body.transcript).toHaveLength(10_052);
    expect(body.transcript.at(-1)!.text).toBe('line 10049');
    expect(verifyExport(body).intact).toBe(true);
  });
});
