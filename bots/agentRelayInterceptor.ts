/**
 * Registered first: when a person (console agent or external hub) has the conversation, the bot stays
 * silent and the customer's words (and typing) go live to the console; while the customer waits in the
 * queue, what they write goes onto the ticket and they are told the team will see it (and, at most once a
 * minute, their place in line). `handoff.status` events from an agent hub land here too.
 */
import type { Attachment, Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { ConversationData } from '../dialogs/dialogServices';
import type { Clock } from '../services/clock';
import { MINUTE } from '../services/clock';
import { isCourtesy, wantsToLeaveQueue } from '../services/handoff/customerWords';
import type { LiveEvents } from '../services/handoff/liveEvents';
import { handoffSay } from '../services/handoff/messages';
import { HANDOFF_STATUS_EVENT, type ExternalHandoff } from '../services/handoff/protocol';
import type { HandoffQueue, HandoffRecord } from '../services/handoff/queue';
import type { QueueHandoff } from '../services/handoff/queueHandoff';
import type { HandoffOnTicketEnd } from '../services/handoff/ticketEnding';
import type { NotedDetail, WaitingNotes } from '../services/handoff/waitingNotes';
import type { Logger } from '../services/log';
import { actorOfCustomer } from '../services/tickets/transcript';
import { saysProblemWentAway } from '../services/recognition/withdrawal';
import type { TurnInterceptor } from './supportBot';

/** How long after a hand-back "thanks!" or "bye" gets a short answer instead of the menu. */
const COURTESY_WINDOW_MS = 30 * MINUTE;

export interface AgentRelayDeps {
  queue: HandoffQueue;
  handoff: QueueHandoff;
  events: LiveEvents;
  logger: Logger;
  clock: Clock;
  external?: ExternalHandoff;
  /** Ends the wait of a ticket resolved or closed meanwhile. */
  ending: HandoffOnTicketEnd;
  /** Puts what the waiting customer writes onto their ticket. */
  notes: WaitingNotes;
  /** Mid-dialog, "ok" answers the dialog rather than thanking the agent. */
  dialogState?: StatePropertyAccessor<DialogState>;
}

/** What the console shows for a message without text: "[attachment: label.jpg (image/jpeg)]". */
export function describeAttachments(attachments: Attachment[] | undefined): string {
  const described = (attachments ?? []).map((attachment) =>
    [attachment.name?.slice(0, 120), attachment.contentType && `(${attachment.contentType.slice(0, 80)})`].filter(Boolean).join(' '),
  );
  const details = described.filter(Boolean).join(', ');
  return details ? `[attachment: ${details}]` : '[attachment]';
}

export class AgentRelayInterceptor implements TurnInterceptor {
  readonly name = 'agentRelay';

  constructor(private readonly deps: AgentRelayDeps) {}

  async handle(context: TurnContext, data: ConversationData): Promise<boolean> {
    const { activity } = context;
    if (activity.type === 'event' && activity.name === HANDOFF_STATUS_EVENT) {
      const value = (activity.value ?? {}) as { state?: unknown; message?: unknown };
      try {
        await this.deps.external?.onStatus(activity.channelId, activity.conversation.id, value.state, value.message);
      } catch (error) {
        // The protocol has no way to reject a status: log it and still answer 200.
        this.deps.logger.error({ err: error }, 'handoff.status could not be applied');
      }
      return true;
    }
    if (activity.type !== 'message') return false;
    const record = await this.deps.queue.forCustomerTurn(activity.channelId, activity.conversation.id);
    if (!record || record.state === 'ended') {
      if (record) await this.resumeAfterPerson(context, data, record);
      return this.courtesyAfterHandBack(context);
    }
    // Queued by the system (priority, SLA) while the customer never asked: the bot keeps serving them.
    if (record.state === 'waiting' && record.customerWaiting === false) return false;
    if (record.state === 'external') return true;
    // Resolved or closed meanwhile: nobody is coming, so the normal flow (rating, status) answers.
    if (record.state === 'waiting' && (await this.deps.ending.settleWait(record))) return false;
    const text = activity.text?.trim() ?? '';
    // Nobody has the chat yet: "you can close my ticket, it arrived" goes to the dialogs' confirm (and its yes/no with it).
    if (record.state === 'waiting' && (await this.withdrawingWhileWaiting(context, text))) return false;
    this.deps.events.publish({
      type: 'customer.message',
      ref: record.ticketRef,
      text: text || describeAttachments(activity.attachments),
      at: this.deps.clock.now().toISOString(),
      ...(activity.from.name && { name: activity.from.name }),
    });
    if (record.state === 'waiting') await context.sendActivity(await this.whileWaiting(record, text, activity.from.id, activity.from.name));
    return true;
  }

  private async withdrawingWhileWaiting(context: TurnContext, text: string): Promise<boolean> {
    if ((await this.deps.dialogState?.get(context))?.dialogStack?.length) return true;
    // "never mind, I found it" keeps its meaning here: leave the queue, the ticket stays open.
    return !wantsToLeaveQueue(text) && saysProblemWentAway(text);
  }

  /** Leaving the queue, or the message goes onto the ticket and the customer always hears the team will see it. */
  private async whileWaiting(record: HandoffRecord, text: string, userId: string, userName?: string): Promise<string> {
    const customer = actorOfCustomer(userId, userName);
    if (wantsToLeaveQueue(text)) {
      const left = await this.deps.handoff.leave(record.ticketRef, customer);
      if (left) return left;
    }
    let noted: NotedDetail[] = [];
    try {
      noted = await this.deps.notes.record(record.ticketRef, text, customer);
    } catch (error) {
      // The customer's words are still in the transcript and on the console; only the ticket copy is missing.
      this.deps.logger.error({ err: error, ref: record.ticketRef }, 'could not add the waiting customer\'s message to the ticket');
    }
    const details = noted.filter((detail) => detail !== 'description');
    if (details.length) return handoffSay.addedWhileWaiting(record.ticketRef, details);
    return (await this.deps.handoff.whileWaiting(record.ticketRef)) ?? handoffSay.addedWhileWaiting(record.ticketRef, []);
  }

  /**
   * The first message after a person handed back: a question the bot asked before they took over (maybe an hour
   * ago) is stale, so it is dropped with its half-gathered report; the customer answers the hand-back instead.
   */
  private async resumeAfterPerson(context: TurnContext, data: ConversationData, record: HandoffRecord): Promise<void> {
    if (!(await this.deps.queue.takeBotResume(record._id))) return;
    if (!(await this.deps.dialogState?.get(context))?.dialogStack?.length) return;
    await this.deps.dialogState!.set(context, { dialogStack: [] });
    delete data.draft;
  }

  /** "thanks Asha!", "ok", "bye" soon after a person handed back: a short answer, not the menu. */
  private async courtesyAfterHandBack(context: TurnContext): Promise<boolean> {
    const { activity } = context;
    if (!isCourtesy(activity.text)) return false;
    if ((await this.deps.dialogState?.get(context))?.dialogStack?.length) return false;
    const since = new Date(this.deps.clock.now().getTime() - COURTESY_WINDOW_MS);
    const handedBack = await this.deps.queue.handedBackSince(activity.channelId, activity.conversation.id, since);
    if (!handedBack) return false;
    await context.sendActivity(handoffSay.courtesyAfterHandBack(handedBack.ticketRef));
    return true;
  }
}

/**
 * Adapter middleware for what never reaches the interceptors: the customer's typing indicator, and a
 * photo sent without text. While a person (agent or hub) has the conversation the bot must not answer
 * it; while the customer waits, the console sees it live and the bot thanks them as usual.
 */
export class AgentRelayMiddleware implements Middleware {
  constructor(private readonly deps: Pick<AgentRelayDeps, 'queue' | 'events' | 'clock'>) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    const typing = activity.type === 'typing';
    const attachmentOnly = activity.type === 'message' && !activity.text?.trim() && Boolean(activity.attachments?.length);
    if (!typing && !attachmentOnly) return next();
    const record = await this.deps.queue.forConversation(activity.channelId, activity.conversation.id);
    // The hub owns the conversation: it sees the customer's activities itself.
    if (record?.state === 'external') return;
    const attachment = { type: 'customer.message' as const, ref: record?.ticketRef ?? '', text: describeAttachments(activity.attachments), at: this.deps.clock.now().toISOString() };
    if (record?.state === 'held') {
      this.deps.events.publish(typing ? { type: 'customer.typing', ref: record.ticketRef } : attachment);
      return;
    }
    if (record?.state === 'waiting' && record.customerWaiting !== false && attachmentOnly) this.deps.events.publish(attachment);
    return next();
  }
}
