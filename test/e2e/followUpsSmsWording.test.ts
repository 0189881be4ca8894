/** What customers read by SMS, as it reaches the provider: brand, opt-out words on the first, two segments at most. */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import { smsSegments } from '../../services/followUps/smsSegments';
import { FakeChannel } from '../support/fakeChannel';
import { startFakeSmsProvider } from '../followUps/fakeSmsProvider';
import { openTicketFor, postEvent, startFollowUpApp } from '../followUps/support';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const LONG_NOTE =
  'We have spoken to the courier and they found your parcel at the depot in Leeds; it will be delivered tomorrow between 9 and 12, and we have refunded the delivery charge to your card as a thank you for waiting so patiently with us.';

describe('follow-up SMS wording over real HTTP to a loopback fake of the SMS provider', () => {
  it('when a customer gets SMS follow-ups about a ticket, then only the first says "Reply STOP to opt out.", each names the brand, and each fits in two segments', async () => {
    const sms = await startFakeSmsProvider();
    const { app, clock } = await startFollowUpApp({ ...sms.env, FOLLOW_UP_CHECK_IN_HOURS: '168' });
    const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
    cleanups.push(sms.stop, () => channel.stop(), () => app.close());
    const ticket = await openTicketFor(app, channel, channel.user(), { phone: '+447700900123', consent: true });
    clock.advance(25 * HOUR);

    await postEvent(app, ticket.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    await postEvent(app, ticket.ref, { publicNote: LONG_NOTE });
    await app.followUps.sweepOnce();
    await postEvent(app, ticket.ref, { status: 'resolved', publicNote: 'Refunded the delivery charge.' });
    await app.followUps.sweepOnce();

    const bodies = sms.delivered.map((message) => message.body);
    expect(bodies).toHaveLength(4); // update, update with the note, resolution, satisfaction question
    expect(bodies[0]).toMatch(/^Acme: Update on your ticket .* Reply STOP to opt out\.$/);
    for (const body of bodies.slice(1)) expect(body).not.toContain('STOP');
    for (const body of bodies) {
      expect(body.startsWith('Acme: ')).toBe(true);
      expect(body).toContain(ticket.ref);
      expect(smsSegments(body).segments).toBeLessThanOrEqual(2);
    }
    // The long note is shortened between words, never inside one.
    const kept = /Our team says: "(.*)\.\.\."/.exec(bodies[1])?.[1] ?? '';
    expect(kept.length).toBeGreaterThan(20);
    expect(LONG_NOTE.startsWith(kept)).toBe(true);
    expect(LONG_NOTE[kept.length]).toMatch(/[\s,;]/);
  });
});
