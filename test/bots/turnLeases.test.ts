import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/clock';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Collection, Database } from '../../services/store/types';
import { TurnLeases, type TurnLease } from '../../services/turnLeases';

describe('turn leases in the shared store', () => {
  let db: Database;
  let leases: Collection<TurnLease>;
  const clock = new ManualClock('2026-03-02T10:00:00Z');

  beforeEach(async () => {
    db = await openNedbDatabase(':memory:');
    leases = db.collection<TurnLease>('turnLeases');
  });
  afterEach(() => db.close());

  it('lets one turn of a conversation run at a time, in the order they get the lease, and leaves no lease behind', async () => {
    const turns = new TurnLeases(leases, clock, { firstPauseMs: 1 });
    const log: string[] = [];
    const turn = (name: string) => async () => {
      log.push(`${name} starts`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`${name} ends`);
    };
    await Promise.all([turns.run('emulator:c1', turn('a')), turns.run('emulator:c1', turn('b'))]);
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends']);
    expect(await leases.countDocuments({})).toBe(0);
  });

  it('takes over a lease its holder left behind (a crashed instance) once it has expired', async () => {
    await leases.insertOne({ _id: 'emulator:c1', holder: 'crashed', until: new Date(clock.now().getTime() - 1) });
    const turns = new TurnLeases(leases, clock, { maxWaitMs: 60_000 });
    await expect(turns.run('emulator:c1', async () => 'ran')).resolves.toBe('ran');
    expect(await leases.countDocuments({})).toBe(0);
  });

  it('goes ahead after waiting its longest for a lease that is still held, and leaves that lease alone', async () => {
    await leases.insertOne({ _id: 'emulator:c1', holder: 'busy', until: new Date(clock.now().getTime() + 60_000) });
    const turns = new TurnLeases(leases, clock, { maxWaitMs: 30, firstPauseMs: 5 });
    await expect(turns.run('emulator:c1', async () => 'ran anyway')).resolves.toBe('ran anyway');
    expect(await leases.findOne({ _id: 'emulator:c1' })).toMatchObject({ holder: 'busy' });
  });
});
