/**
 * What the public side owes the customer and the platforms, over real HTTP with loopback fakes of the
 * X API, the Graph API and the Bot Framework channel: a DM link works for its post's author only, the
 * Facebook public line never claims a private message that did not go out, deletions and edits are
 * honoured, a quote of the brand's post is heard, and signatures are read strictly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { signMetaBody } from '../../services/social/meta/signature';
import { SOCIAL_REPLIES_COLLECTION, SOCIAL_REPLY_AUTHORS_COLLECTION, type ReplyJob } from '../../services/social/types';
import { signXBody } from '../../services/social/x/signature';
import type { Ticket } from '../../services/tickets/types';
import type { FakeChannel } from '../support/fakeChannel';
import type { FakePlatformApi } from '../social/fakePlatformApi';
import { fixture } from '../support/fixtures';
import { webhookFixture } from '../social/webhookBodies';
import { META_PAGE_ID, META_SECRET, type SocialApp, startSocialApp, X_SECRET } from './socialApp';

const PAGE = META_PAGE_ID;
const COMMENT = '271828182845904_1618033988749894';
const DAVE = '3141592653589793';
const STRANGER = '999000111';
/** Words of the public line that claim a private message went out. */
const CLAIMS_PRIVATE_MESSAGE = /messaged you|written to you|sent you a private|check your messages/i;

describe('public side, delivered as promised', () => {
  let app: App;
  let xApi: FakePlatformApi;
  let graph: FakePlatformApi;
  let messenger: FakeChannel;
  let postX: SocialApp['postX'];
  let postMeta: SocialApp['postMeta'];
  let xDm: SocialApp['xDm'];
  let posts: SocialApp['posts'];
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ app, xApi, graph, messenger, postX, postMeta, xDm, posts, close } = await startSocialApp());
  });

  afterEach(async () => {
    await close();
  });

  const jobs = () => app.db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION);
  /** Priya's mention is answered publicly; returns the prefilled DM text (with the token) of its DM link. */
  const priyaMentionsAndGetsAReply = async (): Promise<string> => {
    expect((await postX(webhookFixture('x/account-activity-mention.json'))).status).toBe(200);
    await xApi.waitFor(() => xApi.callsTo('POST', '/2/tweets').length === 1);
    const [reply] = xApi.callsTo('POST', '/2/tweets');
    return new URL(/https:\/\/x\.com\/messages\/compose\S+/.exec(reply.body.text)![0]).searchParams.get('text')!;
  };
  const freshComment = (ageMs = 0, verb = 'add') => {
    const body = webhookFixture('meta/page-feed-comment.json');
    body.entry[0].changes[0].value.created_time = Math.floor((Date.now() - ageMs) / 1000);
    body.entry[0].changes[0].value.verb = verb;
    return body;
  };

  describe('a DM link works for its post\'s author only', () => {
    it('when another X user DMs with the token from Priya\'s public reply, then they start as a new customer, see nothing of her post, and their ticket does not carry it', async () => {
      const prefilled = await priyaMentionsAndGetsAReply();

      const opening = (await xDm(`${prefilled} my parcel never arrived, order AB-7777777`, STRANGER)).join('\n');
      expect(opening).toMatch(/automated assistant/);
      expect(opening).not.toMatch(/I see your post|SMS says|collected by me|delivery \(/);
      let done = '';
      for (const answer of ['here only', 'yes', 'yes']) {
        done = (await xDm(answer, STRANGER)).join('\n');
        expect(done).not.toMatch(/SMS says|collected by me/);
        if (/CS-[A-Z0-9]{6}/.test(done)) break;
      }
      const ref = /(CS-[A-Z0-9]{6})/.exec(done)?.[1];
      expect(ref, done).toBeDefined();
      const ticket = (await app.db.collection<Ticket>('tickets').findOne({ _id: ref! }))!;
      expect(ticket.source).not.toBe('public_post');
      expect(ticket.publicPost).toBeUndefined();
      expect(JSON.stringify(ticket)).not.toContain('collected by me personally');
      const archived = await posts().findOne({ _id: 'x:1226143262385778690' });
      expect(archived!.ticketRef).toBeUndefined();
      expect(archived!.dmLinkedAt).toBeUndefined();

      // The author herself, with the same token, is linked to her post.
      const hers = await xDm(prefilled, '6253282');
      expect(hers[0]).toMatch(/I see your post on X about your delivery \("SMS says my parcel/);
    });

    it('when someone other than the commenter opens the Messenger link, then nothing of the comment is shown; the commenter is linked', async () => {
      expect((await postMeta(freshComment())).status).toBe(200);
      await graph.waitFor(() => graph.calls.length === 2);
      const [privateReply] = graph.callsTo('POST', `/${PAGE}/messages`);
      const ref = new URL(/https:\/\/m\.me\/\S+/.exec(privateReply.body.message.text)![0]).searchParams.get('ref')!;
      const referral = (psid: string) => {
        const activity = fixture('meta/messenger-referral-activity.json');
        activity.from.id = psid;
        activity.channelData.sender.id = psid;
        activity.conversation.id = `${psid}-${PAGE}`;
        activity.channelData.referral.ref = ref;
        return { ...activity, serviceUrl: messenger.url, timestamp: new Date().toISOString() };
      };

      const stranger = messenger.user(STRANGER, 'Sam Other', `${STRANGER}-${PAGE}`);
      const strangerSees = (await stranger.sendAndCollect(referral(STRANGER))).join('\n');
      expect(strangerSees).not.toMatch(/I see your post|guitar|baggage/);
      expect((await posts().findOne({ _id: `facebook:${COMMENT}` }))!.dmLinkedAt).toBeUndefined();

      const dave = messenger.user(DAVE, 'Dave Carroll', `${DAVE}-${PAGE}`);
      expect((await dave.sendAndCollect(referral(DAVE)))[0]).toMatch(/I see your post on Facebook about the damage \("Your baggage handlers broke my guitar/);
    });
  });

  describe('Facebook: the public line follows the Private Reply', () => {
    it('sends the Private Reply first and only then says in public that we messaged them', async () => {
      expect((await postMeta(freshComment())).status).toBe(200);
      await graph.waitFor(() => graph.calls.length === 2);
      expect(graph.calls.map((call) => `${call.method} ${call.path}`)).toEqual([`POST /${PAGE}/messages`, `POST /${COMMENT}/comments`]);
      expect(graph.calls[1].body.message).toMatch(CLAIMS_PRIVATE_MESSAGE);
    });

    it('when the comment is 10 days old, then no Private Reply is attempted and the public line does not claim one', async () => {
      expect((await postMeta(freshComment(10 * 24 * 3_600_000))).status).toBe(200);
      await graph.waitFor(() => graph.callsTo('POST', `/${COMMENT}/comments`).length === 1);
      expect(graph.callsTo('POST', `/${PAGE}/messages`)).toHaveLength(0);
      const [publicLine] = graph.callsTo('POST', `/${COMMENT}/comments`);
      expect(publicLine.body.message).toMatch(/Dave/);
      expect(publicLine.body.message).not.toMatch(CLAIMS_PRIVATE_MESSAGE);
      expect(publicLine.body.message).not.toContain('m.me');
    });

    it('when Graph refuses the Private Reply (400, code 10903), then the public line comes after it and does not claim a private message', async () => {
      graph.answerNext('POST', `/${PAGE}/messages`, { status: 400, body: { error: { message: 'This message is sent outside of allowed window.', type: 'OAuthException', code: 10903 } } });
      expect((await postMeta(freshComment())).status).toBe(200);
      await graph.waitFor(() => graph.calls.length === 2);
      expect(graph.calls.map((call) => `${call.method} ${call.path}`)).toEqual([`POST /${PAGE}/messages`, `POST /${COMMENT}/comments`]);
      expect(graph.calls[1].body.message).not.toMatch(CLAIMS_PRIVATE_MESSAGE);
      expect(await jobs().findOne({ _id: `meta_private_reply:facebook:${COMMENT}` })).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/400/) });
    });
  });

  describe('deletions and edits', () => {
    it('when an X post is deleted before its reply went out, then the archive keeps ids without text, the reply is cancelled, and the webhook counts the deletion', async () => {
      // X is rate-limited for an hour: the public reply waits in the queue.
      const reset = Math.floor(Date.now() / 1000) + 3600;
      xApi.answerNext('POST', '/2/tweets', { status: 429, body: { title: 'Too Many Requests' }, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } });
      expect((await postX(webhookFixture('x/account-activity-mention.json'))).status).toBe(200);
      await xApi.waitFor(() => xApi.callsTo('POST', '/2/tweets').length === 1);
      const jobId = 'x_public_reply:x:1226143262385778690';
      await expect.poll(async () => (await jobs().findOne({ _id: jobId }))?.status, { timeout: 10_000 }).toBe('pending');

      const deletion = { for_user_id: '2244994945', tweet_delete_events: [{ status: { id: '1226143262385778690', user_id: '6253282' }, timestamp_ms: String(Date.now()) }] };
      const response = await postX(deletion);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ posts: 0, deletions: 1 });

      const archived = (await posts().findOne({ _id: 'x:1226143262385778690' }))!;
      expect(archived.text).toBe('');
      expect(archived.deletedAt).toBeInstanceOf(Date);
      expect(archived).toMatchObject({ postId: '1226143262385778690', author: { id: '6253282' }, triage: { decision: 'needs_care' } });
      expect(await jobs().findOne({ _id: jobId })).toMatchObject({ status: 'cancelled' });
      expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(1);
      // She was never answered, so her once-per-window claim is free again: her next post may be answered.
      expect(await app.db.collection(SOCIAL_REPLY_AUTHORS_COLLECTION).findOne({ _id: 'x:6253282' })).toBeNull();
    });

    it('when a post that became a ticket is deleted, then the ticket\'s copy of the post loses its words; the case and what the customer confirmed in the DM stay', async () => {
      const prefilled = await priyaMentionsAndGetsAReply();
      let done = (await xDm(`${prefilled} Order AB-2024117`, '6253282')).join('\n');
      for (const answer of ['here only', 'yes']) if (!/CS-[A-Z0-9]{6}/.test(done)) done = (await xDm(answer, '6253282')).join('\n');
      const ref = /(CS-[A-Z0-9]{6})/.exec(done)![1];
      await expect.poll(async () => (await posts().findOne({ _id: 'x:1226143262385778690' }))?.ticketRef, { timeout: 10_000 }).toBe(ref);

      const response = await postX({ for_user_id: '2244994945', tweet_delete_events: [{ status: { id: '1226143262385778690', user_id: '6253282' }, timestamp_ms: String(Date.now()) }] });
      expect(await response.json()).toMatchObject({ deletions: 1 });
      const ticket = await app.tickets.require(ref);
      expect(ticket.publicPost).toMatchObject({ postId: '1226143262385778690', text: '' });
      expect(ticket.orderNumber).toBe('AB-2024117');
      expect((await app.tickets.audit.list(ref)).map((event) => event.action)).toContain('ticket.public_post_deleted');
    });

    it('ignores a deletion naming another author than the archived post\'s', async () => {
      await priyaMentionsAndGetsAReply();
      const response = await postX({ for_user_id: '2244994945', tweet_delete_events: [{ status: { id: '1226143262385778690', user_id: STRANGER } }] });
      expect(await response.json()).toMatchObject({ deletions: 1 });
      expect((await posts().findOne({ _id: 'x:1226143262385778690' }))!.text).toContain('collected by me personally');
    });

    it('when a Facebook comment is edited and then removed, then the archive takes the new text, then loses it, and the webhook counts both', async () => {
      expect((await postMeta(freshComment())).status).toBe(200);
      await graph.waitFor(() => graph.calls.length === 2);

      const edited = freshComment(0, 'edited');
      edited.entry[0].changes[0].value.message = 'Your baggage handlers broke my guitar. Update: still no answer.';
      expect(await (await postMeta(edited)).json()).toMatchObject({ posts: 0, edits: 1, deletions: 0, skipped: 0 });
      const afterEdit = (await posts().findOne({ _id: `facebook:${COMMENT}` }))!;
      expect(afterEdit.text).toBe('Your baggage handlers broke my guitar. Update: still no answer.');
      expect(afterEdit.editedAt).toBeInstanceOf(Date);

      const removed = freshComment(0, 'remove');
      delete removed.entry[0].changes[0].value.message;
      expect(await (await postMeta(removed)).json()).toMatchObject({ posts: 0, deletions: 1, skipped: 0 });
      const afterRemove = (await posts().findOne({ _id: `facebook:${COMMENT}` }))!;
      expect(afterRemove.text).toBe('');
      expect(afterRemove.deletedAt).toBeInstanceOf(Date);
      // Still exactly the two answers sent before; nothing more goes out for a removed comment.
      expect(graph.calls).toHaveLength(2);
    });
  });

  it('when someone quotes the brand\'s own post without an @mention, then it is treated as addressed to the brand', async () => {
    const quote = webhookFixture('x/account-activity-mention.json');
    const tweet = quote.tweet_create_events[0];
    tweet.text = 'SMS says my parcel was delivered and collected by me personally. It wasn\'t. Prepaid order, still nothing.';
    tweet.in_reply_to_user_id_str = null;
    tweet.in_reply_to_user_id = null;
    tweet.in_reply_to_screen_name = null;
    tweet.entities.user_mentions = [];
    tweet.is_quote_status = true;
    tweet.quoted_status_id_str = '1226000000000000001';
    tweet.quoted_status = { id_str: '1226000000000000001', text: 'Our spring sale starts today!', user: { id_str: '2244994945', screen_name: 'AcmeSupport' } };
    expect((await postX(quote)).status).toBe(200);
    const archived = await posts().findOne({ _id: 'x:1226143262385778690' });
    expect(archived?.triage).toMatchObject({ decision: 'needs_care' });
    await xApi.waitFor(() => xApi.callsTo('POST', '/2/tweets').length === 1);
  });

  it('refuses a valid signature with junk appended, on both webhooks, with 401', async () => {
    const mention = webhookFixture('x/account-activity-mention.json');
    const raw = JSON.stringify(mention);
    expect((await postX(mention, `${signXBody(X_SECRET, raw)}!!!`)).status).toBe(401);
    expect((await postX(mention, `${signXBody(X_SECRET, raw).slice(0, -1)}`)).status).toBe(401);
    const comment = freshComment();
    expect((await postMeta(comment, `${signMetaBody(META_SECRET, JSON.stringify(comment))}zz`)).status).toBe(401);
    expect(await posts().countDocuments({})).toBe(0);
    // The exact signature still passes.
    expect((await postX(mention)).status).toBe(200);
  });
});
