/**
 * The app wired to loopback fakes of the X API, the Graph API and a Messenger channel, with helpers
 * that post signed webhooks and write X DMs, as the social end-to-end suites need.
 */
import { expect } from 'vitest';
import type { App, AppOverrides } from '../../index';
import type { Collection } from '../../services/store/types';
import { signMetaBody } from '../../services/social/meta/signature';
import { SOCIAL_REPLIES_COLLECTION, socialPostsOf, type ReplyJob } from '../../services/social/types';
import { signXBody } from '../../services/social/x/signature';
import { FakePlatformApi } from '../social/fakePlatformApi';
import { webhookFixture } from '../social/webhookBodies';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp } from '../support/testApp';

export const X_SECRET = 'x-consumer-secret-for-tests';
export const META_SECRET = 'meta-app-secret-for-tests';
export const META_PAGE_ID = '104857600123456';

export interface SocialApp {
  app: App;
  xApi: FakePlatformApi;
  graph: FakePlatformApi;
  messenger: FakeChannel;
  /** Posts to the X webhook, signed over the exact bytes unless `signature` is given. */
  postX(body: unknown, signature?: string): Promise<Response>;
  /** Posts to the Meta webhook; a string body is sent as is (for malformed JSON). */
  postMeta(body: unknown, signature?: string): Promise<Response>;
  /** Texts of the DMs the bot sent on X: to `to` only, or to anyone. */
  dmTexts(to?: string): string[];
  /** One X DM (Account Activity shape, dated at the app's clock), from `from` or the fixture's sender; returns what the bot sent back by DM. */
  xDm(text: string, from?: string): Promise<string[]>;
  /** A webhook sample from test/fixtures, dated at the app's clock (the doors leave old events alone). */
  fresh<T = any>(name: string): T;
  posts(): ReturnType<typeof socialPostsOf>;
  /** The public replies queued (and their state). */
  replyJobs(): Collection<ReplyJob>;
  /** The posts (public replies among them) the bot made on X. */
  tweets(): ReturnType<FakePlatformApi['callsTo']>;
  close(): Promise<void>;
}

/** `env` adds to (or overrides) the social settings every suite needs; `overrides` e.g. a ManualClock. */
export async function startSocialApp(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<SocialApp> {
  const xApi = await new FakePlatformApi().start();
  const graph = await new FakePlatformApi((call) => ({ status: 200, body: call.path.endsWith('/messages') ? { recipient_id: 'psid', message_id: 'm_1' } : { id: 'c_1' } })).start();
  const app = await startTestApp({
    X_CONSUMER_SECRET: X_SECRET,
    X_BEARER_TOKEN: 'x-bearer',
    X_USER_ACCESS_TOKEN: 'x-user-token',
    X_BRAND_USER_ID: '2244994945',
    X_BRAND_HANDLE: 'AcmeSupport',
    X_API_BASE_URL: xApi.url,
    META_APP_SECRET: META_SECRET,
    META_VERIFY_TOKEN: 'verify-me',
    META_PAGE_ID,
    META_PAGE_ACCESS_TOKEN: 'page-token',
    META_GRAPH_BASE_URL: graph.url,
    META_PAGE_USERNAME: 'acme',
    INSTAGRAM_ACCOUNT_ID: '17841400000000001',
    DM_LINK_SECRET: 'dm-link-secret-for-tests-0123456789',
    SOCIAL_REPLY_INTERVAL_MS: '0',
    ...env,
  }, overrides);
  const messenger = await new FakeChannel('facebook').start(`${app.url}/api/messages`);

  const postX = (body: unknown, signature?: string) => {
    const raw = JSON.stringify(body);
    return fetch(`${app.url}/api/social/x/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature ?? signXBody(X_SECRET, raw) },
      body: raw,
    });
  };
  const postMeta = (body: unknown, signature?: string) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return fetch(`${app.url}/api/social/meta/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? signMetaBody(META_SECRET, raw) },
      body: raw,
    });
  };
  const dmTexts = (to?: string) =>
    xApi.callsTo('POST', to ? `/2/dm_conversations/with/${to}/` : '/2/dm_conversations/').map((call) => call.body.text as string);
  const fresh = <T = any>(name: string): T => webhookFixture<T>(name, app.clock.now());
  let dmSeq = 0;
  const xDm = async (text: string, from?: string): Promise<string[]> => {
    const body = fresh('x/account-activity-dm.json');
    const event = body.direct_message_events[0];
    // A fresh event id each time, so the webhook does not drop it as a redelivery.
    event.id = `${Date.now()}${++dmSeq}`;
    event.message_create.message_data.text = text;
    if (from) {
      event.message_create.sender_id = from;
      body.users[from] ??= { id: from, name: 'Sam Other', screen_name: 'sam_other' };
    }
    const before = dmTexts(from).length;
    const response = await postX(body);
    expect(response.status).toBe(200);
    return dmTexts(from).slice(before);
  };

  return {
    app,
    xApi,
    graph,
    messenger,
    postX,
    postMeta,
    dmTexts,
    xDm,
    fresh,
    posts: () => socialPostsOf(app.db),
    replyJobs: () => app.db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION),
    tweets: () => xApi.callsTo('POST', '/2/tweets'),
    close: async () => {
      await messenger.stop();
      await app.close();
      await xApi.stop();
      await graph.stop();
    },
  };
}
