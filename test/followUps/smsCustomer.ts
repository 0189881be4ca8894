/** The SMS suites' customer: Messenger, its 24 h window closed, prefers the phone and gave an e-mail too. */
import { HOUR } from '../../services/clock';
import type { ContactDetails } from '../../services/tickets/types';
import { FakeChannel } from '../support/fakeChannel';
import { startFakeSmsProvider } from './fakeSmsProvider';
import { openTicketFor, startFollowUpApp, startSmtpSink } from './support';

export const PHONE = '+447700900123';
export const EMAIL = 'priya.r@example.com';
export const BOTH: ContactDetails = { email: EMAIL, phone: PHONE, preferred: 'phone', consent: true };

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
