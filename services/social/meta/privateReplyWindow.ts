/**
 * Meta allows a Private Reply to a comment only within 7 days of it; later attempts fail (code 10903).
 * Past the window, and whenever the Private Reply failed, the public line must not say "we've messaged you"
 * (ReplyComposer.commentReplyInvitingMessage).
 */
import { DAY } from '../../clock';

export const PRIVATE_REPLY_WINDOW_MS = 7 * DAY;

export function privateReplyAllowed(commentedAt: Date, now: Date): boolean {
  return now.getTime() - commentedAt.getTime() < PRIVATE_REPLY_WINDOW_MS;
}
