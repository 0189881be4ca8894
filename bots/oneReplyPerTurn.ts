/**
 * For channels where every message is a letter (e-mail): everything the bot says in one turn leaves as one
 * message at the end of the turn, paragraphs joined, so one mail in gets at most one mail out. Suggested
 * replies become a "Reply with: …" line, typing indicators are dropped. Placed before RecordConversation,
 * so the transcript holds the one message that was sent; the reply timeout still bounds the real send.
 */
import type { Activity, Middleware, ResourceResponse, TurnContext } from 'botbuilder';

/** How one channel's single message is finished (e-mail: an HTML body beside the text, the subject with the ticket's reference). */
export type ShapeReply = (activity: Partial<Activity>, context: TurnContext) => Partial<Activity> | Promise<Partial<Activity>>;

export class OneReplyPerTurn implements Middleware {
  /** `channels`: channel id → how its message is finished before it goes out. */
  constructor(private readonly channels: ReadonlyMap<string, ShapeReply>) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const shape = this.channels.get(context.activity.channelId);
    if (!shape) return next();
    // Outside a customer's message (proactive sends: follow-ups, agent replies) each send is already one message.
    const holding = context.activity.type === 'message' ? ([] as Partial<Activity>[]) : undefined;
    let open = holding !== undefined;
    context.onSendActivities(async (ctx, activities, sendNext) => {
      const answered = activities.map((): ResourceResponse => ({ id: '' }));
      const kept = activities.filter((activity) => activity.type !== 'typing' && activity.type !== 'delay');
      if (!open) {
        if (kept.length === 0) return answered;
        const shaped = await Promise.all(kept.map((activity) => (activity.type === 'message' ? shape(asLetter([activity]), ctx) : activity)));
        activities.splice(0, activities.length, ...shaped);
        return sendNext();
      }
      const messages = kept.filter((activity) => activity.type === 'message');
      holding!.push(...messages);
      // The dialogs read "responded" (a message was said this turn); a held message counts.
      if (messages.length > 0) ctx.responded = true;
      // Anything that is not a message (a handoff event) is not mail: it goes now, as it would on any channel.
      const others = kept.filter((activity) => activity.type !== 'message');
      if (others.length > 0) {
        activities.splice(0, activities.length, ...others);
        await sendNext();
      }
      return answered;
    });
    try {
      await next();
    } finally {
      // After the turn (and after a failed one, whose apology is then the one message) sends go straight out.
      open = false;
    }
    if (holding && holding.length > 0) await context.sendActivity(asLetter(holding));
  }
}

/** One message from several: texts as paragraphs (with their suggested replies written out), attachments together. */
export function asLetter(messages: Partial<Activity>[]): Partial<Activity> {
  const [first] = messages;
  const paragraphs = messages.map(textWithChoices).filter((text) => text !== '');
  const attachments = messages.flatMap((message) => message.attachments ?? []);
  const channelData = Object.assign({}, ...messages.map((message) => (message.channelData as object | undefined) ?? {})) as Record<string, unknown>;
  const { suggestedActions: _written, speak: _speak, inputHint: _hint, ...base } = first;
  return {
    ...base,
    type: 'message',
    text: paragraphs.join('\n\n'),
    ...(attachments.length > 0 && { attachments }),
    ...(Object.keys(channelData).length > 0 && { channelData }),
  };
}

function textWithChoices(message: Partial<Activity>): string {
  const text = (message.text ?? '').trim();
  const choices = (message.suggestedActions?.actions ?? []).map((action) => String(action.title ?? action.value ?? '').trim()).filter(Boolean);
  if (choices.length === 0) return text;
  const line = `Reply with: ${choices.map((choice) => `"${choice}"`).join(' or ')}`;
  return text ? `${text}\n\n${line}` : line;
}
