/**
 * Replayed webhooks, over real HTTP: X and Meta sign the body but no timestamp, so a captured body can be
 * posted again, genuinely signed, days later, when the handled ids have been forgotten. Events dated older
 * than WEBHOOK_MAX_AGE_HOURS (48) are acknowledged with 200 and not handled; fresh ones (and clocks a few
 * seconds apart) still are. The app runs on a ManualClock; bodies are dated at it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { HOUR, MINUTE, DAY, ManualClock } from '../../services/clock';
import { dedupeRetentionMs } from '../../services/social/webhookAge';
import type { FakePlatformApi } from '../social/fakePlatformApi';
import { datedAt, webhookFixture } from '../social/webhookBodies';
import { type SocialApp, startSocialApp } from './socialApp';

const ACCOUNT = '17841400000000001';
const PRIYA = '6253282';

describe('replayed platform webhooks', () => {
  let clock: ManualClock;
  let social: SocialApp;
  let app: App;
  let xApi: FakePlatformApi;
  let graph: FakePlatformApi;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    social = await startSocialApp({ INSTAGRAM_USERNAME: 'acme' }, { clock });
    ({ app, xApi, graph } = social);
  });
  afterEach(() => social.close());

  /** What the hourly purge of handled DM/activity ids does once their retention has passed. */
  const idsForgotten = () => app.db.collection('processedActivities').deleteMany({ at: { $lt: new Date(clock.now().getTime() - dedupeRetentionMs(48 * HOUR)) } });
  const tickets = () => app.db.collection('tickets').countDocuments({});
  const lines = () => app.db.collection('transcripts').countDocuments({});
  const xDm = (text: string, id: string, at = clock.now()) => {
    const body = webhookFixture('x/account-activity-dm.json', at);
    Object.assign(body.direct_message_events[0], { id });
    body.direct_message_events[0].message_create.message_data.text = text;
    return body;
  };
  const instagramDm = (text: string, mid: string) => {
    const body = webhookFixture('meta/instagram-dm.json', clock.now());
    Object.assign(body.entry[0].messaging[0].message, { mid, text });
    return body;
  };
  const graphDms = () => graph.callsTo('POST', `/${ACCOUNT}/messages`).length;

  it('when a signed X DM is replayed 3 days later, after its id was forgotten, then it is acknowledged and changes nothing: no second answer, no line, no ticket', async () => {
    const body = xDm('My order AB-2024117 never arrived', '1226197030611869700');
    expect((await social.postX(body)).status).toBe(200);
    const answered = social.dmTexts(PRIYA).length;
    expect(answered).toBeGreaterThan(0);
    const [ticketsBefore, linesBefore] = [await tickets(), await lines()];

    clock.advance(3 * DAY);
    expect(await idsForgotten()).toBeGreaterThan(0);
    const replay = await social.postX(body);
    expect(replay.status).toBe(200);
    expect(social.dmTexts(PRIYA)).toHaveLength(answered);
    expect(await lines()).toBe(linesBefore);
    expect(await tickets()).toBe(ticketsBefore);
    expect(await replay.json()).toMatchObject({ directMessages: 0, notHandled: 1 });
  });

  it('when a signed Instagram DM is replayed 3 days later, after its id was forgotten, then it is acknowledged and not answered again', async () => {
    const body = instagramDm('Hi, still no news on my trail runners', 'm_replayed_1');
    expect((await social.postMeta(body)).status).toBe(200);
    const answered = graphDms();
    expect(answered).toBeGreaterThan(0);
    const linesBefore = await lines();

    clock.advance(3 * DAY);
    expect(await idsForgotten()).toBeGreaterThan(0);
    const replay = await social.postMeta(body);
    expect(replay.status).toBe(200);
    expect(graphDms()).toBe(answered);
    expect(await lines()).toBe(linesBefore);
    expect(await replay.json()).toMatchObject({ directMessages: 0, notHandled: 1 });
  });

  it('when a signed Facebook comment is replayed 3 days later, then it is acknowledged and nothing is archived, replied or opened again', async () => {
    const comment = webhookFixture('meta/page-feed-comment.json', clock.now());
    expect((await social.postMeta(comment)).status).toBe(200);
    await graph.waitFor(() => graph.calls.length === 2);
    const ticketsBefore = await tickets();

    clock.advance(3 * DAY);
    const replay = await social.postMeta(comment);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ posts: 0, notHandled: 1 });
    expect(graph.calls).toHaveLength(2);
    expect(await social.posts().countDocuments({})).toBe(1);
    expect(await tickets()).toBe(ticketsBefore);
  });

  it('when an old edit of a Facebook comment is replayed after a newer edit, then the archive keeps the newer words', async () => {
    const comment = webhookFixture('meta/page-feed-comment.json', clock.now());
    expect((await social.postMeta(comment)).status).toBe(200);
    const edit = (message: string) => {
      // An edit keeps the comment's created_time; entry.time is when it was edited.
      const body = structuredClone(comment);
      body.entry[0].time = Math.floor(clock.now().getTime() / 1000);
      Object.assign(body.entry[0].changes[0].value, { verb: 'edited', message });
      return body;
    };
    clock.advance(DAY);
    const firstEdit = edit('First edit of the guitar story');
    expect(await (await social.postMeta(firstEdit)).json()).toMatchObject({ edits: 1 });
    clock.advance(DAY);
    expect(await (await social.postMeta(edit('Second edit, the words that stand'))).json()).toMatchObject({ edits: 1 });

    clock.advance(2 * DAY);
    const replay = await social.postMeta(firstEdit);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ edits: 0, notHandled: 1 });
    expect((await social.posts().findOne({}))?.text).toBe('Second edit, the words that stand');
  });

  it('when an X post heard a day ago is edited now, then the edit is handled: it carries its own time', async () => {
    const mention = webhookFixture('x/account-activity-mention.json', clock.now());
    expect((await social.postX(mention)).status).toBe(200);
    await xApi.waitFor(() => xApi.callsTo('POST', '/2/tweets').length === 1);

    clock.advance(30 * HOUR);
    const edited = datedAt(mention, clock.now());
    const original = mention.tweet_create_events[0].id_str;
    Object.assign(edited.tweet_create_events[0], { id_str: '1226143262385778699', text: '@AcmeSupport EDIT: still nothing', edit_history: { initial_tweet_id: original, edit_tweet_ids: [original, '1226143262385778699'] } });
    const response = await social.postX(edited);
    expect(await response.json()).toMatchObject({ edits: 1 });
    expect((await social.posts().findOne({ _id: `x:${original}` }))?.text).toBe('@AcmeSupport EDIT: still nothing');
    expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(1);
  });

  it('when a signed X mention is replayed 3 days later, then it is acknowledged and answered no second time', async () => {
    const mention = webhookFixture('x/account-activity-mention.json', clock.now());
    expect((await social.postX(mention)).status).toBe(200);
    await xApi.waitFor(() => xApi.callsTo('POST', '/2/tweets').length === 1);
    clock.advance(3 * DAY);
    const replay = await social.postX(mention);
    expect(await replay.json()).toMatchObject({ posts: 0, notHandled: 1 });
    expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(1);
  });

  it('when an X DM was sent 47 hours ago (a late delivery inside the limit), then it is still answered', async () => {
    const body = xDm('My order AB-2024117 never arrived', '1226197030611869701', new Date(clock.now().getTime() - 47 * HOUR));
    const response = await social.postX(body);
    expect(await response.json()).toMatchObject({ directMessages: 1 });
    expect(social.dmTexts(PRIYA).length).toBeGreaterThan(0);
  });

  it("when the platform's clock is 30 seconds ahead of ours, then its DM is answered", async () => {
    const body = xDm('My order AB-2024117 never arrived', '1226197030611869702', new Date(clock.now().getTime() + 30_000));
    const response = await social.postX(body);
    expect(await response.json()).toMatchObject({ directMessages: 1 });
    expect(social.dmTexts(PRIYA).length).toBeGreaterThan(0);
  });

  it('when a DM is dated an hour in the future, then it is acknowledged and not handled (a clock is wrong)', async () => {
    const body = xDm('My order AB-2024117 never arrived', '1226197030611869703', new Date(clock.now().getTime() + 60 * MINUTE));
    const response = await social.postX(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ directMessages: 0, notHandled: 1 });
    expect(social.dmTexts(PRIYA)).toHaveLength(0);
  });

  it('when a deletion arrives days after the post, then it is still honoured', async () => {
    const mention = webhookFixture('x/account-activity-mention.json', clock.now());
    expect((await social.postX(mention)).status).toBe(200);
    clock.advance(5 * DAY);
    const id = mention.tweet_create_events[0].id_str;
    const deletion = { for_user_id: '2244994945', tweet_delete_events: [{ status: { id, user_id: PRIYA }, timestamp_ms: String(clock.now().getTime() - 4 * DAY) }] };
    expect(await (await social.postX(deletion)).json()).toMatchObject({ deletions: 1 });
    expect((await social.posts().findOne({ _id: `x:${id}` }))?.text).toBe('');
  });
});
