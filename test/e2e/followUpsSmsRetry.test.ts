/**
 * A follow-up SMS the carrier could not deliver for a passing reason (30003 handset off, 30008 unknown carrier
 * error) is texted again later when no other route is left: after 1 hour, then 4 hours, never in quiet hours.
 * Over real HTTP: the loopback fake SMS provider takes the messages, signed reports come to POST /api/sms/status.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { HOUR, MINUTE } from '../../services/clock';
import type { OutboxRow } from '../../services/followUps/types';
import { signedIn } from '../agents/agentClient';
import { customerWithTwoTickets, EMAIL, phoneOnlyCustomer, undeliveredEvents } from '../followUps/smsCustomer';
import { postEvent } from '../followUps/support';
import { postSmsStatus, PUBLIC_BASE_URL, statusFields } from '../followUps/twilioWebhook';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A phone-only customer's update has gone out by SMS (the one route they can be reached on). */
async function phoneOnlyUpdateTexted(env: Record<string, string> = {}) {
  const { app, clock, sms, ticket } = await phoneOnlyCustomer(cleanups, { PUBLIC_BASE_URL, ...env });
  await postEvent(app, ticket.ref, { status: 'in_progress' });
  expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });
  expect(sms.delivered).toHaveLength(1);
  const row = async () => (await app.db.collection<OutboxRow>('followUpOutbox').findOne({ _id: `${ticket.ref}:1` }))!;
  const sends = () => sms.requests.filter((request) => request.method === 'POST');
  /** Moves the clock on and sweeps; answers how many SMS have reached the provider so far. */
  const after = async (ms: number) => {
    clock.advance(ms);
    await app.followUps.sweepOnce();
    return sms.delivered.length;
  };
  return { app, clock, sms, ticket, row, sends, after };
}

/** What the console's ticket view says about the last SMS (a fresh sign-in: the manual clock outlives sessions). */
async function consoleSmsUndelivered(app: App, ref: string) {
  const agent = await signedIn(app, 'agent', `Agent ${++agentCount}`);
  return (await agent.json<{ smsUndelivered?: unknown }>('GET', `/api/agent/tickets/${ref}`)).smsUndelivered;
}
let agentCount = 0;

describe('a follow-up SMS not delivered for a passing reason is texted again later when no other route is left', () => {
  it('when a phone-only customer\'s SMS gets 30003 twice, then a second SMS goes out after 1 hour and a third 4 hours after that, each exactly once, and then nothing more', async () => {
    const { app, ticket, sms, row, sends, after } = await phoneOnlyUpdateTexted();
    expect(await postSmsStatus(app, statusFields(sms.delivered[0].sid, 'undelivered', 30003))).toEqual({ status: 200, json: { result: 'recorded' } });
    await app.followUps.sweepOnce();
    expect(sms.delivered).toHaveLength(1);
    expect(await row()).toMatchObject({ state: 'pending', hold: { route: 'sms' } });
    expect(await consoleSmsUndelivered(app, ticket.ref)).toMatchObject({ status: 'undelivered', code: 30003 });

    expect(await after(59 * MINUTE)).toBe(1);
    expect(await after(1 * MINUTE)).toBe(2);
    expect(await after(0)).toBe(2);
    // A new message (the first never arrived), under its own idempotency key, to the same phone.
    expect(sends()).toHaveLength(2);
    expect(sends()[1].idempotencyKey).not.toBe(sends()[0].idempotencyKey);
    expect(sms.delivered[1].to).toBe(sms.delivered[0].to);
    expect(await row()).toMatchObject({ state: 'sent', route: 'sms', providerId: sms.delivered[1].sid, smsRetries: 1 });
    expect((await row()).delivery).toBeUndefined();
    // The latest SMS has no verdict yet: the console no longer says the last one was not delivered.
    expect(await consoleSmsUndelivered(app, ticket.ref)).toBeFalsy();

    expect(await postSmsStatus(app, statusFields(sms.delivered[1].sid, 'undelivered', 30003))).toEqual({ status: 200, json: { result: 'recorded' } });
    expect(await after(0)).toBe(2);
    expect(await after(HOUR)).toBe(2);
    expect(await after(3 * HOUR - MINUTE)).toBe(2);
    expect(await after(MINUTE)).toBe(3);
    expect(await after(0)).toBe(3);
    expect(await row()).toMatchObject({ state: 'sent', providerId: sms.delivered[2].sid, smsRetries: 2 });

    expect((await postSmsStatus(app, statusFields(sms.delivered[2].sid, 'undelivered', 30003))).status).toBe(200);
    expect(await after(0)).toBe(3);
    expect(await after(5 * HOUR)).toBe(3);
    expect(await after(24 * HOUR)).toBe(3);
    expect(await row()).toMatchObject({ state: 'undeliverable', smsRetries: 2 });
    expect(await undeliveredEvents(app, ticket.ref)).toHaveLength(3);
    expect(await consoleSmsUndelivered(app, ticket.ref)).toMatchObject({ status: 'undelivered', code: 30003 });
  });

  it('when the undelivered report is replayed, before and after the retry, then it is answered unchanged and no further retry is added', async () => {
    const { app, ticket, sms, after } = await phoneOnlyUpdateTexted();
    const first = statusFields(sms.delivered[0].sid, 'undelivered', 30003);
    await postSmsStatus(app, first);
    expect(await postSmsStatus(app, first)).toEqual({ status: 200, json: { result: 'unchanged' } });
    expect(await after(HOUR)).toBe(2);
    expect(await postSmsStatus(app, first)).toEqual({ status: 200, json: { result: 'unchanged' } });
    expect(await postSmsStatus(app, statusFields(sms.delivered[0].sid, 'failed', 30008))).toEqual({ status: 200, json: { result: 'unchanged' } });
    expect(await after(0)).toBe(2);
    expect(await after(5 * HOUR)).toBe(2);
    expect(await undeliveredEvents(app, ticket.ref)).toHaveLength(1);
  });

  it('when the carrier reports 30008 (unknown carrier error), then it is retried after an hour like 30003', async () => {
    const { app, sms, after } = await phoneOnlyUpdateTexted();
    await postSmsStatus(app, statusFields(sms.delivered[0].sid, 'failed', 30008));
    expect(await after(HOUR - MINUTE)).toBe(1);
    expect(await after(MINUTE)).toBe(2);
  });

  it('when two sweeps run at once as the retry falls due, then the retry is texted once', async () => {
    const { app, clock, sms } = await phoneOnlyUpdateTexted();
    await postSmsStatus(app, statusFields(sms.delivered[0].sid, 'undelivered', 30003));
    await app.followUps.sweepOnce();
    clock.advance(HOUR);
    await Promise.all([app.followUps.sweepOnce(), app.followUps.sweepOnce(), app.followUps.scheduler.sweepOnce()]);
    expect(sms.delivered).toHaveLength(2);
  });

  it('when the provider fails the retry with server errors (and has not taken it), then the same retry is sent on a later sweep, once', async () => {
    const { app, clock, sms, row, after } = await phoneOnlyUpdateTexted();
    await postSmsStatus(app, statusFields(sms.delivered[0].sid, 'undelivered', 30003));
    await app.followUps.sweepOnce();
    sms.script.push({ status: 500 }, { status: 500 }, { status: 500 });
    expect(await after(HOUR)).toBe(1);
    expect((await row()).smsRetries).toBeUndefined();
    clock.advance(2 * MINUTE);
    expect(await after(0)).toBe(2);
    expect(await after(HOUR)).toBe(2);
    expect((await row()).smsRetries).toBe(1);
  });

  it('when a phone-only customer\'s SMS gets 30007 (carrier filtering), then it is not texted again: it is recorded undeliverable', async () => {
    const { app, sms, row, after } = await phoneOnlyUpdateTexted();
    await postSmsStatus(app, statusFields(sms.delivered[0].sid, 'undelivered', 30007));
    expect(await after(0)).toBe(1);
    expect(await after(HOUR)).toBe(1);
    expect(await after(24 * HOUR)).toBe(1);
    expect((await row()).state).toBe('undeliverable');
  });

  it('when the phone is refused for good (30005), then it is not texted again', async () => {
    const { app, sms, row, after } = await phoneOnlyUpdateTexted();
    await postSmsStatus(app, statusFields(sms.delivered[0].sid, 'failed', 30005));
    expect(await after(24 * HOUR)).toBe(1);
    expect((await row()).state).toBe('undeliverable');
  });

  it('when the customer also gave an e-mail, then a 30003 falls back to e-mail at once and no SMS retry follows', async () => {
    const { app, clock, smtp, sms, first } = await customerWithTwoTickets(cleanups, { PUBLIC_BASE_URL });
    await postEvent(app, first.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    await postSmsStatus(app, statusFields(sms.delivered[0].sid, 'undelivered', 30003));
    await app.followUps.sweepOnce();
    expect(smtp.mails.map((mail) => mail.to)).toEqual([[EMAIL]]);
    for (const step of [HOUR, 4 * HOUR, 24 * HOUR]) {
      clock.advance(step);
      await app.followUps.sweepOnce();
    }
    expect(sms.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
  });

  it('when a retry falls due in quiet hours (21:00-08:00), then it waits until they end', async () => {
    const { app, clock, sms, after } = await phoneOnlyUpdateTexted();
    clock.set('2026-03-03T20:30:00Z');
    await postSmsStatus(app, statusFields(sms.delivered[0].sid, 'undelivered', 30003));
    await app.followUps.sweepOnce();
    expect(await after(HOUR)).toBe(1); // 21:30: quiet
    clock.set('2026-03-04T07:59:00Z');
    expect(await after(0)).toBe(1);
    expect(await after(MINUTE)).toBe(2); // 08:00
    expect(await after(0)).toBe(2);
  });
});
