/**
 * Twilio's delivery reports (StatusCallback) for follow-up SMS, over real HTTP: the loopback fake of the SMS
 * provider takes the message, then the test posts signed reports to POST /api/sms/status as Twilio would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import type { OutboxRow } from '../../services/followUps/types';
import type { Ticket } from '../../services/tickets/types';
import { signedIn } from '../agents/agentClient';
import { describeInBrowser } from '../support/browser';
import { FakeChannel } from '../support/fakeChannel';
import { startFakeSmsProvider } from '../followUps/fakeSmsProvider';
import { contactOf, customerWithTwoTickets, EMAIL, PHONE, ticketInConsole, undeliveredEvents } from '../followUps/smsCustomer';
import { auditActions, openTicketFor, postEvent, startFollowUpApp } from '../followUps/support';
import { newMessageSid, postSmsStatus, PUBLIC_BASE_URL, statusFields, twilioSignature } from '../followUps/twilioWebhook';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A Messenger customer whose 24 h window has closed, who prefers the phone and also gave an e-mail, with two
 * open tickets on that phone; an update on the first has gone out by SMS. Returns the message's sid.
 */
async function smsFollowUpSent() {
  const { app, clock, smtp, sms, first, second } = await customerWithTwoTickets(cleanups, { PUBLIC_BASE_URL });
  await postEvent(app, first.ref, { status: 'in_progress' });
  expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });
  expect(sms.delivered).toHaveLength(1);
  expect(smtp.mails).toEqual([]);
  const row = async () => (await app.db.collection<OutboxRow>('followUpOutbox').findOne({ _id: `${first.ref}:1` }))!;
  return { app, clock, smtp, sms, first, second, sid: sms.delivered[0].sid, row };
}

describe('SMS delivery reports (signed Twilio StatusCallback to POST /api/sms/status)', () => {
  it('when the follow-up SMS goes out, then it asks Twilio for delivery reports at the public status address, and a signed "delivered" report is recorded on its outbox row', async () => {
    const { app, smtp, sms, sid, row } = await smsFollowUpSent();
    expect(sms.requests[0].form.StatusCallback).toBe(`${PUBLIC_BASE_URL}/api/sms/status`);
    expect(await row()).toMatchObject({ state: 'sent', route: 'sms', providerId: sid });

    expect(await postSmsStatus(app, statusFields(sid, 'sent'))).toEqual({ status: 200, json: { result: 'recorded' } });
    expect(await postSmsStatus(app, statusFields(sid, 'delivered'))).toEqual({ status: 200, json: { result: 'recorded' } });
    expect((await row()).delivery).toMatchObject({ status: 'delivered' });
    expect((await row()).state).toBe('sent');
    await app.followUps.sweepOnce();
    expect(smtp.mails).toEqual([]);
    expect(sms.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('when the carrier reports the SMS undelivered with 30003 (handset off), then the follow-up goes once by e-mail, the phone is not blocked, and the audit entry names no phone', async () => {
    const { app, smtp, sms, first, sid, row } = await smsFollowUpSent();
    expect(await postSmsStatus(app, statusFields(sid, 'undelivered', 30003))).toEqual({ status: 200, json: { result: 'recorded' } });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });

    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].to).toEqual([EMAIL]);
    expect(smtp.mails[0].subject).toContain(first.ref);
    expect(sms.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(await row()).toMatchObject({ state: 'sent', route: 'email', delivery: { status: 'undelivered', errorCode: 30003 }, failedRoutes: ['sms'] });
    expect((await contactOf(app, first.ref))?.smsBlocked).toBeUndefined();

    const [event] = await undeliveredEvents(app, first.ref);
    expect(event).toMatchObject({ actor: { kind: 'system' }, after: { seq: 1, route: 'sms', status: 'undelivered', code: 30003 } });
    expect(JSON.stringify(event)).not.toContain(PHONE.slice(-6));
    expect(await auditActions(app, first.ref)).toContainEqual({ action: 'followup.sent', after: { seq: 1, route: 'email', kind: 'update' } });

    // The phone was only out of reach: the next follow-up is texted again.
    await postEvent(app, first.ref, { status: 'waiting_on_customer' });
    await app.followUps.sweepOnce();
    expect(sms.delivered).toHaveLength(2);
    expect(smtp.mails).toHaveLength(1);
  });

  it('when the carrier reports 30005 (no such number), then the phone is refused on every ticket with it, shown in the console API, and the follow-up goes once by e-mail', async () => {
    const { app, smtp, sms, first, second, sid } = await smsFollowUpSent();
    expect((await postSmsStatus(app, statusFields(sid, 'failed', 30005))).status).toBe(200);
    await app.followUps.sweepOnce();
    expect(smtp.mails).toHaveLength(1);

    for (const ref of [first.ref, second.ref]) {
      expect(await contactOf(app, ref)).toMatchObject({ phone: PHONE, smsBlocked: { reason: 'invalid_number', code: 30005 } });
    }
    const agent = await signedIn(app, 'agent');
    const view = await agent.json<{ ticket: Ticket; smsUndelivered: unknown }>('GET', `/api/agent/tickets/${first.ref}`);
    expect(view.ticket.contact).toMatchObject({ phone: PHONE, smsBlocked: { reason: 'invalid_number' } });
    expect(view.smsUndelivered).toMatchObject({ status: 'failed', code: 30005 });
    expect((await agent.json<{ ticket: Ticket }>('GET', `/api/agent/tickets/${second.ref}`)).ticket.contact).toMatchObject({ smsBlocked: { reason: 'invalid_number' } });

    // The other ticket's news never texts that phone again.
    await postEvent(app, second.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(sms.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(smtp.mails.map((mail) => /\[(.*)\]/.exec(mail.subject)?.[1])).toEqual([first.ref, second.ref]);
  });

  it('when Twilio reports 30007 (carrier filtering), then the follow-up falls back to e-mail but the phone is not blocked', async () => {
    const { app, smtp, first, sid } = await smsFollowUpSent();
    await postSmsStatus(app, statusFields(sid, 'undelivered', 30007));
    await app.followUps.sweepOnce();
    expect(smtp.mails).toHaveLength(1);
    expect((await contactOf(app, first.ref))?.smsBlocked).toBeUndefined();
  });

  it('when the same undelivered report arrives again (before and after the fallback), then no second e-mail is sent and nothing more is audited', async () => {
    const { app, smtp, first, sid } = await smsFollowUpSent();
    await postSmsStatus(app, statusFields(sid, 'undelivered', 30003));
    expect(await postSmsStatus(app, statusFields(sid, 'undelivered', 30003))).toEqual({ status: 200, json: { result: 'unchanged' } });
    await app.followUps.sweepOnce();
    expect(await postSmsStatus(app, statusFields(sid, 'undelivered', 30003))).toEqual({ status: 200, json: { result: 'unchanged' } });
    expect(await postSmsStatus(app, statusFields(sid, 'failed', 30005))).toEqual({ status: 200, json: { result: 'unchanged' } });
    await app.followUps.sweepOnce();

    expect(smtp.mails).toHaveLength(1);
    expect(await undeliveredEvents(app, first.ref)).toHaveLength(1);
    expect((await contactOf(app, first.ref))?.smsBlocked).toBeUndefined();
  });

  it('when a report is forged (wrong token) or unsigned, then it is refused with 403 and nothing changes', async () => {
    const { app, smtp, first, sid, row } = await smsFollowUpSent();
    const fields = statusFields(sid, 'failed', 30005);
    expect((await postSmsStatus(app, fields, { authToken: 'not-the-token' })).status).toBe(403);
    expect((await postSmsStatus(app, fields, { signature: false })).status).toBe(403);
    // Signed for another address (a report meant for someone else's endpoint, replayed here).
    expect((await postSmsStatus(app, fields, { signature: twilioSignature('sms-token-for-tests', `${PUBLIC_BASE_URL}/api/sms/inbound`, fields) })).status).toBe(403);

    await app.followUps.sweepOnce();
    expect((await row()).delivery).toBeUndefined();
    expect((await row()).state).toBe('sent');
    expect(smtp.mails).toEqual([]);
    expect((await contactOf(app, first.ref))?.smsBlocked).toBeUndefined();
    expect(await undeliveredEvents(app, first.ref)).toEqual([]);
  });

  it('when a signed report names a message we never sent, then it is answered 200 and ignored', async () => {
    const { app, smtp, row } = await smsFollowUpSent();
    expect(await postSmsStatus(app, statusFields(newMessageSid(), 'undelivered', 30003))).toEqual({ status: 200, json: { result: 'ignored' } });
    await app.followUps.sweepOnce();
    expect((await row()).delivery).toBeUndefined();
    expect(smtp.mails).toEqual([]);
  });

  it('when a signed report has no MessageStatus or a non-numeric ErrorCode, then it is refused with 400', async () => {
    const { app, sid, row } = await smsFollowUpSent();
    const { MessageStatus, SmsStatus, ...withoutStatus } = statusFields(sid, 'delivered');
    expect((await postSmsStatus(app, withoutStatus)).status).toBe(400);
    expect((await postSmsStatus(app, { ...statusFields(sid, 'undelivered'), ErrorCode: 'x30003' })).status).toBe(400);
    expect((await row()).delivery).toBeUndefined();
  });

  it('when reports arrive out of order ("sent" or "undelivered" after "delivered"), then the final status stays delivered and nothing is resent', async () => {
    const { app, smtp, sid, row } = await smsFollowUpSent();
    await postSmsStatus(app, statusFields(sid, 'delivered'));
    expect(await postSmsStatus(app, statusFields(sid, 'sent'))).toEqual({ status: 200, json: { result: 'unchanged' } });
    expect(await postSmsStatus(app, statusFields(sid, 'queued'))).toEqual({ status: 200, json: { result: 'unchanged' } });
    expect(await postSmsStatus(app, statusFields(sid, 'undelivered', 30003))).toEqual({ status: 200, json: { result: 'unchanged' } });
    await app.followUps.sweepOnce();
    expect(await row()).toMatchObject({ state: 'sent', route: 'sms', delivery: { status: 'delivered' } });
    expect(smtp.mails).toEqual([]);
  });
});

describe('SMS delivery reports in local mode', () => {
  it('when PUBLIC_BASE_URL is not set, then the SMS asks for no status callback (Twilio could not reach a loopback address), and the door still checks signatures', async () => {
    const sms = await startFakeSmsProvider();
    const { app, clock } = await startFollowUpApp({ ...sms.env });
    const fields = statusFields(newMessageSid(), 'delivered');
    expect((await postSmsStatus(app, fields, { signature: false })).status).toBe(403);
    // Local mode's own address is http://127.0.0.1:PORT, with the configured PORT (0 in tests).
    expect((await postSmsStatus(app, fields, { signedUrl: 'http://127.0.0.1:0/api/sms/status' })).json).toEqual({ result: 'ignored' });
    const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
    cleanups.push(sms.stop, () => channel.stop(), () => app.close());
    const ticket = await openTicketFor(app, channel, channel.user(), { phone: PHONE, consent: true });
    clock.advance(25 * HOUR);
    await postEvent(app, ticket.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(sms.requests).toHaveLength(1);
    expect(sms.requests[0].form).not.toHaveProperty('StatusCallback');
  });
});

describeInBrowser('the console shows an undelivered follow-up SMS (real browser)', () => {
  it('shows "last SMS not delivered" with the error code next to the phone, and the phone refused for 30005', async () => {
    const { app, first, sid } = await smsFollowUpSent();
    await postSmsStatus(app, statusFields(sid, 'failed', 30005));
    await app.followUps.sweepOnce();
    const page = await ticketInConsole(cleanups, app, first.ref);
    await expect.poll(() => page.locator('#d-phone').textContent()).toBe(`${PHONE} · SMS: invalid number · last SMS not delivered (error 30005)`);
  });
});
