/**
 * What the brand says in public and in the first private message. Short, warm, names the customer,
 * never quotes the post and never asks for details in public. Openings and invitations rotate
 * together, so two customers in a row never read the same sentence. Every piece of prose passes
 * `redact` (order numbers, e-mails, phones) as a safety net before a link is appended. Only `gistOf`, for the
 * private DM to the post's own author, quotes the post, in the customer's own words.
 */
import { randomInt } from 'node:crypto';
import { withoutLeadingMentions } from './messageParts';
import { PLATFORM_NAMES, type SocialPlatform } from './types';

const OPENINGS = [
  'Hi {name}, I\'m really sorry to hear this.',
  '{name}, that\'s not the experience we want for you, and I\'m sorry.',
  'Sorry to read this, {name}. Let\'s put it right.',
  'Hi {name}, thank you for flagging this, and sorry for the trouble.',
  '{name}, I\'m sorry this has been so frustrating.',
];

/** The same openings for a customer whose name we cannot use: no "Sorry to read this, there." */
const NAMELESS_OPENINGS = [
  'I\'m really sorry to hear this.',
  'That\'s not the experience we want for you, and I\'m sorry.',
  'Sorry to read this. Let\'s put it right.',
  'Thank you for flagging this, and sorry for the trouble.',
  'I\'m sorry this has been so frustrating.',
];

const X_INVITES = [
  'Could you send us a DM so we can look into it privately?',
  'Please DM us here and we\'ll pick it up with you, no need to share any details in public.',
  'Drop us a private message and we\'ll take it from there.',
  'Let\'s continue in DM so we can check the details safely.',
];

const COMMENT_INVITES = [
  'We\'ve sent you a private message so we can help.',
  'Please check your messages: we\'ve written to you privately.',
  'We\'ve messaged you privately so we can sort this out together.',
];

/** Under a comment we could not message privately (past Meta's 7 days, or the Private Reply failed): no claim of a message. */
const COMMENT_INVITES_TO_WRITE = [
  'Please send us a private message and we\'ll sort it out together.',
  'Drop us a private message and we\'ll take it from there, no need to share any details here.',
  'Message us privately and we\'ll pick it up with you.',
];

const PRIVATE_SORRY = ['I\'m sorry about what happened.', 'I\'m sorry you\'ve had this trouble.', 'We\'re sorry it came to this.'];

const PRIVATE_LINK_INVITES = [
  'Tap the link to continue with us in {where}, so we can sort it out without you repeating the story:',
  'This link opens a chat with us in {where}, where we already have your comment to hand:',
];

const PRIVATE_REPLY_INVITES = ['Just reply here and we\'ll sort it out together.', 'Reply to this message and we\'ll pick it up from here.'];

const PRIVATE_OPENINGS = [
  'Hi {name}, this is the {brand} support team, following up on your comment.',
  'Hello {name}, {brand} support here. We saw your comment and want to help.',
  'Hi {name}, it\'s {brand} support, writing about your comment.',
];

const NAMELESS_PRIVATE_OPENINGS = [
  'Hi, this is the {brand} support team, following up on your comment.',
  'Hello, {brand} support here. We saw your comment and want to help.',
  'Hi, it\'s {brand} support, writing about your comment.',
];

/** What `displayName` answers when no name is usable; the composer then picks wording without a name. */
export const NAMELESS = 'there';

const openings = (name: string) => (name === NAMELESS ? NAMELESS_OPENINGS : OPENINGS);

export interface ReplyComposerOptions {
  brandName: string;
  redact: (text: string) => string;
  /** Where the rotation starts; random by default so restarts do not reset everyone to the first template. */
  start?: number;
}

export interface XReplyInput {
  name: string;
  brandUserId: string;
  token: string;
}

export class ReplyComposer {
  /** One rotation per kind of message, so interleaving kinds never lines two customers up on one sentence. */
  private readonly turns = new Map<string, number>();
  private readonly start: number;

  constructor(private readonly options: ReplyComposerOptions) {
    this.start = options.start ?? randomInt(0, 1_000_000);
  }

  /** The public reply on X, ending in the DM compose link whose prefilled text carries the token. */
  xPublicReply(input: XReplyInput): string {
    const n = this.next('x');
    const prose = this.prose(`${pick(openings(input.name), n)} ${pick(X_INVITES, n)}`, input.name);
    return `${prose} ${xDmLink(input.brandUserId, this.options.brandName, input.token)}`;
  }

  /** The short public answer under a Facebook/Instagram comment (the link goes privately). */
  commentReply(name: string): string {
    const n = this.next('comment');
    return this.prose(`${pick(openings(name), n)} ${pick(COMMENT_INVITES, n)}`, name);
  }

  /** The public answer under a comment when no private message went out: it invites one instead. */
  commentReplyInvitingMessage(name: string): string {
    const n = this.next('comment');
    return this.prose(`${pick(openings(name), n)} ${pick(COMMENT_INVITES_TO_WRITE, n)}`, name);
  }

  /** The Private Reply: one message, so it says everything, with the Messenger/Instagram link when there is one. */
  privateReply(name: string, platform: SocialPlatform, link: string | undefined): string {
    const n = this.next('private');
    const where = platform === 'instagram' ? 'Instagram' : 'Messenger';
    const invite = link ? pick(PRIVATE_LINK_INVITES, n).replace('{where}', where) : pick(PRIVATE_REPLY_INVITES, n);
    const prose = this.prose(`${pick(name === NAMELESS ? NAMELESS_PRIVATE_OPENINGS : PRIVATE_OPENINGS, n)} ${pick(PRIVATE_SORRY, n)} ${invite}`, name);
    return link ? `${prose} ${link}` : prose;
  }

  private next(kind: string): number {
    const turn = this.turns.get(kind) ?? this.start;
    this.turns.set(kind, turn + 1);
    return turn;
  }

  private prose(template: string, name: string): string {
    return this.options.redact(template.replaceAll('{name}', name).replaceAll('{brand}', this.options.brandName));
  }
}

/** Consecutive turns pick different entries from every list longer than one. */
function pick(list: string[], turn: number): string {
  return list[turn % list.length];
}

export function xDmLink(brandUserId: string, brandName: string, token: string): string {
  const text = `Hi ${brandName}, about my post (ref ${token})`;
  return `https://x.com/messages/compose?recipient_id=${encodeURIComponent(brandUserId)}&text=${encodeURIComponent(text)}`;
}

export function messengerLink(pageUsernameOrId: string, token: string): string {
  return `https://m.me/${encodeURIComponent(pageUsernameOrId)}?ref=${encodeURIComponent(token)}`;
}

export function instagramLink(username: string, token: string): string {
  return `https://ig.me/m/${encodeURIComponent(username)}?ref=${encodeURIComponent(token)}`;
}

/** Titles are not names: "Dr. Priya Raman" is Priya. */
const TITLES = new Set(['dr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'sir', 'dame', 'rev', 'fr', 'mister', 'madam']);
/** Scripts whose names are written without spaces and in family-name-first order: used whole, as given. */
const CJK_NAME = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\s·・]+$/u;

/**
 * How to call the customer in public: their first name when it is a plain name (titles skipped, CJK
 * names as given), else their handle, else `NAMELESS`. Anything that looks like contact data is never used.
 */
export function displayName(authorName: string | undefined, handle: string | undefined, redact: (text: string) => string): string {
  const given = authorName?.trim() ?? '';
  const cjk = given.replace(/\s+/g, '');
  if (cjk && CJK_NAME.test(given) && cjk.length <= 12 && redact(cjk) === cjk) return cjk;
  const words = given.split(/\s+/).map((word) => word.replace(/[^\p{L}\p{M}'’-]/gu, '')).filter(Boolean);
  const first = words.find((word) => !TITLES.has(word.toLowerCase()));
  if (first && first.length >= 2 && first.length <= 30 && redact(first) === first) return first;
  const cleanHandle = handle?.replace(/^@/, '').replace(/[^A-Za-z0-9_.]/g, '');
  if (cleanHandle && redact(cleanHandle) === cleanHandle) return `@${cleanHandle}`;
  return NAMELESS;
}

/**
 * The gist a private DM opens with: the subject the rules recognised plus the customer's own first words,
 * unredacted: only the post's author ever sees it (DmLinks links a post to its author alone), and
 * "[order]" placeholders in a quote of their own post read as robotic. Never use it for anything public or logged.
 */
export function gistOf(text: string, subjects: string[]): string {
  const phrase = SUBJECT_PHRASES.find(([subject]) => subjects.includes(subject))?.[1];
  const words = withoutLeadingMentions(text).split(/\s+/).filter(Boolean);
  const snippet = words.length > 10 ? `${words.slice(0, 10).join(' ')}…` : words.join(' ');
  if (!snippet) return phrase ?? 'this';
  return phrase ? `${phrase} ("${snippet}")` : `"${snippet}"`;
}

const SUBJECT_PHRASES: Array<[string, string]> = [
  ['damage', 'the damage'],
  ['refund', 'your refund'],
  ['delivery', 'your delivery'],
  ['order', 'your order'],
  ['service', 'how this has been handled'],
];

export function platformName(platform: SocialPlatform): string {
  return PLATFORM_NAMES[platform];
}
