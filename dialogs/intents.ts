/**
 * Plain keyword intents. Interruptions only fire on short messages so that a description such as
 * "I asked a person at the depot and they said…" is never mistaken for "agent".
 */

export type Interruption = 'help' | 'cancel' | 'restart' | 'human' | 'status';

const SHORT = 8; // words

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const INTERRUPTIONS: Array<[Interruption, RegExp]> = [
  ['help', /^(help|help me|what can you do|\?+|menu|options)( please)?$/],
  ['restart', /^(start over|start again|restart|reset|begin again)( please)?$/],
  ['cancel', /^(cancel|stop|quit|exit|never ?mind|forget it)( (it|this|that|please))*$/],
  [
    'human',
    /^(i )?(want to |would like to |need to |can i |let me |please )?(talk|speak|chat)?( to| with)? ?(an? |the )?(agent|human|person|real person|representative|rep|someone|somebody|operator|manager|supervisor)( please)?$/,
  ],
  ['status', /^((check |ticket |my |order )?(status|update)|where is (my )?(ticket|order|case)|any (news|update)s?)( please)?$/],
];

export function detectInterruption(text: string | undefined, ticketPrefix: string): Interruption | undefined {
  if (!text) return undefined;
  const clean = normalise(text);
  if (clean === '' || clean.split(' ').length > SHORT) return undefined;
  for (const [intent, pattern] of INTERRUPTIONS) if (pattern.test(clean)) return intent;
  // "where is CS-7K3M9Q", "status of cs 7k3m9q"
  if (new RegExp(`\\b${ticketPrefix.toLowerCase()}[\\s-]?[0-9a-z]{6}\\b`).test(clean) && /\b(where|status|update|what|how)\b/.test(clean)) {
    return 'status';
  }
  return undefined;
}

export type MenuChoice = 'report' | 'status' | 'human';

export function detectMenuChoice(text: string | undefined): MenuChoice | undefined {
  const clean = normalise(text ?? '');
  if (/^(1|report|report a problem|problem|complain|complaint)\b/.test(clean)) return 'report';
  if (/^(2|check|status|check a ticket|check status)\b/.test(clean)) return 'status';
  if (/^(3|talk|person|human|agent)\b/.test(clean)) return 'human';
  return undefined;
}

export function isGreetingOnly(text: string | undefined): boolean {
  return /^(hi|hello|hey|hiya|good (morning|afternoon|evening)|yo|hallo|hola|bonjour|get started|start)( there| team| acme)?$/.test(normalise(text ?? ''));
}

export function isYes(text: string | undefined): boolean {
  return /^(y|yes|yeah|yep|yup|sure|ok|okay|correct|right|that s right|looks good|confirm|go ahead|please do|do it|all good)\b/.test(normalise(text ?? ''));
}

export function isNo(text: string | undefined): boolean {
  return /^(n|no|nope|nah|not really|wrong|incorrect)\b/.test(normalise(text ?? ''));
}

export function saysNoneOrSkip(text: string | undefined): boolean {
  return /\b(skip|don t have|dont have|do not have|no idea|not sure|can t find|cant find|lost it|none|n a)\b/.test(normalise(text ?? ''));
}

export type CorrectableField = 'orderNumber' | 'email' | 'phone' | 'description' | 'contact';

/** "change my email", "the order number is wrong", "fix phone" → which field to ask again. */
export function detectCorrection(text: string | undefined): CorrectableField | undefined {
  const clean = normalise(text ?? '');
  if (/\b(e-?mail|mail address)\b/.test(clean)) return 'email';
  if (/\b(phone|mobile|cell|number to call)\b/.test(clean)) return 'phone';
  if (/\border( number| no| id)?\b/.test(clean)) return 'orderNumber';
  if (/\b(description|problem|what happened|details|story)\b/.test(clean)) return 'description';
  if (/\b(contact|reach me)\b/.test(clean)) return 'contact';
  return undefined;
}
