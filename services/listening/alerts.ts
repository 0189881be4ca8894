/**
 * Alerts go to the store (the console lists them to supervisors and executives, live through `subscribe`)
 * and to the outbound webhook. An alert's id is derived from what it is about, so the same spike or the
 * same viral post never alerts twice, even across restarts or instances.
 */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { isDuplicateKey, type Collection } from '../store/types';
import type { AlertExample, ListeningAlert, SurgeLifecycle } from './alertTypes';
import type { ListenedPost } from './spikes';
import type { AlertWebhook } from './webhook';

export type NewAlert = Omit<ListeningAlert, 'at' | 'webhook' | 'acknowledged'>;
export type AlertListener = (alert: ListeningAlert) => void;

/** How long one instance owns a follow-up it is sending (longer than the webhook's attempts with backoff). */
const FOLLOW_UP_LEASE_MS = 5 * 60_000;

export class AlertService {
  private readonly listeners = new Set<AlertListener>();
  private readonly subsidedListeners = new Set<AlertListener>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly alerts: Collection<ListeningAlert>,
    private readonly clock: Clock,
    private readonly webhook: AlertWebhook | undefined,
    private readonly logger: Logger = silentLogger,
  ) {}

  static indexes(alerts: Collection<ListeningAlert>): Promise<void>[] {
    return [
      alerts.createIndex({ fields: { at: -1 } }),
      alerts.createIndex({ fields: { 'examples.authorId': 1 } }),
      // The listening job reads the active surges every window; most alerts have long subsided.
      alerts.createIndex({ fields: { 'surge.state': 1 }, sparse: true }),
    ];
  }

  /** Stores and dispatches the alert; returns null when an alert with that id already exists. */
  async raise(alert: NewAlert): Promise<ListeningAlert | null> {
    const record: ListeningAlert = { ...alert, at: this.clock.now(), webhook: { status: this.webhook ? 'pending' : 'none', attempts: 0 } };
    try {
      await this.alerts.insertOne(record);
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    this.logger.warn({ alertId: record._id, kind: record.kind, topic: record.topic, numbers: record.numbers }, 'listening alert');
    for (const listener of this.listeners) listener(record);
    if (this.webhook) this.track(this.deliver(record));
    return record;
  }

  subscribe(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once per alert, when its surge is over. */
  onSubsided(listener: AlertListener): () => void {
    this.subsidedListeners.add(listener);
    return () => this.subsidedListeners.delete(listener);
  }

  /** Spike alerts whose surge is still on. */
  activeSurges(): Promise<ListeningAlert[]> {
    return this.alerts.find({ 'surge.state': 'active' }, { sort: { at: 1 }, limit: 500 });
  }

  /** Records one more window of a surge; false when that window (or a later one) was already counted. */
  async advanceSurge(id: string, previousWindowStart: Date, next: SurgeLifecycle): Promise<boolean> {
    const result = await this.alerts.updateOne({ _id: id, 'surge.state': 'active', 'surge.lastWindowStart': previousWindowStart }, { $set: { surge: next } });
    return result.matchedCount === 1;
  }

  /**
   * Flips the alert to subsided; only the evaluation whose update lands tells the console and queues the
   * webhook follow-up, so a replayed window or a second instance never announces it twice.
   */
  async markSubsided(alert: ListeningAlert, next: SurgeLifecycle): Promise<boolean> {
    const surge: SurgeLifecycle = { ...next, followUp: { status: this.webhook ? 'pending' : 'none', attempts: 0 } };
    if (!(await this.advanceSurge(alert._id, alert.surge!.lastWindowStart, surge))) return false;
    const record: ListeningAlert = { ...alert, surge };
    for (const listener of this.subsidedListeners) listener(record);
    if (this.webhook) this.track(this.deliverFollowUp(alert._id));
    return true;
  }

  list(limit = 50): Promise<ListeningAlert[]> {
    return this.alerts.find({}, { sort: { at: -1 }, limit: Math.min(Math.max(limit, 1), 500) });
  }

  async acknowledge(id: string, by: string): Promise<boolean> {
    const result = await this.alerts.updateOne({ _id: id, acknowledged: { $exists: false } }, { $set: { acknowledged: { by, at: this.clock.now() } } });
    return result.matchedCount === 1;
  }

  /** Re-sends alerts whose webhook delivery failed earlier (called by the listening job). */
  async retryFailedDeliveries(maxAttempts = 10): Promise<void> {
    if (!this.webhook) return;
    const failed = await this.alerts.find({ 'webhook.status': { $in: ['pending', 'failed'] }, 'webhook.attempts': { $lt: maxAttempts } }, { limit: 20 });
    for (const alert of failed) if (alert.webhook.attempts > 0) await this.deliver(alert);
    // A follow-up left pending by a crash, failed, or whose sender's lease ran out; the claim decides who sends.
    const followUps = await this.alerts.find({ 'surge.followUp.status': { $in: ['pending', 'sending', 'failed'] }, 'surge.followUp.attempts': { $lt: maxAttempts } }, { limit: 20 });
    for (const alert of followUps) await this.deliverFollowUp(alert._id);
  }

  /** Waits for deliveries in flight (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(alert: ListeningAlert): Promise<void> {
    try {
      await this.webhook!.send(alert);
      await this.alerts.updateOne({ _id: alert._id }, { $set: { 'webhook.status': 'sent' }, $inc: { 'webhook.attempts': 1 } });
    } catch (error) {
      this.logger.error({ err: error, alertId: alert._id }, 'alert webhook delivery failed');
      await this.alerts.updateOne(
        { _id: alert._id },
        { $set: { 'webhook.status': 'failed', 'webhook.lastError': error instanceof Error ? error.message : String(error) }, $inc: { 'webhook.attempts': 1 } },
      );
    }
  }

  private async deliverFollowUp(id: string): Promise<void> {
    const now = this.clock.now();
    const claimed = await this.alerts.findOneAndUpdate(
      {
        _id: id,
        'surge.state': 'subsided',
        $or: [{ 'surge.followUp.status': { $in: ['pending', 'failed'] } }, { 'surge.followUp.status': 'sending', 'surge.followUp.leaseUntil': { $lt: now } }],
      },
      { $set: { 'surge.followUp.status': 'sending', 'surge.followUp.leaseUntil': new Date(now.getTime() + FOLLOW_UP_LEASE_MS) } },
    );
    if (!claimed) return;
    try {
      await this.webhook!.sendSubsided(claimed);
      await this.alerts.updateOne({ _id: id }, { $set: { 'surge.followUp.status': 'sent' }, $unset: { 'surge.followUp.leaseUntil': '' }, $inc: { 'surge.followUp.attempts': 1 } });
    } catch (error) {
      this.logger.error({ err: error, alertId: id }, 'alert follow-up delivery failed');
      await this.alerts.updateOne(
        { _id: id },
        {
          $set: { 'surge.followUp.status': 'failed', 'surge.followUp.lastError': error instanceof Error ? error.message : String(error) },
          $unset: { 'surge.followUp.leaseUntil': '' },
          $inc: { 'surge.followUp.attempts': 1 },
        },
      );
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}

export function exampleOf(post: ListenedPost, redact: (text: string) => string): AlertExample {
  return {
    postKey: post.key,
    platform: post.platform,
    ...(post.url && { url: post.url }),
    text: redact(post.text).slice(0, 280),
    authorId: post.authorId,
    ...(post.authorHandle && { authorHandle: post.authorHandle }),
    ...(post.followers !== undefined && { followers: post.followers }),
    ...(post.impressions !== undefined && { impressions: post.impressions }),
  };
}
