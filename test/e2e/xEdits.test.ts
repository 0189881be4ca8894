/**
 * Edited posts on X, over the signed Account Activity webhook: X delivers an edit as a new post whose
 * `edit_history.initial_tweet_id` names the original. The archive keeps one post with the words as they
 * now stand, and the customer is answered once, not once per version.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakePlatformApi } from '../social/fakePlatformApi';
import { webhookFixture } from '../social/webhookBodies';
import { type SocialApp, startSocialApp } from './socialApp';

const ORIGINAL = '1226143262385778690';
const EDITED = '1226143262385778699';
const EDITED_TEXT = "@AcmeSupport EDIT: SMS says my parcel was delivered and collected by me personally. It wasn't. Still nothing after 3 calls.";

/** The fixture's mention, as its edited version: a new id, the new words, and the original named in its history. */
function editedMention(originalId = ORIGINAL, editedId = EDITED) {
  const body = webhookFixture('x/account-activity-mention.json');
  const tweet = body.tweet_create_events[0];
  Object.assign(tweet, { id: Number(editedId), id_str: editedId, text: EDITED_TEXT, edit_history: { initial_tweet_id: originalId, edit_tweet_ids: [originalId, editedId] } });
  return body;
}

describe('a customer edits their public post on X', () => {
  let xApi: FakePlatformApi;
  let postX: SocialApp['postX'];
  let posts: SocialApp['posts'];
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ xApi, postX, posts, close } = await startSocialApp());
  });
  afterEach(() => close());

  it('when the post was already heard, then the archive takes the new words and no second reply goes out', async () => {
    expect((await postX(webhookFixture('x/account-activity-mention.json'))).status).toBe(200);
    await xApi.waitFor(() => xApi.callsTo('POST', '/2/tweets').length === 1);

    const response = await postX(editedMention());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ posts: 0, edits: 1 });
    const archived = (await posts().findOne({ _id: `x:${ORIGINAL}` }))!;
    expect(archived.text).toBe(EDITED_TEXT);
    expect(archived.editedAt).toBeInstanceOf(Date);
    expect(await posts().findOne({ _id: `x:${EDITED}` })).toBeNull();
    // The same edit delivered again changes nothing more, and nobody is answered twice.
    expect((await postX(editedMention())).status).toBe(200);
    expect(await posts().countDocuments({})).toBe(1);
    expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(1);
  });

  it('when the original never reached us, then the edited version is heard as a post of its own, once', async () => {
    const response = await postX(editedMention('1226143262385770001'));
    expect(await response.json()).toMatchObject({ posts: 1, edits: 1 });
    await xApi.waitFor(() => xApi.callsTo('POST', '/2/tweets').length === 1);
    expect((await posts().findOne({ _id: `x:${EDITED}` }))?.text).toBe(EDITED_TEXT);
    expect((await postX(editedMention('1226143262385770001'))).status).toBe(200);
    expect(await posts().countDocuments({})).toBe(1);
    expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(1);
  });
});
