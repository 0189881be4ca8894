import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Database } from '../../services/store/types';
import { AgentClient, openFeed, PASSWORD, signedIn } from '../agents/agentClient';
import type { FakeChannel } from '../support/fakeChannel';
import { startTestApp, startTestAppWithChannel, tempDataDir } from '../support/testApp';

/**
 * Two bot instances behind one load balancer, sharing one database (as with MongoDB): the agent's console is
 * connected to one of them, the customer's messages land on the other.
 */
describe('the agent console across instances', () => {
  let db: Database;
  let first: App;
  let second: App;
  let channel: FakeChannel;
  let closeFirst: () => Promise<void>;

  beforeEach(async () => {
    db = await openNedbDatabase(tempDataDir());
    const env = { LIVE_RELAY: 'on', LIVE_RELAY_POLL_MS: '20' };
    ({ app: first, channel, close: closeFirst } = await startTestAppWithChannel(env, { database: db }));
    second = await startTestApp(env, { database: db });
  });

  afterEach(async () => {
    await closeFirst();
    await second.close();
    await db.close();
  });

  it('shows the agent a customer message that reached the other instance, once', async () => {
    const priya = channel.user();
    const reply = (await priya.says('agent')).join('\n');
    const ref = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(reply)![1];
    const asha = await signedIn(first, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    const feed = await openFeed(asha);

    channel.botUrl = `${second.url}/api/messages`;
    await priya.says('the parcel had a torn label 📦');
    await expect.poll(() => feed.text()).toContain('the parcel had a torn label');
    // The customer's next word, through the first instance again: it arrives too, and nothing twice.
    channel.botUrl = `${first.url}/api/messages`;
    await priya.says('are you there?');
    await expect.poll(() => feed.text()).toContain('are you there?');
    expect(feed.text().split('the parcel had a torn label').length - 1).toBe(1);
    await feed.cancel();
  });

  it('moves the queue on every console when a customer asks for a person on another instance', async () => {
    const sam = await signedIn(first, 'supervisor', 'Sam Lee');
    const feed = await openFeed(sam);
    channel.botUrl = `${second.url}/api/messages`;
    await channel.user().says('I need a human');
    await expect.poll(() => feed.text()).toContain('event: queue.changed');
    await feed.cancel();
  });

  it('counts failed sign-ins on every instance together: five guesses spread over two lock the address on both', async () => {
    await first.agents.accounts.create({ email: 'ben@example.com', name: 'Ben Okafor', role: 'agent', password: PASSWORD });
    const [viaFirst, viaSecond] = [new AgentClient(first.url), new AgentClient(second.url)];
    for (let i = 0; i < 5; i++) expect((await (i % 2 ? viaSecond : viaFirst).login('ben@example.com', 'wrong password!')).status).toBe(401);
    expect((await viaFirst.login('ben@example.com')).status).toBe(429);
    expect((await viaSecond.login('Ben@Example.com ')).status).toBe(429);
    // The store keeps a digest, not the address someone typed.
    expect(JSON.stringify(await db.collection('agentLoginFailures').find({}))).not.toContain('ben@');
  });
});
