/**
 * Registered first: when a person (console agent or external hub) has the conversation, the bot stays
 * silent and the customer's words (and typing) go live to the console; while the customer waits in the
 * queue, they are told their place in line. `handoff.status` events from an agent hub land here too.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { ConversationData } from '../dialogs/dialogServices';
import type { Clock } from '../services/clock';
import type { LiveEvents } from '../services/handoff/liveEvents';
import { HANDOFF_STATUS_EVENT, type ExternalHandoff } from '../services/handoff/protocol';
import type { HandoffQueue } from '../services/handoff/queue';
import type { QueueHandoff } from '../services/handoff/queueHandoff';
import type { Logger } from '../services/log';
import { actorOfCustomer } from '../services/tickets/transcript';
import type { TurnInterceptor } from './supportBot';

/** "cancel" while waiting for a person: stop waiting, let the bot help again. */
const LEAVE_QUEUE = /^(cancel|never\s?mind|stop waiting|forget it)[.!]*$/i;

export interface AgentRelayDeps {
  queue: HandoffQueue;
  handoff: QueueHandoff;
  events: LiveEvents;
  logger: Logger;
  clock: Clock;
  external?: ExternalHandoff;
}

export class AgentRelayInterceptor implements TurnInterceptor {
  readonly name = 'agentRelay';

  constructor(private readonly deps: AgentRelayDeps) {}

  async handle(context: TurnContext, _data: ConversationData): Promise<boolean> {
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
    const record = await this.deps.queue.forConversation(activity.channelId, activity.conversation.id);
    // Queued by the system (priority, SLA) while the customer never asked: the bot keeps serving them.
    if (!record || (record.state === 'waiting' && record.customerWaiting === false)) return false;
    if (record.state === 'external') return true;
    this.deps.events.publish({
      type: 'customer.message',
      ref: record.ticketRef,
      text: activity.text ?? (activity.attachments?.length ? '[attachment]' : ''),
      at: this.deps.clock.now().toISOString(),
      ...(activity.from.name && { name: activity.from.name }),
    });
    if (record.state === 'waiting') {
      const leaving = LEAVE_QUEUE.test(activity.text?.trim() ?? '');
      const reply = leaving
        ? await this.deps.handoff.leave(record.ticketRef, actorOfCustomer(activity.from.id, activity.from.name))
        : await this.deps.handoff.whileWaiting(record.ticketRef);
      if (reply) await context.sendActivity(reply);
    }
    return true;
  }
}

/**
 * Adapter middleware for what never reaches the interceptors: the customer's typing indicator, and a
 * photo sent without text while an agent holds the conversation (the bot must not answer it).
 */
export class AgentRelayMiddleware implements Middleware {
  constructor(private readonly deps: Pick<AgentRelayDeps, 'queue' | 'events' | 'clock'>) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    const typing = activity.type === 'typing';
    const attachmentOnly = activity.type === 'message' && !activity.text?.trim() && Boolean(activity.attachments?.length);
    if (!typing && !attachmentOnly) return next();
    const record = await this.deps.queue.forConversation(activity.channelId, activity.conversation.id);
    if (record?.state !== 'held') return next();
    this.deps.events.publish(
      typing
        ? { type: 'customer.typing', ref: record.ticketRef }
        : { type: 'customer.message', ref: record.ticketRef, text: '[attachment]', at: this.deps.clock.now().toISOString() },
    );
  }
}
