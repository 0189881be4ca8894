/** What a load balancer and Azure Bot Service see: liveness, readiness, and authentication outside local mode. */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Database } from '../../services/store/types';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp, tempDataDir } from '../support/testApp';

let app: App | undefined;
let channel: FakeChannel | undefined;
afterEach(async () => {
  await channel?.stop();
  await app?.close();
  app = undefined;
  channel = undefined;
});

describe('probes', () => {
  it('/healthz answers while the process runs and /readyz while the store answers', async () => {
    app = await startTestApp();
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('/readyz answers 503 when the store stops answering, so traffic moves elsewhere', async () => {
    const real = await openNedbDatabase(tempDataDir());
    let storeUp = true;
    const db: Database = { ...real, engine: real.engine, collection: (name) => real.collection(name), archive: (name, options) => real.archive(name, options), close: () => real.close(), ping: async () => (storeUp ? real.ping() : Promise.reject(new Error('no primary'))) };
    app = await startTestApp({}, { database: db });
    storeUp = false;
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    await real.close();
  });
});

describe('with an Azure Bot app id configured', () => {
  it('refuses an activity without a Bot Framework token (401) and does not answer it', async () => {
    app = await startTestApp({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant', PUBLIC_BASE_URL: 'https://bot.example.com' });
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
    const { status } = await channel.post(channel.user().activity({ text: 'hi' }));
    expect(status).toBe(401);
    expect(channel.received).toHaveLength(0);
  });
  // A forged token is not tested here: validating one makes the SDK fetch Microsoft's signing keys, and tests reach no network.
});
