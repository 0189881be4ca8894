/**
 * Delivers one follow-up: into the customer's conversation when its channel window is open, else through
 * the contact details they gave (with consent; their preferred method first). Transient failures retry
 * with backoff; if the first route still fails, it is held and tried again in later sweeps until its patience
 * runs out, and only then is the next route used. Permanent failures fall through at once; an SMS refusal for
 * good (STOP, invalid, landline) is remembered for the phone. Every attempt lands on the audit trail.
 */
import { type Clock, MINUTE } from '../clock';
import { ChannelSendError, type ConversationDirectory, type ConversationSender } from '../conversations';
import type { AuditTrail } from '../tickets/audit';
import type { Transcripts } from '../tickets/transcript';
import { BOT_ACTOR, type Actor, type ConversationRecord, type SmsBlock } from '../tickets/types';
import type { EmailSender } from './email';
import { OutcomeUnknownError } from './outcomeUnknown';
import type { QuietHours } from './quietHours';
import { type SmsSender, SmsPhoneRefusedError } from './sms';
import { smsRetryDue, smsRetryKey } from './smsRetry';
import type { FollowUpTicket, MessageKind, OutboxRow, RouteHold, RouteName } from './types';
import { dmWindow } from './windows';

export const FOLLOW_UP_ACTOR: Actor = { kind: 'system', id: 'follow-ups' };

export type DeliveryOutcome =
  | { outcome: 'sent'; route: RouteName; unconfirmed?: boolean; providerId?: string; smsRetry?: number }
  /** Every usable route failed for now (transient), or the first route is held for a later try: try again later. */
  | { outcome: 'retry_later'; hold?: RouteHold }
  /** No route can ever take it (no conversation in window, no consent, all refused). */
  | { outcome: 'undeliverable'; reason: string };

export interface NotifierDeps {
  conversations: ConversationSender;
  directory: Pick<ConversationDirectory, 'get'>;
  audit: Pick<AuditTrail, 'append'>;
  clock: Clock;
  email?: EmailSender;
  sms?: SmsSender;
  transcripts?: Pick<Transcripts, 'record'>;
  timeoutMs: number;
  retryAttempts: number;
  /** First backoff delay; doubles per attempt (with jitter), capped at 8×. */
  retryDelayMs?: number;
  /** Phones the SMS provider refused for good: looked up before texting, and written when it refuses. */
  smsBlocks?: SmsBlocks;
  /** Whether this ticket's customer already got an SMS about it (the first one carries the opt-out words). */
  smsSentBefore?: (ticketRef: string) => Promise<boolean>;
  /** How long a transient failure of the first route is waited out before another route is used (0 = not at all). */
  patience?: RoutePatience;
  /** SMS retries after a passing carrier error wait for these to end (in the customer's time zone). */
  quietHours?: QuietHours;
  /** Takes this retry of the row for this send, once (a conditional write); false = taken already. */
  claimSmsRetry?: (row: OutboxRow, attempt: number) => Promise<boolean>;
  /** Gives a claimed retry back when the provider surely did not take it (so it is tried again, not lost). */
  releaseSmsRetry?: (row: OutboxRow, attempt: number) => Promise<void>;
}

export interface DeliveryContext {
  /** The customer's time zone, for quiet hours. */
  timeZone?: string;
}

export interface SmsBlocks {
  blockOf(phone: string): Promise<SmsBlock | undefined>;
  block(ticketRef: string, phone: string, block: SmsBlock): Promise<void>;
}

export interface RoutePatience {
  /** Check-ins and the satisfaction question. */
  defaultMs: number;
  /** Status updates, resolution, closing: news that gets stale. */
  newsMs: number;
}

/** Waits between tries of a held route: 5, 15, then every 45 minutes until the patience runs out. */
const HOLD_BACKOFF_MS = [5 * MINUTE, 15 * MINUTE, 45 * MINUTE];

// News is worth less the later it comes, so it waits less for the preferred route than a check-in does.
const NEWS_KINDS: ReadonlySet<MessageKind> = new Set(['update', 'resolution', 'closed']);

class SendTimeout extends OutcomeUnknownError {
  constructor(route: RouteName, ms: number) {
    super(`${route} send timed out after ${ms} ms`);
    this.name = 'SendTimeout';
  }
}

/** How long a sender told to stop may take to say whether its data had left. */
const ABORT_GRACE_MS = 1000;

type Settled<T> = { value: T } | { error: unknown };
const settle = <T>(work: Promise<T>): Promise<Settled<T>> => work.then((value) => ({ value }), (error: unknown) => ({ error }));

/** The settled work, or undefined when it takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  /** The routes to try, in order: the chat first, then e-mail/SMS with consent, the preferred one first. */
  routesFor(ticket: FollowUpTicket): RouteName[] {
    const routes: RouteName[] = ticket.conversation ? ['dm'] : [];
    const contact = ticket.contact;
    if (!contact?.consent) return routes;
    const smsUsable = !contact.smsBlocked;
    const order: RouteName[] = contact.preferred === 'phone' ? ['sms', 'email'] : ['email', 'sms'];
    for (const route of order) {
      if (route === 'email' && contact.email && this.deps.email) routes.push('email');
      if (route === 'sms' && contact.phone && smsUsable && this.deps.sms) routes.push('sms');
    }
    return routes;
  }

  async deliver(ticket: FollowUpTicket, row: OutboxRow, context: DeliveryContext = {}): Promise<DeliveryOutcome> {
    const routes = await this.usableRoutes(ticket, row);
    let sawTransient = false;
    let firstTried = true;
    for (const [index, route] of routes.entries()) {
      if (route === 'dm') {
        const reason = await this.dmClosedReason(ticket);
        if (reason) {
          await this.record(row, 'followup.route_skipped', { route }, reason);
          continue;
        }
      }
      const { result, providerId } = await this.tryRoute(ticket, row, route);
      if (result === 'sent' || result === 'unconfirmed') {
        await this.record(row, 'followup.sent', { route, kind: row.kind, ...(result === 'unconfirmed' && { unconfirmed: true }) });
        return { outcome: 'sent', route, ...(result === 'unconfirmed' && { unconfirmed: true }), ...(providerId && { providerId }) };
      }
      if (result === 'transient' && firstTried && index < routes.length - 1) {
        // A brief delay on the route the customer expects is waited out there, not answered on another route.
        const hold = this.holdFor(row, route);
        if (hold) {
          await this.record(row, 'followup.route_held', { route, tries: hold.tries, retryAt: hold.nextAt.toISOString() }, `${route} failed for now; tried again before any other route`);
          return { outcome: 'retry_later', hold };
        }
        await this.record(row, 'followup.route_given_up', { route, tries: (row.hold?.route === route ? row.hold.tries : 0) + 1 }, `${route} kept failing; the next route is used`);
      }
      if (result === 'transient') sawTransient = true;
      firstTried = false;
    }
    if (sawTransient) return { outcome: 'retry_later' };
    const retried = await this.retrySms(ticket, row, context);
    if (retried) return retried;
    const reason =
      routes.length > 0 ? 'every route refused or was closed'
      : row.failedRoutes?.length ? `not delivered by ${row.failedRoutes.join(', ')}, and no other route is left`
      : 'no route: no conversation, and no contact details with consent';
    await this.record(row, 'followup.undeliverable', { routes }, reason);
    return { outcome: 'undeliverable', reason };
  }

  /**
   * routesFor, without the routes this message was already reported undelivered on (never sent there twice),
   * and without SMS when the phone was refused for good (on this ticket or any other with that phone).
   */
  private async usableRoutes(ticket: FollowUpTicket, row: OutboxRow): Promise<RouteName[]> {
    const routes = this.routesFor(ticket).filter((route) => !row.failedRoutes?.includes(route));
    const phone = ticket.contact?.phone;
    if (!routes.includes('sms') || !phone || !this.deps.smsBlocks) return routes;
    const block = await this.deps.smsBlocks.blockOf(phone);
    if (!block) return routes;
    await this.deps.smsBlocks.block(ticket.ref, phone, block).catch(() => undefined);
    await this.record(row, 'followup.route_skipped', { route: 'sms' }, `the SMS provider refused this phone before (${block.reason.replace(/_/g, ' ')})`);
    return routes.filter((route) => route !== 'sms');
  }

  /**
   * No other route is left after a passing carrier error: SMS is tried again later as a new message (the first
   * never arrived), held until due. Each retry is claimed on the row before it is sent, so it happens once.
   */
  private async retrySms(ticket: FollowUpTicket, row: OutboxRow, context: DeliveryContext): Promise<DeliveryOutcome | undefined> {
    const due = this.deps.claimSmsRetry && smsRetryDue(row, context.timeZone ?? 'UTC', this.deps.quietHours);
    if (!due || !this.routesFor(ticket).includes('sms')) return undefined;
    if (await this.deps.smsBlocks?.blockOf(ticket.contact!.phone!)) return undefined;
    const now = this.deps.clock.now();
    if (due.at > now) {
      const hold: RouteHold = { route: 'sms', since: row.delivery!.at, tries: due.attempt, nextAt: due.at };
      await this.record(row, 'followup.sms_retry_planned', { route: 'sms', attempt: due.attempt, retryAt: due.at.toISOString() }, 'the phone could not be reached for now and no other route is left; SMS is tried again later');
      return { outcome: 'retry_later', hold };
    }
    if (!(await this.deps.claimSmsRetry!(row, due.attempt))) return { outcome: 'retry_later' };
    const { result, providerId } = await this.tryRoute(ticket, row, 'sms', smsRetryKey(row, due.attempt));
    if (result === 'transient') {
      // Every try failed before the provider took it (lookup-before-retry said so): the same retry is tried next sweep.
      await this.deps.releaseSmsRetry?.(row, due.attempt);
      return { outcome: 'retry_later' };
    }
    if (result !== 'sent' && result !== 'unconfirmed') return undefined;
    await this.record(row, 'followup.sent', { route: 'sms', kind: row.kind, smsRetry: due.attempt, ...(result === 'unconfirmed' && { unconfirmed: true }) });
    return { outcome: 'sent', route: 'sms', smsRetry: due.attempt, ...(result === 'unconfirmed' && { unconfirmed: true }), ...(providerId && { providerId }) };
  }

  /** The next try of a held route, or undefined when its patience is spent (counted from the first failure). */
  private holdFor(row: OutboxRow, route: RouteName): RouteHold | undefined {
    const patience = this.deps.patience ?? { defaultMs: 0, newsMs: 0 };
    const budget = NEWS_KINDS.has(row.kind) ? patience.newsMs : patience.defaultMs;
    const now = this.deps.clock.now();
    const prior = row.hold?.route === route ? row.hold : undefined;
    const since = prior ? new Date(prior.since) : now;
    const deadline = since.getTime() + budget;
    if (now.getTime() >= deadline) return undefined;
    const tries = (prior?.tries ?? 0) + 1;
    const wait = HOLD_BACKOFF_MS[Math.min(tries - 1, HOLD_BACKOFF_MS.length - 1)];
    return { route, since, tries, nextAt: new Date(Math.min(now.getTime() + wait, deadline)) };
  }

  private async dmClosedReason(ticket: FollowUpTicket): Promise<string | undefined> {
    const conversation = await this.conversationOf(ticket);
    const verdict = dmWindow({
      channelId: conversation.channelId,
      ...(conversation.lastCustomerMessageAt && { lastCustomerMessageAt: conversation.lastCustomerMessageAt }),
      now: this.deps.clock.now(),
      author: 'automated',
    });
    return verdict.open ? undefined : verdict.reason;
  }

  /** The directory's entry is fresher than the ticket's copy (service URL, last customer message). */
  private async conversationOf(ticket: FollowUpTicket): Promise<ConversationRecord> {
    const stored = ticket.conversation!;
    const entry = await this.deps.directory.get(stored.channelId, stored.conversationId);
    if (!entry) return stored;
    const { _id, ticketRef, updatedAt, ...record } = entry;
    return record;
  }

  /** One route with retries: 'transient' when retries ran out, 'permanent' for gone/refused. */
  private async tryRoute(ticket: FollowUpTicket, row: OutboxRow, route: RouteName, key = row._id): Promise<{ result: 'sent' | 'unconfirmed' | 'transient' | 'permanent'; providerId?: string }> {
    const attempts = Math.max(1, this.deps.retryAttempts);
    const smsText = route === 'sms' ? await this.smsTextOf(row) : '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const providerId = await this.withTimeout(route, (signal) => this.sendOnce(ticket, row, route, signal, smsText, key));
        return { result: 'sent', ...(providerId && { providerId }) };
      } catch (error) {
        if (error instanceof OutcomeUnknownError) {
          // It may have arrived: never repeat it on this route (a retry after a timeout must not double-message).
          await this.record(row, 'followup.attempt_failed', { route, attempt, error: 'timeout' }, 'outcome unknown; not repeated');
          return { result: 'unconfirmed' };
        }
        const failure = error instanceof ChannelSendError ? error : new ChannelSendError('transient', undefined, String(error), { cause: error });
        await this.record(row, 'followup.attempt_failed', { route, attempt, error: failure.kind, ...(failure.status && { status: failure.status }) });
        if (failure instanceof SmsPhoneRefusedError) await this.rememberSmsRefusal(ticket, failure);
        if (failure.kind !== 'transient') return { result: 'permanent' };
        if (attempt < attempts) await this.backoff(attempt);
      }
    }
    return { result: 'transient' };
  }

  /** The first SMS about a ticket says how to opt out; the same text on every try of one message. */
  private async smsTextOf(row: OutboxRow): Promise<string> {
    if (!row.smsFirstText) return row.smsText;
    return (await this.deps.smsSentBefore?.(row.ticketRef)) ? row.smsText : row.smsFirstText;
  }

  private async rememberSmsRefusal(ticket: FollowUpTicket, failure: SmsPhoneRefusedError): Promise<void> {
    const phone = ticket.contact?.phone;
    if (!phone || !this.deps.smsBlocks) return;
    // Not remembered this time (store trouble): the next SMS is refused again and remembered then; nobody is texted twice.
    await this.deps.smsBlocks.block(ticket.ref, phone, { reason: failure.block, code: failure.providerCode, at: this.deps.clock.now() }).catch(() => undefined);
  }

  /** Sends once; for SMS, answers the provider's message id (its delivery reports are matched by it). */
  private async sendOnce(ticket: FollowUpTicket, row: OutboxRow, route: RouteName, signal: AbortSignal, smsText: string, key: string): Promise<string | undefined> {
    const contact = ticket.contact;
    if (route === 'email') {
      await this.deps.email!.send({ to: contact!.email!, subject: row.subject, text: row.emailText, idempotencyKey: row._id }, { signal });
      return undefined;
    }
    if (route === 'sms') {
      // A retry's lookup-before-retry must not mistake the undelivered earlier try (same text) for itself.
      const earlierIds = key === row._id ? [] : [...(row.earlierProviderIds ?? []), ...(row.providerId ? [row.providerId] : [])];
      return (await this.deps.sms!.send({ to: contact!.phone!, text: smsText, idempotencyKey: key, ...(earlierIds.length > 0 && { earlierIds }) })).providerId;
    }
    const conversation = await this.conversationOf(ticket);
    await this.deps.conversations.send(conversation, { text: row.text, idempotencyKey: row._id, ...(row.suggestions && { suggestions: row.suggestions }), from: { kind: 'bot', id: 'bot' } });
    await this.deps.transcripts
      ?.record({ conversationId: conversation.conversationId, channelId: conversation.channelId, ticketRef: ticket.ref, direction: 'out', actor: BOT_ACTOR, text: row.text })
      .catch(() => undefined);
    return undefined;
  }

  /**
   * Races the send against the deadline. The e-mail sender is told through the signal and answers how far it
   * got (a failure before the data left is a plain, retryable one); for a route that cannot say, or does not
   * answer within a short grace, a timeout means the message may have arrived.
   */
  private async withTimeout<T>(route: RouteName, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const pending = settle(work(controller.signal));
    let outcome = await within(pending, this.deps.timeoutMs);
    if (!outcome && route === 'email') {
      controller.abort();
      outcome = await within(pending, ABORT_GRACE_MS);
    }
    if (!outcome) throw new SendTimeout(route, this.deps.timeoutMs);
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  private backoff(attempt: number): Promise<void> {
    const base = this.deps.retryDelayMs ?? 500;
    const delay = Math.min(base * 2 ** (attempt - 1), base * 8) * (0.5 + Math.random() / 2);
    return new Promise((resolve) => setTimeout(resolve, delay));
  }

  private async record(row: OutboxRow, action: string, after: Record<string, unknown>, note?: string): Promise<void> {
    await this.deps.audit.append(row.ticketRef, { actor: FOLLOW_UP_ACTOR, action, after: { seq: row.seq, ...after }, ...(note && { note }) });
  }
}
