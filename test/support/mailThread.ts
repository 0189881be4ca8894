/**
 * A customer's mail thread through Azure Bot Service's Email channel, as test/fixtures/azure/email-channel-message.json
 * shapes it: each mail is the fixture's activity with its own id, text and subject, posted over real HTTP.
 */
import { randomUUID } from 'node:crypto';
import { type BotActivity, FakeChannel } from './fakeChannel';
import { fixture } from './fixtures';

export const MAIL_SENDER = 'priya.raman@example.com';
export const REF = /\b(CS-[A-Z0-9]{6})\b/;

export class MailThread {
  readonly conversationId = `AAQkADk0ZjQ1NzE0${randomUUID().replace(/-/g, '')}=`;

  constructor(
    readonly channel: FakeChannel,
    readonly from = MAIL_SENDER,
  ) {}

  mail(text: string, fields: { subject?: string; id?: string; attachments?: unknown[]; htmlBody?: string } = {}): Record<string, unknown> {
    const base = fixture('azure/email-channel-message.json');
    return {
      ...base,
      id: fields.id ?? `AAMkAD${randomUUID().replace(/-/g, '')}=`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.channel.url,
      from: { id: this.from, name: 'Priya Raman' },
      conversation: { isGroup: false, id: this.conversationId },
      text,
      attachments: fields.attachments ?? [],
      channelData: { ...base.channelData, subject: fields.subject ?? base.channelData.subject, htmlBody: fields.htmlBody ?? '' },
    };
  }

  /** Sends a mail and returns the reply mails the bot sent in answer (posted before the HTTP answer). */
  async send(activity: Record<string, unknown>): Promise<BotActivity[]> {
    const before = this.replies().length;
    const { status, body } = await this.channel.post(activity);
    if (status >= 300) throw new Error(`bot answered ${status}: ${body}`);
    return this.replies().slice(before);
  }

  replies(): BotActivity[] {
    return this.channel.messagesFor(this.conversationId);
  }
}

/** A reply to our last mail, as Gmail writes it: the new words, then our mail quoted. */
export function replyQuoting(words: string, ours: string): string {
  return `${words}\r\n\r\nOn Mon, 2 Mar 2026 at 10:00, Acme Support <support@acme.example> wrote:\r\n${ours.split('\n').map((line) => `> ${line}`).join('\r\n')}\r\n`;
}

export function refOf(reply: BotActivity | undefined): string {
  const match = REF.exec(reply?.text ?? '');
  if (!match) throw new Error(`no ticket reference in: ${reply?.text}`);
  return match[1];
}

export function subjectOf(reply: BotActivity | undefined): string | undefined {
  return (reply?.channelData as { subject?: string } | undefined)?.subject;
}
