import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { HOUR, MINUTE, type ManualClock } from '../../services/clock';
import { FollowUpScheduler } from '../../services/followUps/scheduler';
import type { FollowUpTicket, OutboxRow } from '../../services/followUps/types';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp } from '../support/testApp';
import { API_KEY, auditActions, followUpOf, openTicketFor, postEvent, startFollowUpApp, startSmtpSink } from '../followUps/support';

const REF = /\*\*(CS-[A-Z0-9]{6})\*\*/;

describe('proactive follow-ups over real HTTP, a fake clock and a loopback channel', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(env: Record<string, string> = {}, channelId = 'emulator') {
    const smtp = await startSmtpSink();
    const { app, clock, dataDir } = await startFollowUpApp({ SMTP_URL: smtp.url, ...env });
    const channel = await new FakeChannel(channelId).start(`${app.url}/api/messages`);
    cleanups.push(smtp.stop, () => channel.stop(), () => app.close());
    return { app, clock, channel, smtp, dataDir };
  }

  it('when an operator changes the status, then the customer is told in the chat with the reference and the next update time', async () => {
    const { app, channel } = await setup();
    const priya = channel.user();
    await priya.says('My order AB-2024117 never arrived');
    await priya.says('here only');
    const done = await priya.says('yes');
    const ref = REF.exec(done.join('\n'))![1];

    const changed = await postEvent(app, ref, { status: 'in_progress', publicNote: 'We have asked the courier where your parcel is.' });
    expect(changed).toMatchObject({ status: 200, body: { ref, status: 'in_progress' } });
    const before = priya.transcript().length;
    expect(await app.followUps.sweepOnce()).toMatchObject({ claimed: 1, sent: 1 });

    const [update] = priya.transcript().slice(before);
    expect(update).toContain(`Update on your ticket ${ref}`);
    expect(update).toContain('working on it');
    expect(update).toContain('We have asked the courier where your parcel is.');
    expect(update).toMatch(/hear from us again by Tuesday 3 March at 10:00 \(UTC\)/);
    expect(await auditActions(app, ref)).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'dm', kind: 'update' } });
    // Nothing new: the next sweep sends nothing.
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 0 });
    expect(priya.transcript().length).toBe(before + 1);
  });

  it('when nothing changes, then a check-in arrives when the promised time comes, not before, with the next promise stored', async () => {
    const { app, clock, channel } = await setup({ FOLLOW_UP_CHECK_IN_HOURS: 'normal=24,high=12' });
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    expect(ticket.priority).toBe('normal');

    clock.advance(24 * HOUR - MINUTE);
    expect(await app.followUps.sweepOnce()).toMatchObject({ claimed: 0 });
    expect(priya.transcript()).toEqual([]);

    clock.advance(2 * MINUTE);
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(1);
    expect(priya.transcript()[0]).toContain(`Checking in on your ticket ${ticket.ref}`);
    expect(priya.transcript()[0]).toContain('still in our team\'s queue');
    expect(priya.transcript()[0]).toContain('Wednesday 4 March at 10:01 (UTC)');
    expect((await followUpOf(app, ticket.ref))?.promisedBy).toEqual(new Date('2026-03-04T10:01:00Z'));

    clock.advance(23 * HOUR);
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(1);
    clock.advance(HOUR);
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(2);
  });

  it('when the ticket is resolved, then the customer hears what was done and the satisfaction question, and the answer is recorded', async () => {
    const { app, channel } = await setup();
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    await postEvent(app, ticket.ref, { status: 'resolved', publicNote: 'We refunded the full amount to your card.' });
    await app.followUps.sweepOnce();

    const [resolution, question] = priya.transcript();
    expect(resolution).toContain(`your ticket ${ticket.ref} is resolved`);
    expect(resolution).toContain('We refunded the full amount to your card.');
    expect(question).toMatch(/from 1 \(poor\) to 5 \(great\)/);
    const csatActivity = channel.messagesFor(priya.conversationId).at(-1)!;
    expect(csatActivity.suggestedActions?.actions.map((action) => action.title)).toEqual(['1', '2', '3', '4', '5']);

    const thanks = await priya.says('4 - quick, but I had to ask twice');
    expect(thanks.join('\n')).toContain('recorded your rating');
    expect((await followUpOf(app, ticket.ref))?.csat).toMatchObject({ score: 4, comment: 'quick, but I had to ask twice' });
    expect(await auditActions(app, ticket.ref)).toContainEqual({ action: 'followup.csat_answered', after: { score: 4, comment: 'quick, but I had to ask twice' } });
    expect((await app.tickets.get(ticket.ref))?.status).toBe('resolved');

    // Resolved means no more check-ins.
    (app.clock as ManualClock).advance(10 * 24 * HOUR);
    await app.followUps.sweepOnce();
    expect(priya.transcript().filter((text) => text.includes('Checking in'))).toEqual([]);
  });

  it('when the customer writes again within the reopen window after resolution, then the same ticket reopens instead of a new one', async () => {
    const { app, clock, channel } = await setup({ CSAT_REOPEN_DAYS: '7' });
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    await postEvent(app, ticket.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    clock.advance(2 * 24 * HOUR);

    const reply = await priya.says('It arrived but the box is empty');
    expect(reply.join('\n')).toContain(`reopened ${ticket.ref}`);
    const reopened = await app.tickets.get(ticket.ref);
    expect(reopened).toMatchObject({ status: 'open', reopenCount: 1 });
    expect(await app.tickets.listForCustomer({ channelId: channel.channelId, userId: priya.userId })).toHaveLength(1);
    // The customer's own reopening is not echoed back; the schedule restarts with a fresh promise.
    const before = priya.transcript().length;
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(before);
    expect((await followUpOf(app, ticket.ref))?.nextAt).toEqual(new Date(clock.now().getTime() + 24 * HOUR));
  });

  it('when the Messenger window has closed (last customer message 25 h ago), then the update goes by e-mail and the route is recorded', async () => {
    const { app, clock, channel, smtp } = await setup({}, 'facebook');
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya, { email: 'priya.r@example.com', preferred: 'email', consent: true });
    clock.advance(25 * HOUR);
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();

    expect(priya.transcript()).toEqual([]);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].to).toEqual(['priya.r@example.com']);
    expect(smtp.mails[0].subject).toContain(ticket.ref);
    expect(smtp.mails[0].text).toContain('working on it');
    const actions = await auditActions(app, ticket.ref);
    expect(actions.find((event) => event.action === 'followup.route_skipped')).toMatchObject({ after: { route: 'dm' } });
    expect(actions).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'email', kind: 'update' } });
  });

  it('when the channel answers 403 (blocked), then the follow-up falls back to e-mail and the failed attempt is on the audit trail', async () => {
    const { app, channel, smtp } = await setup();
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya, { email: 'priya.r@example.com', consent: true });
    channel.failWith.set(priya.conversationId, 403);
    await postEvent(app, ticket.ref, { status: 'waiting_on_customer', publicNote: 'Could you send us a photo of the label?' });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });

    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].text).toContain('photo of the label');
    expect(smtp.mails[0].text).toContain('reply in the chat where you contacted Acme');
    const actions = await auditActions(app, ticket.ref);
    expect(actions).toContainEqual({ action: 'followup.attempt_failed', after: { seq: 1, route: 'dm', attempt: 1, error: 'gone', status: 403 } });
    expect(actions).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'email', kind: 'update' } });
  });

  it('when the customer has not agreed to e-mail, then a blocked chat is not followed by an e-mail', async () => {
    const { app, channel, smtp } = await setup();
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya, { email: 'priya.r@example.com', consent: false });
    channel.failWith.set(priya.conversationId, 404);
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(smtp.mails).toEqual([]);
    expect((await auditActions(app, ticket.ref)).map((event) => event.action)).toContain('followup.undeliverable');
  });

  it('when it is night where the customer is, then updates wait until morning but a resolution does not', async () => {
    // Promises on the calendar: this is about the customer's night, not the team's hours (followUpsStaffedPromise.test.ts).
    const { app, clock, channel } = await setup({ QUIET_HOURS: '21:00-08:00', SLA_CLOCK: 'calendar' });
    const priya = channel.user();
    await priya.says('hi', { localTimezone: 'Asia/Kolkata' });
    const ticket = await openTicketFor(app, channel, priya);
    const greeting = priya.transcript().length;

    clock.set('2026-03-02T17:00:00Z'); // 22:30 in Kolkata
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    expect(await app.followUps.sweepOnce()).toMatchObject({ deferred: 1, sent: 0 });
    expect(priya.transcript()).toHaveLength(greeting);

    clock.set('2026-03-03T02:29:00Z'); // 07:59
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(greeting);
    clock.set('2026-03-03T02:30:00Z'); // 08:00
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(greeting + 1);
    expect(priya.transcript().at(-1)).toMatch(/Wednesday 4 March at 08:00 \(GMT\+5:30\)/);

    clock.set('2026-03-03T18:00:00Z'); // 23:30
    await postEvent(app, ticket.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    expect(priya.transcript().slice(greeting + 1).join('\n')).toContain('is resolved');
  });

  it('when the customer says "stop" with no dialog running, then follow-ups stop and the opt-out is on the ticket; inside a dialog "stop" still cancels', async () => {
    const { app, clock, channel } = await setup();
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    const answer = await priya.says('stop');
    expect(answer.join('\n')).toContain(`won't send you any more updates about ${ticket.ref}`);
    expect(await followUpOf(app, ticket.ref)).toMatchObject({ optedOut: true });
    expect((await auditActions(app, ticket.ref)).map((event) => event.action)).toContain('followup.opted_out');
    const before = priya.transcript().length;

    await postEvent(app, ticket.ref, { status: 'in_progress', publicNote: 'Looking into it' });
    await app.followUps.sweepOnce();
    clock.advance(3 * 24 * HOUR);
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(before);
    expect((await app.tickets.get(ticket.ref))?.status).toBe('in_progress');

    const sam = channel.user();
    await sam.says('My order AB-2024117 arrived smashed');
    const cancelled = await sam.says('stop');
    expect(cancelled.join('\n')).toContain("Okay, I've stopped");
  });

  it('when a sweeper dies between claim and send, then after its lease expires a restarted app sends the follow-up exactly once', async () => {
    const { app, clock, channel, dataDir } = await setup();
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    await app.tickets.changeStatus(ticket.ref, 'in_progress', { kind: 'agent', id: 'a1', name: 'Sam' });

    const outbox = app.db.collection<OutboxRow>('followUpOutbox');
    const doomed = new FollowUpScheduler(
      { tickets: app.db.collection<FollowUpTicket>('tickets'), outbox, audit: app.tickets.audit, notifier: { deliver: () => new Promise(() => undefined) }, clock },
      { brand: 'Acme', checkInHours: app.config.followUpCheckInHours, quietHours: app.config.quietHours, reopenDays: 7, leaseMs: app.config.followUpLeaseMs, batchSize: 10, concurrency: 1, fallbackTimeZone: 'UTC', owner: 'doomed' },
    );
    void doomed.sweepOnce();
    await waitUntil(async () => (await outbox.findOne({ _id: `${ticket.ref}:1` }))?.sendingBy === 'doomed');
    await app.close(); // the process "dies": its send never happens

    const restarted = await startTestApp({ DATA_DIR: dataDir, FOLLOW_UP_SWEEP_MS: '0', TICKET_EVENTS_API_KEY: API_KEY }, { clock, followUps: { retryDelayMs: 1 } });
    cleanups.push(() => restarted.close());
    expect(await restarted.followUps.sweepOnce()).toMatchObject({ claimed: 0 });
    expect(priya.transcript()).toEqual([]);
    clock.advance(restarted.config.followUpLeaseMs + 1000);
    expect(await restarted.followUps.sweepOnce()).toMatchObject({ claimed: 1, sent: 1 });
    await restarted.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(1);
    expect(priya.transcript()[0]).toContain('working on it');
    expect(await restarted.db.collection<OutboxRow>('followUpOutbox').find({ ticketRef: ticket.ref })).toMatchObject([{ _id: `${ticket.ref}:1`, state: 'sent', route: 'dm' }]);
  });

  it('when two sweepers share one store, then every due follow-up is sent once', async () => {
    const { app, channel } = await setup({ FOLLOW_UP_BATCH_SIZE: '5' });
    const users = Array.from({ length: 25 }, () => channel.user());
    const tickets = [];
    for (const user of users) tickets.push(await openTicketFor(app, channel, user));
    for (const ticket of tickets) await app.tickets.changeStatus(ticket.ref, 'in_progress', { kind: 'agent', id: 'a1' });
    const second = new FollowUpScheduler(
      { tickets: app.db.collection<FollowUpTicket>('tickets'), outbox: app.db.collection<OutboxRow>('followUpOutbox'), audit: app.tickets.audit, notifier: app.followUps.notifier, clock: app.clock },
      { brand: 'Acme', checkInHours: app.config.followUpCheckInHours, quietHours: app.config.quietHours, reopenDays: 7, leaseMs: app.config.followUpLeaseMs, batchSize: 5, concurrency: 4, fallbackTimeZone: 'UTC', owner: 'second' },
    );
    const [a, b] = await Promise.all([app.followUps.sweepOnce(), second.sweepOnce()]);
    expect(a.sent + b.sent).toBe(25);
    expect(a.claimed + b.claimed).toBe(25);
    for (const user of users) expect(user.transcript()).toHaveLength(1);
  });
});

async function waitUntil(predicate: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('POST /api/tickets/:ref/events', () => {
  let app: App;
  afterEach(async () => app?.close());

  it('answers 401 without a valid key, 404 for an unknown ticket, 400 for a bad body, 409 for an invalid transition, 200 otherwise', async () => {
    ({ app } = await startFollowUpApp());
    const channel = await new FakeChannel().start(`${app.url}/api/messages`);
    const ticket = await openTicketFor(app, channel, channel.user());
    await channel.stop();

    expect((await postEvent(app, ticket.ref, { status: 'in_progress' }, {})).status).toBe(401);
    expect((await postEvent(app, ticket.ref, { status: 'in_progress' }, { 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await postEvent(app, 'CS-ZZZZZZ', { status: 'in_progress' })).status).toBe(404);
    expect((await postEvent(app, ticket.ref, { status: 'done' })).status).toBe(400);
    expect((await postEvent(app, ticket.ref, { colour: 'red' })).status).toBe(400);
    expect((await postEvent(app, ticket.ref, {})).status).toBe(400);
    expect((await postEvent(app, ticket.ref, '{not json')).status).toBe(400);
    expect((await postEvent(app, ticket.ref, { publicNote: '' })).status).toBe(400);
    expect((await app.tickets.get(ticket.ref))?.status).toBe('open');

    expect(await postEvent(app, ticket.ref, { status: 'closed', actor: { id: 'order-system' } })).toMatchObject({ status: 200, body: { status: 'closed' } });
    const refused = await postEvent(app, ticket.ref, { status: 'resolved', publicNote: 'should not land' });
    expect(refused.status).toBe(409);
    expect((await auditActions(app, ticket.ref)).map((event) => event.action)).not.toContain('ticket.note_public');
  });

  it('treats a retried request with the same Idempotency-Key as already done', async () => {
    ({ app } = await startFollowUpApp());
    const channel = await new FakeChannel().start(`${app.url}/api/messages`);
    const ticket = await openTicketFor(app, channel, channel.user());
    await channel.stop();
    const headers = { 'x-api-key': API_KEY, 'idempotency-key': 'evt-1' };
    expect((await postEvent(app, ticket.ref, { publicNote: 'Parcel found' }, headers)).status).toBe(200);
    expect(await postEvent(app, ticket.ref, { publicNote: 'Parcel found' }, headers)).toMatchObject({ status: 200, body: { replayed: true } });
    expect((await auditActions(app, ticket.ref)).filter((event) => event.action === 'ticket.note_public')).toHaveLength(1);
  });

  it('answers 503 when no API key is configured', async () => {
    ({ app } = await startFollowUpApp({ TICKET_EVENTS_API_KEY: '' }));
    expect((await postEvent(app, 'CS-ZZZZZZ', { status: 'open' })).status).toBe(503);
  });
});
