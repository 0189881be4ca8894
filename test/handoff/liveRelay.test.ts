import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE, systemClock } from '../../services/clock';
import { type LiveEvent, LiveEvents } from '../../services/handoff/liveEvents';
import { LIVE_RELAY_COLLECTION, LiveRelay, type RelayedEvent } from '../../services/handoff/liveRelay';
import { silentLogger } from '../../services/log';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Database } from '../../services/store/types';
import { tempDataDir } from '../support/testApp';

describe('the live relay between instances', () => {
  let db: Database;
  const buses: LiveEvents[] = [];
  const bus = (clock = systemClock) => {
    const events = new LiveEvents(new LiveRelay(db.collection<RelayedEvent>(LIVE_RELAY_COLLECTION), clock, silentLogger, 10));
    buses.push(events);
    return events;
  };
  const received = (events: LiveEvents) => {
    const seen: LiveEvent[] = [];
    events.subscribe((event) => seen.push(event));
    return seen;
  };

  beforeEach(async () => {
    db = await openNedbDatabase(tempDataDir());
  });
  afterEach(async () => {
    for (const events of buses.splice(0)) await events.close();
    await db.close();
  });

  it('delivers every event of a burst to the other instance once, in order, and not back to its sender', async () => {
    const [a, b] = [bus(), bus()];
    const [onA, onB] = [received(a), received(b)];
    const refs = Array.from({ length: 2_500 }, (_, i) => `CS-${String(i).padStart(6, '0')}`);
    for (const ref of refs) a.publish({ type: 'customer.typing', ref });
    await expect.poll(() => onB.length, { timeout: 10_000 }).toBe(refs.length);
    expect(onB.map((event) => (event as { ref: string }).ref)).toEqual(refs);
    // The sender's own subscribers got each event once, directly.
    expect(onA).toHaveLength(refs.length);
  });

  it('forgets relayed events after ten minutes', async () => {
    const clock = new ManualClock();
    const [a, b] = [bus(clock), bus(clock)];
    const onB = received(b);
    a.publish({ type: 'queue.changed' });
    await expect.poll(() => onB.length).toBe(1);
    const relayed = db.collection<RelayedEvent>(LIVE_RELAY_COLLECTION);
    expect(await relayed.countDocuments({})).toBe(1);
    clock.advance(11 * MINUTE);
    await expect.poll(() => relayed.countDocuments({})).toBe(0);
    expect(onB).toHaveLength(1);
  });
});
