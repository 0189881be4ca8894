/**
 * A complaint on X edited into thanks ("UPDATE: it arrived, thanks!") while the bot's reply still waits (here:
 * behind a rate limit): the reply never goes out and the archive says why. One already sent stays, and an
 * edit that still complains keeps its reply. Real app over HTTP, ManualClock, loopback X API, NeDB.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../services/clock';
import type { ReplyJob } from '../../services/social/types';
import { webhookFixture } from '../social/webhookBodies';
import { type SocialApp, startSocialApp } from './socialApp';

const PRIYA_POST = '1226143262385778690';
const EDIT_ID = '1226143262385778699';
const REPLY_JOB = `x_public_reply:x:${PRIYA_POST}`;

describe('a complaint on X edited into thanks', () => {
  let clock: ManualClock;
  let social: SocialApp;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    social = await startSocialApp({}, { clock });
  });
  afterEach(() => social.close());

  const repliesToPriya = () => social.tweets().filter((call) => call.body.reply.in_reply_to_tweet_id === PRIYA_POST);
  /** Priya's post edited to `text`: X sends it as a new post naming the original in its edit history. */
  const edited = (text: string) => {
    const body = webhookFixture('x/account-activity-mention.json', clock.now());
    Object.assign(body.tweet_create_events[0], { id: Number(EDIT_ID), id_str: EDIT_ID, text, edit_history: { initial_tweet_id: PRIYA_POST, edit_tweet_ids: [PRIYA_POST, EDIT_ID] } });
    return body;
  };
  /** Priya's complaint, whose reply the X API holds back for 15 minutes (429). */
  const complaintWaitsBehindRateLimit = async () => {
    const reset = Math.floor((clock.now().getTime() + 15 * MINUTE) / 1000);
    social.xApi.answerNext('POST', '/2/tweets', { status: 429, body: { title: 'Too Many Requests' }, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } });
    await social.postX(webhookFixture('x/account-activity-mention.json', clock.now()));
    await social.xApi.waitFor(() => social.tweets().length === 1);
  };
  /** Someone else's complaint after the limit: once its reply is out, the worker has sent everything that was due. */
  const afterTheLimitAnotherCustomerIsAnswered = async () => {
    clock.advance(20 * MINUTE);
    const body = webhookFixture('x/account-activity-mention.json', clock.now());
    Object.assign(body.tweet_create_events[0], { id_str: '1226143262385779999', text: '@AcmeSupport my parcel never arrived', user: { id_str: '777000', name: 'Sam Lee', screen_name: 'sam_lee' } });
    await social.postX(body);
    await social.xApi.waitFor(() => social.tweets().some((call) => call.body.reply.in_reply_to_tweet_id === '1226143262385779999'));
  };

  it('when the complaint is edited into thanks while its reply waits, then the reply never goes out, and the archive records why', async () => {
    await complaintWaitsBehindRateLimit();
    expect(await (await social.postX(edited('UPDATE: it arrived, thanks @Acme!'))).json()).toMatchObject({ posts: 0, edits: 1 });

    expect(await social.replyJobs().findOne({ _id: REPLY_JOB })).toMatchObject({ status: 'cancelled', lastError: expect.stringMatching(/edited the post into praise/) });
    expect(await social.posts().findOne({ _id: `x:${PRIYA_POST}` })).toMatchObject({
      triage: { decision: 'praise' },
      repliesCancelledByEdit: { at: expect.any(Date), was: 'needs_care', reason: expect.stringMatching(/thanks/) },
    });
    await afterTheLimitAnotherCustomerIsAnswered();
    expect(repliesToPriya()).toHaveLength(1); // only the rate-limited attempt
  });

  it('when the edit appends "UPDATE: arrived, thank you" to the complaint, then what it says now counts and the reply is cancelled', async () => {
    await complaintWaitsBehindRateLimit();
    await social.postX(edited("@AcmeSupport SMS says my parcel was delivered. It wasn't. UPDATE: it turned up this morning, thank you!"));
    expect(await social.replyJobs().findOne({ _id: REPLY_JOB })).toMatchObject({ status: 'cancelled' });
    await afterTheLimitAnotherCustomerIsAnswered();
    expect(repliesToPriya()).toHaveLength(1);
  });

  it('when the edit still complains, then the reply goes out once the limit is over', async () => {
    await complaintWaitsBehindRateLimit();
    await social.postX(edited('@AcmeSupport EDIT: still nothing after 3 calls, where is my parcel?'));
    expect(await social.replyJobs().findOne({ _id: REPLY_JOB })).toMatchObject({ status: 'pending' });
    await afterTheLimitAnotherCustomerIsAnswered();
    await social.xApi.waitFor(() => repliesToPriya().length === 2);
    expect(await social.posts().findOne({ _id: `x:${PRIYA_POST}` })).toMatchObject({ triage: { decision: 'needs_care' } });
    expect((await social.posts().findOne({ _id: `x:${PRIYA_POST}` }))!.repliesCancelledByEdit).toBeUndefined();
  });

  it('when the reply was already sent, then the edit into thanks leaves it as sent', async () => {
    await social.postX(webhookFixture('x/account-activity-mention.json', clock.now()));
    await social.xApi.waitFor(() => repliesToPriya().length === 1);
    let job: ReplyJob | null = null;
    for (let i = 0; i < 100 && job?.status !== 'sent'; i++) {
      job = await social.replyJobs().findOne({ _id: REPLY_JOB });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(job?.status).toBe('sent');
    await social.postX(edited('UPDATE: it arrived, thanks @Acme!'));
    expect(await social.replyJobs().findOne({ _id: REPLY_JOB })).toMatchObject({ status: 'sent' });
  });
});
