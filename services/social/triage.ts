/**
 * Triage of one public post: needs care, praise, or noise, with the reason in words. Rules are data
 * (word lists, extendable from config); sentiment comes from the `sentiment` package (AFINN-165).
 * Order of the rules matters: noise that must never be answered first, then complaints, then praise.
 */
import { createHash } from 'node:crypto';
import Sentiment from 'sentiment';
import type { PublicPost, TriageResult } from './types';

export interface TriageRules {
  /** Words/phrases that make a post a complaint by themselves ("broke", "never arrived", "refund"). */
  complaint: string[];
  /** Subjects of care (orders, delivery, refunds, damage); a question or negative tone about one needs care. */
  subjects: Record<string, string[]>;
  praise: string[];
  /** Spam and giveaway patterns: never answered. */
  spam: string[];
  /** Product names worth recording as topic hints. */
  products: string[];
  /** Sentiment at or below this (AFINN score) is a complaint even without a listed word. */
  negativeScore: number;
}

export const DEFAULT_TRIAGE_RULES: TriageRules = {
  complaint: [
    'broke', 'broken', 'damaged', 'smashed', 'cracked', 'missing', 'lost', 'never arrived', 'not arrived', "hasn't arrived", 'not delivered',
    "wasn't", "hasn't moved", "hasn't been", 'still nothing', 'still waiting', 'no reply', 'no response', 'nobody', 'no one', 'refund',
    'money back', 'wrong item', 'wrong size', 'overcharged', 'charged twice', 'late', 'delayed', 'stuck', 'cancelled', 'worst', 'terrible',
    'awful', 'disappointed', 'unacceptable', 'ridiculous', 'scam', 'complaint', 'take responsibility', 'where is my',
  ],
  subjects: {
    delivery: ['parcel', 'package', 'delivery', 'delivered', 'tracking', 'courier', 'shipping', 'shipped', 'arrived', 'layover', 'baggage'],
    order: ['order', 'ordered', 'prepaid', 'purchase', 'bought'],
    refund: ['refund', 'money back', 'charged', 'payment', 'return'],
    damage: ['broke', 'broken', 'damaged', 'smashed', 'cracked'],
    service: ['customer care', 'customer service', 'support', 'calls', 'emails', 'call centre', 'call center'],
  },
  praise: ['thanks', 'thank you', 'thx', 'love', 'loved', 'great', 'awesome', 'amazing', 'excellent', 'brilliant', 'fantastic', 'kudos', 'well done', '❤️', '🙏', '👏'],
  spam: ['giveaway', 'win a free', 'click here', 'follow back', 'followback', 'crypto', 'airdrop', 'dm me for', 'promo code', 'onlyfans', 'check my profile'],
  products: ['guitar', 'trail runners', 'shoes', 'sneakers', 'phone', 'laptop', 'jacket'],
  negativeScore: -3,
};

export interface TriageContext {
  /** The brand's own account ids on every platform. */
  brandIds: string[];
  /** The brand's handles, lower case without "@". */
  brandHandles: string[];
}

type Matcher = (text: string) => string[];

/** Whole-word, case-insensitive phrase matching; built once per rule set. */
function matcher(phrases: string[]): Matcher {
  if (phrases.length === 0) return () => [];
  const escaped = phrases.map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’]"));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return (text) => [...new Set((text.match(pattern) ?? []).map((hit) => hit.toLowerCase().replace(/’/g, "'")))];
}

export class Triage {
  readonly rulesVersion: string;
  private readonly sentiment = new Sentiment();
  private readonly complaint: Matcher;
  private readonly praise: Matcher;
  private readonly spam: Matcher;
  private readonly products: Matcher;
  private readonly subjects: Array<[string, Matcher]>;

  constructor(
    private readonly rules: TriageRules,
    private readonly context: TriageContext,
  ) {
    this.rulesVersion = createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 12);
    this.complaint = matcher(rules.complaint);
    this.praise = matcher(rules.praise);
    this.spam = matcher(rules.spam);
    this.products = matcher(rules.products);
    this.subjects = Object.entries(rules.subjects).map(([name, words]) => [name, matcher(words)]);
  }

  decide(post: PublicPost): TriageResult {
    const text = post.text;
    const { score, comparative } = this.sentiment.analyze(text);
    const subjects = this.subjects.filter(([, match]) => match(text).length > 0).map(([name]) => name);
    const hashtags = (post.hashtags ?? [...text.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1])).map((tag) => tag.toLowerCase());
    const topics = { hashtags: [...new Set(hashtags)], products: this.products(text), subjects };
    const result = (decision: TriageResult['decision'], reason: string): TriageResult => ({
      decision,
      reason,
      sentiment: { score, comparative: Math.round(comparative * 1000) / 1000 },
      topics,
    });
    const about = subjects.length > 0 ? ` about ${subjects.join(', ')}` : '';

    if (this.context.brandIds.includes(post.authorId)) return result('noise', "the brand's own post");
    if (post.isRepost || /^RT @/i.test(text)) return result('noise', 'a repost of another post');
    const spam = this.spam(text);
    if (spam.length > 0) return result('noise', `spam (${spam.join(', ')})`);
    if (!this.addressedToBrand(post)) return result('noise', 'not addressed to the brand');

    const complaints = this.complaint(text);
    if (complaints.length > 0) return result('needs_care', `complaint${about} (${complaints.slice(0, 3).join(', ')})`);
    if (score <= this.rules.negativeScore) return result('needs_care', `negative tone${about} (sentiment ${score})`);
    const question = /\?/.test(text);
    if (subjects.length > 0 && (question || score < 0)) return result('needs_care', `question${about}`);
    const praise = this.praise(text);
    if (praise.length > 0 || score >= 2) return result('praise', praise.length > 0 ? `thanks/praise (${praise.slice(0, 3).join(', ')})` : `positive tone (sentiment ${score})`);
    if (question) return result('needs_care', 'a question to the brand');
    return result('noise', 'nothing to act on');
  }

  private addressedToBrand(post: PublicPost): boolean {
    if (post.onBrandSurface) return true;
    if (post.addressedTo?.some((id) => this.context.brandIds.includes(id))) return true;
    const mentions = [...post.text.matchAll(/@([A-Za-z0-9_.]+)/g)].map((m) => m[1].toLowerCase());
    return mentions.some((handle) => this.context.brandHandles.includes(handle));
  }
}

/** Default rules plus the operator's additions (comma-separated lists from config). */
export function rulesWithExtras(extras: { complaint?: string[]; praise?: string[]; spam?: string[]; products?: string[] }): TriageRules {
  return {
    ...DEFAULT_TRIAGE_RULES,
    complaint: [...DEFAULT_TRIAGE_RULES.complaint, ...(extras.complaint ?? [])],
    praise: [...DEFAULT_TRIAGE_RULES.praise, ...(extras.praise ?? [])],
    spam: [...DEFAULT_TRIAGE_RULES.spam, ...(extras.spam ?? [])],
    products: [...DEFAULT_TRIAGE_RULES.products, ...(extras.products ?? [])],
  };
}
