/**
 * Realistic public posts over real HTTP (the listening-tool door, the real app, a loopback fake of the X API):
 * what triage decides, what is answered, and that crisis mode on X holds replies instead of dropping them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { CRISIS_HELD_COLLECTION } from '../../services/listening/crisis';
import { socialPostsOf } from '../../services/social/types';
import { FakePlatformApi } from '../social/fakePlatformApi';
import { startTestApp } from '../support/testApp';

const SUPERVISOR = { kind: 'agent' as const, id: 'agt_sup', name: 'Sam' };

describe('public care over real HTTP', () => {
  let app: App;
  let xApi: FakePlatformApi;
  let seq = 0;

  beforeEach(async () => {
    xApi = await new FakePlatformApi().start();
    app = await startTestApp({
      X_BEARER_TOKEN: 'x-bearer',
      X_USER_ACCESS_TOKEN: 'x-user-token',
      X_BRAND_USER_ID: '2244994945',
      X_BRAND_HANDLE: 'AcmeSupport',
      X_API_BASE_URL: xApi.url,
      DM_LINK_SECRET: 'dm-link-secret-for-tests-0123456789',
      SOCIAL_MENTIONS_API_KEY: 'listening-tool-key',
      SOCIAL_REPLY_INTERVAL_MS: '0',
      CRISIS_PUBLIC_REPLIES_PER_HOUR: '20',
    });
  });

  afterEach(async () => {
    await app.close();
    await xApi.stop();
  });

  /** One X post through the listening-tool door; returns the intake's answer for it. */
  const mention = async (text: string, extra: Record<string, unknown> = {}) => {
    const id = `7${++seq}`;
    const response = await fetch(`${app.url}/api/social/mentions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'listening-tool-key' },
      body: JSON.stringify({ platform: 'x', postId: id, text, authorId: `a${id}`, authorName: 'Sam Lee', authorHandle: `sam${id}`, ...extra }),
    });
    expect(response.status).toBe(202);
    return (await response.json()).results[0] as { postKey: string; decision: string; reason: string; queued: number };
  };
  const tweets = () => xApi.callsTo('POST', '/2/tweets');

  it('answers sarcasm and a request to be called (without repeating the number), thanks a thank-you with no apology, and leaves a Spanish complaint to a person', async () => {
    expect(await mention('@AcmeSupport great job losing my parcel again 🙃')).toMatchObject({ decision: 'needs_care', queued: 1 });
    expect(await mention('@AcmeSupport please call me on 07700 900123 about order AB-2024117')).toMatchObject({ decision: 'needs_care', queued: 1 });
    expect(await mention('@AcmeSupport thank you so much for sorting my refund!')).toMatchObject({ decision: 'praise', queued: 0 });
    const spanish = await mention('¿dónde está mi pedido?', { language: 'es' });
    expect(spanish).toMatchObject({ decision: 'needs_care', queued: 0 });
    expect(spanish.reason).toMatch(/in Spanish: for a person/);

    await xApi.waitFor(() => tweets().length === 2);
    for (const call of tweets()) {
      expect(call.body.text).not.toMatch(/07700|900123|AB-2024117/);
      expect(call.body.text).not.toMatch(/dónde|pedido/);
    }
    const archived = await socialPostsOf(app.db).findOne({ _id: spanish.postKey });
    expect(archived).toMatchObject({ language: 'es', triage: { decision: 'needs_care' } });
    expect(archived!.linkId).toBeUndefined();
    // The person it is left to sees it: a ticket holding the post, waiting in the agents' queue.
    const [ticket] = await app.tickets.listForCustomer({ channelId: 'x', userId: archived!.author.id });
    expect(ticket).toMatchObject({ source: 'public_post', description: '¿dónde está mi pedido?', publicPost: { postId: archived!.postId } });
    expect(await app.agents.queue.get(ticket!.ref)).toMatchObject({ state: 'waiting', customerWaiting: false, reason: spanish.reason });
    // A redelivery opens nothing more.
    await fetch(`${app.url}/api/social/mentions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'listening-tool-key' },
      body: JSON.stringify({ platform: 'x', postId: archived!.postId, text: '¿dónde está mi pedido?', authorId: archived!.author.id, language: 'es' }),
    });
    expect(await app.tickets.listForCustomer({ channelId: 'x', userId: archived!.author.id })).toHaveLength(1);
  });

  it('in crisis mode on X, replies over the hourly cap are held, not dropped, and all go out when the crisis ends', async () => {
    await app.insight.crisis.activate('all complaints', SUPERVISOR, 'carrier outage');
    const outcomes = [];
    for (let i = 0; i < 25; i++) outcomes.push(await mention(`@AcmeSupport my parcel never arrived, tracking stuck (${i})`));
    expect(outcomes.filter((outcome) => outcome.queued === 1)).toHaveLength(20);
    await xApi.waitFor(() => tweets().length === 20);
    const held = app.db.collection(CRISIS_HELD_COLLECTION);
    expect(await held.countDocuments({})).toBe(5);

    await app.insight.crisis.deactivate('all complaints', SUPERVISOR, 'carrier back');
    await xApi.waitFor(() => tweets().length === 25);
    const answered = new Set(tweets().map((call) => call.body.reply.in_reply_to_tweet_id as string));
    expect(answered.size).toBe(25);
    expect(await held.countDocuments({})).toBe(0);
    for (const call of tweets().slice(20)) expect(call.body.text).toMatch(/https:\/\/x\.com\/messages\/compose/);
  });
});
