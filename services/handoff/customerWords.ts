/**
 * Short things a customer says around a handoff: leaving the queue ("ok cancel", "nvm, I found it") and
 * thanking after a hand-back ("thanks Asha!", "ok", "bye"). Only short messages count, so a story that
 * mentions "cancel" ("I want to cancel my order, it's late") never takes anyone out of the queue.
 */

const MAX_WORDS = 10;

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const LEAD = '(ok|okay|k|oh|ah|actually|please|sorry|um|umm|hmm|no|yes|yeah|well|so|then|hey|hi|fine|right|wait|its fine|its ok|its okay|thats fine|thats ok)';
const LEAVE = [
  'cancel( (it|this|that|the request|my request|the handoff|waiting|the wait|the queue|the agent|the chat|the call))?',
  'never ?mind|nvm|nm|forget it|forget about it|scratch that|no worries|dont worry( about it)?|ignore (that|this|me)',
  'stop waiting|(i ll|ill|i will) (not wait|stop waiting)|leave the queue|(take me )?out of the queue|no need( for (help|a person|an agent|anyone))?|not needed|no longer needed',
  '(i )?(dont|do not|no longer) (need|want) (help|a person|an agent|anyone|a human|someone|somebody|it|this|to wait)( anymore| any more| now| after all)?',
  '(i )?(found|sorted|fixed|solved|figured|worked out|figured out)( it| that)?( out)?( myself| already| now)?',
  // "all good" alone may mean "no problem, I'll wait": only words that say the problem itself went away.
  '(all|its|it is|everything is|everythings) (sorted|resolved|working)( now)?|(its|it is|everything is|everythings) (fine|ok|okay) now',
];
const TAIL = '(please|pls|thanks|thank you|thx|then|now|anyway|anyways|after all|sorry|bye|though)';
const LEAVE_QUEUE = new RegExp(`^(${LEAD} )*(${LEAVE.join('|')})( (${LEAVE.join('|')}|${TAIL}))*$`);

/** "cancel", "ok cancel", "cancel please", "never mind, I found it", "actually I don't need help anymore", "nvm". */
export function wantsToLeaveQueue(text: string | undefined): boolean {
  const clean = normalise(text ?? '');
  if (!clean || clean.split(' ').length > MAX_WORDS) return false;
  return LEAVE_QUEUE.test(clean);
}

const COURTESY_WORDS = new Set(
  ('ok okay k kk cool great perfect nice awesome alright fine good brilliant lovely wonderful excellent super amazing ' +
    'thanks thank thankyou you thx ty tx cheers ta so much very a lot again loads many appreciated appreciate it ' +
    'bye goodbye byebye see ya you later take care have day got sounds will do for your the help all sorted and that was')
    .split(' '),
);
/** After these a name may follow: "thanks Asha", "bye Ben". */
const BEFORE_NAME = new Set(['thanks', 'thank', 'you', 'thx', 'ty', 'cheers', 'bye', 'goodbye', 'ta']);

/** "thanks Asha!", "ok", "bye", "thank you so much": nothing to act on, just courtesy. */
export function isCourtesy(text: string | undefined): boolean {
  const words = normalise(text ?? '').split(' ').filter(Boolean);
  if (words.length === 0 || words.length > 8) return false;
  let names = 0;
  return words.every((word, index) => {
    if (COURTESY_WORDS.has(word)) return true;
    // One name, straight after a thanks or a goodbye.
    if (names === 0 && index > 0 && BEFORE_NAME.has(words[index - 1]) && /^\p{L}+$/u.test(word)) return ++names === 1;
    return false;
  });
}
