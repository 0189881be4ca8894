/**
 * An erased public post keeps one identifier, its key `platform:postId`, so that the erasure sticks: X redelivers
 * and the author may edit the post, and neither may bring their words or handle back. Real app over HTTP,
 * signed X webhooks, loopback X API, NeDB.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webhookFixture } from '../social/webhookBodies';
import { type SocialApp, startSocialApp } from '../e2e/socialApp';
import { api, staffToken } from './support';

const PRIYA_POST = '1226143262385778690';
const PRIYA_X_ID = '6253282';
const EDIT_ID = '1226143262385778699';

describe('an erased public post', () => {
  let social: SocialApp;

  beforeEach(async () => {
    social = await startSocialApp();
  });
  afterEach(() => social.close());

  it('when X redelivers the post or its author edits it after the erasure, the archive keeps it erased under its key and no second reply goes out', async () => {
    const mention = webhookFixture('x/account-activity-mention.json', social.app.clock.now());
    expect((await social.postX(mention)).status).toBe(200);
    await social.xApi.waitFor(() => social.xApi.callsTo('POST', '/2/tweets').length === 1);

    const erase = await api(social.app, await staffToken(social.app, 'supervisor'))('POST', '/api/privacy/erase', { channelUserId: PRIYA_X_ID, confirm: true });
    expect(erase.status).toBe(200);
    const erased = await social.posts().findOne({ _id: `x:${PRIYA_POST}` });
    expect(erased).toMatchObject({ text: '[erased]' });
    expect(JSON.stringify(erased)).not.toMatch(/priya_r|Priya Raman|6253282/);

    // The kept key is what recognises the redelivery: nothing is archived again, nobody is answered twice.
    expect(await (await social.postX(webhookFixture('x/account-activity-mention.json', social.app.clock.now()))).json()).toMatchObject({ duplicates: 1 });
    const edit = webhookFixture('x/account-activity-mention.json', social.app.clock.now());
    Object.assign(edit.tweet_create_events[0], { id: Number(EDIT_ID), id_str: EDIT_ID, text: '@AcmeSupport still nothing, parcel AB-2024117', edit_history: { initial_tweet_id: PRIYA_POST, edit_tweet_ids: [PRIYA_POST, EDIT_ID] } });
    expect((await social.postX(edit)).status).toBe(200);

    const after = await social.posts().findOne({ _id: `x:${PRIYA_POST}` });
    expect(after).toMatchObject({ text: '[erased]' });
    expect(JSON.stringify(after)).not.toMatch(/priya_r|Priya Raman|6253282|still nothing/);
    expect(social.xApi.callsTo('POST', '/2/tweets').filter((call) => call.body.reply?.in_reply_to_tweet_id === PRIYA_POST)).toHaveLength(1);
  });
});
