/**
 * Locks an e-mail address after five failed sign-ins in a row, for 15 minutes. Kept in the store, so
 * instances sharing a database share the count (an attacker spreading guesses over instances gains nothing),
 * and keyed by a hash of the address, so the store holds no address of someone who merely mistyped theirs.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import { DAY, MINUTE } from '../clock';
import type { Collection, Document } from '../store/types';

export interface LoginFailures extends Document {
  count: number;
  lockedUntil?: Date;
  at: Date;
}

const MAX_FAILURES = 5;
const LOCKOUT_MS = 15 * MINUTE;

export class LoginThrottle {
  private lastPurge = 0;

  constructor(
    private readonly failures: Collection<LoginFailures>,
    private readonly clock: Clock,
  ) {}

  static indexes(failures: Collection<LoginFailures>): Promise<void>[] {
    return [failures.createIndex({ fields: { at: 1 } })];
  }

  async isLocked(email: string): Promise<boolean> {
    const record = await this.failures.findOne({ _id: keyOf(email) });
    return Boolean(record?.lockedUntil && record.lockedUntil > this.clock.now());
  }

  async failed(email: string): Promise<void> {
    const _id = keyOf(email);
    const now = this.clock.now();
    // A lock that has run out starts a fresh count.
    await this.failures.deleteOne({ _id, lockedUntil: { $lte: now } });
    const record = await this.failures.findOneAndUpdate({ _id }, { $inc: { count: 1 }, $set: { at: now } }, { upsert: true });
    if (record && record.count >= MAX_FAILURES && !record.lockedUntil) {
      await this.failures.updateOne({ _id, lockedUntil: { $exists: false } }, { $set: { lockedUntil: new Date(now.getTime() + LOCKOUT_MS) } });
    }
    await this.purgeStale(now);
  }

  /** A successful sign-in, or a supervisor's password reset (the owner may sign in with the new one at once). */
  async clear(email: string): Promise<void> {
    await this.failures.deleteOne({ _id: keyOf(email) });
  }

  /** Records nobody touched for a day go, at most once an hour: a spray of made-up addresses does not pile up. */
  private async purgeStale(now: Date): Promise<void> {
    if (now.getTime() - this.lastPurge < 60 * MINUTE) return;
    this.lastPurge = now.getTime();
    await this.failures.deleteMany({ at: { $lt: new Date(now.getTime() - DAY) } });
  }
}

const keyOf = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
