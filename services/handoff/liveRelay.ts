/**
 * Carries the console's live events between bot instances sharing a database, so an agent whose console is
 * connected to one instance sees the customer's messages that reached another. Each instance writes what it
 * publishes to a store collection and polls for what the others wrote. Polling rather than MongoDB change
 * streams: it needs no replica set, runs on both engines, and an agent does not notice half a second.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Collection, Document } from '../store/types';
import type { LiveEvent } from './liveEvents';

export const LIVE_RELAY_COLLECTION = 'liveRelay';

export interface RelayedEvent extends Document {
  instance: string;
  at: Date;
  /** Orders one instance's events within a millisecond. */
  seq: number;
  event: LiveEvent;
}

/** How far back each poll looks again: covers clock skew between instances and writes that land late. */
const OVERLAP_MS = 5_000;
/** Relayed events are only for consoles open right now; older ones are deleted. */
const KEEP_MS = 10 * 60_000;
const BATCH = 1_000;

export class LiveRelay {
  private readonly instance = randomUUID();
  private sequence = 0;
  /** Events already delivered, by id, until they fall out of the overlap window. */
  private readonly seen = new Map<string, number>();
  private cursor: number;
  private lastCleanup = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly relayed: Collection<RelayedEvent>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {
    this.cursor = clock.now().getTime();
  }

  static indexes(relayed: Collection<RelayedEvent>): Promise<void>[] {
    return [relayed.createIndex({ fields: { at: 1 } })];
  }

  /** Writes an event this instance published for the others; a failed write costs them one live update, never the caller. */
  forward(event: LiveEvent): void {
    const seq = ++this.sequence;
    const doc = { _id: `${this.instance}:${seq}`, instance: this.instance, at: this.clock.now(), seq, event };
    this.relayed.insertOne(doc).catch((error: unknown) => this.logger.warn({ err: error, type: event.type }, 'live event not relayed to other instances'));
  }

  /** Polls for the other instances' events and hands each to `deliver` once, in the order they happened. */
  start(deliver: (event: LiveEvent) => void): void {
    const tick = () => {
      this.polling = this.poll(deliver)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'live relay poll failed; retrying'))
        .finally(() => {
          this.polling = undefined;
          if (this.timer) this.timer = setTimeout(tick, this.pollMs).unref();
        });
    };
    this.timer = setTimeout(tick, this.pollMs).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  private async poll(deliver: (event: LiveEvent) => void): Promise<void> {
    let since = new Date(this.cursor - OVERLAP_MS);
    for (;;) {
      const found = await this.relayed.find({ at: { $gte: since }, instance: { $ne: this.instance } }, { sort: { at: 1, seq: 1 }, limit: BATCH });
      for (const doc of found) {
        const at = doc.at.getTime();
        this.cursor = Math.max(this.cursor, at);
        if (this.seen.has(doc._id)) continue;
        this.seen.set(doc._id, at);
        deliver(doc.event);
      }
      // A full page: read on from its last moment (a thousand events in one millisecond would loop; stop there).
      const last = found.at(-1)?.at;
      if (found.length < BATCH || !last || last.getTime() === since.getTime()) break;
      since = last;
    }
    for (const [id, at] of this.seen) if (at < this.cursor - 2 * OVERLAP_MS) this.seen.delete(id);
    const now = this.clock.now().getTime();
    if (now - this.lastCleanup > 60_000) {
      this.lastCleanup = now;
      await this.relayed.deleteMany({ at: { $lt: new Date(now - KEEP_MS) } });
    }
  }
}
