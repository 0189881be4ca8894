/**
 * Triage of one public post: needs care, praise, or noise, with the reason in words. Rules are data
 * (word lists, extendable from config); sentiment comes from the `sentiment` package (AFINN-165).
 * Order of the rules matters: noise that must never be answered first, then sarcasm (praise words that
 * mean the opposite), thanks for a fix (which may name the problem), complaints and requests, then praise.
 * A post in another language that needs care is marked for a person: the bot's replies are English.
 */
import { createHash } from 'node:crypto';
import Sentiment from 'sentiment';
import { CJK_CUES, cjkLanguageOf, foldAccents, LANGUAGE_NAMES, LATIN_CUES, type LanguageCues } from '../recognition/languageCues';
import { isForeignTag } from './triageLanguages';
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
  /** Asking the brand to act (call me, cancel, help): needs care whatever the tone. */
  requests?: string[];
  /** Phrases that are sarcastic whatever else the post says ("thanks for nothing"). */
  sarcasm?: string[];
  /** Emoji that read as anger or distress; alone (or without praise) they need care. */
  upsetEmoji?: string[];
  /** "Thank you for sorting my refund": thanks plus one of these is praise even though it names a problem. */
  resolution?: string[];
}

export const DEFAULT_TRIAGE_RULES: TriageRules = {
  complaint: [
    'broke', 'broken', 'damaged', 'smashed', 'cracked', 'missing', 'lost', 'losing', 'never arrived', 'not arrived', "hasn't arrived", 'not delivered',
    'never came', 'never received', 'not received',
    "wasn't", "hasn't moved", "hasn't been", 'still nothing', 'still waiting', 'no reply', 'no response', 'nobody', 'no one', 'refund',
    'money back', 'wrong item', 'wrong size', 'overcharged', 'charged twice', 'late', 'delayed', 'stuck', 'cancelled', 'worst', 'terrible',
    'awful', 'disappointed', 'unacceptable', 'ridiculous', 'scam', 'complaint', 'take responsibility', 'where is my',
    "can't log in", "can't login", "can't sign in", 'cannot log in', 'cannot login', 'cant log in', 'cant login', 'locked out',
    'crashing', 'crashes', 'crashed', 'not working', "doesn't work", "isn't working", "won't load", "won't let me", 'error', 'outage', 'glitch',
  ],
  subjects: {
    delivery: ['parcel', 'package', 'delivery', 'delivered', 'tracking', 'courier', 'shipping', 'shipped', 'arrived', 'layover', 'baggage'],
    order: ['order', 'ordered', 'prepaid', 'purchase', 'bought'],
    refund: ['refund', 'money back', 'charged', 'payment', 'return'],
    damage: ['broke', 'broken', 'damaged', 'smashed', 'cracked'],
    service: ['customer care', 'customer service', 'support', 'calls', 'emails', 'call centre', 'call center'],
    account: ['account', 'log in', 'login', 'sign in', 'password', 'app', 'website', 'subscription', 'membership'],
  },
  praise: ['thanks', 'thank you', 'thx', 'love', 'loved', 'great', 'awesome', 'amazing', 'excellent', 'brilliant', 'fantastic', 'kudos', 'well done', '❤️', '🙏', '👏'],
  spam: ['giveaway', 'win a free', 'click here', 'follow back', 'followback', 'crypto', 'airdrop', 'dm me for', 'promo code', 'onlyfans', 'check my profile'],
  products: ['guitar', 'trail runners', 'shoes', 'sneakers', 'phone', 'laptop', 'jacket'],
  negativeScore: -3,
  requests: [
    'call me', 'ring me', 'phone me', 'call me back', 'contact me', 'get in touch', 'get back to me', 'email me', 'message me', 'reach me',
    'help me', 'need help', 'please help', 'can you help', 'can someone', 'speak to someone', 'talk to someone', 'speak to a person',
    'cancel', 'unsubscribe', 'close my account', 'delete my account', 'reset my password',
  ],
  sarcasm: ['thanks for nothing', 'cheers for nothing', 'thanks a lot for nothing', 'yeah right', 'not impressed', '/s'],
  upsetEmoji: ['😡', '🤬', '😠', '😤', '😭', '😢', '😞', '😩', '😫', '😣', '😖', '💔', '👎', '❌', '🙃', '🙄', '😒', '🤦'],
  resolution: [
    'sorting', 'sorted', 'sort out', 'fixing', 'fixed', 'resolving', 'resolved', 'processing', 'processed', 'refunding', 'refunded',
    'replacing', 'replaced', 'helping', 'your help', 'the help', 'quick reply', 'quick response', 'getting back',
  ],
};

/** Emoji that turn praise words into sarcasm ("great job 🙃"). */
const SARCASM_EMOJI = ['🙃', '🙄', '😒'];
/** "for the 5th day", "third time", "two weeks late": a failure repeating, whatever the tone. */
const REPEATED_FAILURE =
  /\b(?:for the (?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|umpteenth|nth) (?:day|time|week)|(?:\d+(?:st|nd|rd|th)|third|fourth|fifth|sixth|umpteenth|nth) time|(?:\d+|two|three|four|five|six|seven|ten) (?:days|weeks) (?:late|in a row|now|and still))\b/i;
/** Words that undo "thanks for sorting it": the thanks comes with a complaint still open. */
const STILL_OPEN = ['but', 'however', 'though', 'except', 'still', 'again', 'never', 'nobody', 'no one', 'worst', 'terrible', 'awful', 'unacceptable', 'ridiculous', 'scam'];
const GRATITUDE = ['thanks', 'thank you', 'thx', 'cheers', 'grateful', 'appreciate', 'appreciated'];

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

/** Substring matching, for emoji and for scripts without spaces between words. */
function contains(phrases: string[]): Matcher {
  return (text) => phrases.filter((phrase) => text.includes(phrase));
}

interface CueMatchers {
  complaint: Matcher;
  praise: Matcher;
  subjects: Array<[string, Matcher]>;
}

function cueMatchers(cues: LanguageCues, make: (phrases: string[]) => Matcher): CueMatchers {
  return { complaint: make(cues.complaint), praise: make(cues.praise), subjects: Object.entries(cues.subjects).map(([name, words]) => [name, make(words)]) };
}

/** What the foreign-language cues found in one post. */
interface ForeignReading {
  language?: string;
  complaint: string[];
  praise: string[];
  subjects: string[];
}

export class Triage {
  readonly rulesVersion: string;
  private readonly sentiment = new Sentiment();
  private readonly complaint: Matcher;
  private readonly praise: Matcher;
  private readonly spam: Matcher;
  private readonly products: Matcher;
  private readonly requests: Matcher;
  private readonly sarcasm: Matcher;
  private readonly upsetEmoji: Matcher;
  private readonly resolution: Matcher;
  private readonly sarcasmEmoji = contains(SARCASM_EMOJI);
  private readonly gratitude = matcher(GRATITUDE);
  private readonly stillOpen = matcher(STILL_OPEN);
  private readonly subjects: Array<[string, Matcher]>;
  private readonly latin = Object.entries(LATIN_CUES).map(([language, cues]) => [language, cueMatchers(cues, (phrases) => matcher(phrases.map(foldAccents)))] as const);
  private readonly cjk = Object.entries(CJK_CUES).map(([language, cues]) => [language, cueMatchers(cues, contains)] as const);

  constructor(
    private readonly rules: TriageRules,
    private readonly context: TriageContext,
  ) {
    this.rulesVersion = createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 12);
    this.complaint = matcher(rules.complaint);
    this.praise = matcher(rules.praise);
    this.spam = matcher(rules.spam);
    this.products = matcher(rules.products);
    this.requests = matcher(rules.requests ?? []);
    this.sarcasm = matcher(rules.sarcasm ?? []);
    this.upsetEmoji = contains(rules.upsetEmoji ?? []);
    this.resolution = matcher(rules.resolution ?? []);
    this.subjects = Object.entries(rules.subjects).map(([name, words]) => [name, matcher(words)]);
  }

  decide(post: PublicPost): TriageResult {
    const text = post.text;
    const { score, comparative } = this.sentiment.analyze(text);
    const englishSubjects = this.subjects.filter(([, match]) => match(text).length > 0).map(([name]) => name);
    const complaints = this.complaint(text);
    const praise = this.praise(text);
    const foreign = this.readForeign(post, text, complaints.length + englishSubjects.length + praise.length > 0);
    const subjects = [...new Set([...englishSubjects, ...foreign.subjects])];
    const hashtags = (post.hashtags ?? [...text.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1])).map((tag) => tag.toLowerCase());
    const topics = { hashtags: [...new Set(hashtags)], products: this.products(text), subjects };
    const language = foreign.language && (LANGUAGE_NAMES[foreign.language] ?? foreign.language);
    const result = (decision: TriageResult['decision'], reason: string): TriageResult => ({
      decision,
      // The bot answers in English only: a person answers a post in another language that needs care.
      reason: decision === 'needs_care' && language ? `${reason}, in ${language}: for a person, no automatic reply in English` : reason,
      sentiment: { score, comparative: Math.round(comparative * 1000) / 1000 },
      topics,
      ...(decision === 'needs_care' && language && { forPerson: `written in ${language}` }),
    });
    const about = subjects.length > 0 ? ` about ${subjects.join(', ')}` : '';
    const list = (hits: string[]) => hits.slice(0, 3).join(', ');

    if (this.context.brandIds.includes(post.authorId)) return result('noise', "the brand's own post");
    if (post.isRepost || /^RT @/i.test(text)) return result('noise', 'a repost of another post');
    const spam = this.spam(text);
    if (spam.length > 0) return result('noise', `spam (${spam.join(', ')})`);
    if (!this.addressedToBrand(post)) return result('noise', 'not addressed to the brand');

    const sarcasm = this.sarcasm(text);
    if (sarcasm.length > 0) return result('needs_care', `sarcasm${about} (${list(sarcasm)})`);
    const sarcasmEmoji = this.sarcasmEmoji(text);
    const repeated = REPEATED_FAILURE.exec(text)?.[0];
    const allPraise = [...praise, ...foreign.praise];
    if (allPraise.length > 0 && (sarcasmEmoji.length > 0 || repeated)) return result('needs_care', `sarcasm${about} (${list([...allPraise, ...sarcasmEmoji, ...(repeated ? [repeated] : [])])})`);
    const thanks = this.thanksForAFix(text, score);
    if (thanks) return result('praise', `thanks for sorting it (${thanks})`);

    const allComplaints = [...complaints, ...foreign.complaint];
    if (allComplaints.length > 0) return result('needs_care', `complaint${about} (${list(allComplaints)})`);
    if (repeated) return result('needs_care', `complaint${about} (${repeated})`);
    const requests = this.requests(text);
    if (requests.length > 0) return result('needs_care', `request${about} (${list(requests)})`);
    if (score <= this.rules.negativeScore) return result('needs_care', `negative tone${about} (sentiment ${score})`);
    const upset = this.upsetEmoji(text);
    if (upset.length > 0 && allPraise.length === 0) return result('needs_care', `upset emoji${about} (${upset.join(' ')})`);
    const question = /[?？¿]/.test(text);
    if (subjects.length > 0 && (question || score < 0)) return result('needs_care', `question${about}`);
    if (allPraise.length > 0 || score >= 2) return result('praise', allPraise.length > 0 ? `thanks/praise (${list(allPraise)})` : `positive tone (sentiment ${score})`);
    if (question) return result('needs_care', 'a question to the brand');
    return result('noise', 'nothing to act on');
  }

  /** "Thank you so much for sorting my refund!": thanks plus a fix, nothing still open, no negative tone. */
  private thanksForAFix(text: string, score: number): string | undefined {
    const gratitude = this.gratitude(text);
    const fix = this.resolution(text);
    if (gratitude.length === 0 || fix.length === 0 || score < 0 || this.stillOpen(text).length > 0) return undefined;
    return [gratitude[0], fix[0]].join(', ');
  }

  /**
   * The post's language when it is not English (the platform's tag, else the cues it contains) and what
   * the other languages' cues found. Latin-script cues only count when no English rule matched.
   */
  private readForeign(post: PublicPost, text: string, englishMatched: boolean): ForeignReading {
    const reading: ForeignReading = { complaint: [], praise: [], subjects: [] };
    const tagged = isForeignTag(post.language) ? post.language!.toLowerCase().split(/[-_]/)[0] : undefined;
    const script = cjkLanguageOf(text);
    // English matched and nothing says another language: the reading below would be discarded.
    if (!tagged && !script && englishMatched) return reading;
    const folded = foldAccents(text);
    const candidates = script ? this.cjk.filter(([language]) => language === script) : this.latin.filter(([language]) => !tagged || language === tagged);
    let best = 0;
    for (const [language, cues] of candidates) {
      const source = script ? text : folded;
      const complaint = cues.complaint(source);
      const subjects = cues.subjects.filter(([, match]) => match(source).length > 0).map(([name]) => name);
      const praise = cues.praise(source);
      const weight = complaint.length + subjects.length + praise.length;
      if (weight <= best) continue;
      best = weight;
      Object.assign(reading, { language, complaint, subjects, praise });
    }
    if (tagged) reading.language = tagged;
    else if (script) reading.language = script;
    else if (englishMatched || best === 0) return { complaint: [], praise: [], subjects: [] };
    return reading;
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
