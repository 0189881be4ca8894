/**
 * Twilio's standard opt-out, opt-in and help keywords. Twilio answers them itself (the confirmation texts
 * carriers require) and blocks or unblocks the number on its side; we mirror the opt-out on the tickets so
 * follow-ups stop choosing SMS. Matched like Twilio: the whole message, any case, surrounding spaces only.
 */
export type SmsKeyword = 'opt_out' | 'opt_in' | 'help';

const KEYWORDS = new Map<string, SmsKeyword>([
  ...['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit'].map((word) => [word, 'opt_out'] as const),
  ...['start', 'yes', 'unstop'].map((word) => [word, 'opt_in'] as const),
  ...['help', 'info'].map((word) => [word, 'help'] as const),
]);

export function smsKeywordOf(body: string): SmsKeyword | undefined {
  return KEYWORDS.get(body.trim().toLowerCase());
}

const STOP_REQUEST =
  /^(please )?(stop|stopall|unsubscribe)( (it|now|all|this|texting( me)?|messaging( me)?|sending( me)?( (texts|messages|sms))?|(the |these )?(texts|messages|sms)))?( please| thanks| thank you)?$/;
const NO_MORE = /^(please )?(no more (texts|messages|sms)|opt out|opt me out|unsubscribe me|remove me( from (this|the|your) list)?|do ?n.?t (text|message) me( again| anymore| any more)?)( please| thanks)?$/;

/**
 * "STOP." or "stop texting me": Twilio blocks only the bare keyword, so these reach us as words, and the
 * customer still asked us to stop texting (any reasonable wording counts as withdrawing consent).
 * Whole message only: "stop, the parcel is wrong" is not a request to stop.
 */
export function asksToStopTexts(body: string): boolean {
  const words = body.toLowerCase().replace(/[^\p{L}\p{N}\s']/gu, ' ').replace(/\s+/g, ' ').trim();
  return STOP_REQUEST.test(words) || NO_MORE.test(words);
}
