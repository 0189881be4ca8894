import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp, tempDataDir } from '../support/testApp';

/** What a ticket's own record (console, export, disputes) holds of the conversation, over real HTTP. */
describe("a ticket's transcript", () => {
  let app: App;
  let channel: FakeChannel;

  beforeEach(async () => {
    app = await startTestApp({ DATA_DIR: tempDataDir() });
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
  });

  afterEach(async () => {
    await channel.stop();
    await app.close();
  });

  const refIn = (replies: string[]) => /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(replies.join('\n'))![1];
  const textsOf = async (ref: string) => (await app.transcripts.forTicket(ref)).map((line) => line.text);

  it('holds what was said after the ticket opened, and a second ticket takes only its own lines', async () => {
    const priya = channel.user();
    await priya.says('My order AB-2024117 arrived broken');
    await priya.says('here only');
    const first = refIn(await priya.says('yes'));
    await priya.says('status');

    await priya.says('Another problem: order CD-7654321 never arrived at all');
    const summary = await priya.says('here only');
    expect(summary.join('\n')).toContain('CD-7654321');
    const second = refIn(await priya.says('yes'));
    expect(second).not.toBe(first);

    const firstLines = await textsOf(first);
    expect(firstLines).toContain('My order AB-2024117 arrived broken');
    expect(firstLines.some((text) => text.startsWith('Done. Your ticket is'))).toBe(true);
    expect(firstLines).toContain('status');
    expect(firstLines.some((text) => text.includes('CD-7654321'))).toBe(false);

    const secondLines = await textsOf(second);
    expect(secondLines).toContain('Another problem: order CD-7654321 never arrived at all');
    expect(secondLines.some((text) => text.startsWith(`Done. Your ticket is **${second}**`))).toBe(true);
    expect(secondLines).not.toContain('status');
  });

  it('keeps the name, type and link of each file the customer sends, but no inline data', async () => {
    const sam = channel.user();
    await channel.post(
      sam.activity({
        text: 'photo of the label',
        attachments: [
          { contentType: 'image/jpeg', name: 'label.jpg', contentUrl: 'https://files.example/label.jpg' },
          { contentType: 'image/png', name: 'inline.png', contentUrl: `data:image/png;base64,${'A'.repeat(5000)}` },
        ],
      }),
    );
    const line = (await app.transcripts.forConversation(sam.conversationId)).find((entry) => entry.text === 'photo of the label');
    expect(line?.files).toEqual([
      { contentType: 'image/jpeg', name: 'label.jpg', url: 'https://files.example/label.jpg' },
      { contentType: 'image/png', name: 'inline.png' },
    ]);
  });
});
