/**
 * The durable reply queue (`socialReplies`). A reply is recorded before any call, with a deterministic
 * id (kind + post), so a redelivered post never queues it twice; the worker claims one job at a time
 * with an atomic lease, paces sends, honours rate-limit resets, and keeps failures for a person to see.
 * "Never twice" on retries after a lost answer rests on the platforms' own duplicate checks (X refuses
 * an identical post; Graph allows one Private Reply per comment); a public comment answer whose outcome
 * is unknown is not retried.
 */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Collection } from '../store/types';
import { isDuplicateKey } from '../store/types';
import { PlatformError, type RateLimit } from './platformHttp';
import type { ReplyJob, ReplyKind, SocialPlatform } from './types';

export type NewReply = Pick<ReplyJob, 'kind' | 'platform' | 'postKey' | 'targetId' | 'text'>;

export type ReplySender = (job: ReplyJob) => Promise<{ remoteId: string; rateLimit?: RateLimit }>;

const LEASE_MS = 120_000;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 30 * 60_000;

export function replyJobId(kind: ReplyKind, postKey: string): string {
  return `${kind}:${postKey}`;
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
  }

  async markFailed(job: ReplyJob, error: unknown): Promise<void> {
    await this.jobs.updateOne({ _id: job._id, status: 'sending' }, { $set: { status: 'failed', lastError: describe(error) }, $unset: { leaseUntil: '' } });
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
      await queue.markSent(job, remoteId);
      if (rateLimit?.remaining === 0 && rateLimit.resetAt) this.pause(job.platform, rateLimit.resetAt);
      logger.info({ job: job._id, kind: job.kind }, 'social reply sent');
      return true;
    } catch (error) {
      const failure = error instanceof PlatformError ? error : undefined;
      if (failure?.retryAt) this.pause(job.platform, failure.retryAt);
      const outcomeUnknown = failure?.code === 'PLATFORM_UNAVAILABLE' && failure.status === undefined && (failure.cause as Error | undefined)?.name === 'TimeoutError';
      const giveUp = !failure?.retryable || job.attempts >= this.options.maxAttempts || (job.kind === 'meta_comment_reply' && outcomeUnknown);
      if (giveUp) await queue.markFailed(job, error);
      else await queue.markRetry(job, error, failure?.retryAt);
      logger.warn({ err: error, job: job._id, attempts: job.attempts, parked: giveUp }, giveUp ? 'social reply parked as failed' : 'social reply will be retried');
      return false;
    }
  }

  private pause(platform: SocialPlatform, until: Date): void {
    this.pausedUntil.set(platform, until.getTime());
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
