/**
 * The customer's answers to follow-ups, before the dialogs see the turn:
 * - "stop" (or "unsubscribe", "no more updates") opts out of follow-ups for the active ticket, but only when
 *   no dialog is mid-flow: inside a dialog, "stop" stays the dialogs' cancel (dialogs/intents.ts). Without
 *   an active ticket, the turn goes to the dialogs as before.
 * - "resume updates" opts back in.
 * - After resolution, "1".."5" with an optional comment answers the satisfaction question.
 * - Any other reply within CSAT_REOPEN_DAYS of resolution reopens the ticket instead of starting a new one;
 *   "help", "status", "start over" and the menu choices still go to the dialogs, so a new problem can be reported.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { ConversationData } from '../dialogs/dialogServices';
import { detectInterruption, detectMenuChoice, isGreetingOnly } from '../dialogs/intents';
import { customerActor } from '../dialogs/ticketActions';
import { customerOf } from '../dialogs/turnFacts';
import { DAY, type Clock } from '../services/clock';
import type { CustomerAnswers } from '../services/followUps/customerAnswers';
import { replyWords } from '../services/followUps/messages';
import type { FollowUpTicket } from '../services/followUps/types';
import { isActive } from '../services/tickets/lifecycle';
import type { TicketService } from '../services/tickets/ticketService';
import type { TurnInterceptor } from './supportBot';

export interface FollowUpInterceptorDeps {
  tickets: TicketService;
  answers: CustomerAnswers;
  dialogState: StatePropertyAccessor<DialogState>;
  clock: Clock;
  ticketPrefix: string;
  reopenDays: number;
}

const STOP = /^(stop|stop (it|this|that|messaging me|messages|updates|the updates|sending (me )?(messages|updates))|unsubscribe|no more (messages|updates)|opt out|leave me alone)( please)?$/;
const RESUME = /^(resume|resume updates|start updates|updates on|send (me )?updates( again)?)( please)?$/;
const THANKS = /^(thanks?|thank you|thx|ty|cheers|great|perfect|ok|okay|cool|bye|goodbye|all good|nice)( (so much|very much|a lot|again))?( (thanks|thank you))?$/;

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** "4", "5 - quick and kind", "3/5 ok", "⭐⭐⭐⭐": the score and the optional comment. */
export function parseRating(text: string): { score: number; comment?: string } | undefined {
  const stars = /^\s*((?:⭐|★){1,5})\s*(.*)$/su.exec(text);
  if (stars) return withComment([...stars[1]].length, stars[2]);
  const match = /^\s*([1-5])(?:\s*(?:\/\s*5|out of 5|stars?))?(?![\d.,]\d)(?:\s*[-–:,.!)]\s*|\s+|$)(.*)$/s.exec(text);
  return match ? withComment(Number(match[1]), match[2]) : undefined;
}

function withComment(score: number, rest: string): { score: number; comment?: string } {
  const comment = rest.trim().slice(0, 2000);
  return comment ? { score, comment } : { score };
}

export class FollowUpInterceptor implements TurnInterceptor {
  readonly name = 'followUps';

  constructor(private readonly deps: FollowUpInterceptorDeps) {}

  async handle(context: TurnContext, data: ConversationData): Promise<boolean> {
    const { activity } = context;
    if (activity.type !== 'message') return false;
    if (activity.localTimezone) await this.deps.answers.rememberTimeZone(activity.channelId, activity.from.id, activity.localTimezone);
    const text = activity.text?.trim();
    if (!text) return false;
    // Mid-dialog, every word belongs to the dialog ("stop" cancels it there).
    if ((await this.deps.dialogState.get(context))?.dialogStack?.length) return false;
    const ticket = await this.ticketOf(context, data);
    if (!ticket) return false;
    const words = normalise(text);
    if (isActive(ticket.status)) return this.duringTicket(context, ticket, words);
    return this.afterResolution(context, data, ticket, text, words);
  }

  private async duringTicket(context: TurnContext, ticket: FollowUpTicket, words: string): Promise<boolean> {
    if (STOP.test(words)) {
      await this.deps.answers.optOut(ticket.ref, customerActor(context));
      await context.sendActivity(replyWords.optedOut(ticket.ref));
      return true;
    }
    if (RESUME.test(words) && ticket.followUp?.optedOut) {
      await this.deps.answers.optIn(ticket.ref, customerActor(context));
      await context.sendActivity(replyWords.optedIn(ticket.ref));
      return true;
    }
    return false;
  }

  private async afterResolution(context: TurnContext, data: ConversationData, ticket: FollowUpTicket, text: string, words: string): Promise<boolean> {
    const actor = customerActor(context);
    const rating = parseRating(text);
    if (rating && ticket.followUp?.csat?.askedAt) {
      await this.deps.answers.recordCsat(ticket.ref, rating.score, rating.comment, actor);
      await context.sendActivity(replyWords.csatThanks(ticket.ref, rating.score));
      return true;
    }
    const endedAt = ticket.resolvedAt ?? ticket.closedAt;
    if (!endedAt || this.deps.clock.now().getTime() - new Date(endedAt).getTime() > this.deps.reopenDays * DAY) return false;
    if (THANKS.test(words)) {
      await context.sendActivity(replyWords.welcome(ticket.ref));
      return true;
    }
    if (STOP.test(words)) {
      await this.deps.answers.optOut(ticket.ref, actor);
      await context.sendActivity(replyWords.optedOut(ticket.ref).replace(' The ticket stays open and our team keeps working on it.', ''));
      return true;
    }
    const interruption = detectInterruption(text, this.deps.ticketPrefix);
    if ((interruption && interruption !== 'human') || detectMenuChoice(text) || isGreetingOnly(text)) return false;
    await this.deps.tickets.changeStatus(ticket.ref, 'open', actor, `The customer replied after ${ticket.status === 'resolved' ? 'resolution' : 'closing'}: ${text.slice(0, 1000)}`);
    if (interruption === 'human') await this.deps.tickets.requestHuman(ticket.ref, 'the customer asked for a person', actor);
    data.ticketRef = ticket.ref;
    await context.sendActivity(replyWords.reopened(ticket.ref));
    return true;
  }

  /** The conversation's own ticket, else the customer's most recent one. */
  private async ticketOf(context: TurnContext, data: ConversationData): Promise<FollowUpTicket | null> {
    const customer = customerOf(context);
    if (data.ticketRef) {
      const own = await this.deps.tickets.getForCustomer(data.ticketRef, customer);
      if (own) return own as FollowUpTicket;
    }
    const [latest] = await this.deps.tickets.listForCustomer(customer, 1);
    return (latest as FollowUpTicket | undefined) ?? null;
  }
}
