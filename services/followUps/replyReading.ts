/**
 * Reading what a customer writes once a ticket exists: a satisfaction score, a plain acknowledgement,
 * "when will you reply?", or words that say the problem is not solved. Pure text rules, no turn model.
 */
import { normaliseWords } from '../recognition/words';

export interface Rating {
  score: number;
  comment?: string;
}

/** Emoji presentation selectors, zero-width joiners and skin tones change nothing about a ⭐ or a 👍. */
const EMOJI_MODIFIERS = /[\uFE0E\uFE0F\u200D\u{1F3FB}-\u{1F3FF}]/gu;
const WORD_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, ten: 10 };
/** "I would give it a", "I'd rate you", "my rating is", "a solid": what may come before the number. */
const RATING_LEAD =
  /^(?:(?:i\s*(?:would|'d|’d|d|will|'ll|’ll)?\s*)?(?:give|rate)\s+(?:(?:it|you|u|this|that|them|you guys|the service|your service)\s+)?(?:(?:a|an)\s+)?|(?:my\s+)?(?:rating|score)(?:\s+(?:is|would be))?\s*[:=-]?\s*|(?:a\s+)?(?:solid|strong|definite|clear|easy)\s+)/i;
const RATING_NUMBER = /^(\d{1,2}(?:[.,]\d+)?|one|two|three|four|five|ten)\b(?:\s*(?:\/|out of|of)\s*(5|10|five|ten)\b)?(?:\s*(?:stars?|points?))?/i;

/**
 * "4", "5 - quick and kind", "3/5 ok", "five stars", "I would give it a 4", "⭐️⭐️⭐️⭐️", "10/10".
 * Scores are 1–5: "x/10" is halved, and halves round up (4.5 → 5, 7/10 → 4), so a customer between two
 * scores gets the kinder one. A bare number above 5 names no scale and is not read as a rating.
 */
export function parseRating(text: string): Rating | undefined {
  const plain = text.replace(EMOJI_MODIFIERS, '').trim();
  const stars = /^((?:⭐|★|🌟){1,5})\s*(.*)$/su.exec(plain);
  if (stars) return withComment([...stars[1]].length, stars[2]);
  const afterLead = plain.replace(RATING_LEAD, '');
  const match = RATING_NUMBER.exec(afterLead);
  if (!match) return undefined;
  const rest = afterLead.slice(match[0].length);
  // "4.5.2" or "5th": the number is part of something else.
  if (/^[.,]?\d/.test(rest) || /^\p{L}/u.test(rest)) return undefined;
  const value = Number(WORD_NUMBERS[match[1].toLowerCase()] ?? match[1].replace(',', '.'));
  const scale = match[2] ? (WORD_NUMBERS[match[2].toLowerCase()] ?? Number(match[2])) : 5;
  if (!Number.isFinite(value) || value > scale) return undefined;
  if (scale === 5 && value < 1) return undefined;
  const score = Math.min(5, Math.max(1, Math.round((value * 5) / scale)));
  return withComment(score, rest);
}

function withComment(score: number, rest: string): Rating {
  // "5!!! thanks so much": the exclamation belongs to the score, not the comment.
  const comment = rest.replace(/^[\s!.,:;)\]\-–—~]+/u, '').trim().slice(0, 2000);
  return comment ? { score, comment } : { score };
}

const POSITIVE_EMOJI = /^(?:[👍👌🙏❤♥💙💚💜🧡💛😊🙂😀😃😄😁😍🥰🤗👏🎉💯✅✔⭐🌟😎🤝🫶]|\s)+$/u;
/** Phrases that ride along with a thank-you ("for letting me know", "so much"). */
const ACK_FILLERS =
  /\b(for (letting me know|the (update|updates|info|information|help|reply|news|quick reply)|your (help|reply|time)|that|this|everything|all (your|the) help)|so much|very much|a lot|a million|again|in advance|you guys|guys|team|mate|then|anyway|for now|much appreciated)\b/g;
const ACK_WORDS = new Set(
  (
    'ok okay k kk okie oki alright right sure fine cool great perfect nice good awesome brilliant lovely excellent super wonderful amazing ' +
    'thanks thank thankyou thx ty tysm cheers ta appreciated appreciate it you bye goodbye noted understood got sounds will do no worries ' +
    'problem np yes yep yeah that s is oh ah wow haha lol much that great all well done'
  ).split(' '),
);
/** At least one of these must be said: "you" or "it" alone is no acknowledgement. */
const ACK_CORE =
  /\b(ok|okay|k|kk|okie|oki|alright|right|sure|fine|cool|great|perfect|nice|good|awesome|brilliant|lovely|excellent|super|wonderful|amazing|thanks|thank|thankyou|thx|ty|tysm|cheers|ta|appreciated|appreciate|bye|goodbye|noted|understood|got|worries|np)\b/;

/** "thanks", "ok", "great", "👍", "thank you so much!", "ok thanks for letting me know". */
export function isAcknowledgement(text: string): boolean {
  const plain = text.replace(EMOJI_MODIFIERS, '').trim();
  if (plain && POSITIVE_EMOJI.test(plain)) return true;
  const words = normaliseWords(plain).replace(ACK_FILLERS, ' ').split(' ').filter(Boolean);
  return words.length > 0 && words.length <= 8 && words.every((word) => ACK_WORDS.has(word)) && ACK_CORE.test(words.join(' '));
}

export function saysThanks(text: string): boolean {
  return /\b(thanks?|thank you|thankyou|thx|ty|tysm|cheers|ta|appreciated?)\b|🙏/u.test(text.toLowerCase());
}

/** "when will you reply?", "how long will this take?", "is anyone there?" */
export function asksWhenReply(text: string): boolean {
  const words = normaliseWords(text);
  if (words.split(' ').length > 14) return false;
  return /^(so |and |hi |hey |hello )?(when (will|are|do|can|is|does|should|would|ll|d|might)\b|how (long|soon|much longer)\b|any idea (when|how long)\b|is (anyone|anybody|someone|somebody) (there|looking|working|going)\b|has (anyone|anybody|someone|somebody) (looked|seen|read))/.test(words);
}

/** Not a complaint although they contain "not"/"no": "not bad", "no problems", "can't complain". */
const HAPPY_NEGATIONS = /\b(not (too |that |so )?bad|no (problem|problems|issues?|complaints?|worries)|can t complain|couldn t be better|nothing wrong|not at all)\b/g;
/** The problem is still there, or a new one: these reopen a resolved ticket. */
const STILL_A_PROBLEM =
  /\b(still|not|never|no longer|didn t|did not|doesn t|does not|don t|isn t|is not|wasn t|was not|hasn t|has not|haven t|have not|won t|can t|cannot|couldn t|nothing|broken|broke|damaged|missing|wrong|empty|wet|torn|smashed|cracked|faulty|defective|lost|stolen|refund|return|replacement|reopen|unresolved|problem|issue)\b/;

/** "no it's still broken", "not fixed", "never arrived", "didn't work", "the box is empty". */
export function saysStillAProblem(text: string): boolean {
  return STILL_A_PROBLEM.test(normaliseWords(text).replace(HAPPY_NEGATIONS, ' '));
}
