/**
 * What the customer says once a ticket exists, before the dialogs see the turn (only when no dialog runs:
 * mid-dialog every word is the dialog's, "stop" included).
 * - A reference they quote ("CS-7K3M9Q is still not sorted") acts on that ticket, if it is theirs.
 * - A score ("4", "five stars", "10/10") answers the satisfaction question still outstanding, on whichever
 *   of their tickets it was asked.
 * - While a ticket is active: "stop"/"resume updates" switch follow-ups; "thanks"/"ok"/"👍" get a short
 *   acknowledgement; "when will you reply?" gets the status and the expected response time; other free
 *   text (and what it attaches) is added to the ticket verbatim.
 * - "never mind, it arrived after all" goes to the dialogs, which confirm before closing (WithdrawTicketDialog);
 *   in an e-mail thread the ticket is resolved at once and the answer says how a reply reopens it.
 * - After resolution/closing: "still broken"-type words reopen it within CSAT_REOPEN_DAYS; other words
 *   after the satisfaction question are feedback; "agent" reopens and hands over (after the window a new
 *   ticket carries the old one's context).
 * Explicit intents ("status", "help", "start over", menu picks, greetings) and a new problem about a
 * different order still go to the dialogs.
 */
import type { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { ConversationData, DialogServices } from '../dialogs/dialogServices';
import { detectInterruption, detectMenuChoice, type Interruption, isGreetingOnly } from '../dialogs/intents';
import { describeWait, say } from '../dialogs/messages';
import { WITHDRAWN_REASON } from '../dialogs/withdrawTicketDialog';
import { customerActor, replyWithStatus, requestHuman } from '../dialogs/ticketActions';
import { customerOf, threadTicketOf } from '../dialogs/turnFacts';
import { DAY, HOUR, type Clock } from '../services/clock';
import { askedCsatNewestFirst, type CustomerAnswers } from '../services/followUps/customerAnswers';
import { replyWords } from '../services/followUps/messages';
import { asksWhenReply, isAcknowledgement, parseRating, saysStillAProblem, saysThanks } from '../services/followUps/replyReading';
import { normaliseWords } from '../services/recognition/words';
import { saysProblemWentAway } from '../services/recognition/withdrawal';
import type { FollowUpTicket } from '../services/followUps/types';
import { isActive } from '../services/tickets/lifecycle';
import { findTicketRef } from '../services/tickets/ticketRef';
import type { TicketService } from '../services/tickets/ticketService';
import type { Actor } from '../services/tickets/types';
import type { TurnInterceptor } from './supportBot';

export interface FollowUpInterceptorDeps {
  tickets: TicketService;
  answers: CustomerAnswers;
  dialogState: StatePropertyAccessor<DialogState>;
  /** The dialogs' own status answer and handoff path, reused so both doors behave alike. */
  dialogs: DialogServices;
  clock: Clock;
  ticketPrefix: string;
  reopenDays: number;
  /** Whether a person has (or is about to take) this conversation; their side then owns what the customer sends. */
  withPerson?: (channelId: string, conversationId: string) => Promise<boolean>;
}

const STOP = /^(stop|stop (it|this|that|messaging me|messages|updates|the updates|sending (me )?(messages|updates))|unsubscribe|no more (messages|updates)|opt out|leave me alone)( please)?$/;
const RESUME = /^(resume|resume updates|start updates|updates on|send (me )?updates( again)?)( please)?$/;
/** How long after a score the customer's next words are read as its comment. */
const COMMENT_AFTER_SCORE_MS = 2 * HOUR;
/** How many of the customer's tickets are looked at for an outstanding question or a quoted reference. */
const RECENT_TICKETS = 10;

/** One message, read once. */
interface Turn {
  context: TurnContext;
  data: ConversationData;
  text: string;
  words: string;
  interruption: Interruption | undefined;
  actor: Actor;
  /** "[attached: label.jpg (image/jpeg)]" when the message carries files. */
  attachmentNote: string;
  tickets: FollowUpTicket[];
}

export class FollowUpInterceptor implements TurnInterceptor {
  readonly name = 'followUps';

  constructor(private readonly deps: FollowUpInterceptorDeps) {}

  async handle(context: TurnContext, data: ConversationData): Promise<boolean> {
    const { activity } = context;
    if (activity.type !== 'message') return false;
    if (activity.localTimezone) await this.deps.answers.rememberTimeZone(activity.channelId, activity.from.id, activity.localTimezone);
    const text = activity.text?.trim() ?? '';
    // A card submit or postback without words answers no question: ignore it rather than re-prompt. A
    // conversation just linked to a public post (no ticket yet) still goes on to confirm the post.
    if (!text && !activity.attachments?.length) return !(data.publicPost && !data.ticketRef);
    if (!text) return false;
    if ((await this.deps.dialogState.get(context))?.dialogStack?.length) return false;
    const tickets = (await this.deps.tickets.listForCustomer(customerOf(context), RECENT_TICKETS)) as FollowUpTicket[];
    if (tickets.length === 0) return false;
    const turn: Turn = {
      context, data, text, words: normaliseWords(text), interruption: detectInterruption(text, this.deps.ticketPrefix),
      actor: customerActor(context), attachmentNote: attachmentNote(activity), tickets,
    };

    const quoted = this.quotedTicket(turn);
    if (quoted) {
      if (turn.interruption === 'status') return false;
      return isActive(quoted.status) ? this.duringTicket(turn, quoted) : this.afterEnd(turn, quoted);
    }
    if (await this.answeredCsat(turn)) return true;
    const active = activeTicketOf(tickets, data, context);
    if (active) return this.duringTicket(turn, active);
    return this.afterEnd(turn, tickets.find((ticket) => ticket.ref === data.ticketRef) ?? tickets[0]);
  }

  /** A photo without words while a ticket is active and no dialog runs: it goes onto the ticket like any update. */
  async handleAttachmentsOnly(context: TurnContext, data: ConversationData): Promise<boolean> {
    const { activity } = context;
    if (activity.type !== 'message' || (await this.deps.dialogState.get(context))?.dialogStack?.length) return false;
    if (await this.deps.withPerson?.(activity.channelId, activity.conversation.id)) return false;
    const tickets = (await this.deps.tickets.listForCustomer(customerOf(context), RECENT_TICKETS)) as FollowUpTicket[];
    const active = activeTicketOf(tickets, data, context);
    if (!active) return false;
    await addUpdate(this.deps.tickets, context, data, active, attachmentNote(context.activity).trim(), true);
    return true;
  }

  /** A score for the newest unanswered satisfaction question; a score given again (not a menu digit) replaces the last one. */
  private async answeredCsat(turn: Turn): Promise<boolean> {
    const rating = parseRating(turn.text);
    if (!rating) return false;
    const thread = threadTicketOf(turn.context, turn.data);
    const asked = askedCsatNewestFirst(thread ? turn.tickets.filter((ticket) => ticket.ref === thread) : turn.tickets);
    const target = asked.find((ticket) => ticket.followUp?.csat?.score === undefined) ?? (detectMenuChoice(turn.text) ? undefined : asked[0]);
    if (!target) return false;
    await this.deps.answers.recordCsat(target.ref, rating.score, rating.comment, turn.actor);
    await turn.context.sendActivity(replyWords.csatThanks(target.ref, rating.score));
    return true;
  }

  private async duringTicket(turn: Turn, ticket: FollowUpTicket): Promise<boolean> {
    const { context, words, text } = turn;
    if (STOP.test(words)) {
      await this.deps.answers.optOut(ticket.ref, turn.actor);
      await context.sendActivity(replyWords.optedOut(ticket.ref));
      return true;
    }
    if (RESUME.test(words) && ticket.followUp?.optedOut) {
      await this.deps.answers.optIn(ticket.ref, turn.actor);
      await context.sendActivity(replyWords.optedIn(ticket.ref));
      return true;
    }
    if (this.isExplicitIntent(turn)) return false;
    // "never mind, it arrived after all": the dialogs confirm before closing it; a mail thread is closed at once (below).
    if (saysProblemWentAway(text, this.deps.ticketPrefix) && !turn.attachmentNote) {
      if (context.activity.channelId !== 'email') return false;
      return this.withdrawByMail(turn, ticket);
    }
    if (asksWhenReply(text)) {
      await replyWithStatus(context, this.deps.dialogs);
      await context.sendActivity(replyWords.expectedReply(this.expectedReply(ticket)));
      return true;
    }
    if (isAcknowledgement(text) && !turn.attachmentNote) {
      await context.sendActivity(replyWords.acknowledged(ticket.ref, ticket.status, saysThanks(text)));
      return true;
    }
    // Free text is more about the active ticket, unless it names a different order: that is a new problem.
    const target = this.ticketForOrder(turn, ticket);
    if (!target) return false;
    await addUpdate(this.deps.tickets, context, turn.data, target, `${text}${turn.attachmentNote}`, Boolean(turn.attachmentNote));
    return true;
  }

  private async afterEnd(turn: Turn, ticket: FollowUpTicket): Promise<boolean> {
    const { context, text, words, actor } = turn;
    const ended = ticket.status === 'closed' ? 'closed' : 'resolved';
    const endedAt = ticket.resolvedAt ?? ticket.closedAt ?? ticket.updatedAt;
    const withinWindow = this.deps.clock.now().getTime() - new Date(endedAt).getTime() <= this.deps.reopenDays * DAY;
    if (turn.interruption === 'human' || detectMenuChoice(text) === 'human') return this.handOver(turn, ticket, withinWindow);
    if (this.isExplicitIntent(turn)) return false;
    if (STOP.test(words)) {
      await this.deps.answers.optOut(ticket.ref, actor);
      await context.sendActivity(replyWords.optedOutEnded(ticket.ref));
      return true;
    }
    if (this.otherOrderNamed(turn, ticket)) return false;
    const question = ticket.followUp?.csat;
    const feedbackOpen = Boolean(question?.askedAt) && question?.score === undefined && question?.comment === undefined;
    if (saysStillAProblem(text) || turn.attachmentNote) {
      if (!withinWindow) return false;
      return this.reopen(turn, ticket, `The customer replied after ${ended === 'resolved' ? 'resolution' : 'closing'}: ${text.slice(0, 1000)}${turn.attachmentNote}`);
    }
    // Words right after a score are its comment ("you were fast and friendly"), not a new problem.
    const answeredAt = question?.answeredAt ? new Date(question.answeredAt).getTime() : 0;
    const commentOnScore = question?.score !== undefined && question.comment === undefined && this.deps.clock.now().getTime() - answeredAt <= COMMENT_AFTER_SCORE_MS && !isAcknowledgement(text);
    if (commentOnScore) {
      await this.deps.answers.recordFeedback(ticket.ref, text, actor);
      await context.sendActivity(replyWords.commentThanks(ticket.ref));
      return true;
    }
    // After the satisfaction question, kind or lukewarm words are feedback, however late: never a reopen.
    if (feedbackOpen) {
      await this.deps.answers.recordFeedback(ticket.ref, text, actor);
      await context.sendActivity(replyWords.feedbackThanks(ticket.ref));
      return true;
    }
    // "close CS-7K3M9Q, it came" about an ended ticket must not reopen it: the dialogs say it is already resolved.
    if (saysProblemWentAway(text, this.deps.ticketPrefix) && !isAcknowledgement(text) && context.activity.channelId !== 'email') return false;
    if (isAcknowledgement(text)) {
      await context.sendActivity(replyWords.welcome(ticket.ref, ended, withinWindow, saysThanks(text)));
      return true;
    }
    if (!withinWindow) return false;
    return this.reopen(turn, ticket, `The customer replied after ${ended === 'resolved' ? 'resolution' : 'closing'}: ${text.slice(0, 1000)}`);
  }

  /**
   * A mail thread cannot comfortably ask "shall I close it?": the ticket is resolved at once and the answer says
   * that any reply within the reopen window reopens it, so a misread mail costs the customer one reply.
   */
  private async withdrawByMail(turn: Turn, ticket: FollowUpTicket): Promise<boolean> {
    await this.deps.tickets.changeStatus(ticket.ref, 'resolved', turn.actor, `${WITHDRAWN_REASON} by e-mail: "${turn.text.slice(0, 500)}"`);
    turn.data.ticketRef = ticket.ref;
    await turn.context.sendActivity(say.mailWithdrawn(ticket.ref, this.deps.reopenDays));
    return true;
  }

  private async reopen(turn: Turn, ticket: FollowUpTicket, note: string): Promise<boolean> {
    await this.deps.tickets.changeStatus(ticket.ref, 'open', turn.actor, note);
    turn.data.ticketRef = ticket.ref;
    await turn.context.sendActivity(replyWords.reopened(ticket.ref));
    return true;
  }

  /** "agent" after the end: the same ticket reopened within the window, else a new one that names the old. */
  private async handOver(turn: Turn, ticket: FollowUpTicket, withinWindow: boolean): Promise<boolean> {
    if (withinWindow) {
      if (!isActive(ticket.status)) await this.deps.tickets.changeStatus(ticket.ref, 'open', turn.actor, `The customer asked for a person after the ticket was ${ticket.status}: ${turn.text.slice(0, 1000)}`);
      turn.data.ticketRef = ticket.ref;
    } else {
      turn.data.draft = {
        ...(ticket.orderNumber && { orderNumber: ticket.orderNumber }),
        description: `Follow-up to ${ticket.ref}${ticket.description ? `: ${ticket.description}` : ''}`.slice(0, 2000),
      };
    }
    await requestHuman(turn.context, this.deps.dialogs, 'the customer asked for a person');
    return true;
  }

  private isExplicitIntent(turn: Turn): boolean {
    return turn.interruption !== undefined || detectMenuChoice(turn.text) !== undefined || isGreetingOnly(turn.text);
  }

  /** The customer's own ticket they quote; someone else's reference is not acted on. */
  private quotedTicket(turn: Turn): FollowUpTicket | undefined {
    const ref = findTicketRef(turn.text, this.deps.ticketPrefix);
    return ref ? turn.tickets.find((ticket) => ticket.ref === ref) : undefined;
  }

  /** The order the message names when it is not this ticket's own. */
  private otherOrderNamed(turn: Turn, ticket: FollowUpTicket): string | undefined {
    const order = this.deps.dialogs.orderNumbers.find(turn.text);
    return order && ticket.orderNumber && order !== ticket.orderNumber ? order : undefined;
  }

  /** The ticket a message about an order belongs to: this one, another active one for that order, or none (new problem). */
  private ticketForOrder(turn: Turn, ticket: FollowUpTicket): FollowUpTicket | undefined {
    const order = this.otherOrderNamed(turn, ticket);
    return order ? turn.tickets.find((other) => isActive(other.status) && other.orderNumber === order) : ticket;
  }

  private expectedReply(ticket: FollowUpTicket): Parameters<typeof replyWords.expectedReply>[0] {
    const now = this.deps.clock.now().getTime();
    // Only a ticket nobody has picked up waits for a first reply: once the team works on it (even without a chat reply), the next update is what counts.
    if (!ticket.firstResponseAt && ticket.status === 'open' && !ticket.reopenCount) {
      const due = new Date(ticket.sla.firstResponseDueAt).getTime();
      return due > now ? { firstReplyWithin: this.deps.dialogs.replyBy(new Date(now), new Date(due)) } : { firstReplyLate: true };
    }
    const promised = ticket.followUp?.promisedBy ? new Date(ticket.followUp.promisedBy).getTime() : 0;
    return promised > now ? { nextUpdateWithin: describeWait(promised - now) } : {};
  }
}

/** The conversation's own ticket if active, else the customer's newest active one (never another e-mail thread's: its answers go there). */
function activeTicketOf(tickets: FollowUpTicket[], data: ConversationData, context: TurnContext): FollowUpTicket | undefined {
  const own = tickets.find((ticket) => ticket.ref === data.ticketRef && isActive(ticket.status));
  if (own || threadTicketOf(context, data)) return own;
  return tickets.find((ticket) => isActive(ticket.status));
}

/** The customer's words (or file) onto the ticket, and the answer that fits whether the team was waiting on them. */
async function addUpdate(tickets: TicketService, context: TurnContext, data: ConversationData, ticket: FollowUpTicket, note: string, withFile: boolean): Promise<void> {
  await tickets.addCustomerUpdate(ticket.ref, note, customerActor(context));
  data.ticketRef = ticket.ref;
  await context.sendActivity(ticket.status === 'waiting_on_customer' ? replyWords.answerReceived(ticket.ref) : replyWords.addedToTicket(ticket.ref, withFile));
}


/** What the customer attached, named for the team (the files themselves stay with the channel). */
export function attachmentNote(activity: Activity): string {
  const files = (activity.attachments ?? []).map((file) => [file.name, file.contentType].filter(Boolean).join(', ') || 'a file');
  return files.length ? `\n[attached: ${files.join('; ')}]` : '';
}
