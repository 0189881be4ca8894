/**
 * The durable follow-up schedule and its sweeper. Due tickets are found by `followUp.nextAt` (indexed),
 * claimed with a lease (`findOneAndUpdate`, so several instances on one MongoDB never work the same
 * ticket), and each message is stored in the outbox under `ref:seq` before it is sent. A crash between
 * claim and send leaves the lease to expire and the row to be adopted by the next sweeper.
 */
import { randomUUID } from 'node:crypto';
import { MINUTE } from '../clock';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { type Collection, type Filter, isDuplicateKey } from '../store/types';
import type { AuditTrail } from '../tickets/audit';
import type { DeliveryOutcome, Notifier } from './notifier';
import { heldAfterAll } from './personHold';
import { initialState, type PlanOptions, planFollowUp } from './planner';
import { safeTimeZone } from './quietHours';
import type { FollowUpState, FollowUpTicket, OutboxRow } from './types';

export interface SchedulerOptions extends PlanOptions {
  /** Who holds leases taken by this instance (host:pid:random by default). */
  owner?: string;
  leaseMs: number;
  batchSize: number;
  concurrency: number;
  /** Sweeps in which every route failed transiently before a message is given up. */
  maxRounds?: number;
  fallbackTimeZone: string;
}

export interface SchedulerDeps {
  tickets: Collection<FollowUpTicket>;
  outbox: Collection<OutboxRow>;
  audit: Pick<AuditTrail, 'list'>;
  notifier: Pick<Notifier, 'deliver'>;
  clock: Clock;
  /** The customer's time zone when known (from the chat client), for quiet hours and times in messages. */
  timeZoneOf?: (ticket: FollowUpTicket) => Promise<string | undefined>;
  logger?: Logger;
}

export interface SweepReport {
  claimed: number;
  sent: number;
  deferred: number;
  failed: number;
}

const leaseFree = (now: Date): Filter => ({ $or: [{ 'followUp.leaseUntil': { $exists: false } }, { 'followUp.leaseUntil': { $lte: now } }] });

export class FollowUpScheduler {
  readonly owner: string;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private batches = 0;

  constructor(
    private readonly deps: SchedulerDeps,
    private readonly options: SchedulerOptions,
  ) {
    this.owner = options.owner ?? `${process.pid}:${randomUUID().slice(0, 8)}`;
    this.logger = deps.logger ?? silentLogger;
  }

  static indexes(tickets: Collection<FollowUpTicket>, outbox: Collection<OutboxRow>): Promise<void>[] {
    return [
      tickets.createIndex({ fields: { 'followUp.nextAt': 1 } }),
      outbox.createIndex({ fields: { ticketRef: 1 } }),
      outbox.createIndex({ fields: { state: 1, createdAt: 1 } }),
      // Before texting, any ticket with the phone is asked whether the provider refused it for good.
      tickets.createIndex({ fields: { 'contact.phone': 1 }, sparse: true }),
    ];
  }

  /** Starts the background worker: one sweep every `everyMs`, never two at once. */
  start(everyMs: number): void {
    if (everyMs <= 0 || this.timer) return;
    const tick = () => {
      this.running = this.sweepOnce()
        .catch((error: unknown) => this.logger.error({ err: error }, 'follow-up sweep failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, everyMs).unref();
        });
    };
    this.timer = setTimeout(tick, everyMs).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Claims and works every ticket due now; returns what happened. */
  async sweepOnce(): Promise<SweepReport> {
    const report: SweepReport = { claimed: 0, sent: 0, deferred: 0, failed: 0 };
    const seen = new Set<string>();
    for (;;) {
      const now = this.deps.clock.now();
      const due = await this.deps.tickets.find(
        { 'followUp.nextAt': { $lte: now }, ...leaseFree(now) },
        { sort: { 'followUp.nextAt': 1 }, limit: this.options.batchSize },
      );
      const fresh = due.filter((ticket) => !seen.has(ticket._id));
      if (fresh.length === 0) return report;
      fresh.forEach((ticket) => seen.add(ticket._id));
      const claimed = await this.claim(fresh.map((ticket) => ticket._id));
      report.claimed += claimed.length;
      await inParallel(claimed, this.options.concurrency, async (ticket) => {
        try {
          await this.work(ticket, report);
        } catch (error) {
          report.failed++;
          this.logger.error({ err: error, ref: ticket.ref }, 'follow-up failed; retried after the lease');
        }
      });
      if (due.length < this.options.batchSize) return report;
    }
  }

  /**
   * Takes the lease on those of these tickets that are still due and free, in one conditional write (atomic
   * per ticket on both engines), marked with a token of this batch; returns the ones this batch got.
   */
  async claim(refs: string[]): Promise<FollowUpTicket[]> {
    const now = this.deps.clock.now();
    const token = `${this.owner}:${++this.batches}`;
    await this.deps.tickets.updateMany(
      { _id: { $in: refs }, 'followUp.nextAt': { $lte: now }, ...leaseFree(now) },
      { $set: { 'followUp.leaseUntil': new Date(now.getTime() + this.options.leaseMs), 'followUp.leaseOwner': token } },
    );
    return this.deps.tickets.find({ _id: { $in: refs }, 'followUp.leaseOwner': token });
  }

  private async work(ticket: FollowUpTicket, report: SweepReport): Promise<void> {
    const ref = ticket.ref;
    let state: FollowUpState = { ...initialState(ticket.status), ...ticket.followUp };
    // Rows beyond the saved sequence were composed by a run that died before releasing: adopt their state.
    const earlier = await this.deps.outbox.find({ ticketRef: ref, $or: [{ state: 'pending' }, { seq: { $gt: state.seq } }] }, { sort: { seq: 1 } });
    for (const row of earlier) if (row.seq > state.seq) state = { ...state, ...row.stateAfter, seq: row.seq };

    const now = this.deps.clock.now();
    const trail = await this.deps.audit.list(ref);
    const events = trail.filter((event) => event.seq > state.auditSeq);
    const heldAtStart = heldAfterAll(trail.filter((event) => event.seq <= state.auditSeq));
    const timeZone = safeTimeZone(ticket.contact?.timeZone ?? (await this.deps.timeZoneOf?.(ticket)), this.options.fallbackTimeZone);
    const plan = planFollowUp({ ...ticket, followUp: state }, events, now, timeZone, this.options, { heldAtStart });
    const newState: FollowUpState = { ...plan.state, seq: state.seq + plan.messages.length };
    const heldUntil = new Date(now.getTime() + this.options.leaseMs);
    const rows: OutboxRow[] = plan.messages.map((message, index) => ({
      ...message,
      _id: `${ref}:${state.seq + index + 1}`,
      ticketRef: ref,
      seq: state.seq + index + 1,
      createdAt: now,
      state: 'pending',
      rounds: 0,
      // The idempotency key is stored, held by us, before anything is sent.
      sendingUntil: heldUntil,
      sendingBy: this.owner,
      stateAfter: stripLease(newState),
    }));
    const inserted = await this.insertRows(rows);

    let retryAt: Date | undefined;
    let lastSentAt: Date | undefined;
    if (newState.optedOut || plan.dropPending) await this.cancel([...earlier, ...rows]);
    else {
      const queue = [...earlier.filter((row) => row.state === 'pending'), ...rows.filter((row) => !earlier.some((old) => old._id === row._id))];
      const waiting = new Set(queue.filter((row) => inserted.has(row._id)).map((row) => row._id));
      for (const row of queue) {
        waiting.delete(row._id);
        const outcome = await this.send(ticket, row, inserted.has(row._id), timeZone);
        if (outcome === 'busy') continue;
        if (outcome.outcome === 'sent') {
          report.sent++;
          lastSentAt = this.deps.clock.now();
        } else if (outcome.outcome === 'retry_later' && outcome.hold) {
          // The first route is waited out on its own schedule (notifier's patience), not counted as a failed round.
          retryAt = new Date(outcome.hold.nextAt);
          report.deferred++;
          break;
        } else if (outcome.outcome === 'retry_later') {
          retryAt = await this.afterTransientFailure(row, now);
          report.deferred++;
          if (retryAt) break; // keep the order: later messages wait for this one
          report.failed++;
        } else report.failed++;
      }
      // Rows composed now but left waiting behind a deferred one: free them for the next try, not after the lease.
      for (const _id of waiting) await this.deps.outbox.updateOne({ _id, state: 'pending' }, { $unset: { sendingUntil: '', sendingBy: '' } });
    }
    if (plan.held) report.deferred++;
    await this.release(ticket, { ...stateFields(newState), ...(lastSentAt && { 'followUp.lastSentAt': lastSentAt }) }, retryAt ?? plan.nextAt);
  }

  /** Inserts the composed rows; a row already there (same ref:seq) is the same message, kept as it is. */
  private async insertRows(rows: OutboxRow[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (const row of rows) {
      try {
        await this.deps.outbox.insertOne(row);
        inserted.add(row._id);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return inserted;
  }

  /** Holds the row while sending it, so a second sweeper (after a lease ran out) cannot send it as well. */
  private async send(ticket: FollowUpTicket, row: OutboxRow, alreadyHeld: boolean, timeZone: string): Promise<DeliveryOutcome | 'busy'> {
    const now = this.deps.clock.now();
    const held = alreadyHeld
      ? row
      : await this.deps.outbox.findOneAndUpdate(
          { _id: row._id, state: 'pending', $or: [{ sendingUntil: { $exists: false } }, { sendingUntil: { $lte: now } }] },
          { $set: { sendingUntil: new Date(now.getTime() + this.options.leaseMs), sendingBy: this.owner } },
        );
    if (!held) return 'busy';
    if (held.hold && new Date(held.hold.nextAt) > now) {
      // Looked at early (the ticket changed): the held route's next try is not due yet, so nothing is sent.
      await this.deps.outbox.updateOne({ _id: row._id }, { $unset: { sendingUntil: '', sendingBy: '' } });
      return { outcome: 'retry_later', hold: held.hold };
    }
    const outcome = await this.deps.notifier.deliver(ticket, held, { timeZone });
    const done = this.deps.clock.now();
    if (outcome.outcome === 'sent') {
      const sent = { state: 'sent', route: outcome.route, sentAt: done, ...(outcome.providerId && { providerId: outcome.providerId }) };
      // A retried SMS is a new message: its reports start afresh, and the earlier try's replayed reports change nothing.
      const retry = outcome.smsRetry !== undefined;
      await this.deps.outbox.updateOne(
        { _id: row._id },
        {
          $set: sent,
          $unset: { sendingUntil: '', sendingBy: '', ...(retry && { delivery: '', hold: '' }) },
          ...(retry && held.providerId && { $addToSet: { earlierProviderIds: held.providerId } }),
        },
      );
    } else if (outcome.outcome === 'undeliverable') {
      await this.deps.outbox.updateOne({ _id: row._id }, { $set: { state: 'undeliverable' }, $unset: { sendingUntil: '', sendingBy: '' } });
    } else if (outcome.hold) {
      await this.deps.outbox.updateOne({ _id: row._id }, { $set: { hold: outcome.hold }, $unset: { sendingUntil: '', sendingBy: '' } });
    }
    return outcome;
  }

  /** Durable backoff between sweeps (1, 2, 4… minutes, at most an hour); gives the message up after maxRounds. */
  private async afterTransientFailure(row: OutboxRow, now: Date): Promise<Date | undefined> {
    const rounds = row.rounds + 1;
    const giveUp = rounds >= (this.options.maxRounds ?? 6);
    await this.deps.outbox.updateOne(
      { _id: row._id },
      { $set: { rounds, ...(giveUp && { state: 'failed' }) }, $unset: { sendingUntil: '', sendingBy: '' } },
    );
    return giveUp ? undefined : new Date(now.getTime() + Math.min(2 ** (rounds - 1) * MINUTE, 60 * MINUTE));
  }

  private async cancel(rows: OutboxRow[]): Promise<void> {
    for (const row of rows) await this.deps.outbox.updateOne({ _id: row._id, state: 'pending' }, { $set: { state: 'cancelled' } });
  }

  /**
   * Saves the state and gives the lease back with the next time to look, in one write. If the ticket changed
   * while we worked (its version moved), look again at once: the change may be news not told yet. If the
   * lease was lost meanwhile, nothing is written: the rows carry the state for whoever holds it now.
   */
  private async release(ticket: FollowUpTicket, fields: Record<string, unknown>, nextAt: Date | undefined): Promise<void> {
    const unset: Record<string, ''> = { 'followUp.leaseUntil': '', 'followUp.leaseOwner': '' };
    if (!nextAt) unset['followUp.nextAt'] = '';
    const update = { $set: { ...fields, ...(nextAt && { 'followUp.nextAt': nextAt }) }, $unset: unset };
    const lease = ticket.followUp?.leaseOwner;
    const unchanged = await this.deps.tickets.updateOne({ _id: ticket._id, version: ticket.version, 'followUp.leaseOwner': lease }, update);
    if (unchanged.matchedCount > 0) return;
    delete unset['followUp.nextAt'];
    await this.deps.tickets.updateOne(
      { _id: ticket._id, 'followUp.leaseOwner': lease },
      { $set: { ...fields, 'followUp.nextAt': this.deps.clock.now() }, $unset: unset },
    );
  }
}

function stripLease(state: FollowUpState): Partial<FollowUpState> {
  const { leaseOwner, leaseUntil, nextAt, ...rest } = state;
  return rest;
}

/** The state as dotted $set fields, so the lease fields and the write hook's nextAt are left alone. */
function stateFields(state: FollowUpState): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stripLease(state))) if (value !== undefined) fields[`followUp.${key}`] = value;
  return fields;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
