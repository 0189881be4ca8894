/**
 * The order of transcript lines. `at` alone ties for lines of one millisecond (a customer's message and the
 * bot's reply, a burst of bot messages), and MongoDB returns ties in no defined order: in a dispute, "yes"
 * before the question it answers is wrong evidence. Each line also gets `seq`, a hybrid of its time and a
 * counter held by the app's one Transcripts (so it never repeats or goes back in this process, and lines of two
 * instances still interleave by time), and `_id` settles what is left (two instances in one millisecond, old lines without
 * `seq`): the order is total, so every read, page and engine gives the same one.
 */
import type { SortSpec } from '../store/types';

/** Oldest first. Lines from before `seq` existed lack it, and both engines sort a missing field first among lines of the same `at`. */
export const TRANSCRIPT_ORDER: SortSpec = { at: 1, seq: 1, _id: 1 };
export const TRANSCRIPT_ORDER_NEWEST_FIRST: SortSpec = { at: -1, seq: -1, _id: -1 };

/** Room for 1,000 lines per millisecond before the counter borrows from the next one; ms × 1000 stays an exact double until the year 2255. */
const PER_MS = 1000;

/** Hands out `seq`s; one per writer of a collection of lines, so its counter is not global state. */
export class LineSequence {
  private last = 0;

  /** The next line's `seq`: its time in thousandths of a millisecond, or one more than the last `seq` given when that is later. */
  next(at: Date): number {
    const time = at.getTime();
    // An invalid date must not turn every later seq into NaN.
    this.last = Math.max(this.last + 1, Number.isFinite(time) ? time * PER_MS : 0);
    return this.last;
  }
}
