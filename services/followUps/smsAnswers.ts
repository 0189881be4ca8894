/**
 * What the inbound SMS door texts back (one TwiML <Message>), by what the customer's text did. The brand first,
 * the ticket reference, within two segments; never the customer's own words or any other personal data.
 * Keywords (STOP/START/HELP…) get nothing here: Twilio confirms those itself, and a second text would double it.
 */
import { fitsSms, toGsmPunctuation } from './smsSegments';

/** The outcomes worth a text back; an update, a thanks or a kept line reach the team, who answer themselves. */
export type AnsweredOutcome = 'opted_out' | 'withdrawal_noted' | 'rating' | 'feedback' | 'reopened' | 'opened';

/** Candidates from the richest to the leanest; the first that fits two segments is sent. */
const WORDINGS: Record<AnsweredOutcome, Array<(brand: string, ref: string) => string>> = {
  // CTIA: one confirmation naming the sender, saying what stops and how to resume.
  opted_out: [
    (brand, ref) => `${brand}: You will get no more texts from us about ${ref}. Reply START to resume.`,
    (brand) => `${brand}: No more texts from us. Reply START to resume.`,
  ],
  withdrawal_noted: [
    (brand, ref) => `${brand}: Thanks for letting us know. Our team will close ${ref}. If it is not sorted after all, just reply to this text.`,
    (brand, ref) => `${brand}: Thanks, our team will close ${ref}. Reply if it is not sorted.`,
  ],
  rating: [(brand, ref) => `${brand}: Thanks for your rating of ${ref}.`, (brand) => `${brand}: Thanks for your rating.`],
  feedback: [(brand, ref) => `${brand}: Thanks for your feedback on ${ref}.`, (brand) => `${brand}: Thanks for your feedback.`],
  reopened: [
    (brand, ref) => `${brand}: We have reopened ${ref} and our team will be in touch.`,
    (brand, ref) => `${brand}: We have reopened ${ref}.`,
  ],
  opened: [
    (brand, ref) => `${brand}: Thanks, we have opened a new ticket, ${ref}, for your message. Our team will be in touch.`,
    (brand, ref) => `${brand}: We have opened ticket ${ref}.`,
  ],
};

export function isAnswered(outcome: string): outcome is AnsweredOutcome {
  return Object.hasOwn(WORDINGS, outcome);
}

/** The text for this outcome within two segments; undefined if even the leanest wording cannot fit (a brand name of 300 characters). */
export function smsAnswerText(outcome: AnsweredOutcome, brand: string, ref: string): string | undefined {
  for (const wording of WORDINGS[outcome]) {
    const text = toGsmPunctuation(wording(brand.trim(), ref));
    if (fitsSms(text)) return text;
  }
  return undefined;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Twilio's messaging answer: one <Message> with the text escaped, or an empty <Response/> (no text back). */
export function twimlOf(text: string | undefined): string {
  if (!text) return EMPTY_TWIML;
  // Characters XML 1.0 forbids (control codes) would make the document unreadable to Twilio: dropped.
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${clean.replace(/[&<>"']/g, (char) => XML_ESCAPES[char])}</Message></Response>`;
}
