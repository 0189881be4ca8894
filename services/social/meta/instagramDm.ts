/**
 * Sends the bot's Instagram DMs through the Graph API: texts over Instagram's 1000-character limit go as
 * several messages split at paragraph or sentence ends; choices become quick replies on the last one.
 */
import { splitForLimit, withoutBold } from '../messageParts';
import { isOutcomeUnknown, PlatformError } from '../platformHttp';
import type { DmSender, OutgoingDm } from '../types';
import type { GraphClient, InstagramMessage } from './graphClient';

const INSTAGRAM_TEXT_LIMIT = 1000;
const MAX_QUICK_REPLIES = 13;
const QUICK_REPLY_TITLE_LIMIT = 20;

export class InstagramDmSender implements DmSender {
  constructor(
    private readonly graph: Pick<GraphClient, 'instagramMessage'>,
    private readonly accountId: string,
  ) {}

  async send(recipientId: string, message: OutgoingDm): Promise<{ id: string }> {
    const messages = instagramMessagesOf(message);
    let lastId = '';
    for (const [index, part] of messages.entries()) {
      try {
        lastId = (await this.graph.instagramMessage(this.accountId, recipientId, part, message.tag)).id;
      } catch (error) {
        if (index === 0 || isOutcomeUnknown(error)) throw error;
        // The first parts arrived: sending the whole message again would repeat them, so nobody may retry it.
        const cause = error as Error;
        throw new PlatformError('PLATFORM_OUTCOME_UNKNOWN', `Instagram DM part ${index + 1} of ${messages.length} failed after earlier parts went out: ${cause.message}`, (error as PlatformError).status, undefined, undefined, { cause: error });
      }
    }
    return { id: lastId };
  }
}

/** One outgoing DM → the Graph messages that carry it (markdown emphasis dropped: Instagram shows it raw). */
export function instagramMessagesOf(message: OutgoingDm): InstagramMessage[] {
  const parts = splitForLimit(withoutBold(message.text), INSTAGRAM_TEXT_LIMIT);
  const texts = parts.length > 0 ? parts : message.choices.length > 0 ? ['Choose one:'] : [];
  const quickReplies = message.choices.slice(0, MAX_QUICK_REPLIES).map((choice) => ({
    content_type: 'text' as const,
    title: shorten(choice.title, QUICK_REPLY_TITLE_LIMIT),
    // The payload comes back on the customer's tap: the whole choice, whatever the title shows.
    payload: choice.value.slice(0, 1000),
  }));
  return texts.map((text, index) => ({ text, ...(index === texts.length - 1 && quickReplies.length > 0 && { quick_replies: quickReplies }) }));
}

function shorten(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('').trimEnd()}…`;
}
