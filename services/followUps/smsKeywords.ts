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
