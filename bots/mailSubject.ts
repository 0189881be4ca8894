/**
 * The subject of our reply mails: "Re: <their subject> [CS-7K3M9Q]", the helpdesk form mail programs thread
 * on and customers (and their mail filters) recognise. The Email channel takes it from channelData.subject.
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { DialogServices } from '../dialogs/dialogServices';
import { cleanSubject } from '../services/recognition/mailText';
import { REF_ALPHABET } from '../services/tickets/ticketRef';

export type MailSubjectDeps = Pick<DialogServices, 'conversationData' | 'tickets' | 'ticketPrefix'>;

/** "RE: Leaking kettle [CS-7K3M9Q]" + CS-7K3M9Q → "Re: Leaking kettle [CS-7K3M9Q]"; no reference, no subject of ours. */
export function replySubject(subject: string | undefined, ref: string | undefined, prefix: string): string | undefined {
  if (!ref) return undefined;
  // Any reference already there goes (ours again, or one the customer typed): the subject names this ticket only.
  const bracketed = new RegExp(`\\s*\\[\\s*${prefix}[\\s-]?[${REF_ALPHABET}]{6}\\s*\\]`, 'gi');
  const topic = cleanSubject((subject ?? '').replace(bracketed, ' ')).slice(0, 200);
  return topic ? `Re: ${topic} [${ref}]` : `Your ticket [${ref}]`;
}

/** The reference in a subject ("Re: Leaking kettle [CS-7K3M9Q]"), only in the bracketed form we write. */
export function refInSubject(subject: string, prefix: string): string | undefined {
  const match = new RegExp(`\\[\\s*${prefix}[\\s-]?([${REF_ALPHABET}]{6})\\s*\\]`, 'i').exec(subject);
  return match ? `${prefix}-${match[1].toUpperCase()}` : undefined;
}

/**
 * The subject for a mail leaving this conversation: the conversation's ticket, and the subject of the mail being
 * answered (outside a turn, a follow-up or an agent's reply, the subject the ticket was opened with).
 */
export async function subjectFor(context: TurnContext, inbound: string | undefined, deps: MailSubjectDeps): Promise<string | undefined> {
  const ref = (await deps.conversationData.get(context))?.ticketRef;
  if (!ref) return undefined;
  const subject = inbound || (await deps.tickets.get(ref))?.subject;
  return replySubject(subject, ref, deps.ticketPrefix);
}

export function withSubject(activity: Partial<Activity>, subject: string | undefined): Partial<Activity> {
  if (!subject) return activity;
  return { ...activity, channelData: { ...((activity.channelData as object | undefined) ?? {}), subject } };
}
