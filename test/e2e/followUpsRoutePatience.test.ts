/**
 * A brief failure of the customer's first route (greylisting, SMS 429) is waited out on that route, with
 * growing back-off across sweeps, before another route is used; over real SMTP and HTTP to loopback fakes.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../services/clock';
import type { OutboxRow } from '../../services/followUps/types';
import type { ContactDetails } from '../../services/tickets/types';
import { FakeChannel } from '../support/fakeChannel';
import { startFakeSmsProvider } from '../followUps/fakeSmsProvider';
import { auditActions, openTicketFor, postEvent, startFollowUpApp } from '../followUps/support';

const PHONE = '+447700900123';
const EMAIL = 'priya.r@example.com';
const PREFERS_EMAIL: ContactDetails = { email: EMAIL, phone: PHONE, preferred: 'email', consent: true };

/** A mail server that refuses at RCPT with `refuseWith` (451 = greylisting) while it is set, and otherwise takes the mail. */
async function startGreylistingServer() {
  const state = { refuseWith: 451 as number | undefined, refused: 0, accepted: [] as string[] };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!state.refuseWith) return callback();
      state.refused++;
      callback(Object.assign(new Error('Not now or not here'), { responseCode: state.refuseWith }));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        state.accepted.push(Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, '')); // quoted-printable soft breaks undone
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, state, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Messenger customer whose 24 h window has closed, so follow-ups go by e-mail or SMS. */
async function closedWindow(contact: ContactDetails) {
  const smtp = await startGreylistingServer();
  const sms = await startFakeSmsProvider();
  const { app, clock } = await startFollowUpApp({ SMTP_URL: smtp.url, ...sms.env });
  const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
  cleanups.push(smtp.stop, sms.stop, () => channel.stop(), () => app.close());
  const ticket = await openTicketFor(app, channel, channel.user(), contact);
  clock.advance(25 * HOUR);
  const outbox = () => app.db.collection<OutboxRow>('followUpOutbox').find({ ticketRef: ticket.ref });
  const actions = async (action: string) => (await auditActions(app, ticket.ref)).filter((event) => event.action === action);
  /** Moves the clock on by `minutes` and sweeps. */
  const after = async (minutes: number) => {
    clock.advance(minutes * MINUTE);
    return app.followUps.sweepOnce();
  };
  return { app, clock, smtp, sms, ref: ticket.ref, outbox, actions, after };
}

describe('a brief failure of the preferred route is waited out there (real SMTP and SMS fakes on loopback)', () => {
  it('when the customer prefers e-mail and their mail server greylists us, then no SMS goes out; the e-mail is tried again 5 minutes later and arrives once', async () => {
    const { app, smtp, sms, ref, outbox, actions, after } = await closedWindow(PREFERS_EMAIL);
    await postEvent(app, ref, { status: 'in_progress' });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 0, deferred: 1 });
    expect(sms.requests).toEqual([]);
    expect(smtp.state.refused).toBe(3); // the in-sweep tries, all on the audit trail
    expect(await actions('followup.attempt_failed')).toHaveLength(3);
    expect(await actions('followup.route_held')).toMatchObject([{ after: { seq: 1, route: 'email', tries: 1 } }]);
    expect(await outbox()).toMatchObject([{ state: 'pending', hold: { route: 'email', tries: 1 } }]);

    // News while the route is held: looked at early, nothing is sent before the held try, and the order is kept.
    await postEvent(app, ref, { publicNote: 'The courier has your parcel again.' });
    expect(await after(1)).toMatchObject({ sent: 0 });
    expect(smtp.state.refused).toBe(3);
    expect(sms.requests).toEqual([]);

    smtp.state.refuseWith = undefined;
    expect(await after(4)).toMatchObject({ sent: 2 });
    expect(smtp.state.accepted).toHaveLength(2);
    expect(smtp.state.accepted[0]).toContain('working on it');
    expect(smtp.state.accepted[1]).toContain('The courier has your parcel again.');
    expect(sms.requests).toEqual([]);
    expect((await actions('followup.sent')).map((event) => event.after)).toEqual([
      { seq: 1, route: 'email', kind: 'update' },
      { seq: 2, route: 'email', kind: 'update' },
    ]);
    await after(60);
    expect(smtp.state.accepted).toHaveLength(2);
  });

  it('when the greylisting goes on, then a check-in keeps to e-mail at 5, 20, 65 and 110 minutes and only at 2 hours goes by SMS, once', async () => {
    const { app, smtp, sms, outbox, actions, after } = await closedWindow(PREFERS_EMAIL);
    // Nothing changed for 24 h: a check-in is due.
    await app.followUps.sweepOnce();
    expect((await outbox())[0]).toMatchObject({ kind: 'check_in', hold: { tries: 1 } });
    await after(4);
    expect(smtp.state.refused).toBe(3); // not before its time
    for (const [minutes, tries] of [[1, 2], [15, 3], [45, 4], [45, 5]] as const) {
      await after(minutes);
      expect(sms.requests).toEqual([]);
      expect((await outbox())[0]).toMatchObject({ state: 'pending', hold: { route: 'email', tries } });
    }
    expect(smtp.state.refused).toBe(15);
    expect(await after(9)).toMatchObject({ sent: 0 });
    expect(sms.requests).toEqual([]);
    expect(await after(1)).toMatchObject({ sent: 1 });
    expect(sms.delivered).toHaveLength(1);
    expect(smtp.state.refused).toBe(18);
    expect(await actions('followup.route_given_up')).toMatchObject([{ after: { route: 'email', tries: 6 } }]);
    expect((await actions('followup.sent')).map((event) => event.after)).toEqual([{ seq: 1, route: 'sms', kind: 'check_in' }]);
    await after(60);
    expect(sms.delivered).toHaveLength(1);
    expect(smtp.state.accepted).toEqual([]);
  });

  it('when a status update meets greylisting, then it waits 30 minutes at most (news gets stale) before going by SMS', async () => {
    const { app, sms, ref, actions, after } = await closedWindow(PREFERS_EMAIL);
    await postEvent(app, ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    await after(5);
    await after(15);
    expect(sms.requests).toEqual([]);
    expect(await after(10)).toMatchObject({ sent: 1 });
    expect(sms.delivered).toHaveLength(1);
    expect(sms.delivered[0].body).toContain('working on it');
    expect((await actions('followup.route_held')).map((event) => (event.after as { tries: number }).tries)).toEqual([1, 2, 3]);
  });

  it('when the customer prefers SMS and the provider answers 429, then no e-mail goes out and the SMS is tried again later under the same idempotency key', async () => {
    const { app, smtp, sms, ref, after } = await closedWindow({ ...PREFERS_EMAIL, preferred: 'phone' });
    sms.script.push({ status: 429 }, { status: 429 }, { status: 429 });
    await postEvent(app, ref, { status: 'in_progress' });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 0, deferred: 1 });
    expect(smtp.state.refused + smtp.state.accepted.length).toBe(0);
    expect(await after(5)).toMatchObject({ sent: 1 });
    expect(sms.delivered).toHaveLength(1);
    expect(new Set(sms.requests.map((request) => request.idempotencyKey))).toEqual(new Set([`${ref}:1`]));
    expect(smtp.state.refused + smtp.state.accepted.length).toBe(0);
  });

  it('when the preferred route refuses for good (550), then the next route is used in the same sweep', async () => {
    const { app, smtp, sms, ref, actions } = await closedWindow(PREFERS_EMAIL);
    smtp.state.refuseWith = 550;
    await postEvent(app, ref, { status: 'in_progress' });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });
    expect(smtp.state.refused).toBe(1);
    expect(sms.delivered).toHaveLength(1);
    expect(await actions('followup.route_held')).toEqual([]);
  });
});
