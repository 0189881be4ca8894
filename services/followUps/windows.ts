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
  return { open: false, reason: `${rule.name} window closed: the customer last wrote ${hours} h ago (automated messages: 24 h)` };
}
