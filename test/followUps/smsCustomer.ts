/** The SMS suites' customer: Messenger, its 24 h window closed, prefers the phone and gave an e-mail too. */
import type { Page } from 'playwright-core';
import type { App } from '../../index';
import { HOUR } from '../../services/clock';
import type { ContactDetails } from '../../services/tickets/types';
import { PASSWORD } from '../agents/agentClient';
import { launchChromium, openTicket, signInToConsole } from '../support/browser';
import { FakeChannel } from '../support/fakeChannel';
import { startFakeSmsProvider } from './fakeSmsProvider';
import { openTicketFor, startFollowUpApp, startSmtpSink } from './support';

export const PHONE = '+447700900123';
export const EMAIL = 'priya.r@example.com';
export const BOTH: ContactDetails = { email: EMAIL, phone: PHONE, preferred: 'phone', consent: true };

export const contactOf = async (app: App, ref: string) => (await app.tickets.get(ref))?.contact;
/** The ticket's audit entries for follow-up SMS the carrier reported not delivered. */
export const undeliveredEvents = async (app: App, ref: string) => (await app.tickets.audit.list(ref)).filter((event) => event.action === 'followup.sms_undelivered');

/** Two open tickets on the same phone, with SMTP and SMS fakes; what it starts is stopped by `cleanups`. */
export async function customerWithTwoTickets(cleanups: Array<() => Promise<void>>, env: Record<string, string> = {}) {
  const smtp = await startSmtpSink();
  const sms = await startFakeSmsProvider();
  // Check-ins a week apart, so only the updates each test makes are due.
  const { app, clock } = await startFollowUpApp({ SMTP_URL: smtp.url, ...sms.env, FOLLOW_UP_CHECK_IN_HOURS: '168', ...env });
  const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
  cleanups.push(smtp.stop, sms.stop, () => channel.stop(), () => app.close());
  const priya = channel.user();
  const first = await openTicketFor(app, channel, priya, BOTH);
  const second = await openTicketFor(app, channel, priya, BOTH);
  clock.advance(25 * HOUR);
  return { app, clock, smtp, sms, channel, priya, first, second };
}

export const PHONE_ONLY: ContactDetails = { phone: PHONE, preferred: 'phone', consent: true };

/** One open ticket of a Messenger customer (window closed) who gave only a phone: SMS is the one route left. */
export async function phoneOnlyCustomer(cleanups: Array<() => Promise<void>>, env: Record<string, string> = {}) {
  const sms = await startFakeSmsProvider();
  const { app, clock } = await startFollowUpApp({ ...sms.env, FOLLOW_UP_CHECK_IN_HOURS: '168', ...env });
  const channel = await new FakeChannel('facebook').start(`${app.url}/api/messages`);
  cleanups.push(sms.stop, () => channel.stop(), () => app.close());
  const ticket = await openTicketFor(app, channel, channel.user(), PHONE_ONLY);
  clock.advance(25 * HOUR);
  return { app, clock, sms, ticket };
}

/** An agent signed in to the console in a real browser, with this ticket open; the browser is closed by `cleanups`. */
export async function ticketInConsole(cleanups: Array<() => Promise<void>>, app: App, ref: string): Promise<Page> {
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  await app.agents.accounts.create({ email: 'asha@example.com', name: 'Asha Patel', role: 'agent', password: PASSWORD });
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
  await signInToConsole(page, app.url, 'asha@example.com', PASSWORD);
  await openTicket(page, ref);
  return page;
}
