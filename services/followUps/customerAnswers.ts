/**
 * What the customer tells follow-ups in the chat: "stop" (opt-out), "resume updates", the satisfaction
 * answer (score and/or comment), and their time zone. Written on the ticket's `followUp` fields and on its audit trail, where
 * agents see them.
 */
import type { Clock } from '../clock';
import type { Collection, Document } from '../store/types';
import type { AuditTrail } from '../tickets/audit';
import type { Actor } from '../tickets/types';
import type { FollowUpTicket } from './types';

export interface CustomerZone extends Document {
  timeZone: string;
  updatedAt: Date;
}

/** Scores at or below this are a customer let down: the team hears about them at once. */
export const LOW_SCORE = 2;

export interface LowRating {
  ref: string;
  score: number;
  comment?: string;
}

export class CustomerAnswers {
  constructor(
    private readonly tickets: Collection<FollowUpTicket>,
    private readonly zones: Collection<CustomerZone>,
    private readonly audit: Pick<AuditTrail, 'append'>,
    private readonly clock: Clock,
    /** Tells the team about a low rating (the console's live alerts). */
    private readonly onLowRating?: (rating: LowRating) => void,
  ) {}

  async optOut(ref: string, actor: Actor): Promise<void> {
    const now = this.clock.now();
    const result = await this.tickets.updateOne(
      { _id: ref, 'followUp.optedOut': { $ne: true } },
      { $set: { 'followUp.optedOut': true, 'followUp.optedOutAt': now }, $unset: { 'followUp.nextAt': '' } },
    );
    if (result.modifiedCount > 0) await this.audit.append(ref, { actor, action: 'followup.opted_out', note: 'The customer asked for no more follow-up messages.' });
  }

  async optIn(ref: string, actor: Actor): Promise<void> {
    const now = this.clock.now();
    const result = await this.tickets.updateOne({ _id: ref, 'followUp.optedOut': true }, { $set: { 'followUp.optedOut': false, 'followUp.nextAt': now } });
    if (result.modifiedCount > 0) await this.audit.append(ref, { actor, action: 'followup.opted_in', note: 'The customer asked for follow-up messages again.' });
  }

  /**
   * Records the answer to the satisfaction question; a second answer to the same question replaces the first.
   * A score given after the resolution notice but before the question came answers it (the question is then not sent).
   * A low score (1–2) is put in front of the team at once: the customer was told "the team will see it".
   */
  async recordCsat(ref: string, score: number, comment: string | undefined, actor: Actor): Promise<void> {
    const now = this.clock.now();
    const ticket = await this.tickets.findOne({ _id: ref });
    const answer = { score, answeredAt: now, ...(comment && { comment }) };
    const update = ticket && surveyPending(ticket)
      ? { $set: { 'followUp.csat': { askedAt: now, ...answer } } }
      : { $set: { 'followUp.csat.score': score, 'followUp.csat.answeredAt': now, ...(comment ? { 'followUp.csat.comment': comment } : {}) } };
    await this.tickets.updateOne({ _id: ref }, update);
    await this.audit.append(ref, { actor, action: 'followup.csat_answered', after: { score, ...(comment && { comment }) } });
    if (score <= LOW_SCORE) this.onLowRating?.({ ref, score, ...(comment && { comment }) });
  }

  /**
   * Words without a score after the satisfaction question ("good", "meh", "thank you, great service"):
   * kept as the comment, the question stays open for a score ("4" later is still recorded).
   */
  async recordFeedback(ref: string, comment: string, actor: Actor): Promise<void> {
    const text = comment.trim().slice(0, 2000);
    if (!text) return;
    await this.tickets.updateOne({ _id: ref }, { $set: { 'followUp.csat.comment': text, 'followUp.csat.commentedAt': this.clock.now() } });
    await this.audit.append(ref, { actor, action: 'followup.csat_comment', after: { comment: text } });
  }

  /** The zone the customer's chat client reports (Bot Framework `localTimezone`), kept per customer. */
  async rememberTimeZone(channelId: string, userId: string, timeZone: string): Promise<void> {
    const _id = `${channelId}:${userId}`;
    if ((await this.zones.findOne({ _id }))?.timeZone === timeZone) return;
    await this.zones.updateOne({ _id }, { $set: { timeZone, updatedAt: this.clock.now() } }, { upsert: true });
  }

  async timeZoneOf(channelId: string, userId: string): Promise<string | undefined> {
    return (await this.zones.findOne({ _id: `${channelId}:${userId}` }))?.timeZone;
  }
}

/** The satisfaction question about the latest resolution is planned (CSAT_DELAY_MINUTES) but not asked yet. */
export function surveyPending(ticket: FollowUpTicket): boolean {
  const followUp = ticket.followUp;
  if (ticket.status !== 'resolved' || !ticket.resolvedAt || !followUp?.csatDueAt) return false;
  const resolvedAt = new Date(ticket.resolvedAt).getTime();
  const askedAt = followUp.csat?.askedAt ? new Date(followUp.csat.askedAt).getTime() : 0;
  return new Date(followUp.csatDueAt).getTime() >= resolvedAt && askedAt < resolvedAt;
}

/**
 * Tickets whose satisfaction question was asked, or is about to be (a score sent after the resolution notice
 * answers it), the newest first: a rating answers that one.
 */
export function askedCsatNewestFirst<T extends FollowUpTicket>(tickets: T[]): T[] {
  const askedAt = (ticket: T) => (surveyPending(ticket) ? new Date(ticket.resolvedAt!).getTime() : new Date(ticket.followUp!.csat!.askedAt!).getTime());
  const forThisResolution = (ticket: T) => (surveyPending(ticket) ? { ...ticket, followUp: { ...ticket.followUp!, csat: undefined } } : ticket);
  return tickets
    .filter((ticket) => ticket.followUp?.csat?.askedAt || surveyPending(ticket))
    .sort((a, b) => askedAt(b) - askedAt(a))
    .map(forThisResolution);
}
