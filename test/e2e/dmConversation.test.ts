import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp, tempDataDir } from '../support/testApp';

describe('a customer DMs the bot over real HTTP', () => {
  let app: App;
  let channel: FakeChannel;
  let dataDir: string;

  beforeEach(async () => {
    dataDir = tempDataDir();
    app = await startTestApp({ DATA_DIR: dataDir });
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
  });

  afterEach(async () => {
    await channel.stop();
    await app.close();
  });

  it('collects the order number, contact and description, and opens a ticket the customer can quote', async () => {
    const priya = channel.user();
    const first = await priya.says("Hi, SMS says my parcel was delivered and collected by me personally. It wasn't. Order AB-2024117");
    expect(first.join('\n')).toMatch(/automated assistant/);
    expect(first.join('\n')).toMatch(/reach you/);
    await priya.says('priya.r@example.com or +91 98765 43210');
    const consent = await priya.says('email');
    expect(consent.join('\n')).toMatch(/okay for us to contact you/i);
    const summary = await priya.says('yes');
    expect(summary.join('\n')).toMatch(/AB-2024117/);
    const done = await priya.says('yes');
    const ref = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(done.join('\n'))?.[1];
    expect(ref).toBeDefined();

    const ticket = await app.tickets.get(ref!);
    expect(ticket).toMatchObject({
      status: 'open',
      orderNumber: 'AB-2024117',
      contact: { email: 'priya.r@example.com', phone: '+919876543210', preferred: 'email', consent: true },
      customer: { userId: priya.userId },
    });
    expect(ticket!.description).toContain('collected by me personally');
    expect(ticket!.conversation?.serviceUrl).toBe(channel.url);
  });

  it('carries on where it was after the server restarts mid-dialog', async () => {
    const priya = channel.user();
    await priya.says('My order AB-2024117 arrived smashed to pieces');
    await app.close();
    app = await startTestApp({ DATA_DIR: dataDir });
    channel.botUrl = `${app.url}/api/messages`;
    const reply = await priya.says('priya.r@example.com');
    expect(reply.join('\n')).toMatch(/okay for us to contact you/i);
  });
});
