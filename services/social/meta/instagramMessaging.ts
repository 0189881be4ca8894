/**
 * Instagram Messaging webhook bodies (`object: instagram`, `entry[].messaging[]`) → DirectMessage.
 * A customer's message, an `ig.me/m/<username>?ref=` referral and a postback become DMs; what we
 * sent ourselves (echoes), read receipts, reactions, deletions and unsupported media are counted, not run.
 */
import type { DirectMessage } from '../types';
import { fromMillis } from '../webhookAge';
import { str } from './graphWebhook';

interface Referral {
  ref?: unknown;
  source?: unknown;
  type?: unknown;
}

interface MessagingEvent {
  sender?: { id?: unknown };
  recipient?: { id?: unknown };
  timestamp?: unknown;
  message?: {
    mid?: unknown;
    text?: unknown;
    attachments?: Array<{ type?: unknown; payload?: { url?: unknown } }>;
    quick_reply?: { payload?: unknown };
    referral?: Referral;
    is_echo?: unknown;
    is_deleted?: unknown;
    is_unsupported?: unknown;
  };
  referral?: Referral;
  postback?: { mid?: unknown; title?: unknown; payload?: unknown; referral?: Referral };
  read?: unknown;
  reaction?: unknown;
}

export interface InstagramMessagingBody {
  object?: string;
  entry?: Array<{ id?: unknown; time?: unknown; messaging?: MessagingEvent[] }>;
}

export type IgnoredKind = 'echo' | 'read' | 'reaction' | 'deleted' | 'unsupported' | 'unknown';

export interface InstagramMessages {
  directMessages: DirectMessage[];
  /** How many events of each kind were left alone (counts only: no ids, no text in logs). */
  ignored: Partial<Record<IgnoredKind, number>>;
}

export function parseInstagramMessaging(body: InstagramMessagingBody, accountId: string): InstagramMessages {
  const result: InstagramMessages = { directMessages: [], ignored: {} };
  if (body.object !== 'instagram') return result;
  for (const entry of Array.isArray(body.entry) ? body.entry : []) {
    for (const event of Array.isArray(entry?.messaging) ? entry.messaging : []) {
      const outcome = toDirectMessage(event ?? {}, accountId);
      if (typeof outcome === 'string') result.ignored[outcome] = (result.ignored[outcome] ?? 0) + 1;
      else result.directMessages.push(outcome);
    }
  }
  return result;
}

function toDirectMessage(event: MessagingEvent, accountId: string): DirectMessage | IgnoredKind {
  const senderId = str(event.sender?.id);
  const recipientId = str(event.recipient?.id) ?? accountId;
  if (!senderId) return 'unknown';
  // Our own messages come back on the same subscription: as echoes, or with us as the sender.
  if (event.message?.is_echo === true || senderId === accountId) return 'echo';
  if (event.read !== undefined) return 'read';
  if (event.reaction !== undefined) return 'reaction';
  // Milliseconds here (unlike the comment webhooks' seconds); entry.time is left alone, its unit differs by product.
  const eventAt = fromMillis(event.timestamp);
  const sentAt = eventAt ?? new Date();
  const base = { platform: 'instagram' as const, senderId, recipientId, sentAt, ...(eventAt && { eventAt }) };

  if (event.message) {
    const message = event.message;
    if (message.is_deleted === true) return 'deleted';
    const mid = str(message.mid);
    if (!mid) return 'unknown';
    const files = (Array.isArray(message.attachments) ? message.attachments : [])
      .map((file) => ({ type: str(file?.type) ?? 'file', ...(str(file?.payload?.url) && { url: str(file?.payload?.url) }) }))
      .slice(0, 20);
    // A tapped quick reply's payload is the full choice; its title may have been shortened to 20 characters.
    const text = str(message.quick_reply?.payload) ?? str(message.text) ?? '';
    if (!text && files.length === 0) return message.is_unsupported === true ? 'unsupported' : 'unknown';
    const referral = referralOf(message.referral);
    return { ...base, eventId: mid, kind: 'message', text, ...(files.length > 0 && { files }), ...(referral && { referral }) };
  }
  if (event.postback) {
    const { postback } = event;
    const referral = referralOf(postback.referral);
    const title = str(postback.title);
    const payload = str(postback.payload);
    const eventId = str(postback.mid) ?? `postback:${senderId}:${sentAt.getTime()}`;
    // A postback that opened the thread from a DM link waits for the customer's words; any other is a tapped button.
    return {
      ...base,
      eventId,
      kind: referral ? 'event' : 'message',
      text: referral ? '' : (payload ?? title ?? ''),
      ...(referral && { referral }),
      postback: { ...(payload && { payload }), ...(title && { title }) },
    };
  }
  const referral = referralOf(event.referral);
  if (referral) return { ...base, eventId: `referral:${senderId}:${sentAt.getTime()}`, kind: 'event', text: '', referral };
  return 'unknown';
}

function referralOf(referral: Referral | undefined): DirectMessage['referral'] | undefined {
  const ref = str(referral?.ref);
  if (!ref) return undefined;
  return { ref, ...(str(referral?.source) && { source: str(referral?.source) }), ...(str(referral?.type) && { type: str(referral?.type) }) };
}
