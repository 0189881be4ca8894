/**
 * A complaint posted inside someone else's thread on X: our public reply speaks to its author only.
 * X's API @mentions everyone in the thread in a reply unless told to leave them out, so "Sorry to read
 * this, Priya" would otherwise ping the stranger she answered and the journalist she tagged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webhookFixture } from '../social/webhookBodies';
import { type SocialApp, startSocialApp } from './socialApp';

const BRAND = '2244994945';
const PRIYA = '6253282';
const STRANGER = '555000111';
const JOURNALIST = '555000222';

describe('public replies inside a thread on X', () => {
  let social: SocialApp;
  beforeEach(async () => {
    social = await startSocialApp();
  });
  afterEach(() => social.close());

  it('when Priya complains in reply to a stranger\'s post and tags a journalist, then our reply leaves both of them out and addresses her only', async () => {
    const body = webhookFixture('x/account-activity-mention.json');
    Object.assign(body.tweet_create_events[0], {
      text: '@bob_k @AcmeSupport @WatchdogTV same here, my parcel never arrived',
      in_reply_to_status_id_str: '1226143262385770000',
      in_reply_to_user_id_str: STRANGER,
      entities: { hashtags: [], user_mentions: [{ id_str: STRANGER }, { id_str: BRAND }, { id_str: JOURNALIST }] },
    });
    expect((await social.postX(body)).status).toBe(200);
    await social.xApi.waitFor(() => social.xApi.callsTo('POST', '/2/tweets').length === 1);
    const [reply] = social.xApi.callsTo('POST', '/2/tweets');
    expect(reply.body.reply.in_reply_to_tweet_id).toBe('1226143262385778690');
    expect([...reply.body.reply.exclude_reply_user_ids].sort()).toEqual([STRANGER, JOURNALIST].sort());
    expect(reply.body.reply.exclude_reply_user_ids).not.toContain(PRIYA);
    expect(reply.body.text).toMatch(/Priya/);
  });

  it('when the post simply @mentions the brand, then nobody is excluded', async () => {
    expect((await social.postX(webhookFixture('x/account-activity-mention.json'))).status).toBe(200);
    await social.xApi.waitFor(() => social.xApi.callsTo('POST', '/2/tweets').length === 1);
    expect(social.xApi.callsTo('POST', '/2/tweets')[0].body.reply).toEqual({ in_reply_to_tweet_id: '1226143262385778690' });
  });
});
