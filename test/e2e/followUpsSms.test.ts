import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import type { OutboxRow } from '../../services/followUps/types';
import type { ContactDetails } from '../../services/tickets/types';
import { FakeChannel } from '../support/fakeChannel';
import { SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM, startFakeSmsProvider } from '../followUps/fakeSmsProvider';
import { auditActions, openTicketFor, postEvent, startFollowUpApp, startSmtpSink } from '../followUps/support';

const PHONE = '+447700900123';
const EMAIL = 'priya.r@example.com';

describe('follow-ups by SMS over real HTTP to a loopback fake of the SMS provider', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A Messenger customer whose 24 h window has closed, with these contact details, and a status change due. */
  async function closedMessengerWindow(contact: ContactDetails, env: Record<string, string> = {}) {
    const smtp = await startSmtpSink();
    const sms = await startFakeSmsProvider();
    const { app, clock } = await startFollowUpApp({ SMTP_URL: smtp.url, ...sms.env, ...env });
    const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
    cleanups.push(smtp.stop, sms.stop, () => channel.stop(), () => app.close());
    const priya = channel.user();
    const ticket = await openTicketFor(app, channel, priya, contact);
    clock.advance(25 * HOUR);
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    const outbox = () => app.db.collection<OutboxRow>('followUpOutbox').find({ ticketRef: ticket.ref });
    return { app, smtp, sms, priya, ref: ticket.ref, outbox };
  }

  it('when the Messenger window has closed and the customer gave only a phone with consent, then the update goes by SMS with the reference and the route is on the audit trail', async () => {
    const { app, smtp, sms, priya, ref, outbox } = await closedMessengerWindow({ phone: PHONE, consent: true });
    expect(await app.followUps.sweepOnce()).toMatchObject({ claimed: 1, sent: 1 });

    expect(priya.transcript()).toEqual([]);
    expect(smtp.mails).toEqual([]);
    expect(sms.requests).toHaveLength(1);
    const [request] = sms.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${SMS_ACCOUNT_SID}/Messages.json`,
      authorization: `Basic ${Buffer.from(`${SMS_ACCOUNT_SID}:${SMS_AUTH_TOKEN}`).toString('base64')}`,
      contentType: 'application/x-www-form-urlencoded',
      idempotencyKey: `${ref}:1`,
    });
    expect(Object.keys(request.form).sort()).toEqual(['Body', 'From', 'To']);
    expect(sms.delivered).toHaveLength(1);
    expect(sms.delivered[0]).toMatchObject({ to: PHONE, from: SMS_FROM });
    expect(sms.delivered[0].body).toMatch(/^Acme: Update on your ticket /);
    expect(sms.delivered[0].body).toContain(ref);
    expect(sms.delivered[0].body).toContain('working on it');
    expect(sms.delivered[0].body).not.toMatch(/@|e-?mail/i);

    const actions = await auditActions(app, ref);
    expect(actions.find((event) => event.action === 'followup.route_skipped')).toMatchObject({ after: { seq: 1, route: 'dm' } });
    expect(actions).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'sms', kind: 'update' } });
    expect(await outbox()).toMatchObject([{ _id: `${ref}:1`, state: 'sent', route: 'sms' }]);
    // Nothing new: the next sweep sends nothing more.
    await app.followUps.sweepOnce();
    expect(sms.requests).toHaveLength(1);
  });

  it('when the customer prefers the phone and gave both e-mail and phone, then SMS is tried first and no e-mail follows', async () => {
    const { app, smtp, sms, ref } = await closedMessengerWindow({ email: EMAIL, phone: PHONE, preferred: 'phone', consent: true });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });
    expect(sms.delivered).toHaveLength(1);
    expect(sms.delivered[0].body).toContain(ref);
    expect(smtp.mails).toEqual([]);
    expect(await auditActions(app, ref)).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'sms', kind: 'update' } });
  });

  it('when the customer prefers e-mail and gave both, then the e-mail goes and no SMS is sent', async () => {
    const { app, smtp, sms, ref } = await closedMessengerWindow({ email: EMAIL, phone: PHONE, preferred: 'email', consent: true });
    await app.followUps.sweepOnce();
    expect(smtp.mails).toHaveLength(1);
    expect(sms.requests).toEqual([]);
    expect(await auditActions(app, ref)).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'email', kind: 'update' } });
  });

  it('when the SMS provider answers 500 twice and then 201, then the same message is retried under one idempotency key and delivered once', async () => {
    const { app, smtp, sms, ref, outbox } = await closedMessengerWindow({ email: EMAIL, phone: PHONE, preferred: 'phone', consent: true });
    sms.script.push({ status: 500 }, { status: 500 });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1, deferred: 0 });

    // Before each retry the provider is asked whether the failed send went out after all (it did not).
    const sends = sms.requests.filter((request) => request.method === 'POST');
    expect(sms.requests.map((request) => request.method)).toEqual(['POST', 'GET', 'POST', 'GET', 'POST']);
    expect(sends.map((request) => request.idempotencyKey)).toEqual([`${ref}:1`, `${ref}:1`, `${ref}:1`]);
    expect(new Set(sends.map((request) => request.form.Body)).size).toBe(1);
    expect(sms.delivered).toHaveLength(1);
    expect(smtp.mails).toEqual([]);
    const actions = await auditActions(app, ref);
    expect(actions.filter((event) => event.action === 'followup.attempt_failed')).toEqual([
      { action: 'followup.attempt_failed', after: { seq: 1, route: 'sms', attempt: 1, error: 'transient', status: 500 } },
      { action: 'followup.attempt_failed', after: { seq: 1, route: 'sms', attempt: 2, error: 'transient', status: 500 } },
    ]);
    expect(actions).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'sms', kind: 'update' } });
    expect(await outbox()).toMatchObject([{ state: 'sent', route: 'sms' }]);
    await app.followUps.sweepOnce();
    expect(sms.requests).toHaveLength(5);
  });

  it('when the SMS provider fails with 500 after taking the message, then it is found among the number\'s messages and never sent twice', async () => {
    const { app, smtp, sms, ref, outbox } = await closedMessengerWindow({ email: EMAIL, phone: PHONE, preferred: 'phone', consent: true });
    sms.script.push({ status: 500, createdAnyway: true });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });
    expect(sms.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
    expect(sms.delivered).toHaveLength(1);
    expect(smtp.mails).toEqual([]);
    expect(await auditActions(app, ref)).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'sms', kind: 'update' } });
    expect(await outbox()).toMatchObject([{ state: 'sent', route: 'sms' }]);
  });

  it('when the SMS provider answers too late (it may have taken the message), then the SMS is not repeated and no other route sends it again', async () => {
    const { app, smtp, sms, ref, outbox } = await closedMessengerWindow({ email: EMAIL, phone: PHONE, preferred: 'phone', consent: true }, { FOLLOW_UP_SEND_TIMEOUT_MS: '150' });
    sms.script.push({ status: 201, delayMs: 1000 });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });

    expect(sms.requests).toHaveLength(1);
    expect(smtp.mails).toEqual([]);
    const actions = await auditActions(app, ref);
    expect(actions).toContainEqual({ action: 'followup.attempt_failed', after: { seq: 1, route: 'sms', attempt: 1, error: 'timeout' } });
    expect(actions).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'sms', kind: 'update', unconfirmed: true } });
    expect(await outbox()).toMatchObject([{ state: 'sent', route: 'sms' }]);
    await app.followUps.sweepOnce();
    expect(sms.requests).toHaveLength(1);
  });

  it('when the SMS provider refuses the number (400, code 21211) and the customer agreed to e-mail, then the follow-up falls back to e-mail', async () => {
    const { app, smtp, sms, ref, outbox } = await closedMessengerWindow({ email: EMAIL, phone: PHONE, preferred: 'phone', consent: true });
    sms.script.push({ status: 400, code: 21211 });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });

    expect(sms.requests).toHaveLength(1);
    expect(sms.delivered).toEqual([]);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].to).toEqual([EMAIL]);
    expect(smtp.mails[0].subject).toContain(ref);
    const actions = await auditActions(app, ref);
    expect(actions).toContainEqual({ action: 'followup.attempt_failed', after: { seq: 1, route: 'sms', attempt: 1, error: 'gone', status: 400 } });
    expect(actions).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'email', kind: 'update' } });
    expect(await outbox()).toMatchObject([{ state: 'sent', route: 'email' }]);
  });

  it('when the SMS provider refuses the number and there is no e-mail to fall back to, then the follow-up is recorded as undeliverable and not retried', async () => {
    const { app, smtp, sms, ref, outbox } = await closedMessengerWindow({ phone: PHONE, consent: true });
    sms.script.push({ status: 400, code: 21211 });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 0, failed: 1 });

    expect(sms.requests).toHaveLength(1);
    expect(sms.delivered).toEqual([]);
    expect(smtp.mails).toEqual([]);
    const actions = await auditActions(app, ref);
    expect(actions).toContainEqual({ action: 'followup.attempt_failed', after: { seq: 1, route: 'sms', attempt: 1, error: 'gone', status: 400 } });
    expect(actions.find((event) => event.action === 'followup.undeliverable')).toMatchObject({ after: { seq: 1, routes: ['dm', 'sms'] } });
    expect(await outbox()).toMatchObject([{ state: 'undeliverable' }]);
    await app.followUps.sweepOnce();
    expect(sms.requests).toHaveLength(1);
  });

  it('when the customer gave a phone without consent, then no SMS is sent and the follow-up is undeliverable', async () => {
    const { app, sms, ref } = await closedMessengerWindow({ phone: PHONE, consent: false });
    await app.followUps.sweepOnce();
    expect(sms.requests).toEqual([]);
    expect((await auditActions(app, ref)).map((event) => event.action)).toContain('followup.undeliverable');
  });
});
