/**
 * What a customer texts back to our SMS number lands on their ticket, read as their chat replies are:
 * - STOP-type keywords mark the phone opted out on their tickets (follow-ups stop choosing SMS); START-type
 *   keywords clear the mark; HELP/INFO change nothing (Twilio answers all of these itself).
 * - A score answers an open satisfaction question.
 * - Otherwise the message goes onto their most recently updated active ticket (one waiting on them goes back
 *   to the team), or reopens a recently resolved one, as in the chat.
 * Every message that lands is a transcript line (channel 'sms') and a live event for the console.
 * The same MessageSid is handled once; a number on no ticket leaves nothing behind.
 * Some outcomes are answered with one short text (smsAnswers.ts): an opt-out in the customer's own words, a
 * withdrawal, a rating, feedback, a reopen, a new ticket. Never a keyword (Twilio answers those), never a
 * phone already refused for SMS, never a redelivery.
 */
import { DAY, HOUR, type Clock } from '../clock';
import type { Logger } from '../log';
import type { Collection, Document } from '../store/types';
import { isDuplicateKey } from '../store/types';
import type { LiveEvent } from '../handoff/liveEvents';
import { isActive } from '../tickets/lifecycle';
import type { TicketService } from '../tickets/ticketService';
import { actorOfCustomer, type Transcripts } from '../tickets/transcript';
import { BOT_ACTOR, type Actor } from '../tickets/types';
import { askedCsatNewestFirst, type CustomerAnswers } from './customerAnswers';
import { isAcknowledgement, parseRating, saysStillAProblem } from './replyReading';
import { e164Of, type InboundSms, mediaNote } from './smsInbound';
import { saysProblemWentAway } from '../recognition/withdrawal';
import { asksToStopTexts, smsKeywordOf } from './smsKeywords';
import { isAnswered, smsAnswerText } from './smsAnswers';
import { smsSegments } from './smsSegments';
import type { FollowUpTicket } from './types';

const SMS_CHANNEL_ID = 'sms';

/** One handled message: its MessageSid is the _id, so a redelivery finds it taken. */
export interface ReceivedSms extends Document {
  at: Date;
  outcome?: SmsOutcome;
  ticketRef?: string;
  /** We texted back in the webhook's answer (for support staff reading the store; a redelivery is answered empty either way). */
  answered?: boolean;
}

/** What a text did; `answer` is the text to send back in the webhook's answer, if any. */
export interface SmsHandled {
  outcome: SmsOutcome;
  ticketRef?: string;
  answer?: string;
}

/** As apply() found it: `keyword` when Twilio matched the message as its own keyword (and so answered it itself). */
interface Applied {
  outcome: SmsOutcome;
  ticketRef?: string;
  keyword?: boolean;
}

export type SmsOutcome =
  | 'unknown_number'
  | 'duplicate'
  | 'opted_out'
  | 'opted_in'
  | 'help'
  | 'rating'
  | 'feedback'
  | 'acknowledged'
  | 'update'
  /** On the active ticket, with a note asking the team to close it: the customer texted that the problem went away. */
  | 'withdrawal_noted'
  | 'reopened'
  /** Kept on the customer's last ticket's transcript; no ticket was active or recent enough to act on. */
  | 'kept'
  /** Past the reopen window, more than thanks: a follow-up ticket for the same customer, as helpdesks do for closed tickets. */
  | 'opened'
  /** No words and no media: nothing to keep. */
  | 'empty';

export interface SmsRepliesDeps {
  tickets: TicketService;
  ticketDocs: Collection<FollowUpTicket>;
  received: Collection<ReceivedSms>;
  answers: CustomerAnswers;
  transcripts: Transcripts;
  live?: { publish(event: LiveEvent): void };
  clock: Clock;
  logger: Logger;
  reopenDays: number;
  /** Of these tickets, the one we last texted (a sent SMS follow-up), if any. */
  lastTexted?: (refs: string[]) => Promise<string | undefined>;
  /** Reads an order number in a text, for the follow-up ticket a text opens after the reopen window. */
  orderNumberIn?: (text: string) => string | undefined;
  /** The brand that answers texts; without one, nothing is texted back. */
  brand?: string;
}

/** How many of the phone's tickets are read (newest change first) for an active one or an open question. */
const RECENT_TICKETS = 20;

interface Reply {
  sms: InboundSms;
  text: string;
  note: string;
  tickets: FollowUpTicket[];
}

/** Twilio signs no timestamp, so a captured inbound body can be replayed any day: its MessageSid is remembered for a year (SMS volumes are small). */
const REMEMBER_MS = 365 * DAY;

export class SmsReplies {
  private lastPurge = 0;

  constructor(private readonly deps: SmsRepliesDeps) {}

  static indexes(received: Collection<ReceivedSms>): Promise<void>[] {
    return [received.createIndex({ fields: { at: 1 } })];
  }

  async handle(sms: InboundSms): Promise<SmsHandled> {
    const phone = e164Of(sms.from);
    const tickets = phone ? await this.ofOneCustomer(await this.deps.ticketDocs.find({ 'contact.phone': phone }, { sort: { updatedAt: -1 }, limit: RECENT_TICKETS })) : [];
    if (!phone || tickets.length === 0) {
      // Nothing is stored for a stranger, and the number stays out of the log.
      this.deps.logger.info({ messageSid: sms.messageSid }, 'SMS from a number on no ticket: ignored');
      return { outcome: 'unknown_number' };
    }
    const _id = sms.messageSid;
    await this.forgetOld();
    try {
      await this.deps.received.insertOne({ _id, at: this.deps.clock.now() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return { outcome: 'duplicate' };
    }
    let result: Applied;
    let answer: string | undefined;
    try {
      // Read before the text is applied: a "STOP." now blocks the phone, and that one still gets its confirmation.
      const refused = await this.deps.tickets.smsBlockOf(phone);
      result = await this.apply(phone, { sms, text: sms.body.trim(), note: mediaNote(sms.media), tickets });
      answer = refused || result.keyword ? undefined : this.answerTextOf(result);
      await this.deps.received.updateOne({ _id }, { $set: { outcome: result.outcome, ...(result.ticketRef && { ticketRef: result.ticketRef }), ...(answer && { answered: true }) } });
    } catch (error) {
      // Not handled: free the id so the provider's retry is handled, rather than dropped as a replay.
      await this.deps.received.deleteOne({ _id }).catch(() => undefined);
      throw error;
    }
    const { outcome, ticketRef } = result;
    if (answer && ticketRef) await this.recordAnswer(ticketRef, outcome, answer, sms.messageSid);
    return { outcome, ...(ticketRef && { ticketRef }), ...(answer && { answer }) };
  }

  private answerTextOf({ outcome, ticketRef }: Applied): string | undefined {
    if (!this.deps.brand || !ticketRef || !isAnswered(outcome)) return undefined;
    return smsAnswerText(outcome, this.deps.brand, ticketRef);
  }

  /**
   * The text back as an outbound SMS line on the ticket's transcript (where the customer's text is) and on its
   * audit trail, as follow-up SMS sends are (outcome and size, no phone). The text was handled already: a store
   * failure here is logged, never a reason for the provider to redeliver (and so reapply) the customer's text.
   */
  private async recordAnswer(ref: string, outcome: SmsOutcome, text: string, inReplyTo: string): Promise<void> {
    try {
      const ticket = await this.deps.tickets.get(ref);
      await this.deps.transcripts.record({
        conversationId: ticket?.conversation?.conversationId ?? `sms:${ref}`,
        channelId: SMS_CHANNEL_ID,
        ticketRef: ref,
        direction: 'out',
        actor: BOT_ACTOR,
        text,
        activityId: `answer:${inReplyTo}`,
        at: this.deps.clock.now(),
      });
      const { encoding, segments } = smsSegments(text);
      await this.deps.tickets.audit.append(ref, { actor: SMS_SYSTEM_ACTOR, action: 'sms.answered', after: { route: 'sms', kind: outcome, encoding, segments } });
    } catch (error) {
      this.deps.logger.warn({ err: error, ticketRef: ref, messageSid: inReplyTo }, 'SMS answer not recorded on the ticket');
    }
  }

  /**
   * A phone on several people's tickets (a family's shared phone): the text answers what we last texted it
   * about, so only that person's tickets are read; otherwise one person's reply or rating lands on another's ticket.
   */
  private async ofOneCustomer(tickets: FollowUpTicket[]): Promise<FollowUpTicket[]> {
    const customerKey = (ticket: FollowUpTicket) => `${ticket.customer.channelId}\u0000${ticket.customer.userId}`;
    if (new Set(tickets.map(customerKey)).size < 2) return tickets;
    const texted = await this.deps.lastTexted?.(tickets.map((ticket) => ticket.ref));
    const anchor = tickets.find((ticket) => ticket.ref === texted) ?? tickets[0];
    return tickets.filter((ticket) => customerKey(ticket) === customerKey(anchor));
  }

  /** At most once an hour: received ids older than REMEMBER_MS go, so the collection stays small. */
  private async forgetOld(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    if (now - this.lastPurge < HOUR) return;
    this.lastPurge = now;
    await this.deps.received.deleteMany({ at: { $lt: new Date(now - REMEMBER_MS) } });
  }

  private async apply(phone: string, reply: Reply): Promise<Applied> {
    const { tickets, text, sms } = reply;
    const latest = tickets[0];
    const keyword = sms.media.length === 0 ? smsKeywordOf(text) : undefined;
    if (keyword === 'opt_out') {
      await this.deps.tickets.markSmsUnusable(phone, { reason: 'opted_out', at: this.deps.clock.now() }, customerOf(latest), latest.ref);
      return { outcome: 'opted_out', ticketRef: latest.ref, keyword: true };
    }
    if (keyword === 'opt_in') {
      const cleared = await this.deps.tickets.clearSmsOptOut(phone, customerOf(latest));
      // "yes" from a phone that never opted out is an answer like any other.
      if (cleared.length > 0 || text.toLowerCase() !== 'yes') return { outcome: 'opted_in', ticketRef: latest.ref };
    }
    if (keyword === 'help') return { outcome: 'help' };
    if (!text && !reply.note) return { outcome: 'empty' };

    const active = tickets.find((ticket) => isActive(ticket.status));
    if (!keyword && !reply.note && asksToStopTexts(text)) {
      // Twilio did not block the number for these words: we stop texting ourselves, and the team sees what they wrote.
      await this.deps.tickets.markSmsUnusable(phone, { reason: 'opted_out', at: this.deps.clock.now() }, customerOf(latest), latest.ref);
      await this.keep(reply, active ?? latest);
      return { outcome: 'opted_out', ticketRef: (active ?? latest).ref };
    }
    const rated = await this.answeredCsat(reply, Boolean(active));
    if (rated) return rated;
    if (active) {
      await this.keep(reply, active);
      if (isAcknowledgement(text) && !reply.note) return { outcome: 'acknowledged', ticketRef: active.ref };
      await this.deps.tickets.addCustomerUpdate(active.ref, `${text}${reply.note}`.trim(), customerOf(active));
      // Left to the team, not closed: a text cannot confirm comfortably (yes/no by SMS); the answer says the team will close it.
      if (!reply.note && saysProblemWentAway(text)) {
        await this.deps.tickets.addNote(active.ref, 'internal', WITHDRAWAL_NOTE, SMS_SYSTEM_ACTOR);
        return { outcome: 'withdrawal_noted', ticketRef: active.ref };
      }
      return { outcome: 'update', ticketRef: active.ref };
    }
    return this.afterEnd(phone, reply, latest);
  }

  /** A score for the newest open satisfaction question; with no active ticket, a new score replaces the last one. */
  private async answeredCsat(reply: Reply, hasActive: boolean): Promise<{ outcome: SmsOutcome; ticketRef: string } | undefined> {
    const rating = reply.note ? undefined : parseRating(reply.text);
    if (!rating) return undefined;
    const asked = askedCsatNewestFirst(reply.tickets);
    const target = asked.find((ticket) => ticket.followUp?.csat?.score === undefined) ?? (hasActive ? undefined : asked[0]);
    if (!target) return undefined;
    await this.keep(reply, target);
    await this.deps.answers.recordCsat(target.ref, rating.score, rating.comment, customerOf(target));
    return { outcome: 'rating', ticketRef: target.ref };
  }

  /** As after a resolution in the chat: "still broken" or a photo reopens within the window; words after the question are feedback. */
  private async afterEnd(phone: string, reply: Reply, ticket: FollowUpTicket): Promise<{ outcome: SmsOutcome; ticketRef: string }> {
    const { text, note } = reply;
    const endedAt = ticket.resolvedAt ?? ticket.closedAt ?? ticket.updatedAt;
    const withinWindow = this.deps.clock.now().getTime() - new Date(endedAt).getTime() <= this.deps.reopenDays * DAY;
    // Too late to reopen, and not a thanks: someone must act on it, so it becomes a follow-up ticket.
    if (!withinWindow && (note || (text && !isAcknowledgement(text)))) return this.followUpTicket(phone, reply, ticket);
    await this.keep(reply, ticket);
    const question = ticket.followUp?.csat;
    const feedbackOpen = Boolean(question?.askedAt) && question?.score === undefined && question?.comment === undefined;
    const ended = ticket.status === 'closed' ? 'closing' : 'resolution';
    const reopen = async () => {
      await this.deps.tickets.changeStatus(ticket.ref, 'open', customerOf(ticket), `The customer replied by SMS after ${ended}: ${text.slice(0, 1000)}${note}`);
      return { outcome: 'reopened' as const, ticketRef: ticket.ref };
    };
    if (saysStillAProblem(text) || note) return withinWindow ? reopen() : { outcome: 'kept', ticketRef: ticket.ref };
    if (feedbackOpen && text) {
      await this.deps.answers.recordFeedback(ticket.ref, text, customerOf(ticket));
      return { outcome: 'feedback', ticketRef: ticket.ref };
    }
    if (isAcknowledgement(text)) return { outcome: 'acknowledged', ticketRef: ticket.ref };
    return withinWindow && text ? reopen() : { outcome: 'kept', ticketRef: ticket.ref };
  }

  /** A new ticket for a text that came after its ticket could be reopened: same customer, same order unless it names another. */
  private async followUpTicket(phone: string, reply: Reply, ended: FollowUpTicket): Promise<{ outcome: SmsOutcome; ticketRef: string }> {
    const { text, note, sms } = reply;
    const orderNumber = this.deps.orderNumberIn?.(text) ?? ended.orderNumber;
    const opened = await this.deps.tickets.open(
      {
        customer: ended.customer,
        source: 'sms',
        ...(orderNumber && { orderNumber }),
        // They texted us from this phone: it is where we answer.
        contact: { phone, ...(ended.contact?.email && { email: ended.contact.email }), preferred: 'phone', consent: true },
        description: `${text}${note}`.trim(),
        openedBy: `sms:${sms.messageSid}`,
      },
      customerOf(ended),
    );
    await this.deps.tickets.addNote(opened.ref, 'internal', `Texted after ${ended.ref} had ended (${ended.status}); opened as a follow-up to it.`, SMS_SYSTEM_ACTOR);
    await this.keep(reply, opened as FollowUpTicket);
    return { outcome: 'opened', ticketRef: opened.ref };
  }

  /** The customer's words on the ticket's transcript (in its chat thread, so the console shows them in order) and live on the console. */
  private async keep(reply: Reply, ticket: FollowUpTicket): Promise<void> {
    const { sms, text } = reply;
    const at = this.deps.clock.now();
    await this.deps.transcripts.record({
      conversationId: ticket.conversation?.conversationId ?? `sms:${ticket.ref}`,
      channelId: SMS_CHANNEL_ID,
      ticketRef: ticket.ref,
      direction: 'in',
      actor: customerOf(ticket),
      text,
      ...(sms.media.length > 0 && { files: sms.media }),
      activityId: sms.messageSid,
      at,
    });
    this.deps.live?.publish({
      type: 'customer.message',
      ref: ticket.ref,
      text: text || reply.note.trim(),
      at: at.toISOString(),
      ...(ticket.customer.name && { name: ticket.customer.name }),
    });
  }
}

const SMS_SYSTEM_ACTOR: Actor = { kind: 'system', id: 'sms-replies' };
const WITHDRAWAL_NOTE = 'The customer texted that the problem went away and the ticket can be closed: check their words and resolve it.';

/** The ticket's own customer: the SMS comes from the phone they gave on it, so no phone lands in the audit trail. */
function customerOf(ticket: FollowUpTicket): Actor {
  return actorOfCustomer(ticket.customer.userId, ticket.customer.name);
}

