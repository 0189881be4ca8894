/**
 * "never mind, it arrived after all", "you can close my ticket", "problem solved, thanks": the customer says
 * their problem went away. Pure text rules shared by the chat, SMS and e-mail doors. Conservative on purpose:
 * a complaint ("it arrived broken"), a request about the order ("cancel my order") or a question ("is it
 * sorted?") is never a withdrawal, and a bare "cancel"/"never mind" stays the dialogs' own stop word.
 */
import { normaliseWords } from './words';

/** Longer than this is a story, however it starts. */
const MAX_WORDS = 30;

const TICKET_NOUN = '(ticket|tickets|complaint|case|request|report|query|enquiry|inquiry|issue|claim|support request|help request)';
/** "close my ticket", "cancel the complaint", "withdraw CS-7K3M9Q", "you can close it". */
const CLOSE_VERB = '(close|closes|cancel|cancell?ed|withdraw|withdrawn|drop|delete|remove|resolve|mark)';
function asksToClose(clean: string, ref: string): boolean {
  const target = `((my|the|this|that|your|our) (${TICKET_NOUN} )?(${ref}|${TICKET_NOUN})|${ref}|${TICKET_NOUN}|it|this|that)`;
  const close = new RegExp(`\\b${CLOSE_VERB} (it |this |that )?(off )?${target}( off| as (resolved|solved|sorted|done|closed))?\\b`);
  // "you can close it" needs someone asked; "close it" alone would equally be the dialogs' stop word.
  const polite = /\b(you can|u can|you may|feel free to|please|pls|plz|go ahead and|can you|could you|can u|could u|just)\b/;
  if (new RegExp(`\\b${CLOSE_VERB} (it|this|that)\\b`).test(clean) && !new RegExp(`\\b${CLOSE_VERB} (it |this |that )?(off )?(my|the|this|that|your|our)? ?(${ref}|${TICKET_NOUN})`).test(clean)) {
    return polite.test(clean) || SORTED.test(clean);
  }
  return close.test(clean);
}

/** The problem itself went away: "it arrived after all", "found it", "problem solved", "sorted now". */
const SORTED = new RegExp(
  [
    '\\b(it|parcel|package|order|delivery|item|items|stuff|box|shipment|everything|they|all) (has |have |s |just |finally |actually |now |already |eventually )*(arrived|turned up|came|showed up|got here|been delivered|was delivered|were delivered|appeared)\\b',
    '\\b(just |finally |actually )(arrived|turned up|came|showed up|got here)\\b',
    '\\b(arrived|turned up|came|showed up|got here|got it) (after all|now|today|this morning|yesterday|in the end|at last|finally)\\b',
    '\\b(i |we )?(just |finally |actually |have |ve )*(found|received|got) (it|them|the (parcel|package|order|item|delivery))\\b',
    '\\b(problem|problm|prob|prblem|probelm|issue|isue|it|that|this|all|everything|everythings|its|it s|that s|thats|all s) (is |s |has been |was |been |got |now |all |finally )*(sorted|solved|resolved|fixed)( out| itself out| now)?\\b',
    '\\b(sorted|solved|resolved|fixed) (now|it|itself|out)\\b',
    '^(sorted|solved|resolved|fixed)\\b',
    '\\b(no longer|don t|do not|dont) (need|want|require) (help|the ticket|this ticket|the complaint|it|assistance|support)\\b',
    '\\b(false alarm|my mistake|my bad|my fault)\\b',
  ].join('|'),
);

/** Something is still wrong: a complaint, not a withdrawal. */
const STILL_WRONG =
  /\b(broken|broke|damaged|smashed|cracked|crushed|dented|scratched|torn|leaking|faulty|defective|missing|lost|stolen|late|wrong|refund|return|replace|replacement|exchange|empty|wet|opened|half|part|partial|only|except|gone|doesn t|does not|didn t|did not|isn t|is not|hasn t|has not|haven t|have not|wasn t|was not|won t|can t|cannot|not|still|yet|instead|different|another|unfortunately|however|but|nothing|never|without|no|when|if|until|since|because|said|says|claim|claims|claimed|shows|showing|showed|tracking|marked|supposedly|apparently|problem is|issue is)\b/;
/** "cancel my order", "change my address": a request about the order itself. */
const ORDER_REQUEST = /\b(cancel|cancell?ing|change|changing|amend|return|exchange|replace|refund)\w* (my |the |an |this |that |our )?(order|item|items|parcel|package|purchase|subscription|delivery|address|payment)\b/;
/** "is it sorted?", "when will it be fixed": asks, does not tell. */
const QUESTION_START = /^(is|has|have|did|does|will|when|why|how|what|can it|could it|would it|should)\b/;

/**
 * Whether the message withdraws a ticket. `ticketPrefix` lets "close CS-7K3M9Q" count. A ticket reference
 * in the text is the caller's to read (findTicketRef).
 */
export function saysProblemWentAway(text: string | undefined, ticketPrefix?: string): boolean {
  // One message is asked about several times a turn (follow-ups, interruptions, the main dialog's greeting and route).
  if (lastReading && lastReading.text === text && lastReading.ticketPrefix === ticketPrefix) return lastReading.result;
  const result = readsAsWithdrawal(text, ticketPrefix);
  lastReading = { text, ticketPrefix, result };
  return result;
}

let lastReading: { text: string | undefined; ticketPrefix: string | undefined; result: boolean } | undefined;

function readsAsWithdrawal(text: string | undefined, ticketPrefix?: string): boolean {
  // Kind sign-offs ("but thanks anyway") say nothing about the problem; "never mind" would read as "never".
  const clean = normaliseWords(text ?? '')
    .replace(/\b(but )?(thanks|thank you|thank u|thanku|thanx|thnx|thx|ty|cheers)( (so much|a lot|anyway|for (your|the) help|again))*\b/g, ' ')
    .replace(/\bnever ?mind\b/g, 'nevermind')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean || clean.split(' ').length > MAX_WORDS) return false;
  if (ORDER_REQUEST.test(clean) && !new RegExp(`\\b${TICKET_NOUN}\\b`).test(clean)) return false;
  // Without the prefix (the hand-off side does not know it) any "AB-1234XY"-shaped reference will do.
  const ref = ticketPrefix ? `${ticketPrefix.toLowerCase()}[\\s-]?[0-9a-z]{6}` : '[a-z]{2,5}-[0-9a-z]{6}';
  const problemLeft = STILL_WRONG.test(clean.replace(/\b((don t|do not|dont|no longer) (need|want|require)|no (worries|problem|probs?|need|bother|rush))\b/g, ' '));
  // "don't close it", "do not cancel my ticket": the opposite.
  if (/\b(don t|do not|dont|not|never) (close|cancel|withdraw|delete|drop)\b/.test(clean)) return false;
  if (asksToClose(clean, ref)) return !/\b(broken|damaged|smashed|missing|wrong|faulty|still|not (arrived|sorted|fixed|solved))\b/.test(clean);
  if (problemLeft) return false;
  if (QUESTION_START.test(clean) || /\?\s*$/.test(text ?? '')) return false;
  return SORTED.test(clean);
}
