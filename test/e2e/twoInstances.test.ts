import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Database } from '../../services/store/types';
import type { FakeChannel } from '../support/fakeChannel';
import { startTestApp, startTestAppWithChannel, tempDataDir } from '../support/testApp';

/**
 * Two bot instances behind one load balancer, sharing one database (as with MongoDB): the customer's
 * quick second message lands on the other instance while the first is still being answered.
 */
describe('two instances sharing a database', () => {
  let db: Database;
  let second: App;
  let channel: FakeChannel;
  let closeFirst: () => Promise<void>;

  const start = async (turnLeases: string) => {
    ({ channel, close: closeFirst } = await startTestAppWithChannel({ TURN_LEASES: turnLeases }, { database: db }));
    second = await startTestApp({ TURN_LEASES: turnLeases }, { database: db });
  };

  beforeEach(async () => {
    db = await openNedbDatabase(tempDataDir());
  });

  afterEach(async () => {
    await closeFirst();
    await second.close();
    await db.close();
  });

  /** The same activity a channel would send, to the second instance. */
  const toSecond = (activity: Record<string, unknown>) =>
    fetch(`${second.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });

  it('answer one conversation in arrival order, so nothing the customer said is lost', async () => {
    await start('on');
    const priya = channel.user();
    await priya.says('order AB-2024117 arrived broken');
    // A slow channel keeps the first instance's turn in flight while the next message reaches the second.
    channel.replyDelayMs = 150;
    const email = channel.post(priya.activity({ text: 'priya@example.com' }));
    const leases = db.collection('turnLeases');
    await expect.poll(() => leases.countDocuments({}), { interval: 2 }).toBe(1);
    const yes = toSecond(priya.activity({ text: 'yes' }));
    expect([(await email).status, (await yes).status]).toEqual([200, 200]);
    const [consent, summary] = priya.transcript().slice(-2);
    expect(consent).toMatch(/okay for us to contact you/i);
    expect(summary).toMatch(/Contact: e-mail p\S*@example\.com/);
    expect(await leases.countDocuments({})).toBe(0);
  });
});
