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

export class CustomerAnswers {
  constructor(
    private readonly tickets: Collection<FollowUpTicket>,
    private readonly zones: Collection<CustomerZone>,
    private readonly audit: Pick<AuditTrail, 'append'>,
    private readonly clock: Clock,
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

  /** Records the answer to the satisfaction question; a second answer to the same question replaces the first. */
  async recordCsat(ref: string, score: number, comment: string | undefined, actor: Actor): Promise<void> {
    const now = this.clock.now();
    await this.tickets.updateOne(
      { _id: ref },
      { $set: { 'followUp.csat.score': score, 'followUp.csat.answeredAt': now, ...(comment ? { 'followUp.csat.comment': comment } : {}) } },
    );
    await this.audit.append(ref, { actor, action: 'followup.csat_answered', after: { score, ...(comment && { comment }) } });
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

/** Tickets whose satisfaction question was asked, the newest question first: a rating answers that one. */
export function askedCsatNewestFirst<T extends FollowUpTicket>(tickets: T[]): T[] {
  const askedAt = (ticket: T) => new Date(ticket.followUp!.csat!.askedAt!).getTime();
  return tickets.filter((ticket) => ticket.followUp?.csat?.askedAt).sort((a, b) => askedAt(b) - askedAt(a));
}
