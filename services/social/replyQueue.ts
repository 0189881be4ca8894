/**
 * The durable reply queue (`socialReplies`). A reply is recorded before any call, with a deterministic
 * id (kind + post), so a redelivered post never queues it twice; the worker claims one job at a time
 * with an atomic lease, paces sends, honours rate-limit resets, and keeps failures for a person to see.
 * "Never twice" on retries after a lost answer rests on the platforms' own duplicate checks (X refuses
 * an identical post; Graph allows one Private Reply per comment); a public comment answer whose outcome
 * is unknown is looked up by the sender and parked (PLATFORM_OUTCOME_UNKNOWN) when it cannot tell.
 * A job's `then` is queued once its outcome is known (Facebook's public line waits for the Private Reply).
 */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Collection } from '../store/types';
import { isDuplicateKey } from '../store/types';
import { PlatformError, type RateLimit } from './platformHttp';
import type { ReplyJob, ReplyKind, SocialPlatform } from './types';

export type NewReply = Pick<ReplyJob, 'kind' | 'platform' | 'postKey' | 'targetId' | 'text' | 'then' | 'excludeUserIds'>;

export type ReplySender = (job: ReplyJob) => Promise<{ remoteId: string; rateLimit?: RateLimit }>;

const LEASE_MS = 120_000;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 30 * 60_000;
/** A rate-limit storm (a crisis) delays a reply, it does not make it wrong: parked only after this long waiting in all. */
export const MAX_RATE_LIMIT_WAIT_MS = 24 * 60 * 60_000;
/** Facebook and Instagram answers share the Page's Graph quota: a throttle on one pauses both. */
const SHARED_QUOTA: Partial<Record<SocialPlatform, SocialPlatform[]>> = { facebook: ['facebook', 'instagram'], instagram: ['facebook', 'instagram'] };

export function replyJobId(kind: ReplyKind, postKey: string): string {
  return `${kind}:${postKey}`;
}

/** The kind a `replyJobId` was made from. */
function kindOfJobId(jobId: string, postKey: string): ReplyKind {
  return jobId.slice(0, -(postKey.length + 1)) as ReplyKind;
}

export class ReplyQueue {
  constructor(
    private readonly jobs: Collection<ReplyJob>,
    private readonly clock: Clock,
  ) {}

  static indexes(jobs: Collection<ReplyJob>): Promise<void>[] {
    return [jobs.createIndex({ fields: { status: 1, nextAttemptAt: 1 } }), jobs.createIndex({ fields: { postKey: 1 } })];
  }

  /** Records the reply; false when it was already queued (a redelivery), never a second job. */
  async enqueue(reply: NewReply): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.jobs.insertOne({ _id: replyJobId(reply.kind, reply.postKey), ...reply, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Claims the next due job (or one whose sender died mid-call), skipping platforms paused by a rate limit. */
  claim(pausedPlatforms: SocialPlatform[]): Promise<ReplyJob | null> {
    const now = this.clock.now();
    return this.jobs.findOneAndUpdate(
      {
        ...(pausedPlatforms.length > 0 && { platform: { $nin: pausedPlatforms } }),
        $or: [{ status: 'pending', nextAttemptAt: { $lte: now } }, { status: 'sending', leaseUntil: { $lt: now } }],
      },
      { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + LEASE_MS) }, $inc: { attempts: 1 } },
      { sort: { nextAttemptAt: 1 } },
    );
  }

  async markSent(job: ReplyJob, remoteId: string): Promise<void> {
    await this.jobs.updateOne({ _id: job._id, status: 'sending' }, { $set: { status: 'sent', sentAt: this.clock.now(), remoteId }, $unset: { leaseUntil: '' } });
  }

  async markRetry(job: ReplyJob, error: unknown, retryAt?: Date): Promise<void> {
    const backoff = Math.min(RETRY_BASE_MS * 2 ** Math.max(0, job.attempts - 1), RETRY_MAX_MS);
    const next = retryAt ?? new Date(this.clock.now().getTime() + backoff);
    await this.jobs.updateOne({ _id: job._id, status: 'sending' }, { $set: { status: 'pending', nextAttemptAt: next, lastError: describe(error) }, $unset: { leaseUntil: '' } });
    // The post was deleted during this attempt: no next one.
    await this.jobs.updateOne({ _id: job._id, status: 'pending', cancelRequested: true }, { $set: { status: 'cancelled' } });
  }

  /**
   * The platform asked us to wait (429 with its reset, Graph throttling): tried again at `retryAt`, and the attempt
   * this claim counted is given back, as nothing was wrong with the reply; the wait adds to `rateLimitWaitMs` instead.
   */
  async markRateLimited(job: ReplyJob, error: unknown, retryAt: Date, waitMs: number): Promise<void> {
    await this.jobs.updateOne(
      { _id: job._id, status: 'sending' },
      { $set: { status: 'pending', nextAttemptAt: retryAt, lastError: describe(error), attempts: Math.max(0, job.attempts - 1), rateLimitWaitMs: (job.rateLimitWaitMs ?? 0) + waitMs }, $unset: { leaseUntil: '' } },
    );
    await this.jobs.updateOne({ _id: job._id, status: 'pending', cancelRequested: true }, { $set: { status: 'cancelled' } });
  }

  async markFailed(job: ReplyJob, error: unknown, why?: string): Promise<void> {
    const lastError = why ? `${why} (${describe(error)})` : describe(error);
    await this.jobs.updateOne({ _id: job._id, status: 'sending' }, { $set: { status: 'failed', lastError }, $unset: { leaseUntil: '' } });
  }

  /**
   * The post was deleted (or answered by hand: `reason`): its replies not yet sent are cancelled, and a cancelled placeholder takes the id of
   * each reply not queued yet (a follow-up after the Private Reply, a redelivery), so none is queued later.
   * `jobIds`: the post's `replyJobId`s (as archived on its record).
   */
  async cancelFor(postKey: string, jobIds: string[], platform: SocialPlatform, reason = 'the post was deleted'): Promise<number> {
    const now = this.clock.now();
    const { modifiedCount } = await this.jobs.updateMany({ postKey, status: 'pending' }, { $set: { status: 'cancelled', lastError: reason } });
    // One being sent right now cannot be stopped; if it fails, it is not tried again.
    await this.jobs.updateMany({ postKey, status: 'sending' }, { $set: { cancelRequested: true } });
    for (const jobId of jobIds) {
      try {
        await this.jobs.insertOne({ _id: jobId, kind: kindOfJobId(jobId, postKey), platform, postKey, targetId: '', text: '', status: 'cancelled', attempts: 0, nextAttemptAt: now, createdAt: now, lastError: reason });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return modifiedCount;
  }

  /** Whether any reply to the post went out, or may be going out right now. */
  async wentOut(postKey: string): Promise<boolean> {
    return (await this.jobs.countDocuments({ postKey, status: { $in: ['sent', 'sending'] } })) > 0;
  }

  /** Whether `remoteId` is the platform's id of a reply we sent to the post (it comes back on the brand's own webhook). */
  async isOurReply(postKey: string, remoteId: string): Promise<boolean> {
    return (await this.jobs.countDocuments({ postKey, remoteId })) > 0;
  }

  get(id: string): Promise<ReplyJob | null> {
    return this.jobs.findOne({ _id: id });
  }
}

export interface ReplyWorkerOptions {
  queue: ReplyQueue;
  senders: Partial<Record<ReplyKind, ReplySender>>;
  intervalMs: number;
  maxAttempts: number;
  clock: Clock;
  logger: Logger;
  /** How often to look for due retries when nothing kicks the worker. */
  idlePollMs?: number;
  /** Total rate-limit waiting before a reply is parked (default MAX_RATE_LIMIT_WAIT_MS); rate limits use no attempts. */
  maxRateLimitWaitMs?: number;
}

/** Drains the queue one job at a time, `intervalMs` apart; `kick()` after an enqueue starts it at once. */
export class ReplyWorker {
  private readonly pausedUntil = new Map<SocialPlatform, number>();
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private stopped = false;
  /** A kick that arrived while a drain was finishing: drain again at once instead of waiting a tick. */
  private kickedWhileDraining = false;
  private wakePacing?: () => void;

  constructor(private readonly options: ReplyWorkerOptions) {}

  start(): void {
    this.schedule(0);
  }

  kick(): void {
    if (this.draining) this.kickedWhileDraining = true;
    else if (!this.stopped) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wakePacing?.();
    await this.draining;
  }

  /** Sends every due job; returns how many were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      if (this.stopped) return sent;
      const job = await this.options.queue.claim(this.paused());
      if (!job) return sent;
      if (await this.sendOne(job)) sent++;
      if (this.options.intervalMs > 0) await this.pace();
    }
  }

  /** The gap between sends; stop() cuts it short, so shutdown never waits a whole interval. */
  private pace(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.intervalMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakePacing = done;
    });
  }

  private async sendOne(job: ReplyJob): Promise<boolean> {
    const { queue, logger } = this.options;
    const send = this.options.senders[job.kind];
    if (!send) {
      await queue.markFailed(job, new Error(`no sender configured for ${job.kind}`));
      return false;
    }
    try {
      const { remoteId, rateLimit } = await send(job);
      // Queued before the job is marked sent: a crash in between re-sends (platform-deduplicated), never loses it.
      await this.queueFollowUp(job, job.then?.onSent);
      await queue.markSent(job, remoteId);
      if (rateLimit?.remaining === 0 && rateLimit.resetAt) this.pause(job.platform, rateLimit.resetAt);
      logger.info({ job: job._id, kind: job.kind }, 'social reply sent');
      return true;
    } catch (error) {
      const failure = error instanceof PlatformError ? error : undefined;
      if (failure?.retryAt) this.pause(job.platform, failure.retryAt);
      if (failure?.code === 'PLATFORM_RATE_LIMITED' && failure.retryAt) return this.waitForReset(job, failure, failure.retryAt);
      // An unknown outcome (PLATFORM_OUTCOME_UNKNOWN: the sender could not tell whether it went out) is not retryable.
      const giveUp = !failure?.retryable || job.attempts >= this.options.maxAttempts;
      if (giveUp) {
        await this.queueFollowUp(job, job.then?.onFailed);
        await queue.markFailed(job, error);
      } else await queue.markRetry(job, error, failure?.retryAt);
      logger.warn({ err: error, job: job._id, attempts: job.attempts, parked: giveUp }, giveUp ? 'social reply parked as failed' : 'social reply will be retried');
      return false;
    }
  }

  /** A rate limit is not a failed attempt: the reply waits for the reset, unless it has waited too long in all. */
  private async waitForReset(job: ReplyJob, failure: PlatformError, retryAt: Date): Promise<false> {
    const { queue, logger } = this.options;
    const cap = this.options.maxRateLimitWaitMs ?? MAX_RATE_LIMIT_WAIT_MS;
    const waitMs = Math.max(0, retryAt.getTime() - this.options.clock.now().getTime());
    const waited = (job.rateLimitWaitMs ?? 0) + waitMs;
    if (waited > cap) {
      await this.queueFollowUp(job, job.then?.onFailed);
      await queue.markFailed(job, failure, `parked after waiting ${hoursOrMinutes(cap)} in all for rate limits to reset`);
      logger.warn({ err: failure, job: job._id, waitedMs: job.rateLimitWaitMs ?? 0 }, 'social reply parked after waiting too long for rate limits');
    } else {
      await queue.markRateLimited(job, failure, retryAt, waitMs);
      logger.info({ job: job._id, retryAt: retryAt.toISOString(), waitedMs: waited }, 'social reply waits for the rate-limit reset');
    }
    return false;
  }

  private async queueFollowUp(job: ReplyJob, next: NewReply | undefined): Promise<void> {
    if (!next) return;
    if (await this.options.queue.enqueue(next)) this.options.logger.info({ job: job._id, next: replyJobId(next.kind, next.postKey) }, 'follow-up reply queued');
  }

  private pause(platform: SocialPlatform, until: Date): void {
    for (const paused of SHARED_QUOTA[platform] ?? [platform]) this.pausedUntil.set(paused, Math.max(until.getTime(), this.pausedUntil.get(paused) ?? 0));
  }

  private paused(): SocialPlatform[] {
    const now = this.options.clock.now().getTime();
    return [...this.pausedUntil].filter(([, until]) => until > now).map(([platform]) => platform);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.draining = this.drain()
        .catch((error: unknown) => {
          this.options.logger.error({ err: error }, 'social reply worker failed; retrying on the next tick');
          return 0;
        })
        .then(() => {
          this.draining = undefined;
          const again = this.kickedWhileDraining;
          this.kickedWhileDraining = false;
          this.schedule(again ? 0 : (this.options.idlePollMs ?? 5_000));
        });
    }, delay);
    this.timer.unref();
  }
}

function describe(error: unknown): string {
  if (error instanceof PlatformError) return `${error.code}${error.status ? ` ${error.status}` : ''}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function hoursOrMinutes(ms: number): string {
  return ms >= 3_600_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 60_000)} min`;
}
