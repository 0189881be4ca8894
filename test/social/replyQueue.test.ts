import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/clock';
import { silentLogger } from '../../services/log';
import { PlatformHttp } from '../../services/social/platformHttp';
import { ReplyQueue, ReplyWorker } from '../../services/social/replyQueue';
import type { ReplyJob } from '../../services/social/types';
import { MentionsPoller, type Cursor } from '../../services/social/x/mentionsPoller';
import { XClient } from '../../services/social/x/xClient';
import { openDatabase } from '../../services/store/openDatabase';
import type { Database } from '../../services/store/types';
import { tempDataDir } from '../support/testApp';
import { FakePlatformApi } from './fakePlatformApi';
import { fixture } from '../support/fixtures';

describe('the durable reply queue and the X client', () => {
  let db: Database;
  let xApi: FakePlatformApi;
  let clock: ManualClock;
  let queue: ReplyQueue;
  let client: XClient;

  beforeEach(async () => {
    db = await openDatabase({ dataDir: tempDataDir('social-queue-') });
    xApi = await new FakePlatformApi().start();
    clock = new ManualClock('2026-03-02T10:00:00Z');
    queue = new ReplyQueue(db.collection<ReplyJob>('socialReplies'), clock);
    client = new XClient({ http: new PlatformHttp({ baseUrl: xApi.url, timeoutMs: 2000, sleep: async () => undefined }), userToken: 'u', appToken: 'a' });
  });

  afterEach(async () => {
    await xApi.stop();
    await db.close();
  });

  const worker = () =>
    new ReplyWorker({
      queue,
      senders: { x_public_reply: async (job) => {
        const { id, rateLimit } = await client.reply(job.targetId, job.text);
        return { remoteId: id, rateLimit };
      } },
      intervalMs: 0,
      maxAttempts: 5,
      clock,
      logger: silentLogger,
    });
  const reply = { kind: 'x_public_reply' as const, platform: 'x' as const, postKey: 'x:1', targetId: '1', text: 'Hi Sam, sorry. DM us.' };

  it('records a reply once however often it is enqueued, before anything is sent', async () => {
    expect(await queue.enqueue(reply)).toBe(true);
    expect(await queue.enqueue(reply)).toBe(false);
    expect(await queue.get('x_public_reply:x:1')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(xApi.calls).toHaveLength(0);
    expect(await worker().drain()).toBe(1);
    expect(await worker().drain()).toBe(0);
    expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(1);
    expect(await queue.get('x_public_reply:x:1')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('on a 429 waits for the rate-limit reset, then sends exactly once', async () => {
    const reset = Math.floor(clock.now().getTime() / 1000) + 900;
    xApi.answerNext('POST', '/2/tweets', { status: 429, body: { title: 'Too Many Requests' }, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } });
    await queue.enqueue(reply);
    const w = worker();
    expect(await w.drain()).toBe(0);
    expect(await queue.get('x_public_reply:x:1')).toMatchObject({ status: 'pending', nextAttemptAt: new Date(reset * 1000) });
    expect(await w.drain()).toBe(0);
    expect(xApi.calls).toHaveLength(1);
    clock.advance(901_000);
    expect(await w.drain()).toBe(1);
    expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(2);
  });

  it('treats X refusing a duplicate post as the earlier attempt having gone out', async () => {
    xApi.answerNext('POST', '/2/tweets', { status: 403, body: { detail: 'You are not allowed to create a Tweet with duplicate content.' } });
    await queue.enqueue(reply);
    expect(await worker().drain()).toBe(1);
    expect(await queue.get('x_public_reply:x:1')).toMatchObject({ status: 'sent', remoteId: 'duplicate' });
  });

  it('parks a reply the platform rejects for good, keeping it for a person', async () => {
    xApi.answerNext('POST', '/2/tweets', { status: 400, body: { detail: 'bad' } });
    await queue.enqueue(reply);
    await worker().drain();
    expect(await queue.get('x_public_reply:x:1')).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/400/) });
  });

  it('polls mentions with since_id and moves the cursor', async () => {
    const page = fixture('x/mentions-v2.json');
    xApi.answerNext('GET', '/2/users/2244994945/mentions', { status: 200, body: page, headers: { 'x-rate-limit-remaining': '179', 'x-rate-limit-reset': '1900000000' } });
    xApi.answerNext('GET', '/2/users/2244994945/mentions', { status: 200, body: { meta: { result_count: 0 } } });
    const ingested: string[] = [];
    const poller = new MentionsPoller({ client, brandUserId: '2244994945', intervalMs: 1000, cursors: db.collection<Cursor>('socialCursors'), ingest: async (post) => ingested.push(`${post.postId}:${post.impressions}:${post.followers}`), clock, logger: silentLogger });
    expect(await poller.pollOnce()).toBe(1);
    expect(await poller.pollOnce()).toBe(0);
    expect(ingested).toEqual(['1226143262385778690:214:1873']);
    const [first, second] = xApi.callsTo('GET', '/2/users/2244994945/mentions');
    expect(first.query.get('since_id')).toBeNull();
    expect(second.query.get('since_id')).toBe('1226143262385778690');
    expect(first.headers.authorization).toBe('Bearer a');
  });
});
