/** SMS refusals that are for good (STOP, invalid number, landline) are remembered on the customer's tickets. */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import type { Ticket } from '../../services/tickets/types';
import { signedIn } from '../agents/agentClient';
import { describeInBrowser } from '../support/browser';
import { BOTH, contactOf, customerWithTwoTickets as twoTickets, EMAIL, PHONE, ticketInConsole } from '../followUps/smsCustomer';
import { auditActions, openTicketFor, postEvent } from '../followUps/support';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const customerWithTwoTickets = () => twoTickets(cleanups);

describe('SMS refusals for good are remembered (real HTTP to loopback SMS and SMTP fakes)', () => {
  it('when the SMS provider answers 21610 (the customer replied STOP), then this follow-up goes by e-mail and no later follow-up on any of their tickets tries SMS again', async () => {
    const { app, clock, smtp, sms, channel, priya, first, second } = await customerWithTwoTickets();
    sms.script.push({ status: 400, code: 21610 });
    await postEvent(app, first.ref, { status: 'in_progress' });
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });
    expect(sms.requests).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);

    // Both open tickets with that phone carry the mark, each change on its own audit trail.
    for (const ref of [first.ref, second.ref]) {
      expect(await contactOf(app, ref)).toMatchObject({ phone: PHONE, smsBlocked: { reason: 'opted_out', code: 21610 } });
      expect(await auditActions(app, ref)).toContainEqual({ action: 'ticket.sms_blocked', after: { sms: 'opted_out', code: 21610 } });
    }

    // Later follow-ups on either ticket, and on a ticket opened afterwards with the same phone, never text it.
    await postEvent(app, first.ref, { publicNote: 'The courier has your parcel again.' });
    await postEvent(app, second.ref, { status: 'in_progress' });
    const third = await openTicketFor(app, channel, priya, BOTH);
    clock.advance(25 * HOUR);
    await postEvent(app, third.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(sms.requests).toHaveLength(1);
    expect(smtp.mails.map((mail) => /\[(.*)\]/.exec(mail.subject)?.[1]).sort()).toEqual([first.ref, first.ref, second.ref, third.ref].sort());
    expect(await contactOf(app, third.ref)).toMatchObject({ smsBlocked: { reason: 'opted_out' } });
    expect((await auditActions(app, third.ref)).find((event) => event.action === 'followup.route_skipped' && (event.after as { route: string }).route === 'sms')).toBeDefined();
  });

  it('when the SMS provider says the number is a landline (21614), then the phone is marked unusable for SMS and the next follow-up goes by e-mail only', async () => {
    const { app, smtp, sms, first } = await customerWithTwoTickets();
    sms.script.push({ status: 400, code: 21614 });
    await postEvent(app, first.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(await contactOf(app, first.ref)).toMatchObject({ smsBlocked: { reason: 'not_mobile', code: 21614 } });

    await postEvent(app, first.ref, { status: 'waiting_on_customer' });
    await app.followUps.sweepOnce();
    expect(sms.requests).toHaveLength(1);
    expect(smtp.mails).toHaveLength(2);
  });

  it('when the SMS provider fails for a moment (500), then nothing is marked and SMS stays in use', async () => {
    const { app, sms, first } = await customerWithTwoTickets();
    sms.script.push({ status: 500 });
    await postEvent(app, first.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    expect(sms.delivered).toHaveLength(1);
    expect((await contactOf(app, first.ref))?.smsBlocked).toBeUndefined();
  });

  it('shows agents the opt-out in the ticket API next to the phone', async () => {
    const { app, sms, first } = await customerWithTwoTickets();
    sms.script.push({ status: 400, code: 21610 });
    await postEvent(app, first.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    const agent = await signedIn(app, 'agent');
    const { ticket } = await agent.json<{ ticket: Ticket }>('GET', `/api/agent/tickets/${first.ref}`);
    expect(ticket.contact).toMatchObject({ phone: PHONE, smsBlocked: { reason: 'opted_out' } });
  });
});

describeInBrowser('the console marks a phone that opted out of SMS (real browser)', () => {
  it('shows "SMS: opted out" next to the phone on every open ticket of a customer who replied STOP', async () => {
    const { app, sms, first, second } = await customerWithTwoTickets();
    sms.script.push({ status: 400, code: 21610 });
    await postEvent(app, first.ref, { status: 'in_progress' });
    await app.followUps.sweepOnce();
    const page = await ticketInConsole(cleanups, app, second.ref);
    await expect.poll(() => page.locator('#d-phone').textContent()).toBe(`${PHONE} · SMS: opted out`);
  });
});
