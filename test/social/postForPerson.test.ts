/** A public post only a person can answer becomes a ticket: its description is what the post says, not whom it addresses. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { socialPostsOf } from '../../services/social/types';
import { startTestApp } from '../support/testApp';
import { FakePlatformApi } from './fakePlatformApi';

describe('a ticket opened for a person from a public post', () => {
  let app: App;
  let xApi: FakePlatformApi;

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
    });
  });

  afterEach(async () => {
    await app.close();
    await xApi.stop();
  });

  it('when a post in another language starts with @mentions, the ticket describes it without them and keeps the post verbatim', async () => {
    const text = '@AcmeSupport @AcmeHelp waar is mijn pakket? Al twee weken niets';
    const response = await fetch(`${app.url}/api/social/mentions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'listening-tool-key' },
      body: JSON.stringify({ platform: 'x', postId: '7001', text, authorId: 'a7001', authorName: 'Noor de Vries', authorHandle: 'noor', language: 'nl' }),
    });
    expect(response.status).toBe(202);
    const [result] = (await response.json()).results as Array<{ postKey: string; decision: string }>;
    expect(result.decision).toBe('needs_care');

    const archived = await socialPostsOf(app.db).findOne({ _id: result.postKey });
    const [ticket] = await app.tickets.listForCustomer({ channelId: 'x', userId: archived!.author.id });
    expect(ticket).toMatchObject({ source: 'public_post', description: 'waar is mijn pakket? Al twee weken niets', publicPost: { text } });
    expect(await app.agents.queue.get(ticket!.ref)).toMatchObject({ state: 'waiting', customerWaiting: false });
  });
});
