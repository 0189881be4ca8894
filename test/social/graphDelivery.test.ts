/**
 * Facebook/Instagram answers through the durable queue against a loopback Graph fake: Graph's own
 * throttling codes back off like a 429, and a public comment whose outcome is unknown is never blindly resent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/clock';
import { silentLogger } from '../../services/log';
import { GraphClient } from '../../services/social/meta/graphClient';
import { PlatformHttp } from '../../services/social/platformHttp';
import { ReplyQueue, ReplyWorker, replyJobId } from '../../services/social/replyQueue';
import type { ReplyJob } from '../../services/social/types';
import { openDatabase } from '../../services/store/openDatabase';
import type { Database } from '../../services/store/types';
import { tempDataDir } from '../support/testApp';
import { FakePlatformApi } from './fakePlatformApi';

const PAGE = '104857600123456';
const COMMENT = '271828182845904_1618033988749894';

describe('Graph answers through the reply queue', () => {
  let db: Database;
  let graph: FakePlatformApi;
  let clock: ManualClock;
  let queue: ReplyQueue;
  let worker: ReplyWorker;

  beforeEach(async () => {
    db = await openDatabase({ dataDir: tempDataDir('social-graph-') });
    graph = await new FakePlatformApi((call) => ({ status: 200, body: call.path.endsWith('/messages') ? { recipient_id: 'psid', message_id: 'm_1' } : { id: 'c_1' } })).start();
    clock = new ManualClock('2026-03-02T10:00:00Z');
    queue = new ReplyQueue(db.collection<ReplyJob>('socialReplies'), clock);
    const http = new PlatformHttp({ baseUrl: graph.url, timeoutMs: 2000, sleep: async () => undefined, now: () => clock.now().getTime() });
    const client = new GraphClient(http, 'page-token', { pageId: PAGE });
    worker = new ReplyWorker({
      queue,
      senders: {
        meta_private_reply: async (job) => ({ remoteId: (await client.privateReply(PAGE, job.targetId, job.text)).id }),
        meta_comment_reply: async (job) => ({ remoteId: (await client.commentReply('facebook', job.targetId, job.text)).id }),
      },
      intervalMs: 0,
      maxAttempts: 5,
      clock,
      logger: silentLogger,
    });
  });

  afterEach(async () => {
    await graph.stop();
    await db.close();
  });

  const comment = { kind: 'meta_comment_reply' as const, platform: 'facebook' as const, postKey: `facebook:${COMMENT}`, targetId: COMMENT, text: 'Hi Dave, sorry. We\'ve messaged you privately.' };
  const jobId = `meta_comment_reply:facebook:${COMMENT}`;

  for (const [status, code] of [[400, 4], [400, 17], [403, 32], [400, 613]] as const) {
    it(`when Graph throttles with HTTP ${status} code ${code}, then the reply waits, Facebook pauses, and it goes out once after the pause`, async () => {
      graph.answerNext('POST', `/${COMMENT}/comments`, { status, body: { error: { message: 'Application request limit reached', type: 'OAuthException', code, is_transient: true } } });
      await queue.enqueue(comment);
      expect(await worker.drain()).toBe(0);
      const waiting = await queue.get(jobId);
      expect(waiting).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/PLATFORM_RATE_LIMITED/) });
      expect(waiting!.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
      // Paused: a second Facebook job is not tried either, nor Instagram (same Page quota).
      await queue.enqueue({ ...comment, postKey: 'facebook:other', targetId: 'other' });
      await queue.enqueue({ ...comment, platform: 'instagram', postKey: 'instagram:ig1', targetId: 'ig1' });
      expect(await worker.drain()).toBe(0);
      expect(graph.calls).toHaveLength(1);
      clock.advance(61_000);
      expect(await worker.drain()).toBe(3);
      expect(graph.callsTo('POST', `/${COMMENT}/comments`)).toHaveLength(2);
      expect(await queue.get(jobId)).toMatchObject({ status: 'sent' });
    });
  }

  it('waits as long as Graph\'s x-business-use-case-usage estimate says', async () => {
    const usage = JSON.stringify({ [PAGE]: [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 12 }] });
    graph.answerNext('POST', `/${COMMENT}/comments`, { status: 400, body: { error: { code: 80001, is_transient: true } }, headers: { 'x-business-use-case-usage': usage } });
    await queue.enqueue(comment);
    await worker.drain();
    expect((await queue.get(jobId))!.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 12 * 60_000));
  });

  it('still parks a reply Graph refuses for good (not a throttling code)', async () => {
    graph.answerNext('POST', `/${COMMENT}/comments`, { status: 400, body: { error: { message: 'Invalid parameter', code: 100 } } });
    await queue.enqueue(comment);
    await worker.drain();
    expect(await queue.get(jobId)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/PLATFORM_REJECTED 400/) });
  });

  it('when the public comment answers 502 and our reply is already under the comment, then it is not posted again', async () => {
    graph.answerNext('POST', `/${COMMENT}/comments`, { status: 502, body: { error: { message: 'Bad gateway' } } });
    graph.answerNext('GET', `/${COMMENT}/comments`, { status: 200, body: { data: [{ id: 'someone_else', from: { id: '3141592653589793' } }, { id: `${COMMENT}_ours`, from: { id: PAGE } }] } });
    await queue.enqueue(comment);
    expect(await worker.drain()).toBe(1);
    clock.advance(3_600_000);
    expect(await worker.drain()).toBe(0);
    expect(graph.callsTo('POST', `/${COMMENT}/comments`)).toHaveLength(1);
    expect(await queue.get(jobId)).toMatchObject({ status: 'sent', remoteId: `${COMMENT}_ours` });
    const [lookup] = graph.callsTo('GET', `/${COMMENT}/comments`);
    expect(lookup.headers.authorization).toBe('Bearer page-token');
  });

  it('when the public comment answers 504 and our reply is not there, then it is tried again and goes out once', async () => {
    graph.answerNext('POST', `/${COMMENT}/comments`, { status: 504, body: { error: { message: 'Gateway timeout' } } });
    graph.answerNext('GET', `/${COMMENT}/comments`, { status: 200, body: { data: [{ id: 'someone_else', from: { id: '3141592653589793' } }] } });
    await queue.enqueue(comment);
    expect(await worker.drain()).toBe(0);
    expect(await queue.get(jobId)).toMatchObject({ status: 'pending' });
    clock.advance(60_000);
    expect(await worker.drain()).toBe(1);
    expect(graph.callsTo('POST', `/${COMMENT}/comments`)).toHaveLength(2);
  });

  it('when the public comment answers 502 and the replies cannot be read, then it is parked for a person, never resent', async () => {
    graph.answerNext('POST', `/${COMMENT}/comments`, { status: 502, body: { error: { message: 'Bad gateway' } } });
    graph.answerNext('GET', `/${COMMENT}/comments`, { status: 400, body: { error: { message: 'Unsupported get request', code: 100 } } });
    await queue.enqueue(comment);
    await worker.drain();
    clock.advance(3_600_000);
    await worker.drain();
    expect(graph.callsTo('POST', `/${COMMENT}/comments`)).toHaveLength(1);
    expect(await queue.get(jobId)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/PLATFORM_OUTCOME_UNKNOWN 502: .*a person should check the thread/) });
  });

  it('when the post is deleted while its reply is being sent and that attempt fails, then it is cancelled, not retried', async () => {
    await queue.enqueue(comment);
    const job = (await queue.claim([]))!;
    expect(await queue.cancelFor(comment.postKey, [replyJobId('meta_private_reply', comment.postKey), replyJobId('meta_comment_reply', comment.postKey)], 'facebook')).toBe(0);
    await queue.markRetry(job, new Error('503'));
    expect(await queue.get(jobId)).toMatchObject({ status: 'cancelled' });
    clock.advance(3_600_000);
    expect(await worker.drain()).toBe(0);
    // Nor can a follow-up for the deleted post be queued later.
    expect(await queue.enqueue({ ...comment, kind: 'meta_private_reply' })).toBe(false);
  });

  it('retries a Private Reply after a 502, since Graph refuses a second one (code 10900) and that counts as sent', async () => {
    const privateReply = { kind: 'meta_private_reply' as const, platform: 'facebook' as const, postKey: `facebook:${COMMENT}`, targetId: COMMENT, text: 'Hi Dave' };
    graph.answerNext('POST', `/${PAGE}/messages`, { status: 502, body: { error: { message: 'Bad gateway' } } });
    graph.answerNext('POST', `/${PAGE}/messages`, { status: 400, body: { error: { message: 'Reply already sent', code: 10900 } } });
    await queue.enqueue(privateReply);
    await worker.drain();
    clock.advance(60_000);
    expect(await worker.drain()).toBe(1);
    expect(await queue.get(`meta_private_reply:facebook:${COMMENT}`)).toMatchObject({ status: 'sent', remoteId: 'already-replied' });
    expect(graph.callsTo('GET', '/')).toHaveLength(0);
  });
});
