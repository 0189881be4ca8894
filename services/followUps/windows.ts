/**
 * Channel messaging windows, in one place. Messenger (and Instagram, same Meta policy) accept automated
 * messages only within 24 h of the customer's last message. HUMAN_AGENT (7 days) is for a human agent's
 * own replies only, never for automated follow-ups. ACCOUNT_UPDATE, POST_PURCHASE_UPDATE and
 * CONFIRMED_EVENT_UPDATE were retired on 2026-04-27 and are never used. Other channels have no window.
 */
import { DAY, HOUR } from '../clock';

export const RETIRED_MESSAGE_TAGS = { retiredOn: '2026-04-27', tags: ['ACCOUNT_UPDATE', 'POST_PURCHASE_UPDATE', 'CONFIRMED_EVENT_UPDATE'] } as const;
export const HUMAN_AGENT_TAG = 'HUMAN_AGENT';

interface WindowRule {
  /** Automated messages allowed this long after the customer's last message. */
  standardMs: number;
  /** A human agent's own replies allowed this long, with the HUMAN_AGENT tag. */
  humanAgentMs: number;
  name: string;
}

const RULES: Record<string, WindowRule> = {
  facebook: { standardMs: 24 * HOUR, humanAgentMs: 7 * DAY, name: 'Messenger' },
  instagram: { standardMs: 24 * HOUR, humanAgentMs: 7 * DAY, name: 'Instagram' },
};

export type WindowVerdict = { open: true; tag?: typeof HUMAN_AGENT_TAG } | { open: false; reason: string };

export interface WindowQuestion {
  channelId: string;
  lastCustomerMessageAt?: Date;
  now: Date;
  /** 'automated' for follow-ups; 'human' only for a person's own reply typed in the console. */
  author: 'automated' | 'human';
}

export function dmWindow({ channelId, lastCustomerMessageAt, now, author }: WindowQuestion): WindowVerdict {
  const rule = RULES[channelId];
  if (!rule) return { open: true };
  if (!lastCustomerMessageAt) return { open: false, reason: `${rule.name}: the customer's last message time is unknown` };
  const since = now.getTime() - new Date(lastCustomerMessageAt).getTime();
  if (since < rule.standardMs) return { open: true };
  if (author === 'human' && since < rule.humanAgentMs) return { open: true, tag: HUMAN_AGENT_TAG };
  const hours = Math.floor(since / HOUR);
  // Say the limit that applies to who is writing: an agent reading "24 h" after 8 days would think the rule wrong.
  const limit = author === 'human' ? `a person's replies: ${rule.humanAgentMs / DAY} days` : 'automated messages: 24 h';
  return { open: false, reason: `${rule.name} window closed: the customer last wrote ${hours} h ago (${limit})` };
}

/** The console's view of a person's reply window: open (untagged), tagged (HUMAN_AGENT until closesAt), or closed. */
export interface ReplyWindow {
  channel: string;
  state: 'open' | 'tagged' | 'closed';
  lastCustomerMessageAt: Date | null;
  /** When a person's reply stops going through (7 days after the customer's last message). */
  closesAt: Date | null;
  /** When the untagged 24 hours end. */
  standardEndsAt: Date | null;
  /** Measured on the server's clock, so the console needs no clock of its own. */
  sinceMs: number | null;
  closesInMs: number | null;
  reason?: string;
}

/** Null on channels without a window; otherwise what dmWindow would answer for a person's reply now, with its deadlines. */
export function replyWindowOf(channelId: string, lastCustomerMessageAt: Date | undefined, now: Date): ReplyWindow | null {
  const rule = RULES[channelId];
  if (!rule) return null;
  const verdict = dmWindow({ channelId, ...(lastCustomerMessageAt && { lastCustomerMessageAt }), now, author: 'human' });
  const last = lastCustomerMessageAt ? new Date(lastCustomerMessageAt) : null;
  return {
    channel: rule.name,
    state: !verdict.open ? 'closed' : verdict.tag ? 'tagged' : 'open',
    lastCustomerMessageAt: last,
    closesAt: last && new Date(last.getTime() + rule.humanAgentMs),
    standardEndsAt: last && new Date(last.getTime() + rule.standardMs),
    sinceMs: last && now.getTime() - last.getTime(),
    closesInMs: last && last.getTime() + rule.humanAgentMs - now.getTime(),
    ...(!verdict.open && { reason: verdict.reason }),
  };
}
