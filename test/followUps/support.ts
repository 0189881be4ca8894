/** Shared pieces of the follow-up tests: a local SMTP sink, an app with a manual clock, tickets opened quickly. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { App } from '../../index';
import { ManualClock } from '../../services/clock';
import type { FollowUpTicket } from '../../services/followUps/types';
import type { ContactDetails, Ticket } from '../../services/tickets/types';
import type { FakeChannel, FakeUser } from '../support/fakeChannel';
import { startTestApp, tempDataDir } from '../support/testApp';

export interface SunkMail {
  to: string[];
  raw: string;
  subject: string;
  /** The message with quoted-printable soft breaks and escapes undone. */
  text: string;
}

const decodeQuotedPrintable = (raw: string) =>
  Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

export async function startSmtpSink(): Promise<{ url: string; mails: SunkMail[]; stop(): Promise<void> }> {
  const mails: SunkMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw, text: decodeQuotedPrintable(raw), subject: /^Subject: (.*)$/m.exec(raw)?.[1] ?? '' });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export const API_KEY = 'test-events-key-0123456789';

/** News goes at once and the satisfaction question with the resolution here (both delays 0) unless a test sets them. */
export async function startFollowUpApp(env: Record<string, string> = {}, clock = new ManualClock('2026-03-02T10:00:00Z'), dataDir = tempDataDir()): Promise<{ app: App; clock: ManualClock; dataDir: string }> {
  const app = await startTestApp(
    { DATA_DIR: dataDir, FOLLOW_UP_SWEEP_MS: '0', TICKET_EVENTS_API_KEY: API_KEY, MAIL_FROM: 'Acme Support <support@acme.example>', CSAT_DELAY_MINUTES: '0', FOLLOW_UP_NEWS_SETTLE_SECONDS: '0', ...env },
    { clock, followUps: { retryDelayMs: 1 } },
  );
  return { app, clock, dataDir };
}

/** A ticket for this fake user, opened as the dialogs would (customer, conversation), without the chat. */
export async function openTicketFor(app: App, channel: FakeChannel, user: FakeUser, contact?: ContactDetails): Promise<Ticket> {
  const now = app.clock.now();
  return app.tickets.open(
    {
      customer: { channelId: channel.channelId, userId: user.userId, name: user.name },
      source: 'dm',
      description: 'Question about my parcel',
      ...(contact && { contact }),
      conversation: {
        channelId: channel.channelId,
        serviceUrl: channel.url,
        conversationId: user.conversationId,
        userId: user.userId,
        userName: user.name,
        botId: 'bot',
        lastCustomerMessageAt: now,
      },
    },
    { kind: 'customer', id: user.userId },
  );
}

export async function postEvent(app: App, ref: string, body: unknown, headers: Record<string, string> = { 'x-api-key': API_KEY }): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${app.url}/api/tickets/${ref}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

export async function followUpOf(app: App, ref: string): Promise<FollowUpTicket['followUp']> {
  return ((await app.tickets.get(ref)) as FollowUpTicket).followUp;
}

export async function auditActions(app: App, ref: string): Promise<Array<{ action: string; after?: unknown }>> {
  return (await app.tickets.audit.list(ref)).map((event) => ({ action: event.action, after: event.after }));
}
