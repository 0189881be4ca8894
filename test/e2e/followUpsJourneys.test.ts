/**
 * Whole ticket lives as the customer reads them (real HTTP server, loopback channel, fake clock, sweeps):
 * what arrives, when, and what must not arrive.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, ManualClock } from '../../services/clock';
import type { LiveEvent } from '../../services/handoff/liveEvents';
import { signedIn } from '../agents/agentClient';
import { FakeChannel } from '../support/fakeChannel';
import { followUpOf, openTicketFor, postEvent, startFollowUpApp } from '../followUps/support';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(env: Record<string, string> = {}, clock?: ManualClock) {
  const { app, clock: appClock } = await startFollowUpApp(env, clock);
  const channel = await new FakeChannel('webchat').start(`${app.url}/api/messages`);
  cleanups.push(() => channel.stop(), () => app.close());
  return { app, clock: appClock, channel };
}

/** Sweeps as the background worker would, every `step`, until `until`. */
async function sweepUntil(app: Awaited<ReturnType<typeof setup>>['app'], clock: ManualClock, until: string | Date, step = 15 * MINUTE) {
  const end = new Date(until).getTime();
  while (clock.now().getTime() < end) {
    clock.advance(Math.min(step, end - clock.now().getTime()));
    await app.followUps.sweepOnce();
  }
}

describe('ticket lives as the customer reads them', () => {
  it('when the agent chatting with the customer sets the status and hands back, then no bot update repeats it; the next message is the check-in a day later', async () => {
    const { app, clock, channel } = await setup();
    const priya = channel.user();
    await priya.says('My order AB-2024117 arrived broken');
    const ref = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec((await priya.says('agent')).join('\n'))![1];
    clock.advance(10 * MINUTE);
    const asha = await signedIn(app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    await asha.json('POST', `/api/agent/tickets/${ref}/messages`, { text: 'Hi Priya, I am Asha. I will arrange a replacement.', clientMessageId: 'm1' });
    await app.followUps.sweepOnce();
    await asha.json('POST', `/api/agent/tickets/${ref}/status`, { status: 'in_progress' });
    // While Asha chats, the bot does not talk over her.
    await app.followUps.sweepOnce();
    expect(priya.transcript().at(-1)).toBe('Hi Priya, I am Asha. I will arrange a replacement.');
    await asha.json('POST', `/api/agent/tickets/${ref}/handback`, {});
    await channel.waitFor(() => priya.transcript().some((text) => text.includes('handed you back')));
    const handedBack = priya.transcript().length;

    await sweepUntil(app, clock, new Date(clock.now().getTime() + 24 * HOUR - MINUTE));
    expect(priya.transcript().slice(handedBack)).toEqual([]);
    await sweepUntil(app, clock, new Date(clock.now().getTime() + 2 * MINUTE));
    expect(priya.transcript().slice(handedBack)).toHaveLength(1);
    expect(priya.transcript().at(-1)).toContain(`Checking in on your ticket ${ref}: our team is still working on it`);
  });

  it('when the agent chatting with the customer resolves the ticket, then the resolution notice waits for the hand-back instead of interrupting them', async () => {
    const { app, channel } = await setup();
    const priya = channel.user();
    await priya.says('My order AB-2024117 arrived broken');
    const ref = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec((await priya.says('agent')).join('\n'))![1];
    const asha = await signedIn(app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    await asha.json('POST', `/api/agent/tickets/${ref}/messages`, { text: 'All sorted: a replacement is on its way.', clientMessageId: 'm1' });
    await asha.json('POST', `/api/agent/tickets/${ref}/status`, { status: 'resolved' });
    await app.followUps.sweepOnce();
    expect(priya.transcript().at(-1)).toBe('All sorted: a replacement is on its way.');

    await asha.json('POST', `/api/agent/tickets/${ref}/handback`, {});
    await channel.waitFor(() => priya.transcript().some((text) => text.includes('handed you back')));
    await app.followUps.sweepOnce();
    const afterAsha = priya.transcript().slice(priya.transcript().indexOf('All sorted: a replacement is on its way.') + 1);
    expect(afterAsha).toHaveLength(3);
    expect(afterAsha[0]).toContain('handed you back');
    expect(afterAsha[1]).toContain(`your ticket ${ref} is resolved`);
    expect(afterAsha[2]).toMatch(/how did we do/);
  });

  it('when an agent sets the status and adds a note a minute later, then the customer gets one update with both, not two in a row', async () => {
    const { app, clock, channel } = await setup({ FOLLOW_UP_NEWS_SETTLE_SECONDS: '90' });
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    clock.advance(30 * 1000);
    await app.followUps.sweepOnce();
    clock.advance(30 * 1000);
    await postEvent(app, ticket.ref, { publicNote: 'I have asked the courier to trace it.' });
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toEqual([]);

    clock.advance(90 * 1000);
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(1);
    expect(priya.transcript()[0]).toContain('a member of our team is now working on it');
    expect(priya.transcript()[0]).toContain('I have asked the courier to trace it.');
    await sweepUntil(app, clock, '2026-03-02T12:00:00Z');
    expect(priya.transcript()).toHaveLength(1);
  });

  it('when the ticket is resolved, then the satisfaction question comes an hour after the resolution notice, not with it', async () => {
    const { app, clock, channel } = await setup({ CSAT_DELAY_MINUTES: '60' });
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    await postEvent(app, ticket.ref, { status: 'resolved', publicNote: 'We sent a replacement.' });
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(1);
    expect(priya.transcript()[0]).toContain(`your ticket ${ticket.ref} is resolved`);

    await sweepUntil(app, clock, '2026-03-02T10:59:00Z');
    expect(priya.transcript()).toHaveLength(1);
    await sweepUntil(app, clock, '2026-03-02T11:00:00Z');
    expect(priya.transcript()).toHaveLength(2);
    expect(priya.transcript()[1]).toMatch(/how did we do\? Reply with a number from 1 \(poor\) to 5 \(great\)/);
    await sweepUntil(app, clock, '2026-03-05T11:00:00Z', 6 * HOUR);
    expect(priya.transcript()).toHaveLength(2);
  });

  it('when the customer says it is still broken after the resolution notice, then the ticket reopens and no satisfaction question follows', async () => {
    const { app, clock, channel } = await setup({ CSAT_DELAY_MINUTES: '60' });
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    await postEvent(app, ticket.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    clock.advance(10 * MINUTE);
    expect((await priya.says('no, it is still broken')).join('\n')).toContain(`reopened ${ticket.ref}`);

    await sweepUntil(app, clock, '2026-03-02T14:00:00Z');
    expect(priya.transcript().join('\n')).not.toMatch(/how did we do/);
    expect((await app.tickets.get(ticket.ref))?.status).toBe('open');
  });

  it('when the customer rates right after the resolution notice, before the question, then the rating is recorded and thanked, the ticket stays resolved, and the question is not sent', async () => {
    const { app, clock, channel } = await setup({ CSAT_DELAY_MINUTES: '60' });
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    await postEvent(app, ticket.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    clock.advance(5 * MINUTE);
    expect((await priya.says('5 great service')).join('\n')).toContain(`recorded your rating on ${ticket.ref}`);
    expect((await followUpOf(app, ticket.ref))?.csat).toMatchObject({ score: 5, comment: 'great service' });
    expect((await app.tickets.get(ticket.ref))?.status).toBe('resolved');

    const before = priya.transcript().length;
    await sweepUntil(app, clock, '2026-03-02T14:00:00Z');
    expect(priya.transcript()).toHaveLength(before);
  });

  it('when the ticket is resolved late in the evening, then the resolution goes at once but the satisfaction question waits until quiet hours end', async () => {
    const { app, clock, channel } = await setup({ QUIET_HOURS: '21:00-08:00', SLA_CLOCK: 'calendar' });
    const priya = channel.user();
    await priya.says('hi', { localTimezone: 'Europe/London' });
    const ticket = await openTicketFor(app, channel, priya);
    const before = priya.transcript().length;
    clock.set('2026-03-02T23:30:00Z');
    await postEvent(app, ticket.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    expect(priya.transcript().slice(before)).toHaveLength(1);
    expect(priya.transcript().at(-1)).toContain('is resolved');

    await sweepUntil(app, clock, '2026-03-03T07:59:00Z');
    expect(priya.transcript().slice(before)).toHaveLength(1);
    await sweepUntil(app, clock, '2026-03-03T08:00:00Z');
    expect(priya.transcript().slice(before)).toHaveLength(2);
    expect(priya.transcript().at(-1)).toMatch(/how did we do/);
  });

  it('when nobody picked the ticket up over the weekend though the customer was told "within about 1 hour", then Monday\'s check-in says sorry', async () => {
    const clock = new ManualClock('2026-03-06T16:00:00Z'); // Friday 16:00 in London, an hour before the team leaves
    const { app, channel } = await setup({ SUPPORT_HOURS: '09:00-17:00', SUPPORT_TIME_ZONE: 'Europe/London', SLA_CLOCK: 'business_hours' }, clock);
    const priya = channel.user();
    await priya.says('My order AB-2024117 never arrived', { localTimezone: 'Europe/London' });
    await priya.says('here only');
    expect((await priya.says('yes')).join('\n')).toMatch(/within about 1 hour/);
    const opened = priya.transcript().length;

    await sweepUntil(app, clock, '2026-03-09T12:00:00Z', HOUR);
    const monday = priya.transcript().slice(opened);
    expect(monday).toHaveLength(1);
    expect(monday[0]).toContain('has not been picked up yet');
    expect(monday[0]).toContain('taking longer than we aimed for, and we are sorry');
  });

  it('when the team is working on it and nothing changed, then the check-in does not apologise for a delay there is not', async () => {
    const { app, clock, channel } = await setup();
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    clock.advance(3 * HOUR);
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    await sweepUntil(app, clock, '2026-03-03T13:00:00Z', HOUR);
    expect(priya.transcript().at(-1)).toContain('Checking in');
    expect(priya.transcript().at(-1)).not.toContain('sorry');
  });

  it('when the customer reopened a resolved ticket, then the check-in says it is back in the queue, not that it was never picked up', async () => {
    const { app, clock, channel } = await setup({ CSAT_REOPEN_DAYS: '7' });
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    clock.advance(2 * HOUR);
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    clock.advance(2 * HOUR);
    await postEvent(app, ticket.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    clock.advance(HOUR);
    expect((await priya.says('It is still broken')).join('\n')).toContain(`reopened ${ticket.ref}`);
    const reopened = priya.transcript().length;

    await sweepUntil(app, clock, new Date(clock.now().getTime() + 26 * HOUR), HOUR);
    const [checkIn] = priya.transcript().slice(reopened);
    expect(checkIn).toContain(`Checking in on your ticket ${ticket.ref}: it is back in our team's queue.`);
    expect(checkIn).not.toMatch(/not been picked up|sorry/);
  });

  it('when the customer answers the team\'s question, then the next message is a check-in, not an "update" telling them the team is now working on it', async () => {
    const { app, clock, channel } = await setup();
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    await postEvent(app, ticket.ref, { status: 'waiting_on_customer', publicNote: 'Could you check with your neighbours?' });
    await app.followUps.sweepOnce();
    clock.advance(20 * MINUTE);
    expect((await priya.says('Checked, the neighbours do not have it')).join('\n')).toContain('passed it back to the team');
    const answered = priya.transcript().length;

    await sweepUntil(app, clock, '2026-03-03T10:30:00Z');
    const next = priya.transcript().slice(answered);
    expect(next).toHaveLength(1);
    expect(next[0]).toContain(`Checking in on your ticket ${ticket.ref}: our team is still working on it`);
  });

  it('when a check-in falls due minutes after the customer wrote, then it is not sent, and the next one comes a full cadence later', async () => {
    const { app, clock, channel } = await setup();
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    clock.set('2026-03-03T09:45:00Z');
    expect((await priya.says('Also, the parcel had a red sticker on it')).join('\n')).toContain(`Added to ${ticket.ref}`);
    const wrote = priya.transcript().length;

    await sweepUntil(app, clock, '2026-03-03T11:00:00Z');
    expect(priya.transcript()).toHaveLength(wrote);
    expect((await followUpOf(app, ticket.ref))?.promisedBy).toEqual(new Date('2026-03-04T10:00:00Z'));
    await sweepUntil(app, clock, '2026-03-04T10:00:00Z');
    expect(priya.transcript().slice(wrote)).toHaveLength(1);
    expect(priya.transcript().at(-1)).toContain('Checking in');
  });

  it('when the team is working on it and the customer asks "when will you reply?", then the answer gives the next update time, not "still in our queue"', async () => {
    const { app, clock, channel } = await setup();
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    clock.advance(2 * HOUR);
    await postEvent(app, ticket.ref, { status: 'in_progress', publicNote: 'Tracing it with the courier.' });
    await app.followUps.sweepOnce();
    clock.advance(HOUR);

    const answer = (await priya.says('when will you reply?')).join('\n');
    expect(answer).toContain('being worked on');
    expect(answer).not.toMatch(/still in our team's queue|taking longer/);
    expect(answer).toContain("You'll hear from us again within about 23 hours at the latest");
  });

  it('when the customer rates 5 and then praises the team, then the praise is kept with the rating and the ticket stays resolved; "still broken" still reopens it', async () => {
    const { app, clock, channel } = await setup();
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    await postEvent(app, ticket.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    clock.advance(MINUTE);
    await priya.says('5');
    expect((await priya.says('you guys were fast and friendly')).join('\n')).toBe(`Thank you, I've added that to your rating of ${ticket.ref} for the team.`);
    expect((await followUpOf(app, ticket.ref))?.csat).toMatchObject({ score: 5, comment: 'you guys were fast and friendly' });
    expect((await app.tickets.get(ticket.ref))?.status).toBe('resolved');
    expect((await priya.says('thanks!')).join('\n')).toContain("You're welcome");

    expect((await priya.says('oh wait, the new one is broken too')).join('\n')).toContain(`reopened ${ticket.ref}`);
    expect((await app.tickets.get(ticket.ref))?.status).toBe('open');
  });

  it('when the customer rates 2/5, then signed-in agents get a console alert naming the ticket, without the customer\'s words', async () => {
    const { app, channel } = await setup();
    const alerts: LiveEvent[] = [];
    app.agents.events.subscribe((event) => event.type === 'alert' && alerts.push(event));
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya);
    await postEvent(app, ticket.ref, { status: 'resolved' });
    await app.followUps.sweepOnce();
    expect((await priya.says('2 my email is priya.r@example.com and nobody wrote')).join('\n')).toContain('the team will see it');

    expect(alerts).toEqual([{ type: 'alert', ref: ticket.ref, level: 'rating', message: `${ticket.ref} was rated 2/5 by the customer: worth a look` }]);
    expect((await priya.says('5')).join('\n')).toContain('recorded your rating');
    expect(alerts).toHaveLength(1);
  });
});
