import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import type { FakeChannel } from '../support/fakeChannel';
import { startTestAppWithChannel } from '../support/testApp';
import { refIn } from '../dialogs/dialogHarness';

/** What a ticket's own record (console, export, disputes) holds of the conversation, over real HTTP. */
describe("a ticket's transcript", () => {
  let app: App;
  let channel: FakeChannel;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ app, channel, close } = await startTestAppWithChannel());
  });

  afterEach(async () => {
    await close();
  });

  const textsOf = async (ref: string) => (await app.transcripts.forTicket(ref)).map((line) => line.text);

  it('holds what was said after the ticket opened, and a second ticket takes only its own lines', async () => {
    const priya = channel.user();
    await priya.says('My order AB-2024117 arrived broken');
    await priya.says('here only');
    const first = refIn((await priya.says('yes')).join('\n'))!;
    await priya.says('status');

    await priya.says('Another problem: order CD-7654321 never arrived at all');
    const summary = await priya.says('here only');
    expect(summary.join('\n')).toContain('CD-7654321');
    const second = refIn((await priya.says('yes')).join('\n'))!;
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
