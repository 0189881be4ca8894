/**
 * Public post → one public reply with a working DM link → DM → dialogs → ticket holding the post,
 * over real HTTP, with loopback fakes of the X API, the Graph API and the Bot Framework channel.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { signMetaBody } from '../../services/social/meta/signature';
import { SOCIAL_REPLIES_COLLECTION, type ReplyJob } from '../../services/social/types';
import { signXBody } from '../../services/social/x/signature';
import type { Ticket } from '../../services/tickets/types';
import type { FakeChannel } from '../support/fakeChannel';
import type { FakePlatformApi } from '../social/fakePlatformApi';
import { fixture } from '../support/fixtures';
import { webhookFixture } from '../social/webhookBodies';
import { type SocialApp, startSocialApp, X_SECRET } from './socialApp';

const TOKEN_IN_TEXT = /\(ref ([A-Za-z0-9_.-]+)\)/;

describe('public-to-DM handoff over real HTTP', () => {
  let app: App;
  let xApi: FakePlatformApi;
  let graph: FakePlatformApi;
  let messenger: FakeChannel;
  let postX: SocialApp['postX'];
  let postMeta: SocialApp['postMeta'];
  let dmTexts: () => string[];
  let xDm: (text: string) => Promise<string[]>;
  let posts: SocialApp['posts'];
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ app, xApi, graph, messenger, postX, postMeta, dmTexts, xDm, posts, close } = await startSocialApp({
      SOCIAL_MENTIONS_API_KEY: 'listening-tool-key',
      MAX_BODY_BYTES: '65536',
    }));
  });

  afterEach(async () => {
    await close();
  });

  it('turns an X mention into one public reply whose DM link opens a DM that becomes a ticket holding the post', async () => {
    const mention = webhookFixture('x/account-activity-mention.json');
    expect((await postX(mention)).status).toBe(200);
    await xApi.waitFor(() => xApi.callsTo('POST', '/2/tweets').length === 1);
    // A redelivery of the same event is acknowledged and changes nothing.
    expect(await (await postX(mention)).json()).toMatchObject({ posts: 1, duplicates: 1 });

    const [reply] = xApi.callsTo('POST', '/2/tweets');
    expect(reply.headers.authorization).toBe('Bearer x-user-token');
    expect(reply.body.reply).toEqual({ in_reply_to_tweet_id: '1226143262385778690' });
    expect(reply.body.text).toMatch(/Priya/);
    const link = new URL(/https:\/\/x\.com\/messages\/compose\S+/.exec(reply.body.text)![0]);
    expect(link.searchParams.get('recipient_id')).toBe('2244994945');
    const prefilled = link.searchParams.get('text')!;
    expect(prefilled).toMatch(TOKEN_IN_TEXT);

    const opening = await xDm(`${prefilled} Order AB-2024117`);
    expect(opening[0]).toMatch(/I see your post on X about your delivery \("SMS says my parcel was delivered/);
    expect(opening.join('\n')).not.toMatch(/automated assistant/);
    expect(opening.join('\n')).toMatch(/reach you/);
    expect((await xDm('here only')).join('\n')).toMatch(/Shall I open the ticket\?/);
    const done = (await xDm('yes')).join('\n');
    const ref = /(CS-[A-Z0-9]{6})/.exec(done)?.[1];
    expect(ref, done).toBeDefined();

    const ticket = (await app.db.collection<Ticket>('tickets').findOne({ _id: ref! }))!;
    expect(ticket.source).toBe('public_post');
    expect(ticket.channelId).toBe('x');
    expect(ticket.orderNumber).toBe('AB-2024117');
    expect(ticket.publicPost).toMatchObject({
      platform: 'x',
      postId: '1226143262385778690',
      url: 'https://x.com/priya_r/status/1226143262385778690',
      authorId: '6253282',
      authorHandle: 'priya_r',
      followers: 1873,
    });
    expect(ticket.publicPost!.text).toContain('collected by me personally');
    const archived = await posts().findOne({ _id: 'x:1226143262385778690' });
    expect(archived).toMatchObject({ ticketRef: ref, triage: { decision: 'needs_care' }, author: { id: '6253282', handle: 'priya_r', followers: 1873 } });
    expect(archived!.dmLinkedAt).toBeInstanceOf(Date);
    // Still exactly one public reply after all of it.
    expect(xApi.callsTo('POST', '/2/tweets')).toHaveLength(1);
    // Later proactive messages reach the X conversation through the registered adapter.
    await app.sender.send(ticket.conversation!, { text: 'An agent has picked up your ticket.', idempotencyKey: 'k1' });
    expect(dmTexts().at(-1)).toBe('An agent has picked up your ticket.');
  });

  it('sends a Facebook commenter one Private Reply whose m.me link brings them into Messenger with the post on the ticket', async () => {
    // A fresh comment (dated now): Meta allows a Private Reply only within 7 days of it.
    const comment = webhookFixture('meta/page-feed-comment.json');
    expect((await postMeta(comment)).status).toBe(200);
    await graph.waitFor(() => graph.calls.length === 2);
    const [privateReply] = graph.callsTo('POST', '/104857600123456/messages');
    expect(privateReply.body.recipient).toEqual({ comment_id: '271828182845904_1618033988749894' });
    expect(privateReply.headers.authorization).toBe('Bearer page-token');
    expect(privateReply.body.message.text).toMatch(/Dave/);
    const ref = new URL(/https:\/\/m\.me\/\S+/.exec(privateReply.body.message.text)![0]).searchParams.get('ref')!;
    const [publicAnswer] = graph.callsTo('POST', '/271828182845904_1618033988749894/comments');
    expect(publicAnswer.body.message).toMatch(/privately|private message/);
    expect(publicAnswer.body.message).not.toContain('m.me');

    const dave = messenger.user('3141592653589793', 'Dave Carroll', '3141592653589793-104857600123456');
    const activity = fixture('meta/messenger-referral-activity.json');
    activity.channelData.referral.ref = ref;
    const opening = await dave.sendAndCollect({ ...activity, serviceUrl: messenger.url, timestamp: new Date().toISOString() });
    expect(opening[0]).toMatch(/I see your post on Facebook about the damage \("Your baggage handlers broke my guitar/);
    expect((await dave.says('hi')).join('\n')).toMatch(/order number/);
    expect((await dave.says('skip')).join('\n')).toMatch(/reach you/);
    expect((await dave.says('here only')).join('\n')).toMatch(/Shall I open the ticket\?/);
    const done = (await dave.says('yes')).join('\n');
    const ticketRef = /(CS-[A-Z0-9]{6})/.exec(done)?.[1];
    expect(ticketRef, done).toBeDefined();

    const ticket = (await app.tickets.get(ticketRef!))!;
    expect(ticket.source).toBe('public_post');
    expect(ticket.publicPost).toMatchObject({ platform: 'facebook', postId: '271828182845904_1618033988749894', authorName: 'Dave Carroll' });
    expect(ticket.description).toContain('broke my guitar');
    expect(graph.callsTo('POST', '/104857600123456/messages')).toHaveLength(1);
  });

  it('triages an Instagram comment as needing care and answers it privately and publicly', async () => {
    const comment = webhookFixture('meta/instagram-comment.json');
    expect((await postMeta(comment)).status).toBe(200);
    await graph.waitFor(() => graph.calls.length === 2);
    expect(graph.callsTo('POST', '/104857600123456/messages')[0].body.recipient).toEqual({ comment_id: '17865799348089039' });
    expect(graph.callsTo('POST', '/17865799348089039/replies')).toHaveLength(1);
    const record = await posts().findOne({ _id: 'instagram:17865799348089039' });
    expect(record).toMatchObject({ triage: { decision: 'needs_care' }, author: { handle: 'shoe_lover_88' }, topics: { products: ['trail runners'] } });
  });

  it('links a first X DM to the same person\'s recent public post even without a token, and ignores a forged token', async () => {
    await postX(webhookFixture('x/account-activity-mention.json'));
    await xApi.waitFor(() => xApi.callsTo('POST', '/2/tweets').length === 1);
    const forged = 'AAAAAAAAAAAA.tzzzzz.AAAAAAAAAAAAAAAAAAAAAA';
    const opening = await xDm(`Hi Acme, about my post (ref ${forged})`);
    expect(opening[0]).toMatch(/I see your post on X/);
    const record = await posts().findOne({ _id: 'x:1226143262385778690' });
    expect(record!.dmLinkedAt).toBeInstanceOf(Date);
  });

  it('answers a stranger with a forged token like any new customer', async () => {
    const body = webhookFixture('x/account-activity-dm.json');
    body.direct_message_events[0].message_create.message_data.text = 'hello (ref AAAAAAAAAAAA.tzzzzz.AAAAAAAAAAAAAAAAAAAAAA)';
    expect((await postX(body)).status).toBe(200);
    expect(dmTexts()[0]).toMatch(/automated assistant/);
    expect(dmTexts().join('\n')).not.toMatch(/I see your post/);
  });

  it('ignores the brand\'s own posts and DMs echoed back on the webhook', async () => {
    const own = webhookFixture('x/account-activity-mention.json');
    own.tweet_create_events[0].user.id_str = '2244994945';
    const ownDm = webhookFixture('x/account-activity-dm.json');
    ownDm.direct_message_events[0].message_create.sender_id = '2244994945';
    expect((await postX(own)).status).toBe(200);
    expect((await postX(ownDm)).status).toBe(200);
    expect(await posts().countDocuments({})).toBe(0);
    expect(xApi.calls).toHaveLength(0);
  });

  it('accepts normalised posts from another listening tool with its API key only', async () => {
    const post = { platform: 'x', postId: '99', text: '@AcmeSupport my refund never arrived?', authorId: '42', authorName: 'Sam Lee', postedAt: '2026-03-01T10:00:00Z' };
    const unkeyed = await fetch(`${app.url}/api/social/mentions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(post) });
    expect(unkeyed.status).toBe(401);
    const bad = await fetch(`${app.url}/api/social/mentions`, { method: 'POST', headers: { 'x-api-key': 'listening-tool-key' }, body: JSON.stringify({ platform: 'x' }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).problems).toContain('postId is required');
    const ok = await fetch(`${app.url}/api/social/mentions`, { method: 'POST', headers: { 'x-api-key': 'listening-tool-key' }, body: JSON.stringify(post) });
    expect(ok.status).toBe(202);
    expect((await ok.json()).results[0]).toMatchObject({ postKey: 'x:99', decision: 'needs_care', queued: 1 });
    await xApi.waitFor(() => xApi.callsTo('POST', '/2/tweets').length === 1);
  });

  describe('bad input is refused and leaves no trace', () => {
    afterEach(async () => {
      expect(await posts().countDocuments({})).toBe(0);
      expect(await app.db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION).countDocuments({})).toBe(0);
      expect(xApi.calls).toHaveLength(0);
      expect(graph.calls).toHaveLength(0);
    });

    it('answers the X CRC challenge, and 400 without a crc_token', async () => {
      const good = await fetch(`${app.url}/api/social/x/webhook?crc_token=challenge-123`);
      expect(good.status).toBe(200);
      const { createHmac } = await import('node:crypto');
      expect(await good.json()).toEqual({ response_token: `sha256=${createHmac('sha256', X_SECRET).update('challenge-123').digest('base64')}` });
      expect((await fetch(`${app.url}/api/social/x/webhook`)).status).toBe(400);
    });

    it('answers the Meta hub.challenge only to the right verify token', async () => {
      const good = await fetch(`${app.url}/api/social/meta/webhook?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`);
      expect(good.status).toBe(200);
      expect(await good.text()).toBe('1158201444');
      expect((await fetch(`${app.url}/api/social/meta/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status).toBe(403);
    });

    it('refuses forged, missing and re-serialised signatures with 401', async () => {
      const mention = webhookFixture('x/account-activity-mention.json');
      expect((await postX(mention, signXBody('not-the-secret', JSON.stringify(mention)))).status).toBe(401);
      expect((await postX(mention, '')).status).toBe(401);
      // Signed over different bytes (pretty-printed) than those sent: the signature covers the raw body.
      expect((await postX(mention, signXBody(X_SECRET, JSON.stringify(mention, null, 2)))).status).toBe(401);
      const comment = webhookFixture('meta/page-feed-comment.json');
      expect((await postMeta(comment, signMetaBody('wrong', JSON.stringify(comment)))).status).toBe(401);
      expect((await postMeta(comment, 'sha256=00')).status).toBe(401);
    });

    it('refuses signed malformed JSON with 400 and oversized bodies with 413', async () => {
      const broken = '{"object":"page","entry":[';
      expect((await postMeta(broken)).status).toBe(400);
      const xBroken = await fetch(`${app.url}/api/social/x/webhook`, { method: 'POST', headers: { 'x-twitter-webhooks-signature': signXBody(X_SECRET, 'nope') }, body: 'nope' });
      expect(xBroken.status).toBe(400);
      const huge = JSON.stringify({ object: 'page', entry: [], pad: 'x'.repeat(70_000) });
      expect((await postMeta(huge)).status).toBe(413);
      expect((await postX(JSON.parse(huge))).status).toBe(413);
    });
  });
});
