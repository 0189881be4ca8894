/**
 * A person on the team answers a post by hand from the brand's account (X, Facebook) while the bot's reply
 * is still waiting (here: behind a rate limit). Their reply comes back on the webhook; the bot must not post
 * a second, canned answer under it, nor jump into the thread when the customer answers the person.
 * Real app over HTTP, ManualClock, loopback fakes of the X API and the Graph API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../services/clock';
import type { ReplyJob } from '../../services/social/types';
import { webhookFixture } from '../social/webhookBodies';
import { META_PAGE_ID, type SocialApp, startSocialApp } from './socialApp';

const BRAND = '2244994945';
const PRIYA = '6253282';
const PRIYA_POST = '1226143262385778690';
const DAVE_COMMENT = '271828182845904_1618033988749894';

describe('a post the team answered by hand', () => {
  let clock: ManualClock;
  let social: SocialApp;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    social = await startSocialApp({}, { clock });
  });
  afterEach(() => social.close());

  /** A post on X, dated at the app's clock; `by` the brand for the team's own replies. */
  const xPost = (id: string, text: string, extra: Record<string, unknown> = {}, by?: { id_str: string; name: string; screen_name: string }) => {
    const body = webhookFixture('x/account-activity-mention.json', clock.now());
    Object.assign(body.tweet_create_events[0], { id_str: id, text, ...extra }, by && { user: by });
    return body;
  };
  const brand = { id_str: BRAND, name: 'Acme Support', screen_name: 'AcmeSupport' };
  /** Someone else's complaint, answered at once: once its reply is out, the worker has sent everything that was due. */
  const anotherCustomerIsAnswered = async () => {
    const before = social.tweets().length;
    const body = xPost('1226143262385779999', '@AcmeSupport my parcel never arrived');
    body.tweet_create_events[0].user = { id_str: '777000', name: 'Sam Lee', screen_name: 'sam_lee' };
    await social.postX(body);
    await social.xApi.waitFor(() => social.tweets().some((call) => call.body.reply.in_reply_to_tweet_id === '1226143262385779999'));
    return social.tweets().slice(before);
  };

  it('when a person on the team answers an X post by hand while the bot\'s reply waits behind a rate limit, then the bot\'s reply never goes out, and the customer\'s answer in the thread is left to the person', async () => {
    const reset = Math.floor((clock.now().getTime() + 15 * MINUTE) / 1000);
    social.xApi.answerNext('POST', '/2/tweets', { status: 429, body: { title: 'Too Many Requests' }, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } });
    await social.postX(webhookFixture('x/account-activity-mention.json', clock.now()));
    await social.xApi.waitFor(() => social.tweets().length === 1);

    const byHand = xPost('1226143262385780001', '@priya_r Hi Priya, Jo here. I\'ve checked with the courier and sent you a DM.', { in_reply_to_status_id_str: PRIYA_POST, in_reply_to_user_id_str: PRIYA }, brand);
    expect(await (await social.postX(byHand)).json()).toMatchObject({ posts: 0, answeredByHand: 1 });
    expect(await social.replyJobs().findOne({ _id: `x_public_reply:x:${PRIYA_POST}` })).toMatchObject({ status: 'cancelled' });
    expect(await social.posts().findOne({ _id: `x:${PRIYA_POST}` })).toMatchObject({ answeredByHandAt: expect.any(Date) });

    // Priya answers the person in the thread, upset: the person has it, the bot stays out.
    const answer = xPost('1226143262385780002', '@AcmeSupport still nothing, this is ridiculous', { in_reply_to_status_id_str: '1226143262385780001', in_reply_to_user_id_str: BRAND });
    await social.postX(answer);
    expect(await social.posts().findOne({ _id: 'x:1226143262385780002' })).toMatchObject({ triage: { decision: 'needs_care' }, answeredVia: `x:${PRIYA_POST}` });

    clock.advance(20 * MINUTE);
    const sentNow = await anotherCustomerIsAnswered();
    expect(sentNow).toHaveLength(1);
    expect(social.tweets().filter((call) => ['1226143262385778690', '1226143262385780002'].includes(call.body.reply.in_reply_to_tweet_id))).toHaveLength(1);
  });

  it('when the bot\'s own X reply comes back on the webhook, then it is not taken for a person\'s answer', async () => {
    social.xApi.answerNext('POST', '/2/tweets', { status: 201, body: { data: { id: '1226143262385780003', text: 'our reply' } } });
    await social.postX(webhookFixture('x/account-activity-mention.json', clock.now()));
    await social.xApi.waitFor(() => social.tweets().length === 1);
    let job: ReplyJob | null = null;
    for (let i = 0; i < 100 && job?.status !== 'sent'; i++) {
      job = await social.replyJobs().findOne({ _id: `x_public_reply:x:${PRIYA_POST}` });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(job!.remoteId).toBe('1226143262385780003');
    const echo = xPost(job!.remoteId!, social.tweets()[0].body.text, { in_reply_to_status_id_str: PRIYA_POST, in_reply_to_user_id_str: PRIYA }, brand);
    const outcome = await (await social.postX(echo)).json();
    expect(outcome.answeredByHand).toBeUndefined();
    expect((await social.posts().findOne({ _id: `x:${PRIYA_POST}` }))!.answeredByHandAt).toBeUndefined();
  });

  it('when the Page answers a Facebook comment by hand while the Private Reply waits behind Graph throttling, then neither the Private Reply nor the public line goes out', async () => {
    social.graph.answerNext('POST', `/${META_PAGE_ID}/messages`, { status: 400, body: { error: { code: 4, message: 'Application request limit reached' } } });
    await social.postMeta(webhookFixture('meta/page-feed-comment.json', clock.now()));
    await social.graph.waitFor(() => social.graph.calls.length === 1);

    const byHand = webhookFixture('meta/page-feed-comment.json', clock.now());
    Object.assign(byHand.entry[0].changes[0].value, { from: { id: META_PAGE_ID, name: 'Acme' }, message: 'Dave, so sorry. Jo here: I have sent you a message.', comment_id: '271828182845904_2000000000000001', parent_id: DAVE_COMMENT });
    expect(await (await social.postMeta(byHand)).json()).toMatchObject({ posts: 0, answeredByHand: 1 });

    clock.advance(5 * MINUTE);
    await anotherCustomerIsAnswered();
    expect(social.graph.calls).toHaveLength(1);
    expect(await social.replyJobs().findOne({ _id: `meta_private_reply:facebook:${DAVE_COMMENT}` })).toMatchObject({ status: 'cancelled' });
    expect(await social.replyJobs().findOne({ _id: `meta_comment_reply:facebook:${DAVE_COMMENT}` })).toMatchObject({ status: 'cancelled' });
  });
});
