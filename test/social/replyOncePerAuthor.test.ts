/**
 * One public reply per author per window, on the real embedded store: a viral burst from one upset
 * customer yields one reply job; every post is still archived as a complaint.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, ManualClock } from '../../services/clock';
import { silentLogger } from '../../services/log';
import { SocialIntake } from '../../services/social/intake';
import { ReplyComposer } from '../../services/social/publicReply';
import { RefTokens } from '../../services/social/refToken';
import { ReplyAuthorClaims } from '../../services/social/replyAuthors';
import { ReplyQueue } from '../../services/social/replyQueue';
import { DEFAULT_TRIAGE_RULES, Triage } from '../../services/social/triage';
import {
  SOCIAL_POSTS_COLLECTION,
  SOCIAL_REPLIES_COLLECTION,
  SOCIAL_REPLY_AUTHORS_COLLECTION,
  type PublicPost,
  type ReplyAuthorClaim,
  type ReplyJob,
  type SocialPostRecord,
} from '../../services/social/types';
import { openDatabase } from '../../services/store/openDatabase';
import type { Collection, Database } from '../../services/store/types';
import { StoreError } from '../../services/store/types';
import { tempDataDir } from '../support/testApp';

const BRAND = '2244994945';
const COMPLAINT = '@AcmeSupport my parcel never arrived, order AB-2024117';

describe('one public reply per customer per window', () => {
  let db: Database;
  let clock: ManualClock;
  let posts: Collection<SocialPostRecord>;
  let jobs: Collection<ReplyJob>;
  let claims: Collection<ReplyAuthorClaim>;

  beforeEach(async () => {
    db = await openDatabase({ dataDir: tempDataDir('social-once-') });
    clock = new ManualClock('2026-03-02T10:00:00Z');
    posts = db.collection<SocialPostRecord>(SOCIAL_POSTS_COLLECTION);
    jobs = db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION);
    claims = db.collection<ReplyAuthorClaim>(SOCIAL_REPLY_AUTHORS_COLLECTION);
    await Promise.all([...SocialIntake.indexes(posts), ...ReplyQueue.indexes(jobs)]);
  });

  afterEach(async () => {
    await db.close();
  });

  const intake = (options: { windowHours?: number; posts?: Collection<SocialPostRecord>; queue?: ReplyQueue } = {}) => {
    const windowHours = options.windowHours ?? 24;
    const redact = (text: string) => text;
    return new SocialIntake({
      posts: options.posts ?? posts,
      queue: options.queue ?? new ReplyQueue(jobs, clock),
      triage: new Triage(DEFAULT_TRIAGE_RULES, { brandIds: [BRAND], brandHandles: ['acmesupport'] }),
      composer: new ReplyComposer({ brandName: 'Acme', redact }),
      tokens: new RefTokens('test-dm-link-secret-0123456789', 7 * 24 * HOUR),
      channels: { x: { brandUserId: BRAND }, meta: { pageId: '104857600123456', messengerName: 'acme' } },
      clock,
      logger: silentLogger,
      redact,
      ...(windowHours > 0 && { replyAuthors: new ReplyAuthorClaims(claims, windowHours * HOUR, clock) }),
    });
  };
  const post = (postId: string, authorId = '6253282', extra: Partial<PublicPost> = {}): PublicPost => ({
    platform: 'x',
    postId,
    text: COMPLAINT,
    authorId,
    authorName: 'Priya',
    addressedTo: [BRAND],
    postedAt: clock.now(),
    ...extra,
  });

  it('when one author posts three complaints, then exactly one reply is queued and the later posts are archived as answered via the first', async () => {
    const social = intake();
    const outcomes = [];
    for (const id of ['1', '2', '3']) outcomes.push(await social.ingest(post(id), 'x_webhook'));

    expect(outcomes.map((o) => o.queued)).toEqual([1, 0, 0]);
    expect(outcomes.map((o) => o.decision)).toEqual(['needs_care', 'needs_care', 'needs_care']);
    expect(outcomes[1]).toMatchObject({ duplicate: false, answeredVia: 'x:1' });
    expect((await jobs.find({})).map((job) => job._id)).toEqual(['x_public_reply:x:1']);
    const first = await posts.findOne({ _id: 'x:1' });
    expect(first!.linkId).toEqual(expect.any(String));
    expect(first!.answeredVia).toBeUndefined();
    for (const later of ['x:2', 'x:3']) {
      const record = await posts.findOne({ _id: later });
      expect(record).toMatchObject({ triage: { decision: 'needs_care' }, answeredVia: 'x:1' });
      expect(record!.linkId).toBeUndefined();
      expect(record!.replyJobIds).toBeUndefined();
    }
    expect(await claims.findOne({ _id: 'x:6253282' })).toMatchObject({ postKey: 'x:1', linkId: first!.linkId, lastReplyAt: clock.now() });
  });

  it('when twenty posts of one author arrive at once, then one reply job is queued and the other nineteen are answered via it', async () => {
    const social = intake();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => social.ingest(post(String(100 + i)), 'x_webhook')));

    expect(outcomes.filter((o) => o.queued === 1)).toHaveLength(1);
    expect(await jobs.countDocuments({})).toBe(1);
    const winner = outcomes.find((o) => o.queued === 1)!.postKey;
    expect(outcomes.filter((o) => o.answeredVia === winner)).toHaveLength(19);
    expect(await posts.countDocuments({ 'triage.decision': 'needs_care' })).toBe(20);
    expect(await posts.countDocuments({ linkId: { $exists: true } })).toBe(1);
  });

  it('a different author posting in the same burst still gets their own reply', async () => {
    const social = intake();
    await Promise.all([social.ingest(post('1'), 'x_webhook'), social.ingest(post('2'), 'x_webhook'), social.ingest(post('3', '777'), 'x_webhook')]);

    expect(await jobs.countDocuments({})).toBe(2);
    expect(await jobs.countDocuments({ postKey: 'x:3' })).toBe(1);
  });

  it('the same author id on Facebook is a different customer from the one on X', async () => {
    const social = intake();
    await social.ingest(post('1'), 'x_webhook');
    const comment = await social.ingest(post('c1', '6253282', { platform: 'facebook', onBrandSurface: true }), 'meta_webhook');

    // The Private Reply is queued; the public line follows once it went out.
    expect(comment.queued).toBe(1);
    expect(await jobs.findOne({ _id: 'meta_private_reply:facebook:c1' })).toMatchObject({ then: { onSent: { kind: 'meta_comment_reply' } } });
  });

  it('when the window has passed, then the author is answered again', async () => {
    const social = intake({ windowHours: 24 });
    await social.ingest(post('1'), 'x_webhook');
    clock.advance(23 * HOUR);
    expect(await social.ingest(post('2'), 'x_webhook')).toMatchObject({ queued: 0, answeredVia: 'x:1' });
    clock.advance(HOUR);

    const again = await social.ingest(post('3'), 'x_webhook');
    expect(again.queued).toBe(1);
    expect(again.answeredVia).toBeUndefined();
    expect(await claims.findOne({ _id: 'x:6253282' })).toMatchObject({ postKey: 'x:3', lastReplyAt: clock.now() });
    expect(await social.ingest(post('4'), 'x_webhook')).toMatchObject({ queued: 0, answeredVia: 'x:3' });
  });

  it('with the setting at 0, every post that needs care is answered as before', async () => {
    const social = intake({ windowHours: 0 });
    for (const id of ['1', '2', '3']) expect((await social.ingest(post(id), 'x_webhook')).queued).toBe(1);

    expect(await jobs.countDocuments({})).toBe(3);
    expect(await posts.countDocuments({ answeredVia: { $exists: true } })).toBe(0);
    expect(await claims.countDocuments({})).toBe(0);
  });

  it('a redelivered post is deduplicated exactly as before, whether it was the answered one or a later one', async () => {
    const social = intake();
    await social.ingest(post('1'), 'x_webhook');
    await social.ingest(post('2'), 'x_webhook');

    expect(await social.ingest(post('1'), 'x_webhook')).toMatchObject({ postKey: 'x:1', duplicate: true, decision: 'needs_care', queued: 0 });
    expect(await social.ingest(post('2'), 'x_webhook')).toMatchObject({ postKey: 'x:2', duplicate: true, decision: 'needs_care', queued: 0 });
    expect(await jobs.countDocuments({})).toBe(1);
    expect(await claims.findOne({ _id: 'x:6253282' })).toMatchObject({ postKey: 'x:1' });
  });

  it('when the process died after archiving the answered post, its redelivery still queues the replies', async () => {
    const dying = new ReplyQueue(jobs, clock);
    dying.enqueue = async () => {
      throw new Error('process died');
    };
    await expect(intake({ queue: dying }).ingest(post('1'), 'x_webhook')).rejects.toThrow('process died');
    expect(await jobs.countDocuments({})).toBe(0);

    const redelivered = await intake().ingest(post('1'), 'x_webhook');
    expect(redelivered).toMatchObject({ duplicate: true });
    expect((await jobs.find({})).map((job) => job._id)).toEqual(['x_public_reply:x:1']);
    const record = await posts.findOne({ _id: 'x:1' });
    expect(await claims.findOne({ _id: 'x:6253282' })).toMatchObject({ postKey: 'x:1', linkId: record!.linkId });
  });

  it('when archiving the answered post fails, then the claim is released and the author\'s next post is answered', async () => {
    const failing: Collection<SocialPostRecord> = Object.create(posts);
    failing.insertOne = async () => {
      throw new StoreError('STORE_UNAVAILABLE', 'disk full');
    };
    await expect(intake({ posts: failing }).ingest(post('1'), 'x_webhook')).rejects.toThrow('disk full');
    expect(await claims.countDocuments({})).toBe(0);

    expect((await intake().ingest(post('2'), 'x_webhook')).queued).toBe(1);
  });

  it('a later post redelivered after the window does not keep the author from being answered', async () => {
    const social = intake();
    await social.ingest(post('1'), 'x_webhook');
    await social.ingest(post('2'), 'x_webhook');
    clock.advance(25 * HOUR);

    expect(await social.ingest(post('2'), 'x_webhook')).toMatchObject({ duplicate: true, queued: 0 });
    expect(await social.ingest(post('3'), 'x_webhook')).toMatchObject({ queued: 1 });
    expect(await jobs.countDocuments({})).toBe(2);
  });

  it('posts that need no care take no claim', async () => {
    const social = intake();
    await social.ingest(post('1', '6253282', { text: 'Thanks @AcmeSupport, parcel arrived early, love it!' }), 'x_webhook');

    expect(await claims.countDocuments({})).toBe(0);
    expect((await social.ingest(post('2'), 'x_webhook')).queued).toBe(1);
  });

  it('when crisis mode held back the only public reply, then the author is not counted as answered and a later post may be', async () => {
    const social = intake();
    let crisis = true;
    social.crisisGate = { shouldReplyPublicly: async () => (crisis ? { reply: false, topic: 'delivery' } : { reply: true }) } as unknown as NonNullable<SocialIntake['crisisGate']>;
    expect((await social.ingest(post('1900000000000000201'), 'x_webhook')).queued).toBe(0);
    expect(await claims.countDocuments({})).toBe(0);
    crisis = false;
    const later = await social.ingest(post('1900000000000000202'), 'x_webhook');
    expect(later).toMatchObject({ queued: 1 });
    expect(later.answeredVia).toBeUndefined();
    expect(await jobs.countDocuments({})).toBe(1);
  });

  it('forgets claims whose window has passed, so the collection does not keep every author ever answered', async () => {
    const social = intake();
    await social.ingest(post('1900000000000000301', 'first-author'), 'x_webhook');
    clock.advance(20 * HOUR);
    await social.ingest(post('1900000000000000302', 'second-author'), 'x_webhook');
    clock.advance(5 * HOUR);
    const claimsOf = new ReplyAuthorClaims(claims, 24 * HOUR, clock);
    expect(await claimsOf.forgetExpired()).toBe(1);
    expect((await claims.find({})).map((claim) => claim._id)).toEqual(['x:second-author']);
  });
});
