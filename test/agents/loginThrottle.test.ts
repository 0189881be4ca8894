import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, ManualClock, MINUTE } from '../../services/clock';
import { type LoginFailures, LoginThrottle } from '../../services/agents/loginThrottle';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Database } from '../../services/store/types';
import { tempDataDir } from '../support/testApp';

describe('the sign-in throttle', () => {
  let db: Database;
  let clock: ManualClock;
  let throttle: LoginThrottle;
  const failTimes = async (times: number, email = 'ben@example.com') => {
    for (let i = 0; i < times; i++) await throttle.failed(email);
  };

  beforeEach(async () => {
    db = await openNedbDatabase(tempDataDir());
    clock = new ManualClock();
    throttle = new LoginThrottle(db.collection<LoginFailures>('agentLoginFailures'), clock);
  });
  afterEach(() => db.close());

  it('locks after five failures in a row, for fifteen minutes, then counts afresh', async () => {
    await failTimes(4);
    expect(await throttle.isLocked('ben@example.com')).toBe(false);
    await failTimes(1);
    expect(await throttle.isLocked('BEN@example.com')).toBe(true);
    clock.advance(14 * MINUTE);
    expect(await throttle.isLocked('ben@example.com')).toBe(true);
    clock.advance(2 * MINUTE);
    expect(await throttle.isLocked('ben@example.com')).toBe(false);
    await failTimes(4);
    expect(await throttle.isLocked('ben@example.com')).toBe(false);
    await failTimes(1);
    expect(await throttle.isLocked('ben@example.com')).toBe(true);
  });

  it('a successful sign-in clears the count', async () => {
    await failTimes(4);
    await throttle.clear('ben@example.com');
    await failTimes(4);
    expect(await throttle.isLocked('ben@example.com')).toBe(false);
  });

  it('forgets addresses nobody tried for a day, so made-up ones do not pile up', async () => {
    const failures = db.collection<LoginFailures>('agentLoginFailures');
    for (let i = 0; i < 50; i++) await throttle.failed(`made.up.${i}@example.com`);
    expect(await failures.countDocuments({})).toBe(50);
    clock.advance(DAY + HOUR);
    await throttle.failed('ben@example.com');
    expect(await failures.countDocuments({})).toBe(1);
  });
});
