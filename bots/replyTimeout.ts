/**
 * Bounds every message the bot sends to the channel. The SDK sets no timeout on its calls to the Bot
 * Connector (and its own request options cannot be given one), so a hung connection would hold the turn,
 * and the customer's next message behind it, for as long as the socket lives. A send that runs out of time
 * may still arrive, so it is never repeated: it fails with OutcomeUnknownError, which every caller reads
 * as "do not send this again".
 */
import type { Middleware, TurnContext } from 'botbuilder';
import { OutcomeUnknownError } from '../services/followUps/outcomeUnknown';

export class ChannelReplyTimeout implements Middleware {
  constructor(private readonly timeoutMs: number) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    context.onSendActivities((_context, _activities, sendNext) => this.within(sendNext()));
    await next();
  }

  private within<T>(sending: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new OutcomeUnknownError(`the channel did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    // The send goes on in the background after a timeout; its own failure then has nobody left to tell.
    sending.catch(() => undefined);
    return Promise.race([sending, late]).finally(() => clearTimeout(timer));
  }
}
