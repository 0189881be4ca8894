/** Check-in promises fall due while the team is in, as the SLA counts staffed time (SUPPORT_HOURS 08:00-20:00 UTC, Mon-Fri). */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/clock';
import { FakeChannel } from '../support/fakeChannel';
import { followUpOf, openTicketFor, postEvent, startFollowUpApp } from '../followUps/support';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A chat customer whose ticket is opened on Friday 6 March 2026 at 18:00 UTC, two hours before the team leaves. */
async function fridayEvening(env: Record<string, string> = {}) {
  const clock = new ManualClock('2026-03-06T18:00:00Z');
  const { app } = await startFollowUpApp({ FOLLOW_UP_CHECK_IN_HOURS: '24', SUPPORT_HOURS: '08:00-20:00', SUPPORT_TIME_ZONE: 'UTC', ...env }, clock);
  const channel = await new FakeChannel('emulator').start(`${app.url}/api/messages`);
  cleanups.push(() => channel.stop(), () => app.close());
  const priya = channel.user();
  const ticket = await openTicketFor(app, channel, priya);
  return { app, clock, priya, ref: ticket.ref };
}

describe('check-in promises and staffed hours (real app, fake clock, loopback channel)', () => {
  it('when 24 hours from a Friday evening fall on the weekend, then the promise and the check-in move to Monday 08:00 when the team is back', async () => {
    const { app, clock, priya, ref } = await fridayEvening();
    expect((await followUpOf(app, ref))?.promisedBy).toEqual(new Date('2026-03-09T08:00:00Z'));

    clock.set('2026-03-06T19:00:00Z');
    await postEvent(app, ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(priya.transcript().at(-1)).toMatch(/hear from us again by Monday 9 March at 08:00 \(UTC\)/);

    clock.set('2026-03-07T19:01:00Z'); // Saturday, 24 calendar hours later
    expect(await app.followUps.sweepOnce()).toMatchObject({ claimed: 0 });
    clock.set('2026-03-09T07:59:00Z');
    expect(await app.followUps.sweepOnce()).toMatchObject({ claimed: 0 });
    const before = priya.transcript().length;

    clock.set('2026-03-09T08:00:00Z');
    await app.followUps.sweepOnce();
    expect(priya.transcript()).toHaveLength(before + 1);
    expect(priya.transcript().at(-1)).toContain(`Checking in on your ticket ${ref}`);
    // A weekday: the plain 24 hours land while the team is in.
    expect(priya.transcript().at(-1)).toMatch(/by Tuesday 10 March at 08:00 \(UTC\)/);
  });

  it('when the SLA counts calendar time (SLA_CLOCK=calendar), then the promise is 24 calendar hours, weekend or not', async () => {
    const { app, clock, priya, ref } = await fridayEvening({ SLA_CLOCK: 'calendar' });
    expect((await followUpOf(app, ref))?.promisedBy).toEqual(new Date('2026-03-07T18:00:00Z'));
    clock.set('2026-03-06T19:00:00Z');
    await postEvent(app, ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(priya.transcript().at(-1)).toMatch(/hear from us again by Saturday 7 March at 19:00 \(UTC\)/);
  });
});
