/** A long rate-limit storm delays a public reply without using up its attempts (real store, loopback fake X API). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/clock';
import { silentLogger } from '../../services/log';
import { PlatformHttp } from '../../services/social/platformHttp';
import { ReplyQueue, ReplyWorker } from '../../services/social/replyQueue';
import type { ReplyJob } from '../../services/social/types';
import { XClient } from '../../services/social/x/xClient';
import { openDatabase } from '../../services/store/openDatabase';
import type { Database } from '../../services/store/types';
import { tempDataDir } from '../support/testApp';
import { FakePlatformApi } from './fakePlatformApi';

const MAX_ATTEMPTS = 8;
const JOB_ID = 'x_public_reply:x:1';

describe('replies during a rate-limit storm', () => {
  let db: Database;
  let xApi: FakePlatformApi;
  let clock: ManualClock;
  let queue: ReplyQueue;

  beforeEach(async () => {
    db = await openDatabase({ dataDir: tempDataDir('social-storm-') });
    xApi = await new FakePlatformApi().start();
    clock = new ManualClock('2026-03-02T10:00:00Z');
    queue = new ReplyQueue(db.collection<ReplyJob>('socialReplies'), clock);
  });

  afterEach(async () => {
    await xApi.stop();
    await db.close();
  });

  const worker = (extra: { maxRateLimitWaitMs?: number } = {}) => {
    const client = new XClient({ http: new PlatformHttp({ baseUrl: xApi.url, timeoutMs: 2000, sleep: async () => undefined, now: () => clock.now().getTime() }), userToken: 'u', appToken: 'a' });
    return new ReplyWorker({
      queue,
      senders: { x_public_reply: async (job) => {
        const { id, rateLimit } = await client.reply(job.targetId, job.text);
        return { remoteId: id, rateLimit };
      } },
      intervalMs: 0,
      maxAttempts: MAX_ATTEMPTS,
      clock,
      logger: silentLogger,
      ...extra,
    });
  };
  const reply = { kind: 'x_public_reply' as const, platform: 'x' as const, postKey: 'x:1', targetId: '1', text: 'Hi Sam, sorry. DM us.' };

  /** X answers 429 with a reset 15 minutes on, as it does all through a storm. */
  const rateLimitedOnce = () => {
    const reset = Math.floor(clock.now().getTime() / 1000) + 900;
    xApi.answerNext('POST', '/2/tweets', { status: 429, body: { title: 'Too Many Requests' }, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } });
    return reset;
  };

  it('when X answers 429 more times than the attempt limit and then 200, the reply goes out once and is never parked', async () => {
    await queue.enqueue(reply);
    const w = worker();
    for (let i = 0; i < MAX_ATTEMPTS + 4; i++) {
      const reset = rateLimitedOnce();
      expect(await w.drain()).toBe(0);
      expect(await queue.get(JOB_ID)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: new Date(reset * 1000), lastError: expect.stringMatching(/PLATFORM_RATE_LIMITED 429/) });
      clock.advance(901_000);
    }
    expect(await w.drain()).toBe(1);
    expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(MAX_ATTEMPTS + 5);
    expect(await queue.get(JOB_ID)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await w.drain()).toBe(0);
    expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(MAX_ATTEMPTS + 5);
  });

  it('when the rate limits add up to more waiting than the cap, the reply is parked and its lastError says why', async () => {
    await queue.enqueue(reply);
    const w = worker({ maxRateLimitWaitMs: 60 * 60_000 });
    for (let i = 0; i < 4; i++) {
      rateLimitedOnce();
      await w.drain();
      expect((await queue.get(JOB_ID))?.status).toBe('pending');
      clock.advance(901_000);
    }
    rateLimitedOnce();
    await w.drain();
    expect(await queue.get(JOB_ID)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^parked after waiting 1 h in all for rate limits to reset \(PLATFORM_RATE_LIMITED 429/) });
    expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(5);
  });

  it('a server error still uses up an attempt: after the limit the reply is parked', async () => {
    await queue.enqueue(reply);
    const w = worker();
    for (let i = 0; i < MAX_ATTEMPTS * 3; i++) xApi.answerNext('POST', '/2/tweets', { status: 500, body: {} });
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await w.drain();
      clock.advance(60 * 60_000);
    }
    expect(await queue.get(JOB_ID)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  });
});
