/**
 * Plain keyword intents. Interruptions only fire on short messages so that a description such as
 * "I asked a person at the depot and they said…" is never mistaken for "agent".
 */
import type { PromptValidatorContext } from 'botbuilder-dialogs';
import { normaliseWords } from '../services/recognition/words';
import { REF_ALPHABET } from '../services/tickets/ticketRef';

export type Interruption = 'help' | 'cancel' | 'restart' | 'human' | 'status';

const SHORT = 8; // words, once greetings and "please" are set aside


/** "hi, …, please": politeness around a request, so "hey can I talk to someone pls" reads as the request itself. */
function withoutPoliteness(clean: string): string {
  return clean
    .replace(/^((hi|hello|hey|hiya|ok|okay|so|um|erm|please|sorry|excuse me)( there)? )+/, '')
    .replace(/( (please|pls|plz|thanks|thank you|thx|now|right now|asap|immediately))+$/, '');
}

/** Who a customer asks for: "a real person", "live agent", "customer service", "someone". */
const PERSON =
  '(an? |the |your |some )?(real |actual |live |proper |human )?' +
  '(agent|human|human being|person|representative|rep|someone|somebody|operator|manager|supervisor|staff|staff member|team member|' +
  'customer (service|support|care)( team| agent| rep| representative| person)?|support (team|agent|staff|person)|live chat)';
/** How they ask: "I need", "can I talk to", "get me", "put me through to"; nothing at all ("live agent"). */
const ASK_FOR =
  '((i )?(really )?(want|need|would like|d like|wanna)( to (talk|speak|chat))?( to| with)?|' +
  '(can|could|may) (i|we) (please )?(talk|speak|chat|get|have)( to| with)?|' +
  '(let me|i ll|i will|i d rather) (talk|speak|chat)( to| with)|' +
  '(talk|speak|chat)( to| with)?|(get|give|find) me|(put|connect|transfer|pass) me (through )?(to|with)|is there) ';

/** What a status question is about; orders, parcels and refunds may be what went wrong rather than a ticket. */
const TICKET_WORDS = '(ticket|case|complaint|request|report|ref|reference)';
const ORDER_WORDS = '(order|parcel|package|delivery|refund|item|stuff)';
const SUBJECT = `(my |the |our )?(${TICKET_WORDS}|${ORDER_WORDS})s?`;
const WHAT_IS = '(what s|whats|what is)';
const STATUS_QUESTIONS = [
  `${WHAT_IS} (the )?(status|progress|latest)( (of|on|with|for) ${SUBJECT})?`,
  `(the )?(status|progress|news|updates?)( (of|on|with|for|about) ${SUBJECT})?`,
  `${SUBJECT} (status|updates?)`,
  `(check|see|get|show|view)( me)?( on)? (${SUBJECT}( status)?|(the )?status( of ${SUBJECT})?)`,
  `(any|is there any|are there any|got any|have you got any) (news|updates?|progress)( (on|about|with|for) ${SUBJECT})?`,
  `${WHAT_IS} (happening|going on) (with|to) ${SUBJECT}`,
  `(where (is|s|are)|wheres) ${SUBJECT}`,
  `(how (is|s)|hows) ${SUBJECT} (going|doing|coming along|getting on)`,
];

const INTERRUPTIONS: Array<[Interruption, RegExp]> = [
  ['help', /^(help|help me|what can you do|\?+|menu|options)( please)?$/],
  ['restart', /^(start over|start again|restart|reset|begin again)( please)?$/],
  ['cancel', /^(cancel|stop|quit|exit|never ?mind|forget it)( (it|this|that|please))*$/],
  ['human', new RegExp(`^(${ASK_FOR})?${PERSON}$`)],
  ['status', new RegExp(`^(${STATUS_QUESTIONS.join('|')})$`)],
];

/** "CS-7K3M9Q", "cs 7k3m9q", "#CS7K3M9Q" (the # is gone after normaliseWords). */
function ticketRefPattern(ticketPrefix: string): string {
  return `${ticketPrefix.toLowerCase()}[\\s-]?[0-9a-z]{6}`;
}

/** A reference with nothing around it must look like one (a letter among its six), since "CS-234679" may be an order number. */
function bareTicketRefPattern(ticketPrefix: string): string {
  const alphabet = REF_ALPHABET.toLowerCase();
  return `${ticketPrefix.toLowerCase()}[\\s-]?(?=[${alphabet}]*[a-z])[${alphabet}]{6}`;
}

export function detectInterruption(text: string | undefined, ticketPrefix: string): Interruption | undefined {
  if (!text) return undefined;
  const clean = withoutPoliteness(normaliseWords(text));
  if (clean === '' || clean.split(' ').length > SHORT) return undefined;
  for (const [intent, pattern] of INTERRUPTIONS) if (pattern.test(clean)) return intent;
  const ref = ticketRefPattern(ticketPrefix);
  // A reference pasted on its own, or "my ticket is CS-7K3M9Q", asks for that ticket.
  if (new RegExp(`^((my )?(ticket|ref|reference|case)( number| no| ref)?( is)? |it s |its )?${bareTicketRefPattern(ticketPrefix)}$`).test(clean)) return 'status';
  // "where is CS-7K3M9Q", "status of cs 7k3m9q"
  if (new RegExp(`\\b${ref}\\b`).test(clean) && /\b(where|status|update|what|how)\b/.test(clean)) {
    return 'status';
  }
  return undefined;
}

/**
 * A status question about the order ("where is my order") rather than a ticket: from a customer with no
 * ticket at all it is their problem (the order has not come), not a request for a status.
 */
export function asksAboutOrderOnly(text: string | undefined, ticketPrefix: string): boolean {
  if (detectInterruption(text, ticketPrefix) !== 'status') return false;
  const clean = normaliseWords(text ?? '');
  if (new RegExp(`\\b${ticketRefPattern(ticketPrefix)}\\b`).test(clean)) return false;
  return new RegExp(`\\b${ORDER_WORDS}s?\\b`).test(clean) && !new RegExp(`\\b${TICKET_WORDS}s?\\b`).test(clean);
}

export type MenuChoice = 'report' | 'status' | 'human';

/**
 * The whole answer must be the pick: "3 items missing" or "person at the door said…" is a description,
 * so these never match on a first word alone.
 */
export function detectMenuChoice(text: string | undefined): MenuChoice | undefined {
  const clean = withoutPoliteness(normaliseWords(text ?? '')).replace(/^(option|number) /, '');
  if (/^(1|one|(i want to |i d like to )?(report|report a problem|report an issue|complain|make a complaint)|problem|a problem|complaint|i have a problem)( with (my|an|the) (order|parcel|delivery|package))?$/.test(clean)) return 'report';
  if (/^(2|two|check|status|check a ticket|check a ticket s status|check a ticket status|check status|check ticket status)$/.test(clean)) return 'status';
  if (/^(3|three|talk|talk to a person|person|human|agent)$/.test(clean)) return 'human';
  return undefined;
}

/** Words of a request for help that says nothing about what happened ("hi, can you help me with my order please"). */
const GENERIC_HELP_WORDS = new Set(
  ('hi hello hey there good morning afternoon evening i im i m need needed want would like d some help helping assistance assist ' +
    'support question query issue problem trouble with can could you u me please pls plz get have got a an my the this regarding ' +
    'about re thanks thank hoping hope to is it')
    .split(' '),
);
const ORDER_NOUNS = new Set(['order', 'orders', 'parcel', 'package', 'delivery', 'shipment', 'purchase']);

/**
 * "need help" (any) or "I need help with my order" (order): a request for help that does not yet say what went wrong,
 * so it is no description; undefined when the message says more.
 */
export function genericHelpRequest(text: string | undefined): 'any' | 'order' | undefined {
  const words = normaliseWords(text ?? '').split(' ').filter((word) => word !== '');
  const rest = words.filter((word) => !GENERIC_HELP_WORDS.has(word));
  if (words.length === 0 || !words.some((word) => /^(help|helping|assistance|assist|support|question|query|issue|problem|trouble)$/.test(word))) return undefined;
  if (rest.length === 0) return 'any';
  return rest.every((word) => ORDER_NOUNS.has(word)) ? 'order' : undefined;
}

/** What went wrong, in a word: enough to make a two- or three-word first message ("never arrived", "wrong item") a story. */
const PROBLEM_WORD =
  /\b(broken|broke|damaged|smashed|cracked|crushed|dented|scratched|torn|leaking|faulty|defective|missing|lost|stolen|late|delayed|wrong|refund|never|not (arrived|received|delivered|working)|didn t (arrive|come)|hasn t (arrived|come))\b/;

/** "never arrived", "wrong item sent": too short for a description by length alone, yet it says what happened. */
export function isShortStory(text: string | undefined): boolean {
  const clean = normaliseWords(text ?? '');
  const words = clean.split(' ').length;
  return words >= 2 && words < 4 && PROBLEM_WORD.test(clean);
}

/** "broken", "refund", "missing": one word that says something went wrong, but not yet what. */
export function isProblemWord(text: string | undefined): boolean {
  const clean = normaliseWords(text ?? '');
  return clean !== '' && !clean.includes(' ') && PROBLEM_WORD.test(clean);
}

export function isGreetingOnly(text: string | undefined): boolean {
  return /^(hi|hello|hey|hiya|good (morning|afternoon|evening)|yo|hallo|hola|bonjour|get started|start)( there| team| acme)?$/.test(normaliseWords(text ?? ''));
}

/** A thumbs-up or tick on its own says yes (skin tones and variation selectors allowed); normaliseWords drops emoji. */
const YES_EMOJI = /^\s*(?:👍|👌|✅|✔|☑|🆗)[\u{1F3FB}-\u{1F3FF}\uFE0F\s!]*$/u;
const NO_EMOJI = /^\s*(?:👎|❌|✖|🙅)[\u{1F3FB}-\u{1F3FF}\uFE0F\u200D♀♂\s!]*$/u;

/** Whole answers that mean yes but do not start with a yes word ("sounds good", "perfect", "go for it"); thanks may follow. */
const YES_WHOLE = new RegExp(
  '^(yes+|yess+|ya|yah|yea|k|kk|okey|okie|alright|all right|of course|absolutely|definitely|certainly|exactly|spot on|affirmative|please|' +
    '(sounds|looks) (good|great|fine|right|ok|okay|correct|perfect)|perfect|great|fine|good|brilliant|lovely|excellent|cool|awesome|' +
    'go|go on|go on then|go for it|open it|open the ticket|submit|submit it|send it|' +
    '(that s|that is|it s|it is|all|everything s|everything is) (correct|right|fine|ok|okay|good|perfect|it))' +
    '( (thanks|thank you|thx|ty|please|pls|mate))*$',
);

/** "no problem", "no worries", "not a problem": yes, though they start with "no" and hold "problem" and "not". */
const NO_PROBLEM = /\b(no problem|no problems|no probs?|no worries|not a problem|no bother|np)\b/g;

/** The words with the "no problem" idioms taken out, for the checks that would misread them. */
function withoutNoProblem(clean: string): string {
  return clean.replace(NO_PROBLEM, ' ').replace(/\s+/g, ' ').trim();
}

export function isYes(text: string | undefined): boolean {
  if (YES_EMOJI.test(text ?? '')) return true;
  const clean = normaliseWords(text ?? '');
  if (new RegExp(`^${NO_PROBLEM.source}`).test(clean)) return true;
  return /^(y|yes|yeah|yep|yup|sure|ok|okay|correct|right|that s right|looks good|confirm|go ahead|please do|do it|all good)\b/.test(clean) || YES_WHOLE.test(clean);
}

export function isNo(text: string | undefined): boolean {
  if (NO_EMOJI.test(text ?? '')) return true;
  const clean = normaliseWords(text ?? '');
  if (new RegExp(`^${NO_PROBLEM.source}`).test(clean)) return false;
  return /^(n|no|nope|nah|not really|not quite|not right|not correct|wrong|incorrect|that s (wrong|not right|incorrect)|that is (wrong|not right|incorrect))\b/.test(clean);
}

export function saysNoneOrSkip(text: string | undefined): boolean {
  return /\b(skip|don t have|dont have|do not have|no idea|not sure|can t find|cant find|lost it|none|n a)\b/.test(normaliseWords(text ?? ''));
}

/** "yes but the e-mail is wrong" asks for a change; "yes, email is fine" does not. */
export function asksForChange(text: string | undefined): boolean {
  return /\b(change|wrong|incorrect|fix|update|different|edit|new|but|not|instead|actually|typo|mistake)\b/.test(withoutNoProblem(normaliseWords(text ?? '')));
}

export type CorrectableField = 'orderNumber' | 'email' | 'phone' | 'description' | 'contact';

/** "change my email", "the order number is wrong", "fix phone" → which field to ask again. */
export function detectCorrection(text: string | undefined): CorrectableField | undefined {
  const clean = withoutNoProblem(normaliseWords(text ?? ''));
  // Common slips of the thumb count too ("emial", "oder", "fone").
  if (/\b(e-?mail|emial|emal|e-?mial|mail address|e-?mail address)\b/.test(clean)) return 'email';
  if (/\b(phone|fone|phn|mobile|cell|number to call)\b/.test(clean)) return 'phone';
  if (/\b(order|oder|ordr|orer)( number| no| id)?\b/.test(clean)) return 'orderNumber';
  if (/\b(description|problem|what happened|details|story)\b/.test(clean)) return 'description';
  if (/\b(contact|reach me)\b/.test(clean)) return 'contact';
  return undefined;
}

/**
 * Validator for yes/no prompts: the SDK's confirm recognizer misses "fine", "of course", "please do", "yea" and reads
 * "no problem" as no; isYes/isNo decide when they can, so every yes/no question understands the summary's words.
 */
export async function readYesNo(prompt: PromptValidatorContext<boolean>): Promise<boolean> {
  const text = prompt.context.activity.text;
  // Ours first: the SDK reads "no problem" and "no worries" as no.
  const answer = isNo(text) ? false : isYes(text) ? true : undefined;
  if (answer === undefined) return prompt.recognized.succeeded;
  prompt.recognized.value = answer;
  return true;
}
