/**
 * A conversation's turn holds a short lease in the shared store, so when several bot instances share one
 * database, the instance that receives the customer's next message waits for the turn running elsewhere
 * (OneAtATime does the same within one process, for free). A lease left by a crashed instance expires.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from './clock';
import { isDuplicateKey, type Collection, type Document } from './store/types';

export const TURN_LEASES_COLLECTION = 'turnLeases';

export interface TurnLease extends Document {
  holder: string;
  until: Date;
}

export interface TurnLeaseOptions {
  /** How long a lease holds without its turn releasing it (a crash): the Bot Connector's 15 s wait. */
  leaseMs: number;
  /** How long a turn waits for another instance's before going ahead anyway, like OneAtATime. */
  maxWaitMs: number;
  /** First pause between tries; doubles up to 250 ms. */
  firstPauseMs: number;
}

export class TurnLeases {
  private readonly options: TurnLeaseOptions;

  constructor(
    private readonly leases: Collection<TurnLease>,
    private readonly clock: Clock,
    options: Partial<TurnLeaseOptions> = {},
  ) {
    this.options = { leaseMs: 15_000, maxWaitMs: 15_000, firstPauseMs: 10, ...options };
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const holder = randomUUID();
    const held = await this.acquire(key, holder);
    try {
      return await work();
    } finally {
      if (held) await this.leases.deleteOne({ _id: key, holder }).catch(() => undefined);
    }
  }

  /** True once the lease is ours; false when another instance kept it past `maxWaitMs`. */
  private async acquire(key: string, holder: string): Promise<boolean> {
    const giveUpAt = Date.now() + this.options.maxWaitMs;
    for (let pause = this.options.firstPauseMs; ; pause = Math.min(pause * 2, 250)) {
      const now = this.clock.now();
      const until = new Date(now.getTime() + this.options.leaseMs);
      try {
        await this.leases.insertOne({ _id: key, holder, until });
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      if (await this.leases.findOneAndUpdate({ _id: key, until: { $lt: now } }, { $set: { holder, until } })) return true;
      if (Date.now() >= giveUpAt) return false;
      await sleep(pause);
    }
  }
}
